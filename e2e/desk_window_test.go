package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startDesk runs `signet demo --desk` against the simulator at simURL on a
// private 1280×800 display; the desk opens its window at 1000×700.
func startDesk(t *testing.T, simURL string, args ...string) *kioskRun {
	t.Helper()
	d := startXvfb(t, 1280, 800)
	logPath := filepath.Join(t.TempDir(), "desk.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := execCommand(ctx, bin, append([]string{"demo", "--desk", "--sim", simURL}, args...)...)
	cmd.Env = append(baseEnv(t), "DISPLAY="+d.name, "SIGNET_LOG_LEVEL=debug")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("desk log:\n%s", b)
		}
	})
	win := d.waitWindow(t, "Signet — Front desk", 60*time.Second)
	return &kioskRun{t: t, d: d, win: win, log: logPath}
}

// keys types text, then presses each key, on the desk's keyboard.
func (k *kioskRun) keys(text string, keys ...string) {
	k.t.Helper()
	if text != "" {
		if _, err := k.d.xdo("type", "--delay", "30", text); err != nil {
			k.t.Fatalf("xdotool type: %v", err)
		}
	}
	for _, key := range keys {
		if _, err := k.d.xdo("key", key); err != nil {
			k.t.Fatalf("xdotool key %s: %v", key, err)
		}
	}
}

// TestDeskInRealWindow drives `signet demo --desk` with the keyboard alone,
// as a front desk would: the demo PIN and Enter, Ctrl+F and a name typed
// without its accents, Ctrl+N for a move-in whose booking the synthetic
// camera's QR finds. Screenshots: build/screenshots/desk-*.png (and
// docs/screenshots with SIGNET_UPDATE_SCREENSHOTS=1).
func TestDeskInRealWindow(t *testing.T) {
	requireTools(t)
	_, simURL := startSim(t)
	k := startDesk(t, simURL)
	k.waitLog("staff entry requested", 1, 30*time.Second)
	k.shot("desk-01-lock")
	k.keys("2580", "Return")
	k.waitLog("staff console unlocked", 1, 30*time.Second)
	k.shot("desk-02-customers")
	k.keys("", "ctrl+f")
	k.keys("muller", "Return")
	k.waitLog("staff customer search", 1, 30*time.Second)
	k.shot("desk-03-search")
	k.keys("", "ctrl+n")
	k.waitLog("assisted move-in started", 1, 30*time.Second)
	k.screen("find-booking", 1, 30*time.Second)
	k.shot("desk-04-move-in")
	k.screen("confirm-booking", 1, 60*time.Second) // the QR on the synthetic camera
	k.shot("desk-05-confirm")
}

// `signet desk` needs the booking API configured, as the kiosk does, and
// says how to try it without.
func TestDeskRefusesToStartUnconfigured(t *testing.T) {
	r := signet(t, nil, "desk")
	if r.Code != 2 || !strings.Contains(r.Stderr, "storegister.base_url") || !strings.Contains(r.Stderr, "signet demo --desk") {
		t.Fatalf("exit %d, stderr %q; want 2 pointing at signet demo --desk", r.Code, r.Stderr)
	}
	cfg := writeFile(t, "config.toml", "mode = \"front\"\n")
	if r := signet(t, nil, "--config", cfg, "config", "check"); r.Code != 2 || !strings.Contains(r.Output(), "mode") {
		t.Errorf("mode = \"front\": exit %d, %q", r.Code, r.Output())
	}
}
