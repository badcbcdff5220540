// Package contrast computes the WCAG 2.x contrast ratio of two colours, so
// that a test can hold every text colour of the theme to 4.5:1 against the
// background it is drawn on (WCAG 2.2, success criterion 1.4.3).
package contrast

import (
	"image/color"
	"math"
)

// The WCAG levels for text.
const (
	// AA is the least contrast for normal text.
	AA = 4.5
	// AALarge is the least for large text (18 pt, or 14 pt bold).
	AALarge = 3.0
	// AAA is the enhanced level for normal text.
	AAA = 7.0
)

// Luminance is the relative luminance of c (0 black … 1 white), from its
// sRGB components linearised as WCAG defines. Alpha is ignored: blend a
// translucent colour onto its background first (Over).
func Luminance(c color.Color) float64 {
	r, g, b := rgb8(c)
	return 0.2126*linear(r) + 0.7152*linear(g) + 0.0722*linear(b)
}

// Ratio is the contrast ratio of a and b, from 1 (equal) to 21 (black on
// white); the order does not matter.
func Ratio(a, b color.Color) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Over returns fg drawn over an opaque bg (source-over in sRGB, as a
// display composes it), for text or fills with transparency.
func Over(fg, bg color.Color) color.NRGBA {
	n := color.NRGBAModel.Convert(fg).(color.NRGBA)
	br, bgc, bb := rgb8(bg)
	a := float64(n.A) / 255
	mix := func(f uint8, b float64) uint8 {
		return uint8(math.Round(float64(f)*a + b*255*(1-a)))
	}
	return color.NRGBA{mix(n.R, br), mix(n.G, bgc), mix(n.B, bb), 255}
}

// rgb8 returns c's straight (not premultiplied) components in 0–1.
func rgb8(c color.Color) (r, g, b float64) {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return float64(n.R) / 255, float64(n.G) / 255, float64(n.B) / 255
}

// linear undoes the sRGB transfer curve, with WCAG's threshold.
func linear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}
