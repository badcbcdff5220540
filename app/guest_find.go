package app

import (
	"context"
	"errors"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/client/storegister"
)

// activityDelay is how long a wait may last before the spinner shows: a
// quicker answer would only make it flash.
const activityDelay = 300 * time.Millisecond

// bookingUI is the state of one guest's booking lookup and of the waits on
// the find, submit and done screens, beside the session.
type bookingUI struct {
	lookups *flow.Lookups
	jobs    flow.Jobs // the lookup under way
	ticket  flow.Ticket
	pending string     // a code the guest asked for while another lookup ran
	found   string     // the code of the booking shown for confirmation
	retry   flow.Timer // the automatic retry while the booking system is down
	shown   string     // what the status line says, to redraw only on a change
	reads   int        // booking codes read by the camera (the tests count them)

	// spinner is the one activity indicator of the guest's screens, kept
	// across redraws so it turns on without a jump; busy says it is shown.
	spinner *kwidget.Spinner
	busy    bool
	status  *fyne.Container // the find screen's status line, redrawn in place

	submitting time.Time  // when the submission started
	doneAt     time.Time  // when the done screen resets
	tick       flow.Timer // the done screen's next second
	countdown  *fitText   // the done screen's countdown line
}

// booking returns the current guest's bookingUI, made on first use.
func (k *Kiosk) booking() *bookingUI {
	g := k.g
	if g.booking == nil {
		g.booking = &bookingUI{
			lookups: flow.NewLookups(func() time.Time { return k.clock.Now() }, flow.LookupOptions{}),
			jobs:    flow.Jobs{Do: k.do},
			spinner: kwidget.NewSpinner(),
		}
	}
	return g.booking
}

// waitAfter shows the spinner once activityDelay has passed, if still is
// then still true (on the UI goroutine).
func (k *Kiosk) waitAfter(still func() bool, show func()) {
	g := k.g
	k.clock.AfterFunc(activityDelay, func() {
		k.do(func() {
			if k.g == g && still() {
				show()
			}
		})
	})
}

// spinnerRow is the spinner beside text, or an empty row of its height when
// show is false, so the screen does not move when it appears.
func (k *Kiosk) spinnerRow(show bool, text string) fyne.CanvasObject {
	b := k.booking()
	hold := canvas.NewRectangle(color.Transparent)
	hold.SetMinSize(fyne.NewSquareSize(kwidget.SpinnerSize))
	if !show {
		b.spinner.Stop()
		return hold
	}
	b.spinner.Start()
	row := container.NewBorder(nil, nil, container.NewStack(hold, b.spinner), nil, message(text))
	return row
}

func (k *Kiosk) findBookingScreen() fyne.CanvasObject {
	g := k.g
	b := k.booking()
	entry := widget.NewEntry()
	entry.SetPlaceHolder("7c9e6679-7425-40de-…")
	entry.SetText(g.reference)
	entry.OnChanged = func(s string) { k.typed(s) }
	entry.OnSubmitted = func(string) { k.search() }
	clear := widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() {
		k.idle.Touch()
		entry.SetText("")
	})
	field := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSquareSize(MinTouch), clear), entry)

	b.status = container.NewStack()
	k.fillFindStatus()
	typed := container.NewVBox(
		widget.NewLabelWithStyle(k.tr.T("find.type_reference"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		field,
		k.keyboard(fixed(entry), hexKeys, k.idle.Touch),
		b.status,
	)
	body := container.New(&findLayout{}, panel(k.qrPanel()), panel(typed))
	// A keyboard, or a QR scanner that types, reaches the field without a
	// tap: focus it once the screen is on the canvas (fyne.Do runs after
	// this build; k.do would wait for the lock the caller holds).
	fyne.Do(func() { k.win.Canvas().Focus(entry) })
	phase := b.lookups.State().Phase
	label := k.tr.T("find.search")
	if phase == flow.LookupDown {
		label = k.tr.T("find.try_again")
	}
	return k.screen(1, k.tr.T("find.title"), body, k.back(),
		&action{label: label, tapped: k.search, disabled: phase == flow.LookupLooking})
}

// findStatus is what the status line under the keyboard says, as a key
// that changes only when the words do: a retry that fails as the last one
// did changes nothing on screen.
func (k *Kiosk) findStatus() (key string, build func() fyne.CanvasObject) {
	g, b := k.g, k.booking()
	st := b.lookups.State()
	switch {
	case g.problem != "":
		return "problem " + g.problem, func() fyne.CanvasObject { return problemText(g.problem) }
	case st.Phase == flow.LookupLooking:
		if !b.busy {
			return "looking", func() fyne.CanvasObject { return k.spinnerRow(false, "") }
		}
		return "looking busy", func() fyne.CanvasObject { return k.spinnerRow(true, k.tr.T("find.searching")) }
	case st.Phase == flow.LookupNotFound:
		s := k.errorSentence(st.Err)
		return "not found " + s, func() fyne.CanvasObject { return problemText(s) }
	case st.Phase == flow.LookupDown:
		s := k.errorSentence(st.Err)
		busy := b.busy && st.Retrying
		key := "down " + s
		if busy {
			key += " busy"
		}
		return key, func() fyne.CanvasObject {
			// Try again is the bottom bar's primary button while the
			// system is down: the sentence has the card's whole width.
			// Two rows at least, smaller rather than taller while the
			// spinner beside it takes its width (Larger text at 1024×768).
			text := newFitText(s, theme.TextSize()/textScale(), theme.ColorNameError, 3, 1)
			text.bold, text.align, text.minRows = true, fyne.TextAlignLeading, 2
			if !busy {
				b.spinner.Stop()
				return text
			}
			b.spinner.Start()
			hold := canvas.NewRectangle(color.Transparent)
			hold.SetMinSize(fyne.NewSquareSize(kwidget.SpinnerSize))
			return container.NewBorder(nil, nil, container.NewStack(hold, b.spinner), nil, text)
		}
	}
	b.spinner.Stop()
	return "", func() fyne.CanvasObject { return k.spinnerRow(false, "") }
}

// fillFindStatus draws the status line into the find screen's slot.
func (k *Kiosk) fillFindStatus() {
	b := k.booking()
	key, build := k.findStatus()
	b.shown = key
	if b.status != nil {
		b.status.Objects = []fyne.CanvasObject{build()}
		b.status.Refresh()
	}
}

// refreshFind redraws what changed on the find screen: the status line in
// place when only it changed (the field keeps its focus and the keyboard
// its state), the whole screen when the Search button's state changes too.
func (k *Kiosk) refreshFind(whole bool) {
	if k.g.session.Step() != flow.StepFindBooking {
		return
	}
	if whole {
		k.render()
		return
	}
	if key, _ := k.findStatus(); key != k.booking().shown {
		k.fillFindStatus()
	}
}

// typed is an edit of the booking-id field by the guest.
func (k *Kiosk) typed(s string) {
	g, b := k.g, k.booking()
	g.reference = s
	k.idle.Touch()
	b.lookups.Typed(s)
	g.problem = ""
	k.refreshFind(false)
}

// search looks up what the field holds: the bottom bar's Search, or Try
// again while the booking system is down.
func (k *Kiosk) search() {
	g, b := k.g, k.booking()
	id, ok := flow.NormalizeBookingID(g.reference)
	if !ok && strings.TrimSpace(g.reference) == "" {
		// Try again with the field emptied: the code that failed.
		id = b.lookups.LastFailed()
		ok = id != ""
	}
	if !ok {
		g.problem = k.tr.T("find.invalid")
		k.render()
		return
	}
	g.problem = ""
	if b.ticket != 0 {
		// A retry is under way: this code goes next.
		b.pending = id
		return
	}
	before := b.lookups.State().Phase
	if t, ok := b.lookups.Begin(id, flow.FromGuest); ok {
		k.lookup(id, t, before)
		return
	}
	k.render() // a code refused just now: its sentence stays
}

// cameraRead is a booking id read from a QR code: it fills the field unless
// the guest is typing, and is looked up unless the policy says not now.
func (k *Kiosk) cameraRead(id string) {
	g, b := k.g, k.booking()
	b.reads++
	before := b.lookups.State().Phase
	fill, t, start := b.lookups.CameraRead(id)
	changed := fill && g.reference != id
	if fill {
		g.reference = id
		b.lookups.Filled()
	}
	switch {
	case start:
		k.log.Info("booking QR code read")
		k.lookup(id, t, before)
	case changed:
		k.render()
	}
}

// lookup fetches the booking and its document types for the ticket t of
// the lookup policy; before is the phase before Begin.
func (k *Kiosk) lookup(id string, t flow.Ticket, before flow.LookupPhase) {
	g, b := k.g, k.booking()
	svc := k.opts.Services.Booking
	b.ticket, b.busy = t, false
	k.waitAfter(func() bool { return b.ticket == t }, func() {
		b.busy = true
		k.refreshFind(false)
	})
	b.jobs.Go(g.ctx, func(ctx context.Context) func() {
		ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		defer cancel()
		bk, err := svc.Booking(ctx, id)
		var types []storegister.DocumentType
		if err == nil {
			types, err = svc.IdentityDocumentTypes(ctx, id)
		}
		return func() {
			if k.g != g {
				b.spinner.Stop() // the guest's screen is gone
				return
			}
			k.lookupDone(id, t, bk, types, err)
		}
	})
	k.refreshFind(b.lookups.State().Phase != before)
}

// lookupDone takes the answer of the lookup t on the UI goroutine.
func (k *Kiosk) lookupDone(id string, t flow.Ticket, bk *storegister.Booking, types []storegister.DocumentType, err error) {
	g, b := k.g, k.booking()
	before := b.lookups.State().Phase
	st := b.lookups.End(t, err)
	if b.ticket == t {
		b.ticket, b.busy = 0, false
		b.spinner.Stop()
	}
	onScreen := g.session.Step() == flow.StepFindBooking
	if err == nil {
		if onScreen {
			b.found, b.pending = id, ""
			g.session.SetBooking(bk, k.docTypes(types))
			k.render()
		}
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	k.log.Warn("booking lookup failed", "err", err, "failures", st.Failures)
	if st.Phase == flow.LookupDown {
		k.retryAt(st.NextTry)
	}
	if p := b.pending; p != "" && onScreen {
		b.pending = ""
		if t, ok := b.lookups.Begin(p, flow.FromGuest); ok {
			k.lookup(p, t, before)
			return
		}
	}
	k.refreshFind(st.Phase != before)
}

// retryAt looks the last failed code up again at at, if the guest is still
// on the find screen and the policy says it is due.
func (k *Kiosk) retryAt(at time.Time) {
	g, b := k.g, k.booking()
	if b.retry != nil {
		b.retry.Stop()
	}
	b.retry = k.clock.AfterFunc(at.Sub(k.clock.Now()), func() {
		k.do(func() {
			if k.g != g || g.session.Step() != flow.StepFindBooking {
				return
			}
			if id, ok := b.lookups.Due(); ok {
				before := b.lookups.State().Phase
				if t, ok := b.lookups.Begin(id, flow.FromTimer); ok {
					k.lookup(id, t, before)
				}
			}
		})
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

// narrow centres content at most width wide (less on a narrower window),
// at its own height.
func narrow(width float32, content fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&narrowLayout{width: width}, content)
}

// narrowLayout centres its content at width (or its minimum width, if
// wider) and at its minimum height.
type narrowLayout struct{ width float32 }

func (l *narrowLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		w := min(size.Width, max(l.width, o.MinSize().Width))
		h := min(size.Height, o.MinSize().Height)
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos((size.Width-w)/2, (size.Height-h)/2))
	}
}

func (l *narrowLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
}

// findLayout puts the camera's card on the left and the typing card on the
// right: the typing card keeps the width its keyboard needs, the camera
// takes what is left up to two fifths of the width (its picture shrinks;
// the keys may not).
type findLayout struct{}

const (
	findGap     = 8
	findLeftMin = 260
)

func (l *findLayout) leftWidth(objects []fyne.CanvasObject, width float32) float32 {
	right := objects[1].MinSize().Width
	return max(findLeftMin, objects[0].MinSize().Width, min(width*2/5, width-right-findGap))
}

func (l *findLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	left := l.leftWidth(objects, size.Width)
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(fyne.NewSize(left, size.Height))
	objects[1].Move(fyne.NewPos(left+findGap, 0))
	objects[1].Resize(fyne.NewSize(size.Width-left-findGap, size.Height))
}

func (l *findLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	a, b := objects[0].MinSize(), objects[1].MinSize()
	return fyne.NewSize(max(findLeftMin, a.Width)+findGap+b.Width, max(a.Height, b.Height))
}
