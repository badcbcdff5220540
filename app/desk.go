package app

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/internal/staffauth"
	"github.com/signet-kiosk/signet/internal/xdisplay"
)

// Desk mode (`signet desk`, mode = "desk"): the staff console alone, in a
// normal resizable window on a front desk's PC, for a keyboard and a
// mouse first. Staff pick their name and type their own PIN; the console
// locks back to that screen after staff.idle_timeout. There is no guest
// flow behind it.

// deskWindowFile keeps the desk window's size and place in the state
// directory (StaffDeps.WindowDir).
const deskWindowFile = "desk-window.json"

// deskDefaultSize is the desk window's size the first time: one that fits
// the smallest desk screen (Fyne 2.7 cannot ask the screen's size).
var deskDefaultSize = fyne.NewSize(1000, 700)

// deskTheme has the kiosk's colours at a desktop's sizes.
type deskTheme struct{ kioskTheme }

func (t deskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 15
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameSubHeadingText:
		return 19
	case theme.SizeNameCaptionText:
		return 12
	case theme.SizeNameInnerPadding:
		return 8
	case theme.SizeNamePadding:
		return 4
	case theme.SizeNameInlineIcon:
		return 20
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 5
	case theme.SizeNameInputBorder:
		return 1
	case theme.SizeNameScrollBar:
		return 12
	}
	return t.kioskTheme.Size(n)
}

// startDesk turns the new kiosk window into the front desk's console.
// Ctrl+F searches, Ctrl+N starts an assisted move-in, Enter confirms and
// Escape goes back.
func (k *Kiosk) startDesk() {
	k.app.Settings().SetTheme(deskTheme{})
	k.idle.Stop()
	k.win.SetTitle(Title + " — " + k.tr.T("desk.title"))
	k.win.SetFullScreen(false)
	k.win.SetFixedSize(false)
	k.win.Resize(k.deskSize())
	// Fyne 2.7 can neither read nor set a window's position: X11 does
	// (restoreDeskPlace, once the window is shown).
	k.win.SetOnClosed(k.saveDeskSize)
	// And whenever it loses the focus: Fyne quits on SIGTERM (a logout)
	// without closing the window, telling only the focused window's loss
	// of the focus, while it is still there.
	k.app.Lifecycle().SetOnExitedForeground(k.saveDeskSize)
	c := k.staffView()
	cv := k.win.Canvas()
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { c.findShortcut() })
	cv.SetOnTypedKey(func(ev *fyne.KeyEvent) { c.typedKey(ev) })
	cv.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) {
			if c.s.Open && !c.movingIn { // and the console is locked while a guest holds the screen
				c.startMoveIn()
			}
		})
	k.openStaff()
}

// deskWindow is what the desk window file keeps: the window's size and,
// where X11 could tell, where its top left (its frame's, decorations
// included) was on the desktop. Files of earlier versions have no X, Y.
type deskWindow struct {
	Width, Height float32
	X, Y          *int `json:",omitempty"`
}

// windowPlacer reads and sets a window's place on the desktop (X11: the
// default GuestDisplays); tests pass a fake.
type windowPlacer interface {
	Position(w fyne.Window) (x, y int, err error)
	Move(w fyne.Window, x, y int) error
}

// deskWindowDir is where the desk window file is.
func (k *Kiosk) deskWindowDir() string {
	if d := k.opts.Staff.WindowDir; d != "" {
		return d
	}
	return k.opts.Staff.StateDir
}

// keptDeskWindow reads the desk window file; nil when there is none.
func (k *Kiosk) keptDeskWindow() []byte {
	dir := k.deskWindowDir()
	if dir == "" {
		return nil
	}
	b, _ := os.ReadFile(filepath.Join(dir, deskWindowFile))
	return b
}

// deskSize is the size the desk window had when it was last closed, or
// deskDefaultSize.
func (k *Kiosk) deskSize() fyne.Size {
	return parseDeskSize(k.keptDeskWindow())
}

// parseDeskSize reads a kept window size; anything but a sensible one
// (640×480 to 10000×10000, at most 1 KiB of JSON) is deskDefaultSize.
func parseDeskSize(b []byte) fyne.Size {
	size, _, _, _ := parseDeskWindow(b)
	return size
}

// parseDeskWindow reads the desk window file: the size as parseDeskSize,
// and the place when it has one within X's coordinates (ok false when it
// has none, or a nonsense one). Whether the place is on a monitor today is
// for restoreDeskPlace to tell.
func parseDeskWindow(b []byte) (size fyne.Size, x, y int, ok bool) {
	var s deskWindow
	if len(b) > 1024 || json.Unmarshal(b, &s) != nil {
		return deskDefaultSize, 0, 0, false
	}
	size = deskDefaultSize
	if s.Width >= 640 && s.Height >= 480 && s.Width <= 10000 && s.Height <= 10000 {
		size = fyne.NewSize(s.Width, s.Height)
	}
	if s.X == nil || s.Y == nil || *s.X < -maxDeskPlace || *s.X > maxDeskPlace || *s.Y < -maxDeskPlace || *s.Y > maxDeskPlace {
		return size, 0, 0, false
	}
	return size, *s.X, *s.Y, true
}

// maxDeskPlace bounds a kept place's coordinates: X's are 16-bit.
const maxDeskPlace = 32767

// restoreDeskPlace moves the desk window, once shown, back where it was
// when last closed: only when that place lies on one of today's monitors
// (xdisplay.OnMonitor), so that a monitor since unplugged never hides it.
// Without X11 (or a place) the desktop places the window.
func (k *Kiosk) restoreDeskPlace() {
	_, x, y, ok := parseDeskWindow(k.keptDeskWindow())
	p, can := k.displays().(windowPlacer)
	if !ok || !can {
		return
	}
	ms, err := k.displays().Monitors()
	if err != nil {
		k.log.Info("desk window left where the desktop put it", "err", err)
		return
	}
	if !xdisplay.OnMonitor(ms, x, y) {
		k.log.Info("desk window's last place is on no monitor today: left where the desktop put it", "x", x, "y", y, "monitors", xdisplay.Names(ms))
		return
	}
	if err := p.Move(k.win, x, y); err != nil {
		k.log.Warn("desk window not moved back where it was", "err", err)
		return
	}
	k.log.Info("desk window moved back where it was", "x", x, "y", y)
}

// saveDeskSize keeps the window's size, and its place where X11 tells
// it, for the next start.
func (k *Kiosk) saveDeskSize() {
	dir := k.deskWindowDir()
	if dir == "" {
		return
	}
	size := k.win.Canvas().Size()
	kept := deskWindow{Width: size.Width, Height: size.Height}
	if p, ok := k.displays().(windowPlacer); ok {
		if x, y, err := p.Position(k.win); err == nil {
			kept.X, kept.Y = &x, &y
		} else if _, x, y, ok := parseDeskWindow(k.keptDeskWindow()); ok {
			// X no longer tells (the window is going away as the desk
			// quits, after an earlier save read it): keep the last place.
			kept.X, kept.Y = &x, &y
		}
	}
	b, _ := json.Marshal(kept)
	err := os.MkdirAll(dir, 0o700)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, deskWindowFile), b, 0o600)
	}
	if err != nil {
		k.log.Warn("desk window size not kept", "err", err)
		return
	}
	k.log.Debug("desk window kept", "window", string(b))
}

// quit ends the application: staff leaving, or the process told to stop
// (SIGTERM, Ctrl-C). Fyne calls no window's OnClosed then, so a desk
// keeps its window's size and place first (Fyne's own SIGTERM handler
// may quit first: startDesk's focus hook covers that).
func (k *Kiosk) quit() {
	if k.opts.Desk {
		k.saveDeskSize()
	}
	k.app.Quit()
}

// desk reports whether this is a front desk's console.
func (c *staffView) desk() bool { return c.k.opts.Desk }

// deskPINScreen is the desk's lock: staff pick their name and type their
// own PIN on the keyboard; Enter unlocks. A wrong PIN counts against that
// name as well as the desk.
func (c *staffView) deskPINScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	s := c.s
	if why := s.Unusable(); !why.IsZero() {
		return c.screen(tr.T("staff.pin.title"), c.noPINBody(why), nil, nil)
	}
	names := s.Names()
	if c.deskName == "" && len(names) > 0 {
		c.deskName = names[0]
	}
	who := widget.NewSelect(names, func(n string) {
		if n != c.deskName {
			c.deskName = n
			s.ClearPIN()
			s.Problem = staff.Note{}
			c.redraw()
		}
	})
	who.SetSelected(c.deskName)
	pin := c.newEntry(nil)
	pin.Password = true
	pin.SetPlaceHolder(tr.T("desk.pin_placeholder"))
	pin.SetText(s.PIN)
	pin.OnChanged = func(t string) { s.PIN = t; c.touch() }
	unlock := func() {
		if s.CanUnlock() && !c.accountLocked() {
			s.UnlockAs(c.deskName)
			c.redraw()
		}
	}
	pin.OnSubmitted = func(string) { unlock() }

	msgs := container.NewVBox()
	locked, left, attempts := s.Lockout()
	aLocked, aLeft, aAttempts := s.AccountLockout(c.deskName)
	switch {
	case locked:
		msgs.Add(problemText(tr.T("staff.pin.locked", "minutes", int(math.Ceil(left.Minutes())))))
	case aLocked:
		msgs.Add(problemText(tr.T("staff.pin.account_locked") + " " + tr.T("staff.pin.locked", "minutes", int(math.Ceil(aLeft.Minutes())))))
	default:
		text := c.say(s.Problem)
		if n := min(attempts, aAttempts); n < staffauth.DefaultMaxFailures {
			text += " " + tr.T("staff.pin.attempts_left", "n", n)
		}
		if text != "" && text != " " {
			msgs.Add(problemText(text))
		}
	}
	if s.Checking {
		msgs.Add(c.waitRow(tr.T("staff.working")))
		pin.Disable()
	}
	if locked || aLocked {
		pin.Disable()
	}
	if d := s.DemoPIN(); d != "" {
		l := widget.NewLabelWithStyle(tr.T("staff.pin.demo", "pin", d), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		msgs.Add(l)
	}
	form := newLabelledRows(formLabel(tr.T("desk.name")), who, formLabel(tr.T("desk.pin")), pin)
	var body fyne.CanvasObject = container.NewCenter(container.NewGridWrap(fyne.NewSize(520, 280), container.NewVBox(form, msgs)))
	title := tr.T("desk.title")
	if note := c.giveBackNote(); note != nil {
		// After a guest signed on this screen: the sentence for the guest,
		// and the lock for the staff taking it back.
		title = tr.T("desk.sign.give_back_heading")
		body = container.NewVBox(note, body)
	}
	if !pin.Disabled() {
		c.focusNext = pin
	}
	// Enabled while a PIN can be typed: the field does not redraw the
	// screen at each digit, so the button could not follow it.
	act := &action{label: tr.T("staff.pin.unlock"), tapped: unlock, disabled: locked || aLocked || s.Checking}
	return c.screen(title, body, nil, act)
}

// accountLocked reports whether the name picked at the desk is locked.
func (c *staffView) accountLocked() bool {
	locked, _, _ := c.s.AccountLockout(c.deskName)
	return locked
}

// findShortcut is Ctrl+F: the customer search, its field focused. Not
// during a move-in, which it would leave half done (Move-in's own Back,
// Start over or Finish end it).
func (c *staffView) findShortcut() {
	if !c.s.Open || c.movingIn {
		return
	}
	c.touch()
	if c.s.Health != nil || c.s.Form != nil || c.s.Customer != nil {
		c.s.ShowCustomers()
	}
	c.redraw()
	if c.searchEntry != nil {
		c.k.win.Canvas().Focus(c.searchEntry)
	}
}

// typedKey handles the keys no field took: Escape goes back, Enter does
// the screen's primary action.
func (c *staffView) typedKey(ev *fyne.KeyEvent) {
	if !c.consoleKeys() {
		if ev.Name == fyne.KeyEscape {
			c.closeTop() // the agreement's reader, the guest's own
		}
		return
	}
	switch ev.Name {
	case fyne.KeyEscape:
		c.escape()
	case fyne.KeyReturn, fyne.KeyEnter:
		if a := c.primaryAction; a != nil && !a.disabled {
			c.touch()
			a.tapped()
		}
	}
}

// escape closes the top dialog, or goes back from the screen shown; it
// reports whether there was anything to go back from.
func (c *staffView) escape() bool {
	if c.closeTop() {
		return true
	}
	if a := c.backAction; a != nil && !a.disabled && c.consoleKeys() {
		c.touch()
		a.tapped()
		return true
	}
	return false
}

// closeTop closes the top dialog; it reports whether there was one.
func (c *staffView) closeTop() bool {
	top := c.k.win.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	if p, ok := top.(*widget.PopUp); ok {
		p.Hide()
	} else {
		c.k.win.Canvas().Overlays().Remove(top)
	}
	return true
}

// staffEntry is a staff text field that hands on what a desk's keyboard
// means beyond typing: Escape goes back, Ctrl+F searches.
type staffEntry struct {
	focusEntry
	c *staffView
}

// newEntry is a staff text field; onFocus (may be nil) is told when it
// gains focus, for the on-screen keyboard.
func (c *staffView) newEntry(onFocus func(*focusEntry)) *staffEntry {
	e := &staffEntry{focusEntry: focusEntry{onFocus: onFocus}, c: c}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey goes back on Escape.
func (e *staffEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.c.escape() {
		return
	}
	e.focusEntry.TypedKey(ev)
}

// TypedShortcut hands the console's own shortcuts (Ctrl+F, Ctrl+N) to the
// window, which a focused field would otherwise keep; the entry's own
// (copy, paste…) work as usual.
func (e *staffEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && cs.Modifier == fyne.KeyModifierShortcutDefault &&
		(cs.KeyName == fyne.KeyF || cs.KeyName == fyne.KeyN) {
		if w, ok := e.c.k.win.Canvas().(fyne.Shortcutable); ok {
			w.TypedShortcut(s)
		}
		return
	}
	e.focusEntry.TypedShortcut(s)
}

// startMoveIn runs a guest's move-in from the desk: the kiosk's own flow
// and submission (outbox included) in the desk's window, from the booking
// lookup to done, with the guest signing on this screen. Staff are there,
// so the guest's idle reset does not run; the console's idle lock does,
// and wipes the move-in as the kiosk's reset would.
func (c *staffView) startMoveIn() {
	k := c.k
	c.touch()
	c.s.ShowCustomers() // no health ticker redrawing over the flow
	c.endScan()
	k.stopCamera()
	c.movingIn = true
	c.backAction, c.primaryAction, c.searchEntry = nil, nil, nil
	k.log.Info("assisted move-in started", c.s.Account.Attr())
	k.events.Add("assisted move-in started (" + c.s.Account.Name + ")")
	k.startGuest()
	k.idle.Stop()
}

// moveInEnded is the end of an assisted move-in (done, back from its first
// screen, start over, or the console's lock): back to the console, or to
// the desk's lock when it locked meanwhile.
func (c *staffView) moveInEnded(reason string) {
	k := c.k
	if c.movingIn {
		c.movingIn = false
		who := c.s.Account
		if sg := c.sign; !c.s.Open && sg != nil {
			who = sg.account // who handed the screen over
		}
		k.log.Info("assisted move-in ended", "reason", reason, who.Attr())
	}
	c.endSigning()
	// The guest's display modes replaced the desk's theme with the
	// kiosk's; the reset put back the kiosk's plain one.
	if _, ok := k.app.Settings().Theme().(deskTheme); !ok {
		k.app.Settings().SetTheme(deskTheme{})
	}
	k.stopCamera()
	k.onActivity = c.touch
	c.redraw()
}
