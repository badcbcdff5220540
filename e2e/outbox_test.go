package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/connect"
	"github.com/signet-kiosk/signet/outbox"
)

// seedStateDir puts n items into the outbox of a new state directory,
// sealed with key (64 hex digits), or with a generated key file when key
// is "".
func seedStateDir(t *testing.T, key string, n int) string {
	t.Helper()
	state := t.TempDir()
	cfg := config.Default()
	cfg.StateDir = state
	cfg.Outbox.Key = ""
	if key != "" {
		cfg.ApplyEnv(func(k string) string {
			if k == config.EnvOutboxKey {
				return key
			}
			return ""
		})
	}
	ob, err := connect.Outbox(cfg, nil, outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	for range n {
		if _, err := ob.Enqueue(context.Background(), outbox.KindSignature, []byte("ERIKSSON ANNA")); err != nil {
			t.Fatal(err)
		}
	}
	return state
}

// kioskEnv configures the real kiosk (not demo) with a state directory and
// a booking API on loopback that is never reached.
func kioskEnv(state string, extra ...string) []string {
	return append([]string{"SIGNET_STATE_DIR=" + state, "SIGNET_STOREGISTER_URL=http://127.0.0.1:9/api",
		"SIGNET_STOREGISTER_API_KEY=e2e-not-a-real-key", "SIGNET_CAMERA=synthetic"}, extra...)
}

// TestKioskRefusesWrongOutboxKey: with items waiting, a start with another
// SIGNET_OUTBOX_KEY or with the key file deleted exits 2 before any window,
// with one sentence naming the key's source and the number of items, and
// changes nothing; the operator's commands refuse the same way.
func TestKioskRefusesWrongOutboxKey(t *testing.T) {
	keyA, keyB := strings.Repeat("1f", 32), strings.Repeat("2e", 32)

	state := seedStateDir(t, keyA, 2)
	for _, args := range [][]string{{"--windowed"}, {"outbox", "list"}} {
		r := signet(t, kioskEnv(state, "SIGNET_OUTBOX_KEY="+keyB), args...)
		t.Logf("signet %v: exit %d\n%s", args, r.Code, r.Stderr)
		if r.Code != 2 || !strings.Contains(r.Stderr, "SIGNET_OUTBOX_KEY") || !strings.Contains(r.Stderr, "2 items") {
			t.Errorf("signet %v with another key: exit %d, stderr %q", args, r.Code, r.Stderr)
		}
		if strings.Contains(r.Output(), keyB) || strings.Contains(r.Output(), "ERIKSSON") {
			t.Errorf("signet %v printed the key or personal data", args)
		}
	}
	r := signet(t, kioskEnv(state, "SIGNET_OUTBOX_KEY="+keyA), "outbox", "list")
	var l struct {
		Queued int `json:"queued"`
		Items  []struct {
			ID, State string
		} `json:"items"`
	}
	if r.Code != 0 || json.Unmarshal([]byte(r.Stdout), &l) != nil || l.Queued != 2 {
		t.Fatalf("list with the right key: exit %d: %s%s", r.Code, r.Stdout, r.Stderr)
	}

	// A deleted key file is not silently replaced.
	state = seedStateDir(t, "", 3)
	keyFile := filepath.Join(state, outbox.KeyFile)
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	r = signet(t, kioskEnv(state), "--windowed")
	t.Logf("kiosk without its key file: exit %d\n%s", r.Code, r.Stderr)
	if r.Code != 2 || !strings.Contains(r.Stderr, keyFile) || !strings.Contains(r.Stderr, "3 items") {
		t.Errorf("kiosk with its key file deleted: exit %d, stderr %q", r.Code, r.Stderr)
	}
	if _, err := os.Stat(keyFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a new key file was made: %v", err)
	}
	if des, _ := os.ReadDir(filepath.Join(state, outbox.Dir, "queue")); len(des) != 3 {
		t.Errorf("queue holds %d files after the refusals, want 3", len(des))
	}
}
