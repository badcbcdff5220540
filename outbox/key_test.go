package outbox

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/redact"
)

func TestParseKey(t *testing.T) {
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	var want Key
	copy(want[:], raw)
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"hex", hex.EncodeToString(raw), true},
		{"hex upper with newline", strings.ToUpper(hex.EncodeToString(raw)) + "\n", true},
		{"base64", base64.StdEncoding.EncodeToString(raw), true},
		{"base64 raw url", base64.RawURLEncoding.EncodeToString(raw), true},
		{"short hex", hex.EncodeToString(raw[:31]), false},
		{"16 bytes base64", base64.StdEncoding.EncodeToString(raw[:16]), false},
		{"passphrase", "correct horse battery staple", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseKey(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				if !errors.Is(err, ErrBadKey) || (tc.in != "" && strings.Contains(err.Error(), tc.in)) {
					t.Errorf("error %q must be ErrBadKey and not echo the input", err)
				}
				return
			}
			if k != want {
				t.Error("wrong key")
			}
		})
	}
}

func TestKeyPrintsMasked(t *testing.T) {
	k := testKey(t)
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %s %x %#v %q", k, k, k, k, k)} {
		if strings.Contains(s, hex.EncodeToString(k[:])[:8]) || !strings.Contains(s, redact.SecretMask) {
			t.Errorf("key printed as %q", s)
		}
	}
}

func TestLoadKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	k1, gen, err := LoadKey(dir, "")
	if err != nil || !gen {
		t.Fatalf("first load: gen=%v err=%v", gen, err)
	}
	path := filepath.Join(dir, KeyFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	k2, gen, err := LoadKey(dir, "")
	if err != nil || gen || k2 != k1 {
		t.Fatalf("second load: same=%v gen=%v err=%v", k2 == k1, gen, err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadKey(dir, ""); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("loose key file left at %v", fi.Mode().Perm())
	}
	if des, _ := os.ReadDir(dir); len(des) != 1 {
		t.Errorf("state dir holds %d entries, want only the key", len(des))
	}

	configured := hex.EncodeToString(make([]byte, 32))
	k3, gen, err := LoadKey(dir, redact.Secret(configured))
	if err != nil || gen || k3 != (Key{}) {
		t.Errorf("configured key not used: gen=%v err=%v", gen, err)
	}
	if _, _, err := LoadKey(dir, "not a key"); !errors.Is(err, ErrBadKey) {
		t.Errorf("bad configured key: %v", err)
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadKey(dir, ""); !errors.Is(err, ErrBadKey) {
		t.Errorf("garbage key file: %v", err)
	}
	if _, _, err := LoadKey("", ""); err == nil {
		t.Error("no state dir and no key accepted")
	}
}
