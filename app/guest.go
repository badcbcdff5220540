package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/scan"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/notify"
)

// lookupTimeout bounds finding a booking; the guest is waiting.
const lookupTimeout = 20 * time.Second

// guest is the UI state of one guest's visit beside the session itself:
// what is typed and shown, kept so a language switch redraws it unchanged.
type guest struct {
	session *flow.Session
	ctx     context.Context
	cancel  context.CancelFunc

	reference string     // typed booking reference
	jobs      flow.Jobs  // the lookups under way; Busy while one is
	booking   *bookingUI // the lookup policy and waits of the find, submit and done screens (guest_find.go)
	problem   string     // translated sentence of the last error on this screen
	result    *flow.Result
	progress  flow.Progress

	details    *flow.Details // the details form's values
	prefill    *flow.Details // read from the document's MRZ, when one was
	customerID string        // the Mews customer, once found
	scan       *scan.Loop    // the scan of the side being captured
	scanName   string        // the file name of its still
	capture    captureState  // the capture and details screens' own (guest_capture.go)

	// step and stepAt are the step last shown and since when, for the
	// time spent on each step (metrics).
	step        flow.Step
	stepAt      time.Time
	pad         *widget.Pad // the signature drawn, kept across the Sign screen's rebuilds
	calledStaff bool        // the guest called staff during this session
	completed   bool        // the move-in was submitted (sent or queued)
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
	_, k.g.calledStaff = k.call.Waiting()
	k.log.Info("guest session started")
	k.rearmIdle()
	k.render()
}

// resetGuest wipes the session and returns to the attract screen. Work in
// flight is cancelled; a submission already accepted finishes or is queued
// by its own goroutine (flow.Submission.Run), never lost.
//
// Leaving the staff screens opened from a staff call's banner (reason
// "staff …") returns to the guest's screen instead: the guest waited for
// staff precisely to keep it.
func (k *Kiosk) resetGuest(reason string) {
	if k.staffForCall && strings.HasPrefix(reason, "staff ") {
		k.resumeGuest()
		return
	}
	k.staffForCall = false
	k.endCall(notify.EventCallCancelled)
	k.sessionEnded(reason)
	if k.g != nil {
		k.g.cancel()
		k.g.session.Reset()
	}
	k.newGuest()
	k.idle.Stop()
	k.setDisplay(displayModes{}) // the display modes are the guest's, like the language
	k.tr.SetLanguage(k.opts.Config.Kiosk.DefaultLanguage)
	k.log.Info("guest session reset", "reason", reason)
	if k.opts.Desk { // a desk's assisted move-in goes back to its console (desk.go)
		k.staffView().moveInEnded(reason)
		return
	}
	k.show(k.attractScreen)
	k.log.Debug("screen shown", "screen", "attract")
}

// sessionEnded counts how the guest's session ended, once, by the reason
// of its reset: a completed move-in was counted when it was submitted.
func (k *Kiosk) sessionEnded(reason string) {
	g := k.g
	if g == nil || g.completed {
		return
	}
	step := g.session.Step()
	if step == flow.StepAttract || step == flow.StepDone {
		return // nobody started, or counted as completed when submitted
	}
	k.stepDone(g, step)
	switch {
	case g.calledStaff:
		k.rec.SessionEnded(metrics.StaffCalled)
	case reason == "idle":
		k.rec.SessionEnded(metrics.IdleReset)
	default:
		k.rec.SessionEnded(metrics.AbandonedAt(step.String()))
	}
	g.completed = true // counted
}

// stepDone observes the time spent on the step shown until now.
func (k *Kiosk) stepDone(g *guest, next flow.Step) {
	if g.step != flow.StepAttract && g.step != flow.StepDone && !g.stepAt.IsZero() {
		k.rec.StepDone(g.step.String(), k.now().Sub(g.stepAt))
	}
	g.step, g.stepAt = next, k.now()
}

// render shows the screen of the session's step.
func (k *Kiosk) render() {
	step := k.g.session.Step()
	if step != k.g.step {
		k.stepDone(k.g, step)
	}
	if step != flow.StepCapture && step != flow.StepFindBooking {
		k.stopCamera()
	}
	if k.givingBack() {
		return // a desk's give-back step stays until staff sign in (desk_sign.go)
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
		if k.opts.Desk { // on a guest display, or handed over (desk_sign.go)
			return k.staffView().signScreen()
		}
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
