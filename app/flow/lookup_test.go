package flow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/storegister"
)

// fakeNow is a clock that moves only when the test says.
type fakeNow struct{ t time.Time }

func (c *fakeNow) Now() time.Time          { return c.t }
func (c *fakeNow) Advance(d time.Duration) { c.t = c.t.Add(d) }

func newFake() *fakeNow { return &fakeNow{t: time.Date(2030, 6, 15, 9, 0, 0, 0, time.UTC)} }

const (
	qrID    = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	otherID = "0f8fad5b-d9cb-469f-a165-70867728950e"
)

var (
	errNoRecords = &storegister.APIError{Op: "get booking", HTTPStatus: http.StatusOK, Status: "ERROR",
		Codes: []storegister.Code{storegister.CodeNoRecordsFound}}
	errDown = fmt.Errorf("storegister: get booking: %w", errors.New("dial tcp 127.0.0.1:9: connect: connection refused"))
)

// run simulates the find-booking screen for d: the camera reads qr every
// readEvery (none when qr is ""), the booking system answers each lookup
// after latency with answer(), and the screen's retry timer calls Due once
// a second. It returns the phases seen, in order, without repeats.
func run(l *Lookups, c *fakeNow, d, readEvery, latency time.Duration, qr string, answer func() error) []LookupPhase {
	const tick = 5 * time.Millisecond
	phases := []LookupPhase{l.State().Phase}
	var (
		pending Ticket
		doneAt  time.Time
		nextRd  = c.Now()
		nextDue = c.Now()
	)
	end := c.Now().Add(d)
	for c.Now().Before(end) {
		now := c.Now()
		if pending != 0 && !now.Before(doneAt) {
			l.End(pending, answer())
			pending = 0
		}
		if qr != "" && !now.Before(nextRd) {
			nextRd = now.Add(readEvery)
			if fill, t, ok := l.CameraRead(qr); ok {
				if fill {
					l.Filled()
				}
				pending, doneAt = t, now.Add(latency)
			}
		}
		if !now.Before(nextDue) {
			nextDue = now.Add(time.Second)
			if id, ok := l.Due(); ok {
				if t, ok := l.Begin(id, FromTimer); ok {
					pending, doneAt = t, now.Add(latency)
				}
			}
		}
		if p := l.State().Phase; p != phases[len(phases)-1] {
			phases = append(phases, p)
		}
		c.Advance(tick)
	}
	return phases
}

// The review: with the booking system down and a QR in view, 71 lookups
// piled up in the minute before the idle reset, and the screen alternated
// every second between "Looking…" and "We cannot reach…".
func TestDownWithQRInViewBacksOffAndHoldsOneMessage(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	phases := run(l, c, 75*time.Second, 150*time.Millisecond, 100*time.Millisecond, qrID,
		func() error { return errDown })
	// Lookups start at 0 s, then 1, 2, 4, 8, 16, 30, 30 s after each
	// failure ends (100 ms each): 0, 1.1, 3.2, 7.3, 15.4, 31.5, 61.6.
	if n := l.Started(); n != 7 {
		t.Errorf("%d lookups in 75 s while down, want 7 (the review saw 71)", n)
	}
	want := []LookupPhase{LookupIdle, LookupLooking, LookupDown}
	if fmt.Sprint(phases) != fmt.Sprint(want) {
		t.Errorf("phases %v, want %v: the screen must not flicker", phases, want)
	}
	st := l.State()
	if st.Failures != 7 || st.Phase != LookupDown || !st.NextTry.After(c.Now()) {
		t.Errorf("state %+v", st)
	}
}

// The same with no QR in view: the screen's timer retries the last code on
// the same schedule, and nothing else.
func TestDownRetriesFromTheTimerOnly(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	tk, ok := l.Begin(qrID, FromGuest)
	if !ok {
		t.Fatal("the first Search was refused")
	}
	l.End(tk, errDown)
	run(l, c, 60*time.Second, 0, 50*time.Millisecond, "", func() error { return errDown })
	// Timer ticks every second from 0: retries at ≥1, ≥3.05, ≥7.1, ≥15.15, ≥31.2 s → 1 + 5.
	if n := l.Started(); n != 6 {
		t.Errorf("%d lookups in 60 s, want 6", n)
	}
}

// The review: a QR for an unknown booking was looked up every 65 ms, 99
// requests in 7 s, each answered NO_RECORDS_FOUND.
func TestUnknownQRIsLookedUpOnce(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	phases := run(l, c, 7*time.Second, 65*time.Millisecond, 40*time.Millisecond, qrID,
		func() error { return errNoRecords })
	if n := l.Started(); n != 1 {
		t.Errorf("%d lookups in 7 s for one unknown QR, want 1 (the review saw 99)", n)
	}
	want := []LookupPhase{LookupIdle, LookupLooking, LookupNotFound}
	if fmt.Sprint(phases) != fmt.Sprint(want) {
		t.Errorf("phases %v, want %v", phases, want)
	}
}

func TestRefusedCodeForgottenOnlyOutOfView(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{ForgetAfter: 3 * time.Second})
	tk, _ := l.Begin(qrID, FromCamera)
	l.End(tk, errNoRecords)
	// Read now and then with gaps under 3 s (decoding misses frames): kept.
	for range 10 {
		c.Advance(2500 * time.Millisecond)
		if _, ok := l.Begin(qrID, FromCamera); ok {
			t.Fatal("a refused code still in view was looked up again")
		}
	}
	// Search without typing: the same answer, no request.
	if _, ok := l.Begin(qrID, FromGuest); ok {
		t.Error("Search on the refused code, untouched, was looked up again")
	}
	// Another code is looked up.
	if tk, ok := l.Begin(otherID, FromCamera); !ok {
		t.Error("a different code was not looked up")
	} else {
		l.End(tk, errNoRecords)
	}
	// Out of view for 3 s: a new read is a new lookup.
	c.Advance(3 * time.Second)
	if _, ok := l.Begin(qrID, FromCamera); !ok {
		t.Error("the code, back in view after 3 s away, was not looked up")
	}
}

func TestTypingForgetsRefusedCodes(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	tk, _ := l.Begin(qrID, FromGuest)
	if st := l.End(tk, errNoRecords); st.Phase != LookupNotFound || st.Err == nil {
		t.Fatalf("state %+v", st)
	}
	l.Typed(qrID[:35])
	if st := l.State(); st.Phase != LookupIdle {
		t.Errorf("typing left %v on screen", st.Phase)
	}
	l.Typed(qrID)
	if _, ok := l.Begin(qrID, FromGuest); !ok {
		t.Error("after typing, Search did not look the code up again")
	}
}

func TestCameraNeverOverwritesTyping(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	if !l.MayFill() {
		t.Fatal("an untouched field may not be filled")
	}
	l.Typed("7c9e66")
	fill, _, start := l.CameraRead(qrID)
	if fill || start {
		t.Errorf("a read while the guest types: fill %v, start %v", fill, start)
	}
	l.Typed("") // cleared: the camera may fill again
	fill, tk, start := l.CameraRead(qrID)
	if !fill || !start {
		t.Fatalf("a read into an empty field: fill %v, start %v", fill, start)
	}
	l.Filled()
	l.End(tk, errNoRecords)
	// A fill is not typing: the next code read may replace it.
	if fill, _, start := l.CameraRead(otherID); !fill || !start {
		t.Errorf("a read over a camera fill: fill %v, start %v", fill, start)
	}
}

// The review: "No, search again" refilled the rejected id. A rejected
// booking is neither filled in nor looked up again while its QR stays in
// view; once out of view it may be read again.
func TestRejectedBookingStaysOut(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	fill, tk, start := l.CameraRead(qrID)
	if !fill || !start {
		t.Fatal("first read")
	}
	l.Filled()
	l.End(tk, nil)
	l.Reject(qrID)
	if st := l.State(); st.Phase != LookupIdle || !l.MayFill() {
		t.Errorf("after Reject: %+v, mayFill %v", st, l.MayFill())
	}
	for range 20 {
		c.Advance(150 * time.Millisecond)
		if fill, _, start := l.CameraRead(qrID); fill || start {
			t.Fatalf("the rejected QR in view: fill %v, start %v", fill, start)
		}
	}
	// A refused code is not filled either.
	tk, _ = l.Begin(otherID, FromGuest)
	l.End(tk, errNoRecords)
	if fill, _, _ := l.CameraRead(otherID); fill {
		t.Error("a refused code was filled into the field")
	}
	c.Advance(DefaultForgetAfter)
	if fill, _, start := l.CameraRead(qrID); !fill || !start {
		t.Errorf("back in view after %v away: fill %v, start %v", DefaultForgetAfter, fill, start)
	}
}

// The kiosk's camera is off while the guest reads the booking: a rejected
// code is still out when the find screen's camera reads it again, however
// long the confirmation took (on the demo, the booking rejected after 10 s
// came back at once).
func TestRejectedBookingOutAfterLongConfirm(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	_, tk, _ := l.CameraRead(qrID)
	l.Filled()
	l.End(tk, nil)
	c.Advance(10 * time.Second) // reading the confirmation, camera off
	l.Reject(qrID)
	c.Advance(5 * time.Second) // the camera starts again
	if fill, _, start := l.CameraRead(qrID); fill || start {
		t.Errorf("the rejected QR at its first read after Reject: fill %v, start %v", fill, start)
	}
	c.Advance(DefaultForgetAfter / 2)
	if _, _, start := l.CameraRead(qrID); start {
		t.Error("looked up while still in view")
	}
}

func TestOneLookupInFlight(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	tk, ok := l.Begin(qrID, FromCamera)
	if !ok {
		t.Fatal("first lookup refused")
	}
	for _, src := range []LookupSource{FromCamera, FromGuest, FromTimer} {
		if _, ok := l.Begin(otherID, src); ok {
			t.Errorf("source %d started a second lookup", src)
		}
	}
	if st := l.End(tk, nil); st.Phase != LookupIdle || st.Failures != 0 {
		t.Errorf("after success %+v", st)
	}
	if l.End(tk, errDown).Phase != LookupIdle {
		t.Error("a ticket ended twice changed the state")
	}
	if _, ok := l.Begin(otherID, FromGuest); !ok {
		t.Error("nothing in flight, yet refused")
	}
}

func TestBackoffScheduleAndReset(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
	for i, w := range want {
		tk, ok := l.Begin(qrID, FromGuest)
		if !ok {
			t.Fatalf("attempt %d refused", i)
		}
		st := l.End(tk, errDown)
		if got := st.NextTry.Sub(c.Now()); got != w*time.Second {
			t.Errorf("after failure %d: wait %v, want %v", i+1, got, w*time.Second)
		}
		if _, ok := l.Begin(qrID, FromCamera); ok {
			t.Errorf("after failure %d a camera read went before the wait", i+1)
		}
		c.Advance(w*time.Second - time.Millisecond)
		if _, ok := l.Due(); ok {
			t.Errorf("after failure %d due early", i+1)
		}
		c.Advance(time.Millisecond)
		if id, ok := l.Due(); !ok || id != qrID {
			t.Errorf("after failure %d not due on time: %q %v", i+1, id, ok)
		}
	}
	tk, _ := l.Begin(qrID, FromTimer)
	if st := l.End(tk, errNoRecords); st.Failures != 0 || st.Phase != LookupNotFound {
		t.Errorf("an answer did not reset the backoff: %+v", st)
	}
	tk, _ = l.Begin(otherID, FromGuest)
	if st := l.End(tk, errDown); st.NextTry.Sub(c.Now()) != time.Second {
		t.Errorf("after the reset the first wait is %v, want 1s", st.NextTry.Sub(c.Now()))
	}
	for _, tt := range []struct {
		n    int
		want time.Duration
	}{{0, time.Second}, {1, time.Second}, {6, 30 * time.Second}, {1000, 30 * time.Second}} {
		if got := Backoff(tt.n, time.Second, 30*time.Second); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

type retryAfterErr struct{ d time.Duration }

func (e retryAfterErr) Error() string             { return "storegister: HTTP 429" }
func (e retryAfterErr) RetryAfter() time.Duration { return e.d }

func TestRetryAfterLengthensTheWait(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	tk, _ := l.Begin(qrID, FromGuest)
	if st := l.End(tk, retryAfterErr{20 * time.Second}); st.NextTry.Sub(c.Now()) != 20*time.Second {
		t.Errorf("wait %v, want the server's 20s", st.NextTry.Sub(c.Now()))
	}
	tk, _ = l.Begin(qrID, FromGuest)
	if st := l.End(tk, retryAfterErr{time.Hour}); st.NextTry.Sub(c.Now()) != DefaultMaxRetryAfter {
		t.Errorf("wait %v, want the 5 min cap", st.NextTry.Sub(c.Now()))
	}
}

// The guest's Try again shows "Looking…" at once; automatic retries keep
// the "cannot reach" message, marked Retrying.
func TestTryAgainAndAutomaticRetryStates(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	tk, _ := l.Begin(qrID, FromGuest)
	l.End(tk, errDown)
	c.Advance(time.Second)
	tk, _ = l.Begin(qrID, FromCamera)
	if st := l.State(); st.Phase != LookupDown || !st.Retrying {
		t.Errorf("automatic retry shows %+v, want down and retrying", st)
	}
	if st := l.End(tk, errDown); st.Retrying || st.Phase != LookupDown {
		t.Errorf("after the retry failed %+v", st)
	}
	if _, ok := l.Begin(qrID, FromGuest); !ok {
		t.Fatal("Try again during the backoff was refused")
	}
	if st := l.State(); st.Phase != LookupLooking {
		t.Errorf("Try again shows %v, want looking", st.Phase)
	}
}

func TestResetIgnoresTheLookupInFlight(t *testing.T) {
	c := newFake()
	l := NewLookups(c.Now, LookupOptions{})
	old, _ := l.Begin(qrID, FromCamera)
	l.Typed("abc")
	l.Reset()
	if !l.MayFill() || l.Started() != 0 || l.State().Phase != LookupIdle {
		t.Errorf("after Reset: mayFill %v started %d state %+v", l.MayFill(), l.Started(), l.State())
	}
	tk, ok := l.Begin(otherID, FromCamera)
	if !ok {
		t.Fatal("after Reset a new lookup was refused")
	}
	if st := l.End(old, errNoRecords); st.Phase != LookupLooking {
		t.Errorf("the old session's answer changed the state to %v", st.Phase)
	}
	if st := l.End(tk, context.Canceled); st.Phase != LookupIdle {
		t.Errorf("cancelled: %v", st.Phase)
	}
}

func TestClassifyLookup(t *testing.T) {
	tests := []struct {
		err  error
		want LookupOutcome
	}{
		{nil, LookupFound},
		{errNoRecords, LookupRefused},
		{fmt.Errorf("wrapped: %w", errNoRecords), LookupRefused},
		{storegister.ErrInvalidID, LookupRefused},
		{&storegister.APIError{HTTPStatus: 400, Codes: []storegister.Code{storegister.CodeInvalidParamBookingInfoID}}, LookupRefused},
		{&storegister.APIError{HTTPStatus: 503}, LookupFailed},
		{&storegister.APIError{HTTPStatus: 200, Codes: []storegister.Code{storegister.CodeSomethingWentWrong}}, LookupFailed},
		{&storegister.APIError{HTTPStatus: 401}, LookupFailed},
		{context.DeadlineExceeded, LookupFailed},
		{errDown, LookupFailed},
		{context.Canceled, LookupCancelled},
	}
	for _, tt := range tests {
		if got := ClassifyLookup(tt.err); got != tt.want {
			t.Errorf("ClassifyLookup(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
