package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/audit"
	"github.com/signet-kiosk/signet/internal/metrics"
)

func TestStatusAgainstTheSimulator(t *testing.T) {
	srv, vars := simVars(t)
	dir := t.TempDir()
	writeJournal(t, dir, []byte("png"))

	// A running kiosk serving its metrics: camera and outbox come from them.
	m := metrics.New("test")
	m.SetOutbox(func() metrics.OutboxState { return metrics.OutboxState{Queued: 1, OldestAge: 2 * time.Minute} })
	ms, err := m.Serve(context.Background(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()
	metricsCfg := "[metrics]\nlisten = \"" + ms.Addr() + "\"\n"

	code, out, errs := runIn(t, dir, metricsCfg, vars, "status", "--json", "--timeout", "5s")
	if code != 0 {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errs)
	}
	var rep statusReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if !rep.OK || !rep.KioskRunning || rep.StoRegister.Status != stOK || rep.Mews.Status != stOK ||
		rep.Metrics.Status != stOK || rep.Outbox.Source != "metrics" || rep.Outbox.Queued != 1 ||
		rep.Camera.Source != "metrics" || rep.Journal.MoveIns != 2 || rep.LastSession.Time == nil {
		t.Errorf("report:\n%s", out)
	}
	for _, secret := range []string{vars["SIGNET_MEWS_ACCESS_TOKEN"], vars["SIGNET_STOREGISTER_API_KEY"]} {
		if strings.Contains(out+errs, secret) {
			t.Error("a token in the output")
		}
	}

	// The UI thread stalls: /healthz says so, status fails.
	m.SetHealth(func() error { return context.DeadlineExceeded })
	if code, out, _ := runIn(t, dir, metricsCfg, vars, "status", "--json"); code != 1 || !strings.Contains(out, `"ok": false`) {
		t.Errorf("unhealthy kiosk: exit %d\n%s", code, out)
	}
	m.SetHealth(nil)

	// An outbox item waiting over an hour fails, as the alert does.
	m.SetOutbox(func() metrics.OutboxState { return metrics.OutboxState{Queued: 1, OldestAge: 2 * time.Hour} })
	if code, out, _ := runIn(t, dir, metricsCfg, vars, "status", "--json"); code != 1 || !strings.Contains(out, "has waited 2h0m0s") {
		t.Errorf("old outbox item: exit %d\n%s", code, out)
	}

	// No kiosk running, no metrics: the camera is opened, the outbox read
	// from its files.
	code, out, errs = runIn(t, dir, "", vars, "status", "--camera", "synthetic:size=320x240", "--timeout", "20s")
	if code != 0 || !strings.Contains(out, "camera") || !strings.Contains(out, "fps measured") {
		t.Errorf("without a kiosk: exit %d\n%s\n%s", code, out, errs)
	}

	// The APIs down.
	srv.Close()
	code, out, _ = runIn(t, dir, "", vars, "status", "--json", "--camera", "none", "--timeout", "2s")
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || rep.OK || rep.StoRegister.Status != stFail || rep.Mews.Status != stFail {
		t.Errorf("APIs down: exit %d\n%s", code, out)
	}
}

func TestStatusNothingConfigured(t *testing.T) {
	code, out, errs := runIn(t, t.TempDir(), "", nil, "status", "--json", "--camera", "none")
	var rep statusReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || !rep.OK || rep.Metrics.Status != stSkip ||
		rep.StoRegister.Status != stSkip || rep.Journal.Status != stOK || rep.KioskRunning {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
}

func TestStatusFailsOnABrokenJournal(t *testing.T) {
	dir := t.TempDir()
	writeJournal(t, dir, []byte("png"))
	path, _ := audit.Paths(dir)
	data, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(data, []byte(`"seq":1`), []byte(`"seq":7`), 1), 0o600)
	code, out, _ := runIn(t, dir, "", nil, "status", "--json", "--camera", "none")
	var rep statusReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || rep.OK || rep.Journal.Status != stFail ||
		!strings.Contains(rep.Journal.Detail, "line 1") {
		t.Errorf("exit %d\n%s", code, out)
	}
}
