package outbox

import "time"

// Clock is the time source of the queue: creation stamps, backoff, expiry.
// Tests pass a fake one; the default is the wall clock.
type Clock interface {
	Now() time.Time
	// TimerAt returns a timer that fires once the clock reads at or later.
	// The worker sleeps until a time it read, not for a duration: a clock
	// that moves between the reading and the timer (a fake one, in a test)
	// then still wakes it when it should.
	TimerAt(at time.Time) Timer
}

// Timer is the part of *time.Timer the queue uses.
type Timer interface {
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it stopped it.
	Stop() bool
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// TimerAt returns a *time.Timer for the time until at (on the monotonic
// clock when at came from Now).
func (SystemClock) TimerAt(at time.Time) Timer { return sysTimer{time.NewTimer(time.Until(at))} }

type sysTimer struct{ t *time.Timer }

func (t sysTimer) C() <-chan time.Time { return t.t.C }
func (t sysTimer) Stop() bool          { return t.t.Stop() }
