package mrz

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"sort"
	"strings"
)

// ErrNotFound means no machine-readable zone was found in the image.
var ErrNotFound = errors.New("mrz: no machine-readable zone found")

// Reader tuning. costScale turns a correlation shortfall into a cost;
// maxExtra is how much costlier than the likeliest reading a combination
// that satisfies the check digits may be.
const (
	costScale = 10
	maxExtra  = 3
	// candidates is how many readings of a cell the solver may choose from.
	candidates = 4
	// candWindow is how much costlier than a cell's best reading another
	// may be and still be a candidate.
	candWindow = 2.5
	// countryExtra is how much a known state code may cost over the best
	// reading of its three cells.
	countryExtra = 3
	// sameCodeBonus is how much more one code for issuing state and
	// nationality may cost than two different ones.
	sameCodeBonus = 1.5
	// letterPrior is added to letters in alphanumeric fields: document
	// numbers and optional data are mostly digits.
	letterPrior = 0.5
	// maxGroups is how many candidate zones (stacks of lines) are looked
	// at, the most regular first; fullReads how many of their readings
	// (zone, format, orientation), best quick score first, are read in
	// full.
	maxGroups = 24
	fullReads = 3
	// confidentFixes is how many characters the check digits may have
	// changed in a read that ends the search early.
	confidentFixes = 2
	// minMeanNCC is the mean best correlation below which cells are not
	// text in OCR-B at all.
	minMeanNCC = 0.45
	// maxMeanCost is the mean cost per character above which a read the
	// check digits had to correct is not reported valid.
	maxMeanCost = 0.8
	// minShearGain is how much better a slanted sampling of a zone must
	// match the font (mean best correlation) to be preferred to an
	// upright one: a line printed a little off its neighbours' margin
	// looks like a slant to the columns.
	minShearGain = 0.01
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
	defer r.release()
	var best *Result
	for _, rot := range []bool{false, true} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src := r
		if rot {
			src = r.rotated90()
			defer src.release()
		}
		res := readUpright(ctx, src, gs, o)
		if better(res, best) {
			best = res
		}
		// A zone found upright that reads plausibly, valid or not, is the
		// zone: turning the picture would only find its text sideways.
		if best != nil && (best.Valid || best.Cost <= maxMeanCost) {
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

// detectScale is the scale at which zones are looked for in r: its longer
// side brought to at most 1,000 pixels, and a small image doubled.
func detectScale(r *raster) float64 {
	switch maxDim := max(r.w, r.h); {
	case maxDim > 1000:
		return 1000 / float64(maxDim)
	case maxDim < 500:
		return 2
	}
	return 1
}

// readUpright looks for zones whose lines run horizontally in r.
func readUpright(ctx context.Context, r *raster, gs *glyphSet, o options) *Result {
	ds := detectScale(r)
	det := r
	if ds != 1 {
		det = r.scaled(ds)
		defer det.release()
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
		zg, slanted zoneGeom // sampled upright, and along the columns
		f           Format
		flip        bool
		quick       float64
	}
	var trials []trial
	for _, g := range groups {
		var formats []Format
		if len(g.lines) == 3 {
			formats = []Format{TD1}
		} else {
			formats = []Format{TD3, TD2}
		}
		zf, ok := fitZone(g)
		if !ok {
			continue
		}
		for _, f := range formats {
			_, n := f.Lines()
			zg0, ok := zf.geometry(n, ds, gs)
			if !ok {
				continue
			}
			upright := zg0.withShear([3]float64{})
			for _, flip := range []bool{false, true} {
				trials = append(trials, trial{upright, zg0, f, flip, quickScore(r, upright, flip, gs)})
			}
		}
	}
	sort.SliceStable(trials, func(i, j int) bool { return trials[i].quick > trials[j].quick })
	// The likeliest few are sampled upright unless a slant along the
	// columns matches the font clearly better.
	for i := range trials[:min(len(trials), fullReads)] {
		tr := &trials[i]
		for _, sh := range tr.slanted.shearCandidates() {
			zg := tr.slanted.withShear(sh)
			if q := quickScore(r, zg, tr.flip, gs); q > tr.quick+minShearGain {
				tr.zg, tr.quick = zg, q
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
		if best != nil && best.Valid && best.Corrected <= confidentFixes {
			break
		}
	}
	return best
}

// readZone classifies the cells of zg and lets the check digits decide. A
// zone that does not validate is sampled again foreshortened across its
// lines, as print photographed at an angle is.
func readZone(r *raster, zg zoneGeom, f Format, flip bool, gs *glyphSet, o options) *Result {
	best := readZoneAspect(r, zg, f, flip, gs, o, 1)
	for _, aspect := range retryAspects {
		if best == nil || best.Valid || best.Cost > maxRetryCost {
			break
		}
		if res := readZoneAspect(r, zg, f, flip, gs, o, aspect); better(res, best) {
			best = res
		}
	}
	return best
}

// retryAspects are the vertical scales tried on a zone that does not
// validate as sampled but matches well enough (mean cost up to
// maxRetryCost) to be worth it.
var retryAspects = []float64{0.85, 1.15}

const maxRetryCost = 1.0

// readZoneAspect reads zg sampled with the given vertical scale; a second
// pass uses templates adapted to the zone's own print.
func readZoneAspect(r *raster, zg zoneGeom, f Format, flip bool, gs *glyphSet, o options, aspect float64) *Result {
	sm := sample(r, zg, flip, gs, jitter, aspect)
	scores := sm.classify(gs, sm.bestVariant(gs))
	res, sol, l := decide(scores, f, o)
	if res == nil {
		return nil
	}
	trusted := make([]bool, len(scores))
	all := append([]checkDef(nil), l.checks...)
	if l.composite != nil {
		all = append(all, *l.composite)
	}
	for _, c := range all {
		if !sol.valid[c.name] {
			continue
		}
		for _, p := range c.data {
			trusted[p] = true
		}
		trusted[c.digit] = true
	}
	for i, sc := range scores {
		ci := strings.IndexByte(mrzChars, sol.text[i])
		second := float32(-1)
		for k, v := range sc {
			if k != ci && v > second {
				second = v
			}
		}
		if sc[ci]-second >= 0.05 {
			trusted[i] = true
		}
	}
	tv := sm.adapt(gs, sol.text, trusted)
	res2, _, _ := decide(sm.classifyAgain(gs, tv, scores), f, o)
	if res2 != nil && (res2.Valid || !res.Valid) {
		res = res2
	}
	if debugZone != nil {
		debugZone(sm, res)
	}
	return res
}

// debugFixes, when set by a test, sees every correction the solver makes.
var debugFixes func(pos int, from, to byte, extra float64)

// debugZone, when set by a test, sees every zone read in full.
var debugZone func(sm *sampled, res *Result)

// decide turns cell scores into candidates and solves the check digits.
func decide(scores []cellScores, f Format, o options) (*Result, solution, *layout) {
	var top []byte
	var sum float64
	for _, sc := range scores {
		bi := 0
		for i := range sc {
			if sc[i] > sc[bi] {
				bi = i
			}
		}
		top = append(top, mrzChars[bi])
		sum += float64(sc[bi])
	}
	if sum/float64(len(scores)) < minMeanNCC {
		return nil, solution{}, nil
	}
	cands := make([][]Candidate, len(scores))
	buf := make([]Candidate, len(scores)*len(mrzChars)) // every cell's, one allocation
	for i, sc := range scores {
		cs := buf[i*len(mrzChars) : i*len(mrzChars) : (i+1)*len(mrzChars)]
		for ci := 0; ci < len(mrzChars); ci++ {
			if i > 0 || strings.IndexByte(docCodes, mrzChars[ci]) >= 0 {
				cs = append(cs, Candidate{Char: mrzChars[ci], Cost: (1 - float64(sc[ci])) * costScale})
			}
		}
		slices.SortFunc(cs, byCost)
		cands[i] = cs
	}
	top[0] = cands[0][0].Char
	l := layoutFor(f, string(top))
	for i, cs := range cands {
		// The field's kind first, then the likeliest readings, and only
		// those nearly as likely as the best the kind admits.
		k := l.kinds[i]
		if k == kAlnum {
			for j := range cs {
				if cs[j].Char >= 'A' && cs[j].Char <= 'Z' {
					cs[j].Cost += letterPrior
				}
			}
			slices.SortStableFunc(cs, byCost)
		}
		kept := cs[:0] // filtered in place: never ahead of the reading
		for _, c := range cs {
			if k.allows(c.Char) && len(kept) < candidates && (len(kept) == 0 || c.Cost <= kept[0].Cost+candWindow) {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			kept = cs[:1]
		}
		cands[i] = kept
	}
	sol := solve(l, cands, maxExtra, true, 1)
	fixCountries([]span{l.state, l.nationality}, scores, sol.text)
	_, w := f.Lines()
	var input []string
	for i := 0; i < len(top); i += w {
		input = append(input, string(top[i:i+w]))
	}
	res := assemble(l, sol, input, o)
	res.Cost = sol.cost / float64(len(scores))
	res.scores = scores
	if debugFixes != nil {
		for i := range cands {
			if sol.text[i] != cands[i][0].Char {
				for _, c := range cands[i] {
					if c.Char == sol.text[i] {
						debugFixes(i, cands[i][0].Char, c.Char, c.Cost-cands[i][0].Cost)
					}
				}
			}
		}
	}
	if res.Cost > maxMeanCost && res.Corrected > 0 {
		// So poor a match that check digits holding after corrections is
		// more likely luck than a read: report the zone, not a valid one.
		// (The likeliest reading satisfying every check as it stands is
		// no luck.)
		res.Valid = false
	}
	return res, sol, l
}

// byCost orders candidates cheapest first.
func byCost(a, b Candidate) int { return cmp.Compare(a.Cost, b.Cost) }

// docCodes are the letters a document code starts with.
const docCodes = "PIACV"

// fixCountries replaces the state codes at the spans by the codes ICAO
// knows that the cells match best, when such a code is nearly as likely as
// the cells' best reading. Issuing state and nationality are usually the
// same, so one code for both wins when it costs little more.
func fixCountries(spans []span, scores []cellScores, text []byte) {
	codeCost := func(s span, code string) float64 {
		var c float64
		for i := 0; i < 3; i++ {
			ci := strings.IndexByte(mrzChars, code[i])
			c += (1 - float64(scores[s.from+i][ci])) * costScale
		}
		return c
	}
	var best []string
	var bestCost []float64
	for _, s := range spans {
		if s.to-s.from != 3 {
			return
		}
		b, bc := "", math.Inf(1)
		for _, code := range knownCodes {
			if c := codeCost(s, code); c < bc {
				b, bc = code, c
			}
		}
		var base float64
		for i := s.from; i < s.to; i++ {
			top := float32(-2)
			for _, v := range scores[i] {
				top = max(top, v)
			}
			base += (1 - float64(top)) * costScale
		}
		if bc-base > countryExtra {
			b = string(text[s.from:s.to])
		}
		best, bestCost = append(best, b), append(bestCost, bc)
	}
	if len(spans) == 2 && best[0] != best[1] {
		sum := bestCost[0] + bestCost[1]
		for _, code := range knownCodes {
			if c := codeCost(spans[0], code) + codeCost(spans[1], code); c <= sum+sameCodeBonus {
				best[0], best[1], sum = code, code, c-sameCodeBonus
			}
		}
	}
	for i, s := range spans {
		copy(text[s.from:s.to], best[i])
	}
}

// knownCodes are the state codes of CountryAlpha2 as they stand in a zone
// (padded with fillers to three characters).
var knownCodes = func() []string {
	var out []string
	for _, m := range []map[string]string{iso3to2, icaoTo2} {
		for c := range m {
			out = append(out, (c + "<<")[:3])
		}
	}
	sort.Strings(out)
	return out
}()
