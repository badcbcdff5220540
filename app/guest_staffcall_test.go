package app

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/notify"
	"github.com/signet-kiosk/signet/internal/redact"
)

// fakeRecorder keeps what the kiosk reports to the metrics.
type fakeRecorder struct {
	metrics.Recorder // Nop for the rest
	mu               sync.Mutex
	outcomes         []metrics.Outcome
	steps            []string
	waiting          []int
}

func newFakeRecorder() *fakeRecorder { return &fakeRecorder{Recorder: metrics.Nop} }

func (r *fakeRecorder) SessionEnded(o metrics.Outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcomes = append(r.outcomes, o)
}

func (r *fakeRecorder) StepDone(step string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, fmt.Sprintf("%s %v", step, d))
}

func (r *fakeRecorder) StaffCallsWaiting(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waiting = append(r.waiting, n)
}

func (r *fakeRecorder) snapshot() (o []metrics.Outcome, steps []string, waiting []int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append(o, r.outcomes...), append(steps, r.steps...), append(waiting, r.waiting...)
}

// callKiosk is a kiosk on clk with a staff PIN, for the staff call.
func callKiosk(t *testing.T, clk *flowtest.Clock, rec metrics.Recorder) *Kiosk {
	cfg := config.Default()
	cfg.Staff.PINHash = redact.Secret(hashOf(t, testPIN))
	return newKiosk(t, Options{Clock: clk, Config: cfg, Metrics: rec, Services: flow.Services{Booking: &memBooking{}},
		Camera: syntheticCamera(synthetic.NoCard, synthetic.NoCard), Staff: StaffDeps{StateDir: t.TempDir()}})
}

func bannerShown(k *Kiosk) bool {
	return !k.banner.Hidden && find(k, func(f *fitText) bool { return f.text == k.tr.T("help.waiting") }) != nil
}

// Finding 3: "Call staff" holds the session until staff answer, up to
// kiosk.staff_wait. Before, the idle warning came 60 s after the tap and
// the session was erased at 75 s.
func TestStaffCallHoldsTheSession(t *testing.T) {
	clk := &flowtest.Clock{}
	rec := newFakeRecorder()
	k := callKiosk(t, clk, rec)
	tap(t, k, "Touch to start")
	onUI(k, func() { k.g.reference = "7C9E6679" })
	tap(t, k, "Call staff")
	onUI(k, func() {
		if !bannerShown(k) {
			t.Fatal("no \"Staff are on their way\" banner after the call")
		}
	})
	clk.Advance(75 * time.Second)
	onUI(k, func() {
		if k.g.session.Step() != flow.StepFindBooking || k.g.reference != "7C9E6679" {
			t.Fatalf("75 s after the call: step %v, reference %q", k.g.session.Step(), k.g.reference)
		}
		if k.warn != nil {
			t.Fatal("\"Still there?\" shown while the guest waits for staff")
		}
		if !bannerShown(k) {
			t.Error("banner gone while waiting")
		}
	})
	// Every guest screen shows it: the language switch redraws it too.
	tap(t, k, "English")
	tap(t, k, "Deutsch")
	onUI(k, func() {
		if !bannerShown(k) || k.tr.T("help.waiting") != "Das Personal ist unterwegs" {
			t.Error("the banner is not shown in German")
		}
	})
	clk.Advance(10*time.Minute - 75*time.Second - time.Second)
	onUI(k, func() {
		if k.g.session.Step() != flow.StepFindBooking {
			t.Fatalf("reset before kiosk.staff_wait: step %v", k.g.session.Step())
		}
	})
	clk.Advance(time.Second)
	onUI(k, func() {
		if k.g.session.Step() != flow.StepAttract || k.g.reference != "" {
			t.Fatalf("after kiosk.staff_wait: step %v, reference %q", k.g.session.Step(), k.g.reference)
		}
		if bannerShown(k) {
			t.Error("banner still shown after the reset")
		}
	})
	outcomes, _, waiting := rec.snapshot()
	if len(outcomes) != 1 || outcomes[0] != metrics.StaffCalled {
		t.Errorf("outcomes %v, want [staff_called]", outcomes)
	}
	if len(waiting) != 2 || waiting[0] != 1 || waiting[1] != 0 {
		t.Errorf("staff calls waiting reported as %v, want [1 0]", waiting)
	}
}

// Cancel ends the call: the banner goes, and the idle timer runs again.
func TestStaffCallCancelled(t *testing.T) {
	clk := &flowtest.Clock{}
	k := callKiosk(t, clk, nil)
	tap(t, k, "Touch to start")
	tap(t, k, "Call staff")
	clk.Advance(5 * time.Minute)
	tap(t, k, "Cancel the call")
	onUI(k, func() {
		if bannerShown(k) {
			t.Error("banner still shown after Cancel")
		}
		if _, ok := k.callWaiting(); ok {
			t.Error("call still waiting after Cancel")
		}
	})
	clk.Advance(75 * time.Second)
	onUI(k, func() {
		if k.g.session.Step() != flow.StepAttract {
			t.Errorf("the idle reset did not come back after Cancel: step %v", k.g.session.Step())
		}
	})
}

// Staff end the call with their PIN from the kiosk, and the guest's screen
// comes back as it was.
func TestStaffEndCallWithPIN(t *testing.T) {
	clk := &flowtest.Clock{}
	k := callKiosk(t, clk, nil)
	tap(t, k, "Touch to start")
	onUI(k, func() { k.g.reference = "7C9E6679" })
	tap(t, k, "Call staff")
	tap(t, k, "OK")
	// The staff console's health view shows the call at once.
	onUI(k, func() {
		var found bool
		for _, it := range k.guestHealthItems() {
			rt, ok := it.Widget.(*fwidget.RichText)
			found = found || ok && rt.String() == k.tr.T("staff.health.call", "min", "0")
		}
		if !found {
			t.Error("the health view does not show the waiting guest")
		}
	})
	tap(t, k, "Staff: end call")
	onUI(k, func() {
		if k.staff == nil || k.staff.s.Open {
			t.Fatal("the PIN pad is not shown")
		}
	})
	typePIN(t, k, testPIN)
	waitFor(t, k, "the guest's screen", 10*time.Second, func() bool { return k.current != nil && !bannerShown(k) })
	onUI(k, func() {
		if _, ok := k.callWaiting(); ok {
			t.Error("call still waiting after the staff PIN")
		}
		if k.staff.s.Open {
			t.Error("the staff console stayed open behind the guest's screen")
		}
		if k.g.session.Step() != flow.StepFindBooking || k.g.reference != "7C9E6679" {
			t.Errorf("guest's session not kept: step %v, reference %q", k.g.session.Step(), k.g.reference)
		}
		if find(k, func(b *fwidget.Button) bool { return b.Text == "Find my booking" }) == nil {
			t.Error("the guest's screen did not come back")
		}
	})
	// The idle timer runs again.
	clk.Advance(75 * time.Second)
	onUI(k, func() {
		if k.g.session.Step() != flow.StepAttract {
			t.Errorf("no idle reset after the call was answered: step %v", k.g.session.Step())
		}
	})
}

// The dialog promises what the kiosk does, in every language: the wait
// it holds the session for, in minutes, and nothing about "a few minutes".
func TestStaffCallPromise(t *testing.T) {
	clk := &flowtest.Clock{}
	cfg := config.Default()
	cfg.Kiosk.StaffWait = config.Duration(7 * time.Minute)
	k := newKiosk(t, Options{Clock: clk, Config: cfg, Services: flow.Services{Booking: &memBooking{}},
		Camera: syntheticCamera(synthetic.NoCard, synthetic.NoCard)})
	for _, lang := range []string{"en", "fr", "es", "de", "nl"} {
		onUI(k, func() {
			k.tr.SetLanguage(lang)
			k.callStaff()
			body := find(k, func(l *fwidget.Label) bool { return strings.Contains(l.Text, "7") })
			if body == nil {
				t.Errorf("%s: the help dialog does not name the 7-minute wait", lang)
			} else {
				for _, vague := range []string{"few minutes", "quelques minutes", "unos minutos", "einige Minuten", "paar minuten"} {
					if strings.Contains(body.Text, vague) {
						t.Errorf("%s: %q still promises %q", lang, body.Text, vague)
					}
				}
			}
			fitHideOverlays(k)
		})
	}
}

// The PIN pad opened from the banner and closed without a PIN: the guest's
// screen comes back, still waiting, with the banner.
func TestStaffPadClosedKeepsTheCall(t *testing.T) {
	clk := &flowtest.Clock{}
	k := callKiosk(t, clk, nil)
	tap(t, k, "Touch to start")
	onUI(k, func() { k.g.reference = "7C9E6679" })
	tap(t, k, "Call staff")
	tap(t, k, "Staff: end call")
	onUI(k, func() {
		if bannerShown(k) {
			t.Error("the banner takes the staff screens' room")
		}
	})
	tap(t, k, k.tr.T("staff.back_to_kiosk"))
	onUI(k, func() {
		if _, ok := k.callWaiting(); !ok || !bannerShown(k) {
			t.Error("the call or its banner is gone after the PIN pad was closed")
		}
		if k.g.session.Step() != flow.StepFindBooking || k.g.reference != "7C9E6679" {
			t.Errorf("guest's session not kept: step %v, reference %q", k.g.session.Step(), k.g.reference)
		}
	})
	clk.Advance(2 * time.Minute)
	onUI(k, func() {
		if k.g.session.Step() != flow.StepFindBooking {
			t.Error("reset while the call still waits")
		}
	})
}

// A configured webhook hears of the call and of its end, in the
// background, with nothing about the guest.
func TestStaffCallNotifies(t *testing.T) {
	bodies := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- string(b)
	}))
	defer srv.Close()
	n, err := notify.New(notify.Options{Webhook: srv.URL + "/hook", Kiosk: "kiosk-1"})
	if err != nil {
		t.Fatal(err)
	}
	clk := &flowtest.Clock{}
	k := newKiosk(t, Options{Clock: clk, Notify: n, Services: flow.Services{Booking: &memBooking{}},
		Camera: syntheticCamera(synthetic.NoCard, synthetic.NoCard)})
	tap(t, k, "Touch to start")
	onUI(k, func() { k.g.reference = "7C9E6679" })
	tap(t, k, "Call staff")
	tap(t, k, "Cancel the call")
	for _, want := range []string{notify.EventStaffCalled, notify.EventCallCancelled} {
		select {
		case b := <-bodies:
			var e notify.Event
			if err := json.Unmarshal([]byte(b), &e); err != nil || e.Name != want || e.Kiosk != "kiosk-1" {
				t.Errorf("webhook got %s, want event %s", b, want)
			}
			if strings.Contains(b, "7C9E6679") || strings.Contains(b, demodata.People[0].LastName) {
				t.Errorf("webhook body %s carries the guest's data", b)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s notification", want)
		}
	}
	n.Wait()
}
