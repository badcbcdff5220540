package app

import (
	"context"
	"image"
	"image/draw"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2/canvas"

	"github.com/signet-kiosk/signet/capture/scan"
)

// CameraOpener starts the camera; frames arrive until ctx ends, then the
// channel closes. Frames the reader does not take in time are dropped by
// the camera, never queued. purpose is PurposeQR or PurposeDocument: a real
// camera ignores it; the synthetic one shows a matching scene.
type CameraOpener func(ctx context.Context, purpose string) (<-chan scan.Frame, error)

// What the camera is opened for. The back of a document is a purpose of
// its own so that the synthetic camera shows the card turned over (the
// back's scan refuses the front); a real camera is reopened in between,
// as between any two screens.
const (
	PurposeQR           = "qr"
	PurposeDocument     = "document"
	PurposeDocumentBack = "document-back"
)

// cameraRunner owns the camera while a screen needs it, shows its preview
// in one canvas.Image and hands each frame to the screen's consumer on the
// camera goroutine.
type cameraRunner struct {
	cancel  context.CancelFunc
	img     *canvas.Image
	purpose string
	do      func(func())  // the kiosk's hand-off to the UI goroutine
	done    chan struct{} // closed when the camera goroutine has ended

	mu       sync.Mutex
	consumer func(scan.Frame) // runs on the camera goroutine
	back     *image.RGBA      // the buffer not on screen
	pending  atomic.Bool      // a swap is waiting for the UI: drop frames
	failed   atomic.Bool
	frames   atomic.Int64
}

// camera starts the camera for purpose if needed and returns the runner.
func (k *Kiosk) camera(purpose string) *cameraRunner {
	if k.cam != nil && k.cam.purpose == purpose {
		return k.cam
	}
	k.stopCamera()
	r := &cameraRunner{img: canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 16, 9))), purpose: purpose, do: k.do, done: make(chan struct{})}
	r.img.FillMode = canvas.ImageFillContain
	r.img.ScaleMode = canvas.ImageScaleFastest
	k.cam = r
	if k.opts.Camera == nil {
		r.failed.Store(true)
		close(r.done)
		return r
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	frames, err := k.opts.Camera(ctx, purpose)
	if err != nil {
		k.log.Error("camera not available", "err", err)
		r.failed.Store(true)
		cancel()
		close(r.done)
		return r
	}
	go r.run(frames)
	return r
}

// stopCamera releases the camera when no screen needs it. It returns a
// channel closed once the camera goroutine has ended (tests wait on it,
// outside the UI lock the goroutine may be waiting for).
func (k *Kiosk) stopCamera() <-chan struct{} {
	r := k.cam
	if r == nil {
		return closed
	}
	if r.cancel != nil {
		r.cancel()
	}
	k.cam = nil
	return r.done
}

var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (r *cameraRunner) setConsumer(f func(scan.Frame)) {
	r.mu.Lock()
	r.consumer = f
	r.mu.Unlock()
}

func (r *cameraRunner) run(frames <-chan scan.Frame) {
	defer close(r.done)
	for f := range frames {
		r.frames.Add(1)
		r.mu.Lock()
		consume := r.consumer
		r.mu.Unlock()
		if consume != nil {
			consume(f)
		}
		r.show(f.Preview)
		if f.Release != nil {
			f.Release()
		}
	}
}

// show copies the preview into the back buffer and swaps it onto the
// screen inside fyne.Do; while a swap is pending, frames are dropped.
func (r *cameraRunner) show(p *image.RGBA) {
	if p == nil || !r.pending.CompareAndSwap(false, true) {
		return
	}
	if r.back == nil || r.back.Rect != p.Rect {
		r.back = image.NewRGBA(p.Rect)
	}
	draw.Draw(r.back, p.Rect, p, p.Rect.Min, draw.Src)
	r.do(func() {
		front, _ := r.img.Image.(*image.RGBA)
		r.img.Image = r.back
		r.back = front
		r.img.Refresh()
		r.pending.Store(false)
	})
}
