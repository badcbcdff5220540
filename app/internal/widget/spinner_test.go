package widget

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// The spinner is at least 48 dp (issue 17: the old one was a 1–2 px dot)
// and keeps that size in a container that would shrink it.
func TestSpinnerIsBig(t *testing.T) {
	test.NewTempApp(t)
	s := NewSpinner()
	if m := s.MinSize(); m.Width < 48 || m.Height < 48 {
		t.Fatalf("MinSize %v, want at least 48×48", m)
	}
	w := test.NewTempWindow(t, container.NewHBox(s))
	w.Resize(fyne.NewSize(300, 200))
	if sz := s.Size(); sz.Width < 48 || sz.Height < 48 {
		t.Errorf("laid out at %v in a row", sz)
	}
	for i, o := range test.WidgetRenderer(s).Objects() {
		if o.Size().Width < 48 || o.Size().Height < 48 {
			t.Errorf("part %d drawn at %v", i, o.Size())
		}
	}
}

// The arc goes round: each tick of the animation moves it, Start and Stop
// say whether it runs, and a renderer made again after Destroy turns again.
func TestSpinnerTurns(t *testing.T) {
	test.NewTempApp(t)
	s := NewSpinner()
	test.NewTempWindow(t, s)
	arc := func() *canvas.Arc { return test.WidgetRenderer(s).Objects()[1].(*canvas.Arc) }
	if s.Running() {
		t.Fatal("running before Start")
	}
	s.Start()
	if !s.Running() || !s.animating {
		t.Fatalf("after Start: running %v, animating %v", s.Running(), s.animating)
	}
	var last float32 = -1
	for _, done := range []float32{0, 0.25, 0.5, 0.75} {
		s.tick(done)
		a := arc()
		if a.StartAngle == last {
			t.Errorf("tick %v did not move the arc from %v", done, last)
		}
		if want := done * 360; a.StartAngle != want || a.EndAngle-a.StartAngle != spinnerSweep {
			t.Errorf("tick %v: arc %v→%v, want from %v over %v°", done, a.StartAngle, a.EndAngle, want, spinnerSweep)
		}
		last = a.StartAngle
	}
	test.WidgetRenderer(s).Destroy()
	if !s.Running() || s.animating {
		t.Errorf("after Destroy: running %v, animating %v; want still running, not animated", s.Running(), s.animating)
	}
	s.CreateRenderer()
	if !s.animating {
		t.Error("a new renderer of a running spinner does not turn")
	}
	s.Stop()
	if s.Running() || s.animating {
		t.Errorf("after Stop: running %v, animating %v", s.Running(), s.animating)
	}
	s.Stop() // twice is fine
}
