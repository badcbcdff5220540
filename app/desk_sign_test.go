package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/xdisplay"
)

// fakeDisplays is a desk's two monitors without X: it lists them and
// records where windows were placed. Used on the UI goroutine only.
type fakeDisplays struct {
	monitors []xdisplay.Monitor
	err      error // from Monitors
	placeErr error
	placed   []xdisplay.Monitor
}

func (f *fakeDisplays) Monitors() ([]xdisplay.Monitor, error) { return f.monitors, f.err }

func (f *fakeDisplays) Place(_ fyne.Window, m xdisplay.Monitor) error {
	f.placed = append(f.placed, m)
	return f.placeErr
}

// twoMonitors is a desk with the staff's screen and the guest's beside it.
func twoMonitors() *fakeDisplays {
	return &fakeDisplays{monitors: []xdisplay.Monitor{{Name: "DESK", Width: 1280, Height: 800}, {Name: "GUEST", X: 1280, Width: 1280, Height: 800}}}
}

// deskSigningRig is a desk on the simulator with the synthetic card, two
// accounts, and guestDisplay as [desk] guest_display.
func deskSigningRig(t *testing.T, guestDisplay string, disp GuestDisplays, j MoveInJournal) *staffRig {
	t.Helper()
	return newStaffRig(t, rigOptions{accounts: staffAccounts(t), desk: true, displays: disp, journal: j,
		camera:    syntheticCamera(synthetic.SharpSteady, synthetic.Conditions{}),
		configure: func(c *config.Config) { c.Desk.GuestDisplay = guestDisplay }})
}

// moveInToSigning signs Bob in and runs a move-in up to its signature:
// the booking typed, the card scanned, the details confirmed.
func moveInToSigning(t *testing.T, r *staffRig) {
	t.Helper()
	k := r.k
	signIn(t, k, "Bob", bobPIN)
	waitStaff(t, k, "Bob's session", func(c *staffView) bool { return c.s.Open })
	tapNth(t, k, "Move-in", 0, false)
	findToSignature(t, k, demodata.People[0].BookingID)
}

// guestWindows are the desk's open guest windows (the test driver keeps
// a window of its own besides the desk's).
func guestWindows(k *Kiosk) []fyne.Window {
	var ws []fyne.Window
	onUI(k, func() { ws = guestWindowsOnUI(k) })
	return ws
}

// guestWindowsOnUI is guestWindows on the UI goroutine.
func guestWindowsOnUI(k *Kiosk) []fyne.Window {
	var ws []fyne.Window
	for _, w := range fyne.CurrentApp().Driver().AllWindows() {
		if w != k.win && strings.HasPrefix(w.Title(), Title+" — ") {
			ws = append(ws, w)
		}
	}
	return ws
}

// guestWindow is the desk's guest window, failing unless there is one.
func guestWindow(t *testing.T, k *Kiosk) fyne.Window {
	t.Helper()
	ws := guestWindows(k)
	if len(ws) != 1 {
		t.Fatalf("%d guest windows, want 1", len(ws))
	}
	return ws[0]
}

// tapIn taps the enabled button labelled label in window w.
func tapIn(t *testing.T, k *Kiosk, w fyne.Window, label string) {
	t.Helper()
	var b *fwidget.Button
	onUI(k, func() {
		b = findIn(w.Content(), func(b *fwidget.Button) bool { return b.Text == label && !b.Disabled() })
	})
	if b == nil {
		t.Fatalf("no enabled button %q in %q", label, w.Title())
	}
	onUI(k, func() { test.Tap(b) })
}

// shortcut sends Ctrl+key to the desk's window.
func shortcut(k *Kiosk, key fyne.KeyName) {
	onUI(k, func() {
		k.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault})
	})
}

// Issue 20, one screen: with no guest display, staff hand their screen to
// the guest. The console locks; the window shows only the signing view in
// the guest's language, and neither the console's shortcuts nor its keys
// reach anything; the move-in is sent as soon as the guest signs, as at
// the kiosk; the guest is asked to give the screen back, and staff sign
// in again to find the result.
func TestDeskSigningHandover(t *testing.T) {
	r := deskSigningRig(t, "", nil, nil)
	k := r.k
	moveInToSigning(t, r)
	if !shows(k, "Turn this screen to the guest") || len(guestWindows(k)) != 0 {
		t.Fatal("no handover step on one screen")
	}
	onUI(k, func() { k.SetLanguage("de") }) // the guest's language, chosen in the flow
	tap(t, k, "Übergeben")
	c := staffOf(k)
	onUI(k, func() {
		if c.s.Open {
			t.Error("the console stays open while the guest holds the screen")
		}
		if findIn(k.win.Content(), func(*widget.Pad) bool { return true }) == nil {
			t.Error("no signing pad for the guest")
		}
	})
	for _, label := range []string{"Neu beginnen", "Personal rufen", "Kunden", "Sperren", "Einzug", "Zurück"} {
		if exists, _ := buttonEnabled(k, label, false); exists {
			t.Errorf("the guest can reach %q", label)
		}
	}
	// Whatever the guest types: no console, no new move-in, no going back.
	shortcut(k, fyne.KeyF)
	shortcut(k, fyne.KeyN)
	key(k, fyne.KeyEscape)
	key(k, fyne.KeyReturn)
	onUI(k, func() {
		if k.g.session.Step() != flow.StepSignature || c.s.Open || c.searchEntry != nil || !c.guestHolds() {
			t.Errorf("a key reached the console: step %v, open %v", k.g.session.Step(), c.s.Open)
		}
	})
	sign(t, k)
	tap(t, k, "Unterschreiben und senden")
	if !shows(k, "Bitte geben Sie den Bildschirm") && !fitTextShows(k, "Bitte geben Sie den Bildschirm") {
		t.Fatal("no give-back step")
	}
	// Sent at once, before staff take the screen back: a signed move-in
	// is not lost if the app stops meanwhile.
	waitFor(t, k, "the move-in sent before the PIN", 60*time.Second, func() bool { return k.g.session.Step() == flow.StepDone })
	if sigs := r.srv.Signatures(); len(sigs) != 1 || sigs[0].BookingID != demodata.People[0].BookingID {
		t.Errorf("StoRegister got %d signatures before the PIN", len(r.srv.Signatures()))
	}
	// The give-back step stays: the result waits for the staff, and so
	// does the done screen's countdown.
	r.clock.Advance(2 * k.opts.Config.Kiosk.DoneTimeout.D())
	onUI(k, func() {
		if c.s.Open || !c.movingIn || c.sign == nil || c.sign.stage != signGiveBack {
			t.Error("the give-back step ended before the PIN")
		}
	})
	if !shows(k, "PIN") || fitTextShows(k, "Vielen Dank") || shows(k, "Ihre Unterschrift und Ihre Dokumente sind eingegangen") {
		t.Error("the result shows before staff took the screen back")
	}
	signIn(t, k, "Bob", bobPIN)
	if !shows(k, "Ihre Unterschrift und Ihre Dokumente sind eingegangen") {
		t.Error("staff do not land on the done screen after their PIN")
	}
	if len(r.srv.Signatures()) != 1 {
		t.Errorf("StoRegister got %d signatures", len(r.srv.Signatures()))
	}
	log := r.log.String()
	for _, line := range []string{"screen handed to the guest", "screen given back to staff", "assisted move-in started"} {
		if !strings.Contains(lineOf(log, line), "staff=Bob") {
			t.Errorf("%q does not name Bob", line)
		}
	}
	if strings.Contains(log, bobPIN) {
		t.Error("a PIN reached the log")
	}
}

// fitTextShows reports whether a fitted text on the desk's window says text.
func fitTextShows(k *Kiosk, text string) bool {
	found := false
	onUI(k, func() {
		found = findIn(k.win.Content(), func(f *fitText) bool { return strings.Contains(f.text, text) }) != nil
	})
	return found
}

// A guest display that is not there: staff are told in their language
// what happened and what to check, the desk falls back to the one-screen
// handover, and the log says so.
func TestDeskGuestDisplayMissing(t *testing.T) {
	for name, disp := range map[string]*fakeDisplays{
		"unplugged": {monitors: twoMonitors().monitors[:1]},
		"no X":      {err: xdisplay.ErrUnsupported},
		"not moved": {monitors: twoMonitors().monitors, placeErr: errors.New("xdisplay: X error 3 placing the window")},
	} {
		t.Run(name, func(t *testing.T) {
			r := deskSigningRig(t, "GUEST", disp, nil)
			k := r.k
			moveInToSigning(t, r)
			if !shows(k, "The guest screen GUEST is not there") || !shows(k, "Turn this screen to the guest") {
				t.Error("the staff are not told the guest screen is missing")
			}
			if len(guestWindows(k)) != 0 {
				t.Error("a guest window stayed open")
			}
			if exists, _ := buttonEnabled(k, "Use the guest screen", false); !exists {
				t.Error("no way to try the guest screen again")
			}
			if !strings.Contains(lineOf(r.log.String(), "guest display not used"), "display=GUEST") {
				t.Error("the log does not say the guest display was not used")
			}
		})
	}
}

// Cancel, a guest window closed from outside, and the console's idle lock
// each end the signature on the guest display cleanly: the window closes
// and no signature is kept or sent.
func TestDeskSigningEnds(t *testing.T) {
	r := deskSigningRig(t, "GUEST", twoMonitors(), nil)
	k := r.k
	moveInToSigning(t, r)
	gw := guestWindow(t, k)
	signOn(t, k, gw) // ink that is never sent
	tap(t, k, "Cancel signing")
	onUI(k, func() {
		if k.g.session.Step() != flow.StepDetails || k.staff.sign != nil {
			t.Errorf("Cancel left the move-in at %v", k.g.session.Step())
		}
	})
	if len(guestWindows(k)) != 0 {
		t.Error("Cancel left the guest window open")
	}

	// Again; the guest window is closed from outside.
	tap(t, k, "Next")
	gw = guestWindow(t, k)
	onUI(k, gw.Close)
	if !shows(k, "The guest screen was closed before the guest signed") {
		t.Error("the staff are not told the guest screen was closed")
	}
	tap(t, k, "Use the guest screen")
	gw = guestWindow(t, k)

	// The console's idle lock: the move-in is wiped, the window closed.
	r.clock.Advance(3 * time.Minute)
	waitStaff(t, k, "the idle lock", func(c *staffView) bool { return !c.s.Open && !c.movingIn })
	if len(guestWindows(k)) != 0 {
		t.Error("the idle lock left the guest window open")
	}
	onUI(k, func() {
		if k.g.session.Step() != flow.StepAttract || k.g.session.Agreement() != "" {
			t.Errorf("the idle lock left a session at %v", k.g.session.Step())
		}
	})
	if !shows(k, "Your PIN") {
		t.Error("the idle lock did not return to the desk's lock")
	}
	if len(r.srv.Signatures()) != 0 {
		t.Error("a signature was sent")
	}
}

// One screen: a guest who walks away with it is reset by the kiosk's own
// idle countdown; the desk's lock is shown, nothing is sent. A guest who
// gives it back unsigned hands it back to the staff, who find the
// handover again.
func TestDeskHandoverEnds(t *testing.T) {
	r := deskSigningRig(t, "", nil, nil)
	k := r.k
	moveInToSigning(t, r)
	tap(t, k, "Hand over")
	tap(t, k, "Give back without signing")
	signIn(t, k, "Bob", bobPIN)
	waitStaff(t, k, "the handover again", func(c *staffView) bool { return c.s.Open && c.sign != nil && c.sign.stage == signHandover })
	tap(t, k, "Hand over")
	r.clock.Advance(k.opts.Config.Kiosk.IdleTimeout.D())
	r.clock.Advance(k.opts.Config.Kiosk.IdleCountdown.D() + time.Second)
	waitStaff(t, k, "the reset", func(c *staffView) bool { return !c.movingIn })
	if !shows(k, "Your PIN") || findIn(r.k.win.Content(), func(*widget.Pad) bool { return true }) != nil {
		t.Error("the idle reset did not return to the desk's lock")
	}
	if len(r.srv.Signatures()) != 0 {
		t.Error("a signature was sent")
	}
	if !strings.Contains(lineOf(r.log.String(), "assisted move-in ended"), "staff=Bob") {
		t.Error("the end of the move-in does not name who handed the screen over")
	}
}

// The guest's display modes during a move-in ("Larger text" on the
// booking screen) end with it: the console comes back in the desk's
// theme, not the kiosk's.
func TestDeskThemeAfterMoveIn(t *testing.T) {
	r := deskRig(t, "")
	k := r.k
	signIn(t, k, "Bob", bobPIN)
	waitStaff(t, k, "Bob's session", func(c *staffView) bool { return c.s.Open })
	tapNth(t, k, "Move-in", 0, false)
	onUI(k, func() { k.setDisplay(displayModes{Larger: true}) })
	tap(t, k, "Back")
	waitStaff(t, k, "the console", func(c *staffView) bool { return !c.movingIn })
	onUI(k, func() {
		if _, ok := k.app.Settings().Theme().(deskTheme); !ok {
			t.Errorf("the console is in %T after the move-in", k.app.Settings().Theme())
		}
	})
}

// Issue 20: staff run the move-in, so the guest's "Call staff" is on
// neither the desk's window nor the guest window; the guest's
// Accessibility stays on the desk's (a guest may need larger text).
func TestDeskNoCallStaff(t *testing.T) {
	r := deskSigningRig(t, "GUEST", twoMonitors(), nil)
	k := r.k
	moveInToSigning(t, r)
	w := guestWindow(t, k)
	onUI(k, func() {
		if findIn(w.Content(), func(b *fwidget.Button) bool { return b.Text == "Call staff" }) != nil {
			t.Error("the guest window has Call staff")
		}
		if findIn(w.Content(), func(*widget.Pad) bool { return true }) == nil {
			t.Error("the guest window has no signing pad") // the search above looked in the right place
		}
	})
	tap(t, k, "Cancel signing")
	waitFor(t, k, "the details again", 5*time.Second, func() bool { return k.g.session.Step() == flow.StepDetails })
	if exists, _ := buttonEnabled(k, "Call staff", false); exists {
		t.Error("the desk's window shows the guest's Call staff")
	}
	if _, enabled := buttonEnabled(k, "Accessibility", false); !enabled {
		t.Error("the desk's window lost the guest's Accessibility")
	}
}
