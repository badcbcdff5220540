package mrz

import (
	"strings"
	"sync"
)

// Voter combines the reads of consecutive frames of one document. A camera
// delivers many frames of the card a guest holds up, each with its own
// noise, blur and glare; a character one frame misreads the others usually
// read right. The Voter adds up, cell by cell, every frame's correlation
// with every glyph, each frame weighted by how well its zone matched OCR-B
// as a whole, and lets the check digits decide on the sums exactly as a
// single read does. The voted result is valid only when every check digit
// holds on it; the characters the check digits changed are listed in its
// Corrections.
//
// Frames whose reading disagrees with the vote in many places (a zone
// found one cell off, another document) are left out of it. A Voter is safe
// for concurrent use.
type Voter struct {
	mu    sync.Mutex
	o     options
	keep  int
	reads []*Result
}

// Tally says what a vote rests on: how many frames were voted over and, for
// every line of the voted zone, how many of them read that line exactly as
// voted on their own.
type Tally struct {
	Frames int
	Agree  []int
}

// DefaultVoteFrames is how many of the latest reads a Voter keeps when
// NewVoter is given no positive number.
const DefaultVoteFrames = 5

// NewVoter returns a Voter over the latest keep reads (DefaultVoteFrames
// when keep < 1). The options are those of Read: WithNow resolves the
// voted dates.
func NewVoter(keep int, opts ...Option) *Voter {
	if keep < 1 {
		keep = DefaultVoteFrames
	}
	return &Voter{o: buildOptions(opts), keep: keep}
}

// Add records the read of one frame. A nil read (no zone in the frame) is
// ignored; so is a result of Parse, which has no per-character confidence
// and counts as a certain read of its text.
func (v *Voter) Add(r *Result) {
	if r == nil || r.Format == FormatUnknown || len(r.Lines) == 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.reads = append(v.reads, r)
	if len(v.reads) > v.keep {
		v.reads = append(v.reads[:0:0], v.reads[len(v.reads)-v.keep:]...)
	}
}

// Len returns how many reads the Voter holds.
func (v *Voter) Len() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.reads)
}

// Reset forgets every read: the next document starts afresh.
func (v *Voter) Reset() {
	v.mu.Lock()
	v.reads = nil
	v.mu.Unlock()
}

// minAgreement is the share of a zone's characters a frame must read as
// the vote does to stay in it.
const minAgreement = 0.7

// Vote returns the voted reading of the reads held and what it rests on,
// or nil when there are none. Only reads of the zone size most of them saw
// take part.
func (v *Voter) Vote() (*Result, Tally) {
	v.mu.Lock()
	reads := append([]*Result(nil), v.reads...)
	o := v.o
	v.mu.Unlock()
	if len(reads) == 0 {
		return nil, Tally{}
	}
	// The zone size most frames saw; on a tie, the one read best.
	count := map[Format]int{}
	cost := map[Format]float64{}
	for _, r := range reads {
		count[r.Format]++
		cost[r.Format] += r.Cost
	}
	var f Format
	for g, n := range count {
		if f == FormatUnknown || n > count[f] || n == count[f] && cost[g]/float64(n) < cost[f]/float64(count[f]) {
			f = g
		}
	}
	var same []*Result
	for _, r := range reads {
		if r.Format == f {
			same = append(same, r)
		}
	}
	// The frames that read the same zone as most others do: a frame that
	// found another document, or its zone a cell off, is left out.
	var best []*Result
	bestCost := 0.0
	for _, a := range same {
		var group []*Result
		var c float64
		fa := strings.Join(a.Lines, "")
		for _, b := range same {
			if agreement(fa, strings.Join(b.Lines, "")) >= minAgreement {
				group = append(group, b)
				c += b.Cost
			}
		}
		if len(group) > len(best) || len(group) == len(best) && c < bestCost {
			best, bestCost = group, c
		}
	}
	same = best
	res := vote(same, f, o)
	t := Tally{Frames: len(same), Agree: make([]int, len(res.Lines))}
	for _, r := range same {
		for i, l := range res.Lines {
			if i < len(r.Lines) && r.Lines[i] == l {
				t.Agree[i]++
			}
		}
	}
	return res, t
}

// agreement is the share of positions where a and b hold the same
// character.
func agreement(a, b string) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	n := 0
	for i := 0; i < len(a); i++ {
		if a[i] == b[i] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// vote sums the cell scores of reads (all of format f) and decides.
func vote(reads []*Result, f Format, o options) *Result {
	n, w := f.Lines()
	sum := make([]cellScores, n*w)
	var total float64
	for _, r := range reads {
		sc := r.scores
		if len(sc) != n*w {
			sc = textScores(strings.Join(r.Lines, ""))
		}
		if len(sc) != n*w {
			continue
		}
		// A frame whose zone matched the font well counts more than a
		// blurred or glared one.
		wt := 1 / (0.25 + r.Cost)
		total += wt
		for i := range sc {
			for c := range sc[i] {
				sum[i][c] += float32(wt) * sc[i][c]
			}
		}
	}
	if total == 0 {
		return reads[0]
	}
	for i := range sum {
		for c := range sum[i] {
			sum[i][c] /= float32(total)
		}
	}
	res, _, _ := decide(sum, f, o)
	if res == nil {
		// Too poor a match to solve: the best single read stands.
		best := reads[0]
		for _, r := range reads[1:] {
			if better(r, best) {
				best = r
			}
		}
		return best
	}
	return res
}

// textScores turns text (a parsed zone) into cell scores that are certain
// of its characters.
func textScores(text string) []cellScores {
	out := make([]cellScores, len(text))
	for i := 0; i < len(text); i++ {
		if ci := strings.IndexByte(mrzChars, text[i]); ci >= 0 {
			out[i][ci] = 1
		}
	}
	return out
}
