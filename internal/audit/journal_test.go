package audit

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func entry(booking string) Entry {
	return Entry{
		BookingID: booking,
		Signature: File{SHA256: Sum([]byte("png of the signature")), Ref: "sig-" + booking[:8]},
		Images: []Image{
			{Side: "front", File: File{SHA256: Sum([]byte("front jpeg")), Ref: "doc-1"}},
			{Side: "back", File: File{SHA256: Sum([]byte("back jpeg")), Ref: "doc-2"}},
		},
		MewsRef:   "8d2f0f3e-1c8e-4d0e-9a55-3c1b5f0a9b77",
		Agreement: Sum([]byte("I agree to the terms.")),
		MRZ:       MRZ{Read: true, Valid: true, Format: "TD1"},
	}
}

const (
	b1 = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	b2 = "5b7c9a10-0d4e-4c2f-8f4a-7b1e2d3c4f50"
	b3 = "a1b2c3d4-e5f6-4789-8abc-def012345678"
)

func openAt(t *testing.T, dir string, clk *clock, keep int) *Journal {
	t.Helper()
	j, err := Open(dir, Options{KeepDays: keep, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func pubOf(t *testing.T, dir string) ed25519.PublicKey {
	t.Helper()
	_, pubPath := Paths(dir)
	pub, err := LoadPublicKey(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func verify(t *testing.T, dir string, data []byte) (Summary, error) {
	t.Helper()
	return Verify(bytes.NewReader(data), pubOf(t, dir))
}

// journalOfThree opens a journal in dir holding the move-ins of b1, b2
// and b3, in that order.
func journalOfThree(t *testing.T, dir string) *Journal {
	t.Helper()
	clk := &clock{time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	j := openAt(t, dir, clk, 400)
	for _, b := range []string{b1, b2, b3} {
		if err := j.Append(entry(b)); err != nil {
			t.Fatal(err)
		}
	}
	return j
}

func TestAppendVerify(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	j := openAt(t, dir, clk, 400)
	for _, b := range []string{b1, b2, b3} {
		if err := j.Append(entry(b)); err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(time.Hour)
	}
	path, _ := Paths(dir)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v, want 0600", fi.Mode().Perm())
	}
	for _, name := range []string{KeyFile, Dir} {
		p := filepath.Join(dir, Dir, name)
		if name == Dir {
			p = filepath.Join(dir, Dir)
		}
		fi, _ := os.Stat(p)
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s mode %v: readable by others", p, fi.Mode().Perm())
		}
	}
	data, _ := os.ReadFile(path)
	if n := bytes.Count(data, []byte("\n")); n != 3 {
		t.Fatalf("%d lines, want 3", n)
	}
	s, err := verify(t, dir, data)
	if err != nil {
		t.Fatal(err)
	}
	if s.MoveIns != 3 || s.LastSeq != 3 || !s.Last.Equal(time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("summary %+v", s)
	}
	first := strings.SplitN(string(data), "\n", 2)[0]
	for _, want := range []string{`"seq":1`, `"type":"move_in"`, `"booking":"` + b1, `"storegister_ref":"doc-1"`,
		`"agreement_sha256":"` + Sum([]byte("I agree to the terms.")).String(), `"format":"TD1"`,
		`"prev":"0000000000000000000000000000000000000000000000000000000000000000"`, `"sig":"`} {
		if !strings.Contains(first, want) {
			t.Errorf("line 1 lacks %s:\n%s", want, first)
		}
	}
	// Found by booking, any case.
	found, err := Find(path, strings.ToUpper(b2))
	if err != nil || len(found) != 1 || found[0].Line != 2 || found[0].Signature.Ref != "sig-5b7c9a10" {
		t.Errorf("Find: %+v %v", found, err)
	}
	if last, err := Last(path); err != nil || last == nil || last.Booking != b3 {
		t.Errorf("Last: %+v %v", last, err)
	}
}

// Changing any byte of an earlier line makes Verify fail, naming that line.
func TestVerifyNamesTheChangedLine(t *testing.T) {
	dir := t.TempDir()
	journalOfThree(t, dir)
	path, _ := Paths(dir)
	data, _ := os.ReadFile(path)
	pub := pubOf(t, dir)
	lineOf := func(off int) int { return bytes.Count(data[:off], []byte("\n")) + 1 }
	end2 := bytes.Index(data[bytes.IndexByte(data, '\n')+1:], []byte("\n")) + bytes.IndexByte(data, '\n') + 1
	for off := 0; off < end2; off++ { // every byte of lines 1 and 2, newlines included
		for i, b := range []byte{data[off] ^ 0x01, 'A', '"'} {
			if b == data[off] || (i > 0 && off%5 != 0) { // every byte flipped; every fifth also replaced
				continue
			}
			bad := bytes.Clone(data)
			bad[off] = b
			_, err := Verify(bytes.NewReader(bad), pub)
			var be *BrokenError
			if !errors.As(err, &be) {
				t.Fatalf("byte %d set to %q: err = %v, want a broken line", off, b, err)
			}
			if want := lineOf(off); be.Line != want {
				t.Fatalf("byte %d (line %d) set to %q: Verify names line %d: %v", off, want, b, be.Line, err)
			}
		}
	}
	// A line removed from the middle: the line after it is named.
	lines := bytes.SplitAfter(data, []byte("\n"))
	cut := append(bytes.Clone(lines[0]), lines[2]...)
	var be *BrokenError
	if _, err := Verify(bytes.NewReader(cut), pub); !errors.As(err, &be) || be.Line != 2 {
		t.Errorf("line 2 removed: %v", err)
	}
	// The head removed without a checkpoint.
	if _, err := Verify(bytes.NewReader(bytes.Join(lines[1:], nil)), pub); !errors.As(err, &be) || be.Line != 1 {
		t.Errorf("line 1 removed: %v", err)
	}
	// Another key.
	other, _, _ := ed25519.GenerateKey(nil)
	if _, err := Verify(bytes.NewReader(data), other); !errors.As(err, &be) || be.Line != 1 {
		t.Errorf("other key: %v", err)
	}
	// The error quotes nothing of the line.
	bad := bytes.Replace(data, []byte(b2), []byte(b3), 1)
	if _, err := Verify(bytes.NewReader(bad), pub); err == nil || strings.Contains(err.Error(), b3) {
		t.Errorf("changed booking: %v", err)
	}
}

// pruneThenAppend prunes j (in dir), wanting n lines gone, appends a
// move-in of booking, and returns the journal's bytes.
func pruneThenAppend(t *testing.T, j *Journal, dir string, n int, booking string) []byte {
	t.Helper()
	if got, err := j.Prune(); got != n || err != nil {
		t.Fatalf("Prune = %d, %v; want %d", got, err, n)
	}
	if err := j.Append(entry(booking)); err != nil {
		t.Fatal(err)
	}
	path, _ := Paths(dir)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestPruneKeepsTheChainVerifiable(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC)
	clk := &clock{t0}
	j := openAt(t, dir, clk, 400)
	for i, days := range []int{0, 30, 200, 390} {
		clk.t = t0.AddDate(0, 0, days)
		if err := j.Append(entry([]string{b1, b2, b3, b1}[i])); err != nil {
			t.Fatal(err)
		}
	}
	clk.t = t0.AddDate(0, 0, 500) // cut-off at day 100: two lines go
	data := pruneThenAppend(t, j, dir, 2, b2)
	path, _ := Paths(dir)
	s, err := verify(t, dir, data)
	if err != nil {
		t.Fatalf("after pruning: %v\n%s", err, data)
	}
	if s.Pruned != 2 || s.MoveIns != 3 || s.FirstSeq != 3 || s.LastSeq != 5 {
		t.Errorf("summary %+v", s)
	}
	if !bytes.HasPrefix(data, []byte(`{"seq":2,"type":"checkpoint"`)) {
		t.Errorf("first line is not the checkpoint:\n%s", data)
	}
	// Prune again a year later, through a reopened journal: one checkpoint.
	j.Close()
	clk.t = t0.AddDate(0, 0, 850)
	j2 := openAt(t, dir, clk, 400) // Open prunes
	if err := j2.Append(entry(b3)); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(path)
	s, err = verify(t, dir, data)
	if err != nil {
		t.Fatalf("after the second pruning: %v\n%s", err, data)
	}
	if s.Pruned != 4 || s.MoveIns != 2 || bytes.Count(data, []byte(`"checkpoint"`)) != 1 {
		t.Errorf("summary %+v\n%s", s, data)
	}
	// A changed checkpoint, or one removed, is found.
	var be *BrokenError
	bad := bytes.Replace(data, []byte(`"seq":4,"type":"checkpoint"`), []byte(`"seq":3,"type":"checkpoint"`), 1)
	if _, err := verify(t, dir, bad); !errors.As(err, &be) || be.Line != 1 {
		t.Errorf("changed checkpoint: %v", err)
	}
	if _, err := verify(t, dir, data[bytes.IndexByte(data, '\n')+1:]); !errors.As(err, &be) || be.Line != 1 {
		t.Errorf("checkpoint removed: %v", err)
	}
}

func TestPruneEverything(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC)
	clk := &clock{t0}
	j := openAt(t, dir, clk, 10)
	j.Append(entry(b1))
	j.Append(entry(b2))
	clk.t = t0.AddDate(0, 0, 30)
	data := pruneThenAppend(t, j, dir, 2, b3)
	if s, err := verify(t, dir, data); err != nil || s.MoveIns != 1 || s.LastSeq != 3 {
		t.Errorf("%+v %v\n%s", s, err, data)
	}
}

func TestReopenContinuesAndRepairsACutLine(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	j := openAt(t, dir, clk, 400)
	j.Append(entry(b1))
	j.Append(entry(b2))
	j.Close()
	path, _ := Paths(dir)
	// A crash in the middle of a third line.
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte(`{"seq":3,"type":"move_in","ti`))
	f.Close()
	if _, err := VerifyFile(path, pubOf(t, dir)); err == nil {
		t.Error("a cut line verifies")
	}
	j2 := openAt(t, dir, clk, 400)
	if j2.LastSeq() != 2 {
		t.Errorf("LastSeq after reopening = %d", j2.LastSeq())
	}
	if err := j2.Append(entry(b3)); err != nil {
		t.Fatal(err)
	}
	if s, err := VerifyFile(path, pubOf(t, dir)); err != nil || s.LastSeq != 3 {
		t.Errorf("%+v %v", s, err)
	}
}

func TestMissingKeyIsNotReplaced(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	j := openAt(t, dir, clk, 400)
	j.Append(entry(b1))
	j.Close()
	os.Remove(filepath.Join(dir, Dir, KeyFile))
	if _, err := Open(dir, Options{Now: clk.now}); !errors.Is(err, ErrNoKey) {
		t.Errorf("Open without the key: %v", err)
	}
}

func TestEntryRefusesWhatIsNotAnIdentifier(t *testing.T) {
	dir := t.TempDir()
	j := openAt(t, dir, &clock{time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}, 400)
	for name, mod := range map[string]func(*Entry){
		"name as booking":    func(e *Entry) { e.BookingID = "Anna Maria Eriksson" },
		"number in mews ref": func(e *Entry) { e.MewsRef = "L898902C3 " },
		"long ref":           func(e *Entry) { e.Signature.Ref = strings.Repeat("a", 65) },
		"side":               func(e *Entry) { e.Images[0].Side = "left" },
		"no signature":       func(e *Entry) { e.Signature.SHA256 = Digest{} },
		"no agreement":       func(e *Entry) { e.Agreement = Digest{} },
		"mrz format":         func(e *Entry) { e.MRZ.Format = "P<UTO" },
		"unread mrz valid":   func(e *Entry) { e.MRZ = MRZ{Valid: true} },
	} {
		e := entry(b1)
		mod(&e)
		if err := j.Append(e); !errors.Is(err, ErrBadEntry) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if j.LastSeq() != 0 {
		t.Error("a refused entry was written")
	}
}
