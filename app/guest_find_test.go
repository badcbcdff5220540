package app

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/scan"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// errDown stands for a booking system that cannot be reached.
var errDown = errors.New("dial tcp 127.0.0.1:9: connect: connection refused")

// lookupBooking is a booking service whose lookups fail with err while it
// is set, wait for gate while it is set, and are counted.
type lookupBooking struct {
	memBooking
	mu    sync.Mutex
	calls int
	err   error
	gate  chan struct{}
}

func (l *lookupBooking) Booking(ctx context.Context, id string) (*storegister.Booking, error) {
	l.mu.Lock()
	l.calls++
	err, gate := l.err, l.gate
	l.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	return l.memBooking.Booking(ctx, id)
}

func (l *lookupBooking) set(err error, gate chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.err, l.gate = err, gate
}

func (l *lookupBooking) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.calls
}

// qrCamera shows the booking QR sheet while show is true, the empty desk
// otherwise.
func qrCamera(show *atomic.Bool) CameraOpener {
	return func(ctx context.Context, _ string) (<-chan scan.Frame, error) {
		r, err := synthetic.NewRenderer(640, 360, 5)
		if err != nil {
			return nil, err
		}
		out := make(chan scan.Frame)
		go func() {
			defer close(out)
			tick := time.NewTicker(40 * time.Millisecond)
			defer tick.Stop()
			for {
				cond := synthetic.NoCard
				if show.Load() {
					cond = synthetic.QRCode
				}
				rgba, _ := r.RenderFrame(cond, 0)
				// A frame the kiosk is not ready for is dropped, as a
				// camera's would be: a frame drawn with the code in view
				// must not arrive after the test has taken the code away.
				select {
				case out <- frameOf(rgba):
				default:
				}
				select {
				case <-tick.C:
				case <-ctx.Done():
					return
				}
			}
		}()
		return out, nil
	}
}

// findRig is a kiosk on the find-booking screen with a manual clock.
type findRig struct {
	t   *testing.T
	k   *Kiosk
	clk *flowtest.Clock
	svc *lookupBooking
	qr  *atomic.Bool
}

func newFindRig(t *testing.T, qrShown bool) *findRig {
	r := &findRig{t: t, clk: &flowtest.Clock{}, svc: &lookupBooking{}, qr: &atomic.Bool{}}
	r.qr.Store(qrShown)
	cfg := config.Default()
	cfg.Kiosk.IdleTimeout = config.Duration(time.Hour) // the clock goes minutes ahead
	r.k = newKiosk(t, Options{Config: cfg, Clock: r.clk, Services: flow.Services{Booking: r.svc}, Camera: qrCamera(r.qr)})
	tap(t, r.k, "Touch to start")
	return r
}

// reads waits until the camera has read the booking code n more times:
// the code stays in view meanwhile.
func (r *findRig) reads(n int) {
	r.t.Helper()
	var from int
	onUI(r.k, func() { from = r.k.booking().reads })
	waitFor(r.t, r.k, "camera reads of the QR code", 30*time.Second, func() bool { return r.k.booking().reads >= from+n })
}

// idle waits until no lookup runs.
func (r *findRig) idle(what string) {
	r.t.Helper()
	waitFor(r.t, r.k, what, 10*time.Second, func() bool { return r.k.booking().ticket == 0 })
}

// status is the find screen's status line: the problem sentence shown (""
// for none), whether "Looking for your booking" shows, and the Try again
// button.
func (r *findRig) status() (problem string, looking bool, again *fwidget.Button) {
	onUI(r.k, func() {
		if rt := find(r.k, func(rt *fwidget.RichText) bool {
			ts, ok := rt.Segments[0].(*fwidget.TextSegment)
			return ok && ts.Style.ColorName == theme.ColorNameError
		}); rt != nil {
			problem = rt.String()
		}
		if ft := find(r.k, func(ft *fitText) bool { return ft.colour == theme.ColorNameError }); ft != nil {
			problem = ft.text
		}
		looking = find(r.k, func(l *fwidget.Label) bool { return l.Text == r.k.tr.T("find.searching") }) != nil
		again = find(r.k, func(b *fwidget.Button) bool { return b.Text == r.k.tr.T("find.try_again") })
	})
	return problem, looking, again
}

// screen is the object on screen: a new one means the screen was redrawn.
func (r *findRig) screen() fyne.CanvasObject {
	var o fyne.CanvasObject
	onUI(r.k, func() { o = r.k.root.Objects[0] })
	return o
}

// Finding 5: while the booking system is down, with the booking's QR code
// in view, lookups back off 1 s, 2 s, 4 s … 30 s, one at a time, and the
// screen shows one message with Try again, never redrawn by a retry that
// ends as the last one did (on the old screen it alternated every second
// with "Looking for your booking…", and a lookup started on each read).
func TestLookupWhileDownBacksOffAndStaysCalm(t *testing.T) {
	r := newFindRig(t, false)
	r.svc.set(errDown, nil)
	r.qr.Store(true)
	waitFor(t, r.k, "the first lookup", 30*time.Second, func() bool { return r.svc.count() == 1 })
	r.idle("the first lookup's answer")
	down := r.k.tr.T("error.unreachable")
	calm := func(when string) {
		t.Helper()
		problem, looking, again := r.status()
		if problem != down || looking || again == nil || again.Disabled() {
			t.Fatalf("%s: message %q, looking %v, Try again %v; want only %q with Try again", when, problem, looking, again, down)
		}
	}
	calm("after the first failure")
	screen := r.screen()
	r.reads(8)
	if n := r.svc.count(); n != 1 {
		t.Fatalf("%d lookups within the first second, with the code read again and again", n)
	}
	calls := 1
	for i, wait := range []time.Duration{1, 2, 4, 8, 16, 30, 30, 30} {
		wait *= time.Second
		r.clk.Advance(wait - time.Millisecond)
		r.reads(2)
		if n := r.svc.count(); n != calls {
			t.Fatalf("retry %d: %d lookups %v after the failure, want %d (not before %v)", i+1, n, wait-time.Millisecond, calls, wait)
		}
		r.clk.Advance(time.Millisecond)
		calls++
		waitFor(t, r.k, "the retry", 10*time.Second, func() bool { return r.svc.count() == calls })
		r.idle("the retry's answer")
		calm("after retry " + wait.String())
	}
	if r.screen() != screen {
		t.Error("a retry that failed again redrew the screen")
	}

	// Try again asks at once, without waiting for the backoff.
	r.svc.set(nil, nil)
	_, _, again := r.status()
	onUI(r.k, func() { test.Tap(again) })
	waitFor(t, r.k, "the booking after Try again", 10*time.Second, func() bool {
		return r.k.g.session.Step() == flow.StepConfirmBooking
	})
}

// Finding 5: a code the booking system refused is not looked up again
// while it stays in view (the old screen asked every 65 ms).
func TestRefusedCodeNotLookedUpAgain(t *testing.T) {
	r := newFindRig(t, false)
	r.svc.set(&storegister.APIError{HTTPStatus: 200, Codes: []storegister.Code{storegister.CodeNoRecordsFound}}, nil)
	r.qr.Store(true)
	waitFor(t, r.k, "the first lookup", 30*time.Second, func() bool { return r.svc.count() == 1 })
	r.idle("the answer")
	r.reads(10)
	for range 10 { // still in view: remembered however long
		r.clk.Advance(time.Second)
		r.reads(2)
	}
	if n := r.svc.count(); n != 1 {
		t.Errorf("%d lookups of a refused code held in view, want 1", n)
	}
	if problem, _, _ := r.status(); problem != r.k.tr.T("error.storegister.NO_RECORDS_FOUND") {
		t.Errorf("message %q", problem)
	}
}

// Finding 5: a camera read never overwrites what the guest is typing;
// clearing the field (finding 6's × button) gives it back to the camera.
func TestCameraDoesNotOverwriteTyping(t *testing.T) {
	r := newFindRig(t, false)
	var entry *fwidget.Entry
	onUI(r.k, func() { entry = find(r.k, func(*fwidget.Entry) bool { return true }) })
	for _, key := range []string{"7", "C", "9"} {
		tap(t, r.k, key)
	}
	r.qr.Store(true)
	r.reads(8)
	onUI(r.k, func() {
		if entry.Text != "7C9" || r.k.g.reference != "7C9" {
			t.Errorf("field %q, reference %q after the camera read a code; want the typed 7C9", entry.Text, r.k.g.reference)
		}
	})
	if n := r.svc.count(); n != 0 {
		t.Errorf("%d lookups while the guest typed", n)
	}
	var clear *fwidget.Button
	onUI(r.k, func() {
		clear = find(r.k, func(b *fwidget.Button) bool { return b.Icon != nil && b.Icon.Name() == theme.ContentClearIcon().Name() })
	})
	if clear == nil {
		t.Fatal("no clear button beside the booking-id field")
	}
	onUI(r.k, func() { test.Tap(clear) })
	waitFor(t, r.k, "the booking from the QR code after clearing", 30*time.Second, func() bool {
		return r.k.g.session.Step() == flow.StepConfirmBooking
	})
}

// Finding 6: "No, search again" starts with an empty field, and the QR
// code of the booking the guest said was not theirs is not looked up again
// while it stays in view.
func TestNotMeStartsEmptyAndRejectsTheCode(t *testing.T) {
	r := newFindRig(t, true)
	waitFor(t, r.k, "the booking from the QR code", 30*time.Second, func() bool {
		return r.k.g.session.Step() == flow.StepConfirmBooking
	})
	r.clk.Advance(10 * time.Second) // the guest reads the booking, phone still held up
	tap(t, r.k, r.k.tr.T("confirm.not_me"))
	r.reads(10)
	// The phone lowered for less than flow.DefaultForgetAfter and held up
	// again: still the code the guest said was not theirs.
	r.qr.Store(false)
	r.clk.Advance(flow.DefaultForgetAfter - time.Second)
	r.qr.Store(true)
	r.reads(5)
	onUI(r.k, func() {
		if s := r.k.g.session.Step(); s != flow.StepFindBooking {
			t.Fatalf("on %v after No, search again with the code in view", s)
		}
		if e := find(r.k, func(*fwidget.Entry) bool { return true }); e == nil || e.Text != "" {
			t.Errorf("the field holds %q, want it empty", e.Text)
		}
	})
	if n := r.svc.count(); n != 1 {
		t.Errorf("%d lookups, want the first only", n)
	}
	// Typing the same booking's id finds it again: the guest means it.
	onUI(r.k, func() {
		find(r.k, func(*fwidget.Entry) bool { return true }).SetText(demodata.People[0].BookingID)
	})
	tap(t, r.k, r.k.tr.T("find.search"))
	waitFor(t, r.k, "the booking typed", 10*time.Second, func() bool { return r.k.g.session.Step() == flow.StepConfirmBooking })
}

// Finding 8: a lookup that takes longer than 300 ms shows the spinner,
// at least 48 dp and turning, with "Looking for your booking…"; a quicker
// one shows nothing that would only flash.
func TestLookupShowsSpinnerAfter300ms(t *testing.T) {
	r := newFindRig(t, false)
	gate := make(chan struct{})
	r.svc.set(nil, gate)
	onUI(r.k, func() {
		find(r.k, func(*fwidget.Entry) bool { return true }).SetText(demodata.People[0].BookingID)
	})
	tap(t, r.k, r.k.tr.T("find.search"))
	waitFor(t, r.k, "the lookup", 10*time.Second, func() bool { return r.svc.count() == 1 })
	spinner := func() *kwidget.Spinner {
		var s *kwidget.Spinner
		onUI(r.k, func() { s = find(r.k, func(s *kwidget.Spinner) bool { return s.Visible() }) })
		return s
	}
	r.clk.Advance(activityDelay - time.Millisecond)
	if _, looking, _ := r.status(); looking || spinner() != nil {
		t.Fatal("the spinner shows before 300 ms")
	}
	r.clk.Advance(time.Millisecond)
	s := spinner()
	if _, looking, _ := r.status(); !looking || s == nil {
		t.Fatalf("after 300 ms: looking %v, spinner %v", looking, s)
	}
	onUI(r.k, func() {
		if sz := s.Size(); sz.Width < 48 || sz.Height < 48 || !s.Running() {
			t.Errorf("spinner %v, running %v", sz, s.Running())
		}
	})
	close(gate)
	waitFor(t, r.k, "the booking", 10*time.Second, func() bool { return r.k.g.session.Step() == flow.StepConfirmBooking })
	onUI(r.k, func() {
		if s.Running() {
			t.Error("the spinner still turns on the confirm screen")
		}
	})
}
