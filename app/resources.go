package app

import (
	"fyne.io/fyne/v2"

	"github.com/signet-kiosk/signet/assets"
)

// ResourceIcon is the application icon as a Fyne resource.
var ResourceIcon = fyne.NewStaticResource("signet.png", assets.IconPNG)

// resourceAccessibility is the accessibility figure (a person with open
// arms in a circle) of the guest's display modes; the buttons colour it
// like their labels (Fyne recolours fills, not strokes: it is all fills).
var resourceAccessibility = fyne.NewStaticResource("accessibility.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
		`<path fill="#000000" fill-rule="evenodd" d="M2 12a10 10 0 1 0 20 0a10 10 0 1 0 -20 0zM3.7 12a8.3 8.3 0 1 1 16.6 0a8.3 8.3 0 1 1 -16.6 0z"/>`+
		`<circle fill="#000000" cx="12" cy="6.6" r="1.7"/>`+
		`<path fill="#000000" d="M6.2 8.6L17.8 8.6L17.8 10.1L13.2 10.7L13.2 13.4L15.3 18.6L13.9 19.2L12 14.8L10.1 19.2L8.7 18.6L10.8 13.4L10.8 10.7L6.2 10.1Z"/>`+
		`</svg>`))

// resourceLanguage is a globe, for the language choice.
var resourceLanguage = fyne.NewStaticResource("language.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
		`<path fill="none" stroke="#000000" stroke-width="1.6" d="M12 2.5a9.5 9.5 0 1 0 0 19 9.5 9.5 0 0 0 0-19z`+
		`M2.5 12h19M12 2.5c-2.6 2.6-3.9 5.8-3.9 9.5s1.3 6.9 3.9 9.5M12 2.5c2.6 2.6 3.9 5.8 3.9 9.5s-1.3 6.9-3.9 9.5`+
		`M4.2 6.8h15.6M4.2 17.2h15.6"/>`+
		`</svg>`))
