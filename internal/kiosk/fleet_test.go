package kiosk

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera"
	"github.com/signet-kiosk/signet/internal/audit"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/watchdog"
)

func TestFleetWithoutMetricsListensNowhere(t *testing.T) {
	cfg := config.Default()
	cfg.StateDir = t.TempDir()
	f := startFleet(context.Background(), cfg, redact.Discard(), "test")
	defer f.Close()
	if f.server != nil {
		t.Fatal("metrics served without metrics.listen")
	}
	// Counted in memory all the same, for the staff console.
	f.recorder().CaptureAttempt("front", "accepted", metrics.Scores{Sharpness: 500})
	if len(f.metrics.Captures()) != 1 || f.observer("mews") == nil {
		t.Error("the in-memory metrics do not count")
	}
	if f.journal == nil {
		t.Fatal("no audit journal")
	}
	if j, _ := audit.Paths(cfg.StateDir); j != f.journal.Path() {
		t.Errorf("journal at %s, want %s", f.journal.Path(), j)
	}
}

func TestFleetServesEveryFamily(t *testing.T) {
	cfg := config.Default()
	cfg.StateDir = t.TempDir()
	cfg.Metrics.Listen = "127.0.0.1:0"
	f := startFleet(context.Background(), cfg, redact.Discard(), "1.2.3")
	defer f.Close()
	if f.server == nil {
		t.Fatal("no metrics endpoint")
	}
	resp, err := http.Get("http://" + f.server.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, fam := range []string{"signet_build_info{version=\"1.2.3\"} 1", "signet_guest_sessions_total", "signet_guest_step_seconds",
		"signet_capture_attempts_total", "signet_autocapture_seconds", "signet_api_request_duration_seconds",
		"signet_api_errors_total", "signet_outbox_items", "signet_outbox_oldest_item_age_seconds", "signet_camera_frames_total",
		"signet_camera_fps", "signet_staff_logins_total", "signet_staff_calls_waiting"} {
		if !strings.Contains(string(body), fam) {
			t.Errorf("/metrics lacks %s", fam)
		}
	}
	if f.observer("storegister") == nil || f.cameraOptions(cameraOptionsZero()).OnFrame == nil {
		t.Error("the API observer or the frame counter is missing")
	}
}

// TestReadyWaitsForTheFirstScreen: READY goes to systemd only once the
// first screen is on the window, and then with the camera's result.
func TestReadyWaitsForTheFirstScreen(t *testing.T) {
	cfg := config.Default()
	cfg.StateDir = t.TempDir()
	f := startFleet(context.Background(), cfg, redact.Discard(), "test")
	sent := make(chan string, 4)
	f.watchdog = watchdog.New(watchdog.Options{Notify: func(state string) (bool, error) {
		sent <- state
		return true, nil
	}})
	shown := make(chan struct{})
	f.run(context.Background(), "synthetic", true, shown)
	defer f.Close()
	select {
	case s := <-sent:
		t.Fatalf("%q sent before the first screen was shown", s)
	case <-time.After(300 * time.Millisecond):
	}
	close(shown)
	select {
	case s := <-sent:
		if !strings.HasPrefix(s, "READY=1") || !strings.Contains(s, "STATUS=kiosk running; camera ") {
			t.Errorf("sent %q, want READY=1 with the camera's status", s)
		}
	case <-time.After(60 * time.Second): // the camera's probe waits up to 5 s; a busy machine is slower
		t.Fatal("no READY after the first screen")
	}
}

func cameraOptionsZero() camera.Options { return camera.Options{} }
