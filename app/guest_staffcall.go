package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/internal/notify"
)

// A guest's call for staff. "Call staff" holds off the idle reset until
// staff answer, for kiosk.staff_wait at most, and says so: the dialog
// promises exactly that wait, and a banner on every screen shows that
// staff are coming, with Cancel for the guest and a way in for staff,
// whose PIN ends the call. The staff console's health view shows the call
// at once; a configured webhook or command is told too, in the background
// and without personal data.

// callStaff is the guest's "Call staff": a call starts unless one waits
// already, and the dialog says what happens now.
func (k *Kiosk) callStaff() {
	if k.call.Start() {
		since, _ := k.call.Waiting()
		k.idle.Stop()
		k.hideStillThere()
		if k.g != nil {
			k.g.calledStaff = true
		}
		k.rec.StaffCallsWaiting(1)
		k.log.Warn("guest asked for staff", "step", k.stepName())
		k.events.Add("a guest called staff (" + k.stepName() + ")")
		k.notify(notify.EventStaffCalled, since)
		k.showBanner()
	}
	k.showHelp()
}

// notify tells the configured hook, in the background: the screen never
// waits for it, and a failure is logged by the notifier.
func (k *Kiosk) notify(event string, since time.Time) {
	if k.opts.Notify == nil {
		return
	}
	k.opts.Notify.Send(notify.Event{Name: event, Time: k.now(), WaitingSince: since})
}

// staffWaitMinutes is kiosk.staff_wait in whole minutes, as the dialog
// promises it (never 0).
func (k *Kiosk) staffWaitMinutes() int {
	w := k.call.Wait
	if w <= 0 {
		w = flow.DefaultStaffWait
	}
	return max(1, int(w/time.Minute))
}

// endCall ends a waiting call with event (cancelled, answered, expired)
// and hides the banner; it reports false when no call was waiting.
func (k *Kiosk) endCall(event string) bool {
	since, _ := k.call.Waiting()
	waited, ok := k.call.End()
	if !ok {
		return false
	}
	k.rec.StaffCallsWaiting(0)
	k.log.Info("staff call ended", "how", event, "waited", waited.Round(time.Second).String())
	k.events.Add("staff call ended: " + event + " after " + waited.Round(time.Second).String())
	k.notify(event, since)
	k.hideBanner()
	return true
}

// cancelCall is the guest's Cancel: the call ends and the idle timer runs
// again from now.
func (k *Kiosk) cancelCall() {
	if k.endCall(notify.EventCallCancelled) {
		k.rearmIdle()
	}
}

// callExpired: nobody answered within kiosk.staff_wait. The session is
// reset as after an idle timeout.
func (k *Kiosk) callExpired() {
	k.rec.StaffCallsWaiting(0)
	k.log.Warn("nobody answered the guest's call for staff; session reset", "waited", k.call.Wait.String())
	k.events.Add("a guest's call for staff was not answered within " + k.call.Wait.String())
	k.notify(notify.EventCallExpired, time.Time{})
	k.hideBanner()
	if k.staffForCall && k.staff != nil {
		// Someone is at the PIN pad: close it; lock resets the guest.
		k.staffForCall = false
		k.staff.lock("staff call expired")
		return
	}
	k.resetGuest("staff_wait")
}

// staffEndsCall is the banner's way in for staff: the PIN pad, whose
// unlock ends the call (staffAnswered).
func (k *Kiosk) staffEndsCall() {
	k.staffForCall = true
	k.openStaff()
}

// staffAnswered is told, before each redraw of the staff screens, whether
// the staff console is open. Staff unlocking ends a waiting call; when
// they came in from the call's banner, the guest's screen comes back as it
// was (and true is returned: nothing to redraw).
func (k *Kiosk) staffAnswered(open bool) bool {
	if !open {
		return false
	}
	k.endCall(notify.EventStaffAnswered)
	if !k.staffForCall || k.staff == nil {
		return false
	}
	k.staff.lock("answered a guest's call") // resetGuest resumes the guest
	return true
}

// resumeGuest shows the guest's screen again after the staff screens
// opened from the call's banner, with the session as it was.
func (k *Kiosk) resumeGuest() {
	k.staffForCall = false
	k.onActivity = k.idle.Touch
	k.refreshBanner() // the call may still wait (the guest cancelled nothing)
	if k.g == nil || k.g.session.Step() == flow.StepAttract {
		k.show(k.attractScreen)
		return
	}
	k.rearmIdle()
	k.render()
}

// rearmIdle starts the idle timer when a guest is in the flow and no call
// waits (the done screen keeps its own timing).
func (k *Kiosk) rearmIdle() {
	if _, waiting := k.call.Waiting(); waiting || k.g == nil {
		return
	}
	switch k.g.session.Step() {
	case flow.StepAttract, flow.StepDone, flow.StepSubmit:
		return
	}
	k.idle.Start()
}

// callWaiting reports whether a guest waits for staff, and for how long.
func (k *Kiosk) callWaiting() (time.Duration, bool) {
	since, ok := k.call.Waiting()
	if !ok {
		return 0, false
	}
	return k.now().Sub(since), true
}

// showBanner puts "Staff are on their way" above every screen.
func (k *Kiosk) showBanner() {
	k.banner.Objects = []fyne.CanvasObject{k.bannerContent()}
	k.banner.Show()
	k.relayout()
}

func (k *Kiosk) hideBanner() {
	// Hidden, not just empty: the window's border lays out a padding
	// below a visible top even when it has no height.
	k.banner.Objects = nil
	k.banner.Hide()
	k.relayout()
}

// relayout lays the banner and the screen out again: the screen's height
// changes with the banner, and Fyne does not lay a parent out again for a
// child's new size.
func (k *Kiosk) relayout() {
	k.placeBanner()
	k.frame.Layout.Layout(k.frame.Objects, k.frame.Size())
}

// placeBanner puts the banner above the screen, or below it in "Easy
// reach", where nothing to tap stands in the top third.
func (k *Kiosk) placeBanner() {
	if k.modes().Reach {
		k.frame.Layout = layout.NewBorderLayout(nil, k.banner, nil, nil)
	} else {
		k.frame.Layout = layout.NewBorderLayout(k.banner, nil, nil, nil)
	}
}

// bannerContent is the banner in the current language.
func (k *Kiosk) bannerContent() fyne.CanvasObject {
	// One row, shrinking rather than wrapping: the banner takes its height
	// from every screen.
	text := newFitText(k.tr.T("help.waiting"), 24, theme.ColorNameForeground, 1, 240)
	text.bold, text.align = true, fyne.TextAlignLeading
	cancel := widget.NewButtonWithIcon(k.tr.T("help.cancel"), theme.CancelIcon(), k.cancelCall)
	cancel.Importance = widget.HighImportance
	staffIn := widget.NewButton(k.tr.T("help.end_call"), k.staffEndsCall)
	staffIn.Importance = widget.LowImportance
	bg := canvas.NewRectangle(colorAccent)
	row := container.NewBorder(nil, nil, nil, container.NewHBox(staffIn, cancel), text)
	return container.NewStack(bg, container.NewPadded(row))
}

// refreshBanner redraws the banner in the current language.
func (k *Kiosk) refreshBanner() {
	if _, ok := k.call.Waiting(); ok {
		k.showBanner()
	}
}

// guestHealthItems are the health view's rows on the guest side: a guest
// waiting for staff, at once and while the call waits.
func (k *Kiosk) guestHealthItems() []*widget.FormItem {
	var items []*widget.FormItem
	if waited, ok := k.callWaiting(); ok {
		// No label: a long one would narrow every row's value.
		items = append(items, widget.NewFormItem("",
			problemText(k.tr.T("staff.health.call", "min", fmt.Sprint(int(waited.Minutes()))))))
	}
	return items
}
