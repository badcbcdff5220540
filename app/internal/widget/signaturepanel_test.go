package widget

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	fynewidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/capture/signature"
)

func newTestPanel(t *testing.T) (*SignaturePanel, *padClock, fyne.Window) {
	t.Helper()
	newPadTestApp(t)
	p := NewSignaturePanel("Sign here", "Clear", "Undo")
	clk := &padClock{}
	p.pad.now, p.pad.epoch = clk.now, clk.t
	w := test.NewTempWindow(t, p)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(600, 340))
	return p, clk, w
}

func TestSignaturePanel(t *testing.T) {
	p, clk, w := newTestPanel(t)
	if !p.clear.Disabled() || !p.undo.Disabled() {
		t.Error("Clear and Undo must be disabled on an empty pad")
	}
	for _, b := range []*fynewidget.Button{p.clear, p.undo} {
		if h := b.Size().Height; h < MinButtonHeight {
			t.Errorf("button %q is %g tall, want at least %d", b.Text, h, MinButtonHeight)
		}
	}
	changed := 0
	p.OnChanged = func() { changed++ }

	// A tap is refused as a dot, with the caller's message.
	test.TapAt(p.pad, fyne.NewPos(100, 100))
	msg := func(r signature.Reason) string { return "refused: " + r.String() }
	err := p.Check(signature.DefaultInkRule, msg)
	if !errors.Is(err, signature.ErrNotEnoughInk) || p.Message() != "refused: dot" {
		t.Fatalf("Check = %v, message %q", err, p.Message())
	}
	test.AssertImageMatches(t, "panel/refused.png", w.Canvas().Capture())

	// New ink hides the message; a real signature passes.
	padStroke(p.pad, clk, 20, padWave(40, 120, 60, 8)...)
	if p.Message() != "" {
		t.Errorf("message %q still shown after new ink", p.Message())
	}
	if err := p.Check(signature.DefaultInkRule, msg); err != nil {
		t.Fatalf("Check = %v for a full stroke", err)
	}
	if p.clear.Disabled() || p.undo.Disabled() {
		t.Error("Clear and Undo must be enabled once there is ink")
	}
	test.AssertImageMatches(t, "panel/signed.png", w.Canvas().Capture())

	test.Tap(p.undo)
	if n := p.Signature().Len(); n != 1 {
		t.Errorf("%d strokes after Undo, want 1", n)
	}
	test.Tap(p.clear)
	if !p.Signature().IsEmpty() || !p.clear.Disabled() {
		t.Error("Clear must empty the pad and disable itself")
	}
	if changed != 4 {
		t.Errorf("OnChanged called %d times, want 4 (tap, stroke, undo, clear)", changed)
	}
}
