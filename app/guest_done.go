package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
)

func (k *Kiosk) submitScreen() fyne.CanvasObject {
	g, b := k.g, k.booking()
	p := g.progress
	if g.problem != "" {
		b.spinner.Stop()
		content := container.NewVBox(problemText(g.problem), message(k.tr.T("error.ask_staff")))
		return k.screen(4, k.tr.T("submit.failed_title"), narrow(820, card(content)),
			nil, &action{label: k.tr.T("common.start_over"), tapped: func() { k.resetGuest("refused") }})
	}
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
	waited := !b.submitting.IsZero() && k.clock.Now().Sub(b.submitting) >= activityDelay
	content := container.NewVBox(message(k.tr.T("submit.intro")), k.spinnerRow(waited, label), bar)
	return k.screen(4, k.tr.T("submit.title"), narrow(820, card(content)), nil, nil)
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
	b := k.booking()
	b.submitting = k.clock.Now()
	k.waitAfter(func() bool { return g.session.Step() == flow.StepSubmit && g.problem == "" }, k.render)
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
				b.spinner.Stop() // the guest's screen is gone
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

// scheduleDoneReset counts the done screen down by the kiosk's clock, a
// second at a time, and resets the kiosk at the end.
func (k *Kiosk) scheduleDoneReset(g *guest) {
	b := k.booking()
	b.spinner.Stop()
	b.doneAt = k.clock.Now().Add(k.opts.Config.Kiosk.DoneTimeout.D())
	var tick func()
	tick = func() {
		k.do(func() {
			if k.g != g || g.session.Step() != flow.StepDone {
				return
			}
			if k.givingBack() { // the countdown waits for the desk's staff (desk_sign.go)
				b.doneAt = k.clock.Now().Add(k.opts.Config.Kiosk.DoneTimeout.D())
			}
			left := b.doneAt.Sub(k.clock.Now())
			if left <= 0 {
				k.resetGuest("done")
				return
			}
			if b.countdown != nil {
				b.countdown.SetText(k.doneCountdown())
			}
			b.tick = k.clock.AfterFunc(min(time.Second, left), tick)
		})
	}
	b.tick = k.clock.AfterFunc(min(time.Second, k.opts.Config.Kiosk.DoneTimeout.D()), tick)
}

// doneCountdown is the line that says when the done screen closes, in
// whole seconds rounded up (it never says 0 while it shows).
func (k *Kiosk) doneCountdown() string {
	left := k.booking().doneAt.Sub(k.clock.Now())
	return k.tr.T("done.goodbye", "s", int((left+time.Second-1)/time.Second))
}

// doneScreen says it worked, what happens next (the unit and site of the
// booking, and the operator's message), when the screen closes, and the
// references staff may ask for, in small print.
func (k *Kiosk) doneScreen() fyne.CanvasObject {
	g, b := k.g, k.booking()
	res := g.result
	icon := widget.NewIcon(theme.ConfirmIcon())
	big := canvas.NewText(k.tr.T("done.thanks"), colorPrimary)
	big.TextSize = 44
	big.TextStyle.Bold = true
	thanks := container.NewHBox(container.NewGridWrap(fyne.NewSquareSize(64), icon), container.NewCenter(big))

	// Beside the thanks, when the screen closes; under it, that it worked
	// and (right) the unit and site; then the operator's next step.
	said := k.tr.T("done.sent")
	if res != nil && waitsToBeSent(res.Queued) {
		said = k.tr.T("done.queued")
	}
	if b.doneAt.IsZero() {
		b.doneAt = k.clock.Now().Add(k.opts.Config.Kiosk.DoneTimeout.D())
	}
	// One row where it can, smaller before it takes a second.
	b.countdown = newFitText(k.doneCountdown(), theme.TextSize()/textScale(), theme.ColorNameForeground, 2, 560)
	b.countdown.bold, b.countdown.align = true, fyne.TextAlignTrailing
	left := message(said)

	right := container.NewVBox()
	if bk := g.session.Booking; bk != nil {
		var where []string
		if unit := unitText(bk.Unit, k.opts.Config.Kiosk.SizeUnit); unit != "" {
			where = append(where, unit)
		}
		if bk.Property.Name != "" {
			where = append(where, bk.Property.Name)
		}
		if len(where) > 0 {
			// One widget, so the caption sits on its value.
			// The unit on one line, the site on the next.
			segs := []widget.RichTextSegment{&widget.TextSegment{Text: k.tr.T("done.your_unit"), Style: widget.RichTextStyle{
				ColorName: theme.ColorNamePlaceHolder, SizeName: theme.SizeNameCaptionText}}}
			for _, w := range where {
				segs = append(segs, &widget.TextSegment{Text: w, Style: widget.RichTextStyle{TextStyle: fyne.TextStyle{Bold: true}}})
			}
			unit := widget.NewRichText(segs...)
			unit.Wrapping = fyne.TextWrapWord
			right.Add(unit)
		}
	}
	middle := fyne.CanvasObject(left)
	if len(right.Objects) > 0 {
		middle = container.NewBorder(nil, nil, nil, container.New(&widthLayout{width: 340}, right), left)
	}
	top := container.NewVBox(container.NewBorder(nil, nil, thanks, nil, b.countdown), middle)
	// The operator's next step takes the room between: up to six rows,
	// smaller where the room is short (Larger text at 1024×768), never
	// cut. The references are the card's foot.
	var next fyne.CanvasObject
	if m := k.opts.Config.Kiosk.DoneMessageIn(k.tr.Language()); m != "" {
		t := newFitText(m, theme.TextSize()/textScale(), theme.ColorNamePrimary, 6, 1)
		t.bold, t.align, t.top = true, fyne.TextAlignLeading, true
		// At least the room it takes in normal text, up to three rows, so
		// Easy reach, which gives the card its minimum height, has them
		// too; in Larger text it shrinks into that room where the card has
		// no more (1024×768) and grows where it has.
		rows := min(3, len(breakRows(m, t.size, t.style(), doneTextWidth)))
		t.room = float32(rows) * textRowHeight(t.size, t.style())
		ip := theme.InnerPadding()
		next = container.New(layout.NewCustomPaddedLayout(0, 0, ip, ip), t)
	}
	var foot fyne.CanvasObject
	if refs := k.doneReferences(res); refs != "" {
		// Small print for staff, on two rows: smaller still where those
		// do not hold it.
		small := newFitText(refs, theme.CaptionTextSize()/textScale(), theme.ColorNamePlaceHolder, 2, 1)
		small.align, small.minRows = fyne.TextAlignLeading, 2
		ip := theme.InnerPadding()
		foot = container.NewVBox(widget.NewSeparator(), container.New(layout.NewCustomPaddedLayout(ip/2, ip/2, ip, ip), small))
	}
	lines := container.NewBorder(top, foot, nil, nil)
	if next != nil {
		lines.Add(next)
	}
	finish := &action{label: k.tr.T("done.finish"), tapped: func() { k.resetGuest("finished") }}
	body := narrow(doneWidth, panel(container.NewPadded(lines)))
	if t, ok := next.(*fyne.Container); ok {
		body = container.New(&doneLayout{next: t.Objects[0].(*fitText)}, panel(container.NewPadded(lines)))
	}
	return k.screen(0, k.tr.T("done.title"), body, nil, finish)
}

// doneLayout centres the done card at up to 1040 wide, as tall as it is
// with the operator's message at its full size where the screen has the
// room, and as tall as the screen where not (the message shrinks).
type doneLayout struct{ next *fitText }

const doneWidth = 1040

func (l *doneLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	card := objects[0]
	least := card.MinSize()
	w := min(size.Width, max(doneWidth, least.Width))
	// The message's width: the card's less its paddings (panel, padded,
	// and the message's own inner padding on both sides).
	tw := w - 4*theme.Padding() - 2*theme.InnerPadding()
	t := l.next
	rows := breakRows(t.text, t.full(), t.style(), tw)
	want := float32(min(len(rows), t.maxRows)) * textRowHeight(t.full(), t.style())
	h := min(size.Height, least.Height+max(0, want-t.room))
	card.Resize(fyne.NewSize(w, h))
	card.Move(fyne.NewPos((size.Width-w)/2, (size.Height-h)/2))
}

func (l *doneLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return objects[0].MinSize()
}

// doneTextWidth is about the width the done card's text has at 1024×768.
const doneTextWidth = 900

// doneReferences is the small print: the StoRegister references of the
// signature and photos and the Mews record, as staff quote them.
func (k *Kiosk) doneReferences(res *flow.Result) string {
	if res == nil {
		return ""
	}
	var parts []string
	if res.SignatureRef != "" {
		parts = append(parts, k.tr.T("done.signature_ref")+" "+shortRef(res.SignatureRef))
	}
	for i, r := range res.ImageRefs {
		parts = append(parts, k.tr.T("done.image_ref", "n", i+1)+" "+shortRef(r))
	}
	if res.MewsID != "" {
		parts = append(parts, k.tr.T("done.mews_ref")+" "+shortRef(res.MewsID))
	}
	if len(parts) == 0 {
		return ""
	}
	return k.tr.T("done.references") + " " + strings.Join(parts, " · ")
}

// widthLayout gives its content width, at the content's own height.
type widthLayout struct{ width float32 }

func (l *widthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *widthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(l.width, 0)
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
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
