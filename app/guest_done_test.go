package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// gatedBooking holds each document upload until gate is closed.
type gatedBooking struct {
	memBooking
	gate chan struct{}
}

func (g *gatedBooking) SaveIdentityDocument(ctx context.Context, id string, d storegister.IdentityDocument) (string, error) {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return g.memBooking.SaveIdentityDocument(ctx, id, d)
}

// richText is the text of the first RichText on screen that match accepts.
func richText(k *Kiosk, match func(*fwidget.TextSegment) bool) (string, bool) {
	rt := find(k, func(rt *fwidget.RichText) bool {
		ts, ok := rt.Segments[0].(*fwidget.TextSegment)
		return ok && match(ts)
	})
	if rt == nil {
		return "", false
	}
	return rt.String(), true
}

// readySession brings the kiosk's guest to the submit step with the
// booking b and a signature.
func readySession(k *Kiosk, b *storegister.Booking) {
	k.newGuest()
	s := k.g.session
	s.Start()
	types, _ := (&memBooking{}).IdentityDocumentTypes(context.Background(), "")
	s.SetBooking(b, k.docTypes(types))
	_ = s.ConfirmBooking()
	_ = s.ChooseType(flow.DocType{ID: "1", Name: "Passport", Sides: []string{"front"}})
	_ = s.AddCapture(flow.Capture{JPEG: []byte{1}, Filename: "passport-front.jpg", ContentType: "image/jpeg"})
	_ = s.SkipDetails("mews.skip.not_configured")
	_ = s.SetAgreement(strings.Repeat("ab", 32)) // the agreement shown (helper sign)
	_ = s.SetSignature([]byte{1})
}

// Findings 7 and 8: the submission shows the spinner once it has taken
// 300 ms; the Done screen then says what happens next — the unit and site
// of the booking and the operator's message in the guest's language — and
// counts down by the kiosk's clock to the reset, with the references in
// small print. (The old screen showed three references and a "closes in
// 20 seconds" that never moved.)
func TestSubmitWaitThenDoneSaysWhatNext(t *testing.T) {
	clk := &flowtest.Clock{}
	cfg := config.Default()
	cfg.Kiosk.DoneMessage = map[string]string{"en": "Your access code is at the front desk", "de": "Ihr Zugangscode liegt am Empfang"}
	svc := &gatedBooking{gate: make(chan struct{})}
	k := newKiosk(t, Options{Config: cfg, Clock: clk, Services: flow.Services{Booking: svc},
		Camera: syntheticCamera(synthetic.NoCard, synthetic.NoCard)})
	b, _ := svc.Booking(context.Background(), demodata.People[0].BookingID)
	b.Unit = storegister.Unit{Name: "A-112", Size: "5"}
	b.Property.Name = "Signet Self Storage Harbourside"
	onUI(k, func() {
		readySession(k, b)
		k.submit()
	})
	spinner := func() (s *kwidget.Spinner) {
		onUI(k, func() { s = find(k, func(s *kwidget.Spinner) bool { return s.Visible() }) })
		return s
	}
	if spinner() != nil {
		t.Fatal("the spinner shows as the submission starts")
	}
	clk.Advance(activityDelay)
	if s := spinner(); s == nil || !s.Running() || s.Size().Width < 48 {
		t.Fatalf("no turning spinner of 48 dp 300 ms into the submission: %v", s)
	}
	close(svc.gate)
	waitFor(t, k, "the done screen", 10*time.Second, func() bool { return k.g.session.Step() == flow.StepDone })

	label := func(text string) bool {
		var ok bool
		onUI(k, func() {
			ok = find(k, func(l *fwidget.Label) bool { return l.Text == text }) != nil ||
				find(k, func(ft *fitText) bool { return ft.text == text }) != nil
		})
		return ok
	}
	for _, want := range []string{k.tr.T("done.sent"), "This screen closes by itself in 20 s."} {
		if !label(want) {
			t.Errorf("the done screen lacks %q", want)
		}
	}
	var next, small, unit string
	onUI(k, func() {
		unit, _ = richText(k, func(ts *fwidget.TextSegment) bool { return ts.Text == k.tr.T("done.your_unit") })
	})
	if want := "Your storage unitA-112 · 5Signet Self Storage Harbourside"; unit != want {
		t.Errorf("unit and site %q, want %q", unit, want)
	}
	onUI(k, func() {
		next = fitTextIn(k, theme.ColorNamePrimary)
		small = fitTextIn(k, theme.ColorNamePlaceHolder)
	})
	if next != "Your access code is at the front desk" {
		t.Errorf("operator's message %q", next)
	}
	if !strings.Contains(small, "Signature reference 7C9E6679") || !strings.Contains(small, "Document photo 1 0F8FAD5B") {
		t.Errorf("small print %q lacks the references", small)
	}
	if spinner() != nil {
		t.Error("the spinner is still on the done screen")
	}

	clk.Advance(time.Second)
	if !label("This screen closes by itself in 19 s.") {
		t.Error("the countdown did not move after a second")
	}
	clk.Advance(9 * time.Second)
	tap(t, k, "English")
	tap(t, k, "Deutsch")
	onUI(k, func() {
		next = fitTextIn(k, theme.ColorNamePrimary)
	})
	if next != "Ihr Zugangscode liegt am Empfang" || !label("Dieser Bildschirm schließt sich in 10 s von selbst.") {
		t.Errorf("in German: message %q, countdown at 10 s shown %v", next, label("Dieser Bildschirm schließt sich in 10 s von selbst."))
	}
	tap(t, k, "Deutsch")
	tap(t, k, "Français")
	onUI(k, func() {
		next = fitTextIn(k, theme.ColorNamePrimary)
	})
	if next != "Your access code is at the front desk" {
		t.Errorf("in French (not configured): %q, want the English message", next)
	}
	clk.Advance(9 * time.Second)
	onUI(k, func() {
		if s := k.g.session.Step(); s != flow.StepDone {
			t.Fatalf("reset after 19 s: on %v", s)
		}
	})
	clk.Advance(time.Second)
	onUI(k, func() {
		if s := k.g.session.Step(); s != flow.StepAttract {
			t.Errorf("after 20 s: on %v, want the attract screen", s)
		}
	})
}

// With no message configured the done screen shows none, and says the
// documents will be sent when the connection is back for queued parts.
func TestDoneWithoutMessageQueued(t *testing.T) {
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}}, nil)
	b, _ := (&memBooking{}).Booking(context.Background(), demodata.People[0].BookingID)
	onUI(k, func() {
		readySession(k, b)
		k.g.session.Done()
		k.g.result = &flow.Result{Queued: []flow.Part{flow.PartSignature}}
		k.render()
		if _, ok := richText(k, func(ts *fwidget.TextSegment) bool { return ts.Style.ColorName == theme.ColorNamePrimary }); ok {
			t.Error("an operator's message shows with none configured")
		}
		if find(k, func(l *fwidget.Label) bool { return l.Text == k.tr.T("done.queued") }) == nil {
			t.Error("the queued wording is missing")
		}
	})
}

// fitTextIn is the text of the fitText in the colour c on screen.
func fitTextIn(k *Kiosk, c fyne.ThemeColorName) string {
	if ft := find(k, func(ft *fitText) bool { return ft.colour == c }); ft != nil {
		return ft.text
	}
	return ""
}
