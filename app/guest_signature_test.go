package app

import (
	"testing"

	"fyne.io/fyne/v2/test"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/internal/widget"
)

// toSignScreen puts a new guest on the Sign screen of the demo booking,
// an identity card captured and its details entered; on the UI goroutine.
func toSignScreen(t *testing.T, k *Kiosk) {
	s := confirmDemoBooking(k)
	_ = s.ChooseType(s.DocTypes[1])
	_ = s.AddCapture(flow.Capture{JPEG: []byte{1}})
	_ = s.AddCapture(flow.Capture{JPEG: []byte{1}})
	k.g.details = &flow.Details{Type: "IdentityCard", Number: "D23145890", Expiry: "2034-12-15", IssuingCountry: "SE"}
	_ = s.SetDetails(*k.g.details, "c")
	k.render()
	if s.Step() != flow.StepSignature {
		t.Fatalf("on %v, want the Sign screen", s.Step())
	}
}

// A guest who signs and then changes the language or a display mode
// keeps the signature: the screen is built again around the same ink,
// the pad's hint and buttons in the new language. Before, the ink was
// gone and the guest had to sign again. A new guest starts blank.
func TestSignatureSurvivesLanguageAndMode(t *testing.T) {
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}}, fitCamera)
	onUI(k, func() { toSignScreen(t, k) })
	sign(t, k)
	strokes := func() (n int) {
		onUI(k, func() {
			if p := find(k, func(*widget.Pad) bool { return true }); p != nil {
				n = p.Signature().Len()
			}
		})
		return n
	}
	if n := strokes(); n != 2 {
		t.Fatalf("%d strokes signed, want 2", n)
	}
	onUI(k, func() { k.SetLanguage("fr") })
	if n := strokes(); n != 2 {
		t.Errorf("%d strokes after the language changed, want 2", n)
	}
	onUI(k, func() {
		if find(k, func(b *fwidget.Button) bool { return b.Text == k.tr.T("sign.undo") && !b.Disabled() }) == nil {
			t.Errorf("no enabled %q after the language changed", k.tr.T("sign.undo"))
		}
		k.setDisplay(displayModes{Larger: true, Contrast: true})
		k.show(k.current) // as the accessibility dialog does
	})
	if n := strokes(); n != 2 {
		t.Errorf("%d strokes after the display mode changed, want 2", n)
	}
	onUI(k, func() {
		if p := find(k, func(*widget.Pad) bool { return true }); p != nil {
			test.Tap(find(k, func(b *fwidget.Button) bool { return b.Text == k.tr.T("sign.undo") }))
			if p.Signature().Len() != 1 {
				t.Errorf("Undo on the rebuilt screen left %d strokes, want 1", p.Signature().Len())
			}
		}
		toSignScreen(t, k) // the next guest
	})
	if n := strokes(); n != 0 {
		t.Errorf("the next guest's pad holds %d strokes", n)
	}
	stopKiosk(t, k)
}
