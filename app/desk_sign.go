package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/internal/staffauth"
	"github.com/signet-kiosk/signet/internal/xdisplay"
)

// Where the guest signs during an assisted move-in at a front desk
// (issue 20). With [desk] guest_display set, the signature is given on a
// second window on that monitor, facing the guest: the agreement and the
// signing pad, nothing else, while the staff's window shows progress. With
// none (or when that monitor is not there), staff turn their own screen to
// the guest: the console locks, the window shows only the signing view,
// and after it the staff sign in again to take the screen back and send.
// Either way the signature is taken by the kiosk's own Sign screen pieces
// (newSigning, acceptSignature) and sent by its own submission.

// guestThanksFor is how long the guest window says thank you before it
// closes.
const guestThanksFor = 4 * time.Second

// GuestDisplays finds the monitor that faces the guest and puts a window
// on it; the default asks X11 (internal/xdisplay), tests pass a fake.
type GuestDisplays interface {
	Monitors() ([]xdisplay.Monitor, error)
	Place(w fyne.Window, m xdisplay.Monitor) error
}

// x11Displays is GuestDisplays on the real driver: the window's X11 handle
// from Fyne (driver.NativeWindow) handed to internal/xdisplay.
type x11Displays struct{}

func (x11Displays) Monitors() ([]xdisplay.Monitor, error) { return xdisplay.Monitors() }

func (x11Displays) Place(w fyne.Window, m xdisplay.Monitor) error {
	return onX11(w, func(h uintptr) error { return xdisplay.Place(h, m) })
}

// Position is where the top left of w's frame is (the desk window's
// place, desk.go).
func (x11Displays) Position(w fyne.Window) (x, y int, err error) {
	err = onX11(w, func(h uintptr) (e error) { x, y, e = xdisplay.Position(h); return e })
	return x, y, err
}

// Move puts the top left of w's frame at x, y.
func (x11Displays) Move(w fyne.Window, x, y int) error {
	return onX11(w, func(h uintptr) error { return xdisplay.Move(h, x, y) })
}

// onX11 runs f with w's X11 window, or returns ErrUnsupported when w has
// none (another driver, Wayland, not shown yet).
func onX11(w fyne.Window, f func(uintptr) error) error {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return xdisplay.ErrUnsupported
	}
	err := xdisplay.ErrUnsupported
	nw.RunNative(func(ctx any) {
		if x, ok := ctx.(driver.X11WindowContext); ok && x.WindowHandle != 0 {
			err = f(x.WindowHandle)
		}
	})
	return err
}

// signStage is where a desk's signature step is.
type signStage int

const (
	signHandover signStage = iota // one screen: staff are to turn it to the guest
	signRemote                    // the guest signs on the guest window; staff watch
	signGuest                     // one screen: the guest holds it, the console locked
	signGiveBack                  // one screen: the guest is done; staff sign in to take it back
	signSent                      // signed on the guest window: the submission runs
)

// deskSign is one guest's signature step at the desk.
type deskSign struct {
	g       *guest // whose signature: a new guest starts afresh
	stage   signStage
	win     fyne.Window // the guest window, while it is open
	problem string      // why the guest screen is not used, in the screen's language
	account staffauth.Account
	thanks  flow.Timer
}

// signScreen is the desk's signature step (the session's StepSignature),
// drawn in the desk's window.
func (c *staffView) signScreen() fyne.CanvasObject {
	sg := c.sign
	if sg == nil || sg.g != c.k.g {
		sg = c.beginSigning()
	}
	switch sg.stage {
	case signRemote, signSent:
		return c.remoteScreen(sg)
	case signGuest:
		return c.guestView(sg, c.k.win.Canvas, c.k.idle.Touch, func() { c.givenBack(sg, false) }, 1)
	case signGiveBack:
		return c.deskPINScreen()
	}
	return c.handoverScreen(sg)
}

// beginSigning starts the signature step: on the guest display when one
// is configured and there, else with the one-screen handover.
func (c *staffView) beginSigning() *deskSign {
	k := c.k
	c.endSigning()
	sg := &deskSign{g: k.g, stage: signHandover, account: c.s.Account}
	c.sign = sg
	spec, err := xdisplay.ParseSpec(k.opts.Config.Desk.GuestDisplay) // checked at start
	if err != nil || spec.IsZero() {
		return sg
	}
	if err := c.openGuestWindow(sg, spec); err != nil {
		k.log.Warn("guest display not used: the guest signs on the desk's screen", "display", spec.String(), "err", err)
		k.events.Add("guest display " + spec.String() + " not found")
		sg.problem = k.tr.T("desk.sign.no_display", "display", spec.String())
		return sg
	}
	sg.stage = signRemote
	k.log.Info("guest signing on the guest display", "display", spec.String(), c.s.Account.Attr())
	return sg
}

// displays is the configured GuestDisplays, or X11's.
func (k *Kiosk) displays() GuestDisplays {
	if k.opts.Displays != nil {
		return k.opts.Displays
	}
	return x11Displays{}
}

// openGuestWindow opens the guest's window on the monitor spec names.
func (c *staffView) openGuestWindow(sg *deskSign, spec xdisplay.Spec) error {
	k := c.k
	ms, err := k.displays().Monitors()
	if err != nil {
		return err
	}
	m, ok := spec.Find(ms)
	if !ok {
		return fmt.Errorf("not among the monitors: %s", xdisplay.Names(ms))
	}
	w := k.app.NewWindow(Title + " — " + k.tr.T("desk.sign.guest_title"))
	w.SetIcon(ResourceIcon)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(float32(m.Width), float32(m.Height)))
	w.SetContent(c.guestWindowContent(sg, w))
	w.SetOnClosed(func() { c.guestWindowClosed(sg, w) })
	w.Show()
	// Not SetFullScreen: GLFW would pick the monitor itself.
	if err := k.displays().Place(w, m); err != nil {
		w.Close()
		return fmt.Errorf("placing the window on %v: %w", m, err)
	}
	sg.win = w
	return nil
}

// guestWindowContent is the guest window's: the signing view in the
// kiosk's touch sizes, under a layer that counts the guest's activity
// against the console's idle lock.
func (c *staffView) guestWindowContent(sg *deskSign, w fyne.Window) fyne.CanvasObject {
	// The kiosk's sizes: the theme override's for Fyne's widgets, and
	// for our fitted texts, which scale by the app's theme (the desk's).
	view := c.guestView(sg, w.Canvas, c.touch, nil, baseTextSize/theme.Size(theme.SizeNameText))
	return container.NewStack(container.NewThemeOverride(view, kioskTheme{}), newActivityLayer(false, c.touch))
}

// guestView is what the guest sees to sign: the Sign screen's title,
// statement, agreement and pad, and "Sign and send"; no staff controls and
// no guest controls that would leave the step. giveBack, when not nil, is
// the guest's way to hand the screen back without signing. scale
// multiplies the title's and the buttons' sizes.
func (c *staffView) guestView(sg *deskSign, cv func() fyne.Canvas, touch func(), giveBack func(), scale float32) fyne.CanvasObject {
	k := c.k
	sgn := k.newSigning(cv, touch)
	title := newFitText(k.tr.T("sign.title"), 32*scale, theme.ColorNameForeground, 2, 180)
	title.bold, title.align = true, fyne.TextAlignLeading
	var back *action
	if giveBack != nil {
		back = &action{label: k.tr.T("desk.sign.give_back"), tapped: func() { touch(); giveBack() }}
	}
	sign := &action{label: k.tr.T("sign.submit"), disabled: sgn.err != nil, tapped: func() {
		touch()
		if c.sign == sg && k.acceptSignature(sgn) {
			c.guestSigned(sg)
		}
	}}
	b := guestBar
	b.primaryIcon, b.labelSize = theme.ConfirmIcon(), 24*scale
	return k.layout(title, sgn.body, back, sign, b)
}

// moveInScreen lays out a staff screen within a move-in: the badge and
// the title, the body, Back and a primary action (Escape and Enter), and
// no console navigation, which would leave the move-in half done.
func (c *staffView) moveInScreen(title string, body fyne.CanvasObject, back, primary *action) fyne.CanvasObject {
	k := c.k
	badge := textOf("  "+k.tr.T("staff.badge")+"  ", theme.Size(theme.SizeNameCaptionText), colorPrimary)
	badge.TextStyle.Bold = true
	// At the desk's heading size: fitted texts scale by the guest's text
	// size, which the desk's theme sets smaller.
	t := newFitText(title, theme.Size(theme.SizeNameSubHeadingText)/textScale(), theme.ColorNameForeground, 2, 180)
	t.bold, t.align = true, fyne.TextAlignLeading
	header := container.NewBorder(nil, nil, container.NewCenter(badge), nil, t)
	c.backAction, c.primaryAction = back, primary
	b := bar{backWidth: 240, primaryWidth: 240, primaryIcon: theme.ConfirmIcon(), tap: c.tapped}
	return k.layout(header, body, back, primary, b)
}

// remoteScreen is the staff's while the guest signs on the guest window.
func (c *staffView) remoteScreen(sg *deskSign) fyne.CanvasObject {
	k := c.k
	if sg.stage == signSent {
		return c.moveInScreen(k.tr.T("desk.sign.remote_title"), container.NewVBox(card(c.waitRow(k.tr.T("submit.sending")))), nil, nil)
	}
	body := container.NewVBox(card(container.NewVBox(c.waitRow(k.tr.T("desk.sign.remote_body")), message(k.tr.T("desk.sign.remote_note")))))
	cancel := &action{label: k.tr.T("desk.sign.cancel"), tapped: func() { c.cancelSigning(sg, "cancelled by staff") }}
	return c.moveInScreen(k.tr.T("desk.sign.remote_title"), body, cancel, nil)
}

// handoverScreen asks staff to turn the screen to the guest; Hand over
// locks the console and shows the signing view alone.
func (c *staffView) handoverScreen(sg *deskSign) fyne.CanvasObject {
	k := c.k
	rows := container.NewVBox()
	if sg.problem != "" {
		rows.Add(problemText(sg.problem))
	}
	rows.Add(message(k.tr.T("desk.sign.handover_body")))
	if k.opts.Config.Desk.GuestDisplay != "" {
		retry := c.btn(k.tr.T("desk.sign.retry"), theme.ViewRefreshIcon(), func() {
			c.endSigning()
			k.render()
		})
		rows.Add(container.NewHBox(retry))
	}
	icon := canvas.NewImageFromResource(theme.ComputerIcon())
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(96))
	body := container.NewVBox(container.NewCenter(icon), card(rows))
	back := &action{label: k.tr.T("common.back"), tapped: func() { c.cancelSigning(sg, "back") }}
	hand := &action{label: k.tr.T("desk.sign.hand_over"), tapped: func() { c.handOver(sg) }}
	return c.moveInScreen(k.tr.T("desk.sign.handover_title"), body, back, hand)
}

// handOver gives the screen to the guest: the console locks (whoever holds
// the screen cannot reach it, nor its shortcuts), the guest's idle timer
// runs as at the kiosk, and closing the window is refused.
func (c *staffView) handOver(sg *deskSign) {
	k := c.k
	sg.account = c.s.Account
	k.log.Info("screen handed to the guest to sign", sg.account.Attr())
	c.endScan()
	c.s.Lock("handed to the guest")
	c.searchEntry = nil
	sg.stage = signGuest
	k.onActivity = k.idle.Touch
	k.idle.Start()
	k.win.SetCloseIntercept(func() {})
	k.win.Canvas().Unfocus()
	k.render()
}

// guestSigned: the session holds the signature. On the guest window the
// guest is thanked and the submission starts; on one screen the guest
// gives the screen back first.
func (c *staffView) guestSigned(sg *deskSign) {
	k := c.k
	if sg.stage == signRemote {
		sg.stage = signSent
		k.log.Info("guest signed on the guest display", c.s.Account.Attr())
		if w := sg.win; w != nil {
			w.SetContent(c.thanksView(w))
			sg.thanks = k.clock.AfterFunc(guestThanksFor, func() {
				k.do(func() {
					if sg.win == w {
						c.closeGuestWindow(sg)
					}
				})
			})
		}
		k.submit()
		return
	}
	// On one screen too the move-in is sent at once, so that a signed
	// move-in is not lost if the app stops before staff take the screen
	// back: the give-back step shows meanwhile, and staff find the result
	// (sent, queued or failed) after their PIN.
	c.givenBack(sg, true)
	k.submit()
}

// givenBack ends the guest's hold of the one screen: it asks them to give
// it back, and staff sign in to go on (resumeMoveIn). A signature given
// is being sent meanwhile (guestSigned).
func (c *staffView) givenBack(sg *deskSign, signed bool) {
	k := c.k
	if signed {
		k.log.Info("guest signed on the desk's screen")
	} else {
		k.log.Info("guest gave the screen back without signing")
	}
	k.idle.Stop()
	k.hideStillThere()
	sg.stage = signGiveBack
	k.onActivity = c.touch
	c.redraw()
}

// thanksView is the guest window once the guest has signed.
func (c *staffView) thanksView(w fyne.Window) fyne.CanvasObject {
	k := c.k
	big := newFitText(k.tr.T("done.thanks"), 44*baseTextSize/theme.Size(theme.SizeNameText), theme.ColorNamePrimary, 1, 600)
	big.bold = true
	text := message(k.tr.T("desk.sign.thanks"))
	text.Alignment = fyne.TextAlignCenter
	body := container.NewVBox(big, text)
	return container.NewThemeOverride(container.NewCenter(container.New(widthOf{min(700, w.Canvas().Size().Width-64)}, body)), kioskTheme{})
}

// resumeMoveIn is the console's redraw during a move-in's signature: it
// reports true when it drew the move-in instead of a console screen.
// Staff signing back in after a one-screen handover find the submission
// sent since the guest signed, under way or done (or, without a
// signature, the handover screen again).
func (c *staffView) resumeMoveIn() bool {
	k, sg := c.k, c.sign
	if !c.movingIn || sg == nil || sg.g != k.g {
		return false
	}
	switch {
	case sg.stage == signGuest:
		k.render()
		return true
	case sg.stage == signGiveBack && c.s.Open:
		k.win.SetCloseIntercept(nil)
		k.win.Canvas().Unfocus()
		k.onActivity = c.touch
		k.log.Info("screen given back to staff", c.s.Account.Attr())
		if k.g.session.Step() != flow.StepSignature { // signed: sent since (guestSigned)
			sg.stage = signSent
			if k.g.session.Step() == flow.StepDone {
				// The done screen's countdown starts now (givingBack).
				k.booking().doneAt = k.clock.Now().Add(k.opts.Config.Kiosk.DoneTimeout.D())
			}
			k.render()
			return true
		}
		sg.stage, sg.problem = signHandover, ""
		k.render()
		return true
	}
	return false
}

// cancelSigning ends the signature step without a signature: the guest
// window closes and the move-in goes back to the details.
func (c *staffView) cancelSigning(sg *deskSign, reason string) {
	k := c.k
	if c.sign != sg {
		return
	}
	k.log.Info("guest signing ended", "reason", reason, c.s.Account.Attr())
	c.endSigning()
	if k.g.session.Step() == flow.StepSignature {
		k.g.session.Back()
	}
	k.render()
}

// guestWindowClosed: the guest window was closed from outside (its
// window manager, the guest) before the guest signed. Staff are told, and
// may open it again or hand over their screen.
func (c *staffView) guestWindowClosed(sg *deskSign, w fyne.Window) {
	if sg.win != w {
		return // closed by us
	}
	sg.win = nil
	if c.sign != sg || sg.stage != signRemote {
		return
	}
	k := c.k
	k.log.Warn("guest window closed before the guest signed", c.s.Account.Attr())
	sg.stage, sg.problem = signHandover, k.tr.T("desk.sign.closed")
	k.render()
}

// closeGuestWindow closes the guest window, if open.
func (c *staffView) closeGuestWindow(sg *deskSign) {
	if sg.thanks != nil {
		sg.thanks.Stop()
		sg.thanks = nil
	}
	if w := sg.win; w != nil {
		sg.win = nil
		w.Close()
	}
}

// endSigning forgets the signature step: the guest window closes and the
// desk's window closes again as usual. Nothing of the guest is kept here:
// the signature, once given, is the session's.
func (c *staffView) endSigning() {
	if sg := c.sign; sg != nil {
		c.sign = nil
		c.closeGuestWindow(sg)
	}
	c.k.win.SetCloseIntercept(nil)
}

// guestHolds reports whether the guest holds the desk's own screen.
func (c *staffView) guestHolds() bool {
	return c.movingIn && c.sign != nil && c.sign.stage == signGuest
}

// givingBack reports whether the desk's window is the give-back step:
// the guest is done with the one screen and staff have yet to sign in.
// The submission's redraws leave that screen be (render), and the done
// screen's countdown waits for the staff (scheduleDoneReset).
func (k *Kiosk) givingBack() bool {
	if !k.opts.Desk || k.staff == nil {
		return false
	}
	c := k.staff
	return c.movingIn && c.sign != nil && c.sign.g == k.g && c.sign.stage == signGiveBack
}

// giveBackNote is the give-back step's sentence over the desk's lock, or
// nil when the lock is not that step.
func (c *staffView) giveBackNote() fyne.CanvasObject {
	sg := c.sign
	if !c.movingIn || sg == nil || sg.stage != signGiveBack {
		return nil
	}
	t := newFitText(c.k.tr.T("desk.sign.give_back_title"), theme.Size(theme.SizeNameHeadingText)/textScale(), theme.ColorNamePrimary, 3, 600)
	t.bold = true
	return container.NewVBox(t, message(c.k.tr.T("desk.sign.give_back_body")), widget.NewSeparator())
}

// consoleKeys reports whether Escape and Enter reach the screen's Back and
// primary action. During a move-in they do only on the staff's own
// screens (the signature's handover and progress, and the desk's lock):
// on the guest's screens the console's last actions are stale, and
// whoever holds the screen must not reach them.
func (c *staffView) consoleKeys() bool {
	if !c.movingIn {
		return true
	}
	if !c.s.Open {
		return !c.guestHolds()
	}
	sg := c.sign
	return sg != nil && sg.g == c.k.g && c.k.g.session.Step() == flow.StepSignature &&
		(sg.stage == signHandover || sg.stage == signRemote)
}
