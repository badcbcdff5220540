package app

import (
	"fmt"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/signet-kiosk/signet/internal/contrast"
)

// textPairs are the text and background colours the theme th draws
// together, by where a guest sees them.
func textPairs(d displayModes) map[string][2]color.Color {
	th := kioskTheme{d: d}
	at := attractTheme{th}
	top, bottom := attractColours(d)
	c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, theme.VariantLight) }
	over := func(fg, bg fyne.ThemeColorName) color.Color { return contrast.Over(c(fg), c(bg)) }
	fg := c(theme.ColorNameForeground)
	return map[string][2]color.Color{
		"body text":                    {fg, c(theme.ColorNameBackground)},
		"typed text":                   {fg, c(theme.ColorNameInputBackground)},
		"a button's label":             {fg, c(theme.ColorNameButton)},
		"a hovered button's label":     {fg, over(theme.ColorNameHover, theme.ColorNameButton)},
		"a hovered flat button":        {fg, over(theme.ColorNameHover, theme.ColorNameBackground)},
		"a primary button's label":     {c(theme.ColorNameForegroundOnPrimary), c(theme.ColorNamePrimary)},
		"a hovered primary button":     {c(theme.ColorNameForegroundOnPrimary), over(theme.ColorNameHover, theme.ColorNamePrimary)},
		"the open dropdown":            {fg, c(theme.ColorNameMenuBackground)},
		"the open dropdown's row":      {fg, c(theme.ColorNameFocus)},
		"a focused dropdown":           {fg, c(theme.ColorNameFocus)},
		"a pop-up":                     {fg, c(theme.ColorNameOverlayBackground)},
		"selected text":                {fg, over(theme.ColorNameSelection, theme.ColorNameInputBackground)},
		"a placeholder":                {c(theme.ColorNamePlaceHolder), c(theme.ColorNameInputBackground)},
		"a problem":                    {c(theme.ColorNameError), c(theme.ColorNameBackground)},
		"a problem in a card":          {c(theme.ColorNameError), color.White},
		"a danger button":              {c(theme.ColorNameForegroundOnError), c(theme.ColorNameError)},
		"a link":                       {c(theme.ColorNameHyperlink), c(theme.ColorNameBackground)},
		"primary-coloured text":        {c(theme.ColorNamePrimary), c(theme.ColorNameBackground)},
		"a disabled button's label":    {c(theme.ColorNameDisabled), c(theme.ColorNameDisabledButton)},
		"text in a card":               {colorInk, color.White},
		"the demo badge":               {colorInk, colorAccent},
		"the attract screen, top":      {at.Color(theme.ColorNameForeground, 0), top},
		"the attract screen, bottom":   {at.Color(theme.ColorNameForeground, 0), bottom},
		"an attract button, top":       {at.Color(theme.ColorNameForeground, 0), contrast.Over(at.Color(theme.ColorNameButton, 0), top)},
		"the attract start button":     {at.Color(theme.ColorNameForegroundOnPrimary, 0), at.Color(theme.ColorNamePrimary, 0)},
		"a hovered attract button top": {at.Color(theme.ColorNameForeground, 0), contrast.Over(at.Color(theme.ColorNameHover, 0), contrast.Over(at.Color(theme.ColorNameButton, 0), top))},
	}
}

// TestThemeContrast holds every text and background pair the kiosk draws
// to WCAG AA (4.5:1), the open dropdown included (its highlighted row was
// 2.9:1, finding 9), and the high-contrast palette to AAA (7:1).
func TestThemeContrast(t *testing.T) {
	for _, c := range []struct {
		name  string
		d     displayModes
		least float64
	}{
		{"normal", displayModes{}, contrast.AA},
		{"larger text", displayModes{Larger: true}, contrast.AA},
		{"high contrast", displayModes{Contrast: true}, contrast.AAA},
	} {
		for where, p := range textPairs(c.d) {
			if r := contrast.Ratio(p[0], p[1]); r < c.least {
				t.Errorf("%s, %s: %s on %s is %.2f:1, want %.1f:1", c.name, where, hex(p[0]), hex(p[1]), r, c.least)
			}
		}
	}
}

func hex(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}
