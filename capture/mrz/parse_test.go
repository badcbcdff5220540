package mrz

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/signet-kiosk/signet/internal/demodata"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// specimens are ICAO 9303 specimen zones (tech-notes.md, Doc 9303 parts 4–7)
// and the synthetic card of the demo world.
var specimens = []struct {
	name  string
	lines []string
	want  Result
}{
	{
		name:  "TD3 passport",
		lines: []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
		want: Result{Format: TD3, DocumentCode: "P", IssuingState: "UTO", Number: "L898902C3",
			BirthDate: "1974-08-12", ExpiryDate: "2012-04-15", Sex: "F", Nationality: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Optional: "ZE184226B",
			Checks: []Check{{"number", true}, {"birth_date", true}, {"expiry_date", true}, {"optional", true}, {"composite", true}}, Valid: true},
	},
	{
		name:  "TD1 demo card",
		lines: demodata.CardMRZ[:],
		want: Result{Format: TD1, DocumentCode: "I", IssuingState: "UTO", Number: demodata.CardNumber,
			BirthDate: "1974-08-12", ExpiryDate: demodata.CardExpiry, Sex: "F", Nationality: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			Checks: []Check{{"number", true}, {"birth_date", true}, {"expiry_date", true}, {"composite", true}}, Valid: true},
	},
	{
		name:  "TD1 ICAO",
		lines: []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"},
		want: Result{Format: TD1, DocumentCode: "I", IssuingState: "UTO", Number: "D23145890",
			BirthDate: "1974-08-12", ExpiryDate: "2012-04-15", Sex: "F", Nationality: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			Checks: []Check{{"number", true}, {"birth_date", true}, {"expiry_date", true}, {"composite", true}}, Valid: true},
	},
	{
		name:  "TD1 long document number",
		lines: []string{"I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"},
		want: Result{Format: TD1, DocumentCode: "I", IssuingState: "UTO", Number: "D23145890734",
			BirthDate: "1934-07-12", ExpiryDate: "1995-07-12", Sex: "M", Nationality: "UTO",
			Surname: "STEVENSON", GivenNames: "PETER JOHN",
			Checks: []Check{{"number", true}, {"birth_date", true}, {"expiry_date", true}, {"composite", true}}, Valid: true},
	},
	{
		name:  "TD2",
		lines: []string{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"},
		want: Result{Format: TD2, DocumentCode: "I", IssuingState: "UTO", Number: "D23145890",
			BirthDate: "1974-08-12", ExpiryDate: "2012-04-15", Sex: "F", Nationality: "UTO",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			Checks: []Check{{"number", true}, {"birth_date", true}, {"expiry_date", true}, {"composite", true}}, Valid: true},
	},
	{
		name:  "MRV-A visa",
		lines: []string{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"},
		want: Result{Format: TD3, Visa: true, DocumentCode: "V", IssuingState: "UTO", Number: "L8988901C",
			BirthDate: "1940-09-07", ExpiryDate: "1996-12-10", Sex: "F", Nationality: "XXX",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Optional: "6ZE184226B",
			Checks: []Check{{"number", true}, {"birth_date", true}, {"expiry_date", true}}, Valid: true},
	},
	{
		name:  "MRV-B visa",
		lines: []string{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"},
		want: Result{Format: TD2, Visa: true, DocumentCode: "V", IssuingState: "UTO", Number: "L8988901C",
			BirthDate: "1940-09-07", ExpiryDate: "1996-12-10", Sex: "F", Nationality: "XXX",
			Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
			Checks: []Check{{"number", true}, {"birth_date", true}, {"expiry_date", true}}, Valid: true},
	},
}

var ignoreText = cmp.Options{cmpopts.IgnoreFields(Result{}, "Lines", "Input", "Corrected", "Corrections", "Cost"), cmpopts.IgnoreUnexported(Result{})}

func TestParseSpecimens(t *testing.T) {
	for _, tc := range specimens {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.lines, WithNow(testNow))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, *got, ignoreText); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			if !cmp.Equal(got.Lines, tc.lines) || got.Corrected != 0 {
				t.Errorf("Lines = %q, corrected %d; want the input unchanged", got.Lines, got.Corrected)
			}
		})
	}
}

func TestParseTextForms(t *testing.T) {
	lines := specimens[0].lines
	for _, in := range [][]string{
		{strings.Join(lines, "\n")},
		{strings.ToLower(lines[0]), " " + lines[1] + " \r"},
		{strings.Join(lines, "\r\n") + "\n"},
	} {
		r, err := Parse(in, WithNow(testNow))
		if err != nil || !r.Valid {
			t.Errorf("Parse(%q) = %v, %v; want a valid zone", in, r, err)
		}
	}
}

func TestParseNotAZone(t *testing.T) {
	for _, in := range [][]string{
		nil,
		{""},
		{"P<UTO"},
		{specimens[0].lines[0]},
		{specimens[0].lines[0], specimens[0].lines[1][:43]},
		{demodata.CardMRZ[0], demodata.CardMRZ[1]},
		{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10", "X"},
	} {
		if _, err := Parse(in); !errors.Is(err, ErrFormat) {
			t.Errorf("Parse(%q) error = %v, want ErrFormat", in, err)
		}
	}
}

// checkedPositions are the flattened positions some check digit covers.
func checkedPositions(l *layout) map[int]bool {
	m := map[int]bool{}
	all := append([]checkDef(nil), l.checks...)
	if l.composite != nil {
		all = append(all, *l.composite)
	}
	for _, c := range all {
		for _, p := range c.data {
			m[p] = true
		}
		m[c.digit] = true
	}
	return m
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// TestParseCorruptions changes every character of every specimen to every
// other MRZ character. Where a check digit covers the position the change
// must be detected (a failing check) or undone; where the character is the
// letter/digit twin of the original and the field type decides, it must be
// undone.
func TestParseCorruptions(t *testing.T) {
	for _, tc := range specimens {
		text := strings.Join(tc.lines, "")
		w := len(tc.lines[0])
		l := layoutFor(tc.want.Format, text)
		covered := checkedPositions(l)
		var detected, corrected, total int
		for p := 0; p < len(text); p++ {
			for _, c := range []byte(alphabet) {
				if c == text[p] {
					continue
				}
				b := []byte(text)
				b[p] = c
				var lines []string
				for i := 0; i < len(b); i += w {
					lines = append(lines, string(b[i:i+w]))
				}
				r, err := Parse(lines, WithNow(testNow))
				if err != nil {
					t.Fatalf("%s: Parse: %v", tc.name, err)
				}
				fixed := strings.Join(r.Lines, "") == text
				if fixed && !r.Valid {
					t.Errorf("%s: %q at %d: restored but not valid", tc.name, c, p)
				}
				// A change between characters of equal value modulo 10
				// (L and B, 1 and B…) is invisible to every check digit:
				// ICAO's scheme cannot see it, so neither can Parse.
				if covered[p] && val10(c) != val10(text[p]) {
					total++
					switch {
					case fixed:
						corrected++
					case !r.Valid:
						detected++
					default:
						t.Errorf("%s: %q at %d (line %d col %d) gives a valid zone %q", tc.name, c, p, p/w+1, p%w+1, r.Lines)
					}
				}
				if twin[text[p]] == c {
					// Unambiguous by type: a digit where only letters go, a
					// letter where only digits go.
					k := l.kinds[p]
					byType := !k.allows(c) && k.allows(text[p])
					if byType && !fixed {
						t.Errorf("%s: twin %q for %q at %d (line %d col %d) not corrected: %q", tc.name, c, text[p], p, p/w+1, p%w+1, r.Lines)
					}
				}
			}
		}
		t.Logf("%s: %d corruptions of checked positions: %d corrected, %d detected", tc.name, total, corrected, detected)
	}
}

func TestResolveDate(t *testing.T) {
	tests := []struct {
		in     string
		expiry bool
		want   string
	}{
		{"740812", false, "1974-08-12"},
		{"261123", false, "2026-11-23"},
		{"261124", false, "1926-11-24"},
		{"050101", false, "2005-01-01"},
		{"341215", true, "2034-12-15"},
		{"120415", true, "2012-04-15"},
		{"990101", true, "1999-01-01"},
		{"800101", true, "2080-01-01"},
		{"870101", true, "1987-01-01"},
		{"740230", false, ""},
		{"741301", false, ""},
		{"7408<<", false, ""},
		{"74081", false, ""},
	}
	for _, tc := range tests {
		if got := resolveDate(tc.in, testNow, tc.expiry); got != tc.want {
			t.Errorf("resolveDate(%q, expiry=%t) = %q, want %q", tc.in, tc.expiry, got, tc.want)
		}
	}
}

func TestCheckDigit(t *testing.T) {
	tests := []struct {
		in   string
		want byte
		ok   bool
	}{
		{"L898902C3", '6', true},
		{"740812", '2', true},
		{"120415", '9', true},
		{"D23145890734", '9', true},
		{"<<<<<<", '0', true},
		{"", '0', true},
		{"l898902C3", 0, false},
	}
	for _, tc := range tests {
		got, ok := CheckDigit(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CheckDigit(%q) = %q, %t; want %q, %t", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestResultPrintsNoPersonalData(t *testing.T) {
	r, err := Parse(specimens[0].lines, WithNow(testNow))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{r.String(), r.LogValue().String(), r.Document().String()} {
		for _, secret := range []string{"ERIKSSON", "L898902C3", "1974"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows %q", s, secret)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, tc := range specimens {
		f.Add(strings.Join(tc.lines, "\n"))
	}
	f.Add("I<UTOD23145890<<<<<<<<<<<<<<<<\n<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<")
	f.Add("V<\x00\xff")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse([]string{s}, WithNow(testNow))
		if err != nil {
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		n, w := r.Format.Lines()
		if len(r.Lines) != n {
			t.Fatalf("%d lines, want %d", len(r.Lines), n)
		}
		for _, l := range r.Lines {
			if len(l) != w {
				t.Fatalf("line %q, want %d characters", l, w)
			}
		}
		if r.Valid {
			for _, c := range r.Checks {
				if !c.Valid {
					t.Fatalf("valid with check %s failing", c.Name)
				}
			}
			// A valid result must parse again to itself.
			again, err := Parse(r.Lines, WithNow(testNow))
			if err != nil || !again.Valid || !cmp.Equal(again.Lines, r.Lines) {
				t.Fatalf("re-parse of %q: %v %v", r.Lines, again, err)
			}
		}
	})
}
