package mrz

import (
	"strings"
	"testing"
)

// td3 is the ICAO specimen passport zone.
var td3 = []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}

// fakeRead is a read of text whose cells correlate conf with their own
// character and, where wrong holds a position, more with another.
func fakeRead(t *testing.T, lines []string, conf float32, wrong map[int]byte) *Result {
	t.Helper()
	text := strings.Join(lines, "")
	sc := make([]cellScores, len(text))
	for i := 0; i < len(text); i++ {
		for c := range sc[i] {
			sc[i][c] = 0.2
		}
		sc[i][strings.IndexByte(mrzChars, text[i])] = conf
		if w, ok := wrong[i]; ok {
			sc[i][strings.IndexByte(mrzChars, w)] = conf + 0.1
		}
	}
	r, _, _ := decide(sc, formatOf(lines), buildOptions([]Option{WithNow(testNow)}))
	if r == nil {
		t.Fatal("decide: nothing")
	}
	return r
}

func TestVoterOutvotesMisreads(t *testing.T) {
	v := NewVoter(0, WithNow(testNow))
	if r, _ := v.Vote(); r != nil {
		t.Fatalf("empty voter voted %v", r)
	}
	// Each frame misreads two characters of the document number (which
	// the check digits cannot repair in one field); no single frame is
	// valid, the vote is.
	frames := []map[int]byte{{44: 'Q', 46: 'B'}, {47: 'Z', 48: 'A'}, {49: 'S', 50: 'G'}, {44: 'O', 51: 'Q'}, nil}
	valid := 0
	for _, w := range frames[:4] {
		r := fakeRead(t, td3, 0.8, w)
		if r.Valid {
			valid++
		}
		v.Add(r)
	}
	v.Add(nil) // a frame where nothing was found
	if valid != 0 {
		t.Fatalf("%d single frames valid, want none (the test would prove nothing)", valid)
	}
	r, tally := v.Vote()
	if !r.Valid || strings.Join(r.Lines, "") != strings.Join(td3, "") {
		t.Fatalf("vote = %q valid=%t, want the specimen", r.Lines, r.Valid)
	}
	if tally.Frames != 4 || len(tally.Agree) != 2 || tally.Agree[0] != 4 || tally.Agree[1] != 0 {
		t.Errorf("tally = %+v, want 4 frames, line 1 agreed by 4, line 2 by none", tally)
	}
	if v.Len() != 4 {
		t.Errorf("Len = %d", v.Len())
	}
	v.Reset()
	if r, _ := v.Vote(); r != nil || v.Len() != 0 {
		t.Errorf("after Reset: %v", r)
	}
}

// TestVoterKeepsLatest: only the latest reads count, and a frame that read
// another zone is left out of the vote.
func TestVoterKeepsLatest(t *testing.T) {
	other := []string{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}
	v := NewVoter(3, WithNow(testNow))
	v.Add(fakeRead(t, []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}, 0.9, nil))
	for i := 0; i < 3; i++ {
		v.Add(fakeRead(t, other, 0.8, nil))
	}
	r, tally := v.Vote()
	if r.Format != TD3 || tally.Frames != 3 || !r.Valid {
		t.Errorf("vote %v over %d frames, want the latest three TD3 reads", r, tally.Frames)
	}
	// A read of a different passport among them: outvoted and left out.
	v = NewVoter(5, WithNow(testNow))
	for i := 0; i < 3; i++ {
		v.Add(fakeRead(t, other, 0.8, nil))
	}
	v.Add(fakeRead(t, []string{"P<NLDMARTIN<<ELENA<<<<<<<<<<<<<<<<<<<<<<<<<<", "XK12345674NLD8001014F3001012<<<<<<<<<<<<<<04"}, 0.95, nil))
	r, tally = v.Vote()
	if !r.Valid || r.Lines[1] != other[1] || tally.Frames != 3 {
		t.Errorf("vote %q over %d frames, want the three agreeing reads", r.Lines, tally.Frames)
	}
}

// TestVoterNoFalseValid: reads that do not agree and do not validate do
// not vote into a valid zone.
func TestVoterNoFalseValid(t *testing.T) {
	v := NewVoter(5, WithNow(testNow))
	for _, w := range []map[int]byte{{44: 'Q', 46: 'B', 60: '3', 62: '7'}, {44: 'Q', 46: 'B', 60: '3', 62: '7'}, {44: 'Q', 46: 'B', 60: '3', 62: '7'}} {
		v.Add(fakeRead(t, td3, 0.8, w))
	}
	r, _ := v.Vote()
	if r.Valid {
		t.Errorf("three frames agreeing on a zone whose checks fail voted valid: %q", r.Lines)
	}
}

// TestReadCorrectionsSayWhy: a read whose check digits pass only after
// correcting a character lists it with the checks that decided it.
func TestReadCorrectionsSayWhy(t *testing.T) {
	// Line 2 column 19 (the last '2' of the birth date 740812) reads as
	// '7' a little better than as '2'.
	text := strings.Join(td3, "")
	sc := make([]cellScores, len(text))
	for i := 0; i < len(text); i++ {
		for c := range sc[i] {
			sc[i][c] = 0.2
		}
		sc[i][strings.IndexByte(mrzChars, text[i])] = 0.95
	}
	sc[44+18][strings.IndexByte(mrzChars, '7')] = 0.97
	r, _, _ := decide(sc, TD3, buildOptions([]Option{WithNow(testNow)}))
	if !r.Valid || r.Lines[1] != td3[1] {
		t.Fatalf("read %q valid=%t, want the specimen corrected", r.Lines, r.Valid)
	}
	want := Correction{Line: 2, Column: 19, From: "7", To: "2", Field: "birth_date", Reason: "check", Checks: []string{"birth_date", "composite"}}
	if len(r.Corrections) != 1 || !equalCorrection(r.Corrections[0], want) {
		t.Errorf("corrections = %+v, want %+v", r.Corrections, want)
	}
	// Parse corrects only by the field's kind, and says so.
	p, err := Parse([]string{td3[0], strings.Replace(td3[1], "7408122", "74O8122", 1)}, WithNow(testNow))
	if err != nil {
		t.Fatal(err)
	}
	want = Correction{Line: 2, Column: 16, From: "O", To: "0", Field: "birth_date", Reason: "kind", Checks: []string{"birth_date", "composite"}}
	if !p.Valid || len(p.Corrections) != 1 || !equalCorrection(p.Corrections[0], want) {
		t.Errorf("Parse corrections = %+v, want %+v", p.Corrections, want)
	}
}

func equalCorrection(a, b Correction) bool {
	return a.Line == b.Line && a.Column == b.Column && a.From == b.From && a.To == b.To && a.Field == b.Field &&
		a.Reason == b.Reason && strings.Join(a.Checks, ",") == strings.Join(b.Checks, ",")
}
