package mrz

import (
	"math"
	"sort"
)

// chain is a run of components that read as one line of text.
type chain struct {
	comps []comp
	// line fit y = a + b·x through the component centres
	a, b   float64
	x0, x1 float64 // horizontal extent
	h      float64 // letter height
}

func (c *chain) yAt(x float64) float64 { return c.a + c.b*x }

// fit computes the line, extent and letter height of c.
func (c *chain) fit() {
	var sx, sy, sxx, sxy, n float64
	hs := make([]float64, 0, len(c.comps))
	c.x0, c.x1 = math.Inf(1), math.Inf(-1)
	for _, p := range c.comps {
		sx += p.cx
		sy += p.cy
		sxx += p.cx * p.cx
		sxy += p.cx * p.cy
		n++
		hs = append(hs, float64(p.h()))
		c.x0 = math.Min(c.x0, float64(p.x0))
		c.x1 = math.Max(c.x1, float64(p.x1))
	}
	den := n*sxx - sx*sx
	if den != 0 {
		c.b = (n*sxy - sx*sy) / den
	}
	c.a = (sy - c.b*sx) / n
	sort.Float64s(hs)
	c.h = hs[len(hs)*3/4] / math.Sqrt(1+c.b*c.b) // letters, not fillers; undo skew growth roughly
}

// findChains links components into text lines running left to right.
func findChains(comps []comp, maxH int) []*chain {
	var cs []comp
	for _, c := range comps {
		h, w := c.h(), c.w()
		if h < 4 || h > maxH || c.n < 6 {
			continue
		}
		if float64(c.n) < 0.08*float64(w*h) {
			continue // thin frames and lines
		}
		if w > 4*h {
			continue // an edge or a rule, not letters (a few touching ones are narrower)
		}
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].x0 < cs[j].x0 })
	type edge struct {
		a, b int
		gap  float64
	}
	var edges []edge
	for i := range cs {
		a := &cs[i]
		ha := float64(a.h())
		for j := i + 1; j < len(cs); j++ {
			b := &cs[j]
			hb := float64(b.h())
			hm := math.Max(ha, hb)
			if float64(b.x0) > float64(a.x1)+1.6*hm {
				if float64(b.x0) > float64(a.x1)+4*float64(maxH) {
					break
				}
				continue
			}
			if b.cx <= a.cx || float64(b.x0) < float64(a.x1)-0.35*hm {
				continue
			}
			if ha > 3*hb || hb > 3*ha {
				continue
			}
			ov := math.Min(float64(a.y1), float64(b.y1)) - math.Max(float64(a.y0), float64(b.y0))
			if ov < 0.45*math.Min(ha, hb) {
				continue
			}
			edges = append(edges, edge{i, j, float64(b.x0 - a.x1)})
		}
	}
	sort.Slice(edges, func(i, j int) bool { return edges[i].gap < edges[j].gap })
	next := make([]int, len(cs))
	prev := make([]int, len(cs))
	for i := range next {
		next[i], prev[i] = -1, -1
	}
	for _, e := range edges {
		if next[e.a] < 0 && prev[e.b] < 0 {
			next[e.a], prev[e.b] = e.b, e.a
		}
	}
	var out []*chain
	for i := range cs {
		if prev[i] >= 0 {
			continue
		}
		ch := &chain{}
		for k := i; k >= 0; k = next[k] {
			ch.comps = append(ch.comps, cs[k])
		}
		if len(ch.comps) >= 3 {
			ch.fit()
			out = append(out, ch)
		}
	}
	return mergeChains(out)
}

// mergeChains joins collinear chains that a gap (a faint or missing
// character) split.
func mergeChains(cs []*chain) []*chain {
	sort.Slice(cs, func(i, j int) bool { return cs[i].x0 < cs[j].x0 })
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(cs) && !merged; i++ {
			for j := 0; j < len(cs); j++ {
				a, b := cs[i], cs[j]
				if i == j || b.x0 < a.x1-0.5*a.h {
					continue
				}
				if b.x0-a.x1 > 3.5*math.Max(a.h, b.h) {
					continue
				}
				if a.h > 1.5*b.h || b.h > 1.5*a.h {
					continue
				}
				if math.Abs(a.yAt(b.x0)-b.yAt(b.x0)) > 0.4*a.h || math.Abs(a.yAt(a.x1)-b.yAt(a.x1)) > 0.4*a.h {
					continue
				}
				a.comps = append(a.comps, b.comps...)
				a.fit()
				cs = append(cs[:j], cs[j+1:]...)
				merged = true
				break
			}
		}
	}
	return cs
}

// group is a candidate zone: two or three parallel text lines, top first.
type group struct {
	lines []*chain
	score float64
}

// findGroups picks the long lines and stacks them into candidate zones.
func findGroups(cs []*chain) []group {
	var long []*chain
	for _, c := range cs {
		if len(c.comps) >= 8 && (c.x1-c.x0) >= 16*c.h && (c.x1-c.x0) <= 70*c.h {
			long = append(long, c)
		}
	}
	mid := func(c *chain) float64 { return c.yAt((c.x0 + c.x1) / 2) }
	sort.Slice(long, func(i, j int) bool { return mid(long[i]) < mid(long[j]) })
	fits := func(a, b *chain) bool {
		if math.Abs(a.b-b.b) > 0.05 {
			return false
		}
		h := math.Max(a.h, b.h)
		if a.h > 1.4*b.h || b.h > 1.4*a.h {
			return false
		}
		x := (math.Max(a.x0, b.x0) + math.Min(a.x1, b.x1)) / 2
		d := (b.yAt(x) - a.yAt(x)) / math.Sqrt(1+a.b*a.b)
		if d < 1.1*h || d > 3.2*h {
			return false
		}
		ov := math.Min(a.x1, b.x1) - math.Max(a.x0, b.x0)
		return ov > 0.6*math.Max(a.x1-a.x0, b.x1-b.x0)
	}
	var out []group
	for i := range long {
		for j := i + 1; j < len(long); j++ {
			if !fits(long[i], long[j]) {
				continue
			}
			g := group{lines: []*chain{long[i], long[j]}}
			for k := j + 1; k < len(long); k++ {
				if fits(long[j], long[k]) {
					out = append(out, group{lines: []*chain{long[i], long[j], long[k]}})
				}
			}
			out = append(out, g)
		}
	}
	for i := range out {
		var n float64
		for _, l := range out[i].lines {
			n += float64(len(l.comps))
		}
		out[i].score = n
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}
