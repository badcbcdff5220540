package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/capture/scan"
)

// The camera picture of a document scan, shared by the guest's capture
// screen and the staff's scan-to-fill: the scan itself is package scan's.

// newScan starts a scan of one document side with the configured checks
// and still options; onZone gets the zone read after each still.
func (k *Kiosk) newScan(ctx context.Context, filename string, onZone func(*mrz.Result)) *scan.Loop {
	return k.newSideScan(ctx, filename, nil, onZone)
}

// newSideScan is newScan for a side that must not be the one avoid
// fingerprints (the back, which must not be the front again).
func (k *Kiosk) newSideScan(ctx context.Context, filename string, avoid *idscan.Fingerprint, onZone func(*mrz.Result)) *scan.Loop {
	th, so, _ := scanSettings(k.opts.Config)
	return scan.New(ctx, scan.Options{Checks: th, Still: so, Filename: filename, OnZone: onZone, Avoid: avoid})
}

// scanView is the camera picture under the guide, hint and progress
// overlay, and the overlay to draw updates on.
func (k *Kiosk) scanView(cam *cameraRunner) (*kwidget.ScanOverlay, fyne.CanvasObject) {
	overlay := kwidget.NewScanOverlay()
	overlay.SetHint(k.tr.T("capture.start"))
	return overlay, container.NewStack(cam.img, overlay)
}

// showScan draws what one frame did to the scan: the guide, the hint and
// the progress. It runs on the camera goroutine.
func (k *Kiosk) showScan(overlay *kwidget.ScanOverlay, u scan.Update) {
	text := k.tr.T(string(u.Hint))
	if u.Hint == idscan.HintNone {
		text = k.tr.T("hint.hold")
	}
	k.do(func() {
		overlay.SetGuide(u.Size.X, u.Size.Y, u.Guide)
		overlay.SetHint(text)
		overlay.SetProgress(u.Progress)
	})
}
