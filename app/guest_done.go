package app

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
)

func (k *Kiosk) submitScreen() fyne.CanvasObject {
	g := k.g
	p := g.progress
	bar := widget.NewProgressBar()
	if p.Count > 0 {
		frac := float64(p.Index) / float64(p.Count)
		if p.Total > 0 {
			frac += float64(p.Sent) / float64(p.Total) / float64(p.Count)
		}
		bar.SetValue(frac)
	}
	label := k.tr.T("submit.sending")
	switch p.Part {
	case flow.PartImage:
		label = k.tr.T("submit.image", "n", p.Index+1, "kb", (p.Sent+1023)/1024, "total", (p.Total+1023)/1024)
	case flow.PartSignature:
		label = k.tr.T("submit.signature")
	case flow.PartMews:
		label = k.tr.T("submit.mews")
	}
	content := container.NewVBox(message(k.tr.T("submit.intro")), widget.NewActivity(), bar, widget.NewLabel(label))
	if g.problem != "" {
		content = container.NewVBox(problemText(g.problem), message(k.tr.T("error.ask_staff")))
		return k.screen(4, k.tr.T("submit.failed_title"), container.NewCenter(container.NewGridWrap(fyne.NewSize(820, 360), card(content))),
			nil, &action{label: k.tr.T("common.start_over"), tapped: func() { k.resetGuest("refused") }})
	}
	return k.screen(4, k.tr.T("submit.title"), container.NewCenter(container.NewGridWrap(fyne.NewSize(820, 300), card(content))), nil, nil)
}

// submit hands the session's data to a submission and runs it. The
// submission owns its data: an idle reset cancels the network calls, and
// Run queues what was not confirmed, so nothing accepted is lost.
func (k *Kiosk) submit() {
	g := k.g
	sub, err := g.session.Submission()
	if err != nil {
		k.log.Error("submission not ready", "err", err)
		return
	}
	k.render()
	go func() {
		res, err := sub.Run(g.ctx, k.opts.Services, func(p flow.Progress) {
			k.do(func() {
				if k.g == g && g.session.Step() == flow.StepSubmit {
					g.progress = p
					k.render()
				}
			})
		})
		k.logSubmission(res, err)
		k.do(func() {
			if k.g != g {
				return
			}
			var pe *flow.PermanentError
			switch {
			case errors.As(err, &pe):
				g.problem = k.tr.T(pe.Key)
				if g.problem == pe.Key {
					g.problem = k.tr.T("error.refused")
				}
			case err != nil:
				g.problem = k.tr.T("error.not_kept")
			default:
				g.result = &res
				g.session.Done()
				k.idle.Stop()
				k.scheduleDoneReset(g)
			}
			k.render()
		})
	}()
}

func (k *Kiosk) logSubmission(res flow.Result, err error) {
	attrs := []any{"uploads", len(res.ImageRefs), "signed", res.SignatureRef != "", "mews", res.MewsID != "",
		"mews_updated", res.MewsUpdated, "queued", fmt.Sprint(res.Queued)}
	if res.MewsProblem != "" {
		attrs = append(attrs, "mews_problem", res.MewsProblem)
	}
	if res.MewsLookup != "" {
		// Which lookups were made and how many candidates each found: no names.
		attrs = append(attrs, "mews_lookup", res.MewsLookup, "mews_needs_staff", res.MewsNeedsStaff)
	}
	if err != nil {
		k.log.Error("submission failed", append(attrs, "err", err)...)
		return
	}
	k.log.Info("submission done", attrs...)
	k.recordEvent(res)
}

func (k *Kiosk) scheduleDoneReset(g *guest) {
	d := k.opts.Config.Kiosk.DoneTimeout.D()
	k.clock.AfterFunc(d, func() {
		k.do(func() {
			if k.g == g && g.session.Step() == flow.StepDone {
				k.resetGuest("done")
			}
		})
	})
}

func (k *Kiosk) doneScreen() fyne.CanvasObject {
	res := k.g.result
	icon := widget.NewIcon(theme.ConfirmIcon())
	big := canvas.NewText(k.tr.T("done.thanks"), colorPrimary)
	big.TextSize = 48
	big.TextStyle.Bold = true
	lines := container.NewVBox(container.NewCenter(container.NewGridWrap(fyne.NewSize(96, 96), icon)), container.NewCenter(big))
	if res != nil && waitsToBeSent(res.Queued) {
		lines.Add(message(k.tr.T("done.queued")))
	} else {
		lines.Add(message(k.tr.T("done.sent")))
	}
	if res != nil {
		if res.SignatureRef != "" {
			lines.Add(detailRow(k.tr.T("done.signature_ref"), shortRef(res.SignatureRef)))
		}
		for i, r := range res.ImageRefs {
			lines.Add(detailRow(k.tr.T("done.image_ref", "n", i+1), shortRef(r)))
		}
	}
	lines.Add(widget.NewLabelWithStyle(k.tr.T("done.goodbye", "s", int(k.opts.Config.Kiosk.DoneTimeout.D().Seconds())),
		fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	finish := &action{label: k.tr.T("done.finish"), tapped: func() { k.resetGuest("finished") }}
	return k.screen(0, k.tr.T("done.title"), container.NewCenter(container.NewGridWrap(fyne.NewSize(820, 560), card(lines))), nil, finish)
}

// waitsToBeSent reports whether a queued part waits for the connection; a
// Mews record kept for staff does not (the guest has nothing to wait for).
func waitsToBeSent(parts []flow.Part) bool {
	for _, p := range parts {
		if p != flow.PartMewsStaff {
			return true
		}
	}
	return false
}

// shortRef shows the first block of a reference GUID, enough to quote to staff.
func shortRef(ref string) string {
	if i := strings.IndexByte(ref, '-'); i > 0 {
		return strings.ToUpper(ref[:i])
	}
	return ref
}
