package app

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/scan"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/redact"
)

// syntheticCamera feeds frames of the synthetic renderer holding cond: the
// kiosk's view of a guest holding their card (or QR code) up.
func syntheticCamera(card, qr synthetic.Conditions) CameraOpener {
	return func(ctx context.Context, purpose string) (<-chan scan.Frame, error) {
		cond := card
		if purpose == PurposeQR {
			cond = qr
		}
		cond.Back = cond.Card && purpose == PurposeDocumentBack
		r, err := synthetic.NewRenderer(960, 540, 7)
		if err != nil {
			return nil, err
		}
		out := make(chan scan.Frame)
		go func() {
			defer close(out)
			t := time.Duration(0)
			tick := time.NewTicker(40 * time.Millisecond)
			defer tick.Stop()
			for {
				rgba, _ := r.RenderFrame(cond, t)
				t += 40 * time.Millisecond
				f := frameOf(rgba)
				select {
				case out <- f:
				case <-ctx.Done():
					return
				}
				select {
				case <-tick.C:
				case <-ctx.Done():
					return
				}
			}
		}()
		return out, nil
	}
}

// waitFor polls cond on the UI goroutine until it holds: the kiosk's work
// runs on real goroutines (camera, HTTP), so there is no clock to fake here.
func waitFor(t *testing.T, k *Kiosk, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		ok := false
		onUI(k, func() { ok = cond() })
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	step, problem := "", ""
	onUI(k, func() { step, problem = k.g.session.Step().String(), k.g.problem })
	var label string
	onUI(k, func() {
		if l := find(k, func(l *fwidget.Label) bool { return l.Importance == fwidget.DangerImportance && l.Visible() }); l != nil {
			label = l.Text
		}
	})
	t.Fatalf("timed out after %v waiting for %s (on %s; problem %q; shown %q)", within, what, step, problem, label)
}

// onUI runs f as the UI goroutine would: holding the kiosk's UI lock, so it
// is serialised with the callbacks background goroutines hand over.
func onUI(_ *Kiosk, f func()) {
	uiMu.Lock()
	defer uiMu.Unlock()
	f()
}

// find walks the window's objects, then its overlays', for the first one
// match accepts (findIn over each).
func find[T fyne.CanvasObject](k *Kiosk, match func(T) bool) T {
	for _, o := range append([]fyne.CanvasObject{k.win.Content()}, overlays(k)...) {
		hit := false
		v := findIn(o, func(t T) bool { hit = match(t); return hit })
		if hit {
			return v
		}
	}
	var none T
	return none
}

func overlays(k *Kiosk) []fyne.CanvasObject {
	var os []fyne.CanvasObject
	if top := k.win.Canvas().Overlays().Top(); top != nil {
		os = append(os, top)
	}
	return os
}

// tap taps the button labelled label, failing when there is none.
func tap(t *testing.T, k *Kiosk, label string) {
	t.Helper()
	var b *fwidget.Button
	onUI(k, func() {
		b = find(k, func(b *fwidget.Button) bool { return b.Text == label && !b.Disabled() })
	})
	if b == nil {
		var step string
		onUI(k, func() { step = k.stepName() })
		t.Fatalf("no enabled button %q on the %s screen", label, step)
	}
	onUI(k, func() { test.Tap(b) })
}

// newTestKiosk builds a kiosk on the test driver with services svc and a
// manual clock: the guest's idle timers wait for the test, and the expiry
// check reads a wall time that does not depend on the day.
func newTestKiosk(t *testing.T, svc flow.Services, cam CameraOpener) *Kiosk {
	return newKiosk(t, Options{Services: svc, Camera: cam, Clock: &flowtest.Clock{}})
}

// newKiosk builds a kiosk on the test driver, windowed at 1280×800 with the
// default configuration and the test's log unless o says otherwise. The
// test app is made under the UI lock: it resets Fyne's process-wide
// caches, which a previous test's camera goroutine may still be using.
func newKiosk(t *testing.T, o Options) *Kiosk {
	t.Helper()
	if o.Config == nil {
		o.Config = config.Default()
	}
	if o.Logger == nil {
		o.Logger = redact.NewLogger(testWriter{t}, "debug", "text")
	}
	o.Windowed, o.Size = true, fyne.NewSize(1280, 800)
	var k *Kiosk
	var err error
	onUI(nil, func() {
		a := test.NewApp() // not NewTempApp: its restore would reset caches outside the lock
		k, err = New(a, o)
		if err == nil {
			k.win.Resize(o.Size)
			k.win.Show()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopKiosk(t, k) })
	return k
}

// stopKiosk stops the kiosk's camera and timers and waits for the camera
// goroutine to end, so nothing of this test touches the next one's UI.
func stopKiosk(t *testing.T, k *Kiosk) {
	var done, scanned <-chan struct{}
	onUI(k, func() {
		done = k.stopCamera()
		k.idle.Stop()
		k.g.cancel()
		scanned = closed
		if k.g.scan != nil {
			scanned = k.g.scan.Done()
		}
	})
	for what, c := range map[string]<-chan struct{}{"camera": done, "scan": scanned} {
		select {
		case <-c:
		case <-time.After(10 * time.Second):
			t.Errorf("%s goroutine still running 10 s after stop", what)
		}
	}
}

// sign draws a two-stroke signature on the pad with multi-point drags.
func sign(t *testing.T, k *Kiosk) {
	t.Helper()
	signOn(t, k, k.win)
}

// signOn draws the signature on the pad of window w (the kiosk's, or a
// desk's guest window).
func signOn(t *testing.T, k *Kiosk, w fyne.Window) {
	t.Helper()
	var pad *widget.Pad
	onUI(k, func() { pad = findIn(w.Content(), func(*widget.Pad) bool { return true }) })
	if pad == nil {
		t.Fatal("no signature pad")
	}
	var size fyne.Size
	onUI(k, func() {
		size = pad.Size()
		// The headless canvas paints only when captured; the pad learns its
		// pixel size from its first paint, as on a real screen.
		w.Canvas().Capture()
	})
	for s := 0; s < 2; s++ {
		for i := 0; i <= 40; i++ {
			x := size.Width*0.1 + float32(i)*size.Width*0.02
			y := size.Height*(0.4+0.1*float32(s)) + float32((i%8)-4)*6
			onUI(k, func() {
				pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, y)}, Dragged: fyne.NewDelta(size.Width*0.02, 3)})
			})
			// The pad keeps at most one point per 16 ms (signature_pad's
			// throttle) by its own clock, which the widget does not expose.
			time.Sleep(20 * time.Millisecond)
		}
		onUI(k, pad.DragEnd)
	}
}

// captureCard goes on from the booking's confirmation: an identity card,
// both sides taken by auto-capture and used.
func captureCard(t *testing.T, k *Kiosk) {
	t.Helper()
	tap(t, k, "Yes, continue")
	tap(t, k, "Identity card")
	for side := 0; side < 2; side++ {
		waitFor(t, k, "auto-capture", 60*time.Second, func() bool {
			return find(k, func(b *fwidget.Button) bool { return b.Text == "Use this photo" }) != nil
		})
		tap(t, k, "Use this photo")
	}
}

// walkGuestFlow drives the kiosk from the attract screen to done, typing
// the booking reference, capturing both sides and signing.
func walkGuestFlow(t *testing.T, k *Kiosk, bookingID string) {
	t.Helper()
	tap(t, k, "Touch to start")
	findToSignature(t, k, bookingID)
	signAndSend(t, k)
}

// findToSignature drives the move-in from the booking lookup to the
// signature, at the kiosk or the desk: it types bookingID, confirms the
// booking, captures both sides and accepts the details (typing a document
// number the MRZ did not give).
func findToSignature(t *testing.T, k *Kiosk, bookingID string) {
	t.Helper()
	typeBooking(t, k, strings.ToUpper(strings.ReplaceAll(bookingID, "-", "")))
	waitFor(t, k, "the booking", 30*time.Second, func() bool { return k.g.session.Step() == flow.StepConfirmBooking })
	captureCard(t, k)
	waitFor(t, k, "the details", 30*time.Second, func() bool {
		return k.g.session.Step() == flow.StepSignature || (k.g.session.Step() == flow.StepDetails && !k.g.jobs.Busy())
	})
	if k.g.session.Step() == flow.StepDetails {
		onUI(k, func() {
			if k.g.details.Number == "" {
				k.g.details.Number = "D23145890"
			}
		})
		tap(t, k, "Next")
	}
	waitFor(t, k, "the signature", 5*time.Second, func() bool { return k.g.session.Step() == flow.StepSignature })
}

// typeBooking types ref in the booking lookup's field and taps Find my
// booking, in one step on the UI goroutine, unless the camera has read the
// booking's QR code first (the synthetic camera shows the demo QR): a
// guest who types while showing the phone gets the same booking.
func typeBooking(t *testing.T, k *Kiosk, ref string) {
	t.Helper()
	onUI(k, func() {
		if k.g.session.Step() != flow.StepFindBooking || k.g.jobs.Busy() {
			return // the QR code was read
		}
		entry := find(k, func(*fwidget.Entry) bool { return true })
		if entry == nil {
			t.Error("the move-in does not start on the booking lookup")
			return
		}
		entry.SetText(ref)
		if b := find(k, func(b *fwidget.Button) bool { return b.Text == "Find my booking" && !b.Disabled() }); b != nil {
			test.Tap(b)
		} else {
			t.Error("no enabled Find my booking button")
		}
	})
}

// signAndSend signs on the signature screen, sends, and returns what the
// done screen shows.
func signAndSend(t *testing.T, k *Kiosk) flow.Result {
	t.Helper()
	waitFor(t, k, "the signature screen", 5*time.Second, func() bool { return k.g.session.Step() == flow.StepSignature })
	sign(t, k)
	tap(t, k, "Sign and send")
	waitFor(t, k, "done", 60*time.Second, func() bool { return k.g.session.Step() == flow.StepDone })
	var res flow.Result
	onUI(k, func() { res = *k.g.result })
	return res
}

func decodePNG(t *testing.T, b []byte) image.Image {
	return decodeAs(t, "signature", "PNG", png.Decode, b)
}

func decodeJPEG(t *testing.T, b []byte) image.Image {
	return decodeAs(t, "photo", "JPEG", jpeg.Decode, b)
}

// decodeAs decodes b, failing the test when what is not in format.
func decodeAs(t *testing.T, what, format string, decode func(io.Reader) (image.Image, error), b []byte) image.Image {
	t.Helper()
	img, err := decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is not a %s: %v", what, format, err)
	}
	return img
}

// testWriter sends the kiosk's log to the test's log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// sampleFrame is one camera frame of the synthetic card, for screens that
// show a photo.
func sampleFrame(t *testing.T) scan.Frame {
	t.Helper()
	r, err := synthetic.NewRenderer(640, 360, 3)
	if err != nil {
		t.Fatal(err)
	}
	img, _ := r.RenderFrame(synthetic.SharpSteady, 0)
	return frameOf(img)
}

// frameOf is a camera frame of a rendered picture, with its luma.
func frameOf(rgba *image.RGBA) scan.Frame {
	luma := image.NewGray(rgba.Rect)
	for i := 0; i < len(luma.Pix); i++ {
		p := rgba.Pix[i*4 : i*4+3]
		luma.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000)
	}
	return scan.Frame{Luma: luma, Preview: rgba, Full: func() image.Image { return rgba }}
}
