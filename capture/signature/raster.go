package signature

import (
	"image"
	"image/color"
	"math"
)

// Surface is a caller-owned image the signature draws into. The pad's
// top-left corner maps to Image.Bounds().Min; Scale is pixels per pad unit.
// Drawing is clipped to Image.Bounds().
//
// Ink is written in Color with the pixel's alpha set to the ink's coverage
// (premultiplied, as *image.RGBA requires); a pixel keeps the larger of its
// old and new coverage, so the surface should hold nothing but this ink on a
// transparent background. Put baselines and backgrounds in other layers.
type Surface struct {
	Image *image.RGBA
	Scale float64
	Color color.NRGBA
}

// target is what the rasteriser writes: one coverage byte per pixel (an
// *image.Alpha) or premultiplied RGBA ink.
type target struct {
	pix    []uint8
	stride int
	rect   image.Rectangle // clip rectangle, in image coordinates
	origin image.Point     // image coordinates of pad (0,0)
	bpp    int             // 1 (alpha) or 4 (RGBA)
	scale  float64
	ink    [3]uint32 // non-premultiplied ink colour, for bpp 4
	inkA   uint32    // ink alpha
	dirty  image.Rectangle

	// done, when not nil, is checked before each capsule; once it is
	// closed nothing more is drawn and stopped is set.
	done    <-chan struct{}
	stopped bool
	// counting makes capsules add what they would cost to work instead of
	// drawing; past budget the count stops (see Signature.renderWork).
	counting bool
	work     float64
	budget   float64
}

// capsuleOverhead is the cost of one capsule before its pixels, in pixel
// visits: the clipping and setup a capsule costs even when it draws nothing.
const capsuleOverhead = 64

// halt reports whether drawing must stop: the render's context is done.
func (t *target) halt() bool {
	if t.stopped {
		return true
	}
	if t.done == nil {
		return false
	}
	select {
	case <-t.done:
		t.stopped = true
		return true
	default:
		return false
	}
}

func (s *Surface) target() (target, bool) {
	if s == nil || s.Image == nil || !finite(s.Scale) || s.Scale <= 0 || s.Image.Rect.Empty() {
		return target{}, false
	}
	return target{
		pix: s.Image.Pix, stride: s.Image.Stride, rect: s.Image.Rect, origin: s.Image.Rect.Min,
		bpp: 4, scale: s.Scale,
		ink:  [3]uint32{uint32(s.Color.R), uint32(s.Color.G), uint32(s.Color.B)},
		inkA: uint32(s.Color.A),
	}, true
}

func alphaTarget(m *image.Alpha, origin image.Point, scale float64) target {
	return target{pix: m.Pix, stride: m.Stride, rect: m.Rect, origin: origin, bpp: 1, scale: scale}
}

// maxPieces bounds the work for one curve whatever its length: a curve longer
// than this many pieces is far bigger than any pad and only comes from junk
// input.
const maxPieces = 4096

// pieceLen is the length in pixels of the straight pieces a curve is cut
// into. At 2 px the chord error against the Bézier is a few hundredths of a
// pixel for any radius of curvature a hand can draw.
const pieceLen = 2.0

// capsule draws a tapered capsule (two circles and their common tangents)
// from a with radius ra to b with radius rb; coordinates and radii are in pad
// units.
func (t *target) capsule(ax, ay, ra, bx, by, rb float64) {
	if t.halt() {
		return
	}
	if t.counting {
		t.work += capsuleOverhead
		if t.work > t.budget {
			t.stopped = true
			return
		}
	}
	s := t.scale
	ox, oy := float64(t.origin.X), float64(t.origin.Y)
	ax, ay, bx, by = ax*s+ox, ay*s+oy, bx*s+ox, by*s+oy
	ra, rb = ra*s, rb*s
	if !(finite(ax) && finite(ay) && finite(bx) && finite(by) && finite(ra) && finite(rb)) {
		return
	}
	ra, rb = math.Max(ra, 0), math.Max(rb, 0)
	r := math.Max(ra, rb) + 1
	x0 := math.Floor(math.Min(ax, bx) - r)
	y0 := math.Floor(math.Min(ay, by) - r)
	x1 := math.Ceil(math.Max(ax, bx) + r)
	y1 := math.Ceil(math.Max(ay, by) + r)
	// Clip in float first: huge values must not overflow int conversion.
	c := t.rect
	if x1 <= float64(c.Min.X) || y1 <= float64(c.Min.Y) || x0 >= float64(c.Max.X) || y0 >= float64(c.Max.Y) {
		return
	}
	bb := image.Rect(int(math.Max(x0, float64(c.Min.X))), int(math.Max(y0, float64(c.Min.Y))),
		int(math.Min(x1, float64(c.Max.X))), int(math.Min(y1, float64(c.Max.Y))))
	if bb.Empty() {
		return
	}
	if t.counting {
		t.work += float64(bb.Dx()) * float64(bb.Dy())
		t.stopped = t.work > t.budget
		return
	}

	// Signed distance to an uneven capsule (after Inigo Quilez), with the
	// segment as the local y axis.
	dx, dy := bx-ax, by-ay
	h := dx*dx + dy*dy
	db := ra - rb
	degenerate := h <= db*db || h < 1e-12
	var cx, cy, inv float64
	if !degenerate {
		cx, cy = math.Sqrt(h-db*db), db
		inv = 1 / h
	}
	for y := bb.Min.Y; y < bb.Max.Y; y++ {
		py := float64(y) + 0.5 - ay
		row := (y-c.Min.Y)*t.stride + (bb.Min.X-c.Min.X)*t.bpp
		for x := bb.Min.X; x < bb.Max.X; x, row = x+1, row+t.bpp {
			ai := row + t.bpp - 1 // alpha byte
			if t.pix[ai] == 255 {
				continue
			}
			px := float64(x) + 0.5 - ax
			var d float64
			if degenerate {
				d = math.Hypot(px, py) - ra
				if d2 := math.Hypot(px-dx, py-dy) - rb; d2 < d {
					d = d2
				}
			} else {
				qx := math.Abs(px*dy-py*dx) * inv
				qy := (px*dx + py*dy) * inv
				k := cx*qy - cy*qx
				switch {
				case k < 0:
					d = math.Sqrt(h*(qx*qx+qy*qy)) - ra
				case k > cx:
					d = math.Sqrt(h*(qx*qx+qy*qy+1-2*qy)) - rb
				default:
					d = cx*qx + cy*qy - ra
				}
			}
			cov := 0.5 - d
			if cov <= 0 {
				continue
			}
			a := uint32(255)
			if cov < 1 {
				a = uint32(cov*255 + 0.5)
			}
			if t.bpp == 4 {
				a = (a*t.inkA + 127) / 255
			}
			if a <= uint32(t.pix[ai]) {
				continue
			}
			if t.bpp == 4 {
				t.pix[row] = uint8((t.ink[0]*a + 127) / 255)
				t.pix[row+1] = uint8((t.ink[1]*a + 127) / 255)
				t.pix[row+2] = uint8((t.ink[2]*a + 127) / 255)
			}
			t.pix[ai] = uint8(a)
		}
	}
	t.dirty = t.dirty.Union(bb)
}

// visible reports whether a box in pad units, grown by pad radius r, can
// touch the clip rectangle.
func (t *target) visible(minX, minY, maxX, maxY, r float64) bool {
	s := t.scale
	ox, oy := float64(t.origin.X), float64(t.origin.Y)
	x0, y0 := (minX-r)*s+ox-1, (minY-r)*s+oy-1
	x1, y1 := (maxX+r)*s+ox+1, (maxY+r)*s+oy+1
	c := t.rect
	return x1 > float64(c.Min.X) && y1 > float64(c.Min.Y) && x0 < float64(c.Max.X) && y0 < float64(c.Max.Y)
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
