package kiosk

import (
	"bytes"
	"context"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/cli"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
)

func testEnv() (*cli.Env, *bytes.Buffer) {
	var stderr bytes.Buffer
	return &cli.Env{Stdout: new(bytes.Buffer), Stderr: &stderr, Getenv: func(string) string { return "" }}, &stderr
}

func TestParseKioskFlags(t *testing.T) {
	env, _ := testEnv()
	f, size, err := parseKioskFlags(env, "", []string{"--windowed", "--size", "1024x768", "--lang", "fr"})
	if err != nil || !f.windowed || f.lang != "fr" || size != image.Pt(1024, 768) {
		t.Errorf("got %+v %v %v", f, size, err)
	}
	for _, args := range [][]string{{"--size", "100x100"}, {"--size", "big"}, {"--sim", "http://127.0.0.1:1"}, {"extra"}} {
		env, _ := testEnv()
		if _, _, err := parseKioskFlags(env, "", args); cli.ExitCode(err) != cli.ExitUsage {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
	// Only demo takes --sim.
	f, _, err = parseKioskFlags(env, "demo", []string{"--sim", "http://127.0.0.1:8787"})
	if err != nil || f.sim != "http://127.0.0.1:8787" {
		t.Errorf("demo --sim: %+v %v", f, err)
	}
}

func TestUseSimulator(t *testing.T) {
	cfg := config.Default()
	if err := useSimulator(cfg, "http://127.0.0.1:8787/"); err != nil {
		t.Fatal(err)
	}
	if cfg.StoRegister.BaseURL != "http://127.0.0.1:8787"+sim.StoRegisterPrefix || cfg.Mews.PlatformURL != "http://127.0.0.1:8787" ||
		cfg.StoRegister.APIKey.Reveal() != demodata.StoRegisterAPIKey {
		t.Errorf("pointed at %q and %q", cfg.StoRegister.BaseURL, cfg.Mews.PlatformURL)
	}
	for _, bad := range []string{"http://example.com:8787", "https://127.0.0.1:8787", "::"} {
		if err := useSimulator(config.Default(), bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestCommandsRefuseBeforeWindow: through the one command list, the kiosk
// without StoRegister settings, and demo with an unknown language, exit 2
// before any window, network or simulator.
func TestCommandsRefuseBeforeWindow(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "signet.toml")
	if err := os.WriteFile(cfgPath, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cmds := cli.Commands(cli.Kiosk{Run: Run, Demo: Demo})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", cfgPath, "--windowed"}, "storegister.base_url and " + config.EnvStoRegisterKey + " are not set"},
		{[]string{"demo", "--lang", "xx"}, "--lang:"},
	} {
		env, stderr := testEnv()
		if code := cli.Main(context.Background(), cmds, tc.args, env); code != cli.ExitUsage || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: exit %d, %q", tc.args, code, stderr.String())
		}
	}
}
