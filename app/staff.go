package app

import (
	"context"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/capture/scan"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/staffauth"
	"github.com/signet-kiosk/signet/outbox"
)

// staffView draws the staff side of one kiosk (a staff.Session, which
// holds the logic) and keeps what only the screens need: the camera's
// scan-to-fill. Every field is read and written on the UI goroutine.
type staffView struct {
	k *Kiosk
	s *staff.Session

	// The scan-to-fill under way, and the overlay it draws on.
	scan        *scan.Loop
	scanCancel  context.CancelFunc
	scanOverlay *kwidget.ScanOverlay

	// The finger-scrolled lists of the screen shown, by name, kept across
	// its redraws (the health screen's is once a second) so a list stays
	// where staff scrolled it and a drag under way goes on; shownKind is
	// that screen, and another screen starts them afresh.
	scrolls   map[string]*kwidget.DragScroll
	shownKind string

	// What the health screen says of the storage agreement, read when it
	// opens; termsOK is false when some language falls back to English.
	termsLine string
	termsOK   bool

	// The screen shown's back and primary actions (Escape and Enter at a
	// desk), its search field (Ctrl+F), and the field to focus once it is
	// shown.
	backAction, primaryAction *action
	searchEntry               *staffEntry
	focusNext                 fyne.Focusable
	// deskName is the account picked on a desk's lock screen.
	deskName string
	// movingIn is set while a desk runs a guest's move-in (desk.go).
	movingIn bool
	// sign is the move-in's signature step at a desk (desk_sign.go).
	sign *deskSign
	// spinner is the staff screens' one activity indicator, kept across
	// redraws so it turns without a jump.
	spinner *kwidget.Spinner
}

// waitRow is the activity indicator beside text, for a wait under way.
func (c *staffView) waitRow(text string) fyne.CanvasObject {
	if c.spinner == nil {
		c.spinner = kwidget.NewSpinner()
	}
	c.spinner.Start()
	return container.NewBorder(nil, nil, c.spinner, nil, message(text))
}

// staffView returns k's staff screens, making them on first use.
func (k *Kiosk) staffView() *staffView {
	if k.staff != nil {
		return k.staff
	}
	c := &staffView{k: k}
	// Each person's own PIN; the single PIN of earlier versions is the
	// account "staff".
	accts, err := k.opts.Config.Staff.AuthAccounts()
	c.s = staff.New(staff.Options{Accounts: accts, AccountsErr: err, Demo: k.opts.Demo, Metrics: k.opts.Staff.Metrics,
		StateDir: k.opts.Staff.StateDir, IdleTimeout: k.opts.Config.Staff.IdleTimeout.D(), Clock: k.clock,
		Mews: k.opts.Staff.Mews, Booking: k.opts.Services.Booking, Log: k.log, Events: k.events,
		Do: k.do, Changed: c.redraw, OnIdle: func() { c.lock("idle") }})
	k.staff = c
	return c
}

// enter shows the PIN pad, or where an open session was; the staff idle
// lock takes over from the guest's idle timer.
func (c *staffView) enter() {
	c.s.Enter()
	c.k.onActivity = c.touch
	if c.s.Open {
		c.s.ShowCustomers()
	}
	c.redraw()
}

// show shows one staff screen, whatever the session is on.
func (c *staffView) show(build func() fyne.CanvasObject) { c.k.show(build) }

// redraw shows the screen the session is on.
func (c *staffView) redraw() {
	if c.k.staffAnswered(c.s.Open) { // a guest's call ends with the unlock (helper sign)
		return
	}
	if c.resumeMoveIn() { // a desk's move-in, signing (desk_sign.go)
		return
	}
	c.focusNext = nil
	if c.spinner != nil {
		c.spinner.Stop() // turns again if the new screen still waits
	}
	c.k.show(c.current)
	if f := c.focusNext; f != nil {
		c.focusNext = nil
		c.k.win.Canvas().Focus(f)
	} else if c.desk() {
		// The field that had the keyboard may be gone with the old screen.
		c.k.win.Canvas().Unfocus()
	}
}

// current builds the screen the session is on. Only the scan and the
// health screen keep the camera.
func (c *staffView) current() fyne.CanvasObject {
	s := c.s
	scanning := s.Form != nil && s.Form.Scanning
	if !scanning {
		c.endScan()
	}
	if s.Health == nil && !scanning {
		c.k.stopCamera()
	}
	kind, build := "customers", c.customersScreen
	switch {
	case !s.Open && c.desk():
		kind, build = "pin", c.deskPINScreen
	case !s.Open:
		kind, build = "pin", c.pinScreen
	case s.Health != nil:
		kind, build = "health", c.healthScreen
	case scanning:
		kind, build = "scan", c.scanScreen
	case s.Form != nil:
		kind, build = "form", c.formScreen
	case s.Customer != nil:
		kind, build = "documents", c.documentsScreen
	}
	if kind != c.shownKind {
		c.shownKind, c.scrolls = kind, nil
	}
	return build()
}

// scroll is a list of the current screen that a finger drag scrolls. The
// same name on the next redraw of that screen gets the same scroller with
// the new content, at the same place.
func (c *staffView) scroll(name string, content fyne.CanvasObject) *kwidget.DragScroll {
	if s := c.scrolls[name]; s != nil {
		// Sized before the refresh, or the scroller would find it smaller
		// than itself and go back to the top.
		content.Resize(content.MinSize().Max(s.Size()))
		s.Content = content
		s.Refresh()
		return s
	}
	s := kwidget.NewDragScroll(content, fyne.Position{})
	s.OnScrolled = func(fyne.Position) { c.touch() }
	if c.scrolls == nil {
		c.scrolls = map[string]*kwidget.DragScroll{}
	}
	c.scrolls[name] = s
	return s
}

// say is a note in the staff's language.
func (c *staffView) say(n staff.Note) string {
	if n.Text != "" || n.Key == "" {
		return n.Text
	}
	args := append([]any(nil), n.Args...)
	for i, a := range args {
		if sub, ok := a.(staff.Note); ok { // a sentence within the sentence
			args[i] = c.say(sub)
		}
	}
	return c.k.tr.T(n.Key, args...)
}

// status is what a screen shows of the request under way, or of the last
// one's problem; nil when there is neither.
func (c *staffView) status() fyne.CanvasObject {
	switch {
	case c.s.Busy():
		return c.waitRow(c.k.tr.T("staff.working"))
	case !c.s.Problem.IsZero():
		return problemText(c.say(c.s.Problem))
	}
	return nil
}

// touch re-arms the idle lock; it runs on any pointer movement and tap.
func (c *staffView) touch() { c.s.Touch() }

// lock closes the session and returns to the guest's attract screen.
func (c *staffView) lock(reason string) {
	k := c.k
	c.endScan()
	k.stopCamera()
	c.s.Lock(reason)
	// A question or list left open must not stay over the guest's screen.
	ov := k.win.Canvas().Overlays()
	for top := ov.Top(); top != nil; top = ov.Top() {
		ov.Remove(top)
	}
	if c.desk() {
		// A desk has no guest behind the console: back to its lock, and a
		// move-in under way is wiped as the kiosk's idle reset does.
		c.searchEntry = nil
		if c.movingIn {
			k.resetGuest("staff " + reason)
			return
		}
		c.redraw()
		return
	}
	k.onActivity = k.idle.Touch
	k.resetGuest("staff " + reason)
}

// btn is a staff button: it counts as activity for the idle lock.
func (c *staffView) btn(label string, icon fyne.Resource, tapped func()) *widget.Button {
	f := c.tapped(tapped)
	if icon != nil {
		return widget.NewButtonWithIcon(label, icon, f)
	}
	return widget.NewButton(label, f)
}

// tapped wraps a button's action so the tap counts as activity.
func (c *staffView) tapped(f func()) func() { return func() { c.touch(); f() } }

// do runs a session method for a tap and redraws.
func (c *staffView) do(f func()) func() { return func() { f(); c.redraw() } }

// screen lays out a staff screen: the badge, the title and the staff
// navigation on top, the body, and a bottom bar with back and a primary
// action; every tap counts as activity for the idle lock.
func (c *staffView) screen(title string, body fyne.CanvasObject, back, primary *action) fyne.CanvasObject {
	return c.screenWith(title, body, back, primary, false)
}

// screenWith is screen with Back at the top right instead of in the
// bottom bar when topBack is set (the lock: the bar holds Unlock and the
// demo badge, which together with Back outgrow 1280 in Dutch).
func (c *staffView) screenWith(title string, body fyne.CanvasObject, back, primary *action, topBack bool) fyne.CanvasObject {
	k := c.k
	// The theme's sizes: the kiosk's touch sizes, or a desk's.
	badge := textOf("  "+k.tr.T("staff.badge")+"  ", theme.Size(theme.SizeNameCaptionText), colorPrimary)
	badge.TextStyle.Bold = true

	nav := container.NewHBox()
	if c.s.Open {
		if c.desk() {
			nav.Add(c.btn(k.tr.T("desk.move_in"), theme.DocumentCreateIcon(), func() { c.startMoveIn() }))
		}
		nav.Add(c.btn(k.tr.T("staff.nav.customers"), theme.AccountIcon(), c.do(c.s.ShowCustomers)))
		nav.Add(c.btn(k.tr.T("staff.nav.health"), theme.InfoIcon(), func() { c.showHealth() }))
		lockB := c.btn(k.tr.T("staff.nav.lock"), theme.VisibilityOffIcon(), func() { c.lock("locked by staff") })
		lockB.Importance = widget.HighImportance
		nav.Add(lockB)
	}
	barBack := back
	if topBack && back != nil {
		nav.Add(c.btn(back.label, theme.NavigateBackIcon(), back.tapped))
		barBack = nil
	}
	// The navigation goes below the title where both do not fit a row.
	header := newWrapRow(true, container.NewHBox(container.NewCenter(badge), container.NewCenter(heading(title, theme.Size(theme.SizeNameSubHeadingText)))), nav)
	c.backAction, c.primaryAction = back, primary
	b := bar{backWidth: 280, primaryWidth: 280, primaryIcon: theme.ConfirmIcon(), tap: c.tapped}
	if c.desk() {
		b.backWidth, b.primaryWidth = 200, 200
	}
	return k.layout(header, body, barBack, primary, b)
}

// --- PIN pad -------------------------------------------------------------

func (c *staffView) pinScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	s := c.s
	toKiosk := &action{label: tr.T("staff.back_to_kiosk"), tapped: func() { c.lock("closed") }}

	if why := s.Unusable(); !why.IsZero() {
		return c.screen(tr.T("staff.pin.title"), c.noPINBody(why), toKiosk, nil)
	}

	locked, left, attempts := s.Lockout()
	shown := textOf(s.Dots(), 48, colorInk)
	shown.Alignment = fyne.TextAlignCenter

	keys := container.NewGridWithColumns(3)
	for _, d := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		keys.Add(widget.NewButton(d, c.do(func() { s.Press(d) })))
	}
	keys.Add(widget.NewButton(tr.T("staff.pin.clear"), c.do(s.ClearPIN)))
	keys.Add(widget.NewButton("0", c.do(func() { s.Press("0") })))
	keys.Add(widget.NewButtonWithIcon("", theme.NavigateBackIcon(), c.do(s.Backspace)))
	pad := container.NewGridWrap(fyne.NewSize(3*110, 4*(MinTouch+4)), keys)
	if locked || s.Checking {
		for _, o := range keys.Objects {
			o.(*widget.Button).Disable()
		}
	}

	// Messages sit in a fixed area so the keypad never moves under a finger.
	msgs := container.NewVBox()
	switch {
	case locked:
		mins := int(math.Ceil(left.Minutes()))
		msgs.Add(problemText(tr.T("staff.pin.locked", "minutes", mins)))
	default:
		text := c.say(s.Problem)
		if attempts < staffauth.DefaultMaxFailures {
			text = strings.TrimSpace(text + " " + tr.T("staff.pin.attempts_left", "n", attempts))
		}
		if text != "" {
			msgs.Add(problemText(text))
		}
	}
	if s.Checking {
		msgs.Add(c.waitRow(tr.T("staff.working")))
	}
	// The demo PIN shares the prompt's row: the pad then fits 768 high
	// with the bottom bar's demo badge on two rows.
	prompt := tr.T("staff.pin.enter")
	if pin := s.DemoPIN(); pin != "" {
		prompt += " · " + tr.T("staff.pin.demo", "pin", pin)
	}
	col := container.NewVBox(widget.NewLabelWithStyle(prompt, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}), shown,
		container.NewGridWrap(fyne.NewSize(560, 80), msgs), container.NewCenter(pad))
	// 560 wide, as tall as its rows: a size measured here, before the
	// window lays it out, can be taller than the real one.
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(560, 0))
	body := container.NewCenter(container.NewStack(width, col))
	unlock := &action{label: tr.T("staff.pin.unlock"), tapped: c.do(s.Unlock), disabled: !s.CanUnlock()}
	return c.screenWith(tr.T("staff.pin.title"), body, toKiosk, unlock, true)
}

// noPINBody says why no PIN can open the console, and the command that
// sets one up.
func (c *staffView) noPINBody(why staff.Note) fyne.CanvasObject {
	line := "signet config add-staff --name NAME"
	if why.Key == "staff.pin.bad_hash" {
		line = "signet config set-pin --name NAME"
	}
	cmd := widget.NewLabelWithStyle(line, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
	cmd.Wrapping = fyne.TextWrapBreak
	// As tall as the sentence needs in the language shown.
	return container.NewVBox(card(container.NewVBox(problemText(c.say(why)), cmd)))
}

// --- Leave ---------------------------------------------------------------

// confirmLeave asks before quitting to the desktop: the only way out of
// the kiosk.
func (c *staffView) confirmLeave() {
	k := c.k
	c.confirm(k.tr.T("staff.leave.title"), k.tr.T("staff.leave.body"), k.tr.T("staff.leave.confirm"), func() {
		c.s.Leave()
		c.endScan()
		k.stopCamera()
		k.quit()
	})
}

// confirm shows a modal question with Cancel and a dangerous action.
func (c *staffView) confirm(title, body, yes string, onYes func()) *widget.PopUp {
	k := c.k
	var pop *widget.PopUp
	t := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	b := message(body)
	b.Alignment = fyne.TextAlignCenter
	cancel := c.btn(k.tr.T("common.cancel"), nil, func() { pop.Hide() })
	ok := c.btn(yes, theme.WarningIcon(), func() { pop.Hide(); onYes() })
	ok.Importance = widget.DangerImportance
	buttons := container.NewGridWithColumns(2, cancel, ok)
	content := container.NewVBox(t, b, container.NewGridWrap(fyne.NewSize(620, MinTouch+8), buttons))
	pop = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(660, 320), container.NewPadded(content)), k.win.Canvas())
	pop.Show()
	return pop
}

// StaffDeps is what the staff side needs beyond the guest flow's
// services. main fills it; fields may be nil when not configured.
type StaffDeps struct {
	// Mews manages customers' identity documents; nil when Mews is off.
	Mews *mews.Client
	// Outbox is the queue of submissions not yet sent; nil when none.
	Outbox *outbox.Outbox
	// StateDir holds the PIN lockout state.
	StateDir string
	// WindowDir holds the desk window's size and place (desk.go); ""
	// is StateDir.
	WindowDir string
	// Version is shown on the health screen; "" shows "dev".
	Version string
	// ProbeBooking is the booking whose document types the health screen
	// reads to tell whether StoRegister answers; "" uses
	// storegister.test_booking (demo mode: the first demo booking).
	ProbeBooking string
	// Errors keeps the last warnings and errors for the health screen;
	// nil shows the recent events only.
	Errors *staff.ErrorRing
	// Metrics counts staff logins by result; nil records nothing.
	Metrics metrics.Recorder
	// Captures lists the last capture attempts' scores for the health
	// screen (metrics.Metrics.Captures); nil shows none.
	Captures func() []metrics.Capture
}

// openStaff is the door to the staff side: the PIN pad first.
func (k *Kiosk) openStaff() {
	k.log.Info("staff entry requested")
	k.events.Add("staff entry requested")
	k.hideStillThere()
	k.hideBanner() // the call shows in the health view; back on the guest's screen, the banner (helper sign)
	k.idle.Stop()
	k.stopCamera()
	k.staffView().enter()
}
