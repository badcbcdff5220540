package mrz

// Format is the size class of a machine-readable zone.
type Format int

// The three ICAO 9303 sizes. Visas use TD3 (MRV-A) and TD2 (MRV-B) sizes and
// report those formats; their document code starts with V.
const (
	FormatUnknown Format = iota
	TD1                  // 3 lines of 30: identity cards
	TD2                  // 2 lines of 36
	TD3                  // 2 lines of 44: passports
)

// String returns "TD1", "TD2", "TD3" or "unknown".
func (f Format) String() string {
	switch f {
	case TD1:
		return "TD1"
	case TD2:
		return "TD2"
	case TD3:
		return "TD3"
	}
	return "unknown"
}

// Lines returns the number of lines and the characters per line of f.
func (f Format) Lines() (lines, width int) {
	switch f {
	case TD1:
		return 3, 30
	case TD2:
		return 2, 36
	case TD3:
		return 2, 44
	}
	return 0, 0
}

// kind is the character class a position admits.
type kind uint8

const (
	kAlpha   kind = iota // A–Z and '<'
	kNum                 // 0–9
	kAlnum               // A–Z, 0–9 and '<'
	kSex                 // M, F, X and '<'
	kDigitOr             // 0–9 or '<' (the check digit of an optional field)
)

func (k kind) allows(c byte) bool {
	switch k {
	case kAlpha:
		return c >= 'A' && c <= 'Z' || c == '<'
	case kNum:
		return c >= '0' && c <= '9'
	case kAlnum:
		return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '<'
	case kSex:
		return c == 'M' || c == 'F' || c == 'X' || c == '<'
	case kDigitOr:
		return c >= '0' && c <= '9' || c == '<'
	}
	return false
}

// span is a half-open range of positions in the flattened zone (the lines
// joined without separators).
type span struct{ from, to int }

// checkDef is one check digit: the positions it covers and where it sits.
type checkDef struct {
	name  string
	data  []int
	digit int
}

// layout describes one kind of zone on the flattened text.
type layout struct {
	format    Format
	visa      bool
	width     int
	kinds     []kind
	checks    []checkDef // field checks, in reading order
	composite *checkDef  // nil for visas

	// fields, as spans of the flattened text
	code, state, number, nationality, birth, sex, expiry, name span
	optional                                                   []span
}

func positions(spans ...span) []int {
	var p []int
	for _, s := range spans {
		for i := s.from; i < s.to; i++ {
			p = append(p, i)
		}
	}
	return p
}

func (l *layout) set(s span, k kind) {
	for i := s.from; i < s.to; i++ {
		l.kinds[i] = k
	}
}

// newLayout builds the layout of format f. For TD1 and TD2, longNumber is the
// length of the part of a long document number carried on into the optional
// field, its check digit included (0 for an ordinary 9-character number).
func newLayout(f Format, visa bool, longNumber int) *layout {
	n, w := f.Lines()
	l := &layout{format: f, visa: visa, width: w, kinds: make([]kind, n*w)}
	switch f {
	case TD1:
		l.code, l.state = span{0, 2}, span{2, 5}
		l.number = span{5, 14}
		l.birth, l.sex, l.expiry = span{30, 36}, span{37, 38}, span{38, 44}
		l.nationality = span{45, 48}
		l.name = span{60, 90}
		l.set(span{0, 90}, kAlpha)
		l.set(span{5, 30}, kAlnum)
		l.set(span{30, 37}, kNum)
		l.set(l.sex, kSex)
		l.set(span{38, 45}, kNum)
		l.set(span{48, 59}, kAlnum)
		l.set(span{59, 60}, kNum)
		numCheck := checkDef{name: "number", data: positions(l.number), digit: 14}
		opt1 := span{15, 30}
		if longNumber > 1 && longNumber <= 14 {
			numCheck.data = positions(l.number, span{15, 15 + longNumber - 1})
			numCheck.digit = 15 + longNumber - 1
			l.kinds[14] = kAlpha // the filler that says "continued"
			l.kinds[numCheck.digit] = kNum
			opt1 = span{15 + longNumber, 30}
		} else {
			l.kinds[14] = kNum
		}
		l.optional = []span{opt1, {48, 59}}
		l.checks = []checkDef{
			numCheck,
			{name: "birth_date", data: positions(l.birth), digit: 36},
			{name: "expiry_date", data: positions(l.expiry), digit: 44},
		}
		l.composite = &checkDef{name: "composite", data: positions(span{5, 30}, span{30, 37}, span{38, 45}, span{48, 59}), digit: 59}
	case TD2, TD3:
		l.code, l.state, l.name = span{0, 2}, span{2, 5}, span{5, w}
		b := w // start of line 2
		l.number = span{b, b + 9}
		l.nationality = span{b + 10, b + 13}
		l.birth, l.sex, l.expiry = span{b + 13, b + 19}, span{b + 20, b + 21}, span{b + 21, b + 27}
		l.set(span{0, w}, kAlpha)
		l.set(l.number, kAlnum)
		l.kinds[b+9] = kNum
		l.set(l.nationality, kAlpha)
		l.set(span{b + 13, b + 20}, kNum)
		l.set(l.sex, kSex)
		l.set(span{b + 21, b + 28}, kNum)
		numCheck := checkDef{name: "number", data: positions(l.number), digit: b + 9}
		end := 2 * w // end of the optional field
		switch {
		case visa:
		case f == TD3:
			end = 2*w - 2
		default:
			end = 2*w - 1
		}
		opt := span{b + 28, end}
		l.set(opt, kAlnum)
		if f == TD2 && longNumber > 1 && longNumber <= end-(b+28) {
			numCheck.data = positions(l.number, span{b + 28, b + 28 + longNumber - 1})
			numCheck.digit = b + 28 + longNumber - 1
			l.kinds[b+9] = kAlpha
			l.kinds[numCheck.digit] = kNum
			opt.from = b + 28 + longNumber
		}
		l.optional = []span{opt}
		l.checks = []checkDef{
			numCheck,
			{name: "birth_date", data: positions(l.birth), digit: b + 19},
			{name: "expiry_date", data: positions(l.expiry), digit: b + 27},
		}
		if f == TD3 && !visa {
			l.kinds[2*w-2] = kDigitOr
			l.checks = append(l.checks, checkDef{name: "optional", data: positions(opt), digit: 2*w - 2})
		}
		if !visa {
			l.kinds[2*w-1] = kNum
			l.composite = &checkDef{name: "composite", data: positions(span{b, b + 10}, span{b + 13, b + 20}, span{b + 21, 2*w - 1}), digit: 2*w - 1}
		}
	}
	l.set(l.code, kAlpha)
	return l
}

// longNumberLen reports the length of a long document number's continuation
// in the optional field (check digit included) when the number's own check
// digit position holds the filler, else 0. text is the flattened zone.
func longNumberLen(f Format, text string) int {
	var at, from, end int
	switch f {
	case TD1:
		at, from, end = 14, 15, 30
	case TD2:
		at, from, end = 36+9, 36+28, 36+35
	default:
		return 0
	}
	if at >= len(text) || text[at] != '<' || text[from] == '<' {
		return 0
	}
	n := 0
	for i := from; i < end && text[i] != '<'; i++ {
		n++
	}
	if n < 2 {
		return 0
	}
	return n
}
