package e2e

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/demodata"
)

const (
	outboxKey = "9d2f4c1b7e8a6d5c3b2a1f0e9d8c7b6a5f4e3d2c1b0a99887766554433221100"
	envKey    = "sk_live_9f8e7d6c5b4a39281706"
	envClient = "mews-client-5d41402abc4b2a76"
	envAccess = "mews-access-7215ee9c7d9dc229"
)

// secretEnv configures both APIs with secrets from the environment only.
func secretEnv() []string {
	return []string{
		"SIGNET_STOREGISTER_URL=https://api.storegister.example/",
		"SIGNET_STOREGISTER_API_KEY=" + envKey,
		"SIGNET_MEWS_URL=https://api.mews-demo.com",
		"SIGNET_MEWS_CLIENT_TOKEN=" + envClient,
		"SIGNET_MEWS_ACCESS_TOKEN=" + envAccess,
		"SIGNET_LOG_LEVEL=debug",
	}
}

func assertNoSecrets(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range []string{envKey, envClient, envAccess} {
		if strings.Contains(out, s) {
			t.Errorf("%s printed a secret from the environment:\n%s", what, out)
		}
	}
}

func TestConfigShowMasksSecrets(t *testing.T) {
	r := signet(t, secretEnv(), "config", "show")
	if r.Code != 0 {
		t.Fatalf("config show: exit %d\n%s", r.Code, r.Output())
	}
	assertNoSecrets(t, "config show", r.Output())
	for _, want := range []string{"[secret]", "https://api.storegister.example/", "base_url"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("config show lacks %q:\n%s", want, r.Stdout)
		}
	}
}

func TestConfigCheck(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		env      []string
		wantCode int
		wantKey  string
	}{
		{name: "defaults", wantCode: 0},
		{name: "secrets from env", env: secretEnv(), wantCode: 0},
		{name: "plain http off loopback", file: "[storegister]\nbase_url = \"http://api.example.com\"\n",
			env: []string{"SIGNET_STOREGISTER_API_KEY=" + envKey}, wantCode: 2, wantKey: "storegister.base_url"},
		{name: "missing key", env: []string{"SIGNET_STOREGISTER_URL=https://api.example.com"},
			wantCode: 2, wantKey: "storegister.api_key"},
		{name: "unknown key", file: "[kiosk]\nidle_timout = \"60s\"\n", wantCode: 2, wantKey: "kiosk.idle_timout"},
		{name: "bad duration", file: "[kiosk]\nidle_timeout = \"soon\"\n", wantCode: 2, wantKey: "kiosk.idle_timeout"},
		{name: "half a language pair", file: "[mews]\nplatform_url = \"https://api.mews-demo.com\"\nlanguage_code = \"en-US\"\n",
			env: []string{"SIGNET_MEWS_CLIENT_TOKEN=" + envClient, "SIGNET_MEWS_ACCESS_TOKEN=" + envAccess}, wantCode: 2, wantKey: "mews.language_code"},
		{name: "malformed TOML", file: "[kiosk\n", wantCode: 2, wantKey: "line 1"},
		{name: "bad camera", file: "[camera]\ndevice = \"webcam0\"\n", wantCode: 2, wantKey: "camera.device"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"config", "check"}
			if tt.file != "" {
				args = append([]string{"--config", writeFile(t, "config.toml", tt.file)}, args...)
			}
			env := append(tt.env, "SIGNET_LOG_LEVEL=debug")
			r := signet(t, env, args...)
			if r.Code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s", r.Code, tt.wantCode, r.Output())
			}
			if tt.wantKey != "" && !strings.Contains(r.Stderr, tt.wantKey) {
				t.Errorf("stderr does not name %q:\n%s", tt.wantKey, r.Stderr)
			}
			assertNoSecrets(t, "config check", r.Output())
		})
	}
}

func TestConfigMissingExplicitFile(t *testing.T) {
	r := signet(t, nil, "--config", "/nonexistent/signet.toml", "config", "check")
	if r.Code != 2 || !strings.Contains(r.Stderr, "--config") {
		t.Fatalf("exit %d, stderr %q; want 2 naming --config", r.Code, r.Stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"no-such-command"}, {"version", "--bogus"}, {"demo", "--size", "huge"}, {"--config"}, {"--bogus"}} {
		if r := signet(t, nil, args...); r.Code != 2 {
			t.Errorf("signet %v: exit %d, want 2\n%s", args, r.Code, r.Output())
		}
	}
	if r := signet(t, nil, "version"); r.Code != 0 || !strings.HasPrefix(r.Stdout, "signet ") {
		t.Errorf("version: exit %d, %q", r.Code, r.Stdout)
	}
}

func TestKioskRefusesToStartUnconfigured(t *testing.T) {
	r := signet(t, nil, "--windowed")
	if r.Code != 2 || !strings.Contains(r.Stderr, "storegister.base_url") || !strings.Contains(r.Stderr, "run `signet demo`") {
		t.Fatalf("exit %d, stderr %q; want 2 pointing at signet demo", r.Code, r.Stderr)
	}
}

// TestKioskLogsNoSecrets runs the real kiosk (not demo) at debug level with
// every secret from the environment, against a simulator that refuses them
// (so the clients log failures), and checks no secret reached its output.
func TestKioskLogsNoSecrets(t *testing.T) {
	requireTools(t)
	_, simURL := startSim(t)
	d := startXvfb(t, 1280, 800)
	env := append(secretEnv(), "SIGNET_STOREGISTER_URL="+simURL+sim.StoRegisterPrefix, "SIGNET_MEWS_URL="+simURL,
		"SIGNET_CAMERA=synthetic", "SIGNET_OUTBOX_KEY="+outboxKey, "DISPLAY="+d.name)
	_, logPath := runSignet(t, "kiosk", append(baseEnv(t), env...), "--windowed")
	k := &kioskRun{t: t, d: d, win: d.waitWindow(t, "Signet", 60*time.Second), log: logPath}
	k.shot("kiosk-attract") // drawn: ready for a tap
	k.tap(tapStart)
	k.screen("find-booking", 1, 30*time.Second)
	// A guest touches the field before typing. The screen also gives it the
	// focus, but a moment after the line the test waits for; keys typed in
	// between went nowhere on a loaded machine.
	k.tap(tapBookingField)
	if _, err := d.xdo("type", "--window", k.win, demodata.People[0].BookingID); err != nil {
		t.Fatal(err)
	}
	k.tap(tapPrimary) // the lookup is refused: the wrong key
	k.screen("find-booking", 2, 30*time.Second)
	k.waitLog("booking lookup failed", 1, 30*time.Second)
	b, _ := os.ReadFile(logPath)
	assertNoSecrets(t, "the kiosk's log", string(b))
	if strings.Contains(string(b), outboxKey) {
		t.Error("the kiosk's log holds the outbox key")
	}
	if !strings.Contains(string(b), "level=DEBUG") {
		t.Error("the kiosk did not log at debug level: the check proves nothing")
	}
}
