package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// attractScreen welcomes a guest walking up: what the kiosk does, a start
// button, the languages, the accessibility modes, and a discreet door for
// staff. Its texts wrap and shrink to fit the window in every language.
func (k *Kiosk) attractScreen() fyne.CanvasObject {
	tr := k.tr
	th := attractTheme{kioskTheme{d: k.modes()}}
	bg := canvas.NewLinearGradient(colorTealLight, colorDeepBlue, 0)
	bg.StartColor, bg.EndColor = attractColours(k.modes())

	icon := canvas.NewImageFromResource(ResourceIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))

	title := newFitText(tr.T("attract.welcome"), 60, theme.ColorNameForeground, 1, 600)
	title.bold = true
	subtitle := newFitText(tr.T("attract.subtitle"), 28, theme.ColorNameForeground, 2, 700)
	subtitle.minRows = 2
	duration := newFitText(tr.T("attract.duration"), 22, theme.ColorNameForeground, 2, 700)
	duration.minRows = 2

	start := newFitButton(tr.T("attract.start"), buttonStyle{importance: widget.HighImportance, size: 30,
		minWidth: 460, maxWidth: 620, height: 96, theme: th}, func() { k.startGuest() })

	langs := container.NewHBox()
	for _, l := range k.languages() {
		l := l
		imp := widget.MediumImportance
		if l == tr.Language() {
			imp = widget.HighImportance
		}
		langs.Add(newFitButton(tr.In(l, "lang.name"), buttonStyle{importance: imp, minWidth: 180, maxWidth: 190,
			height: MinTouch + 8, theme: th}, func() { k.SetLanguage(l) }))
	}
	chooseLang := newFitText(tr.T("attract.choose_language"), 22, theme.ColorNameForeground, 1, 600)

	low := buttonStyle{importance: widget.LowImportance, size: 20, maxWidth: 220, theme: th}
	a11y, help, staff := low, low, low
	a11y.icon, help.icon, staff.icon = resourceAccessibility, theme.QuestionIcon(), theme.AccountIcon()

	centre := container.NewVBox(
		container.NewCenter(icon),
		title,
		subtitle,
		container.NewCenter(start),
		duration,
	)
	bottom := container.NewVBox(
		chooseLang,
		container.NewCenter(langs),
		container.NewBorder(nil, nil, nil, container.NewHBox(
			newFitButton(tr.T("chrome.display"), a11y, k.showDisplayModes),
			newFitButton(tr.T("common.help"), help, k.callStaff),
			newFitButton(tr.T("common.staff"), staff, func() {
				k.setDisplay(displayModes{}) // the staff screens are not the guest's
				k.openStaff()
			}),
		)),
	)
	middle := container.New(upTo{980}, container.NewVBox(layout.NewSpacer(), centre, layout.NewSpacer()))
	content := container.NewBorder(k.demoBadge(), bottom, nil, nil, middle)
	return container.NewStack(bg, container.NewThemeOverride(container.NewPadded(content), th))
}

// attractColours are the attract gradient's top and bottom: teal to deep
// blue, or deep blue alone in high contrast.
func attractColours(d displayModes) (top, bottom color.Color) {
	if d.Contrast {
		return colorDeepBlue, colorDeepBlue
	}
	return colorTealLight, colorDeepBlue
}

// attractTheme makes the primary button gold on the dark gradient and the
// other buttons a translucent shade of it, darker so white reads on them.
type attractTheme struct{ kioskTheme }

func (t attractTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary:
		return colorAccent
	case theme.ColorNameForegroundOnPrimary:
		return colorInk
	case theme.ColorNameButton:
		return color.NRGBA{0x00, 0x10, 0x20, 0x40}
	case theme.ColorNameForeground:
		return color.White
	case theme.ColorNameHover:
		return color.NRGBA{0x00, 0x10, 0x20, 0x30}
	}
	return t.kioskTheme.Color(n, v)
}
