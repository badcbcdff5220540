package staff

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/app/staff/stafftest"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

const testPIN = "482915"

// rig is a Session whose UI goroutine is a mutex, on the simulator's Mews.
type rig struct {
	s     *Session
	ui    sync.Mutex
	clock *flowtest.Clock
	srv   *sim.Server
	rec   *stafftest.Recorder
	log   *bytes.Buffer
	idle  int // OnIdle calls
	met   *loginCounter
}

// loginCounter counts StaffLogin results.
type loginCounter struct {
	metrics.Recorder
	mu     sync.Mutex
	logins map[string]int
}

func (l *loginCounter) StaffLogin(result string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.logins[result]++
}

func (l *loginCounter) count(result string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.logins[result]
}

// newRig is a session with one account, staffauth.DefaultAccountName,
// whose PIN's hash is hash (none when "").
func newRig(t *testing.T, hash, dir string, clock *flowtest.Clock) *rig {
	t.Helper()
	var accts []staffauth.Account
	if hash != "" {
		a, err := staffauth.NewAccount(staffauth.DefaultAccountName, hash)
		if err != nil {
			t.Fatal(err)
		}
		accts = append(accts, a)
	}
	return newAccountsRig(t, accts, dir, clock)
}

func newAccountsRig(t *testing.T, accts []staffauth.Account, dir string, clock *flowtest.Clock) *rig {
	t.Helper()
	if clock == nil {
		clock = &flowtest.Clock{}
	}
	srv := sim.New()
	if _, err := srv.Start(context.Background(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	r := &rig{clock: clock, srv: srv, rec: &stafftest.Recorder{}, log: &bytes.Buffer{},
		met: &loginCounter{Recorder: metrics.Nop, logins: map[string]int{}}}
	log := slog.New(redact.NewLogger(r.log, "debug", "text").Handler()) // written on the UI goroutine
	r.s = New(Options{Accounts: accts, Metrics: r.met, StateDir: dir, Clock: clock, Mews: stafftest.Mews(t, srv, r.rec), Log: log,
		Do: func(f func()) { r.ui.Lock(); defer r.ui.Unlock(); f() }, OnIdle: func() { r.idle++ }})
	return r
}

// on runs f as the UI goroutine.
func (r *rig) on(f func()) {
	r.ui.Lock()
	defer r.ui.Unlock()
	f()
}

// wait polls cond on the UI goroutine.
func (r *rig) wait(t *testing.T, what string, cond func(s *Session) bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		ok := false
		r.on(func() { ok = cond(r.s) })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (problem %+v)", what, r.s.Problem)
		}
	}
}

func hashOf(t *testing.T, pin string) string {
	t.Helper()
	h, err := staffauth.HashWith(pin, staffauth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (r *rig) unlock(t *testing.T, pin string) {
	t.Helper()
	r.on(func() {
		for _, d := range pin {
			r.s.Press(string(d))
		}
		r.s.Unlock()
	})
	r.wait(t, "the PIN check", func(s *Session) bool { return !s.Checking })
}

// The gate: no PIN set, a wrong PIN, the lockout after five (which a new
// session on the same state directory keeps), and the right PIN.
func TestPINGate(t *testing.T) {
	if n := New(Options{StateDir: t.TempDir(), Do: func(f func()) { f() }}).Unusable(); n.Key != "staff.pin.not_set" {
		t.Errorf("no PIN set: %+v", n)
	}
	demo := New(Options{StateDir: t.TempDir(), Demo: true, Do: func(f func()) { f() }})
	if !demo.Unusable().IsZero() || demo.DemoPIN() != staffauth.DemoPIN {
		t.Errorf("demo: unusable %+v, demo PIN %q", demo.Unusable(), demo.DemoPIN())
	}
	dir, hash, clock := t.TempDir(), hashOf(t, testPIN), &flowtest.Clock{}
	r := newRig(t, hash, dir, clock)
	r.on(func() {
		r.s.Press("1")
		if r.s.CanUnlock() || r.s.Dots() != "●○○○" {
			t.Errorf("one digit: can unlock %v, dots %q", r.s.CanUnlock(), r.s.Dots())
		}
		r.s.Backspace()
		r.s.ClearPIN()
	})
	for i := 0; i < 4; i++ {
		r.unlock(t, "0000")
		if r.s.Problem.Key != "staff.pin.wrong" || r.s.Open {
			t.Fatalf("wrong PIN %d: %+v, open %v", i+1, r.s.Problem, r.s.Open)
		}
	}
	r.unlock(t, "0000")
	if locked, left, _ := r.s.Lockout(); !locked || left != 5*time.Minute {
		t.Fatalf("after five wrong PINs: locked %v for %v", locked, left)
	}
	r2 := newRig(t, hash, dir, clock)
	if locked, _, _ := r2.s.Lockout(); !locked {
		t.Fatal("the lock did not survive a restart")
	}
	clock.Advance(5 * time.Minute)
	r2.unlock(t, testPIN)
	if !r2.s.Open || !r2.s.Problem.IsZero() {
		t.Fatalf("right PIN: open %v, problem %+v", r2.s.Open, r2.s.Problem)
	}
	if log := r.log.String() + r2.log.String(); strings.Contains(log, testPIN) || strings.Contains(log, "0000") {
		t.Error("a PIN reached the log")
	}
}

// Two minutes alone lock an open session; a touch re-arms the lock.
func TestIdleLock(t *testing.T) {
	r := newRig(t, hashOf(t, testPIN), t.TempDir(), nil)
	r.unlock(t, testPIN)
	r.clock.Advance(110 * time.Second)
	r.on(r.s.Touch)
	r.clock.Advance(110 * time.Second)
	if r.idle != 0 {
		t.Fatal("idle lock although staff were active")
	}
	r.clock.Advance(10 * time.Second)
	if r.idle != 1 {
		t.Fatalf("OnIdle called %d times after two minutes alone", r.idle)
	}
	r.on(func() {
		if !r.s.Lock("idle") || r.s.Open || r.s.Customer != nil {
			t.Error("Lock did not close the session")
		}
	})
}

// Search, every page of a customer's documents, add, the update that
// sends only what changed, delete and remove all, against the simulator.
func TestDocuments(t *testing.T) {
	r := newRig(t, hashOf(t, testPIN), t.TempDir(), nil)
	anna := demodata.People[0]
	seed := []mews.Document{
		{CustomerID: anna.MewsCustomerID, Type: mews.IdentityCard, Number: "SEED11111", IssuingCountryCode: "SE"},
		{CustomerID: anna.MewsCustomerID, Type: mews.DriversLicense, Number: "SEED22222"},
		{CustomerID: anna.MewsCustomerID, Type: mews.Visa, Number: "SEED33333"},
	}
	if _, err := r.s.o.Mews.Documents.Add(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	r.unlock(t, testPIN)
	r.on(func() { r.s.Search(false) })
	if r.s.Problem.Key != "staff.customers.empty" {
		t.Errorf("empty search: %+v", r.s.Problem)
	}
	r.on(func() { r.s.Query = strings.ToUpper(anna.Email); r.s.Search(true) })
	r.wait(t, "the search", func(s *Session) bool { return !s.Busy() && s.Searched })
	if len(r.s.Customers) != 1 || r.s.Customers[0].ID != anna.MewsCustomerID {
		t.Fatalf("found %d customers", len(r.s.Customers))
	}
	r.on(func() { r.s.OpenCustomer(r.s.Customers[0]) })
	r.wait(t, "the documents", func(s *Session) bool { return !s.Busy() && len(s.Docs) == 3 })
	if n := r.rec.Count("identityDocuments/getAll"); n != 2 {
		t.Errorf("the list took %d pages, want 2", n)
	}

	r.on(func() {
		r.s.EditDocument(nil)
		f := r.s.Form
		f.Type, f.Number, f.Expiry, f.City = "Passport", "PA1234567", "2031-05-01", "Stockholm"
		r.s.Save()
	})
	r.wait(t, "the added document", func(s *Session) bool { return !s.Busy() && s.Form == nil && len(s.Docs) == 4 })
	if r.s.Notice.Key != "staff.form.added" {
		t.Errorf("notice %+v", r.s.Notice)
	}
	var added mews.Document
	r.on(func() {
		for _, d := range r.s.Docs {
			if d.Number == "PA1234567" {
				added = d
			}
		}
		r.s.EditDocument(&added)
		r.s.Form.Expiry, r.s.Form.City = "2032-01-31", ""
		r.s.Save()
	})
	r.wait(t, "the update", func(s *Session) bool { return !s.Busy() && s.Form == nil && s.Notice.Key == "staff.form.updated" })
	var body struct{ IdentityDocuments []map[string]any }
	if err := json.Unmarshal(r.rec.Last(t, "identityDocuments/update"), &body); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"Id": added.ID, "ExpirationDate": map[string]any{"Value": "2032-01-31T00:00:00Z"},
		"IssuingCity": map[string]any{"Value": nil}}}
	if diff := cmp.Diff(want, body.IdentityDocuments); diff != "" {
		t.Errorf("update body (-want +got):\n%s", diff)
	}

	r.on(func() { r.s.Delete(added) })
	r.wait(t, "the deletion", func(s *Session) bool { return !s.Busy() && len(s.Docs) == 3 })
	r.on(func() { r.s.RemoveAll() })
	r.wait(t, "remove all", func(s *Session) bool { return !s.Busy() && len(s.Docs) == 0 && !s.Notice.IsZero() })
	for _, s := range []string{"PA1234567", "SEED11111", anna.Email, testPIN} {
		if strings.Contains(r.log.String(), s) {
			t.Errorf("log holds %q", s)
		}
	}
}

// A form left as it was sends nothing; a bad date is refused before any
// request.
func TestSaveWithoutChanges(t *testing.T) {
	r := newRig(t, hashOf(t, testPIN), t.TempDir(), nil)
	doc := mews.Document{ID: "d1", Type: mews.Passport, Number: "P1", ExpirationDate: mews.Date{Year: 2030, Month: 1, Day: 2}}
	r.on(func() {
		r.s.Customer = &mews.Customer{ID: "c1"}
		r.s.EditDocument(&doc)
		r.s.Save()
		if r.s.Form != nil || r.s.Notice.Key != "staff.form.unchanged" || r.s.Busy() {
			t.Errorf("unchanged form: form %v, notice %+v, busy %v", r.s.Form, r.s.Notice, r.s.Busy())
		}
		r.s.EditDocument(&doc)
		r.s.Form.Expiry = "2030-13-40"
		r.s.Save()
		want := Note{Key: "staff.form.expiry_problem", Args: []any{"why", Note{Key: "date.day_invalid", Args: []any{"max", 0, "year", 0}}}}
		if !reflect.DeepEqual(r.s.Problem, want) || r.s.Busy() {
			t.Errorf("bad date: %+v, busy %v", r.s.Problem, r.s.Busy())
		}
	})
	if n := r.rec.Count("identityDocuments/update"); n != 0 {
		t.Errorf("%d updates sent", n)
	}
}

func TestNoteFor(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want Note
	}{
		{&mews.APIError{Status: 403, Message: "The identity document number is required."}, Note{Text: "The identity document number is required."}},
		{&mews.APIError{Status: 401}, note("staff.error.unauthorized")},
		{&mews.APIError{Status: 400}, note("staff.error.refused", "status", 400)},
		{&mews.APIError{Status: 503}, note("error.unreachable")},
		{fmt.Errorf("list: %w", context.DeadlineExceeded), note("error.timeout")},
		{mews.ErrInvalidInput, note("staff.error.invalid")},
		{errors.New("connection refused"), note("error.unreachable")},
	} {
		if got := NoteFor(tt.err); !cmp.Equal(got, tt.want) {
			t.Errorf("NoteFor(%v) = %+v, want %+v", tt.err, got, tt.want)
		}
	}
}

func TestMasks(t *testing.T) {
	if got := MaskNumber("D23145890"); got != "•••••••90" {
		t.Errorf("MaskNumber: %q", got)
	}
	if got := MaskNumber("AB"); got != "••" {
		t.Errorf("MaskNumber of two: %q", got)
	}
	if got := MaskBirthDate(mews.Date{Year: 1974, Month: 8, Day: 12}); got != "1974-••-••" {
		t.Errorf("MaskBirthDate: %q", got)
	}
	if MaskBirthDate(mews.Date{}) != "" {
		t.Error("an unknown birth date is shown")
	}
	if !SameName("  eriksson ", "Eriksson") || SameName("Erikson", "Eriksson") || SameName("", "") {
		t.Error("SameName")
	}
	if titleCase("VAN DER BERG") != "Van Der Berg" {
		t.Errorf("titleCase: %q", titleCase("VAN DER BERG"))
	}
}

// The health screen lists the events and the kept warnings together,
// oldest first, at most twenty.
func TestRecent(t *testing.T) {
	ev := NewEvents(3)
	for i := range 5 {
		ev.Add(fmt.Sprint("event ", i))
	}
	ring := NewErrorRing(30)
	log := slog.New(ring.Handler(slog.DiscardHandler))
	for i := range 25 {
		log.Warn(fmt.Sprint("warning ", i))
	}
	if got := Recent(ev, nil); len(got) != 3 || got[0].What != "event 2" {
		t.Errorf("events alone: %+v", got)
	}
	got := Recent(ev, ring)
	if len(got) != recentMax || got[len(got)-1].What != "WARN warning 24" {
		t.Errorf("with the ring: %d lines, last %+v", len(got), got[len(got)-1])
	}
}
