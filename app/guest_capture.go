package app

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/capture/mrz"
)

// guideFill is how much of the frame the guide rectangle takes: the value
// the ID-scan checks are calibrated with.
const guideFill = idscan.DefaultGuideFill

// scanState is the capture screen's live state, written on the camera
// goroutine and read on the UI goroutine.
type scanState struct {
	mu      sync.Mutex
	still   *idscan.Still // the photo under review
	shutter bool          // the guest pressed the shutter
	scanner *idscan.Scanner
}

func (k *Kiosk) captureScreen() fyne.CanvasObject {
	g := k.g
	side, idx := g.session.Side()
	if g.scan == nil {
		th, _, _ := scanSettings(k.opts.Config)
		g.scan = &scanState{scanner: idscan.NewScanner(th)}
	}
	st := g.scan
	st.mu.Lock()
	still := st.still
	st.mu.Unlock()

	sideLabel := k.docTypeName(*g.session.DocType()) + " · " + k.tr.T("capture.side."+side)
	if still != nil {
		k.stopCamera()
		return k.reviewScreen(st, still, sideLabel)
	}

	cam := k.camera(PurposeDocument)
	if cam.failed.Load() {
		retry := widget.NewButton(k.tr.T("camera.retry"), func() { k.stopCamera(); k.render() })
		body := container.NewCenter(container.NewVBox(problemText(k.tr.T("camera.unavailable")), message(k.tr.T("error.ask_staff")),
			container.NewCenter(container.NewGridWrap(fyne.NewSize(320, MinTouch+8), retry))))
		return k.screen(2, sideLabel, body, k.back(), nil)
	}
	overlay := kwidget.NewScanOverlay()
	overlay.SetHint(k.tr.T("capture.start"))
	view := container.NewStack(cam.img, overlay)
	name := k.stillName(g.session.DocType().Name, side) // read here, on the UI goroutine
	cam.setConsumer(func(f CameraFrame) { k.scanFrame(g, st, f, name, overlay) })

	shutter := widget.NewButtonWithIcon(k.tr.T("capture.shutter"), theme.MediaRecordIcon(), func() {
		k.idle.Touch()
		st.mu.Lock()
		st.shutter = true
		st.mu.Unlock()
	})
	side2 := k.tr.T("capture.step", "n", idx+1, "of", len(g.session.DocType().Sides))
	panel := container.NewVBox(
		widget.NewLabelWithStyle(side2, fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
		message(k.tr.T("capture.intro")),
		container.NewGridWrap(fyne.NewSize(380, MinTouch+16), shutter),
	)
	body := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(380, 500), panel), view)
	return k.screen(2, sideLabel, body, k.back(), nil)
}

// scanFrame runs on the camera goroutine: the live checks, and the still
// when auto-capture fires or the shutter was pressed. No lock is held across
// fyne.Do or the slow steps (encoding, MRZ).
func (k *Kiosk) scanFrame(g *guest, st *scanState, f CameraFrame, name string, overlay *kwidget.ScanOverlay) {
	if f.Luma == nil {
		return
	}
	w, h := f.Luma.Rect.Dx(), f.Luma.Rect.Dy()
	guide := idscan.Guide(w, h, idscan.CardAspect, guideFill)

	st.mu.Lock()
	if st.still != nil {
		st.mu.Unlock()
		return
	}
	step, err := st.scanner.Preview(f.Luma, guide)
	manual := st.shutter
	st.shutter = false
	var rep idscan.Report
	switch {
	case err != nil:
	case manual:
		rep, err = st.scanner.Shutter(f.fullCheck())
	case step.Capture:
		rep, err = st.scanner.Confirm(f.fullCheck())
	}
	st.mu.Unlock()

	if err != nil {
		if !errors.Is(err, idscan.ErrBlurred) { // blurred: the next frames try again
			k.log.Warn("scan check failed", "err", err)
		}
		return
	}
	if !step.Capture && !manual {
		text := k.tr.T(string(step.Hint))
		if step.Hint == idscan.HintNone {
			text = k.tr.T("hint.hold")
		}
		k.do(func() {
			overlay.SetGuide(w, h, guide)
			overlay.SetHint(text)
			overlay.SetProgress(step.Progress)
		})
		return
	}
	_, so, _ := scanSettings(k.opts.Config)
	still, err := idscan.MakeStill(f.Full(), rep.Outline(), name, so)
	if err != nil {
		k.log.Warn("still failed", "err", err)
		return
	}
	k.log.Info("document photo taken", "still", still, "manual", manual)
	st.mu.Lock()
	st.still = still
	st.mu.Unlock()
	k.do(func() {
		overlay.Flash()
		if k.g == g {
			k.render()
		}
	})
	k.readMRZ(g, still)
}

// readMRZ tries the machine-readable zone of a still, to prefill the
// details; a failure just means the guest types them.
func (k *Kiosk) readMRZ(g *guest, still *idscan.Still) {
	img, err := jpeg.Decode(bytes.NewReader(still.JPEG))
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(g.ctx, 3*time.Second)
	defer cancel()
	res, err := mrz.Read(ctx, img)
	if err != nil || res == nil || !res.Valid {
		return
	}
	m := res.Document()
	d := flow.Details{Type: m.Type, Number: m.Number, Expiry: m.ExpirationDate, IssuingCountry: m.IssuingCountryCode,
		Holder: flow.Holder{Surname: m.Surname, GivenNames: m.GivenNames, BirthDate: m.BirthDate}}
	k.do(func() {
		if k.g == g {
			g.prefill = &d
			k.log.Info("document details read from the machine-readable zone")
		}
	})
}

func (k *Kiosk) stillName(typeName, side string) string {
	_, _, rules := scanSettings(k.opts.Config)
	return idscan.Classify(typeName, rules).Filename(idscan.Side(side))
}

// reviewScreen shows the photo with Retake and Use photo.
func (k *Kiosk) reviewScreen(st *scanState, still *idscan.Still, title string) fyne.CanvasObject {
	g := k.g
	img, err := jpeg.Decode(bytes.NewReader(still.JPEG))
	if err != nil {
		img = nil
	}
	rv := kwidget.NewReview(img, k.tr.T("review.retake"), k.tr.T("review.use"))
	rv.OnRetake = func() {
		k.idle.Touch()
		st.mu.Lock()
		st.still.Wipe()
		st.still = nil
		st.scanner.Reset()
		st.mu.Unlock()
		rv.Clear()
		k.render()
	}
	rv.OnUse = func() {
		k.idle.Touch()
		st.mu.Lock()
		s := st.still
		st.still = nil
		st.scanner.Reset()
		st.mu.Unlock()
		rv.Clear()
		if err := g.session.AddCapture(flow.Capture{JPEG: s.JPEG, Filename: s.Filename, ContentType: s.ContentType}); err != nil {
			return
		}
		if g.session.Step() == flow.StepDetails {
			k.stopCamera()
			g.scan = nil
			k.enterDetails()
		}
		k.render()
	}
	body := container.NewBorder(message(k.tr.T("review.intro")), nil, nil, nil, rv)
	return k.screen(2, title, body, k.back(), nil)
}
