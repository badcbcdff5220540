package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/config"
)

func TestFleetDefaults(t *testing.T) {
	c := config.Default()
	if c.Metrics.Listen != "" {
		t.Errorf("metrics.listen defaults to %q: nothing may listen unless configured", c.Metrics.Listen)
	}
	if c.Audit.KeepDays != 400 {
		t.Errorf("audit.keep_days = %d, want 400", c.Audit.KeepDays)
	}
}

func TestFleetSettings(t *testing.T) {
	for _, tc := range []struct {
		body, bad string
	}{
		{"[metrics]\nlisten = \"127.0.0.1:9464\"\n[audit]\nkeep_days = 30\n", ""},
		{"[metrics]\nlisten = \"0.0.0.0:9464\"\n", ""},
		{"[metrics]\nlisten = \"[::1]:9464\"\n", ""},
		{"[metrics]\nlisten = \"localhost:9464\"\n", ""},
		{"[metrics]\nlisten = \":9464\"\n", "metrics.listen"},
		{"[metrics]\nlisten = \"127.0.0.1\"\n", "metrics.listen"},
		{"[metrics]\nlisten = \"127.0.0.1:0\"\n", "metrics.listen"},
		{"[metrics]\nlisten = \"127.0.0.1:http\"\n", "metrics.listen"},
		{"[metrics]\nlisten = \"kiosk.example:9464\"\n", "metrics.listen"},
		{"[audit]\nkeep_days = 0\n", "audit.keep_days"},
		{"[audit]\nkeep_days = 100000\n", "audit.keep_days"},
		{"[audit]\nkeep = 3\n", "audit.keep"},
	} {
		p := filepath.Join(t.TempDir(), "c.toml")
		if err := os.WriteFile(p, []byte(tc.body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := config.Load(p, true, env(nil))
		switch {
		case tc.bad == "" && err != nil:
			t.Errorf("%q: %v", tc.body, err)
		case tc.bad != "" && (err == nil || !strings.Contains(err.Error(), "config: "+tc.bad+":")):
			t.Errorf("%q: err = %v, want one naming %s", tc.body, err, tc.bad)
		}
	}
}

func TestMetricsListenFromEnv(t *testing.T) {
	c, err := config.Load("", false, env(map[string]string{config.EnvMetricsListen: "127.0.0.1:9999"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Metrics.Listen != "127.0.0.1:9999" {
		t.Errorf("metrics.listen = %q", c.Metrics.Listen)
	}
}
