package idscan

import (
	"image"
	"math"
)

// Point is a position in continuous pixel coordinates: (0,0) is the top-left
// corner of the top-left pixel, (0.5,0.5) its centre.
type Point struct{ X, Y float64 }

// Quad is a card outline: top-left, top-right, bottom-right, bottom-left.
type Quad [4]Point

// QuadFromRect returns r's outline.
func QuadFromRect(r image.Rectangle) Quad {
	x0, y0, x1, y1 := float64(r.Min.X), float64(r.Min.Y), float64(r.Max.X), float64(r.Max.Y)
	return Quad{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

// Scale returns q with x multiplied by sx and y by sy, as when a preview
// frame's outline is carried over to the full-resolution frame.
func (q Quad) Scale(sx, sy float64) Quad {
	for i := range q {
		q[i].X *= sx
		q[i].Y *= sy
	}
	return q
}

// Area is the quad's area (shoelace formula), positive for the corner order
// above.
func (q Quad) Area() float64 {
	var s float64
	for i := range q {
		j := (i + 1) % 4
		s += q[i].X*q[j].Y - q[j].X*q[i].Y
	}
	return s / 2
}

// Bounds is the smallest integer rectangle holding q.
func (q Quad) Bounds() image.Rectangle {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range q {
		x0, y0 = math.Min(x0, p.X), math.Min(y0, p.Y)
		x1, y1 = math.Max(x1, p.X), math.Max(y1, p.Y)
	}
	return image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1)))
}

// valid says whether q is a finite, convex quad in clockwise order (in image
// coordinates, y down) with some area.
func (q Quad) valid() bool {
	for _, p := range q {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
			return false
		}
	}
	for i := range q {
		a, b, c := q[i], q[(i+1)%4], q[(i+2)%4]
		if (b.X-a.X)*(c.Y-b.Y)-(b.Y-a.Y)*(c.X-b.X) <= 0 {
			return false
		}
	}
	return q.Area() >= 1
}

// sides returns the mean lengths of the top/bottom and left/right sides.
func (q Quad) sides() (w, h float64) {
	d := func(a, b Point) float64 { return math.Hypot(b.X-a.X, b.Y-a.Y) }
	return (d(q[0], q[1]) + d(q[3], q[2])) / 2, (d(q[0], q[3]) + d(q[1], q[2])) / 2
}

// inner is the largest axis-aligned integer rectangle inside q, inset by n.
func (q Quad) inner(n int) image.Rectangle {
	x0 := math.Max(q[0].X, q[3].X)
	x1 := math.Min(q[1].X, q[2].X)
	y0 := math.Max(q[0].Y, q[1].Y)
	y1 := math.Min(q[3].Y, q[2].Y)
	return image.Rect(int(math.Ceil(x0)), int(math.Ceil(y0)), int(math.Floor(x1)), int(math.Floor(y1))).Inset(n)
}

// line is s = a + b·t: for the top and bottom sides t is x and s is y; for
// the left and right sides t is y and s is x.
type line struct{ a, b float64 }

// scanBuf holds findCard's scratch space between frames.
type scanBuf struct {
	g      []float64
	pts    []Point
	starts []int
}

// Tuning of the edge search, in shares of the guide frame's size.
const (
	scanLines   = 64   // scanlines per side
	scanSpan    = 0.8  // the middle part of each side that is scanned
	scanInward  = 0.4  // how far inside the guide an edge may lie
	scanOutward = 0.12 // how far outside
	minInliers  = 0.5  // share of scanlines that must agree on a line
	lineTol     = 1.5  // pixels (analysis width) from the line for an inlier
	maxCands    = 4    // edges kept per scanline
	maxSlope    = 0.4  // about 22°
)

// findCard looks for the card's four edges around the guide frame ag in the
// analysis plane a and returns their intersections.
func findCard(a *gray, ag rectF, minEdge float64, sb *scanBuf) (Quad, bool) {
	if q, ok := findCardIn(a, ag, ag, minEdge, sb); ok {
		return q, true
	}
	// A card held far away: look again around the middle half of the guide.
	cx, cy, hw, hh := (ag.x0+ag.x1)/2, (ag.y0+ag.y1)/2, ag.w()/4, ag.h()/4
	q, ok := findCardIn(a, rectF{cx - hw, cy - hh, cx + hw, cy + hh}, ag, minEdge, sb)
	if !ok {
		return Quad{}, false
	}
	// A card held too close fills the guide with its own print, and a box
	// on it (the photo, a text block) looks like a small card. A small card
	// lies on a background much calmer than its print.
	b := q.Bounds()
	in := b.Inset(max(2, b.Dx()/8))
	dx, dy := b.Dx()/5, b.Dy()/5
	out := image.Rect(b.Min.X-dx, b.Min.Y-dy, b.Max.X+dx, b.Max.Y+dy)
	inE, _ := activity(a, in, image.Rectangle{})
	outE, n := activity(a, out, b.Inset(-2))
	if n == 0 || outE > 0.35*inE {
		return Quad{}, false
	}
	return q, true
}

// activity is the mean absolute 4-neighbour Laplacian over r minus hole,
// and the number of pixels counted.
func activity(a *gray, r, hole image.Rectangle) (float64, int) {
	r = r.Intersect(image.Rect(1, 1, a.w-1, a.h-1))
	var sum, n int
	w := a.w
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if image.Pt(x, y).In(hole) {
				x = max(x, hole.Max.X-1)
				continue
			}
			i := y*w + x
			l := int(a.pix[i-w]) + int(a.pix[i+w]) + int(a.pix[i-1]) + int(a.pix[i+1]) - 4*int(a.pix[i])
			sum += max(l, -l)
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(sum) / float64(n), n
}

// findCardIn looks for the edges around the search frame sf; the result is
// judged against the guide frame ag.
func findCardIn(a *gray, sf, ag rectF, minEdge float64, sb *scanBuf) (Quad, bool) {
	var ls [4]line // top, right, bottom, left
	for side := range 4 {
		l, ok := findEdge(a, sf, side, minEdge, sb)
		if !ok {
			return Quad{}, false
		}
		ls[side] = l
	}
	cross := func(h, v line) Point {
		// h: y = a + b x; v: x = a + b y.
		d := 1 - v.b*h.b
		x := (v.a + v.b*h.a) / d
		return Point{x, h.a + h.b*x}
	}
	q := Quad{cross(ls[0], ls[3]), cross(ls[0], ls[1]), cross(ls[2], ls[1]), cross(ls[2], ls[3])}
	if !q.valid() {
		return Quad{}, false
	}
	w, h := q.sides()
	if r := w / h; r < 1.15 || r > 2.1 {
		return Quad{}, false
	}
	if q.Area() < 0.05*ag.w()*ag.h() {
		return Quad{}, false
	}
	return q, true
}

// findEdge scans across one side of the guide (0 top, 1 right, 2 bottom, 3
// left) from the outside in, keeps the first few luma steps on each
// scanline and fits the outermost line most scanlines agree on. Outermost,
// not strongest: a card's coloured header band can be as dark as the desk,
// so that the band's lower edge is stronger than the card's own.
func findEdge(a *gray, ag rectF, side int, minEdge float64, sb *scanBuf) (line, bool) {
	horiz := side == 0 || side == 2 // the edge runs along x
	var t0, t1, edge, depth float64
	if horiz {
		t0, t1, depth = ag.x0, ag.x1, ag.h()
		edge = ag.y0
		if side == 2 {
			edge = ag.y1
		}
	} else {
		t0, t1, depth = ag.y0, ag.y1, ag.w()
		edge = ag.x1
		if side == 3 {
			edge = ag.x0
		}
	}
	// Along the scan: from outer to inner, step dir.
	dir := 1
	if side == 1 || side == 2 {
		dir = -1
	}
	sMax := a.h - 2
	tMax := a.w - 2
	if !horiz {
		sMax, tMax = a.w-2, a.h-2
	}
	outer := int(math.Round(edge - float64(dir)*scanOutward*depth))
	inner := int(math.Round(edge + float64(dir)*scanInward*depth))
	clampI := func(v, lo, hi int) int { return max(lo, min(hi, v)) }
	outer, inner = clampI(outer, 1, sMax), clampI(inner, 1, sMax)
	n := (inner-outer)*dir + 1
	if n < 4 {
		return line{}, false
	}
	if cap(sb.g) < n {
		sb.g = make([]float64, n)
	}
	g := sb.g[:n]
	pts := sb.pts[:0]
	starts := sb.starts[:0]
	span := (t1 - t0) * scanSpan
	start := t0 + (t1-t0-span)/2
	thr := 3 * minEdge // three scanlines are summed
	w := a.w
	for k := range scanLines {
		starts = append(starts, len(pts))
		t := clampI(int(start+span*(float64(k)+0.5)/scanLines), 1, tMax)
		// Gradient along the scan, summed over three neighbouring lines.
		for i := range n {
			s := outer + i*dir
			var d int
			if horiz {
				r0, r1 := (s-1)*w, (s+1)*w
				d = int(a.pix[r1+t-1]) + int(a.pix[r1+t]) + int(a.pix[r1+t+1]) -
					int(a.pix[r0+t-1]) - int(a.pix[r0+t]) - int(a.pix[r0+t+1])
			} else {
				r0, r1, r2 := (t-1)*w, t*w, (t+1)*w
				d = int(a.pix[r0+s+1]) + int(a.pix[r1+s+1]) + int(a.pix[r2+s+1]) -
					int(a.pix[r0+s-1]) - int(a.pix[r1+s-1]) - int(a.pix[r2+s-1])
			}
			g[i] = math.Abs(float64(d))
		}
		found := 0
		for i := 1; i+1 < n && found < maxCands; i++ {
			c := g[i]
			if c < thr || c < g[i-1] || c <= g[i+1] {
				continue
			}
			off := 0.0
			if den := g[i-1] - 2*c + g[i+1]; den < 0 {
				off = 0.5 * (g[i-1] - g[i+1]) / den
			}
			s := float64(outer) + (float64(i)+off)*float64(dir) + 0.5
			pts = append(pts, Point{float64(t) + 0.5, s})
			found++
		}
	}
	starts = append(starts, len(pts))
	sb.pts, sb.starts = pts, starts
	need := int(math.Ceil(minInliers * scanLines))
	// Depth of a line from the outer end of the scan, at the middle of the
	// side.
	mid := start + span/2
	depthOf := func(l line) float64 { return (l.a + l.b*mid - float64(outer)) * float64(dir) }
	best, bestN, bestD := line{}, 0, math.Inf(1)
	half := scanLines / 2
	for k := 0; k < half; k += 2 {
		for _, p := range pts[starts[k]:starts[k+1]] {
			for _, q := range pts[starts[k+half]:starts[k+half+1]] {
				b := (q.Y - p.Y) / (q.X - p.X)
				if math.Abs(b) > maxSlope {
					continue
				}
				l := line{p.Y - b*p.X, b}
				c := countNear(pts, l, lineTol)
				if c < need {
					continue
				}
				d := depthOf(l)
				if d < bestD-2*lineTol || (d < bestD+2*lineTol && c > bestN) {
					best, bestN, bestD = l, c, d
				}
			}
		}
	}
	if bestN == 0 {
		return line{}, false
	}
	l, cnt := refine(pts, best)
	if cnt < need || math.Abs(l.b) > maxSlope {
		return line{}, false
	}
	return l, true
}

// refine fits s = a + b·t (X is t, Y is s) by least squares over the points
// near l, twice, and checks that the inliers cover most of the side.
func refine(pts []Point, best line) (line, int) {
	for range 2 {
		var st, ss, stt, sts, k float64
		for _, p := range pts {
			if math.Abs(p.Y-(best.a+best.b*p.X)) <= lineTol {
				st += p.X
				ss += p.Y
				stt += p.X * p.X
				sts += p.X * p.Y
				k++
			}
		}
		den := k*stt - st*st
		if k < 2 || den == 0 {
			break
		}
		b := (k*sts - st*ss) / den
		best = line{(ss - b*st) / k, b}
	}
	// Guard against a line fitted to a few stray points: the inliers' spread
	// along the side must cover most of the scanned span.
	first, last, cnt := math.Inf(1), math.Inf(-1), 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		lo, hi = math.Min(lo, p.X), math.Max(hi, p.X)
		if math.Abs(p.Y-(best.a+best.b*p.X)) <= lineTol {
			first, last = math.Min(first, p.X), math.Max(last, p.X)
			cnt++
		}
	}
	if cnt < 2 || last-first < 0.4*(hi-lo) {
		return best, 0
	}
	return best, cnt
}

func countNear(pts []Point, l line, tol float64) int {
	c := 0
	for _, p := range pts {
		if math.Abs(p.Y-(l.a+l.b*p.X)) <= tol {
			c++
		}
	}
	return c
}
