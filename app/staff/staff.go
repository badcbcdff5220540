// Package staff is the staff side of the kiosk in plain Go: the PIN gate
// and its lockout, the idle lock, finding a customer, their identity
// documents (every page of them), the form whose changes become a Mews
// update, and the health screen's probes and summaries. The staff screens
// in package app draw a Session and call its methods; tests drive it
// without a window.
package staff

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

// Options are what a Session needs; Mews and Booking may be nil when not
// configured.
type Options struct {
	// Accounts are the staff accounts (config's Staff.AuthAccounts); none
	// means no PIN is set. AccountsErr is why they could not be read: the
	// session then stays locked.
	Accounts    []staffauth.Account
	AccountsErr error
	// Demo accepts the demo PIN when there is no account.
	Demo bool
	// StateDir holds the PIN lockout state: the terminal's and each
	// account's.
	StateDir string
	// Metrics counts PIN entries by result; nil records nothing.
	Metrics metrics.Recorder
	// IdleTimeout locks an open session left alone; zero is two minutes.
	IdleTimeout time.Duration
	// Clock schedules the idle lock and tells the lockout's time.
	Clock flow.Clock
	// Mews manages customers' identity documents.
	Mews *mews.Client
	// Booking is asked for a booking's document types by the health probe.
	Booking flow.BookingService
	// Log and Events record what staff do, never personal data.
	Log    *slog.Logger
	Events *Events
	// Do hands a function to the UI goroutine; Changed redraws the screen
	// (on it); OnIdle is called on it when the idle lock should close the
	// session.
	Do      func(func())
	Changed func()
	OnIdle  func()
}

// requestTimeout bounds one request staff wait for.
const requestTimeout = 30 * time.Second

// defaultIdle is the idle lock when Options leave it zero.
const defaultIdle = 2 * time.Minute

// Session is the staff side of one kiosk: locked behind the PIN gate, or
// open on a customer search, a customer's documents, a document form or
// the health screen. Its fields are for drawing: they and every method
// belong to the UI goroutine; network work runs elsewhere and hands its
// result back through Options.Do.
type Session struct {
	o    Options
	gate *staffauth.AccountGate
	// gateErr is why the gate could not be opened (the accounts, or the
	// lockout state directory): the session then stays locked.
	gateErr error
	jobs    flow.Jobs

	Open     bool              // unlocked
	Account  staffauth.Account // who unlocked it: named in the log of every change
	PIN      string            // the digits typed so far
	Checking bool              // the PIN is being checked
	Problem  Note              // what went wrong last, on the current screen
	Notice   Note              // a success, on the documents screen

	Query     string
	Searched  bool
	Customers []mews.Customer
	Customer  *mews.Customer  // the customer whose documents are shown
	Docs      []mews.Document // their documents
	Shown     map[string]bool // document ids whose number is shown
	Form      *Form           // the add or edit form, when open
	Health    *Health         // the health screen, when shown

	idleTimer flow.Timer
	idleEpoch int
}

// New makes a locked session. A lockout state that cannot be opened is
// logged and keeps the session locked.
func New(o Options) *Session {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Events == nil {
		o.Events = NewEvents(20)
	}
	if o.Clock == nil {
		o.Clock = flow.SystemClock{}
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = defaultIdle
	}
	if o.Metrics == nil {
		o.Metrics = metrics.Nop
	}
	s := &Session{o: o, Shown: map[string]bool{}}
	s.jobs = flow.Jobs{Do: o.Do, Changed: s.changed}
	if o.AccountsErr != nil {
		o.Log.Error("staff accounts in the configuration cannot be read; the console stays locked", "err", o.AccountsErr)
		s.gateErr = o.AccountsErr
		return s
	}
	gate, err := staffauth.OpenAccountGate(staffauth.AccountGateOptions{StateDir: o.StateDir, Accounts: o.Accounts,
		Demo: o.Demo, Now: o.Clock.Now})
	if err != nil {
		o.Log.Error("staff lockout state not available; the console stays locked", "err", err)
		s.gateErr = err
		return s
	}
	s.gate = gate
	return s
}

func (s *Session) changed() {
	if s.o.Changed != nil {
		s.o.Changed()
	}
}

// Busy reports whether a request is under way.
func (s *Session) Busy() bool { return s.jobs.Busy() }

// MewsOn reports whether Mews is configured: without it there are no
// customers to find.
func (s *Session) MewsOn() bool { return s.o.Mews != nil }

// run starts a request: work runs off the UI goroutine with a deadline and
// returns what to do with its result on it, unless the session was locked
// meanwhile.
func (s *Session) run(work func(ctx context.Context) func()) {
	s.Problem, s.Notice = Note{}, Note{}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	s.jobs.Go(ctx, func(ctx context.Context) func() {
		defer cancel()
		return work(ctx)
	})
}

// --- PIN gate ------------------------------------------------------------------

// Enter starts at the PIN pad, or where an open session was.
func (s *Session) Enter() {
	s.PIN, s.Problem = "", Note{}
	if s.Open {
		s.arm()
	}
}

// Unusable says why no PIN can open the session (no account; accounts
// unreadable; no lockout state), or is zero when one can.
func (s *Session) Unusable() Note {
	switch {
	case s.o.AccountsErr != nil:
		return note("staff.pin.bad_hash")
	case s.gateErr != nil:
		return note("staff.pin.no_state")
	case !s.gate.Configured():
		return note("staff.pin.not_set")
	}
	return Note{}
}

// Lockout says whether PIN entry on this terminal is locked, for how long,
// and how many wrong PINs are left before it locks.
func (s *Session) Lockout() (locked bool, left time.Duration, attempts int) {
	if s.gate == nil {
		return false, 0, staffauth.DefaultMaxFailures
	}
	return s.gate.Terminal().Status()
}

// DemoPIN is the PIN to show in demo mode without an account, else "".
func (s *Session) DemoPIN() string {
	if s.gate != nil && s.gate.DemoPINAccepted() {
		return staffauth.DemoPIN
	}
	return ""
}

// Dots shows the typed PIN's length, and the minimum still to type.
func (s *Session) Dots() string {
	return strings.Repeat("●", len([]rune(s.PIN))) + strings.Repeat("○", max(0, staffauth.MinPINLength-len(s.PIN)))
}

// Press types a digit.
func (s *Session) Press(d string) {
	if len(s.PIN) < staffauth.MaxPINLength {
		s.PIN += d
	}
	s.Problem = Note{}
}

// Backspace removes the last digit.
func (s *Session) Backspace() {
	if s.PIN != "" {
		s.PIN = s.PIN[:len(s.PIN)-1]
	}
}

// ClearPIN removes every digit.
func (s *Session) ClearPIN() { s.PIN = "" }

// CanUnlock reports whether the typed PIN may be checked now.
func (s *Session) CanUnlock() bool {
	locked, _, _ := s.Lockout()
	return !locked && !s.Checking && len(s.PIN) >= staffauth.MinPINLength
}

// Unlock checks the typed PIN off the UI goroutine (argon2id takes a tenth
// of a second or more) against every account. Neither the PIN nor a hash
// is logged. A right PIN opens the session, as its account, on the
// customer search.
func (s *Session) Unlock() {
	s.unlock(func(pin string) (staffauth.Account, error) { return s.gate.Check(pin) })
}

// UnlockAs checks the typed PIN as the PIN of the account called name (a
// desk, where staff pick their name first): a wrong one counts against
// that account as well as the terminal.
func (s *Session) UnlockAs(name string) {
	s.unlock(func(pin string) (staffauth.Account, error) { return s.gate.CheckAs(name, pin) })
}

// Names are the accounts staff pick from at a desk.
func (s *Session) Names() []string {
	if s.gate == nil {
		return nil
	}
	return s.gate.Names()
}

// AccountLockout says whether the account called name is locked, for how
// long, and how many wrong PINs it has left; an unknown name is not locked.
func (s *Session) AccountLockout(name string) (locked bool, left time.Duration, attempts int) {
	if s.gate == nil || s.gate.Lockout(name) == nil {
		return false, 0, staffauth.DefaultMaxFailures
	}
	return s.gate.Lockout(name).Status()
}

func (s *Session) unlock(check func(pin string) (staffauth.Account, error)) {
	if s.gate == nil {
		return
	}
	pin := s.PIN
	s.PIN, s.Checking, s.Problem = "", true, Note{}
	log, events, m := s.o.Log, s.o.Events, s.o.Metrics
	s.jobs.Go(context.Background(), func(context.Context) func() {
		acct, err := check(pin)
		return func() {
			s.Checking = false
			switch {
			case err == nil:
				m.StaffLogin("success")
				log.Info("staff console unlocked", acct.Attr())
				events.Add("staff console unlocked (" + acct.Name + ")")
				s.Open, s.Account = true, acct
				s.arm()
				s.ShowCustomers()
			case errors.Is(err, staffauth.ErrAccountLocked):
				// The right PIN of a locked account, or the wrong PIN that
				// locked it: said as such, so staff know to wait or ask
				// someone else.
				m.StaffLogin("locked")
				log.Warn("staff account locked after too many wrong PINs")
				events.Add("staff account locked")
				s.Problem = note("staff.pin.account_locked")
			case errors.Is(err, staffauth.ErrLocked):
				m.StaffLogin("locked")
				log.Warn("staff PIN entry locked after too many wrong PINs")
				events.Add("staff PIN entry locked")
			case errors.Is(err, staffauth.ErrWrongPIN):
				m.StaffLogin("wrong_pin")
				log.Warn("wrong staff PIN")
				events.Add("wrong staff PIN")
				s.Problem = note("staff.pin.wrong")
			case errors.Is(err, staffauth.ErrNoAccount):
				m.StaffLogin("error")
				s.Problem = note("staff.pin.wrong")
			default:
				m.StaffLogin("error")
				log.Error("staff PIN check failed", "err", err)
				s.Problem = note("staff.pin.bad_hash")
			}
		}
	})
}

// --- Idle lock and lock ----------------------------------------------------------

// Touch re-arms the idle lock; the screens call it on any pointer movement
// and tap.
func (s *Session) Touch() {
	if s.Open {
		s.arm()
	}
}

func (s *Session) arm() {
	if s.idleTimer != nil {
		s.idleTimer.Stop()
	}
	s.idleEpoch++
	epoch := s.idleEpoch
	s.idleTimer = s.o.Clock.AfterFunc(s.o.IdleTimeout, func() {
		s.o.Do(func() {
			if s.Open && s.idleEpoch == epoch && s.o.OnIdle != nil {
				s.o.OnIdle()
			}
		})
	})
}

// Lock closes the session and forgets everything staff saw; the results
// of requests under way are dropped. It reports whether the session was
// open.
func (s *Session) Lock(reason string) (wasOpen bool) {
	if s.idleTimer != nil {
		s.idleTimer.Stop()
		s.idleTimer = nil
	}
	s.StopHealth()
	wasOpen = s.Open
	s.jobs.Drop()
	who := s.Account
	s.Open, s.Account, s.PIN, s.Problem, s.Checking = false, staffauth.Account{}, "", Note{}, false
	s.Query, s.Searched, s.Customers, s.Customer, s.Docs, s.Form, s.Notice = "", false, nil, nil, nil, nil, Note{}
	s.Shown = map[string]bool{}
	if wasOpen {
		s.o.Log.Info("staff console locked", "reason", reason, who.Attr())
		s.o.Events.Add("staff console locked (" + reason + ")")
	}
	return wasOpen
}

// Leave records that staff closed the kiosk.
func (s *Session) Leave() {
	s.o.Log.Info("kiosk closed from the staff console", s.Account.Attr())
	s.o.Events.Add("kiosk closed by staff")
	s.StopHealth()
}
