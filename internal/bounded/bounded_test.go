package bounded

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadCeiling(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int64
		fail bool
	}{{"", 0, false}, {"abc", 3, false}, {"abcd", 3, true}, {"a", 0, true}} {
		b, err := Read(strings.NewReader(c.in), "input", c.max)
		if c.fail {
			var tl *TooLarge
			if !errors.Is(err, ErrTooLarge) || !errors.As(err, &tl) || tl.Max != c.max || tl.Name != "input" {
				t.Errorf("%q max %d: %v, want TooLarge", c.in, c.max, err)
			}
			continue
		}
		if err != nil || string(b) != c.in {
			t.Errorf("%q max %d: %q %v", c.in, c.max, b, err)
		}
	}
}

// TestReadHoldsAtMostMaxPlusOne: an endless source is not read on.
func TestReadHoldsAtMostMaxPlusOne(t *testing.T) {
	r := &counting{}
	if _, err := Read(r, "endless", 1000); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err %v", err)
	}
	if r.n > 1001+512 { // io.ReadAll asks in chunks; it stops once the limit is reached
		t.Errorf("read %d bytes of an endless source for a ceiling of 1000", r.n)
	}
}

type counting struct{ n int }

func (c *counting) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	c.n += len(p)
	return len(p), nil
}

func TestReadFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFile(p, 5); err != nil || string(b) != "hello" {
		t.Errorf("%q %v", b, err)
	}
	_, err := ReadFile(p, 4)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "4 bytes") {
		t.Errorf("err %v", err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing"), 4); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{16 << 20: "16 MiB", 8 << 10: "8 KiB", 1000: "1000 bytes", 1<<20 + 1: "1048577 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
