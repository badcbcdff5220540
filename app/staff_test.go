package app

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	fwidget "fyne.io/fyne/v2/widget"
	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/app/staff/stafftest"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

const testPIN = "482915"

// cheapParams keep the UI tests fast; the hash format is the real one.
var cheapParams = staffauth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// wallClock is the manual clock: its timers and its wall time move only
// with Advance.
type wallClock = flowtest.Clock

func newWallClock() *wallClock { return &flowtest.Clock{} }

// syncBuffer is the log of a kiosk under test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// staffRig is a kiosk wired to the simulator for the staff tests.
type staffRig struct {
	k      *Kiosk
	srv    *sim.Server
	mc     *mews.Client
	rec    *stafftest.Recorder
	clock  *wallClock
	log    *syncBuffer
	errors *staff.ErrorRing
}

type rigOptions struct {
	hash     string // "" means no PIN configured
	accounts []config.StaffAccount
	// configure changes the configuration further.
	configure func(*config.Config)
	deps      func(*StaffDeps)
	desk      bool // the front desk's console (desk.go)
	demo      bool
	stateDir  string
	clock     *wallClock
	camera    CameraOpener
	srv       *sim.Server
	displays  GuestDisplays // a desk's guest display (desk_sign.go)
	journal   MoveInJournal
}

func newStaffRig(t *testing.T, o rigOptions) *staffRig {
	t.Helper()
	r := &staffRig{clock: o.clock, log: &syncBuffer{}, rec: &stafftest.Recorder{}}
	if r.clock == nil {
		r.clock = newWallClock()
	}
	if o.stateDir == "" {
		o.stateDir = t.TempDir()
	}
	r.srv = o.srv
	if r.srv == nil {
		r.srv, _ = simServices(t)
	}
	r.errors = staff.NewErrorRing(20)
	logger := slog.New(r.errors.Handler(redact.NewLogger(r.log, "debug", "text").Handler()))
	mc := stafftest.Mews(t, r.srv, r.rec, mews.WithLogger(logger))
	var err error
	r.mc = mc
	svc := servicesFor(t, r.srv)
	cfg := config.Default()
	cfg.Staff.PINHash = redact.Secret(o.hash)
	cfg.Staff.Accounts = o.accounts
	if o.configure != nil {
		o.configure(cfg)
	}
	deps := StaffDeps{Mews: mc, StateDir: o.stateDir, Version: "test", ProbeBooking: demodata.People[0].BookingID,
		Errors: r.errors}
	if o.deps != nil {
		o.deps(&deps)
	}
	onUI(nil, func() {
		a := test.NewTempApp(t)
		r.k, err = New(a, Options{Config: cfg, Windowed: true, Desk: o.desk, Logger: logger, Demo: o.demo, Clock: r.clock,
			Size: fyne.NewSize(1280, 800), Services: svc, Camera: o.camera,
			Staff: deps, Displays: o.displays, Journal: o.journal})
		if err == nil {
			r.k.win.Resize(fyne.NewSize(1280, 800))
			r.k.win.Show()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		onUI(r.k, func() {
			c := r.k.staffView()
			c.s.StopHealth()
			c.endScan()
			r.k.stopCamera()
			r.k.idle.Stop()
		})
	})
	return r
}

func hashOf(t *testing.T, pin string) string {
	t.Helper()
	h, err := staffauth.HashWith(pin, cheapParams)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// allOf walks the window (and its top overlay) for every object match accepts.
func allOf[T fyne.CanvasObject](k *Kiosk, overlayOnly bool, match func(T) bool) []T {
	var found []T
	walk := func(o fyne.CanvasObject) {
		visit(o, func(o fyne.CanvasObject) step {
			if v, ok := o.(T); ok && match(v) {
				found = append(found, v)
			}
			return descend
		})
	}
	if !overlayOnly {
		walk(k.win.Content())
	}
	for _, o := range overlays(k) {
		walk(o)
	}
	return found
}

// tapNth taps the n-th enabled button labelled label (in the top overlay
// when overlay is set).
func tapNth(t *testing.T, k *Kiosk, label string, n int, overlay bool) {
	t.Helper()
	var bs []*fwidget.Button
	onUI(k, func() {
		bs = allOf(k, overlay, func(b *fwidget.Button) bool { return b.Text == label && !b.Disabled() })
	})
	if len(bs) <= n {
		t.Fatalf("no enabled button %q number %d (found %d)", label, n, len(bs))
	}
	onUI(k, func() { test.Tap(bs[n]) })
}

func buttonEnabled(k *Kiosk, label string, overlay bool) (exists, enabled bool) {
	onUI(k, func() {
		bs := allOf(k, overlay, func(b *fwidget.Button) bool { return b.Text == label })
		exists = len(bs) > 0
		enabled = exists && !bs[0].Disabled()
	})
	return
}

func shows(k *Kiosk, text string) bool {
	found := false
	onUI(k, func() {
		found = len(allOf(k, false, func(l *fwidget.Label) bool { return strings.Contains(l.Text, text) })) > 0 ||
			len(allOf(k, false, func(l *fwidget.RichText) bool { return strings.Contains(l.String(), text) })) > 0
	})
	return found
}

func staffOf(k *Kiosk) *staffView {
	var c *staffView
	onUI(k, func() { c = k.staffView() })
	return c
}

// waitStaff polls cond on the UI goroutine.
func waitStaff(t *testing.T, k *Kiosk, what string, cond func(c *staffView) bool) {
	t.Helper()
	c := staffOf(k)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ok := false
		onUI(k, func() { ok = cond(c) })
		if ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	var problem string
	onUI(k, func() { problem = c.say(c.s.Problem) })
	t.Fatalf("timed out waiting for %s (problem %q)", what, problem)
}

func typePIN(t *testing.T, k *Kiosk, pin string) {
	t.Helper()
	for _, d := range pin {
		tapNth(t, k, string(d), 0, false)
	}
	tapNth(t, k, "Unlock", 0, false)
	waitStaff(t, k, "the PIN check", func(c *staffView) bool { return !c.s.Checking })
}

func unlock(t *testing.T, k *Kiosk, pin string) {
	t.Helper()
	tapNth(t, k, "Staff", 0, false)
	typePIN(t, k, pin)
	waitStaff(t, k, "the staff session", func(c *staffView) bool { return c.s.Open })
}

// focusEntries returns the form's text fields in order: number, expiry,
// issue date, region, city, support number.
func focusEntries(k *Kiosk) []*focusEntry {
	var es []*focusEntry
	onUI(k, func() {
		for _, e := range allOf(k, false, func(*staffEntry) bool { return true }) {
			es = append(es, &e.focusEntry)
		}
	})
	return es
}

func setText(k *Kiosk, e interface{ SetText(string) }, s string) { onUI(k, func() { e.SetText(s) }) }

// TestStaffDocumentsAgainstSimulator walks find → list → add → edit
// (asserting the exact update body) → show → delete → remove all, with
// the real Mews client against the simulator, and checks that neither the
// PIN, the tokens nor any document number reached the log.
func TestStaffDocumentsAgainstSimulator(t *testing.T) {
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN)})
	k := r.k
	anna := demodata.People[0]
	// Three documents already there: the list reads two pages of two.
	seed := []mews.Document{
		{CustomerID: anna.MewsCustomerID, Type: mews.IdentityCard, Number: "SEED11111", IssuingCountryCode: "SE"},
		{CustomerID: anna.MewsCustomerID, Type: mews.DriversLicense, Number: "SEED22222"},
		{CustomerID: anna.MewsCustomerID, Type: mews.Visa, Number: "SEED33333"},
	}
	if _, err := r.mc.Documents.Add(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	unlock(t, k, testPIN)

	// Find: in house by name.
	var entry *staffEntry
	onUI(k, func() { entry = find(k, func(*staffEntry) bool { return true }) })
	setText(k, entry, "ERIKSSON")
	tapNth(t, k, "In house by name", 0, false)
	waitStaff(t, k, "search results", func(c *staffView) bool { return !c.s.Busy() && len(c.s.Customers) > 0 })
	if !shows(k, "1974-••-••") || shows(k, "1974-08-12") {
		t.Error("birth date not partly masked")
	}
	// And by e-mail (customers/getAll).
	setText(k, entry, strings.ToUpper(anna.Email))
	tapNth(t, k, "E-mail or last name", 0, false)
	waitStaff(t, k, "search by e-mail", func(c *staffView) bool { return !c.s.Busy() && len(c.s.Customers) == 1 })
	tapNth(t, k, "Documents", 0, false)
	waitStaff(t, k, "the document list", func(c *staffView) bool { return !c.s.Busy() && len(c.s.Docs) == 3 })
	if n := r.rec.Count("identityDocuments/getAll"); n < 2 {
		t.Errorf("the list took %d getAll calls; want every page (2)", n)
	}
	if !shows(k, "•••••••11") || shows(k, "SEED11111") {
		t.Error("document number not masked in the list")
	}

	// Add, with the country picked from the list.
	tapNth(t, k, "Add", 0, false)
	es := focusEntries(k)
	if len(es) != 6 {
		t.Fatalf("form has %d text fields, want 6", len(es))
	}
	onUI(k, func() {
		sel := find(k, func(*fwidget.Select) bool { return true })
		sel.SetSelected("Passport")
	})
	setText(k, es[0], "PA1234567")
	setText(k, es[1], "01.05.2031")
	setText(k, es[2], "2/5/2021")
	setText(k, es[3], "SE-AB")
	setText(k, es[4], "Stockholm")
	setText(k, es[5], "SUP99")
	tapNth(t, k, "Choose a country", 0, false)
	onUI(k, func() {
		search := find(k, func(e *fwidget.Entry) bool {
			return e.PlaceHolder != "" && strings.Contains(strings.ToLower(e.PlaceHolder), "search")
		})
		search.SetText("Swed")
		list := find(k, func(*fwidget.List) bool { return true })
		list.Select(0)
	})
	tapNth(t, k, "Save", 0, false)
	waitStaff(t, k, "the added document", func(c *staffView) bool { return !c.s.Busy() && len(c.s.Docs) == 4 })
	var added *sim.MewsDocument
	for _, d := range r.srv.MewsDocuments() {
		if d.Number == "PA1234567" {
			d := d
			added = &d
		}
	}
	if added == nil || added.Type != "Passport" || *added.IssuingCountryCode != "SE" || *added.IssuingCity != "Stockholm" ||
		*added.IssuingCountrySubdivisionCode != "SE-AB" || *added.IdentityDocumentSupportNumber != "SUP99" ||
		!strings.HasPrefix(*added.ExpirationDate, "2031-05-01") || !strings.HasPrefix(*added.IssuanceDate, "2021-05-02") {
		t.Fatalf("simulator holds %+v", added)
	}
	// The list says the dates in the staff's language, with the month's name.
	onUI(k, func() {
		if find(k, func(l *fwidget.Label) bool {
			return strings.Contains(l.Text, "expires 1 May 2031 · issued 2 May 2021")
		}) == nil {
			t.Errorf("the list does not say the dates in words:\n%s", shownTexts(k))
		}
	})

	// Edit: a new expiry, the city emptied on purpose, the rest untouched.
	c := staffOf(k)
	idx := -1
	onUI(k, func() {
		for i, d := range c.s.Docs {
			if d.ID == added.ID {
				idx = i
			}
		}
	})
	tapNth(t, k, "Edit", idx, false)
	es = focusEntries(k)
	setText(k, es[1], "2032-01-31")
	setText(k, es[4], "")
	tapNth(t, k, "Save", 0, false)
	waitStaff(t, k, "the update", func(c *staffView) bool { return !c.s.Busy() && c.s.Form == nil && !c.s.Notice.IsZero() })
	var body struct{ IdentityDocuments []map[string]any }
	if err := json.Unmarshal(r.rec.Last(t, "identityDocuments/update"), &body); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{
		"Id":             added.ID,
		"ExpirationDate": map[string]any{"Value": "2032-01-31T00:00:00Z"},
		"IssuingCity":    map[string]any{"Value": nil},
	}}
	if diff := cmp.Diff(want, body.IdentityDocuments); diff != "" {
		t.Errorf("update body (-want +got):\n%s", diff)
	}

	// Show reveals one number; the others stay masked.
	onUI(k, func() {
		for i, d := range c.s.Docs {
			if d.ID == added.ID {
				idx = i
			}
		}
	})
	tapNth(t, k, "Show", idx, false)
	if !shows(k, "PA1234567") || shows(k, "SEED22222") {
		t.Error("Show did not reveal exactly that number")
	}

	// Delete with a confirmation.
	tapNth(t, k, "Delete", idx, false)
	tapNth(t, k, "Delete", 0, true)
	waitStaff(t, k, "the deletion", func(c *staffView) bool { return !c.s.Busy() && len(c.s.Docs) == 3 })
	for _, d := range r.srv.MewsDocuments() {
		if d.ID == added.ID {
			t.Error("deleted document still in the simulator")
		}
	}

	// A 403 is shown as Mews wrote it.
	tapNth(t, k, "Add", 0, false)
	tapNth(t, k, "Save", 0, false)
	waitStaff(t, k, "the refusal", func(c *staffView) bool { return !c.s.Busy() && !c.s.Problem.IsZero() })
	if !shows(k, "The identity document number is required.") {
		t.Errorf("403 message not shown as Mews wrote it; problem %v", c.s.Problem)
	}
	tapNth(t, k, "Cancel", 0, false)

	// Remove all, confirmed by typing the last name.
	tapNth(t, k, "Remove all", 0, false)
	var confirm *staffEntry
	onUI(k, func() { confirm = allOf(k, true, func(*staffEntry) bool { return true })[0] })
	setText(k, confirm, "Erikson")
	if _, on := buttonEnabled(k, "Remove all documents", true); on {
		t.Error("remove all enabled for a wrong name")
	}
	setText(k, confirm, "eriksson")
	tapNth(t, k, "Remove all documents", 0, true)
	waitStaff(t, k, "remove all", func(c *staffView) bool { return !c.s.Busy() && len(c.s.Docs) == 0 && !c.s.Notice.IsZero() })
	for _, d := range r.srv.MewsDocuments() {
		if d.CustomerID == anna.MewsCustomerID {
			t.Errorf("document %s left after remove all", d.ID)
		}
	}

	// Nothing secret or personal in the log.
	log := r.log.String()
	if !strings.Contains(log, "staff console unlocked") {
		t.Fatalf("the log is not captured:\n%s", log)
	}
	for _, s := range []string{testPIN, demodata.MewsClientToken, demodata.MewsAccessToken,
		"PA1234567", "SEED11111", "SEED22222", "SEED33333", "SUP99", anna.Email, anna.LastName} {
		if strings.Contains(log, s) {
			t.Errorf("log holds %q", s)
		}
	}
}

// TestStaffPINLockoutSurvivesRestart: five wrong PINs lock entry for
// five minutes, and a new kiosk on the same state directory is locked too.
func TestStaffPINLockoutSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clock := newWallClock()
	hash := hashOf(t, testPIN)
	r := newStaffRig(t, rigOptions{hash: hash, stateDir: dir, clock: clock})
	k := r.k
	tapNth(t, k, "Staff", 0, false)
	for i := 0; i < 4; i++ {
		typePIN(t, k, "0000")
		if !shows(k, "Wrong PIN.") {
			t.Fatalf("attempt %d: no wrong-PIN message", i+1)
		}
	}
	if !shows(k, "locked for five minutes: 1.") {
		t.Error("attempts left not shown")
	}
	typePIN(t, k, "0000")
	if !shows(k, "try again in 5 min") {
		t.Fatal("not locked after five wrong PINs")
	}

	// Restart: a new kiosk, same state directory.
	r2 := newStaffRig(t, rigOptions{hash: hash, stateDir: dir, clock: clock, srv: r.srv})
	k2 := r2.k
	tapNth(t, k2, "Staff", 0, false)
	if !shows(k2, "try again in 5 min") {
		t.Fatal("lock lost on restart")
	}
	if _, on := buttonEnabled(k2, "1", false); on {
		t.Error("keypad enabled while locked")
	}
	clock.Advance(4 * time.Minute)
	tapNth(t, k2, "Back to the kiosk", 0, false)
	tapNth(t, k2, "Staff", 0, false)
	if !shows(k2, "try again in 1 min") {
		t.Error("lock not still in force after 4 minutes")
	}
	clock.Advance(time.Minute)
	tapNth(t, k2, "Back to the kiosk", 0, false)
	unlock(t, k2, testPIN)
	if strings.Contains(r.log.String()+r2.log.String(), testPIN) || strings.Contains(r.log.String(), "0000") {
		t.Error("a PIN reached the log")
	}
}

// TestStaffIdleLock: two minutes without a touch lock the staff side and
// return to the attract screen; activity keeps it open.
func TestStaffIdleLock(t *testing.T) {
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN)})
	k := r.k
	unlock(t, k, testPIN)
	r.clock.Advance(110 * time.Second)
	onUI(k, func() { k.onActivity() }) // the pointer moves
	r.clock.Advance(110 * time.Second)
	if !staffOf(k).s.Open {
		t.Fatal("locked although staff were active")
	}
	tapNth(t, k, "Health", 0, false)
	tapNth(t, k, "Leave kiosk", 0, false) // a question left open; the tap counts as activity
	r.clock.Advance(2 * time.Minute)
	waitStaff(t, k, "the idle lock", func(c *staffView) bool { return !c.s.Open })
	if len(overlays(k)) != 0 {
		t.Error("the staff question stayed over the attract screen")
	}
	if exists, _ := buttonEnabled(k, "Touch to start", false); !exists {
		t.Error("not back on the attract screen after the idle lock")
	}
	if !strings.Contains(r.log.String(), "reason=idle") {
		t.Error("idle lock not logged")
	}
}

// TestStaffNoPIN: outside demo mode without a PIN the staff side says how
// to set one and stays locked; demo mode accepts the demo PIN.
func TestStaffNoPIN(t *testing.T) {
	r := newStaffRig(t, rigOptions{})
	tapNth(t, r.k, "Staff", 0, false)
	if !shows(r.k, "signet config add-staff --name NAME") {
		t.Error("no add-staff instruction")
	}
	if exists, _ := buttonEnabled(r.k, "Unlock", false); exists {
		t.Error("an Unlock button without a PIN")
	}
	d := newStaffRig(t, rigOptions{demo: true, srv: r.srv})
	tapNth(t, d.k, "Staff", 0, false)
	if !shows(d.k, "demo PIN 2580") {
		t.Error("demo PIN not shown")
	}
	typePIN(t, d.k, "1111")
	if staffOf(d.k).s.Open {
		t.Fatal("wrong demo PIN opened the staff side")
	}
	typePIN(t, d.k, staffauth.DemoPIN)
	if !staffOf(d.k).s.Open {
		t.Fatal("demo PIN did not open the staff side")
	}
}

// TestStaffHealthAndLeave shows both APIs reachable, the camera's frame
// rate and the queue; leaving asks first.
func TestStaffHealthAndLeave(t *testing.T) {
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN), camera: syntheticCamera(synthetic.SharpSteady, synthetic.Conditions{QR: true})})
	k := r.k
	tapNth(t, k, "Staff", 0, false)
	typePIN(t, k, "1111")
	for _, d := range testPIN {
		tapNth(t, k, string(d), 0, false)
	}
	tapNth(t, k, "Unlock", 0, false)
	waitStaff(t, k, "the staff session", func(c *staffView) bool { return c.s.Open })
	tapNth(t, k, "Health", 0, false)
	if !shows(k, "WARN wrong staff PIN") {
		t.Error("the health screen does not list the recent warning")
	}
	waitStaff(t, k, "both probes", func(c *staffView) bool {
		return c.s.Health != nil && c.s.Health.StoRegister.OK() && c.s.Health.Mews.OK()
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && !shows(k, "frames per second") {
		time.Sleep(50 * time.Millisecond)
	}
	if !shows(k, "frames per second") {
		t.Error("health screen lacks the camera's frame rate")
	}
	if !shows(k, "reachable (") {
		t.Error("health screen lacks reachability")
	}
	tapNth(t, k, "Leave kiosk", 0, false)
	if !shows(k, "The kiosk closes") {
		t.Error("no confirmation before leaving")
	}
	tapNth(t, k, "Cancel", 0, true)
	if !staffOf(k).s.Open {
		t.Error("cancel left the staff side")
	}
}

// TestStaffScanToFill reads the synthetic card's machine-readable zone
// into the form.
func TestStaffScanToFill(t *testing.T) {
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN), camera: syntheticCamera(synthetic.SharpSteady, synthetic.Conditions{QR: true})})
	k := r.k
	unlock(t, k, testPIN)
	c := staffOf(k)
	onUI(k, func() { c.s.OpenCustomer(mews.Customer{ID: demodata.People[0].MewsCustomerID, LastName: "Eriksson"}) })
	waitStaff(t, k, "the list", func(c *staffView) bool { return !c.s.Busy() })
	tapNth(t, k, "Scan to fill", 0, false)
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		done := false
		onUI(k, func() { done = c.s.Form != nil && c.s.Form.FromScan })
		if done {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	var f staff.Form
	onUI(k, func() { f = *c.s.Form })
	if !f.FromScan || f.Number != demodata.CardNumber || f.Expiry == "" {
		t.Fatalf("form after the scan: from scan %v, number ok %v, expiry %q", f.FromScan, f.Number == demodata.CardNumber, f.Expiry)
	}
	if strings.Contains(r.log.String(), demodata.CardNumber) {
		t.Error("the scanned number reached the log")
	}
}
