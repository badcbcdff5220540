package widget

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// padClock drives the pad's timestamps so strokes render the same on
// every run.
type padClock struct{ t time.Time }

func (c *padClock) now() time.Time { return c.t }

func (c *padClock) step(ms int) { c.t = c.t.Add(time.Duration(ms) * time.Millisecond) }

// inkTheme is the test theme plus the pad's own theme names, the way the
// kiosk theme supplies them.
type inkTheme struct{ fyne.Theme }

func (th inkTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case ThemeColorNameInk:
		return color.NRGBA{R: 0xf4, G: 0xf6, B: 0xff, A: 0xff}
	case theme.ColorNameInputBackground:
		return color.NRGBA{R: 0x2b, G: 0x30, B: 0x3b, A: 0xff}
	}
	return th.Theme.Color(n, v)
}

func (th inkTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case ThemeSizeNamePenMin:
		return 0.7
	case ThemeSizeNamePenMax:
		return 3
	}
	return th.Theme.Size(n)
}

func newPadTestApp(t *testing.T) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(inkTheme{test.Theme()})
}

func newTestPad(t *testing.T, hint string, size fyne.Size) (*Pad, *padClock, fyne.Window) {
	t.Helper()
	newPadTestApp(t)
	clk := &padClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	p := NewPad(hint)
	p.now = clk.now
	p.epoch = clk.t
	w := test.NewTempWindow(t, p)
	w.SetPadded(false)
	w.Resize(size)
	return p, clk, w
}

// padStroke presses at pts[0], drags through the rest stepMs apart, and
// releases, calling the handlers the desktop driver calls, in its order.
func padStroke(p *Pad, clk *padClock, stepMs int, pts ...fyne.Position) {
	p.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pts[0]}, Button: desktop.MouseButtonPrimary})
	prev := pts[0]
	for _, pt := range pts[1:] {
		clk.step(stepMs)
		p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: pt}, Dragged: fyne.NewDelta(pt.X-prev.X, pt.Y-prev.Y)})
		prev = pt
	}
	p.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: prev}, Button: desktop.MouseButtonPrimary})
	p.DragEnd()
}

// padWave returns n points of a wave across the pad, spaced dx apart
// horizontally; its shape depends only on x, so any spacing draws the same
// curve.
func padWave(x0, y0 float32, n int, dx float32) []fyne.Position {
	pts := make([]fyne.Position, n)
	for i := range pts {
		x := float32(i) * dx
		pts[i] = fyne.NewPos(x0+x, y0+float32(45*math.Sin(float64(x)/67)))
	}
	return pts
}

func TestPadIsNotDoubleTappable(t *testing.T) {
	var o any = NewPad("")
	if _, ok := o.(fyne.DoubleTappable); ok {
		t.Fatal("Pad implements fyne.DoubleTappable: every tap would be delayed ~300 ms")
	}
}

func TestPadGolden(t *testing.T) {
	size := fyne.NewSize(500, 220)
	tests := []struct {
		name string
		draw func(p *Pad, clk *padClock)
	}{
		{"empty", func(p *Pad, clk *padClock) {}},
		{"slow", func(p *Pad, clk *padClock) {
			padStroke(p, clk, 40, padWave(40, 110, 77, 5.5)...)
		}},
		{"fast", func(p *Pad, clk *padClock) {
			padStroke(p, clk, 16, padWave(40, 110, 15, 30)...)
		}},
		{"dot", func(p *Pad, clk *padClock) {
			// A tap as the desktop driver sends it, then one via Tapped alone.
			p.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(200, 100)}})
			p.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(200, 100)}})
			p.Tapped(&fyne.PointEvent{Position: fyne.NewPos(200, 100)})
			clk.step(300)
			p.Tapped(&fyne.PointEvent{Position: fyne.NewPos(300, 100)})
		}},
		{"undo", func(p *Pad, clk *padClock) {
			padStroke(p, clk, 30, padWave(40, 90, 40, 8)...)
			clk.step(500)
			padStroke(p, clk, 20, padWave(60, 160, 40, 9)...)
			p.Undo()
		}},
		{"clear", func(p *Pad, clk *padClock) {
			padStroke(p, clk, 30, padWave(40, 90, 40, 8)...)
			p.Clear()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, clk, w := newTestPad(t, "Sign here", size)
			tt.draw(p, clk)
			test.AssertImageMatches(t, "pad/"+tt.name+".png", w.Canvas().Capture())
		})
	}
}

func TestPadResizeKeepsInk(t *testing.T) {
	p, clk, w := newTestPad(t, "Sign here", fyne.NewSize(500, 220))
	padStroke(p, clk, 30, padWave(40, 110, 50, 8)...)
	renders := p.renders
	w.Resize(fyne.NewSize(640, 300))
	w.Canvas().Capture()
	if p.renders == renders {
		t.Error("the pad did not re-render from the points after a resize")
	}
	if p.img.Rect.Dx() != 640 {
		t.Errorf("image is %d px wide after resize, want 640", p.img.Rect.Dx())
	}
	test.AssertImageMatches(t, "pad/resized.png", w.Canvas().Capture())
}

// TestPadDrawsIncrementally checks that a multi-point drag draws into the
// persistent image without full re-renders, and that what it drew equals a
// full re-render.
func TestPadDrawsIncrementally(t *testing.T) {
	p, clk, w := newTestPad(t, "Sign here", fyne.NewSize(500, 220))
	w.Canvas().Capture()
	img, renders := p.img, p.renders
	changed := 0
	p.OnChanged = func() { changed++ }
	padStroke(p, clk, 20, padWave(40, 110, 60, 7)...)
	if p.img != img {
		t.Error("the pad replaced its image during a stroke")
	}
	if p.renders != renders {
		t.Errorf("%d full renders during one stroke, want 0", p.renders-renders)
	}
	if changed != 1 {
		t.Errorf("OnChanged called %d times for one stroke, want 1", changed)
	}
	if n := len(p.Signature().Strokes()[0]); n < 30 {
		t.Errorf("stroke kept %d points, want the drag's points", n)
	}
	got := bytes.Clone(p.img.Pix)
	p.render()
	if !bytes.Equal(got, p.img.Pix) {
		t.Error("incremental drawing differs from a full re-render")
	}
}

func TestPadHintVanishesOnFirstInk(t *testing.T) {
	p, _, w := newTestPad(t, "Sign here", fyne.NewSize(500, 220))
	r := test.WidgetRenderer(p).(*padRenderer)
	if r.hint.Hidden || r.baseline.Hidden || r.hint.Text != "Sign here" {
		t.Fatal("hint and baseline must show on an empty pad")
	}
	p.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 100)}})
	if !r.hint.Hidden || !r.baseline.Hidden {
		t.Error("hint and baseline must vanish on first ink")
	}
	p.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 100)}})
	p.Undo()
	if r.hint.Hidden || r.baseline.Hidden {
		t.Error("hint and baseline must come back when the pad is empty again")
	}
	_ = w
}

func TestPadTapMakesOneDot(t *testing.T) {
	p, _, _ := newTestPad(t, "", fyne.NewSize(500, 220))
	changed := 0
	p.OnChanged = func() { changed++ }
	at := fyne.PointEvent{Position: fyne.NewPos(50, 50)}
	p.MouseDown(&desktop.MouseEvent{PointEvent: at})
	p.MouseUp(&desktop.MouseEvent{PointEvent: at})
	p.Tapped(&at)
	if n := p.Signature().Len(); n != 1 {
		t.Errorf("%d strokes after one tap, want 1", n)
	}
	if changed != 1 {
		t.Errorf("OnChanged called %d times for one tap, want 1", changed)
	}
	test.Tap(p)
	if n := p.Signature().Len(); n != 2 {
		t.Errorf("%d strokes after a Tapped-only tap, want 2", n)
	}
}

// TestPadDragWithoutMouseDown covers drivers (and test.Drag) that send only
// Dragged and DragEnd.
func TestPadDragWithoutMouseDown(t *testing.T) {
	p, clk, w := newTestPad(t, "", fyne.NewSize(500, 220))
	w.Canvas().Capture()
	prev := fyne.NewPos(20, 20)
	for i := 1; i <= 10; i++ {
		clk.step(20)
		pt := fyne.NewPos(20+float32(i)*12, 20+float32(i)*5)
		p.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: pt}, Dragged: fyne.NewDelta(pt.X-prev.X, pt.Y-prev.Y)})
		prev = pt
	}
	p.DragEnd()
	if p.Signature().Drawing() || p.Signature().Len() != 1 {
		t.Fatalf("strokes %d, drawing %v", p.Signature().Len(), p.Signature().Drawing())
	}
	if got := p.Signature().Strokes()[0][0]; got.X != 20 || got.Y != 20 {
		t.Errorf("stroke starts at (%g,%g), want the drag's start (20,20)", got.X, got.Y)
	}
	if p.img == nil || image.Rect(0, 0, 500, 220) != p.img.Rect {
		t.Fatal("no image of the pad's size")
	}
}

// BenchmarkAddPoint measures one Dragged event on a 1000×400 dp pad at
// canvas scale 1 (the test canvas's): filter, smoothing, width, incremental
// drawing into the persistent image and the raster refresh.
func BenchmarkAddPoint(b *testing.B) {
	a := test.NewTempApp(b)
	a.Settings().SetTheme(inkTheme{test.Theme()})
	p := NewPad("Sign here")
	clk := &padClock{}
	p.now, p.epoch = clk.now, clk.t
	w := test.NewTempWindow(b, p)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 400))
	w.Canvas().Capture() // first render: the image exists from here on
	const n = 4096
	pts := make([]fyne.Position, n)
	for i := range pts {
		u := float64(i)
		pts[i] = fyne.NewPos(float32(500+420*math.Sin(u/97)+30*math.Sin(u/5.3)), float32(200+150*math.Sin(u/61)+25*math.Cos(u/4.1)))
	}
	ev := &fyne.DragEvent{}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%256 == 0 {
			p.DragEnd()
			if i%n == 0 {
				p.sig.Clear()
				clear(p.img.Pix)
			}
		}
		clk.step(16)
		ev.Position = pts[i%n]
		p.Dragged(ev)
		i++
	}
}
