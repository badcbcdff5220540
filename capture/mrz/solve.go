package mrz

import (
	"math"
	"time"
)

// Candidate is one reading of a character position with its cost: 0 for the
// most likely reading, larger for less likely ones.
type Candidate struct {
	Char byte
	Cost float64
}

// option is one choice at a DP step: its cost, what it adds to the two
// residues tracked (a field's own check and the composite), and which
// choice it was.
type option struct {
	cost float64
	d    [2]uint8
	pick int
	n    uint8 // how many ways this option is reached at its cost (0 means 1)
	fix  uint8 // 1 when the option is not the position's likeliest reading
}

// tieEps is how close two costs must be to count as a tie.
const tieEps = 1e-9

// nState is the DP's state space: corrections so far (0 or 1) × a field's
// own residue × the composite's residue.
const nState = 200

// dpTable is a dynamic programme over a sequence of steps whose state is
// the number of corrections made (at most maxFix) and a pair of residues
// modulo 10: fix*100 + own*10 + composite.
type dpTable struct {
	cost [][nState]float64
	// ways counts the cheapest paths into a state, capped at 2: a solution
	// whose cost another one shares is ambiguous.
	ways [][nState]uint8
	back [][nState]struct {
		prev uint8
		opt  int16
	}
	steps  [][]option
	maxFix int
}

func runDP(steps [][]option, maxFix int) *dpTable {
	t := &dpTable{steps: steps, maxFix: min(maxFix, 1)}
	t.cost = make([][nState]float64, len(steps)+1)
	t.ways = make([][nState]uint8, len(steps)+1)
	t.back = make([][nState]struct {
		prev uint8
		opt  int16
	}, len(steps)+1)
	for s := range t.cost[0] {
		t.cost[0][s] = math.Inf(1)
	}
	t.cost[0][0] = 0
	t.ways[0][0] = 1
	for i, opts := range steps {
		next := &t.cost[i+1]
		for s := range next {
			next[s] = math.Inf(1)
		}
		for s, c := range t.cost[i] {
			if math.IsInf(c, 1) {
				continue
			}
			k, a, b := s/100, s/10%10, s%10
			for oi, o := range opts {
				nk := k + int(o.fix)
				if nk > t.maxFix {
					continue
				}
				ns := nk*100 + (a+int(o.d[0]))%10*10 + (b+int(o.d[1]))%10
				w := t.ways[i][s]
				if o.n > 1 {
					w = min(2, w*o.n)
				}
				nc := c + o.cost
				switch {
				case nc < next[ns]-tieEps:
					next[ns] = nc
					t.ways[i+1][ns] = w
					t.back[i+1][ns].prev = uint8(s)
					t.back[i+1][ns].opt = int16(oi)
				case nc <= next[ns]+tieEps:
					t.ways[i+1][ns] = min(2, t.ways[i+1][ns]+w)
				}
			}
		}
	}
	return t
}

// end is the cheapest final state with own residue 0 and composite
// residue r, over the numbers of corrections.
func (t *dpTable) end(r int) int {
	best := r
	for k := 1; k <= t.maxFix; k++ {
		if t.cost[len(t.steps)][k*100+r] < t.cost[len(t.steps)][best]-tieEps {
			best = k*100 + r
		}
	}
	return best
}

// final is the cost of the cheapest path leaving own residue 0 and
// composite residue r.
func (t *dpTable) final(r int) float64 { return t.cost[len(t.steps)][t.end(r)] }

// waysTo counts (up to 2) the cheapest such paths.
func (t *dpTable) waysTo(r int) uint8 {
	c := t.final(r)
	var w uint8
	for k := 0; k <= t.maxFix; k++ {
		if s := k*100 + r; t.cost[len(t.steps)][s] <= c+tieEps {
			w = min(2, w+t.ways[len(t.steps)][s])
		}
	}
	return w
}

// unique reports whether exactly one cheapest path ends so.
func (t *dpTable) unique(r int) bool { return t.waysTo(r) == 1 }

// fieldTable is the best assignment of one check-digit field for each
// residue r it leaves in the composite, its own check holding.
type fieldTable interface {
	final(r int) float64
	waysTo(r int) uint8
	trace(r int) []int
}

// enumTable is a fieldTable found by trying every combination of
// candidates, so that a predicate (a real calendar date) can be applied.
type enumTable struct {
	cost  [10]float64
	ways  [10]uint8
	picks [10][]int
}

func (t *enumTable) final(r int) float64 { return t.cost[r] }
func (t *enumTable) waysTo(r int) uint8  { return t.ways[r] }
func (t *enumTable) trace(r int) []int   { return t.picks[r] }

// enumerate builds an enumTable over steps (one per position, data then
// check digit), keeping only assignments whose data characters satisfy ok.
//
// At most maxFix options may be corrections (fix set).
func enumerate(steps [][]option, chars func(step, opt int) byte, ndata int, ok func([]byte) bool, maxFix int) *enumTable {
	t := &enumTable{}
	for r := range t.cost {
		t.cost[r] = math.Inf(1)
	}
	cur := make([]int, len(steps))
	data := make([]byte, ndata)
	var rec func(i int, own, comp int, cost float64, fixes int)
	rec = func(i int, own, comp int, cost float64, fixes int) {
		if fixes > maxFix {
			return
		}
		if i == len(steps) {
			if own%10 != 0 {
				return
			}
			for j := 0; j < ndata; j++ {
				data[j] = chars(j, cur[j])
			}
			if !ok(data) {
				return
			}
			r := comp % 10
			switch {
			case cost < t.cost[r]-tieEps:
				t.cost[r], t.ways[r] = cost, 1
				t.picks[r] = make([]int, len(cur))
				for j := range cur {
					t.picks[r][j] = steps[j][cur[j]].pick
				}
			case cost <= t.cost[r]+tieEps:
				t.ways[r] = min(2, t.ways[r]+1)
			}
			return
		}
		for oi, o := range steps[i] {
			cur[i] = oi
			rec(i+1, own+int(o.d[0]), comp+int(o.d[1]), cost+o.cost, fixes+int(o.fix))
		}
	}
	rec(0, 0, 0, 0, 0)
	return t
}

// validYYMMDD reports whether b is a calendar date as an MRZ writes it.
func validYYMMDD(b []byte) bool {
	return resolveDate(string(b), time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), false) != ""
}

// trace returns the pick of every step on the best path leaving own
// residue 0 and composite residue r.
func (t *dpTable) trace(r int) []int {
	s := t.end(r)
	picks := make([]int, len(t.steps))
	for i := len(t.steps); i > 0; i-- {
		b := t.back[i][s]
		picks[i-1] = t.steps[i-1][b.opt].pick
		s = int(b.prev)
	}
	return picks
}

// fixOf is 1 for a candidate other than a position's likeliest.
func fixOf(k int) uint8 {
	if k > 0 {
		return 1
	}
	return 0
}

func val10(c byte) uint8 {
	v, _ := charValue(c)
	return uint8(v % 10)
}

// solution is the solver's choice of a character for every position.
type solution struct {
	text  []byte
	valid map[string]bool
	cost  float64
}

// solve picks a character for every position of l from cands (ranked
// alternatives per position, cheapest first) so that as many check digits
// as possible hold at the least cost. maxExtra bounds how much more than the
// cheapest reading a combination that validates may cost; past it the check
// is reported invalid and the cheapest reading kept.
//
// With plausible set, a date field only validates as a real calendar date.
// maxFix (0 or 1) is how many characters of one field, and of the
// positions only the composite covers, may differ from their likeliest
// reading: OCR rarely misreads two characters of one short field, but
// forcing two changes can make almost anything validate.
func solve(l *layout, cands [][]Candidate, maxExtra float64, plausible bool, maxFix int) solution {
	n := len(l.kinds)
	sol := solution{text: make([]byte, n), valid: map[string]bool{}}
	base := 0.0
	for i := 0; i < n; i++ {
		sol.text[i] = cands[i][0].Char
		base += cands[i][0].Cost
	}

	// Per-field tables: state (own residue, contribution to the composite).
	compW := map[int]int{}
	if l.composite != nil {
		for j, p := range l.composite.data {
			compW[p] = weights[j%3]
		}
		compW[l.composite.digit] = -1
	}
	inField := map[int]bool{}
	fieldDP := make([]fieldTable, len(l.checks))
	fieldPos := make([][]int, len(l.checks))
	fieldBase := make([]float64, len(l.checks))
	for fi, c := range l.checks {
		var steps [][]option
		pos := append(append([]int(nil), c.data...), c.digit)
		fieldPos[fi] = pos
		for j, p := range pos {
			inField[p] = true
			fieldBase[fi] += cands[p][0].Cost
			var opts []option
			for k, cd := range cands[p] {
				v := val10(cd.Char)
				var own uint8
				if j < len(c.data) {
					own = uint8(int(v) * weights[j%3] % 10)
				} else {
					own = (10 - v) % 10
				}
				comp := uint8(int(v) * compW[p] % 10)
				opts = append(opts, option{cost: cd.Cost, d: [2]uint8{own, comp}, pick: k, fix: fixOf(k)})
			}
			steps = append(steps, opts)
		}
		if plausible && (c.name == "birth_date" || c.name == "expiry_date") {
			fieldDP[fi] = enumerate(steps, func(step, opt int) byte { return cands[pos[step]][steps[step][opt].pick].Char }, len(c.data), validYYMMDD, maxFix)
		} else {
			fieldDP[fi] = runDP(steps, maxFix)
		}
	}

	apply := func(pos []int, picks []int) {
		for j, p := range pos {
			sol.text[p] = cands[p][picks[j]].Char
		}
	}

	// Joint solution: every field check and the composite.
	if l.composite != nil {
		var steps [][]option
		var stepPos []int // -1 for a field step
		for fi := range l.checks {
			var opts []option
			for r := 0; r < 10; r++ {
				if c := fieldDP[fi].final(r); !math.IsInf(c, 1) {
					opts = append(opts, option{cost: c, d: [2]uint8{0, uint8(r)}, pick: r, n: fieldDP[fi].waysTo(r)})
				}
			}
			steps = append(steps, opts)
			stepPos = append(stepPos, -1)
		}
		var free []int
		for _, p := range append(append([]int(nil), l.composite.data...), l.composite.digit) {
			if inField[p] {
				continue
			}
			free = append(free, p)
			var opts []option
			for k, cd := range cands[p] {
				v := val10(cd.Char)
				var comp uint8
				if p == l.composite.digit {
					comp = (10 - v) % 10
				} else {
					comp = uint8(int(v) * compW[p] % 10)
				}
				opts = append(opts, option{cost: cd.Cost, d: [2]uint8{0, comp}, pick: k, fix: fixOf(k)})
			}
			steps = append(steps, opts)
			stepPos = append(stepPos, p)
		}
		joint := runDP(steps, maxFix)
		jointBase := 0.0
		for _, b := range fieldBase {
			jointBase += b
		}
		for _, p := range free {
			jointBase += cands[p][0].Cost
		}
		if c := joint.final(0); !math.IsInf(c, 1) && c-jointBase <= maxExtra && (c-jointBase <= tieEps || joint.unique(0)) {
			picks := joint.trace(0)
			for si, pk := range picks {
				if fi := si; fi < len(l.checks) && stepPos[si] == -1 {
					apply(fieldPos[fi], fieldDP[fi].trace(pk))
				} else {
					p := stepPos[si]
					sol.text[p] = cands[p][pk].Char
				}
			}
			sol.cost = base + c - jointBase
			sol.recheck(l)
			return sol
		}
	}

	// Field by field; the composite then holds only if it happens to.
	extra := 0.0
	for fi := range l.checks {
		best, bestR, ways := math.Inf(1), -1, 0
		for r := 0; r < 10; r++ {
			v := fieldDP[fi].final(r)
			switch {
			case v < best-tieEps:
				best, bestR, ways = v, r, int(fieldDP[fi].waysTo(r))
			case v <= best+tieEps:
				ways += int(fieldDP[fi].waysTo(r))
			}
		}
		if bestR >= 0 && best-fieldBase[fi] <= maxExtra && (best-fieldBase[fi] <= tieEps || ways == 1) {
			apply(fieldPos[fi], fieldDP[fi].trace(bestR))
			extra += best - fieldBase[fi]
		}
	}
	sol.cost = base + extra
	sol.recheck(l)
	return sol
}

// recheck sets the validity of every check from the chosen text: the digit
// must match and every character it covers be of its field's kind.
func (sol *solution) recheck(l *layout) {
	all := append([]checkDef(nil), l.checks...)
	if l.composite != nil {
		all = append(all, *l.composite)
	}
	for _, c := range all {
		ok := digitOK(string(pick(sol.text, c.data)), sol.text[c.digit])
		for _, p := range c.data {
			ok = ok && l.kinds[p].allows(sol.text[p])
		}
		ok = ok && l.kinds[c.digit].allows(sol.text[c.digit])
		sol.valid[c.name] = ok
	}
}

func pick(text []byte, pos []int) []byte {
	b := make([]byte, len(pos))
	for i, p := range pos {
		b[i] = text[p]
	}
	return b
}
