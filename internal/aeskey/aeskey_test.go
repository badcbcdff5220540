package aeskey_test

import (
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/aeskey"
)

func TestParse(t *testing.T) {
	want := [aeskey.Size]byte{0xab, 0xab}
	for s, ok := range map[string]bool{
		strings.Repeat("ab", 32):                       true,
		" " + strings.Repeat("AB", 32) + "\n":          true,
		"q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=": true,
		"q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA":  true,
		"":                       false,
		"too-short":              false,
		strings.Repeat("ab", 16): false,
		strings.Repeat("zz", 32): false,
	} {
		k, err := aeskey.Parse(s)
		if (err == nil) != ok {
			t.Errorf("Parse(%q): %v", s, err)
		}
		if err != nil && strings.Contains(err.Error(), s) && s != "" {
			t.Errorf("error repeats the text: %v", err)
		}
		if ok && strings.Contains(strings.ToLower(s), "abab") && k[0] != want[0] {
			t.Errorf("Parse(%q) = %x", s, k[:4])
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(strings.Repeat("ab", 32))
	f.Add("q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=")
	f.Fuzz(func(t *testing.T, s string) { _, _ = aeskey.Parse(s) })
}
