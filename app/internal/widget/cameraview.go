package widget

import (
	"context"
	"image"
	"image/color"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/capture/camera"
	"github.com/signet-kiosk/signet/capture/frame"
)

// CameraView shows a live camera preview, or a "camera not available"
// message with a retry button.
//
// Frames are handed over by buffer swap: SetFrame (from any goroutine)
// copies the frame's preview into the buffer that is not on screen, then a
// fyne.Do swaps the two buffers and refreshes the canvas.Image, which scales
// on the GPU (ImageScaleFastest). While a swap is still waiting for the UI
// goroutine, further frames are dropped, not queued, so a busy UI never
// builds up lag and the camera goroutine never blocks.
//
// The picture is drawn centred and scaled to fit; MapRect and MapPoint give
// an overlay (stacked on top with container.NewStack) the widget
// coordinates of frame pixels.
type CameraView struct {
	widget.BaseWidget

	// OnRetry is called when the guest taps the retry button.
	OnRetry func()

	img *canvas.Image
	do  func(func()) // fyne.Do; tests replace it

	mu        sync.Mutex // guards back, frameSize, dropped
	back      *image.RGBA
	frameSize image.Point // full-resolution frame size
	pending   atomic.Bool
	shown     atomic.Int64
	dropped   atomic.Int64

	// UI goroutine only.
	front       *image.RGBA
	unavailable bool
	message     string
	retryText   string
}

var _ fyne.Widget = (*CameraView)(nil)

// NewCameraView returns a view showing black until the first frame.
func NewCameraView() *CameraView {
	v := &CameraView{do: fyne.Do, message: "Camera not available", retryText: "Try again"}
	v.front = image.NewRGBA(image.Rect(0, 0, 16, 9))
	v.img = canvas.NewImageFromImage(v.front)
	v.img.FillMode = canvas.ImageFillContain
	v.img.ScaleMode = canvas.ImageScaleFastest
	v.ExtendBaseWidget(v)
	return v
}

// SetFrame shows f's preview. It may be called from any goroutine; it copies
// what it needs, so the caller keeps ownership of f (and releases it). It
// reports false when the frame was dropped because the UI is behind.
func (v *CameraView) SetFrame(f *frame.Frame) bool {
	w, h := f.Size()
	return v.setImage(f.Preview(), image.Pt(w, h))
}

// SetImage shows img (scaled to fit) as a frame of frameSize full-resolution
// pixels; like SetFrame it copies img and may be called from any goroutine.
func (v *CameraView) SetImage(img *image.RGBA, frameSize image.Point) bool {
	return v.setImage(img, frameSize)
}

func (v *CameraView) setImage(src *image.RGBA, frameSize image.Point) bool {
	if !v.pending.CompareAndSwap(false, true) {
		v.dropped.Add(1)
		return false
	}
	v.mu.Lock()
	b := src.Rect
	if v.back == nil || v.back.Rect.Size() != b.Size() {
		v.back = image.NewRGBA(image.Rectangle{Max: b.Size()})
	}
	for y := 0; y < b.Dy(); y++ {
		copy(v.back.Pix[y*v.back.Stride:y*v.back.Stride+b.Dx()*4], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
	}
	v.frameSize = frameSize
	v.mu.Unlock()
	v.do(v.swap)
	return true
}

// swap runs on the UI goroutine: the written buffer goes on screen and the
// one that was on screen becomes the next to write.
func (v *CameraView) swap() {
	v.mu.Lock()
	v.front, v.back = v.back, v.front
	v.img.Image = v.front
	v.mu.Unlock()
	v.pending.Store(false)
	v.shown.Add(1)
	v.img.Refresh()
}

// Stats reports how many frames were shown and dropped.
func (v *CameraView) Stats() (shown, dropped int64) { return v.shown.Load(), v.dropped.Load() }

// SetUnavailable switches to the "camera not available" state with the given
// (translated) message and retry label. UI goroutine only.
func (v *CameraView) SetUnavailable(message, retry string) {
	v.unavailable, v.message, v.retryText = true, message, retry
	v.Refresh()
}

// SetAvailable leaves the "not available" state. UI goroutine only.
func (v *CameraView) SetAvailable() {
	if v.unavailable {
		v.unavailable = false
		v.Refresh()
	}
}

// Unavailable reports whether the view shows the "not available" state.
func (v *CameraView) Unavailable() bool { return v.unavailable }

// FrameSize is the full-resolution size of the last frame shown.
func (v *CameraView) FrameSize() image.Point {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.frameSize
}

// ImageRect is where the picture is drawn inside a view of the given size.
func (v *CameraView) ImageRect(size fyne.Size) (fyne.Position, fyne.Size) {
	return v.MapRect(image.Rectangle{Max: v.FrameSize()}, size)
}

// MapRect maps a rectangle in full-resolution frame pixels to the view's
// coordinates for a view of the given size (the picture is centred and
// scaled to fit). Its signature matches ScanOverlay.MapRect.
func (v *CameraView) MapRect(r image.Rectangle, size fyne.Size) (fyne.Position, fyne.Size) {
	return containRect(v.FrameSize(), r, size)
}

// MapPoint maps a frame pixel to the view's coordinates at its current size.
func (v *CameraView) MapPoint(p image.Point) fyne.Position {
	pos, _ := containRect(v.FrameSize(), image.Rectangle{Min: p, Max: p}, v.Size())
	return pos
}

func containRect(frameSize image.Point, r image.Rectangle, size fyne.Size) (fyne.Position, fyne.Size) {
	if frameSize.X <= 0 || frameSize.Y <= 0 {
		return fyne.Position{}, fyne.Size{}
	}
	fw, fh := float32(frameSize.X), float32(frameSize.Y)
	s := min(size.Width/fw, size.Height/fh)
	ox, oy := (size.Width-fw*s)/2, (size.Height-fh*s)/2
	return fyne.NewPos(ox+float32(r.Min.X)*s, oy+float32(r.Min.Y)*s),
		fyne.NewSize(float32(r.Dx())*s, float32(r.Dy())*s)
}

// Run feeds the view from cam until ctx ends or the camera stops: each frame
// is shown (or dropped) and then passed to onFrame, which owns it and must
// Release it (nil releases it here). A lost camera switches the view to the
// "not available" state with the given texts; a reopened one back.
func (v *CameraView) Run(ctx context.Context, cam camera.Camera, onFrame func(*frame.Frame), message, retry string) {
	events := cam.Events()
	frames := cam.Frames()
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			switch e.Kind {
			case camera.EventLost:
				v.do(func() { v.SetUnavailable(message, retry) })
			case camera.EventOpened:
				v.do(v.SetAvailable)
			}
		case f, ok := <-frames:
			if !ok {
				v.do(func() { v.SetUnavailable(message, retry) })
				return
			}
			v.SetFrame(f)
			if onFrame != nil {
				onFrame(f)
			} else {
				f.Release()
			}
		}
	}
}

// CreateRenderer implements fyne.Widget.
func (v *CameraView) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.Black)
	msg := widget.NewLabelWithStyle(v.message, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	msg.Wrapping = fyne.TextWrapWord
	retry := widget.NewButton(v.retryText, func() {
		if v.OnRetry != nil {
			v.OnRetry()
		}
	})
	retry.Importance = widget.HighImportance
	box := container.NewStack(canvas.NewRectangle(color.NRGBA{40, 40, 40, 255}),
		container.NewCenter(container.NewVBox(msg, container.NewHBox(layout.NewSpacer(), retry, layout.NewSpacer()))))
	r := &cameraViewRenderer{v: v, bg: bg, msg: msg, retry: retry, box: box}
	r.Refresh()
	return r
}

type cameraViewRenderer struct {
	v     *CameraView
	bg    *canvas.Rectangle
	msg   *widget.Label
	retry *widget.Button
	box   *fyne.Container
}

func (r *cameraViewRenderer) Layout(size fyne.Size) {
	for _, o := range []fyne.CanvasObject{r.bg, r.v.img, r.box} {
		o.Move(fyne.Position{})
		o.Resize(size)
	}
}

func (r *cameraViewRenderer) MinSize() fyne.Size { return fyne.NewSize(160, 90) }

func (r *cameraViewRenderer) Refresh() {
	if r.v.unavailable {
		r.msg.SetText(r.v.message)
		r.retry.SetText(r.v.retryText)
		r.box.Show()
		r.v.img.Hide()
	} else {
		r.box.Hide()
		r.v.img.Show()
	}
	r.bg.Refresh()
}

func (r *cameraViewRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.v.img, r.box}
}

func (r *cameraViewRenderer) Destroy() {}
