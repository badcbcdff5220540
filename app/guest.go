package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/scan"
	"github.com/signet-kiosk/signet/client/storegister"
)

// lookupTimeout bounds finding a booking; the guest is waiting.
const lookupTimeout = 20 * time.Second

// guest is the UI state of one guest's visit beside the session itself:
// what is typed and shown, kept so a language switch redraws it unchanged.
type guest struct {
	session *flow.Session
	ctx     context.Context
	cancel  context.CancelFunc

	reference string    // typed booking reference
	jobs      flow.Jobs // the lookups under way; Busy while one is
	problem   string    // translated sentence of the last error on this screen
	result    *flow.Result
	progress  flow.Progress

	details    *flow.Details // the details form's values
	prefill    *flow.Details // read from the document's MRZ, when one was
	customerID string        // the Mews customer, once found
	scan       *scan.Loop    // the scan of the side being captured
	scanName   string        // the file name of its still
}

func (k *Kiosk) newGuest() {
	if k.g != nil {
		k.g.cancel()
		k.g.jobs.Drop() // a late result belongs to nobody
	}
	ctx, cancel := context.WithCancel(context.Background())
	k.g = &guest{session: flow.New(), ctx: ctx, cancel: cancel, jobs: flow.Jobs{Do: k.do, Changed: k.render}}
}

// startGuest leaves the attract screen for the booking lookup.
func (k *Kiosk) startGuest() {
	k.newGuest()
	k.g.session.Start()
	k.log.Info("guest session started")
	k.idle.Start()
	k.render()
}

// resetGuest wipes the session and returns to the attract screen. Work in
// flight is cancelled; a submission already accepted finishes or is queued
// by its own goroutine (flow.Submission.Run), never lost.
func (k *Kiosk) resetGuest(reason string) {
	if k.g != nil {
		k.g.cancel()
		k.g.session.Reset()
	}
	k.newGuest()
	k.idle.Stop()
	k.tr.SetLanguage(k.opts.Config.Kiosk.DefaultLanguage)
	k.log.Info("guest session reset", "reason", reason)
	k.show(k.attractScreen)
	k.log.Debug("screen shown", "screen", "attract")
}

// render shows the screen of the session's step.
func (k *Kiosk) render() {
	step := k.g.session.Step()
	if step != flow.StepCapture && step != flow.StepFindBooking {
		k.stopCamera()
	}
	k.show(k.stepScreen)
	// The window tests keep pace with the kiosk by this line.
	k.log.Debug("screen shown", "screen", k.screenName())
}

func (k *Kiosk) stepScreen() fyne.CanvasObject {
	switch k.g.session.Step() {
	case flow.StepFindBooking:
		return k.findBookingScreen()
	case flow.StepConfirmBooking:
		return k.confirmScreen()
	case flow.StepDocumentType:
		return k.docTypeScreen()
	case flow.StepCapture:
		return k.captureScreen()
	case flow.StepDetails:
		return k.detailsScreen()
	case flow.StepSignature:
		return k.signatureScreen()
	case flow.StepSubmit:
		return k.submitScreen()
	case flow.StepDone:
		return k.doneScreen()
	}
	return k.attractScreen()
}

// screenName names what is on screen: the step, or the review of a photo.
func (k *Kiosk) screenName() string {
	name := k.stepName()
	if k.g.jobs.Busy() {
		name += "-busy"
	}
	if s := k.g.scan; s != nil && k.g.session.Step() == flow.StepCapture && s.Still() != nil {
		name = "review"
	}
	return name
}

func (k *Kiosk) stepName() string {
	if k.g == nil {
		return "attract"
	}
	return k.g.session.Step().String()
}

// async runs work off the UI goroutine and hands its result to done on the
// UI goroutine, unless the guest session was reset in between.
func (k *Kiosk) async(work func(ctx context.Context) func()) {
	k.g.problem = ""
	k.g.jobs.Go(k.g.ctx, work)
}

func (k *Kiosk) back() *action {
	return &action{label: k.tr.T("common.back"), tapped: func() {
		k.idle.Touch()
		k.g.problem = ""
		k.g.session.Back()
		if k.g.session.Step() == flow.StepAttract {
			k.resetGuest("back")
			return
		}
		k.render()
	}}
}

// --- Find booking ---------------------------------------------------------

func (k *Kiosk) findBookingScreen() fyne.CanvasObject {
	g := k.g
	entry := widget.NewEntry()
	entry.SetPlaceHolder("7c9e6679-7425-40de-…")
	entry.SetText(g.reference)
	entry.OnChanged = func(s string) { g.reference = s; k.idle.Touch() }
	find := func() {
		id, ok := flow.NormalizeBookingID(g.reference)
		if !ok {
			g.problem = k.tr.T("find.invalid")
			k.render()
			return
		}
		k.lookup(id)
	}
	entry.OnSubmitted = func(string) { find() }

	intro := message(k.tr.T("find.intro"))
	typed := container.NewVBox(
		widget.NewLabelWithStyle(k.tr.T("find.type_reference"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		entry,
		k.keyboard(fixed(entry), hexKeys, k.idle.Touch),
	)
	if g.problem != "" {
		typed.Add(problemText(g.problem))
	}
	if g.jobs.Busy() {
		typed.Add(container.NewHBox(widget.NewActivity(), widget.NewLabel(k.tr.T("find.searching"))))
	}
	scan := k.qrPanel()
	body := container.NewBorder(intro, nil, container.NewGridWrap(fyne.NewSize(430, 480), card(scan)), nil, card(typed))
	return k.screen(1, k.tr.T("find.title"), body, k.back(),
		&action{label: k.tr.T("find.search"), tapped: find, disabled: g.jobs.Busy()})
}

// lookup fetches the booking and its document types.
func (k *Kiosk) lookup(id string) {
	svc := k.opts.Services.Booking
	k.async(func(ctx context.Context) func() {
		ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		defer cancel()
		b, err := svc.Booking(ctx, id)
		var types []storegister.DocumentType
		if err == nil {
			types, err = svc.IdentityDocumentTypes(ctx, id)
		}
		return func() {
			if err != nil {
				k.log.Warn("booking lookup failed", "err", err)
				k.g.problem = k.errorSentence(err)
				return
			}
			k.g.session.SetBooking(b, k.docTypes(types))
		}
	})
}

// errorSentence translates an error into what the guest should read.
func (k *Kiosk) errorSentence(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return k.tr.T("error.timeout")
	}
	var api *storegister.APIError
	if errors.As(err, &api) && api.Permanent() {
		key := storegister.TranslationKey(err)
		if s := k.tr.T(key); s != key {
			return s
		}
		return k.tr.T("error.refused")
	}
	return k.tr.T("error.unreachable")
}

// --- Confirm booking ------------------------------------------------------

// confirmScreen shows what the booking holds; a field the preview lacks
// (a tenant's name, say) is left out rather than shown empty.
func (k *Kiosk) confirmScreen() fyne.CanvasObject {
	b := k.g.session.Booking
	rows := container.NewVBox(message(k.tr.T("confirm.intro")))
	if masked := flow.MaskName(b.Tenant.FirstName, b.Tenant.LastName); masked != "" {
		name := canvas.NewText(masked, colorInk)
		name.TextSize = 44
		name.TextStyle.Bold = true
		rows.Add(container.NewCenter(name))
	}
	rows.Add(widget.NewSeparator())
	if unit := unitText(b.Unit); unit != "" {
		rows.Add(detailRow(k.tr.T("confirm.unit"), unit))
	}
	if d, ok := b.MoveIn(); ok {
		rows.Add(detailRow(k.tr.T("confirm.move_in"), k.formatDate(d)))
	}
	if b.Property.Name != "" {
		rows.Add(detailRow(k.tr.T("confirm.property"), b.Property.Name))
	}
	notMe := &action{label: k.tr.T("confirm.not_me"), tapped: func() {
		k.idle.Touch()
		k.g.session.Back()
		k.render()
	}}
	return k.screen(1, k.tr.T("confirm.title"), container.NewCenter(container.NewGridWrap(fyne.NewSize(760, 420), card(rows))),
		notMe, &action{label: k.tr.T("confirm.yes"), tapped: func() {
			k.idle.Touch()
			if err := k.g.session.ConfirmBooking(); err == nil {
				k.render()
			}
		}})
}

// unitText is the unit's name and size: "A-112 5 m²" as sent, or "A-112 · 5"
// for a bare number (StoRegister names no unit for it).
func unitText(u storegister.Unit) string {
	size := u.Size
	if _, err := strconv.ParseFloat(size, 64); err == nil && u.Name != "" {
		size = "· " + size
	}
	return strings.TrimSpace(u.Name + " " + size)
}

// formatDate writes a calendar date in the guest's language.
func (k *Kiosk) formatDate(d time.Time) string {
	layout := k.tr.T("confirm.date_layout")
	if layout == "confirm.date_layout" || layout == "" {
		layout = time.DateOnly
	}
	return d.Format(layout)
}

func detailRow(label, value string) fyne.CanvasObject {
	l := widget.NewLabel(label)
	v := widget.NewLabelWithStyle(value, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	return container.NewBorder(nil, nil, l, v)
}

// --- Document type --------------------------------------------------------

func (k *Kiosk) docTypeScreen() fyne.CanvasObject {
	grid := container.NewGridWithColumns(2)
	for _, t := range k.g.session.DocTypes {
		t := t
		label := k.docTypeName(t)
		sides := k.tr.T("doctype.two_sides")
		if len(t.Sides) == 1 {
			sides = k.tr.T("doctype.one_side")
		}
		b := widget.NewButton(label, func() {
			k.idle.Touch()
			if err := k.g.session.ChooseType(t); err == nil {
				k.render()
			}
		})
		b.Importance = widget.HighImportance
		grid.Add(container.NewVBox(container.NewGridWrap(fyne.NewSize(460, 110), b),
			widget.NewLabelWithStyle(sides, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})))
	}
	body := container.NewBorder(message(k.tr.T("doctype.intro")), nil, nil, nil, container.NewCenter(grid))
	return k.screen(2, k.tr.T("doctype.title"), body, k.back(), nil)
}

// docTypeName translates StoRegister's English type names where known.
func (k *Kiosk) docTypeName(t flow.DocType) string {
	key := "doctype.name." + strings.ToLower(strings.ReplaceAll(t.Name, " ", "_"))
	if s := k.tr.T(key); s != key {
		return s
	}
	return t.Name
}

// docTypes maps StoRegister's types to the flow's, with the sides to capture.
func (k *Kiosk) docTypes(ts []storegister.DocumentType) []flow.DocType {
	out := make([]flow.DocType, 0, len(ts))
	for _, t := range ts {
		out = append(out, flow.DocType{ID: t.ID, Name: t.Name, Sides: k.opts.SidesFor(t.Name)})
	}
	return out
}

// --- Submit and done --------------------------------------------------------

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
