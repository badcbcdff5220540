package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/config"
)

// FuzzLoad: any bytes in the configuration file give a configuration or an
// error naming a key, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add("[kiosk]\nidle_timeout = \"60s\"\nlanguages = [\"en\", \"fr\"]\n")
	f.Add("[storegister]\nbase_url = \"http://127.0.0.1:8787/storegister\"\napi_key = \"k\"\n")
	f.Add("[mews]\nrate_limit = 999\n[scan]\njpeg_quality = -1\n")
	f.Add("[[scan.documents]]\nmatch = [\"pass\"]\nsides = 1\n")
	f.Add("\x00[kiosk\n=")
	f.Add("[mews]\ntimeout = 5\n[storegister]\ntimeout = \"0s\"\n")
	f.Add("[kiosk]\nidle_timeout = -1.5\ndone_timeout = { a = 1 }\n[scan]\nmax_glare = nan\n")
	f.Add("[outbox]\nmax_mb = 0\nmax_items = -3\nmax_age = [\"1h\"]\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		c := loadFuzzed(t, dir, content)
		if c == nil {
			return
		}
		if c.Validate() != nil {
			t.Fatal("Load returned a configuration that does not validate")
		}
		for name, d := range map[string]config.Duration{"mews.timeout": c.Mews.Timeout,
			"storegister.timeout": c.StoRegister.Timeout, "kiosk.idle_timeout": c.Kiosk.IdleTimeout} {
			if d.D() <= 0 {
				t.Fatalf("%s = %v was accepted", name, d.D())
			}
		}
		if _, err := c.Masked(); err != nil {
			t.Fatalf("Masked: %v", err)
		}
	})
}

// loadFuzzed loads content as a configuration file in dir. It returns nil
// for content Load refuses, after checking that the error names its key
// behind the config: prefix.
func loadFuzzed(t *testing.T, dir, content string) *config.Config {
	t.Helper()
	p := filepath.Join(dir, "c.toml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(p, true, func(string) string { return "" })
	if err != nil {
		if !strings.HasPrefix(err.Error(), "config: ") {
			t.Fatalf("error without the config: prefix naming a key: %v", err)
		}
		return nil
	}
	return c
}
