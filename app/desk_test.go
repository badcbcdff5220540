package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/terms"
)

// deskRig is the front desk's console on the simulator, with two accounts.
func deskRig(t *testing.T, dir string) *staffRig {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	return newStaffRig(t, rigOptions{accounts: staffAccounts(t), desk: true, stateDir: dir})
}

// focused is the field that has the keyboard.
func focused(t *testing.T, k *Kiosk) *staffEntry {
	t.Helper()
	var e *staffEntry
	onUI(k, func() { e, _ = k.win.Canvas().Focused().(*staffEntry) })
	if e == nil {
		t.Fatal("no staff field has the keyboard")
	}
	return e
}

// key types one key into the focused field, or the window when none.
func key(k *Kiosk, name fyne.KeyName) {
	onUI(k, func() {
		ev := &fyne.KeyEvent{Name: name}
		if f := k.win.Canvas().Focused(); f != nil {
			f.TypedKey(ev)
		} else if h := k.win.Canvas().OnTypedKey(); h != nil {
			h(ev)
		}
	})
}

// signIn picks name and types pin and Enter, as at a desk.
func signIn(t *testing.T, k *Kiosk, name, pin string) {
	t.Helper()
	onUI(k, func() {
		s := allOf(k, false, func(*fwidget.Select) bool { return true })
		if len(s) != 1 {
			t.Fatalf("the desk's lock has %d name choices", len(s))
		}
		s[0].SetSelected(name)
	})
	e := focused(t, k)
	onUI(k, func() { test.Type(e, pin) })
	key(k, fyne.KeyReturn)
	waitStaff(t, k, "the PIN check", func(c *staffView) bool { return !c.s.Checking })
}

// Issue 20: the desk opens on its own lock, in a resizable window with
// the desk theme; each person signs in with their name and own PIN on the
// keyboard; a wrong PIN for one name leaves the others alone.
func TestDeskPINPerAccount(t *testing.T) {
	r := deskRig(t, "")
	k := r.k
	onUI(k, func() {
		if k.win.FullScreen() {
			t.Error("the desk is full screen")
		}
		if _, ok := fyne.CurrentApp().Settings().Theme().(deskTheme); !ok {
			t.Error("the desk does not use the desk theme")
		}
	})
	if exists, _ := buttonEnabled(k, "Touch to start", false); exists {
		t.Fatal("the desk shows the guest's screen")
	}
	signIn(t, k, "Bob", testPIN) // the morning desk's PIN is not Bob's
	if staffOf(k).s.Open || !shows(k, "Wrong PIN.") {
		t.Fatal("Bob signed in with someone else's PIN")
	}
	signIn(t, k, "Bob", bobPIN)
	waitStaff(t, k, "Bob's session", func(c *staffView) bool { return c.s.Open && c.s.Account.Name == "Bob" })
	if exists, _ := buttonEnabled(k, "Q", false); exists {
		t.Error("the desk shows an on-screen keyboard")
	}
	if !strings.Contains(lineOf(r.log.String(), "staff console unlocked"), "staff=Bob") {
		t.Error("the unlock does not name Bob")
	}
	// The idle lock goes back to the desk's lock, not to a guest's screen.
	r.clock.Advance(3 * time.Minute)
	waitStaff(t, k, "the idle lock", func(c *staffView) bool { return !c.s.Open })
	if exists, _ := buttonEnabled(k, "Touch to start", false); exists || !shows(k, "Your PIN") {
		t.Error("the idle lock did not return to the desk's lock")
	}
}

func TestDeskLockoutPerAccount(t *testing.T) {
	r := deskRig(t, "")
	k := r.k
	for range 4 {
		signIn(t, k, "Morning Desk", "000000")
	}
	signIn(t, k, "Bob", bobPIN) // the desk's count starts again
	waitStaff(t, k, "Bob's session", func(c *staffView) bool { return c.s.Open })
	tapNth(t, k, "Lock", 0, false)
	signIn(t, k, "Morning Desk", "000000")
	if !shows(k, "Too many wrong PINs for this account") {
		t.Fatal("the fifth wrong PIN does not lock the account")
	}
	onUI(k, func() {
		if k.win.Canvas().Focused() != nil {
			t.Error("the locked account's PIN field still takes a PIN")
		}
	})
	signIn(t, k, "Bob", bobPIN)
	waitStaff(t, k, "Bob's session after the other's lock", func(c *staffView) bool { return c.s.Open })
}

// Search (Ctrl+F, a name without its accents, Enter), add, edit and
// delete from the keyboard, against the simulator; each change names Bob
// in the log; Escape goes back.
func TestDeskSearchAddEditDelete(t *testing.T) {
	r := deskRig(t, "")
	k := r.k
	c := staffOf(k)
	lukas := demodata.People[3]
	signIn(t, k, "Bob", bobPIN)
	waitStaff(t, k, "Bob's session", func(c *staffView) bool { return c.s.Open })
	tapNth(t, k, "Health", 0, false)
	onUI(k, func() {
		k.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	})
	search := focused(t, k)
	onUI(k, func() {
		if search != c.searchEntry {
			t.Error("Ctrl+F did not focus the search")
		}
		test.Type(search, "muller")
	})
	key(k, fyne.KeyReturn)
	waitStaff(t, k, "the search", func(c *staffView) bool { return !c.s.Busy() && c.s.Searched })
	onUI(k, func() {
		if len(c.s.Customers) != 1 || c.s.Customers[0].ID != lukas.MewsCustomerID {
			t.Fatalf("muller found %v", c.s.Customers)
		}
	})
	tapNth(t, k, "Documents", 0, false)
	waitStaff(t, k, "the documents", func(c *staffView) bool { return !c.s.Busy() && c.s.Customer != nil })

	// Add: the number field has the keyboard; Enter saves.
	tapNth(t, k, "Add", 0, false)
	number := focused(t, k)
	es := focusEntries(k)
	onUI(k, func() { test.Type(number, "pz4711k") })
	setText(k, es[1], "2031-05-01")
	key(k, fyne.KeyReturn)
	waitStaff(t, k, "the added document", func(c *staffView) bool { return !c.s.Busy() && c.s.Form == nil && len(c.s.Docs) == 1 })
	docs, err := r.mc.Documents.List(context.Background(), mews.DocumentListOptions{CustomerIDs: []string{lukas.MewsCustomerID}})
	if err != nil || len(docs) != 1 || docs[0].Number != "PZ4711K" {
		t.Fatalf("Mews holds %+v, %v", docs, err)
	}

	// Edit the city; Enter saves.
	tapNth(t, k, "Edit", 0, false)
	es = focusEntries(k)
	setText(k, es[4], "Bremen")
	onUI(k, func() { k.win.Canvas().Focus(es[4]) })
	key(k, fyne.KeyReturn)
	waitStaff(t, k, "the update", func(c *staffView) bool { return !c.s.Busy() && c.s.Form == nil })
	docs, _ = r.mc.Documents.List(context.Background(), mews.DocumentListOptions{CustomerIDs: []string{lukas.MewsCustomerID}})
	if len(docs) != 1 || docs[0].IssuingCity != "Bremen" {
		t.Fatalf("after the edit Mews holds %+v", docs)
	}

	// Delete: Escape closes the question; Delete confirmed removes it.
	tapNth(t, k, "Delete", 0, false)
	key(k, fyne.KeyEscape)
	if len(overlays(k)) != 0 {
		t.Error("Escape left the question open")
	}
	tapNth(t, k, "Delete", 0, false)
	tapNth(t, k, "Delete", 0, true)
	waitStaff(t, k, "the delete", func(c *staffView) bool { return !c.s.Busy() && len(c.s.Docs) == 0 })

	// Escape goes back to the search.
	onUI(k, func() { k.win.Canvas().Unfocus() })
	key(k, fyne.KeyEscape)
	waitStaff(t, k, "the search again", func(c *staffView) bool { return c.s.Customer == nil })

	log := r.log.String()
	for _, line := range []string{"staff added an identity document", "staff updated an identity document", "staff deleted an identity document"} {
		if !strings.Contains(lineOf(log, line), "staff=Bob") {
			t.Errorf("%q does not name Bob", line)
		}
	}
	if strings.Contains(log, bobPIN) || strings.Contains(log, "PZ4711K") {
		t.Error("a PIN or a document number reached the log")
	}
}

// The desk window comes back at the size it was closed at.
func TestDeskRemembersItsSize(t *testing.T) {
	dir := t.TempDir()
	r := deskRig(t, dir)
	onUI(r.k, func() {
		r.k.win.Resize(fyne.NewSize(1100, 700))
		r.k.saveDeskSize()
	})
	b, err := os.ReadFile(filepath.Join(dir, deskWindowFile))
	var s struct{ Width, Height float32 }
	if err != nil || json.Unmarshal(b, &s) != nil || s.Width != 1100 || s.Height != 700 {
		t.Fatalf("kept %s, %v", b, err)
	}
	var got fyne.Size
	onUI(r.k, func() { got = r.k.deskSize() })
	if got != fyne.NewSize(1100, 700) {
		t.Errorf("next start at %v", got)
	}
	if err := os.WriteFile(filepath.Join(dir, deskWindowFile), []byte(`{"Width":5,"Height":1e9}`), 0o600); err != nil {
		t.Fatal(err)
	}
	onUI(r.k, func() { got = r.k.deskSize() })
	if got != deskDefaultSize {
		t.Errorf("a nonsense size gives %v", got)
	}
}

// Issue 20: staff run a guest's move-in from the desk, with the kiosk's own
// flow and submission: the booking typed in, the card scanned with the
// desk's camera, and the guest signing on a second window placed on the
// guest display while the desk's window shows progress. StoRegister and
// Mews receive what they do from the kiosk, the move-in journal the
// agreement's digest; the log names the account, never its PIN; Finish
// returns to the console.
func TestDeskAssistedMoveIn(t *testing.T) {
	disp := twoMonitors()
	j := &memJournal{}
	r := deskSigningRig(t, "GUEST", disp, j)
	k := r.k
	anna := demodata.People[0]
	moveInToSigning(t, r)

	// The guest window is on the guest's monitor; the staff window shows
	// progress and no pad.
	gw := guestWindow(t, k)
	onUI(k, func() {
		if len(disp.placed) != 1 || disp.placed[0] != disp.monitors[1] {
			t.Errorf("placed on %v, want the guest's monitor %v", disp.placed, disp.monitors[1])
		}
		if findIn(k.win.Content(), func(*widget.Pad) bool { return true }) != nil {
			t.Error("the staff window has a signing pad")
		}
		if findIn(gw.Content(), func(b *fwidget.Button) bool {
			return b.Text == "Start over" || b.Text == "Call staff" || b.Text == "Back"
		}) != nil {
			t.Error("the guest window offers more than the agreement and the pad")
		}
	})
	if !shows(k, "The guest is reading and signing on the guest screen") {
		t.Error("the staff window does not say the guest is signing")
	}
	signOn(t, k, gw)
	tapIn(t, k, gw, "Sign and send")
	waitFor(t, k, "done", 60*time.Second, func() bool { return k.g.session.Step() == flow.StepDone })
	onUI(k, func() {
		if findIn(gw.Content(), func(*widget.Pad) bool { return true }) != nil {
			t.Error("the guest window still shows the pad after signing")
		}
	})
	r.clock.Advance(guestThanksFor)
	waitFor(t, k, "the guest window to close", 5*time.Second, func() bool { return len(guestWindowsOnUI(k)) == 0 })

	if sigs := r.srv.Signatures(); len(sigs) != 1 || sigs[0].BookingID != anna.BookingID {
		t.Errorf("StoRegister got %d signatures", len(sigs))
	}
	if docs := r.srv.Documents(); len(docs) != 2 {
		t.Errorf("StoRegister got %d document images, want front and back", len(docs))
	}
	found := false
	for _, d := range r.srv.MewsDocuments() {
		found = found || (d.CustomerID == anna.MewsCustomerID && d.Number == demodata.CardNumber)
	}
	if !found {
		t.Error("Mews did not get the card read from the zone")
	}
	want, _ := terms.Load("", "en")
	waitFor(t, k, "the journal entry", 10*time.Second, func() bool {
		j.mu.Lock()
		defer j.mu.Unlock()
		return len(j.entries) == 1
	})
	if e := j.entries[0]; e.Agreement.String() != want.SHA256 || e.BookingID != anna.BookingID {
		t.Errorf("journal entry: agreement %s for %s, want %s", e.Agreement, e.BookingID, want.SHA256)
	}
	tap(t, k, "Finish")
	waitStaff(t, k, "the console", func(c *staffView) bool { return !c.movingIn && c.s.Open && c.s.Customer == nil })
	if exists, _ := buttonEnabled(k, "In house by name", false); !exists {
		t.Error("Finish did not return to the console")
	}
	log := r.log.String()
	for _, line := range []string{"assisted move-in started", "guest signing on the guest display", "guest signed on the guest display", "assisted move-in ended"} {
		if !strings.Contains(lineOf(log, line), "staff=Bob") {
			t.Errorf("%q does not name Bob", line)
		}
	}
	if strings.Contains(log, bobPIN) || strings.Contains(log, testPIN) {
		t.Error("a PIN reached the log")
	}
}

// A desk keeps its pointer even with a kiosk's configuration that hides it.
func TestDeskKeepsThePointer(t *testing.T) {
	r := newStaffRig(t, rigOptions{accounts: staffAccounts(t), desk: true,
		configure: func(c *config.Config) { c.Kiosk.HidePointer = true }})
	var layers []*activityLayer
	onUI(r.k, func() { layers = allOf(r.k, false, func(*activityLayer) bool { return true }) })
	if len(layers) != 1 || layers[0].Cursor() != desktop.DefaultCursor {
		t.Errorf("the desk hides the pointer (%d layers)", len(layers))
	}
}

// The kept size is read from a file: whatever it holds, the window gets a
// sensible size.
func FuzzParseDeskSize(f *testing.F) {
	f.Add([]byte(`{"Width":1100,"Height":700}`))
	f.Add([]byte(`{"Width":5,"Height":1e9}`))
	f.Add([]byte(`{"Width":NaN}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := parseDeskSize(b)
		if !(s.Width >= 640 && s.Height >= 480 && s.Width <= 10000 && s.Height <= 10000) {
			t.Fatalf("%q gives %v", b, s)
		}
	})
}
