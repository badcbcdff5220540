package audit

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"testing"
	"time"
)

// journalSeed writes a small journal (with a checkpoint) and returns its
// bytes and public key.
func journalSeed(f *testing.F) ([]byte, ed25519.PublicKey) {
	dir := f.TempDir()
	t0 := time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC)
	clk := &clock{t0}
	j, err := Open(dir, Options{KeepDays: 10, Now: clk.now})
	if err != nil {
		f.Fatal(err)
	}
	defer j.Close()
	j.Append(entry(b1))
	clk.t = t0.AddDate(0, 0, 30)
	j.Append(entry(b2))
	j.Append(entry(b3))
	clk.t = t0.AddDate(0, 0, 35)
	j.Prune()
	path, pubPath := Paths(dir)
	data, _ := os.ReadFile(path)
	pub, err := LoadPublicKey(pubPath)
	if err != nil {
		f.Fatal(err)
	}
	return data, pub
}

// FuzzParseLine feeds arbitrary bytes to the line parser: it must never
// panic, and a line it accepts must be one it could have written.
func FuzzParseLine(f *testing.F) {
	data, _ := journalSeed(f)
	for _, l := range bytes.Split(data, []byte("\n")) {
		f.Add(l)
	}
	f.Add([]byte(`{"seq":1,"type":"move_in","sig":"AAAA"}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		r, body, err := ParseLine(line)
		if err != nil {
			return
		}
		if len(r.Sig) != ed25519.SignatureSize || len(body) == 0 || body[len(body)-1] != '}' {
			t.Fatalf("accepted %q: sig %d bytes, body %q", line, len(r.Sig), body)
		}
		if err := r.check(); err != nil {
			t.Fatalf("accepted a line that fails its check: %v", err)
		}
	})
}

// FuzzVerify checks that a journal of any bytes is verified or refused,
// never a panic, and that an accepted journal's summary is consistent.
func FuzzVerify(f *testing.F) {
	data, pub := journalSeed(f)
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Verify(bytes.NewReader(b), pub)
		if err == nil && s.Lines != bytes.Count(b, []byte("\n")) {
			t.Fatalf("verified %d lines of %d", s.Lines, bytes.Count(b, []byte("\n")))
		}
	})
}
