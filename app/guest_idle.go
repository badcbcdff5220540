package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/internal/audit"
	"github.com/signet-kiosk/signet/internal/metrics"
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

// recordEvent notes a completed submission (sent, or kept in the outbox)
// among the recent events staff see, counts it, and appends it to the
// move-in journal. It runs on the submission's goroutine: a slow disk
// never holds the guest's screen, and a failure is only logged.
func (k *Kiosk) recordEvent(res flow.Result) {
	what := fmt.Sprintf("submission: %d images, signature %v, queued %v", len(res.ImageRefs), res.SignatureRef != "", res.Queued)
	if res.MewsProblem != "" {
		what += "; Mews: " + res.MewsProblem
	}
	k.events.Add(what)
	k.rec.SessionEnded(metrics.Completed)
	if k.opts.Journal == nil {
		return
	}
	e, err := moveInEntry(res, k.now())
	if err == nil {
		err = k.opts.Journal.Append(e)
	}
	if err != nil {
		k.log.Error("move-in not recorded in the audit journal", "err", err)
		return
	}
	k.log.Info("move-in recorded in the audit journal")
}

// moveInEntry is the journal's line for a completed submission: digests
// and references only.
func moveInEntry(res flow.Result, now time.Time) (audit.Entry, error) {
	e := audit.Entry{Time: now, BookingID: res.BookingID, MewsRef: res.MewsID, Queued: len(res.Queued) > 0,
		Signature: audit.File{SHA256: audit.Digest(res.Digests.Signature), Ref: res.SignatureRef},
		MRZ:       audit.MRZ{Read: res.Zone.Read, Valid: res.Zone.Read && res.Zone.Valid}}
	if res.Zone.Read {
		e.MRZ.Format = res.Zone.Format
	}
	for i, im := range res.Digests.Images {
		ai := audit.Image{Side: im.Side, File: audit.File{SHA256: audit.Digest(im.SHA256)}}
		if i < len(res.ImageRefs) {
			ai.Ref = res.ImageRefs[i]
		}
		e.Images = append(e.Images, ai)
	}
	if err := e.Agreement.UnmarshalText([]byte(res.Digests.Agreement)); err != nil {
		return e, fmt.Errorf("agreement digest: %w", err)
	}
	return e, nil
}
