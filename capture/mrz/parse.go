package mrz

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// ErrFormat means the text is not the shape of any machine-readable zone:
// not 3 lines of 30, 2 of 36 or 2 of 44 characters.
var ErrFormat = errors.New("mrz: not a machine-readable zone (want 3×30, 2×36 or 2×44 characters)")

// Check is the outcome of one check digit.
type Check struct {
	Name  string // "number", "birth_date", "expiry_date", "optional" (TD3), "composite"
	Valid bool
}

// Correction is one character of a zone that differs from what was read or
// given: where it is (line and column from 1), what it was, what it became
// and why. It holds personal data, like the Result.
type Correction struct {
	Line   int    `json:"line"`
	Column int    `json:"column"`
	From   string `json:"from"`
	To     string `json:"to"`
	// Field is the field the character belongs to ("number",
	// "birth_date", "number check digit", "composite check digit", …).
	Field string `json:"field"`
	// Reason is "kind" when the field admits only the other kind of
	// character (a letter in a date, a digit in a name), "state" when the
	// nearest state code ICAO knows replaced a misread code, and "check"
	// when the character was not the cell's likeliest reading and the
	// check digits named in Checks hold only with it.
	Reason string   `json:"reason"`
	Checks []string `json:"checks,omitempty"`
}

// Result is a parsed machine-readable zone. Fields that could not be read
// are empty; Checks says which check digits hold. It holds personal data:
// String and LogValue print only the format and validity.
type Result struct {
	Format Format
	// Visa is true for the MRV-A and MRV-B visa layouts (document code V…),
	// which have no composite check digit.
	Visa bool
	// Lines are the zone's lines after correction; Input the lines as given
	// or as read by the OCR.
	Lines, Input []string
	// Corrected counts the characters that differ between Input and Lines;
	// Corrections says which they are and why each was changed.
	Corrected   int
	Corrections []Correction

	DocumentCode string // "P", "I", "ID", "AC", "V"… with trailing fillers dropped
	IssuingState string // ICAO code, e.g. "UTO", "D", "GBR"
	Number       string // document number, long numbers joined
	// BirthDate and ExpiryDate are YYYY-MM-DD, or "" when unreadable (an
	// unknown day or month is printed as "<<" in the zone).
	BirthDate, ExpiryDate string
	Sex                   string // "M", "F" or "X" (unspecified)
	Nationality           string // ICAO code
	Surname, GivenNames   string
	// Optional holds the optional data fields with fillers turned to spaces
	// and trimmed; TD1 has two, joined with a space.
	Optional string

	Checks []Check
	// Valid is true when every check digit holds.
	Valid bool
	// Cost is the OCR cost of the chosen reading (0 for parsed text).
	Cost float64

	// scores are the cells' correlations with every glyph, in reading
	// order, for a read (nil for parsed text): what a Voter adds up.
	scores []cellScores
}

// String prints the format and the validity, never the personal fields.
func (r *Result) String() string {
	if r == nil {
		return "mrz.Result(nil)"
	}
	return fmt.Sprintf("mrz.Result{%s valid=%t corrected=%d}", r.Format, r.Valid, r.Corrected)
}

// LogValue implements slog.LogValuer without the personal fields.
func (r *Result) LogValue() slog.Value {
	return slog.GroupValue(slog.String("format", r.Format.String()), slog.Bool("valid", r.Valid), slog.Int("corrected", r.Corrected))
}

// CheckValid reports the outcome of the named check; ok is false when the
// format has no such check.
func (r *Result) CheckValid(name string) (valid, ok bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.Valid, true
		}
	}
	return false, false
}

// Option configures Parse and Read.
type Option func(*options)

type options struct {
	now time.Time
}

// WithNow sets the date against which two-digit years are resolved: birth
// dates to the past, expiry dates to the near future. The default is
// time.Now().
func WithNow(t time.Time) Option { return func(o *options) { o.now = t } }

func buildOptions(opts []Option) options {
	o := options{}
	for _, f := range opts {
		f(&o)
	}
	if o.now.IsZero() {
		o.now = time.Now()
	}
	return o
}

// twin is the character OCR confuses with c across the letter/digit divide.
var twin = map[byte]byte{
	'O': '0', '0': 'O',
	'I': '1', '1': 'I',
	'B': '8', '8': 'B',
	'S': '5', '5': 'S',
	'Z': '2', '2': 'Z',
	'G': '6', '6': 'G',
}

// Parse parses the text lines of a zone. Case and surrounding white space
// are ignored; a single string holding the lines separated by newlines is
// accepted too. A zone whose check digits fail is still returned, with the
// failing checks marked; where a character is one of the pairs OCR confuses
// (O/0, I/1, B/8, S/5, Z/2, G/6) and its field admits only the other (a
// letter in a date or check digit, a digit in a name or country code), it
// is corrected. A check holds only when its digit matches and every
// character it covers is of the kind its field admits. The error is ErrFormat when the
// lines have no zone's shape.
func Parse(lines []string, opts ...Option) (*Result, error) {
	o := buildOptions(opts)
	var clean []string
	for _, l := range lines {
		for _, part := range strings.Split(l, "\n") {
			part = strings.ToUpper(strings.Map(func(r rune) rune {
				switch r {
				case ' ', '\t', '\r':
					return -1
				case '«':
					return '<'
				}
				return r
			}, part))
			if part != "" {
				clean = append(clean, part)
			}
		}
	}
	f := formatOf(clean)
	if f == FormatUnknown {
		return nil, ErrFormat
	}
	text := strings.Join(clean, "")
	l := layoutFor(f, text)
	cands := make([][]Candidate, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		k := l.kinds[i]
		t, hasTwin := twin[c]
		switch {
		case k.allows(c):
			cands[i] = []Candidate{{c, 0}}
		case hasTwin && k.allows(t):
			cands[i] = []Candidate{{t, 0}}
		default:
			cands[i] = []Candidate{{c, 0}}
		}
	}
	// Text carries no confidence: only the field type corrects here. In an
	// alphanumeric field (document number, optional data) the check digits
	// cannot tell a letter/digit twin from any other single error (the
	// composite repeats the number's weights), so such a field is flagged,
	// not guessed at; Read, which knows how alike each glyph looked, does
	// correct there.
	sol := solve(l, cands, 0, false, 1)
	r := assemble(l, sol, clean, o)
	return r, nil
}

func formatOf(lines []string) Format {
	switch {
	case len(lines) == 3 && len(lines[0]) == 30 && len(lines[1]) == 30 && len(lines[2]) == 30:
		return TD1
	case len(lines) == 2 && len(lines[0]) == 36 && len(lines[1]) == 36:
		return TD2
	case len(lines) == 2 && len(lines[0]) == 44 && len(lines[1]) == 44:
		return TD3
	}
	return FormatUnknown
}

// layoutFor picks the layout of a zone of format f from its (best) text:
// visa or not, and a long document number or not.
func layoutFor(f Format, text string) *layout {
	visa := f != TD1 && text[0] == 'V'
	long := 0
	if !visa {
		long = longNumberLen(f, text)
	}
	return newLayout(f, visa, long)
}

// assemble turns a solution into a Result.
func assemble(l *layout, sol solution, input []string, o options) *Result {
	text := string(sol.text)
	n, w := l.format.Lines()
	r := &Result{Format: l.format, Visa: l.visa, Input: input, Cost: sol.cost, Valid: true}
	flat := strings.Join(input, "")
	for i := 0; i < n; i++ {
		r.Lines = append(r.Lines, text[i*w:(i+1)*w])
	}
	for i := 0; i < len(text) && i < len(flat); i++ {
		if text[i] != flat[i] {
			r.Corrected++
			r.Corrections = append(r.Corrections, l.correction(i, flat[i], text[i]))
		}
	}
	get := func(s span) string { return text[s.from:s.to] }
	r.DocumentCode = strings.TrimRight(get(l.code), "<")
	r.IssuingState = strings.TrimRight(get(l.state), "<")
	r.Nationality = strings.TrimRight(get(l.nationality), "<")
	num := pick(sol.text, l.checks[0].data)
	r.Number = strings.TrimRight(string(num), "<")
	switch s := get(l.sex); s {
	case "M", "F":
		r.Sex = s
	default:
		r.Sex = "X"
	}
	r.BirthDate = resolveDate(get(l.birth), o.now, false)
	r.ExpiryDate = resolveDate(get(l.expiry), o.now, true)
	r.Surname, r.GivenNames = splitName(get(l.name))
	var opt []string
	for _, s := range l.optional {
		if v := fillerToSpace(get(s)); v != "" {
			opt = append(opt, v)
		}
	}
	r.Optional = strings.Join(opt, " ")
	all := append(append([]checkDef(nil), l.checks...), checkDefs(l.composite)...)
	for _, c := range all {
		v := sol.valid[c.name]
		r.Checks = append(r.Checks, Check{Name: c.name, Valid: v})
		r.Valid = r.Valid && v
	}
	return r
}

func checkDefs(c *checkDef) []checkDef {
	if c == nil {
		return nil
	}
	return []checkDef{*c}
}

func fillerToSpace(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "<", " ")), " ")
}

// splitName splits the name field at the first double filler into the
// primary identifier (surname) and the secondary one (given names).
func splitName(s string) (surname, given string) {
	s = strings.TrimRight(s, "<")
	if i := strings.Index(s, "<<"); i >= 0 {
		return fillerToSpace(s[:i]), fillerToSpace(s[i+2:])
	}
	return fillerToSpace(s), ""
}

// resolveDate turns YYMMDD into YYYY-MM-DD: a birth date is put in the
// century that makes it not later than now; an expiry date in the century
// that puts it closest to 10 years from now, the longest usual validity (a
// window of [now-40y, now+60y)), so expired documents stay in the past. It returns "" for an impossible date.
func resolveDate(s string, now time.Time, expiry bool) string {
	if len(s) != 6 {
		return ""
	}
	var v [6]int
	for i := 0; i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			return ""
		}
		v[i] = int(s[i] - '0')
	}
	yy, mm, dd := v[0]*10+v[1], v[2]*10+v[3], v[4]*10+v[5]
	if mm < 1 || mm > 12 || dd < 1 || dd > 31 {
		return ""
	}
	century := now.Year() / 100 * 100
	year := century + yy
	if expiry {
		target := now.Year() + 10
		for _, y := range []int{year - 100, year + 100} {
			if abs(y-target) < abs(year-target) {
				year = y
			}
		}
	} else {
		d := time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
		if d.After(now) {
			year -= 100
		}
	}
	d := time.Date(year, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if d.Day() != dd {
		return "" // 31 February and the like
	}
	return d.Format("2006-01-02")
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// correction explains why position i changed from from to to.
func (l *layout) correction(i int, from, to byte) Correction {
	c := Correction{Line: i/l.width + 1, Column: i%l.width + 1, From: string(from), To: string(to), Field: l.fieldAt(i)}
	in := func(s span) bool { return i >= s.from && i < s.to }
	switch {
	case !l.kinds[i].allows(from):
		c.Reason = "kind"
	case in(l.state) || in(l.nationality):
		c.Reason = "state"
	default:
		c.Reason = "check"
	}
	all := append(append([]checkDef(nil), l.checks...), checkDefs(l.composite)...)
	for _, cd := range all {
		covers := cd.digit == i
		for _, p := range cd.data {
			covers = covers || p == i
		}
		if covers {
			c.Checks = append(c.Checks, cd.name)
		}
	}
	return c
}

// fieldAt names the field position i belongs to.
func (l *layout) fieldAt(i int) string {
	in := func(s span) bool { return i >= s.from && i < s.to }
	all := append(append([]checkDef(nil), l.checks...), checkDefs(l.composite)...)
	for _, cd := range all {
		if cd.digit == i {
			return cd.name + " check digit"
		}
	}
	for _, f := range []struct {
		s    span
		name string
	}{{l.code, "document_code"}, {l.state, "issuing_state"}, {l.number, "number"}, {l.nationality, "nationality"},
		{l.birth, "birth_date"}, {l.sex, "sex"}, {l.expiry, "expiry_date"}, {l.name, "name"}} {
		if in(f.s) {
			return f.name
		}
	}
	for _, s := range l.optional {
		if in(s) {
			return "optional"
		}
	}
	if cd := l.checks[0]; len(cd.data) > 9 {
		for _, p := range cd.data {
			if p == i {
				return "number"
			}
		}
	}
	return "filler"
}
