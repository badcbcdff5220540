package app

import (
	"bytes"
	"errors"
	"image/color"
	"image/jpeg"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/capture/scan"
	"github.com/signet-kiosk/signet/internal/metrics"
)

// captureState is what the capture, review and details screens keep for
// one guest, beyond the session: it goes with the guest.
type captureState struct {
	// front is the fingerprint of the front taken (no readable detail),
	// which the back's scan refuses to take again.
	front *idscan.Fingerprint
	// side is the current scan's telemetry.
	side *sideTelemetry
	// refused is the translation key of the shutter's last refusal, shown
	// until the next press.
	refused string
	// lang is the language the document suggests, "" for none; asked is
	// set once the offer was made (answered or not): once per session.
	lang  string
	asked bool
	// expiry is the details form's expiry date as typed: day, month, year;
	// expirySet once it was filled from the details (the zone's date).
	expiry    [3]string
	expirySet bool
	// expiryBad marks the box the last check found wrong.
	expiryBad flow.DateField
}

// sideTelemetry is one side's capture attempts as the metrics see them:
// the scores of the still under review and, for auto-capture, the time
// from the scan's first frame. The camera goroutine writes it, the UI
// reads it.
type sideTelemetry struct {
	name string // metrics.Sides: "front" or "back"

	mu     sync.Mutex
	first  time.Time // the first frame since the scan (re)started
	scores metrics.Scores
}

// frame notes a frame's time; it returns the time since the first.
func (t *sideTelemetry) frame(now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.first.IsZero() {
		t.first = now
	}
	return now.Sub(t.first)
}

// took keeps the still's scores for the review's outcome.
func (t *sideTelemetry) took(r idscan.Report) {
	t.mu.Lock()
	t.scores = scoresOf(r)
	t.mu.Unlock()
}

// restart starts the clock again (a retake).
func (t *sideTelemetry) restart() metrics.Scores {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.first = time.Time{}
	return t.scores
}

// scoresOf is the live checks' figures of a report, as the metrics take
// them: numbers only.
func scoresOf(r idscan.Report) metrics.Scores {
	return metrics.Scores{Sharpness: r.Sharpness.Value, Glare: r.Glare.Value, Framing: r.Card.Value}
}

func (k *Kiosk) captureScreen() fyne.CanvasObject {
	g := k.g
	side, idx := g.session.Side()
	// One scan a side: its still is named for the side (and the type, which
	// the guest may have gone back to change).
	if name := k.stillName(g.session.DocType().Name, side); g.scan == nil || g.scanName != name {
		if g.scan != nil {
			g.scan.Close()
		}
		var avoid *idscan.Fingerprint
		if side == string(idscan.SideBack) {
			avoid = g.capture.front
		}
		g.scan, g.scanName = k.newSideScan(g.ctx, name, avoid, func(z *mrz.Result) { k.prefill(g, z) }), name
		g.capture.side, g.capture.refused = &sideTelemetry{name: side}, ""
	}
	loop, tel := g.scan, g.capture.side
	// The title is the step's ("Your document"); the type and the side are
	// in the step line beside the picture, which wraps: a type's name may
	// be long ("Verblijfsvergunning") for the top bar in "Larger text".
	sideLabel := k.tr.T("details.title")
	// "Photo 1 of 2 · front": which side this is, on the capture and the
	// review alike.
	stepLine := k.docTypeName(*g.session.DocType()) + " · " + k.tr.T("capture.step", "n", idx+1, "of", len(g.session.DocType().Sides)) + " · " + k.tr.T("capture.side."+side)
	if still := loop.Still(); still != nil {
		k.stopCamera()
		return k.reviewScreen(loop, still, sideLabel, stepLine)
	}

	purpose := PurposeDocument
	if side == string(idscan.SideBack) {
		purpose = PurposeDocumentBack
	}
	cam := k.camera(purpose)
	if cam.failed.Load() {
		retry := widget.NewButton(k.tr.T("camera.retry"), func() { k.stopCamera(); k.render() })
		body := container.NewCenter(container.NewVBox(problemText(k.tr.T("camera.unavailable")), message(k.tr.T("error.ask_staff")),
			container.NewCenter(container.NewGridWrap(fyne.NewSize(320, MinTouch+8), retry))))
		return k.screen(2, sideLabel, body, k.back(), nil)
	}
	overlay, view := k.scanView(cam)

	// The shutter's refusal, in the guest's language, until the next press:
	// the screen is built again to show it, as for every change of state.
	refusal := message(k.tr.T(g.capture.refused))
	refusal.Importance = widget.DangerImportance
	refusal.TextStyle = fyne.TextStyle{Bold: true}
	refusal.Hidden = g.capture.refused == ""
	cam.setConsumer(func(f scan.Frame) {
		k.scanFrame(g, loop, tel, f, overlay, func(key string) {
			if k.g == g && g.scan == loop {
				g.capture.refused = key
				k.render()
			}
		})
	})

	shutter := widget.NewButtonWithIcon(k.tr.T("capture.shutter"), theme.MediaRecordIcon(), func() {
		k.idle.Touch()
		if g.capture.refused != "" {
			g.capture.refused = ""
			k.render()
		}
		loop.Shutter()
	})
	step := widget.NewLabelWithStyle(stepLine, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	step.Wrapping = fyne.TextWrapWord
	// The refusal takes the intro's place: the column has room for one of
	// them with "Larger text".
	intro := message(k.tr.T("capture.intro"))
	intro.Hidden = g.capture.refused != ""
	panel := container.NewVBox(step, intro, wideButton(shutter), refusal)
	body := container.NewBorder(nil, nil, nil, sidePanel(panel), view)
	return k.screen(2, sideLabel, body, k.back(), nil)
}

// sidePanel gives the capture screen's side column its width, a third of
// a 1024-wide window, which leaves the camera picture most of it; its
// height is the screen's.
func sidePanel(content fyne.CanvasObject) fyne.CanvasObject {
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(340*textScale(), 0))
	return container.NewStack(width, content)
}

// wideButton is a button as wide as its column, at least MinTouch tall and
// taller when its label wraps.
func wideButton(b *widget.Button) fyne.CanvasObject {
	return container.NewStack(b)
}

// scanFrame runs on the camera goroutine: the scan's live checks, the
// shutter's refusal and the review once a still is taken.
func (k *Kiosk) scanFrame(g *guest, loop *scan.Loop, tel *sideTelemetry, f scan.Frame, overlay *kwidget.ScanOverlay, refused func(key string)) {
	since := tel.frame(k.now())
	u, err := loop.Feed(f)
	var stillErr *scan.StillError
	switch {
	case errors.As(err, &stillErr):
		k.log.Warn("still failed", "err", stillErr.Err)
	case err != nil:
		if !errors.Is(err, idscan.ErrBlurred) { // blurred: the next frames try again
			k.log.Warn("scan check failed", "err", err)
		}
	case u.Refused != "":
		k.log.Info("document photo refused", "why", u.Refused)
		k.recorder().CaptureAttempt(tel.name, "refused", scoresOf(u.Report))
		k.showScan(overlay, u)
		k.do(func() { refused(u.Refused) })
	case u.Still != nil:
		k.log.Info("document photo taken", "still", u.Still, "manual", u.Manual)
		tel.took(u.Report)
		if !u.Manual {
			k.recorder().AutoCapture(since)
		}
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
// The zone may also suggest the guest's language (offerLanguage).
func (k *Kiosk) prefill(g *guest, z *mrz.Result) {
	if z == nil {
		return
	}
	m := z.Document()
	d := flow.Details{Type: m.Type, Number: m.Number, Expiry: m.ExpirationDate, IssuingCountry: m.IssuingCountryCode,
		Holder: flow.Holder{Surname: m.Surname, GivenNames: m.GivenNames, BirthDate: m.BirthDate}}
	lang := flow.DocumentLanguage(m.NationalityCode, m.IssuingCountryCode)
	k.do(func() {
		if k.g != g {
			return
		}
		g.prefill = &d
		g.session.SetZone(zoneOf(z)) // the move-in record's zone check (helper sign)
		k.log.Info("document details read from the machine-readable zone")
		if k.suggestLanguage(g, lang) {
			k.render()
		}
	})
}

func (k *Kiosk) stillName(typeName, side string) string {
	_, _, rules := scanSettings(k.opts.Config)
	return idscan.Classify(typeName, rules).Filename(idscan.Side(side))
}

// reviewScreen shows the photo with Retake and Use photo.
func (k *Kiosk) reviewScreen(loop *scan.Loop, still *idscan.Still, title, stepLine string) fyne.CanvasObject {
	g := k.g
	tel := g.capture.side
	img, err := jpeg.Decode(bytes.NewReader(still.JPEG))
	if err != nil {
		img = nil
	}
	rv := kwidget.NewReview(img, k.tr.T("review.retake"), k.tr.T("review.use"))
	rv.OnRetake = func() {
		k.idle.Touch()
		k.recorder().CaptureAttempt(tel.name, "retaken", tel.restart())
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
		k.recorder().CaptureAttempt(tel.name, "accepted", tel.restart())
		if fp, ok := loop.Taken(); ok && tel.name == string(idscan.SideFront) {
			g.capture.front = &fp
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
	// Which side, then the question, in one paragraph.
	body := container.NewBorder(message(stepLine+": "+k.tr.T("review.intro")), nil, nil, nil, rv)
	return k.screen(2, title, body, k.back(), nil)
}
