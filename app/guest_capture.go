package app

import (
	"bytes"
	"errors"
	"image/jpeg"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/capture/scan"
)

func (k *Kiosk) captureScreen() fyne.CanvasObject {
	g := k.g
	side, idx := g.session.Side()
	// One scan a side: its still is named for the side (and the type, which
	// the guest may have gone back to change).
	if name := k.stillName(g.session.DocType().Name, side); g.scan == nil || g.scanName != name {
		if g.scan != nil {
			g.scan.Close()
		}
		g.scan, g.scanName = k.newScan(g.ctx, name, func(z *mrz.Result) { k.prefill(g, z) }), name
	}
	loop := g.scan
	sideLabel := k.docTypeName(*g.session.DocType()) + " · " + k.tr.T("capture.side."+side)
	if still := loop.Still(); still != nil {
		k.stopCamera()
		return k.reviewScreen(loop, still, sideLabel)
	}

	cam := k.camera(PurposeDocument)
	if cam.failed.Load() {
		retry := widget.NewButton(k.tr.T("camera.retry"), func() { k.stopCamera(); k.render() })
		body := container.NewCenter(container.NewVBox(problemText(k.tr.T("camera.unavailable")), message(k.tr.T("error.ask_staff")),
			container.NewCenter(container.NewGridWrap(fyne.NewSize(320, MinTouch+8), retry))))
		return k.screen(2, sideLabel, body, k.back(), nil)
	}
	overlay, view := k.scanView(cam)
	cam.setConsumer(func(f scan.Frame) { k.scanFrame(g, loop, f, overlay) })

	shutter := widget.NewButtonWithIcon(k.tr.T("capture.shutter"), theme.MediaRecordIcon(), func() {
		k.idle.Touch()
		loop.Shutter()
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

// scanFrame runs on the camera goroutine: the scan's live checks, and the
// review once a still is taken.
func (k *Kiosk) scanFrame(g *guest, loop *scan.Loop, f scan.Frame, overlay *kwidget.ScanOverlay) {
	u, err := loop.Feed(f)
	var stillErr *scan.StillError
	switch {
	case errors.As(err, &stillErr):
		k.log.Warn("still failed", "err", stillErr.Err)
	case err != nil:
		if !errors.Is(err, idscan.ErrBlurred) { // blurred: the next frames try again
			k.log.Warn("scan check failed", "err", err)
		}
	case u.Still != nil:
		k.log.Info("document photo taken", "still", u.Still, "manual", u.Manual)
		k.do(func() {
			overlay.Flash()
			if k.g == g {
				k.render()
			}
		})
	case u.Checked:
		k.showScan(overlay, u)
	}
}

// prefill keeps the document's details read from its machine-readable
// zone, for the details form; no zone just means the guest types them.
func (k *Kiosk) prefill(g *guest, z *mrz.Result) {
	if z == nil {
		return
	}
	m := z.Document()
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
func (k *Kiosk) reviewScreen(loop *scan.Loop, still *idscan.Still, title string) fyne.CanvasObject {
	g := k.g
	img, err := jpeg.Decode(bytes.NewReader(still.JPEG))
	if err != nil {
		img = nil
	}
	rv := kwidget.NewReview(img, k.tr.T("review.retake"), k.tr.T("review.use"))
	rv.OnRetake = func() {
		k.idle.Touch()
		loop.Retake()
		rv.Clear()
		k.render()
	}
	rv.OnUse = func() {
		k.idle.Touch()
		s := loop.Take()
		rv.Clear()
		if s == nil {
			return
		}
		// The side is done: the next side, if any, is a scan of its own.
		loop.Close()
		g.scan = nil
		if err := g.session.AddCapture(flow.Capture{JPEG: s.JPEG, Filename: s.Filename, ContentType: s.ContentType}); err != nil {
			return
		}
		if g.session.Step() == flow.StepDetails {
			k.stopCamera()
			k.enterDetails()
		}
		k.render()
	}
	body := container.NewBorder(message(k.tr.T("review.intro")), nil, nil, nil, rv)
	return k.screen(2, title, body, k.back(), nil)
}
