package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// attractScreen welcomes a guest walking up: what the kiosk does, a start
// button, the languages, and a discreet door for staff.
func (k *Kiosk) attractScreen() fyne.CanvasObject {
	tr := k.tr
	bg := canvas.NewLinearGradient(colorTealLight, colorDeepBlue, 0)

	icon := canvas.NewImageFromResource(ResourceIcon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(128, 128))

	title := canvas.NewText(tr.T("attract.welcome"), color.White)
	title.TextSize = 60
	title.TextStyle.Bold = true
	title.Alignment = fyne.TextAlignCenter

	// Wrapping text reports a one-line minimum height until it is laid
	// out, so reserve room for two lines in every language.
	subtitle := container.NewGridWrap(fyne.NewSize(980, 100), onDarkLabel(tr.T("attract.subtitle"), 28))
	duration := container.NewGridWrap(fyne.NewSize(980, 80), onDarkLabel(tr.T("attract.duration"), 22))

	start := widget.NewButton(tr.T("attract.start"), func() { k.startGuest() })
	start.Importance = widget.HighImportance
	startBox := container.NewGridWrap(fyne.NewSize(460, 96), start)

	langs := container.NewHBox()
	for _, l := range k.languages() {
		l := l
		b := widget.NewButton(tr.In(l, "lang.name"), func() { k.SetLanguage(l) })
		if l == tr.Language() {
			b.Importance = widget.HighImportance
		}
		langs.Add(container.NewGridWrap(fyne.NewSize(190, MinTouch+8), b))
	}
	chooseLang := onDarkLabel(tr.T("attract.choose_language"), 22)

	help := widget.NewButtonWithIcon(tr.T("common.help"), theme.QuestionIcon(), k.callStaff)
	help.Importance = widget.LowImportance
	staff := widget.NewButtonWithIcon(tr.T("common.staff"), theme.AccountIcon(), func() { k.openStaff() })
	staff.Importance = widget.LowImportance

	centre := container.NewVBox(
		container.NewCenter(icon),
		title,
		subtitle,
		container.NewCenter(startBox),
		duration,
	)
	bottom := container.NewVBox(
		chooseLang,
		container.NewCenter(langs),
		container.NewBorder(nil, nil, k.demoBadge(), container.NewPadded(container.NewHBox(help, staff))),
	)
	content := container.NewBorder(nil, bottom, nil, nil, container.NewCenter(centre))
	return container.NewStack(bg, container.NewThemeOverride(container.NewPadded(content), attractTheme{}))
}

// onDarkLabel is centred, wrapping white text for the attract gradient.
func onDarkLabel(text string, size float32) fyne.CanvasObject {
	rt := widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		Alignment: fyne.TextAlignCenter, ColorName: theme.ColorNameForeground,
		SizeName: sizeName(size), TextStyle: fyne.TextStyle{},
	}})
	rt.Wrapping = fyne.TextWrapWord
	return rt
}

func sizeName(size float32) fyne.ThemeSizeName {
	switch {
	case size >= 28:
		return theme.SizeNameSubHeadingText
	default:
		return theme.SizeNameText
	}
}

// attractTheme makes the primary button gold on the dark gradient and the
// other buttons translucent white.
type attractTheme struct{ kioskTheme }

func (t attractTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary:
		return colorAccent
	case theme.ColorNameForegroundOnPrimary:
		return colorInk
	case theme.ColorNameButton:
		return color.NRGBA{0xff, 0xff, 0xff, 0x30}
	case theme.ColorNameForeground:
		return color.White
	case theme.ColorNameHover:
		return color.NRGBA{0xff, 0xff, 0xff, 0x20}
	}
	return t.kioskTheme.Color(n, v)
}
