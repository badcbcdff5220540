package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

// cheapHash keeps set-pin tests fast; the format is the same.
func cheapHash(t *testing.T) {
	old := pinParams
	pinParams = staffauth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	t.Cleanup(func() { pinParams = old })
}

func runSetPINCmd(t *testing.T, path, stdin string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(stdin), Version: "test",
		Getenv: func(string) string { return "" }}
	code := Main(context.Background(), Commands(Kiosk{}), []string{"--config", path, "config", "set-pin"}, env)
	return code, out.String(), errb.String()
}

func TestSetPIN(t *testing.T) {
	cheapHash(t)
	for _, tc := range []struct {
		name, before string
		keep         []string // lines that must survive
	}{
		{name: "new file"},
		{name: "no staff table", before: "# my kiosk\n[kiosk]\nidle_timeout = \"90s\"\n",
			keep: []string{"# my kiosk", "idle_timeout = \"90s\""}},
		{name: "staff table without hash", before: "[staff] # console\nidle_timeout = \"3m\"\n\n[log]\nlevel = \"debug\"\n",
			keep: []string{"[staff] # console", "idle_timeout = \"3m\"", "level = \"debug\""}},
		{name: "replace hash", before: "[staff]\npin_hash = \"$argon2id$old\"\nidle_timeout = \"3m\"\n",
			keep: []string{"idle_timeout = \"3m\""}},
		{name: "dotted key", before: "staff.pin_hash = \"x\"\n[kiosk]\nidle_timeout = \"90s\"\n",
			keep: []string{"idle_timeout = \"90s\""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "config.toml")
			if tc.before != "" {
				os.MkdirAll(filepath.Dir(path), 0o700)
				os.WriteFile(path, []byte(tc.before), 0o644)
			}
			code, out, errs := runSetPINCmd(t, path, "482915\n482915\n")
			if code != 0 {
				t.Fatalf("exit %d: %s %s", code, out, errs)
			}
			if strings.Contains(out+errs, "482915") {
				t.Errorf("output shows the PIN: %s %s", out, errs)
			}
			b, _ := os.ReadFile(path)
			for _, k := range tc.keep {
				if !strings.Contains(string(b), k) {
					t.Errorf("line %q lost:\n%s", k, b)
				}
			}
			if strings.Contains(string(b), "482915") || strings.Contains(string(b), "$argon2id$old") {
				t.Errorf("file holds the PIN or the old hash:\n%s", b)
			}
			fi, _ := os.Stat(path)
			if fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("mode %v: readable by others", fi.Mode())
			}
			c, err := config.Load(path, true, func(string) string { return "" })
			if err != nil {
				t.Fatalf("config does not load: %v\n%s", err, b)
			}
			if ok, err := staffauth.Verify("482915", c.Staff.PINHash.Reveal()); !ok || err != nil {
				t.Errorf("stored hash does not verify: %v", err)
			}
			var m map[string]any
			if err := toml.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSetPINRefuses(t *testing.T) {
	cheapHash(t)
	for _, tc := range []struct{ name, before, stdin string }{
		{"differ", "", "1234\n4321\n"},
		{"short", "", "123\n123\n"},
		{"letters", "", "12ab\n12ab\n"},
		{"one line", "", "1234\n"},
		{"empty", "", ""},
		{"bad toml", "[staff\npin_hash = 1\n", "1234\n1234\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if tc.before != "" {
				os.WriteFile(path, []byte(tc.before), 0o600)
			}
			code, out, errs := runSetPINCmd(t, path, tc.stdin)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d: %s %s", code, ExitUsage, out, errs)
			}
			b, _ := os.ReadFile(path)
			if string(b) != tc.before {
				t.Errorf("file changed:\n%s", b)
			}
			if strings.Contains(errs, strings.SplitN(tc.stdin, "\n", 2)[0]) && tc.stdin != "" {
				t.Errorf("error shows the PIN: %s", errs)
			}
		})
	}
}
