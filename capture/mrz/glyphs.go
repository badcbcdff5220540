package mrz

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/signet-kiosk/signet/assets"
)

// ocrbFont is the OCR-B font the templates are rendered from.
var ocrbFont = assets.OCRB

// mrzChars are the characters of a machine-readable zone.
const mrzChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// Template geometry: every glyph is rendered so that capital letters are
// capH pixels tall, into a cell tmplW × tmplH whose centre is the middle of
// the capital height, horizontally the centre of the glyph's ink.
const (
	capH = 18
)

// glyphSet holds the rendered templates.
type glyphSet struct {
	w, h int // template size
	// pitchRatio is the font's advance over its capital height: the pitch
	// of MRZ text in units of its letter height.
	pitchRatio float64
	// vec[c] is the template of mrzChars[c] as a zero-mean, unit-norm
	// vector of ink (1 = black), row-major w × h.
	vec [][]float32
	// ink[c] is the same template as ink in 0..1, for debugging.
	ink [][]float32
	// sharp[c] is the glyph as rendered, before any blur.
	sharp [][]float32
	// variants are template sets (like vec) for blurrier, bolder and
	// thinner print.
	variants [][][]float32
}

var (
	glyphOnce sync.Once
	glyphs    *glyphSet
	glyphErr  error
)

func loadGlyphs() (*glyphSet, error) {
	glyphOnce.Do(func() { glyphs, glyphErr = renderGlyphs() })
	return glyphs, glyphErr
}

func renderGlyphs() (*glyphSet, error) {
	f, err := opentype.Parse(ocrbFont)
	if err != nil {
		return nil, fmt.Errorf("mrz: parse OCR-B: %w", err)
	}
	var buf sfnt.Buffer
	const unitsPPEM = 1000
	ppem := fixed.I(unitsPPEM)
	gi, err := f.GlyphIndex(&buf, 'H')
	if err != nil {
		return nil, fmt.Errorf("mrz: OCR-B has no H: %w", err)
	}
	hb, adv, err := f.GlyphBounds(&buf, gi, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("mrz: OCR-B bounds: %w", err)
	}
	capUnits := float64(-hb.Min.Y) / 64
	size := capH * unitsPPEM / capUnits
	gs := &glyphSet{pitchRatio: float64(adv) / 64 / capUnits}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("mrz: OCR-B face: %w", err)
	}
	defer face.Close()
	gs.w = int(math.Round(gs.pitchRatio*capH)) + 2
	gs.h = int(math.Round(capH * 1.6))
	for i := 0; i < len(mrzChars); i++ {
		r := rune(mrzChars[i])
		b, _, ok := face.GlyphBounds(r)
		if !ok {
			return nil, fmt.Errorf("mrz: OCR-B lacks %q", r)
		}
		// Draw at 4× the cell so nothing clips, then cut the cell out.
		big := image.NewAlpha(image.Rect(0, 0, gs.w*4, gs.h*4))
		// Printers place each glyph in its fixed-pitch cell, so the
		// template centres the cell (the advance), not the ink: a '1'
		// sits left of centre, as on the document.
		adv, _ := face.GlyphAdvance(r)
		cx := float64(adv) / 128
		_ = b
		dot := fixed.Point26_6{
			X: fixed.Int26_6(math.Round((float64(gs.w*2) - cx) * 64)),
			Y: fixed.Int26_6(math.Round((float64(gs.h*2) + capH/2.0) * 64)),
		}
		d := font.Drawer{Dst: big, Src: image.Opaque, Face: face, Dot: dot}
		d.DrawString(string(r))
		cell := image.NewAlpha(image.Rect(0, 0, gs.w, gs.h))
		draw.Draw(cell, cell.Bounds(), big, image.Pt(gs.w*2-gs.w/2, gs.h*2-gs.h/2), draw.Src)
		ink := make([]float32, gs.w*gs.h)
		for j := range ink {
			ink[j] = float32(cell.Pix[j]) / 255
		}
		gs.sharp = append(gs.sharp, ink)
		ink = blur(ink, gs.w, gs.h)
		gs.ink = append(gs.ink, ink)
		gs.vec = append(gs.vec, normalise(ink))
	}
	// Variants for print that is blurred (small or out-of-focus photos),
	// bolder or thinner than the font.
	for _, weight := range []float32{0, 0.35, -0.3} {
		for _, sigma := range []float64{0.7, 1.2, 1.8, 2.5} {
			var set [][]float32
			for _, sh := range gs.sharp {
				v := make([]float32, len(sh))
				copy(v, sh)
				if weight != 0 {
					v = reweigh(gaussian(v, gs.w, gs.h, 0.8), weight)
				}
				set = append(set, normalise(gaussian(v, gs.w, gs.h, sigma)))
			}
			gs.variants = append(gs.variants, set)
		}
	}
	return gs, nil
}

// blur applies a small separable [1 2 1]/4 kernel, which makes the sharp
// rendering more like a printed and photographed glyph.
func blur(v []float32, w, h int) []float32 {
	tmp := make([]float32, len(v))
	out := make([]float32, len(v))
	at := func(s []float32, x, y int) float32 {
		x = max(0, min(w-1, x))
		y = max(0, min(h-1, y))
		return s[y*w+x]
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			tmp[y*w+x] = (at(v, x-1, y) + 2*at(v, x, y) + at(v, x+1, y)) / 4
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			out[y*w+x] = (at(tmp, x, y-1) + 2*at(tmp, x, y) + at(tmp, x, y+1)) / 4
		}
	}
	return out
}

// normalise returns v minus its mean, scaled to unit length.
func normalise(v []float32) []float32 {
	out := make([]float32, len(v))
	normaliseInto(out, v)
	return out
}

// normaliseInto writes v minus its mean, scaled to unit length, to out (which
// may be v itself).
func normaliseInto(out, v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(x)
	}
	mean := float32(sum / float64(len(v)))
	var ss float64
	for i, x := range v {
		out[i] = x - mean
		ss += float64(out[i] * out[i])
	}
	if ss == 0 {
		return
	}
	k := float32(1 / math.Sqrt(ss))
	for i := range out[:len(v)] {
		out[i] *= k
	}
}

// gaussian blurs v (w × h) with a separable Gaussian of deviation sigma.
func gaussian(v []float32, w, h int, sigma float64) []float32 {
	r := int(math.Ceil(2.5 * sigma))
	k := make([]float32, 2*r+1)
	var sum float32
	for i := -r; i <= r; i++ {
		k[i+r] = float32(math.Exp(-float64(i*i) / (2 * sigma * sigma)))
		sum += k[i+r]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float32, len(v))
	out := make([]float32, len(v))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float32
			for i := -r; i <= r; i++ {
				xx := max(0, min(w-1, x+i))
				s += k[i+r] * v[y*w+xx]
			}
			tmp[y*w+x] = s
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float32
			for i := -r; i <= r; i++ {
				yy := max(0, min(h-1, y+i))
				s += k[i+r] * tmp[yy*w+x]
			}
			out[y*w+x] = s
		}
	}
	return out
}

// reweigh makes blurred ink bolder (weight > 0: a lower threshold) or
// thinner (weight < 0: a higher one), keeping a soft edge.
func reweigh(v []float32, weight float32) []float32 {
	t := 0.5 - weight
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = max(0, min(1, (x-t)*3+0.5))
	}
	return out
}
