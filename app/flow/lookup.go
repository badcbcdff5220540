package flow

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/client/storegister"
)

// LookupPhase is what the find-booking screen shows about the lookup.
type LookupPhase int

// The phases. Each is one stable message on the screen; the policy changes
// phase only when the guest acts or an answer arrives, never on a timer, so
// the screen cannot alternate between two messages.
const (
	// LookupIdle: nothing asked yet, or the guest is typing.
	LookupIdle LookupPhase = iota
	// LookupLooking: a lookup the guest asked for is running.
	LookupLooking
	// LookupNotFound: the booking system answered that the code is not a
	// booking (or refused it for good).
	LookupNotFound
	// LookupDown: the booking system could not be reached or failed. The
	// phase holds through automatic retries (Retrying tells one is running)
	// until an answer comes.
	LookupDown
)

// String names the phase, for logs and tests.
func (p LookupPhase) String() string {
	switch p {
	case LookupIdle:
		return "idle"
	case LookupLooking:
		return "looking"
	case LookupNotFound:
		return "not-found"
	case LookupDown:
		return "down"
	}
	return "unknown"
}

// LookupState is the screen's state.
type LookupState struct {
	Phase LookupPhase
	// NextTry is when an automatic retry may start (LookupDown).
	NextTry time.Time
	// Retrying is true while an automatic retry runs in LookupDown: the
	// screen may show activity inside the same message.
	Retrying bool
	// Failures counts the failures in a row since the last answer.
	Failures int
	// Err is the last failure (LookupNotFound, LookupDown), for the
	// sentence; nil otherwise.
	Err error
}

// LookupSource says who asks for a lookup.
type LookupSource int

// The sources.
const (
	// FromCamera is a QR code read: automatic, many times a second while a
	// code is in view.
	FromCamera LookupSource = iota
	// FromGuest is a tap on Search or Try again.
	FromGuest
	// FromTimer is the screen's retry timer, after Due.
	FromTimer
)

// LookupOptions tune the policy; zero fields take the defaults.
type LookupOptions struct {
	// FirstBackoff is the wait after the first failure (1 s); it doubles
	// with each failure in a row up to MaxBackoff (30 s).
	FirstBackoff, MaxBackoff time.Duration
	// ForgetAfter is how long a refused code must stay out of view (no
	// camera read of it) before a new read looks it up again (3 s: QR
	// decoding misses a frame now and then while a code is held up).
	ForgetAfter time.Duration
	// MaxRetryAfter caps a server's Retry-After (5 min).
	MaxRetryAfter time.Duration
}

// Defaults of LookupOptions.
const (
	DefaultFirstBackoff  = time.Second
	DefaultMaxBackoff    = 30 * time.Second
	DefaultForgetAfter   = 3 * time.Second
	DefaultMaxRetryAfter = 5 * time.Minute
)

func (o LookupOptions) withDefaults() LookupOptions {
	if o.FirstBackoff <= 0 {
		o.FirstBackoff = DefaultFirstBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	o.MaxBackoff = max(o.MaxBackoff, o.FirstBackoff)
	if o.ForgetAfter <= 0 {
		o.ForgetAfter = DefaultForgetAfter
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = DefaultMaxRetryAfter
	}
	return o
}

// Ticket identifies one lookup started by Begin; End takes it back.
type Ticket uint64

// Lookups is the find-booking screen's lookup policy, without Fyne:
//
//   - at most one lookup in flight;
//   - after a failure, automatic lookups wait 1 s, 2 s, 4 s … up to 30 s
//     (or the server's Retry-After), reset by any answer;
//   - a code the booking system refused is not looked up again from the
//     camera while it stays in view, nor from Search until the guest types
//     or ForgetAfter passes;
//   - a camera read neither fills the field nor starts a lookup once the
//     guest has typed since the last fill;
//   - one stable LookupState for the screen.
//
// The clock is injected. Safe for concurrent use, though the kiosk calls it
// from the Fyne goroutine only (results arrive through fyne.Do).
type Lookups struct {
	o   LookupOptions
	now func() time.Time

	mu       sync.Mutex
	st       LookupState
	ticket   Ticket // the lookup in flight, 0 when none
	last     Ticket
	inFlight string
	src      LookupSource
	lastID   string               // the code of the last failed lookup, for Due
	refused  map[string]time.Time // code → last seen or refused
	typed    bool                 // the guest typed since the last fill
	started  int
}

// NewLookups returns the policy reading the time from now (time.Now when
// nil).
func NewLookups(now func() time.Time, o LookupOptions) *Lookups {
	if now == nil {
		now = time.Now
	}
	return &Lookups{o: o.withDefaults(), now: now, refused: map[string]time.Time{}}
}

// Begin asks whether a lookup of the canonical booking id may start now.
// When ok, the caller runs it and hands the result to End with the ticket.
// A camera read of a refused code also tells the policy the code is still
// in view.
func (l *Lookups) Begin(id string, src LookupSource) (t Ticket, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.forgetLocked(now)
	if id == "" {
		return 0, false
	}
	if _, no := l.refused[id]; no {
		if src == FromCamera {
			l.refused[id] = now
		}
		return 0, false
	}
	if l.ticket != 0 {
		return 0, false
	}
	switch src {
	case FromCamera:
		if l.typed {
			return 0, false
		}
		if l.st.Phase == LookupDown && now.Before(l.st.NextTry) {
			return 0, false
		}
	case FromTimer:
		if l.st.Phase != LookupDown || now.Before(l.st.NextTry) {
			return 0, false
		}
	}
	l.last++
	l.ticket, l.inFlight, l.src = l.last, id, src
	l.started++
	if l.st.Phase == LookupDown && src != FromGuest {
		l.st.Retrying = true
	} else {
		l.st = LookupState{Phase: LookupLooking, Failures: l.st.Failures}
	}
	return l.ticket, true
}

// End records the result of the lookup t (err nil: the booking was found)
// and returns the new state. A ticket from before Reset, or already ended,
// changes nothing.
func (l *Lookups) End(t Ticket, err error) LookupState {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t == 0 || t != l.ticket {
		return l.st
	}
	id := l.inFlight
	l.ticket, l.inFlight = 0, ""
	now := l.now()
	switch o := ClassifyLookup(err); o {
	case LookupFound:
		l.st, l.lastID = LookupState{Phase: LookupIdle}, ""
	case LookupCancelled:
		l.st.Retrying = false
		if l.st.Phase == LookupLooking {
			l.st.Phase = LookupIdle
		}
	case LookupRefused:
		l.refused[id] = now
		l.st, l.lastID = LookupState{Phase: LookupNotFound, Err: err}, ""
	default:
		n := l.st.Failures + 1
		wait := Backoff(n, l.o.FirstBackoff, l.o.MaxBackoff)
		var ra interface{ RetryAfter() time.Duration }
		if errors.As(err, &ra) {
			wait = max(wait, min(ra.RetryAfter(), l.o.MaxRetryAfter))
		}
		l.st = LookupState{Phase: LookupDown, NextTry: now.Add(wait), Failures: n, Err: err}
		l.lastID = id
	}
	return l.st
}

// Due reports whether an automatic retry of the last failed code is due:
// the screen's timer (at State().NextTry) then calls Begin(id, FromTimer).
func (l *Lookups) Due() (id string, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.st.Phase != LookupDown || l.ticket != 0 || l.lastID == "" || l.now().Before(l.st.NextTry) {
		return "", false
	}
	return l.lastID, true
}

// LastFailed is the code of the last failed lookup, for Try again; "" when
// the last lookup did not fail.
func (l *Lookups) LastFailed() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastID
}

// Typed records an edit of the booking-id field by the guest (not a fill by
// Filled): text is the field's new content. Typing forgets every refused
// code, and while the field holds typed text no camera read may fill it or
// start a lookup; clearing the field gives it back to the camera. A
// not-found message goes away as the guest types.
func (l *Lookups) Typed(text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.typed = text != ""
	clear(l.refused)
	if l.st.Phase == LookupNotFound {
		l.st = LookupState{Phase: LookupIdle}
	}
}

// MayFill reports whether a camera read may write its code into the field:
// not once the guest has typed since the last fill.
func (l *Lookups) MayFill() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return !l.typed
}

// Filled records that a camera read wrote the field.
func (l *Lookups) Filled() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.typed = false
}

// CameraRead is the whole camera path: fill says whether to write id into
// the field (then call Filled): not over the guest's typing, and not a
// code already refused or rejected; start whether to run the lookup with t.
func (l *Lookups) CameraRead(id string) (fill bool, t Ticket, start bool) {
	t, start = l.Begin(id, FromCamera)
	l.mu.Lock()
	defer l.mu.Unlock()
	_, refused := l.refused[id]
	return !l.typed && !refused, t, start
}

// Reject records that the guest answered "No, search again" to the booking
// found for id: it is treated like a refused code (not looked up again from
// the camera while it stays in view, nor filled into the field), and the
// screen starts idle with an empty field. Its time out of view counts from
// its first camera read after Reject: the camera is off while the booking
// is shown, however long the guest reads it.
func (l *Lookups) Reject(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if id != "" {
		// Not seen yet: the camera is off while the booking is shown, so
		// the code's time out of view starts at its first read back on
		// the find screen, not now.
		l.refused[id] = time.Time{}
	}
	l.st, l.typed = LookupState{Phase: LookupIdle}, false
}

// State is what the screen shows.
func (l *Lookups) State() LookupState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st
}

// Started counts the lookups started since NewLookups or Reset.
func (l *Lookups) Started() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.started
}

// Reset forgets everything, as the idle reset or Start over does; a lookup
// still in flight is ignored when it ends.
func (l *Lookups) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.st, l.ticket, l.inFlight, l.lastID, l.typed, l.started = LookupState{}, 0, "", "", false, 0
	clear(l.refused)
}

// forgetLocked drops refused codes not seen for ForgetAfter; a rejected
// code not read since Reject stays.
func (l *Lookups) forgetLocked(now time.Time) {
	for id, seen := range l.refused {
		if !seen.IsZero() && now.Sub(seen) >= l.o.ForgetAfter {
			delete(l.refused, id)
		}
	}
}

// LookupOutcome classifies a lookup's error.
type LookupOutcome int

// The outcomes.
const (
	// LookupFound: no error.
	LookupFound LookupOutcome = iota
	// LookupRefused: the booking system answered for good (NO_RECORDS_FOUND,
	// an id it refuses, or any other permanent answer): asking again gives
	// the same answer.
	LookupRefused
	// LookupFailed: unreachable, timed out, a 5xx or 429, or the kiosk's key
	// refused (staff must act): worth retrying later.
	LookupFailed
	// LookupCancelled: the screen was left.
	LookupCancelled
)

// ClassifyLookup tells what a booking lookup's error means for the policy.
func ClassifyLookup(err error) LookupOutcome {
	var api *storegister.APIError
	switch {
	case err == nil:
		return LookupFound
	case errors.Is(err, context.Canceled):
		return LookupCancelled
	case errors.Is(err, storegister.ErrInvalidID):
		return LookupRefused
	case errors.Is(err, storegister.ErrUnauthorized):
		return LookupFailed
	case errors.As(err, &api) && api.Permanent():
		return LookupRefused
	}
	return LookupFailed
}

// Backoff is the wait after the n-th failure in a row (n ≥ 1): first,
// doubled each time, capped at most.
func Backoff(n int, first, most time.Duration) time.Duration {
	d := first
	for i := 1; i < n && d < most; i++ {
		d *= 2
	}
	return min(d, most)
}
