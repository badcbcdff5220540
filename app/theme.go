package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
)

// Brand colours, shared with the icon. Each text colour is held to 4.5:1
// against what it is drawn on by TestThemeContrast.
var (
	colorInk       = color.NRGBA{0x10, 0x1b, 0x2b, 0xff} // body text: near-black navy
	colorPrimary   = color.NRGBA{0x0b, 0x6e, 0x72, 0xff} // deep teal, 6.1:1 on white
	colorSurface   = color.NRGBA{0xf6, 0xf8, 0xfa, 0xff}
	colorAccent    = color.NRGBA{0xff, 0xc8, 0x4a, 0xff} // the signature gold
	colorDeepBlue  = color.NRGBA{0x0b, 0x3a, 0x66, 0xff}
	colorTealLight = color.NRGBA{0x0b, 0x78, 0x6c, 0xff} // the attract gradient's top: white on it is 5.3:1
	colorError     = color.NRGBA{0xb4, 0x23, 0x18, 0xff}
	colorStepAhead = color.NRGBA{0xc4, 0xcd, 0xd6, 0xff} // a guest step not reached yet
	// colorFocus marks the focused or hovered row of an open dropdown and
	// a focused field: a pale teal, so ink on it keeps its contrast (the
	// deep teal it was left the row's text at 2.9:1).
	colorFocus = color.NRGBA{0xc9, 0xe6, 0xe4, 0xff}
)

// The high-contrast palette: black on white, every text pair at 7:1 or more.
var (
	hcInk     = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	hcPrimary = color.NRGBA{0x00, 0x2f, 0x6c, 0xff} // navy: 13:1 with white
	hcButton  = color.NRGBA{0xdc, 0xe1, 0xe6, 0xff}
	hcError   = color.NRGBA{0x8f, 0x00, 0x00, 0xff}
	hcFocus   = color.NRGBA{0xff, 0xe0, 0x66, 0xff} // a yellow focus ring and menu row
)

// displayModes is a guest's choice of display modes for their session; the zero
// value is the kiosk as it ships.
type displayModes struct {
	// Larger scales every text (and the icons beside them) by largerScale.
	Larger bool
	// Contrast draws black on white with a navy primary.
	Contrast bool
	// Reach keeps every action in the lower two thirds of the screen, for
	// a guest in a wheelchair: the layout reads it, not the theme.
	Reach bool
}

// largerScale is how much "Larger text" enlarges text: 24 becomes 30.
const largerScale = 1.25

// kioskTheme is a high-contrast, touch-sized theme: text 24, buttons about
// 65 dp tall (tech-notes.md), always the light variant so a guest sees the
// same kiosk whatever the OS setting. Its display modes scale the text and
// swap the palette for one guest's session.
type kioskTheme struct{ d displayModes }

var _ fyne.Theme = kioskTheme{}

func (t kioskTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if t.d.Contrast {
		if c := highContrast(n); c != nil {
			return c
		}
	}
	switch n {
	case theme.ColorNameBackground:
		return colorSurface
	case theme.ColorNameForeground:
		return colorInk
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return colorPrimary
	case theme.ColorNameFocus:
		return colorFocus
	case theme.ColorNameForegroundOnPrimary:
		return color.White
	case theme.ColorNameButton:
		return color.NRGBA{0xe3, 0xe9, 0xef, 0xff}
	case theme.ColorNameInputBackground, theme.ColorNameMenuBackground, theme.ColorNameOverlayBackground:
		return color.White
	case theme.ColorNameInputBorder:
		return color.NRGBA{0x8a, 0x99, 0xa8, 0xff}
	case theme.ColorNamePlaceHolder:
		return color.NRGBA{0x5b, 0x6b, 0x7c, 0xff}
	case theme.ColorNameError:
		return colorError
	case theme.ColorNameSelection:
		return color.NRGBA{0x0b, 0x6e, 0x72, 0x40}
	case theme.ColorNameDisabled:
		return color.NRGBA{0x52, 0x5b, 0x65, 0xff} // a disabled label stays legible on its button
	case theme.ColorNameDisabledButton:
		return color.NRGBA{0xe6, 0xe9, 0xec, 0xff}
	}
	return theme.DefaultTheme().Color(n, theme.VariantLight)
}

// highContrast is the high-contrast palette, nil where it keeps the usual colour.
func highContrast(n fyne.ThemeColorName) color.Color {
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameOverlayBackground, theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnError:
		return color.White
	case theme.ColorNameForeground, theme.ColorNameInputBorder, theme.ColorNameSeparator:
		return hcInk
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return hcPrimary
	case theme.ColorNameFocus:
		return hcFocus
	case theme.ColorNameButton, theme.ColorNameDisabledButton:
		return hcButton
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		return color.NRGBA{0x3a, 0x3a, 0x3a, 0xff}
	case theme.ColorNameError:
		return hcError
	case theme.ColorNameHover:
		return color.NRGBA{0x00, 0x00, 0x00, 0x14}
	}
	return nil
}

func (kioskTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (kioskTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	scale := float32(1)
	if t.d.Larger {
		scale = largerScale
	}
	switch n {
	case theme.SizeNameText:
		return 24 * scale
	case theme.SizeNameHeadingText:
		return 44 * scale
	case theme.SizeNameSubHeadingText:
		return 30 * scale
	case theme.SizeNameCaptionText:
		return 18 * scale
	case theme.SizeNameInnerPadding:
		return 16
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInlineIcon:
		return 32 * scale
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

// baseTextSize is the theme's text size without "Larger text".
const baseTextSize = 24

// textScale is how much the current theme enlarges text: 1, or largerScale
// in "Larger text". Texts of a fixed size (headings, canvas texts) follow it.
func textScale() float32 {
	a := fyne.CurrentApp()
	if a == nil {
		return 1
	}
	return a.Settings().Theme().Size(theme.SizeNameText) / baseTextSize
}

// MinTouch is the smallest height of anything a guest taps.
const MinTouch float32 = 64
