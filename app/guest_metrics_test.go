package app

import (
	"sync"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/internal/metrics"
)

// captureRecorder keeps the capture telemetry the screens report.
type captureRecorder struct {
	metrics.Recorder // the rest records nothing
	mu               sync.Mutex
	attempts         []string // side/result
	scores           []metrics.Scores
	autos            int
}

func (r *captureRecorder) CaptureAttempt(side, result string, s metrics.Scores) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts = append(r.attempts, side+"/"+result)
	r.scores = append(r.scores, s)
}

func (r *captureRecorder) AutoCapture(time.Duration) {
	r.mu.Lock()
	r.autos++
	r.mu.Unlock()
}

func (r *captureRecorder) seen() ([]string, []metrics.Scores, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.attempts...), append([]metrics.Scores(nil), r.scores...), r.autos
}

// Issue 18: each capture attempt is counted with its side, its result and
// its live-check scores, and auto-capture's time is observed.
func TestCaptureTelemetry(t *testing.T) {
	rec := &captureRecorder{Recorder: metrics.Nop}
	k := newKiosk(t, Options{Services: flow.Services{Booking: &memBooking{}}, Clock: &flowtest.Clock{}, Metrics: rec,
		Camera: syntheticCamera(synthetic.SharpSteady, synthetic.NoCard)})
	toCapture(t, k, "en")
	review := func(n int) {
		t.Helper()
		waitFor(t, k, "auto-capture", 30*time.Second, func() bool { return k.g.scan != nil && k.g.scan.Still() != nil })
		onUI(k, k.render)
		if _, _, autos := rec.seen(); autos != n {
			t.Fatalf("%d auto-captures observed, want %d", autos, n)
		}
	}
	review(1)
	tap(t, k, k.tr.T("review.retake"))
	review(2)
	tap(t, k, k.tr.T("review.use"))
	waitFor(t, k, "the back", 10*time.Second, func() bool { side, _ := k.g.session.Side(); return side == "back" })

	got, scores, _ := rec.seen()
	if want := []string{"front/retaken", "front/accepted"}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("attempts %q, want %q", got, want)
	}
	for i, s := range scores {
		if s.Sharpness <= 0 || s.Framing <= 0 || s.Glare < 0 {
			t.Errorf("attempt %d: scores %+v", i, s)
		}
	}
}

// A shutter refused over the empty desk is counted as refused.
func TestCaptureTelemetryRefused(t *testing.T) {
	rec := &captureRecorder{Recorder: metrics.Nop}
	k := newKiosk(t, Options{Services: flow.Services{Booking: &memBooking{}}, Clock: &flowtest.Clock{}, Metrics: rec,
		Camera: syntheticCamera(synthetic.NoCard, synthetic.NoCard)})
	toCapture(t, k, "en")
	tap(t, k, k.tr.T("capture.shutter"))
	waitFor(t, k, "the refusal", 20*time.Second, func() bool { return k.g.capture.refused != "" })
	if got, _, autos := rec.seen(); len(got) != 1 || got[0] != "front/refused" || autos != 0 {
		t.Errorf("attempts %q, auto-captures %d", got, autos)
	}
}
