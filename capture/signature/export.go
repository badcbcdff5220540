package signature

import (
	"bytes"
	"context"
	"errors"
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

// MaxRenderWork bounds the work of one export, counted in the pixels the
// rasteriser would visit (each piece of a stroke visits its bounding box,
// clipped to the image, plus a fixed overhead). It is counted before
// anything is drawn, without drawing, and a signature above it is refused
// with a *CostError. Measured (TestExportCost): the importer's limits
// (1000 strokes of 100 points) with the default pen cost 5.7×10⁷ at 1200 px
// and 5.2×10⁸ at 4000 px (seconds of CPU); with a pen 100 units wide they
// cost 5.9×10¹⁰ at 4000 px, over ten minutes. A real signature costs a few
// million.
const MaxRenderWork = 600_000_000

// MaxExportPixels bounds the memory of an export: the coverage image is a
// byte a pixel and the trimmed ink four, so at most about 160 MB. A
// 1000×400 pad at MaxExportWidth is 8000×3200, 25.6 MP.
const MaxExportPixels = 32_000_000

// ErrTooCostly is wrapped by a *CostError and by the refusal of an export
// larger than MaxExportPixels.
var ErrTooCostly = errors.New("signature: too costly to render")

// CostError refuses an export whose rendering would cost more than
// MaxRenderWork. It says why without repeating the points.
type CostError struct {
	Width  int     // export width asked for, px
	Pen    float64 // the pen's largest radius at that width, px
	Pieces int     // number of strokes
}

func (e *CostError) Error() string {
	return fmt.Sprintf("signature: rendering %d strokes at %d px with a pen up to %.0f px wide is too costly "+
		"(more than %d million pixel visits); export it narrower or with a thinner pen",
		e.Pieces, e.Width, 2*e.Pen, MaxRenderWork/1_000_000)
}

// Is makes errors.Is(err, ErrTooCostly) hold.
func (e *CostError) Is(target error) bool { return target == ErrTooCostly }

// renderWork counts what rendering onto a w×h image at scale would cost,
// stopping once the count passes budget (over) or done is closed.
func (s *Signature) renderWork(done <-chan struct{}, scale float64, w, h int, budget float64) (work float64, over bool) {
	t := target{rect: image.Rect(0, 0, w, h), bpp: 1, scale: scale, counting: true, budget: budget, done: done}
	s.renderTo(&t)
	return t.work, t.work > budget
}

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
	return s.ImageContext(context.Background(), opt)
}

// ImageContext is Image, stopping with ctx's error within a few
// milliseconds of ctx being done. A signature too costly to draw at the
// export width is a *CostError, returned before any drawing.
func (s *Signature) ImageContext(ctx context.Context, opt ExportOptions) (*image.NRGBA, error) {
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
	if opt.Width*h > MaxExportPixels {
		return nil, fmt.Errorf("%w: an export of %d×%d px is larger than %d MP; export it narrower",
			ErrTooCostly, opt.Width, h, MaxExportPixels/1_000_000)
	}
	if _, over := s.renderWork(ctx.Done(), scale, opt.Width, h, MaxRenderWork); over {
		return nil, &CostError{Width: opt.Width, Pen: s.opt.MaxWidth * scale, Pieces: len(s.strokes)}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cov := image.NewAlpha(image.Rect(0, 0, opt.Width, h))
	t := alphaTarget(cov, image.Point{}, scale)
	t.done = ctx.Done()
	s.renderTo(&t)
	if t.stopped {
		return nil, ctx.Err()
	}
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
	return s.PNGContext(context.Background(), opt)
}

// PNGContext is PNG with ImageContext's cancellation and cost limit.
func (s *Signature) PNGContext(ctx context.Context, opt ExportOptions) ([]byte, error) {
	m, err := s.ImageContext(ctx, opt)
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
