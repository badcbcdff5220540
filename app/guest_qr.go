package app

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/qr"
	"github.com/signet-kiosk/signet/capture/scan"
)

// qrEvery is how often a camera frame is searched for a QR code: decoding
// costs tens of milliseconds, and a code held up stays for seconds.
const qrEvery = 150 * time.Millisecond

// qrPanel shows the camera and looks for a booking QR code in its frames.
func (k *Kiosk) qrPanel() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(k.tr.T("find.scan_qr"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	cam := k.camera(PurposeQR)
	if cam.failed.Load() {
		return container.NewVBox(title, message(k.tr.T("find.no_camera")))
	}
	g := k.g
	reader := qr.NewReader()
	var last time.Time
	cam.setConsumer(func(f scan.Frame) {
		if f.Preview == nil || time.Since(last) < qrEvery {
			return
		}
		last = time.Now()
		text, err := reader.Decode(f.Preview)
		if err != nil {
			return
		}
		id, ok := flow.NormalizeBookingID(text)
		if !ok {
			return
		}
		k.do(func() {
			if k.g == g && g.session.Step() == flow.StepFindBooking {
				k.cameraRead(id)
			}
		})
	})
	aim := canvas.NewRectangle(color.Transparent)
	aim.StrokeColor = colorAccent
	aim.StrokeWidth = 4
	aim.CornerRadius = 12
	view := container.NewStack(cam.img, aim)
	return container.NewBorder(title, message(k.tr.T("find.qr_help")), nil, nil, view)
}
