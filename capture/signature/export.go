package signature

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"math"
)

// ExportOptions set how the PNG for the booking API is made. The zero value
// of each field means its default.
type ExportOptions struct {
	// Width is the width in pixels the whole pad is rendered at before the
	// image is trimmed to the ink (default 1200, at most MaxExportWidth).
	Width int
	// Margin is the transparent border kept around the ink, in pixels
	// (default 12).
	Margin int
	// Color is the ink (default opaque black).
	Color color.NRGBA
}

// Export defaults and limits.
const (
	DefaultExportWidth = 1200
	DefaultMargin      = 12
	MaxExportWidth     = 8000
)

func (o ExportOptions) withDefaults() (ExportOptions, error) {
	if o.Width == 0 {
		o.Width = DefaultExportWidth
	}
	if o.Width < 1 || o.Width > MaxExportWidth {
		return o, fmt.Errorf("signature: export width %d outside 1–%d px", o.Width, MaxExportWidth)
	}
	if o.Margin == 0 {
		o.Margin = DefaultMargin
	}
	if o.Margin < 0 || o.Margin > 1000 {
		return o, fmt.Errorf("signature: export margin %d outside 0–1000 px", o.Margin)
	}
	if o.Color == (color.NRGBA{}) {
		o.Color = color.NRGBA{A: 0xff}
	}
	return o, nil
}

// Image re-renders the signature from its points at the export width and
// returns it trimmed to the ink plus the margin, on a transparent
// background. An empty signature (or one with no ink on the pad) is an
// *InkError with ReasonEmpty.
func (s *Signature) Image(opt ExportOptions) (*image.NRGBA, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(s.strokes) == 0 || s.width <= 0 {
		return nil, &InkError{Reason: ReasonEmpty}
	}
	scale := float64(opt.Width) / s.width
	h := int(math.Ceil(s.height * scale))
	if h < 1 || h > MaxExportWidth {
		return nil, fmt.Errorf("signature: pad of %gx%g units gives an export height of %d px", s.width, s.height, h)
	}
	cov := image.NewAlpha(image.Rect(0, 0, opt.Width, h))
	t := alphaTarget(cov, image.Point{}, scale)
	s.renderTo(&t)
	ink := trim(cov)
	if ink.Empty() {
		return nil, &InkError{Reason: ReasonEmpty}
	}
	m := opt.Margin
	out := image.NewNRGBA(image.Rect(0, 0, ink.Dx()+2*m, ink.Dy()+2*m))
	c := opt.Color
	for y := ink.Min.Y; y < ink.Max.Y; y++ {
		src := cov.Pix[cov.PixOffset(ink.Min.X, y):cov.PixOffset(ink.Max.X, y)]
		o := out.PixOffset(m, y-ink.Min.Y+m)
		for i, a := range src {
			if a == 0 {
				continue
			}
			p := out.Pix[o+4*i : o+4*i+4 : o+4*i+4]
			p[0], p[1], p[2] = c.R, c.G, c.B
			p[3] = uint8((uint32(a)*uint32(c.A) + 127) / 255)
		}
	}
	return out, nil
}

// trim returns the bounds of the non-transparent pixels.
func trim(m *image.Alpha) image.Rectangle {
	b := m.Rect
	x0, y0, x1, y1 := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := m.Pix[m.PixOffset(b.Min.X, y):m.PixOffset(b.Max.X, y)]
		first := -1
		for i, a := range row {
			if a != 0 {
				first = i
				break
			}
		}
		if first < 0 {
			continue
		}
		last := len(row) - 1
		for row[last] == 0 {
			last--
		}
		x0, x1 = min(x0, b.Min.X+first), max(x1, b.Min.X+last+1)
		y0, y1 = min(y0, y), y+1
	}
	return image.Rect(x0, y0, x1, y1).Intersect(b)
}

// PNG returns the signature as an 8-bit RGBA PNG with a transparent
// background, re-rendered from the points (see Image). The same points and
// options always give the same bytes.
func (s *Signature) PNG(opt ExportOptions) ([]byte, error) {
	m, err := s.Image(opt)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := writePNG(&buf, m); err != nil {
		return nil, fmt.Errorf("signature: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// Base64PNG returns PNG's bytes in standard base64, without a "data:"
// prefix, as the booking API's save-signature call takes them.
func (s *Signature) Base64PNG(opt ExportOptions) (string, error) {
	b, err := s.PNG(opt)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}
