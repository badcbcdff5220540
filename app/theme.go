package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
)

// Brand colours, shared with the icon.
var (
	colorInk       = color.NRGBA{0x10, 0x1b, 0x2b, 0xff} // body text: near-black navy
	colorPrimary   = color.NRGBA{0x0b, 0x6e, 0x72, 0xff} // deep teal, 6.1:1 on white
	colorSurface   = color.NRGBA{0xf6, 0xf8, 0xfa, 0xff}
	colorAccent    = color.NRGBA{0xff, 0xc8, 0x4a, 0xff} // the signature gold
	colorDeepBlue  = color.NRGBA{0x0b, 0x3a, 0x66, 0xff}
	colorTealLight = color.NRGBA{0x0f, 0x9f, 0x8f, 0xff}
	colorError     = color.NRGBA{0xb4, 0x23, 0x18, 0xff}
	colorStepAhead = color.NRGBA{0xc4, 0xcd, 0xd6, 0xff} // a guest step not reached yet
)

// kioskTheme is a high-contrast, touch-sized theme: text 24, buttons about
// 65 dp tall (tech-notes.md), always the light variant so a guest sees the
// same kiosk whatever the OS setting.
type kioskTheme struct{}

var _ fyne.Theme = kioskTheme{}

func (kioskTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground:
		return colorSurface
	case theme.ColorNameForeground:
		return colorInk
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		return colorPrimary
	case theme.ColorNameForegroundOnPrimary:
		return color.White
	case theme.ColorNameButton:
		return color.NRGBA{0xe3, 0xe9, 0xef, 0xff}
	case theme.ColorNameInputBackground:
		return color.White
	case theme.ColorNameInputBorder:
		return color.NRGBA{0x8a, 0x99, 0xa8, 0xff}
	case theme.ColorNamePlaceHolder:
		return color.NRGBA{0x5b, 0x6b, 0x7c, 0xff}
	case theme.ColorNameError:
		return colorError
	case theme.ColorNameSelection:
		return color.NRGBA{0x0b, 0x6e, 0x72, 0x40}
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

func (kioskTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (kioskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 24
	case theme.SizeNameHeadingText:
		return 44
	case theme.SizeNameSubHeadingText:
		return 30
	case theme.SizeNameCaptionText:
		return 18
	case theme.SizeNameInnerPadding:
		return 16
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInlineIcon:
		return 32
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 10
	case theme.SizeNameInputBorder:
		return 2
	case theme.SizeNameScrollBar:
		return 16
	case kwidget.ThemeSizeNamePenMin:
		return 0.9 // a finger's line: bolder than signature_pad's mouse defaults
	case kwidget.ThemeSizeNamePenMax:
		return 3.4
	}
	return theme.DefaultTheme().Size(n)
}

// MinTouch is the smallest height of anything a guest taps.
const MinTouch float32 = 64
