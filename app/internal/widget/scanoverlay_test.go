package widget

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// cameraStandIn is a plain picture standing in for the camera view.
func cameraStandIn(w, h int) *canvas.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(120 + x*60/w), uint8(90 + y*40/h), 70, 255})
		}
	}
	ci := canvas.NewImageFromImage(img)
	ci.FillMode = canvas.ImageFillContain
	return ci
}

func newTestOverlay(t *testing.T, size fyne.Size) (*ScanOverlay, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	o := NewScanOverlay()
	w := test.NewTempWindow(t, container.NewStack(cameraStandIn(160, 90), o))
	w.SetPadded(false)
	w.Resize(size)
	return o, w
}

func TestScanOverlayGuide(t *testing.T) {
	tests := []struct {
		name  string
		size  fyne.Size
		frame image.Point
		guide image.Rectangle
		pos   fyne.Position
		gs    fyne.Size
	}{
		// 1280×720 into 640×360: scale ½, no letterbox.
		{"fit", fyne.NewSize(640, 360), image.Pt(1280, 720), image.Rect(240, 108, 1040, 612),
			fyne.NewPos(120, 54), fyne.NewSize(400, 252)},
		// Into 640×480: scale ½, 60 px bars above and below.
		{"letterbox", fyne.NewSize(640, 480), image.Pt(1280, 720), image.Rect(240, 108, 1040, 612),
			fyne.NewPos(120, 114), fyne.NewSize(400, 252)},
		// Into 800×360: scale ½, 80 px bars left and right.
		{"pillarbox", fyne.NewSize(800, 360), image.Pt(1280, 720), image.Rect(0, 0, 1280, 720),
			fyne.NewPos(80, 0), fyne.NewSize(640, 360)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _ := newTestOverlay(t, tt.size)
			o.SetGuide(tt.frame.X, tt.frame.Y, tt.guide)
			pos, gs := o.GuideRect()
			if pos != tt.pos || gs != tt.gs {
				t.Errorf("guide at %v %v, want %v %v", pos, gs, tt.pos, tt.gs)
			}
			r := test.WidgetRenderer(o).(*scanOverlayRenderer)
			if r.guide.Position() != tt.pos || r.guide.Size() != tt.gs {
				t.Errorf("guide drawn at %v %v", r.guide.Position(), r.guide.Size())
			}
			// The shade covers everything but the guide.
			var area float32
			for _, s := range r.shade {
				area += s.Size().Width * s.Size().Height
			}
			if want := tt.size.Width*tt.size.Height - tt.gs.Width*tt.gs.Height; area != want {
				t.Errorf("shaded %v px², want %v", area, want)
			}
		})
	}
}

func TestScanOverlayStates(t *testing.T) {
	o, w := newTestOverlay(t, fyne.NewSize(640, 360))
	o.SetGuide(1280, 720, image.Rect(240, 108, 1040, 612))
	r := test.WidgetRenderer(o).(*scanOverlayRenderer)

	if r.text.Visible() || r.ring.Visible() || r.flash.Visible() {
		t.Fatal("a new overlay shows only the guide")
	}
	test.AssertImageMatches(t, "scanoverlay/idle.png", w.Canvas().Capture())

	o.SetHint("Place the card in the frame")
	if !r.text.Visible() || r.text.Text != "Place the card in the frame" || !r.bubble.Visible() {
		t.Errorf("hint: visible %v text %q", r.text.Visible(), r.text.Text)
	}
	if gp, gs := o.GuideRect(); r.bubble.Position().Y+r.bubble.Size().Height > gp.Y+gs.Height {
		t.Error("hint bubble leaves the guide")
	}
	test.AssertImageMatches(t, "scanoverlay/hint.png", w.Canvas().Capture())

	o.SetHint("")
	o.SetProgress(0.5)
	if !r.ring.Visible() || r.ring.EndAngle != 180 || r.guide.StrokeColor != overlayHolding {
		t.Errorf("progress: ring %v end %v stroke %v", r.ring.Visible(), r.ring.EndAngle, r.guide.StrokeColor)
	}
	if r.text.Visible() {
		t.Error("empty hint still shown")
	}
	test.AssertImageMatches(t, "scanoverlay/holding.png", w.Canvas().Capture())

	for _, p := range []float64{-1, 2} {
		o.SetProgress(p)
		if got := o.Progress(); got < 0 || got > 1 {
			t.Errorf("SetProgress(%v) kept %v", p, got)
		}
	}
	o.SetProgress(0)
	if r.ring.Visible() || r.guide.StrokeColor != overlayGuide {
		t.Error("progress 0 must hide the ring")
	}

	o.flashStep(0)
	if !r.flash.Visible() || r.flash.FillColor.(color.NRGBA).A != overlayFlash.A {
		t.Error("flash not shown at the start")
	}
	test.AssertImageMatches(t, "scanoverlay/flash.png", w.Canvas().Capture())
	o.flashStep(0.5)
	if a := r.flash.FillColor.(color.NRGBA).A; a == 0 || a >= overlayFlash.A {
		t.Errorf("flash half-way alpha %d", a)
	}
	o.flashStep(1)
	if r.flash.Visible() {
		t.Error("flash still shown at the end")
	}
	o.Flash() // the test driver runs it to the end at once
	if r.flash.Visible() {
		t.Error("flash still shown after the animation")
	}
}
