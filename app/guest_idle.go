package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
)

// showStillThere shows (or updates) the "Still there?" countdown.
func (k *Kiosk) showStillThere(left int) {
	if k.warn != nil {
		k.warn.Hide()
	}
	title := canvas.NewText(k.tr.T("idle.title"), colorInk)
	title.TextSize = 40
	title.TextStyle.Bold = true
	count := canvas.NewText(fmt.Sprint(left), colorPrimary)
	count.TextSize = 96
	count.TextStyle.Bold = true
	body := message(k.tr.T("idle.body"))
	body.Alignment = fyne.TextAlignCenter
	stay := widget.NewButton(k.tr.T("idle.continue"), k.idle.Touch)
	stay.Importance = widget.HighImportance
	content := container.NewVBox(container.NewCenter(title), container.NewCenter(count), body,
		container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 96), stay)))
	k.warn = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(700, 460), container.NewPadded(content)), k.win.Canvas())
	k.warn.Show()
}

func (k *Kiosk) hideStillThere() {
	if k.warn != nil {
		k.warn.Hide()
		k.warn = nil
	}
}

// recordEvent notes a submission among the recent events staff see.
func (k *Kiosk) recordEvent(res flow.Result) {
	what := fmt.Sprintf("submission: %d images, signature %v, queued %v", len(res.ImageRefs), res.SignatureRef != "", res.Queued)
	if res.MewsProblem != "" {
		what += "; Mews: " + res.MewsProblem
	}
	k.events.Add(what)
}
