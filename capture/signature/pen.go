package signature

import "math"

// curve is one cubic Bézier from p1 to p2 with control points c1 and c2 and
// pen radii at its ends, in pad units.
type curve struct {
	x1, y1, cx1, cy1, cx2, cy2, x2, y2 float64
	w1, w2                             float64
}

// pen turns a stroke's points into curves, the way signature_pad does: it
// keeps the last points, draws a cubic Bézier between the middle two with
// control points from the neighbouring midpoints weighted by segment
// lengths, and sets the width from the filtered velocity.
type pen struct {
	opt          *Options
	pts          [4]Point
	n            int
	lastVelocity float64
	lastWidth    float64
}

func (p *pen) reset(o *Options) {
	*p = pen{opt: o, lastWidth: (o.MinWidth + o.MaxWidth) / 2}
}

// add takes the next point of the stroke and returns the curve it completes.
func (p *pen) add(pt Point) (curve, bool) {
	p.pts[p.n] = pt
	p.n++
	if p.n <= 2 {
		return curve{}, false
	}
	if p.n == 3 {
		// Duplicate the first point so the first curve starts at once.
		p.pts[3], p.pts[2], p.pts[1] = p.pts[2], p.pts[1], p.pts[0]
		p.n = 4
	}
	c := p.curve(p.lastWidthFor(p.pts[1], p.pts[2]))
	p.pts[0], p.pts[1], p.pts[2] = p.pts[1], p.pts[2], p.pts[3]
	p.n = 3
	return c, true
}

// flush draws the curve to the last point, which add holds back until it
// knows the point after it. The stroke tapers into the lift-off.
func (p *pen) flush() (curve, bool) {
	if p.n < 2 {
		return curve{}, false
	}
	last := p.pts[p.n-1]
	if p.n == 2 {
		p.pts[3], p.pts[2], p.pts[1] = last, last, p.pts[0]
	} else {
		p.pts[3] = last
	}
	p.n = 4
	w1, w2 := p.lastWidthFor(p.pts[1], p.pts[2])
	w2 = math.Max(p.opt.MinWidth, (w2+p.opt.MinWidth)/2)
	c := p.curve(w1, w2)
	p.n = 0
	return c, true
}

// lastWidthFor filters the velocity from a to b and returns the start and
// end widths of the curve between them.
func (p *pen) lastWidthFor(a, b Point) (float64, float64) {
	o := p.opt
	v := 0.0
	if dt := b.T - a.T; dt > 0 {
		v = math.Hypot(b.X-a.X, b.Y-a.Y) / float64(dt)
	}
	v = o.VelocityFilterWeight*v + (1-o.VelocityFilterWeight)*p.lastVelocity
	w := math.Max(o.MaxWidth/(v+1), o.MinWidth)
	start := p.lastWidth
	p.lastVelocity, p.lastWidth = v, w
	return start, w
}

// curve builds the Bézier from pts[1] to pts[2].
func (p *pen) curve(w1, w2 float64) curve {
	_, _, c2x, c2y := controlPoints(p.pts[0], p.pts[1], p.pts[2])
	c3x, c3y, _, _ := controlPoints(p.pts[1], p.pts[2], p.pts[3])
	return curve{
		x1: p.pts[1].X, y1: p.pts[1].Y, cx1: c2x, cy1: c2y, cx2: c3x, cy2: c3y,
		x2: p.pts[2].X, y2: p.pts[2].Y, w1: w1, w2: w2,
	}
}

// controlPoints returns the two control points at s2 for the curves on
// either side of it.
func controlPoints(s1, s2, s3 Point) (c1x, c1y, c2x, c2y float64) {
	dx1, dy1 := s1.X-s2.X, s1.Y-s2.Y
	dx2, dy2 := s2.X-s3.X, s2.Y-s3.Y
	m1x, m1y := (s1.X+s2.X)/2, (s1.Y+s2.Y)/2
	m2x, m2y := (s2.X+s3.X)/2, (s2.Y+s3.Y)/2
	l1 := math.Sqrt(dx1*dx1 + dy1*dy1)
	l2 := math.Sqrt(dx2*dx2 + dy2*dy2)
	k := 0.0
	if l1+l2 > 0 {
		k = l2 / (l1 + l2)
	}
	cmx, cmy := m2x+(m1x-m2x)*k, m2y+(m1y-m2y)*k
	tx, ty := s2.X-cmx, s2.Y-cmy
	return m1x + tx, m1y + ty, m2x + tx, m2y + ty
}

func (c *curve) at(t float64) (float64, float64) {
	u := 1 - t
	a, b, cc, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
	return a*c.x1 + b*c.cx1 + cc*c.cx2 + d*c.x2, a*c.y1 + b*c.cy1 + cc*c.cy2 + d*c.y2
}

// draw rasterises the curve as a chain of tapered capsules, the width eased
// along it with t³ as signature_pad does.
func (c *curve) draw(t *target) {
	r := math.Max(c.w1, c.w2)
	minX := math.Min(math.Min(c.x1, c.x2), math.Min(c.cx1, c.cx2))
	maxX := math.Max(math.Max(c.x1, c.x2), math.Max(c.cx1, c.cx2))
	minY := math.Min(math.Min(c.y1, c.y2), math.Min(c.cy1, c.cy2))
	maxY := math.Max(math.Max(c.y1, c.y2), math.Max(c.cy1, c.cy2))
	if !t.visible(minX, minY, maxX, maxY, r) {
		return
	}
	// The control polygon is at least as long as the curve.
	hull := math.Hypot(c.cx1-c.x1, c.cy1-c.y1) + math.Hypot(c.cx2-c.cx1, c.cy2-c.cy1) + math.Hypot(c.x2-c.cx2, c.y2-c.cy2)
	// Pieces of a wide pen may be longer: their ends are round anyway, and
	// it bounds the work for absurd widths from imported data.
	step := math.Max(pieceLen, r*t.scale/4)
	n := math.Ceil(hull * t.scale / step)
	if !(n >= 1) {
		n = 1
	}
	if n > maxPieces {
		n = maxPieces
	}
	steps := int(n)
	dw := c.w2 - c.w1
	px, py, pw := c.x1, c.y1, c.w1
	for i := 1; i <= steps && !t.stopped; i++ {
		tt := float64(i) / float64(steps)
		x, y := c.at(tt)
		w := c.w1 + tt*tt*tt*dw
		t.capsule(px, py, pw, x, y, w)
		px, py, pw = x, y, w
	}
}
