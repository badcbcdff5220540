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
	zf, ok := fitZone(g)
	if !ok {
		return zoneGeom{}, false
	}
	return zf.geometry(n, ds, gs)
}

// indexedLine is one line of a zone: position along (tq) and across (sq) the
// zone as functions of the character index, and how much ink covers each
// index.
type indexedLine struct {
	tq, sq  [3]float64
	covered map[int]float64
}

// zoneFit is a group's lines indexed character by character, whatever the
// format: the pitch search and the fits are done once for every format
// tried on the group.
type zoneFit struct {
	ux, uy, nx, ny float64
	fits           []indexedLine
}

// fitZone finds the pitch of g's lines and indexes their characters.
func fitZone(g group) (zoneFit, bool) {
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
	var ts [][]float64 // centres of single characters, line by line
	for _, ps := range lines {
		var l []float64
		for _, q := range ps {
			if q.w <= 1.3*h {
				l = append(l, 2*math.Pi*q.t)
			}
		}
		ts = append(ts, l)
	}
	bestP, bestR := 0.0, -1.0
	for p := 0.8 * h; p <= 1.5*h; p += 0.002 * h {
		var r float64
		inv := 1 / p
		for _, l := range ts {
			var re, im float64
			for _, t := range l {
				s, c := math.Sincos(t * inv)
				re, im = re+c, im+s
			}
			r += math.Hypot(re, im)
		}
		if r > bestR {
			bestR, bestP = r, p
		}
	}
	p := bestP
	zf := zoneFit{ux: ux, uy: uy, nx: nx, ny: ny}
	var fits []indexedLine
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
			return zf, false
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
			return zf, false
		}
		fits = append(fits, indexedLine{tq: tq, sq: sq, covered: covered})
	}
	zf.fits = fits
	return zf, true
}

// geometry places the cells of a zone of n characters per line on zf.
func (zf zoneFit) geometry(n int, ds float64, gs *glyphSet) (zoneGeom, bool) {
	ux, uy, nx, ny, fits := zf.ux, zf.uy, zf.nx, zf.ny, zf.fits
	zg := zoneGeom{n: n, ux: ux, uy: uy}
	// Which n consecutive cells hold each line: the lines of a zone start
	// at the same place, so choose the start that gives all lines together
	// the most ink.
	windowInk := func(f indexedLine, k0 int) float64 {
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

// sampled is a zone's cells as sampled patches (ink, jitter margin
// included), line by line in reading order.
type sampled struct {
	W, H    int
	jitter  int
	patches [][]float32 // flattened over lines
	width   int         // characters per line
	// offs[i] is the jitter offset (index into the (2·jitter+1)² grid) at
	// which cell i's likeliest glyph matched best in classify.
	offs []int
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
	ncells := 0
	for _, l := range zg.cells {
		ncells += len(l)
	}
	// One backing array for every patch: one allocation, not one a cell.
	buf := make([]float32, ncells*W*H)
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
			patch := buf[: W*H : W*H]
			buf = buf[W*H:]
			ux, uy := sign*c.ax*c.scale, sign*c.ay*c.scale
			nx, ny := sign*c.vx*c.scale*aspect, sign*c.vy*c.scale*aspect
			for y := 0; y < H; y++ {
				dy := float64(y) - float64(H-1)/2
				// Walk the row by adding the along-line step: the same
				// points as computing each from the cell centre.
				x0 := c.x - ux*float64(W-1)/2 + nx*dy
				y0 := c.y - uy*float64(W-1)/2 + ny*dy
				row := patch[y*W : (y+1)*W]
				for x := range row {
					row[x] = 255 - r.at(x0+ux*float64(x), y0+uy*float64(x))
				}
			}
			sm.patches = append(sm.patches, patch)
		}
	}
	return sm
}

// scorer correlates the patch of one cell with glyph templates at the
// jitter offsets, cutting each offset's window and its norm once however
// many glyphs are tried there. One scorer serves every cell of a zone.
type scorer struct {
	gs     *glyphSet
	tv     [][]float32
	W      int
	jitter int
	side   int // 2·jitter+1
	patch  []float32
	win    []float32 // one window per offset
	done   [maxOffsets]bool
	invs   [maxOffsets]float32
	// The half-resolution search (see searchHalf): templates, the
	// patch (hpw wide), one window a coarse offset.
	htv    [][]float32
	hw, hh int
	hpatch []float32
	hpw    int
	hwin   []float32
	hdone  [maxOffsets]bool
	hinv   [maxOffsets]float32
}

func newScorer(gs *glyphSet, tv [][]float32, W, jitter int) *scorer {
	side := 2*jitter + 1
	return &scorer{gs: gs, tv: tv, W: W, jitter: jitter, side: side, win: make([]float32, gs.w*gs.h*side*side)}
}

// reset starts on a new cell.
func (s *scorer) reset(patch []float32) {
	s.patch = patch
	s.done = [maxOffsets]bool{}
}

// ncc is the normalised cross-correlation of glyph t with the window at
// offset k (row-major in the jitter grid).
func (s *scorer) ncc(k, t int) float32 {
	n := s.gs.w * s.gs.h
	w := s.win[k*n : (k+1)*n]
	if !s.done[k] {
		s.done[k], s.invs[k] = true, cutWindow(w, s.patch, s.W, k%s.side, k/s.side, s.gs.w, s.gs.h)
	}
	// The templates have zero mean, so the window's mean needs no
	// subtracting.
	return dot(w, s.tv[t]) * s.invs[k]
}

// cutWindow copies the w×h window at (ox, oy) of patch (stride wide) into
// dst and returns 1/‖window − its mean‖, the scale that turns a dot product
// with a zero-mean, unit-norm template into a normalised cross-correlation
// (the norm floored, so that a flat window does not divide by zero).
func cutWindow(dst, patch []float32, stride, ox, oy, w, h int) float32 {
	var sum, ss float64
	for y := 0; y < h; y++ {
		row := patch[(y+oy)*stride+ox : (y+oy)*stride+ox+w]
		copy(dst[y*w:], row)
		for _, v := range row {
			sum += float64(v)
			ss += float64(v) * float64(v)
		}
	}
	varr := ss - sum*sum/float64(w*h)
	if varr < 1e-3 {
		varr = 1e-3
	}
	return float32(1 / math.Sqrt(varr))
}

// Scoring tuning. coarseTop is how many of the glyphs likeliest at the
// centre offset look for the cell's best offset on the coarse grid;
// fineTop how many of the likeliest are refined to the pixel; fineMargin
// how far behind the leader a glyph may be and still be refined (a glyph
// that far behind is no candidate whatever a pixel's shift gives it).
//
// A cell's centre offset is clearly its glyph's when the leader there
// scores at least clearLead and clearMargin more than the next glyph;
// otherwise every glyph searches the coarse grid.
const (
	coarseTop   = 8
	fineTop     = 10
	fineMargin  = 0.3
	clearLead   = 0.75
	clearMargin = 0.08
)

// score correlates every glyph with the patch: all at the centre offset;
// the likeliest few on a coarse grid of offsets two pixels apart, which
// finds the cell's best offset; everything else there; and the likeliest
// refined to the pixel around their own best. It returns the scores and
// the offset of the best glyph.
func (s *scorer) score(patch []float32) (cellScores, int) {
	s.reset(patch)
	var sc cellScores
	var bo [len(mrzChars)]int
	j := s.jitter
	centre := j*s.side + j
	for t := range sc {
		sc[t], bo[t] = s.ncc(centre, t), centre
	}
	if j == 0 {
		return sc, centre
	}
	order := rankGlyphs(&sc)
	var bestK int
	if sc[order[0]] < clearLead || sc[order[0]]-sc[order[1]] < clearMargin {
		// No glyph clearly ahead: the cell may sit off centre, where
		// the likeliest at the centre are not its glyph's kin.
		bestK = s.searchHalf(&sc, &bo)
	} else {
		bestK = centre
		bestV := sc[order[0]]
		for oy := 0; oy <= 2*j; oy += 2 {
			for ox := 0; ox <= 2*j; ox += 2 {
				k := oy*s.side + ox
				if k == centre {
					continue
				}
				for _, t := range order[:coarseTop] {
					if d := s.ncc(k, t); d > sc[t] {
						sc[t], bo[t] = d, k
						if d > bestV {
							bestK, bestV = k, d
						}
					}
				}
			}
		}
		if bestK != centre {
			for _, t := range order[coarseTop:] {
				if d := s.ncc(bestK, t); d > sc[t] {
					sc[t], bo[t] = d, bestK
				}
			}
		}
	}
	order = rankGlyphs(&sc)
	lead := sc[order[0]]
	for _, t := range order[:fineTop] {
		if sc[t] < lead-fineMargin {
			break
		}
		cx, cy := bo[t]%s.side, bo[t]/s.side
		for oy := max(0, cy-1); oy <= min(2*j, cy+1); oy++ {
			for ox := max(0, cx-1); ox <= min(2*j, cx+1); ox++ {
				if (ox-j)%2 == 0 && (oy-j)%2 == 0 {
					continue // on the coarse grid
				}
				if d := s.ncc(oy*s.side+ox, t); d > sc[t] {
					sc[t], bo[t] = d, oy*s.side+ox
				}
			}
		}
	}
	best := 0
	for t := range sc {
		if sc[t] > sc[best] {
			best = t
		}
	}
	return sc, bo[best]
}

// searchHalf finds the offset of a cell that no glyph clearly leads at
// the centre: every glyph tries every offset of the coarse grid at half
// resolution (a coarse grid step is one pixel there, and a correlation a
// quarter of the work). Then every glyph is scored at full resolution at
// the best offset found, and the likeliest few at their own. It returns
// the best offset.
func (s *scorer) searchHalf(sc *cellScores, bo *[len(mrzChars)]int) int {
	j := s.jitter
	centre := j*s.side + j
	s.halve()
	var hs cellScores
	var hb [len(mrzChars)]int
	for t := range hs {
		hs[t] = -2
	}
	bestK, bestV := centre, float32(-2)
	for b := 0; b <= j; b++ {
		for a := 0; a <= j; a++ {
			k := 2*b*s.side + 2*a
			for t := range hs {
				if d := s.nccHalf(b*(j+1)+a, t); d > hs[t] {
					hs[t], hb[t] = d, k
					if d > bestV {
						bestK, bestV = k, d
					}
				}
			}
		}
	}
	if bestK != centre {
		for t := range sc {
			if d := s.ncc(bestK, t); d > sc[t] {
				sc[t], bo[t] = d, bestK
			}
		}
	}
	for _, t := range rankGlyphs(&hs)[:fineTop] {
		if k := hb[t]; k != centre && k != bestK {
			if d := s.ncc(k, t); d > sc[t] {
				sc[t], bo[t] = d, k
			}
		}
	}
	return bestK
}

// halve prepares the half-resolution search of the current patch: the
// patch and (once per scorer) the templates averaged over 2 × 2 pixels.
func (s *scorer) halve() {
	gs := s.gs
	s.hw, s.hh = gs.w/2, gs.h/2
	if s.htv == nil {
		s.htv = make([][]float32, len(s.tv))
		for t, v := range s.tv {
			h := make([]float32, s.hw*s.hh)
			halveInto(h, v, gs.w, s.hw, s.hh)
			normaliseInto(h, h)
			s.htv[t] = h
		}
		hn := s.hw * s.hh
		s.hwin = make([]float32, hn*(s.jitter+1)*(s.jitter+1))
	}
	pw, ph := s.W/2, len(s.patch)/s.W/2
	if len(s.hpatch) < pw*ph {
		s.hpatch = make([]float32, pw*ph)
	}
	halveInto(s.hpatch, s.patch, s.W, pw, ph)
	s.hpw = pw
	s.hdone = [maxOffsets]bool{}
}

// halveInto averages src (rows of stride sw) over 2 × 2 pixels into dst,
// dw × dh.
func halveInto(dst, src []float32, sw, dw, dh int) {
	for y := 0; y < dh; y++ {
		r0, r1 := src[2*y*sw:], src[(2*y+1)*sw:]
		d := dst[y*dw : (y+1)*dw]
		for x := range d {
			d[x] = (r0[2*x] + r0[2*x+1] + r1[2*x] + r1[2*x+1]) / 4
		}
	}
}

// nccHalf is ncc at half resolution: offset k of the (jitter+1)² grid.
func (s *scorer) nccHalf(k, t int) float32 {
	n := s.hw * s.hh
	w := s.hwin[k*n : (k+1)*n]
	if !s.hdone[k] {
		s.hdone[k], s.hinv[k] = true, cutWindow(w, s.hpatch, s.hpw, k%(s.jitter+1), k/(s.jitter+1), s.hw, s.hh)
	}
	return dot(w, s.htv[t]) * s.hinv[k]
}

// rescore correlates only the glyphs only with the patch, at offset k
// and, for those near the lead, the offsets next to it; the other glyphs
// keep their scores from prev.
func (s *scorer) rescore(patch []float32, k int, only []int, prev cellScores) cellScores {
	s.reset(patch)
	j := s.jitter
	out := prev
	lead := float32(-2)
	for _, t := range only {
		out[t] = s.ncc(k, t)
		lead = max(lead, out[t])
	}
	cx, cy := k%s.side, k/s.side
	for _, t := range only {
		if out[t] < lead-fineMargin {
			continue
		}
		for oy := max(0, cy-1); oy <= min(2*j, cy+1); oy++ {
			for ox := max(0, cx-1); ox <= min(2*j, cx+1); ox++ {
				if d := s.ncc(oy*s.side+ox, t); d > out[t] {
					out[t] = d
				}
			}
		}
	}
	return out
}

// rankGlyphs returns the glyph indices by falling score (ties by index).
func rankGlyphs(sc *cellScores) []int {
	order := make([]int, len(sc))
	// Insertion: 37 glyphs, called for every cell, where a general sort's
	// overhead shows.
	for i := range order {
		v, j := sc[i], i
		for ; j > 0 && sc[order[j-1]] < v; j-- {
			order[j] = order[j-1]
		}
		order[j] = i
	}
	return order
}

// classify scores every sampled cell against the templates tv (one
// zero-mean unit vector per character of mrzChars), and notes each cell's
// best offset for classifyAgain.
func (sm *sampled) classify(gs *glyphSet, tv [][]float32) []cellScores {
	s := newScorer(gs, tv, sm.W, sm.jitter)
	out := make([]cellScores, len(sm.patches))
	sm.offs = make([]int, len(sm.patches))
	for i, p := range sm.patches {
		out[i], sm.offs[i] = s.score(p)
	}
	return out
}

// rescoreTop is how many of a cell's likeliest glyphs classifyAgain scores
// anew.
const rescoreTop = 10

// classifyAgain scores every cell against the templates tv again, but only
// for the glyphs that scored best in prev, and only around the offset
// where classify found the cell: the others are no candidates the solver
// would pick, and keep their scores from prev.
func (sm *sampled) classifyAgain(gs *glyphSet, tv [][]float32, prev []cellScores) []cellScores {
	s := newScorer(gs, tv, sm.W, sm.jitter)
	out := make([]cellScores, len(sm.patches))
	for i, p := range sm.patches {
		sc := prev[i]
		out[i] = s.rescore(p, sm.offs[i], rankGlyphs(&sc)[:rescoreTop], sc)
	}
	return out
}

// variantGlyphs is how many of a window's likeliest glyphs (by the plain
// templates) bestVariant compares across the template sets: blurring or
// thickening a glyph does not make another one the window's best.
const variantGlyphs = 3

// bestVariant picks the template set that matches the zone's print best:
// the highest mean best correlation over its cells at the centre offset.
func (sm *sampled) bestVariant(gs *glyphSet) [][]float32 {
	s := newScorer(gs, gs.vec, sm.W, sm.jitter)
	centre := sm.jitter*s.side + sm.jitter
	sums := make([]float64, len(gs.variants))
	for i, p := range sm.patches {
		if i%2 != 0 {
			continue
		}
		s.reset(p)
		s.tv = gs.vec
		var sc cellScores
		for t := range sc {
			sc[t] = s.ncc(centre, t)
		}
		top := rankGlyphs(&sc)[:variantGlyphs]
		for v, set := range gs.variants {
			s.tv = set
			best := float32(-2)
			for _, t := range top {
				best = max(best, s.ncc(centre, t))
			}
			sums[v] += float64(best)
		}
	}
	best, bestScore := gs.vec, -2.0
	for v, set := range gs.variants {
		if sums[v] > bestScore {
			best, bestScore = set, sums[v]
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
	normaliseInto(win, win)
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
	s := newScorer(gs, gs.vec, sm.W, sm.jitter)
	for i, p := range sm.patches {
		if !trusted[i] {
			continue
		}
		ci := strings.IndexByte(mrzChars, text[i])
		if ci < 0 {
			continue
		}
		// Best offset for this character's glyph, next to where the
		// cell matched best.
		s.reset(p)
		bk, bd := 0, float32(-2)
		cx, cy := sm.offs[i]%s.side, sm.offs[i]/s.side
		for oy := max(0, cy-1); oy <= min(2*sm.jitter, cy+1); oy++ {
			for ox := max(0, cx-1); ox <= min(2*sm.jitter, cx+1); ox++ {
				if d := s.ncc(oy*s.side+ox, ci); d > bd {
					bk, bd = oy*s.side+ox, d
				}
			}
		}
		if bd < 0.3 {
			continue
		}
		sm.window(p, bk%s.side, bk/s.side, gs, win)
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

// maxOffsets bounds the jitter offsets a scorer tries: (2·jitter+1)².
const maxOffsets = (2*jitter + 1) * (2*jitter + 1)

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
