package mrz

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sort"
	"strings"
)

// ErrNotFound means no machine-readable zone was found in the image.
var ErrNotFound = errors.New("mrz: no machine-readable zone found")

// Reader tuning. costScale turns a correlation shortfall into a cost;
// maxExtra is how much costlier than the likeliest reading a combination
// that satisfies the check digits may be.
const (
	costScale  = 10
	maxExtra   = 6
	candidates = 4
	maxGroups  = 24
	fullReads  = 3
	minMeanNCC = 0.45
)

// Read finds the machine-readable zone in img (upright, upside down or
// turned a quarter either way, with a small skew) and reads it. Each
// character keeps its likeliest few readings and the check digits choose
// among them. It returns ErrNotFound when there is no zone.
func Read(ctx context.Context, img image.Image, opts ...Option) (*Result, error) {
	o := buildOptions(opts)
	gs, err := loadGlyphs()
	if err != nil {
		return nil, err
	}
	if img == nil || img.Bounds().Empty() {
		return nil, ErrNotFound
	}
	b := img.Bounds()
	if b.Dx() > 20000 || b.Dy() > 20000 || b.Dx()*b.Dy() > 60e6 {
		return nil, fmt.Errorf("mrz: image %d×%d too large", b.Dx(), b.Dy())
	}
	r := toRaster(img)
	var best *Result
	for _, rot := range []bool{false, true} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src := r
		if rot {
			src = r.rotated90()
		}
		res := readUpright(ctx, src, gs, o)
		if better(res, best) {
			best = res
		}
		if best != nil && best.Valid {
			break
		}
	}
	if best == nil {
		return nil, ErrNotFound
	}
	return best, nil
}

// better reports whether a is a better reading than b.
func better(a, b *Result) bool {
	if a == nil {
		return false
	}
	if b == nil {
		return true
	}
	if a.Valid != b.Valid {
		return a.Valid
	}
	return a.Cost < b.Cost
}

// readUpright looks for zones whose lines run horizontally in r.
func readUpright(ctx context.Context, r *raster, gs *glyphSet, o options) *Result {
	maxDim := max(r.w, r.h)
	ds := 1.0
	switch {
	case maxDim > 1000:
		ds = 1000 / float64(maxDim)
	case maxDim < 500:
		ds = 2
	}
	det := r
	if ds != 1 {
		det = r.scaled(ds)
	}
	dmax := max(det.w, det.h)
	win := max(15, dmax/30) | 1
	bin := det.binarise(win)
	chains := findChains(components(bin, det.w, det.h), dmax/8)
	groups := findGroups(chains)
	if len(groups) > maxGroups {
		groups = groups[:maxGroups]
	}
	// Rank every candidate reading by a quick look (a third of the cells,
	// no jitter), then read the likeliest few in full.
	type trial struct {
		zg    zoneGeom
		f     Format
		flip  bool
		quick float64
	}
	var trials []trial
	for _, g := range groups {
		var formats []Format
		if len(g.lines) == 3 {
			formats = []Format{TD1}
		} else {
			formats = []Format{TD3, TD2}
		}
		for _, f := range formats {
			_, n := f.Lines()
			zg, ok := geometry(g, n, ds, gs)
			if !ok {
				continue
			}
			for _, flip := range []bool{false, true} {
				trials = append(trials, trial{zg, f, flip, quickScore(r, zg, flip, gs)})
			}
		}
	}
	sort.SliceStable(trials, func(i, j int) bool { return trials[i].quick > trials[j].quick })
	var best *Result
	for i, tr := range trials {
		if i >= fullReads || ctx.Err() != nil || tr.quick < minMeanNCC {
			break
		}
		res := readZone(r, tr.zg, tr.f, tr.flip, gs, o)
		if better(res, best) {
			best = res
		}
	}
	return best
}

// readZone classifies the cells of zg and lets the check digits decide.
func readZone(r *raster, zg zoneGeom, f Format, flip bool, gs *glyphSet, o options) *Result {
	scores := classify(r, zg, flip, gs)
	var top []byte
	var flat []cellScores
	var sum float64
	for _, line := range scores {
		for _, sc := range line {
			bi := 0
			for i := range sc {
				if sc[i] > sc[bi] {
					bi = i
				}
			}
			top = append(top, mrzChars[bi])
			flat = append(flat, sc)
			sum += float64(sc[bi])
		}
	}
	if sum/float64(len(flat)) < minMeanNCC {
		return nil
	}
	l := layoutFor(f, string(top))
	cands := make([][]Candidate, len(flat))
	for i, sc := range flat {
		k := l.kinds[i]
		var cs []Candidate
		for ci := 0; ci < len(mrzChars); ci++ {
			if k.allows(mrzChars[ci]) {
				cs = append(cs, Candidate{Char: mrzChars[ci], Cost: (1 - float64(sc[ci])) * costScale})
			}
		}
		sort.Slice(cs, func(a, b int) bool { return cs[a].Cost < cs[b].Cost })
		if len(cs) > candidates {
			cs = cs[:candidates]
		}
		cands[i] = cs
	}
	sol := solve(l, cands, maxExtra)
	_, w := f.Lines()
	var input []string
	for i := 0; i < len(top); i += w {
		input = append(input, string(top[i:i+w]))
	}
	res := assemble(l, sol, input, o)
	res.Cost = sol.cost / float64(len(flat))
	return res
}

// String forms used by tests and debugging.
func joinLines(ls []string) string { return strings.Join(ls, "\n") }
