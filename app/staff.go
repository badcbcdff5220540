package app

import (
	"context"
	"errors"
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/internal/staffauth"
	"github.com/signet-kiosk/signet/outbox"
)

// staffView is the staff console of one kiosk: the PIN gate, whether it
// is open, the idle lock and what each screen shows. Every field is read
// and written on the UI goroutine only (background work hands its result
// over with k.do).
type staffView struct {
	k    *Kiosk
	gate *staffauth.Gate
	// gateErr is why the lockout could not be opened (state directory):
	// the console then stays locked.
	gateErr error

	open     bool // unlocked
	pin      string
	checking bool
	problem  string
	gen      int // bumped on every lock; late results of an older gen are dropped

	idleTimer flow.Timer
	idleEpoch int

	// Customers and documents.
	query     string
	searched  bool
	customers []mews.Customer
	customer  *mews.Customer
	docs      []mews.Document
	shown     map[string]bool // document ids whose number is shown
	form      *docForm
	busy      bool
	notice    string // a success message on the documents screen

	// Health.
	health *healthState
}

// console returns k's staff console, making it on first use.
func (k *Kiosk) staffView() *staffView {
	if k.staff != nil {
		return k.staff
	}
	c := &staffView{k: k, shown: map[string]bool{}}
	lock, err := staffauth.OpenLockout(k.opts.Staff.StateDir, k.now)
	if err != nil {
		k.log.Error("staff lockout state not available; the console stays locked", "err", err)
		c.gateErr = err
	}
	c.gate = &staffauth.Gate{Hash: k.opts.Config.Staff.PINHash.Reveal(), Demo: k.opts.Demo, Lockout: lock}
	k.staff = c
	return c
}

// now is the kiosk's wall time, for the lockout and the expiry check; tests
// set it through Options.Clock.
func (k *Kiosk) now() time.Time { return k.clock.Now() }

// enter shows the PIN pad; the console's idle lock takes over from the
// guest's idle timer.
func (c *staffView) enter() {
	c.pin, c.problem = "", ""
	c.k.onActivity = c.touch
	if c.open {
		c.armIdle()
		c.showCustomers()
		return
	}
	c.show(c.pinScreen)
}

// show replaces the screen, as k.show, for console screens.
func (c *staffView) show(build func() fyne.CanvasObject) { c.k.show(build) }

// touch re-arms the idle lock; it runs on any pointer movement and tap.
func (c *staffView) touch() {
	if !c.open {
		return
	}
	c.armIdle()
}

func (c *staffView) armIdle() {
	if c.idleTimer != nil {
		c.idleTimer.Stop()
	}
	c.idleEpoch++
	epoch := c.idleEpoch
	d := c.k.opts.Config.Staff.IdleTimeout.D()
	if d <= 0 {
		d = 2 * time.Minute
	}
	c.idleTimer = c.k.clock.AfterFunc(d, func() {
		c.k.do(func() {
			if c.open && c.idleEpoch == epoch {
				c.lock("idle")
			}
		})
	})
}

// lock closes the console and returns to the guest's attract screen.
func (c *staffView) lock(reason string) {
	k := c.k
	if c.idleTimer != nil {
		c.idleTimer.Stop()
		c.idleTimer = nil
	}
	c.stopHealth()
	k.stopCamera()
	wasOpen := c.open
	c.open, c.pin, c.problem, c.checking, c.busy = false, "", "", false, false
	c.gen++
	c.query, c.searched, c.customers, c.customer, c.docs, c.form, c.notice = "", false, nil, nil, nil, nil, ""
	c.shown = map[string]bool{}
	if wasOpen {
		k.log.Info("staff console locked", "reason", reason)
		k.events.add("staff console locked (" + reason + ")")
	}
	// A question or list left open must not stay over the guest's screen.
	ov := k.win.Canvas().Overlays()
	for top := ov.Top(); top != nil; top = ov.Top() {
		ov.Remove(top)
	}
	k.onActivity = k.idle.Touch
	k.resetGuest("staff " + reason)
}

// btn is a console button: it counts as activity for the idle lock.
func (c *staffView) btn(label string, icon fyne.Resource, tapped func()) *widget.Button {
	f := c.tapped(tapped)
	if icon != nil {
		return widget.NewButtonWithIcon(label, icon, f)
	}
	return widget.NewButton(label, f)
}

// tapped wraps a button's action so the tap counts as activity.
func (c *staffView) tapped(f func()) func() { return func() { c.touch(); f() } }

// async runs work off the UI goroutine and hands its result to done on
// it, unless the console was locked meanwhile.
func (c *staffView) async(work func(ctx context.Context) func()) {
	gen := c.gen
	c.busy, c.problem, c.notice = true, "", ""
	c.k.show(c.k.current)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		done := work(ctx)
		c.k.do(func() {
			if c.gen != gen {
				return
			}
			c.busy = false
			done()
			c.k.show(c.k.current)
		})
	}()
}

// problemFor is the sentence staff read for err: a Mews refusal (403) as
// Mews wrote it, else a translated sentence.
func (c *staffView) problemFor(err error) string {
	tr := c.k.tr
	var api *mews.APIError
	switch {
	case errors.As(err, &api) && api.Status == 403 && api.Message != "":
		return api.Message
	case errors.As(err, &api) && api.Status == 401:
		return tr.T("staff.error.unauthorized")
	case errors.As(err, &api) && api.Status < 500 && api.Status != 408 && api.Status != 429:
		return tr.T("staff.error.refused", "status", api.Status)
	case errors.Is(err, context.DeadlineExceeded):
		return tr.T("error.timeout")
	case errors.Is(err, mews.ErrInvalidInput):
		return tr.T("staff.error.invalid")
	}
	return tr.T("error.unreachable")
}

// screen lays out a staff screen: the badge, the title and the staff
// navigation on top, the body, and a bottom bar with back and a primary
// action; every tap counts as activity for the idle lock.
func (c *staffView) screen(title string, body fyne.CanvasObject, back, primary *action) fyne.CanvasObject {
	k := c.k
	badge := canvas.NewText("  "+k.tr.T("staff.badge")+"  ", colorPrimary)
	badge.TextSize = 18
	badge.TextStyle.Bold = true

	nav := container.NewHBox()
	if c.open {
		nav.Add(c.btn(k.tr.T("staff.nav.customers"), theme.AccountIcon(), func() { c.showCustomers() }))
		nav.Add(c.btn(k.tr.T("staff.nav.health"), theme.InfoIcon(), func() { c.showHealth() }))
		nav.Add(c.btn(k.tr.T("staff.nav.leave"), theme.LogoutIcon(), func() { c.confirmLeave() }))
		lockB := c.btn(k.tr.T("staff.nav.lock"), theme.VisibilityOffIcon(), func() { c.lock("locked by staff") })
		lockB.Importance = widget.HighImportance
		nav.Add(lockB)
	}
	header := container.NewBorder(nil, nil, container.NewHBox(container.NewCenter(badge), container.NewCenter(heading(title, 30))), nav)
	return k.layout(header, body, back, primary, bar{backWidth: 260, primaryWidth: 280, primaryIcon: theme.ConfirmIcon(), tap: c.tapped})
}

// --- PIN pad -------------------------------------------------------------

func (c *staffView) pinScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	toKiosk := &action{label: tr.T("staff.back_to_kiosk"), tapped: func() { c.lock("closed") }}

	if !c.gate.Configured() || c.gateErr != nil {
		msg := tr.T("staff.pin.not_set")
		if c.gateErr != nil {
			msg = tr.T("staff.pin.no_state")
		}
		cmd := widget.NewLabelWithStyle("signet config set-pin", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true, Bold: true})
		body := container.NewCenter(container.NewGridWrap(fyne.NewSize(760, 300), card(container.NewVBox(
			problemText(msg), cmd))))
		return c.screen(tr.T("staff.pin.title"), body, toKiosk, nil)
	}

	locked, left, attempts := false, time.Duration(0), staffauth.DefaultMaxFailures
	if c.gate.Lockout != nil {
		locked, left, attempts = c.gate.Lockout.Status()
	}
	dots := strings.Repeat("●", len([]rune(c.pin))) + strings.Repeat("○", max(0, staffauth.MinPINLength-len(c.pin)))
	shown := canvas.NewText(dots, colorInk)
	shown.TextSize = 48
	shown.Alignment = fyne.TextAlignCenter

	keys := container.NewGridWithColumns(3)
	press := func(d string) {
		if len(c.pin) < staffauth.MaxPINLength {
			c.pin += d
		}
		c.problem = ""
		c.show(c.pinScreen)
	}
	for _, d := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"} {
		d := d
		keys.Add(widget.NewButton(d, func() { press(d) }))
	}
	clear := widget.NewButton(tr.T("staff.pin.clear"), func() { c.pin = ""; c.show(c.pinScreen) })
	keys.Add(clear)
	keys.Add(widget.NewButton("0", func() { press("0") }))
	keys.Add(widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() {
		if c.pin != "" {
			c.pin = c.pin[:len(c.pin)-1]
		}
		c.show(c.pinScreen)
	}))
	pad := container.NewGridWrap(fyne.NewSize(3*110, 4*(MinTouch+12)), keys)
	if locked || c.checking {
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
		text := c.problem
		if attempts < staffauth.DefaultMaxFailures {
			text = strings.TrimSpace(text + " " + tr.T("staff.pin.attempts_left", "n", attempts))
		}
		if text != "" {
			msgs.Add(problemText(text))
		}
	}
	if c.checking {
		msgs.Add(container.NewCenter(widget.NewActivity()))
	}
	col := container.NewVBox(widget.NewLabelWithStyle(tr.T("staff.pin.enter"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}), shown,
		container.NewGridWrap(fyne.NewSize(560, 96), msgs), container.NewCenter(pad))
	if k.opts.Demo && c.gate.Hash == "" {
		col.Add(widget.NewLabelWithStyle(tr.T("staff.pin.demo", "pin", staffauth.DemoPIN), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	}
	body := container.NewCenter(container.NewGridWrap(fyne.NewSize(560, 580), col))
	unlock := &action{label: tr.T("staff.pin.unlock"), tapped: c.checkPIN,
		disabled: locked || c.checking || len(c.pin) < staffauth.MinPINLength}
	return c.screen(tr.T("staff.pin.title"), body, toKiosk, unlock)
}

// checkPIN verifies the typed PIN off the UI goroutine (argon2id takes a
// tenth of a second or more). Neither the PIN nor the hash is logged.
func (c *staffView) checkPIN() {
	k := c.k
	pin := c.pin
	c.pin, c.checking, c.problem = "", true, ""
	c.show(c.pinScreen)
	gen := c.gen
	gate := c.gate
	go func() {
		err := gate.Check(pin)
		k.do(func() {
			if c.gen != gen {
				return
			}
			c.checking = false
			switch {
			case err == nil:
				k.log.Info("staff console unlocked")
				k.events.add("staff console unlocked")
				c.open = true
				c.armIdle()
				c.showCustomers()
				return
			case errors.Is(err, staffauth.ErrLocked):
				k.log.Warn("staff PIN entry locked after too many wrong PINs")
				k.events.add("staff PIN entry locked")
			case errors.Is(err, staffauth.ErrWrongPIN):
				k.log.Warn("wrong staff PIN")
				k.events.add("wrong staff PIN")
				c.problem = k.tr.T("staff.pin.wrong")
			case errors.Is(err, staffauth.ErrBadHash):
				k.log.Error("staff PIN hash in the configuration cannot be read; run signet config set-pin")
				c.problem = k.tr.T("staff.pin.bad_hash")
			default:
				k.log.Error("staff PIN check failed", "err", err)
				c.problem = k.tr.T("staff.pin.bad_hash")
			}
			c.show(c.pinScreen)
		})
	}()
}

// --- Leave ---------------------------------------------------------------

// confirmLeave asks before quitting to the desktop: the only way out of
// the kiosk.
func (c *staffView) confirmLeave() {
	k := c.k
	c.confirm(k.tr.T("staff.leave.title"), k.tr.T("staff.leave.body"), k.tr.T("staff.leave.confirm"), func() {
		k.log.Info("kiosk closed from the staff console")
		k.events.add("kiosk closed by staff")
		c.stopHealth()
		k.stopCamera()
		k.app.Quit()
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

// StaffDeps is what the staff console needs beyond the guest flow's
// services. main fills it; fields may be nil when not configured.
type StaffDeps struct {
	// Mews manages customers' identity documents; nil when Mews is off.
	Mews *mews.Client
	// Outbox is the queue of submissions not yet sent; nil when none.
	Outbox *outbox.Outbox
	// StateDir holds the PIN lockout state.
	StateDir string
	// Version is shown on the health screen; "" shows "dev".
	Version string
	// ProbeBooking is the booking whose document types the health screen
	// reads to tell whether StoRegister answers; "" uses
	// storegister.test_booking (demo mode: the first demo booking).
	ProbeBooking string
	// Errors keeps the last warnings and errors for the health screen;
	// nil shows the recent events only.
	Errors *ErrorRing
}

// openStaff is the door to the staff console: the PIN pad first.
func (k *Kiosk) openStaff() {
	k.log.Info("staff entry requested")
	k.events.add("staff entry requested")
	k.hideStillThere()
	k.idle.Stop()
	k.stopCamera()
	k.staffView().enter()
}
