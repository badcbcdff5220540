package mrz

import (
	"math"
	"math/cmplx"
	"sort"
	"strings"
)

// cell is where one character sits in the original image and how large it
// is: original-image pixels per template pixel. (ax, ay) is the unit
// direction of its line there and (vx, vy) the direction of its upright
// strokes, scaled so that its component across the line is 1: perspective
// and a turned card slant the characters against their line.
type cell struct {
	x, y, scale    float64
	ax, ay, vx, vy float64
}

// zoneGeom is where the characters of one candidate zone sit.
type zoneGeom struct {
	n      int     // characters per line
	ux, uy float64 // unit vector along the lines
	cells  [][]cell
	// shear is the characters' slant against the normal of their line
	// as a straight function of the column, from the columns' alignment.
	shear [3]float64
}

// quadFit fits v = c0 + c1·k + c2·k² by least squares (a line when there are
// too few points or they span too little).
func quadFit(ks, vs []float64) [3]float64 {
	n := len(ks)
	if n == 0 {
		return [3]float64{}
	}
	span := 0.0
	kmin, kmax := ks[0], ks[0]
	for _, k := range ks {
		kmin, kmax = math.Min(kmin, k), math.Max(kmax, k)
	}
	span = kmax - kmin
	deg := 2
	if n < 8 || span < 12 {
		deg = 1
	}
	if n < 2 || span < 1 {
		deg = 0
	}
	// Normal equations on k centred for conditioning.
	var km float64
	for _, k := range ks {
		km += k
	}
	km /= float64(n)
	var m [3][4]float64
	for i := range ks {
		x := ks[i] - km
		p := [3]float64{1, x, x * x}
		for r := 0; r <= deg; r++ {
			for c := 0; c <= deg; c++ {
				m[r][c] += p[r] * p[c]
			}
			m[r][3] += p[r] * vs[i]
		}
	}
	// Gaussian elimination.
	sz := deg + 1
	for c := 0; c < sz; c++ {
		piv := c
		for r := c + 1; r < sz; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[piv][c]) {
				piv = r
			}
		}
		m[c], m[piv] = m[piv], m[c]
		if math.Abs(m[c][c]) < 1e-12 {
			return [3]float64{vs[0]}
		}
		for r := 0; r < sz; r++ {
			if r == c {
				continue
			}
			f := m[r][c] / m[c][c]
			for k := c; k < 4; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	var a [3]float64
	for i := 0; i < sz; i++ {
		a[i] = m[i][3] / m[i][i]
	}
	// Back from centred k: v = a0 + a1(k-km) + a2(k-km)².
	return [3]float64{a[0] - a[1]*km + a[2]*km*km, a[1] - 2*a[2]*km, a[2]}
}

func evalQuad(q [3]float64, k float64) float64 { return q[0] + q[1]*k + q[2]*k*k }

// geometry estimates the character cells of group g for a zone of n
// characters per line. ds is detection pixels per original pixel.
func geometry(g group, n int, ds float64, gs *glyphSet) (zoneGeom, bool) {
	var bs, hs []float64
	for _, l := range g.lines {
		bs = append(bs, l.b)
		hs = append(hs, l.h)
	}
	sort.Float64s(bs)
	sort.Float64s(hs)
	b, h := bs[len(bs)/2], hs[len(hs)/2]
	norm := math.Hypot(1, b)
	ux, uy := 1/norm, b/norm
	nx, ny := -uy, ux

	type pt = compPt
	lines := make([][]pt, len(g.lines))
	for i, l := range g.lines {
		for _, c := range l.comps {
			t := c.cx*ux + c.cy*uy
			s := c.cx*nx + c.cy*ny
			lines[i] = append(lines[i], pt{t, s, float64(c.w()), float64(c.h())})
		}
	}
	// Pitch: the period that best fits the centres of single characters,
	// each line with its own phase.
	bestP, bestR := 0.0, -1.0
	for p := 0.8 * h; p <= 1.5*h; p += 0.002 * h {
		var r float64
		for _, ps := range lines {
			var z complex128
			for _, q := range ps {
				if q.w <= 1.3*h {
					z += cmplx.Rect(1, 2*math.Pi*q.t/p)
				}
			}
			r += cmplx.Abs(z)
		}
		if r > bestR {
			bestR, bestP = r, p
		}
	}
	p := bestP
	zg := zoneGeom{n: n, ux: ux, uy: uy}
	type lineFit struct {
		tq, sq  [3]float64
		covered map[int]float64
	}
	var fits []lineFit
	for _, ps := range lines {
		var z complex128
		for _, q := range ps {
			if q.w <= 1.3*h {
				z += cmplx.Rect(1, 2*math.Pi*q.t/p)
			}
		}
		phase := cmplx.Phase(z) / (2 * math.Pi) * p // a cell centre
		// Index the single characters, then fit position and height along
		// the line as smooth functions of the index: this follows a pitch
		// that changes under perspective and a line that bends.
		tq, sq, ok := indexLine(singles(ps, h), phase, p)
		if !ok {
			return zg, false
		}
		// Ink per cell, weighted by how much the component covering it
		// looks like a character rather than a speck.
		covered := map[int]float64{}
		for _, q := range ps {
			wgt := math.Min(1, q.h/(0.6*h))
			a := int(math.Floor(invQuad(tq, q.t-q.w/2))) - 1
			e := int(math.Ceil(invQuad(tq, q.t+q.w/2))) + 1
			for k := a; k <= e; k++ {
				c := evalQuad(tq, float64(k))
				pl := tq[1] + 2*tq[2]*float64(k)
				lo, hi := math.Max(c-pl/2, q.t-q.w/2), math.Min(c+pl/2, q.t+q.w/2)
				if hi-lo > 0.3*pl {
					covered[k] = math.Max(covered[k], wgt)
				}
			}
		}
		if len(covered) == 0 {
			return zg, false
		}
		fits = append(fits, lineFit{tq: tq, sq: sq, covered: covered})
	}
	// Which n consecutive cells hold each line: the lines of a zone start
	// at the same place, so choose the start that gives all lines together
	// the most ink.
	windowInk := func(f lineFit, k0 int) float64 {
		var s float64
		for k := k0; k < k0+n; k++ {
			s += f.covered[k]
		}
		return s
	}
	var starts []float64
	for _, f := range fits {
		kmin, kmax := math.MaxInt, math.MinInt
		for k := range f.covered {
			kmin, kmax = min(kmin, k), max(kmax, k)
		}
		for k0 := min(kmin, kmax-n+1) - 1; k0 <= max(kmin, kmax-n+1)+1; k0++ {
			starts = append(starts, evalQuad(f.tq, float64(k0)))
		}
	}
	sort.Float64s(starts)
	bestT, bestInk := 0.0, -1.0
	for _, T := range starts {
		var total float64
		for _, f := range fits {
			k0 := int(math.Round(invQuad(f.tq, T)))
			total += windowInk(f, k0)
		}
		if total > bestInk+1e-9 {
			bestT, bestInk = T, total
		}
	}
	for _, f := range fits {
		bestK := int(math.Round(invQuad(f.tq, bestT)))
		// A window of the wrong format leaves characters outside it or
		// blank cells inside.
		var inside, outside float64
		for k, w := range f.covered {
			if k >= bestK && k < bestK+n {
				inside += w
			} else {
				outside += w
			}
		}
		if outside > maxStray || float64(n)-inside > maxBlank {
			return zg, false
		}
		tq, sq := f.tq, f.sq
		var cl []cell
		for k := bestK; k < bestK+n; k++ {
			kf := float64(k)
			t, s := evalQuad(tq, kf), evalQuad(sq, kf)
			pl := tq[1] + 2*tq[2]*kf
			cl = append(cl, cell{
				x:     (t*ux + s*nx) / ds,
				y:     (t*uy + s*ny) / ds,
				scale: pl / (gs.pitchRatio * capH) / ds,
			})
		}
		zg.cells = append(zg.cells, cl)
	}
	setAxes(&zg)
	return zg, true
}

// linePt is a single character's centre: t along the zone, s across it.
type linePt struct{ t, s, h float64 }

// compPt is a component of a line: centre along (t) and across (s) the
// zone, width and height.
type compPt struct{ t, s, w, h float64 }

// singles keeps the components of a line that are single characters.
func singles(ps []compPt, h float64) []linePt {
	var out []linePt
	for _, q := range ps {
		// Taller or wider than a letter: an edge, a mark, touching
		// characters.
		if q.w <= 1.3*h && q.h <= 1.4*h {
			out = append(out, linePt{q.t, q.s, q.h})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].t < out[j].t })
	return out
}

// indexLine gives every character centre of a line its index and fits
// position along and across the line as smooth functions of the index.
// The indices are grown from the middle of the line outwards, a few
// pitches at a time, each step predicted by the fit so far: under
// perspective the pitch changes along the line, and one constant pitch
// would miscount the characters at the far end.
func indexLine(pts []linePt, phase, p float64) (tq, sq [3]float64, ok bool) {
	if len(pts) < 3 {
		return tq, sq, false
	}
	mid := pts[len(pts)/2].t
	tq = [3]float64{phase, p, 0}
	// Index 0 near the middle keeps the fit well conditioned.
	k0 := math.Round(invQuad(tq, mid))
	tq[0] += k0 * p
	for reach := 6.0; ; reach += 6 {
		var ks, ts, ss []float64
		for _, q := range pts {
			if math.Abs(q.t-mid) > reach*p {
				continue
			}
			k := math.Round(invQuad(tq, q.t))
			if math.Abs(evalQuad(tq, k)-q.t) > 0.3*p {
				continue
			}
			ks, ts, ss = append(ks, k), append(ts, q.t), append(ss, q.s)
		}
		if len(ks) >= 3 {
			tq = quadFit(ks, ts)
			sq = quadFit(ks, ss)
			if tq[1] < 0.5*p || tq[1] > 1.5*p {
				return tq, sq, false
			}
		}
		if reach*p > pts[len(pts)-1].t-mid && reach*p > mid-pts[0].t {
			if len(ks) < 3 {
				return tq, sq, false
			}
			// One more pass over everything with the final fit.
			ks, ts, ss = ks[:0], ts[:0], ss[:0]
			for _, q := range pts {
				k := math.Round(invQuad(tq, q.t))
				if math.Abs(evalQuad(tq, k)-q.t) <= 0.3*p {
					ks, ts, ss = append(ks, k), append(ts, q.t), append(ss, q.s)
				}
			}
			if len(ks) < 3 {
				return tq, sq, false
			}
			tq, sq = quadFit(ks, ts), quadFit(ks, ss)
			// Once more without the centres far off the fits (a speck
			// touching a letter, an edge of the card).
			var ks2, ts2, ss2 []float64
			for i, k := range ks {
				if math.Abs(evalQuad(tq, k)-ts[i]) <= 0.2*p && math.Abs(evalQuad(sq, k)-ss[i]) <= 0.2*p {
					ks2, ts2, ss2 = append(ks2, k), append(ts2, ts[i]), append(ss2, ss[i])
				}
			}
			if len(ks2) >= 3 && len(ks2) < len(ks) {
				tq, sq = quadFit(ks2, ts2), quadFit(ks2, ss2)
			}
			return tq, sq, tq[1] >= 0.5*p && tq[1] <= 1.5*p
		}
	}
}

// maxShear is the largest slant of the characters against the normal of
// their line that the column alignment of the lines is trusted for.
const maxShear = 0.35 // about 20°

// setAxes sets every cell's line direction from its neighbours along the
// line and its upright direction from the same column on the neighbouring
// lines: ICAO 9303 prints the lines at one pitch from one left margin, so
// the columns run up the document's own vertical, however the camera sees
// it. The slant is fitted as a straight function of the column, which
// irons out the noise of single cells.
func setAxes(zg *zoneGeom) {
	nl := len(zg.cells)
	// Slant per column: tan of the angle between the column and the
	// line normal, averaged over line pairs.
	var ks, sh []float64
	for li := range zg.cells {
		line := zg.cells[li]
		for j := range line {
			a, b := max(0, j-1), min(len(line)-1, j+1)
			dx, dy := line[b].x-line[a].x, line[b].y-line[a].y
			if n := math.Hypot(dx, dy); n > 0 {
				line[j].ax, line[j].ay = dx/n, dy/n
			} else {
				line[j].ax, line[j].ay = zg.ux, zg.uy
			}
		}
	}
	for li := 0; li+1 < nl; li++ {
		for j := range zg.cells[li] {
			if j >= len(zg.cells[li+1]) {
				break
			}
			c0, c1 := zg.cells[li][j], zg.cells[li+1][j]
			dx, dy := c1.x-c0.x, c1.y-c0.y
			ax, ay := (c0.ax+c1.ax)/2, (c0.ay+c1.ay)/2
			along := dx*ax + dy*ay
			across := -dx*ay + dy*ax
			if across <= 0 {
				continue
			}
			ks = append(ks, float64(j))
			sh = append(sh, along/across)
		}
	}
	fit := [3]float64{}
	if len(ks) >= 4 {
		fit = lineFit(ks, sh)
	}
	zg.shear = fit
	zg.setShear(fit)
}

// setShear slants every cell's upright direction by s(j) = fit[0] +
// fit[1]·j against the normal of its line.
func (zg *zoneGeom) setShear(fit [3]float64) {
	for li := range zg.cells {
		for j := range zg.cells[li] {
			c := &zg.cells[li][j]
			s := evalQuad(fit, float64(j))
			if math.Abs(s) > maxShear {
				s = 0
			}
			// Upright = normal + s·along.
			c.vx, c.vy = -c.ay+s*c.ax, c.ax+s*c.ay
		}
	}
}

// withShear returns a copy of zg whose cells slant by fit.
func (zg zoneGeom) withShear(fit [3]float64) zoneGeom {
	out := zg
	out.cells = make([][]cell, len(zg.cells))
	for i, l := range zg.cells {
		out.cells[i] = append([]cell(nil), l...)
	}
	out.setShear(fit)
	return out
}

// shearCandidates are the slants worth trying on a zone besides none: the
// columns' own, and the same without its constant part, since printers do
// not always start every line at exactly the same place (a line offset
// looks like a slant to the columns).
func (zg zoneGeom) shearCandidates() [][3]float64 {
	s := zg.shear
	if s[0] == 0 && s[1] == 0 {
		return nil
	}
	mid := float64(zg.n-1) / 2
	return [][3]float64{s, {-s[1] * mid, s[1]}}
}

// lineFit fits v = c0 + c1·k by least squares.
func lineFit(ks, vs []float64) [3]float64 {
	var sk, sv, skk, skv, n float64
	for i := range ks {
		sk += ks[i]
		sv += vs[i]
		skk += ks[i] * ks[i]
		skv += ks[i] * vs[i]
		n++
	}
	den := n*skk - sk*sk
	if n == 0 {
		return [3]float64{}
	}
	if den == 0 {
		return [3]float64{sv / n}
	}
	b := (n*skv - sk*sv) / den
	return [3]float64{(sv - b*sk) / n, b}
}

// A zone's line may have this much ink outside its window (specks, a
// neighbouring mark) and this many blank cells inside (faint characters).
const (
	maxStray = 2.5
	maxBlank = 6
)

// invQuad solves evalQuad(q, k) = t for k near the linear solution.
func invQuad(q [3]float64, t float64) float64 {
	k := (t - q[0]) / q[1]
	for i := 0; i < 3; i++ {
		d := q[1] + 2*q[2]*k
		if d == 0 {
			break
		}
		k -= (evalQuad(q, k) - t) / d
	}
	return k
}

// cellScores are a cell's normalised cross-correlations with each glyph.
type cellScores [len(mrzChars)]float32

const jitter = 2

// topJitter is how many of the best glyphs at the centre offset are tried
// at every offset.
const topJitter = 10

// sampled is a zone's cells as sampled patches (ink, jitter margin
// included), line by line in reading order.
type sampled struct {
	W, H    int
	jitter  int
	patches [][]float32 // flattened over lines
	width   int         // characters per line
}

// sample cuts every cell of zg out of r. flip reads the zone upside down.
//
// aspect scales the cell vertically: print seen at an angle is foreshortened
// across the lines, not along them.
func sample(r *raster, zg zoneGeom, flip bool, gs *glyphSet, jitter int, aspect float64) *sampled {
	W, H := gs.w+2*jitter, gs.h+2*jitter
	sm := &sampled{W: W, H: H, jitter: jitter, width: zg.n}
	sign := 1.0
	if flip {
		sign = -1
	}
	for li := range zg.cells {
		line := zg.cells[li]
		if flip {
			line = zg.cells[len(zg.cells)-1-li]
		}
		for ci := range line {
			c := line[ci]
			if flip {
				c = line[len(line)-1-ci]
			}
			patch := make([]float32, W*H)
			ux, uy := sign*c.ax*c.scale, sign*c.ay*c.scale
			nx, ny := sign*c.vx*c.scale*aspect, sign*c.vy*c.scale*aspect
			for y := 0; y < H; y++ {
				dy := float64(y) - float64(H-1)/2
				for x := 0; x < W; x++ {
					dx := float64(x) - float64(W-1)/2
					patch[y*W+x] = 255 - r.at(c.x+ux*dx+nx*dy, c.y+uy*dx+ny*dy)
				}
			}
			sm.patches = append(sm.patches, patch)
		}
	}
	return sm
}

// classify scores every sampled cell against the templates tv (one
// zero-mean unit vector per character of mrzChars).
func (sm *sampled) classify(gs *glyphSet, tv [][]float32) []cellScores {
	win := make([]float32, gs.w*gs.h*(2*sm.jitter+1)*(2*sm.jitter+1))
	out := make([]cellScores, len(sm.patches))
	for i, p := range sm.patches {
		out[i] = scoreCell(p, sm.W, win, gs, tv, sm.jitter, nil, nil)
	}
	return out
}

// rescoreTop is how many of a cell's likeliest glyphs classifyAgain scores
// anew.
const rescoreTop = 10

// classifyAgain scores every cell against the templates tv again, but only
// for the glyphs that scored best in prev: the others are no candidates
// the solver would pick, and keep their scores from prev.
func (sm *sampled) classifyAgain(gs *glyphSet, tv [][]float32, prev []cellScores) []cellScores {
	win := make([]float32, gs.w*gs.h*(2*sm.jitter+1)*(2*sm.jitter+1))
	out := make([]cellScores, len(sm.patches))
	idx := make([]int, len(mrzChars))
	for i, p := range sm.patches {
		for k := range idx {
			idx[k] = k
		}
		sc := prev[i]
		sort.Slice(idx, func(a, b int) bool { return sc[idx[a]] > sc[idx[b]] })
		out[i] = scoreCell(p, sm.W, win, gs, tv, sm.jitter, idx[:rescoreTop], &sc)
	}
	return out
}

// bestVariant picks the template set that matches the zone's print best:
// the highest mean best correlation over its cells at the centre offset.
func (sm *sampled) bestVariant(gs *glyphSet) [][]float32 {
	var wins [][]float32
	for i, p := range sm.patches {
		if i%2 == 0 {
			w := make([]float32, gs.w*gs.h)
			sm.window(p, sm.jitter, sm.jitter, gs, w)
			wins = append(wins, w)
		}
	}
	best, bestScore := gs.vec, -2.0
	for _, set := range gs.variants {
		var sum float64
		for _, win := range wins {
			top := float32(-2)
			for _, t := range set {
				top = max(top, dot(win, t))
			}
			sum += float64(top)
		}
		if sum > bestScore {
			best, bestScore = set, sum
		}
	}
	return best
}

// window copies the template-sized window at offset (ox, oy) of patch p
// into win, as a zero-mean unit vector.
func (sm *sampled) window(p []float32, ox, oy int, gs *glyphSet, win []float32) {
	for y := 0; y < gs.h; y++ {
		copy(win[y*gs.w:(y+1)*gs.w], p[(y+oy)*sm.W+ox:])
	}
	copy(win, normalise(win))
}

// adapt builds templates from the zone itself: for every character in
// trusted positions, the mean of its cells aligned to the font glyph,
// blended half and half with the glyph. Print that is bolder, thinner or
// blurrier than the font then matches its own kind best.
func (sm *sampled) adapt(gs *glyphSet, text []byte, trusted []bool) [][]float32 {
	n := gs.w * gs.h
	sums := make([][]float32, len(mrzChars))
	counts := make([]int, len(mrzChars))
	win := make([]float32, n)
	for i, p := range sm.patches {
		if !trusted[i] {
			continue
		}
		ci := strings.IndexByte(mrzChars, text[i])
		if ci < 0 {
			continue
		}
		// Best offset for this character's glyph.
		bx, by, bd := sm.jitter, sm.jitter, float32(-2)
		for oy := 0; oy <= 2*sm.jitter; oy++ {
			for ox := 0; ox <= 2*sm.jitter; ox++ {
				sm.window(p, ox, oy, gs, win)
				var d float32
				for k, v := range win {
					d += v * gs.vec[ci][k]
				}
				if d > bd {
					bx, by, bd = ox, oy, d
				}
			}
		}
		if bd < 0.3 {
			continue
		}
		sm.window(p, bx, by, gs, win)
		if sums[ci] == nil {
			sums[ci] = make([]float32, n)
		}
		for k, v := range win {
			sums[ci][k] += v
		}
		counts[ci]++
	}
	out := make([][]float32, len(mrzChars))
	for ci := range out {
		if counts[ci] == 0 {
			out[ci] = gs.vec[ci]
			continue
		}
		m := normalise(sums[ci])
		b := make([]float32, n)
		for k := range b {
			b[k] = 0.5*gs.vec[ci][k] + 0.5*m[k]
		}
		out[ci] = normalise(b)
	}
	return out
}

// quickScore is the mean best correlation over every third cell, without
// jitter: enough to rank candidate zones and orientations.
func quickScore(r *raster, zg zoneGeom, flip bool, gs *glyphSet) float64 {
	var sub zoneGeom = zg
	sub.cells = nil
	for _, line := range zg.cells {
		var l []cell
		for i := 1; i < len(line); i += 3 {
			l = append(l, line[i])
		}
		sub.cells = append(sub.cells, l)
	}
	var sum float64
	var n int
	for _, sc := range sample(r, sub, flip, gs, 0, 1).classify(gs, gs.vec) {
		bi := 0
		for i := range sc {
			if sc[i] > sc[bi] {
				bi = i
			}
		}
		sum += float64(sc[bi])
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// maxOffsets bounds the jitter offsets scoreCell tries: (2·jitter+1)².
const maxOffsets = (2*jitter + 1) * (2*jitter + 1)

// scoreCell correlates the glyphs with the patch at the centre offset and,
// for the likeliest few, at every offset up to jitter pixels.
//
// With only set, just those glyphs are scored; the others keep their
// scores from prev.
func scoreCell(patch []float32, W int, win []float32, gs *glyphSet, tv [][]float32, jitter int, only []int, prev *cellScores) cellScores {
	var sc, best cellScores
	var bx, by [len(mrzChars)]int
	// Each offset's window and norm are cut once, however many glyphs
	// are tried there: win holds one window per offset.
	side := 2*jitter + 1
	n := gs.w * gs.h
	var done [maxOffsets]bool
	var invs [maxOffsets]float32
	ncc := func(ox, oy int, ts []int, keepMax bool) {
		k := oy*side + ox
		w := win[k*n : (k+1)*n]
		if !done[k] {
			var sum, ss float64
			for y := 0; y < gs.h; y++ {
				row := patch[(y+oy)*W+ox : (y+oy)*W+ox+gs.w]
				copy(w[y*gs.w:], row)
				for _, v := range row {
					sum += float64(v)
					ss += float64(v) * float64(v)
				}
			}
			varr := ss - sum*sum/float64(n)
			if varr < 1e-3 {
				varr = 1e-3
			}
			done[k], invs[k] = true, float32(1/math.Sqrt(varr))
		}
		inv := invs[k]
		for _, t := range ts {
			d := dot(w, tv[t]) * inv
			if !keepMax || d > sc[t] {
				sc[t] = d
			}
			if keepMax && d >= best[t] {
				best[t], bx[t], by[t] = d, ox, oy
			}
		}
	}
	all := only
	if all == nil {
		all = make([]int, len(mrzChars))
		for i := range all {
			all[i] = i
		}
	}
	for i := range best {
		best[i] = -2
	}
	if jitter == 0 {
		ncc(0, 0, all, false)
		return sc
	}
	// Coarse: every glyph at offsets two pixels apart; fine: the best few
	// glyphs at the offsets next to their own best coarse one.
	for i := range sc {
		sc[i] = -2
	}
	for oy := 0; oy <= 2*jitter; oy += 2 {
		for ox := 0; ox <= 2*jitter; ox += 2 {
			ncc(ox, oy, all, true)
		}
	}
	order := append([]int(nil), all...)
	sort.Slice(order, func(i, j int) bool { return sc[order[i]] > sc[order[j]] })
	for _, t := range order[:min(topJitter, len(order))] {
		cx, cy := bx[t], by[t]
		for oy := max(0, cy-1); oy <= min(2*jitter, cy+1); oy++ {
			for ox := max(0, cx-1); ox <= min(2*jitter, cx+1); ox++ {
				if (ox-jitter)%2 == 0 && (oy-jitter)%2 == 0 {
					continue // done in the coarse pass
				}
				ncc(ox, oy, []int{t}, true)
			}
		}
	}
	if prev != nil {
		out := *prev
		for _, t := range all {
			out[t] = sc[t]
		}
		return out
	}
	return sc
}

// dot is the inner product of two equally long vectors.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	// Eight running sums keep the adder busy: one sum's latency is not
	// every step's.
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	i := 0
	for ; i+8 <= len(a); i += 8 {
		a8, b8 := a[i:i+8:i+8], b[i:i+8:i+8]
		s0 += a8[0] * b8[0]
		s1 += a8[1] * b8[1]
		s2 += a8[2] * b8[2]
		s3 += a8[3] * b8[3]
		s4 += a8[4] * b8[4]
		s5 += a8[5] * b8[5]
		s6 += a8[6] * b8[6]
		s7 += a8[7] * b8[7]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7)
}
