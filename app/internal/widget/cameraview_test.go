package widget

import (
	"context"
	"image"
	"image/color"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/signet-kiosk/signet/capture/camera"
	"github.com/signet-kiosk/signet/capture/frame"
)

func solid(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

// queueDo collects fyne.Do calls so a test decides when the UI runs them.
type queueDo struct {
	mu sync.Mutex
	q  []func()
}

func (d *queueDo) do(f func()) { d.mu.Lock(); d.q = append(d.q, f); d.mu.Unlock() }
func (d *queueDo) run() int {
	d.mu.Lock()
	q := d.q
	d.q = nil
	d.mu.Unlock()
	for _, f := range q {
		f()
	}
	return len(q)
}

func TestCameraViewSwapsAndDrops(t *testing.T) {
	test.NewTempApp(t)
	v := NewCameraView()
	if v.img.ScaleMode != canvas.ImageScaleFastest {
		t.Error("image does not scale on the GPU")
	}
	q := &queueDo{}
	v.do = q.do
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(320, 180))

	red, blue := solid(64, 36, color.RGBA{255, 0, 0, 255}), solid(64, 36, color.RGBA{0, 0, 255, 255})
	if !v.SetImage(red, image.Pt(128, 72)) {
		t.Fatal("first frame dropped")
	}
	// The UI has not run the swap yet: the next frame is dropped, not queued.
	if v.SetImage(blue, image.Pt(128, 72)) {
		t.Fatal("frame accepted while a swap is pending")
	}
	if n := q.run(); n != 1 {
		t.Fatalf("%d swaps queued, want 1", n)
	}
	shown := v.img.Image.(*image.RGBA)
	if shown.Pix[0] != 255 || shown.Pix[2] != 0 {
		t.Fatalf("showing %v, want red", shown.Pix[:4])
	}
	// The caller's image may change after SetImage: the view copied it.
	red.Pix[0] = 7
	if shown.Pix[0] != 255 {
		t.Fatal("view shows the caller's buffer")
	}
	if !v.SetImage(blue, image.Pt(128, 72)) {
		t.Fatal("frame dropped after the swap")
	}
	// Writing the next frame never touches the buffer on screen.
	if shown.Pix[2] != 0 {
		t.Fatal("buffer on screen was written")
	}
	q.run()
	if got := v.img.Image.(*image.RGBA); got.Pix[2] != 255 || got == shown {
		t.Fatal("second frame not swapped in")
	}
	if s, d := v.Stats(); s != 2 || d != 1 {
		t.Errorf("stats shown %d dropped %d", s, d)
	}
}

func TestCameraViewUnavailableAndRetry(t *testing.T) {
	test.NewTempApp(t)
	v := NewCameraView()
	retried := 0
	v.OnRetry = func() { retried++ }
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(400, 300))
	v.SetUnavailable("Kamera nicht verfügbar", "Erneut versuchen")
	r := test.WidgetRenderer(v).(*cameraViewRenderer)
	if !r.box.Visible() || r.v.img.Visible() {
		t.Fatal("not-available box not shown")
	}
	if r.msg.Text != "Kamera nicht verfügbar" || r.retry.Text != "Erneut versuchen" {
		t.Errorf("texts %q %q", r.msg.Text, r.retry.Text)
	}
	test.Tap(r.retry)
	if retried != 1 {
		t.Errorf("retry called %d times", retried)
	}
	v.SetAvailable()
	if r.box.Visible() || !v.img.Visible() || v.Unavailable() {
		t.Error("still showing not available")
	}
}

func TestCameraViewMapRect(t *testing.T) {
	test.NewTempApp(t)
	v := NewCameraView()
	v.do = func(f func()) { f() }
	v.SetImage(solid(64, 36, color.RGBA{A: 255}), image.Pt(1280, 720))
	tests := []struct {
		name    string
		r       image.Rectangle
		size    fyne.Size
		pos     fyne.Position
		sizeOut fyne.Size
	}{
		{"exact fit", image.Rect(0, 0, 1280, 720), fyne.NewSize(640, 360), fyne.NewPos(0, 0), fyne.NewSize(640, 360)},
		{"letterbox", image.Rect(0, 0, 1280, 720), fyne.NewSize(640, 560), fyne.NewPos(0, 100), fyne.NewSize(640, 360)},
		{"pillarbox", image.Rect(640, 360, 1280, 720), fyne.NewSize(840, 360), fyne.NewPos(420, 180), fyne.NewSize(320, 180)},
	}
	for _, tt := range tests {
		pos, size := v.MapRect(tt.r, tt.size)
		if pos != tt.pos || size != tt.sizeOut {
			t.Errorf("%s: got %v %v, want %v %v", tt.name, pos, size, tt.pos, tt.sizeOut)
		}
	}
	// It plugs into the scan overlay.
	o := NewScanOverlay()
	o.MapRect = v.MapRect
}

// A camera goroutine feeding the view while the UI swaps: run with -race.
func TestCameraViewRunWithCamera(t *testing.T) {
	test.NewTempApp(t)
	v := NewCameraView()
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(320, 180))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cam, err := camera.Open(ctx, "synthetic:scene=sharp,size=128x72,fps=200", camera.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	got := make(chan *frame.Frame, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		n := 0
		v.Run(ctx, cam, func(f *frame.Frame) {
			if n++; n == 10 {
				got <- f
				cancel()
				return
			}
			f.Release()
		}, "no camera", "retry")
	}()
	f := <-got
	<-done
	if f.Bounds().Dx() != 128 {
		t.Errorf("frame %v", f.Bounds())
	}
	f.Release()
	if s, _ := v.Stats(); s == 0 {
		t.Error("no frame shown")
	}
	if v.FrameSize() != image.Pt(128, 72) {
		t.Errorf("frame size %v", v.FrameSize())
	}
}
