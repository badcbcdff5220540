package signature

import (
	"image"
	"image/draw"
	"math"
	"time"
)

// Point is one sample of the pen: a position in pad units and a time in
// milliseconds (from any fixed origin; only differences matter).
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	T int64   `json:"t"`
}

// MaxCoordinate is the largest |X| or |Y| a point may have. Input beyond it
// is clamped: no real pad is that big, and it keeps all arithmetic finite.
const MaxCoordinate = 1e6

// Options set how input is filtered and how wide the pen is. The zero value
// of each field means its default.
type Options struct {
	// MinDistance drops a point this close to the previous one (pad units,
	// default 5).
	MinDistance float64
	// MinInterval keeps at most one point per interval (default 16 ms).
	MinInterval time.Duration
	// MinWidth and MaxWidth are the pen's radii at high and at zero velocity
	// (pad units, defaults 0.5 and 2.5). Each stroke starts at their mean;
	// a tap's dot, a pen at rest, has MaxWidth.
	MinWidth, MaxWidth float64
	// VelocityFilterWeight is the weight of the newest velocity against the
	// previous filtered one (default 0.7).
	VelocityFilterWeight float64
}

// Default option values, from signature_pad.
const (
	DefaultMinDistance          = 5.0
	DefaultMinInterval          = 16 * time.Millisecond
	DefaultMinWidth             = 0.5
	DefaultMaxWidth             = 2.5
	DefaultVelocityFilterWeight = 0.7
)

func (o Options) withDefaults() Options {
	pos := func(v, def float64) float64 {
		if !finite(v) || v <= 0 {
			return def
		}
		return v
	}
	o.MinDistance = pos(o.MinDistance, DefaultMinDistance)
	if o.MinInterval <= 0 {
		o.MinInterval = DefaultMinInterval
	}
	o.MinWidth = math.Min(pos(o.MinWidth, DefaultMinWidth), 100)
	o.MaxWidth = math.Min(pos(o.MaxWidth, DefaultMaxWidth), 100)
	if o.MaxWidth < o.MinWidth {
		o.MaxWidth = o.MinWidth
	}
	if w := o.VelocityFilterWeight; !finite(w) || w <= 0 || w > 1 {
		o.VelocityFilterWeight = DefaultVelocityFilterWeight
	}
	return o
}

// Signature is the vector data of a signature: the pad size and the strokes
// drawn on it. It is not safe for concurrent use; the pad widget owns it on
// the UI goroutine.
type Signature struct {
	opt           Options
	width, height float64
	strokes       [][]Point
	drawing       bool // the last stroke is still being drawn
	pen           pen
}

// New returns an empty signature for a pad of the given size in pad units.
func New(width, height float64, opt Options) *Signature {
	s := &Signature{opt: opt.withDefaults()}
	s.SetSize(width, height)
	return s
}

// Options returns the options in force, defaults filled in.
func (s *Signature) Options() Options { return s.opt }

// SetPenWidths changes the pen's minimum and maximum radii (pad units; a
// value that is not positive keeps its default). It applies to curves drawn
// from now on; call Render to redraw the strokes with it.
func (s *Signature) SetPenWidths(minWidth, maxWidth float64) {
	o := s.opt
	o.MinWidth, o.MaxWidth = minWidth, maxWidth
	s.opt = o.withDefaults()
}

// SetSize records the pad's size in pad units. Strokes keep their
// coordinates; call Render to draw them at the new scale. Sizes that are not
// positive and finite are ignored.
func (s *Signature) SetSize(width, height float64) {
	if finite(width) && finite(height) && width > 0 && height > 0 {
		s.width, s.height = math.Min(width, MaxCoordinate), math.Min(height, MaxCoordinate)
	}
}

// Size returns the pad's size in pad units.
func (s *Signature) Size() (width, height float64) { return s.width, s.height }

// IsEmpty reports whether there is no ink at all.
func (s *Signature) IsEmpty() bool { return len(s.strokes) == 0 }

// Len returns the number of strokes, a dot counting as one.
func (s *Signature) Len() int { return len(s.strokes) }

// Drawing reports whether a stroke has begun and not yet ended.
func (s *Signature) Drawing() bool { return s.drawing }

// Strokes returns a copy of the strokes' points.
func (s *Signature) Strokes() [][]Point {
	out := make([][]Point, len(s.strokes))
	for i, st := range s.strokes {
		out[i] = append([]Point(nil), st...)
	}
	return out
}

func clampPoint(p Point) (Point, bool) {
	if !finite(p.X) || !finite(p.Y) {
		return p, false
	}
	p.X = math.Max(-MaxCoordinate, math.Min(MaxCoordinate, p.X))
	p.Y = math.Max(-MaxCoordinate, math.Min(MaxCoordinate, p.Y))
	return p, true
}

// BeginStroke starts a stroke at p and draws its starting dot into dst (nil
// draws nothing). A stroke still open is ended first. It returns the dirty
// rectangle of dst and false when p is not finite.
func (s *Signature) BeginStroke(p Point, dst *Surface) (image.Rectangle, bool) {
	var dirty image.Rectangle
	if s.drawing {
		dirty = s.EndStroke(dst)
	}
	p, ok := clampPoint(p)
	if !ok {
		return dirty, false
	}
	s.strokes = append(s.strokes, make([]Point, 0, 64))
	s.strokes[len(s.strokes)-1] = append(s.strokes[len(s.strokes)-1], p)
	s.drawing = true
	s.pen.reset(&s.opt)
	s.pen.add(p)
	if t, ok := dst.target(); ok {
		dot(&t, p, s.pen.lastWidth)
		dirty = dirty.Union(t.dirty)
	}
	return dirty, true
}

// AddPoint extends the stroke being drawn with p, unless p is too close to
// the last point in space or in time, and draws the curve it completes into
// dst (nil draws nothing). With no stroke open it begins one. It returns the
// dirty rectangle of dst and whether p was kept.
//
// The curve to the newest point is drawn when the next point arrives or the
// stroke ends, so each call draws at most one short curve.
func (s *Signature) AddPoint(p Point, dst *Surface) (image.Rectangle, bool) {
	return s.add(p, dst, false)
}

func (s *Signature) add(p Point, dst *Surface, final bool) (image.Rectangle, bool) {
	if !s.drawing {
		return s.BeginStroke(p, dst)
	}
	p, ok := clampPoint(p)
	if !ok {
		return image.Rectangle{}, false
	}
	st := s.strokes[len(s.strokes)-1]
	last := st[len(st)-1]
	if math.Hypot(p.X-last.X, p.Y-last.Y) <= s.opt.MinDistance {
		return image.Rectangle{}, false
	}
	if dt := p.T - last.T; !final && dt < s.opt.MinInterval.Milliseconds() {
		return image.Rectangle{}, false
	}
	if p.T < last.T {
		p.T = last.T // time never runs backwards within a stroke
	}
	s.strokes[len(s.strokes)-1] = append(st, p)
	c, ok := s.pen.add(p)
	if !ok {
		return image.Rectangle{}, true
	}
	t, ok := dst.target()
	if !ok {
		return image.Rectangle{}, true
	}
	c.draw(&t)
	return t.dirty, true
}

// EndStroke ends the stroke being drawn and draws its last curve into dst
// (nil draws nothing). It returns the dirty rectangle of dst.
func (s *Signature) EndStroke(dst *Surface) image.Rectangle {
	if !s.drawing {
		return image.Rectangle{}
	}
	s.drawing = false
	c, ok := s.pen.flush()
	t, drawn := dst.target()
	if !drawn {
		return image.Rectangle{}
	}
	if ok {
		c.draw(&t)
	} else if st := s.strokes[len(s.strokes)-1]; len(st) == 1 {
		tapDot(&t, st[0], &s.opt)
	}
	return t.dirty
}

// tapDot draws a tap: a pen at rest, so as wide as the pen gets.
func tapDot(t *target, p Point, o *Options) { dot(t, p, o.MaxWidth) }

// EndStrokeAt adds p as the stroke's last point, ignoring the time filter
// (the lift-off position always counts unless it is too close), and ends the
// stroke.
func (s *Signature) EndStrokeAt(p Point, dst *Surface) image.Rectangle {
	if !s.drawing {
		return image.Rectangle{}
	}
	d, _ := s.add(p, dst, true)
	return d.Union(s.EndStroke(dst))
}

// Undo removes the last stroke (ending it if it is being drawn) and reports
// whether there was one. Call Render to update a surface.
func (s *Signature) Undo() bool {
	if len(s.strokes) == 0 {
		return false
	}
	clear(s.strokes[len(s.strokes)-1])
	s.strokes = s.strokes[:len(s.strokes)-1]
	s.drawing = false
	return true
}

// Clear removes every stroke, overwriting the points in memory (a
// signature is personal data). Call Render (or clear the surface) to update
// a surface.
func (s *Signature) Clear() {
	for _, st := range s.strokes {
		clear(st)
	}
	clear(s.strokes)
	s.strokes = nil
	s.pen.pts = [4]Point{}
	s.drawing = false
}

// Render clears dst and draws every stroke into it again from the points,
// exactly as the incremental calls drew them.
func (s *Signature) Render(dst *Surface) {
	if dst == nil || dst.Image == nil {
		return
	}
	draw.Draw(dst.Image, dst.Image.Rect, image.Transparent, image.Point{}, draw.Src)
	t, ok := dst.target()
	if !ok {
		return
	}
	s.renderTo(&t)
}

func (s *Signature) renderTo(t *target) {
	var p pen
	for i, st := range s.strokes {
		if t.stopped {
			return
		}
		open := s.drawing && i == len(s.strokes)-1
		renderStroke(t, &p, &s.opt, st, !open)
	}
}

func renderStroke(t *target, p *pen, o *Options, st []Point, closed bool) {
	if len(st) == 0 {
		return
	}
	p.reset(o)
	for i, pt := range st {
		if t.stopped {
			return
		}
		if i == 0 {
			p.add(pt)
			dot(t, pt, p.lastWidth)
			continue
		}
		if c, ok := p.add(pt); ok {
			c.draw(t)
		}
	}
	if closed {
		if c, ok := p.flush(); ok {
			c.draw(t)
		} else if len(st) == 1 {
			tapDot(t, st[0], o)
		}
	}
}

func dot(t *target, p Point, r float64) {
	if t.visible(p.X, p.Y, p.X, p.Y, r) {
		t.capsule(p.X, p.Y, r, p.X, p.Y, r)
	}
}
