package app

import (
	"context"
	"testing"
	"time"

	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// newClockKiosk is a kiosk on clk, with no card in front of its camera.
func newClockKiosk(t *testing.T, clk *flowtest.Clock) *Kiosk {
	return newKiosk(t, Options{Clock: clk, Services: flow.Services{Booking: &memBooking{}},
		Camera: syntheticCamera(synthetic.NoCard, synthetic.NoCard)})
}

// After 60 s without input the kiosk asks "Still there?" for 15 s, then
// wipes the session and returns to the attract screen.
func TestIdleCountdownThenReset(t *testing.T) {
	clk := &flowtest.Clock{}
	k := newClockKiosk(t, clk)
	tap(t, k, "Touch to start")
	onUI(k, func() {
		k.g.reference = "7c9e6679"
		b, _ := (&memBooking{}).Booking(context.Background(), demodata.People[0].BookingID)
		k.g.session.SetBooking(b, nil)
		k.render()
	})
	clk.Advance(59 * time.Second)
	onUI(k, func() {
		if k.warn != nil {
			t.Fatal("countdown shown before the idle timeout")
		}
	})
	clk.Advance(time.Second)
	var title string
	onUI(k, func() {
		if l := find(k, func(b *fwidget.Button) bool { return b.Text == "I'm still here" }); l == nil {
			t.Fatal("no countdown after 60 s")
		}
		title = k.stepName()
	})
	if title != "confirm-booking" {
		t.Fatalf("step %s during the countdown", title)
	}
	clk.Advance(15 * time.Second)
	onUI(k, func() {
		if k.g.session.Step() != flow.StepAttract || k.g.session.Booking != nil || k.g.reference != "" {
			t.Fatalf("after the countdown: step %v, booking %v, reference %q", k.g.session.Step(), k.g.session.Booking, k.g.reference)
		}
		if k.warn != nil {
			t.Error("countdown still shown on the attract screen")
		}
	})
}

// Touching during the countdown keeps the session.
func TestIdleCountdownContinue(t *testing.T) {
	clk := &flowtest.Clock{}
	k := newClockKiosk(t, clk)
	tap(t, k, "Touch to start")
	clk.Advance(62 * time.Second)
	tap(t, k, "I'm still here")
	clk.Advance(30 * time.Second)
	onUI(k, func() {
		if k.g.session.Step() != flow.StepFindBooking || k.warn != nil {
			t.Fatalf("step %v, warning %v after continuing", k.g.session.Step(), k.warn != nil)
		}
	})
}

// The language button on a flow screen switches every text at once and
// keeps what the guest typed.
func TestLanguageSwitchMidFlow(t *testing.T) {
	k := newClockKiosk(t, &flowtest.Clock{})
	tap(t, k, "Touch to start")
	onUI(k, func() { k.g.reference = "7C9E6679" })
	tap(t, k, "English")
	tap(t, k, "Deutsch")
	onUI(k, func() {
		if find(k, func(b *fwidget.Button) bool { return b.Text == "Buchung finden" }) == nil {
			t.Error("the screen is not in German")
		}
		e := find(k, func(*fwidget.Entry) bool { return true })
		if e == nil || e.Text != "7C9E6679" {
			t.Errorf("typed reference lost: %v", e)
		}
	})
	tap(t, k, "Personal rufen")
	onUI(k, func() {
		if find(k, func(l *fwidget.Label) bool { return l.Text == "Ein Mitarbeiter kommt gleich" }) == nil {
			t.Error("the help pop-up is not shown in German")
		}
	})
}
