package app

import (
	"fyne.io/fyne/v2"

	"github.com/signet-kiosk/signet/assets"
)

// ResourceIcon is the application icon as a Fyne resource.
var ResourceIcon = fyne.NewStaticResource("signet.png", assets.IconPNG)

// resourceAccessibility is the accessibility figure (a person with open
// arms in a circle) of the guest's display modes; the buttons colour it
// like their labels.
var resourceAccessibility = fyne.NewStaticResource("accessibility.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
		`<circle fill="none" stroke="#000000" stroke-width="1.6" cx="12" cy="12" r="10"/>`+
		`<circle fill="#000000" cx="12" cy="6.5" r="1.7"/>`+
		`<path fill="none" stroke="#000000" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" `+
		`d="M6.5 9.2L12 10.2L17.5 9.2M12 10.2V13.6M9.6 18.4L12 13.6L14.4 18.4"/>`+
		`</svg>`))

// resourceLanguage is a globe, for the language choice.
var resourceLanguage = fyne.NewStaticResource("language.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
		`<path fill="none" stroke="#000000" stroke-width="1.6" d="M12 2.5a9.5 9.5 0 1 0 0 19 9.5 9.5 0 0 0 0-19z`+
		`M2.5 12h19M12 2.5c-2.6 2.6-3.9 5.8-3.9 9.5s1.3 6.9 3.9 9.5M12 2.5c2.6 2.6 3.9 5.8 3.9 9.5s-1.3 6.9-3.9 9.5`+
		`M4.2 6.8h15.6M4.2 17.2h15.6"/>`+
		`</svg>`))
