// Package fakeclock is a clock for tests that moves only when told to: its
// Sleep returns at once having moved it, and its timers fire when Advance
// passes their time. It serves the clock interfaces of client/mews (Now,
// Sleep), the staff lockout (Now) and, through a one-line adapter for the
// timer's type, the outbox (Now, TimerAt).
package fakeclock

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Clock is a fake clock; the zero value is not usable, call New.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	timers []*Timer
}

// New returns a clock that reads start until it is moved.
func New(start time.Time) *Clock {
	return &Clock{now: start}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the clock by d at once and records the wait; it fails only
// when ctx is already done. Timers do not fire: Sleep serves clients that
// wait, Advance the workers that hold timers.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

// Sleeps returns the waits Sleep was asked for, in order.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// NewTimer returns a timer that fires once the clock reaches now+d; one
// with d ≤ 0 has fired already.
func (c *Clock) NewTimer(d time.Duration) *Timer { return c.TimerAt(c.Now().Add(d)) }

// TimerAt returns a timer that fires once the clock reads at; one for a
// time already reached has fired.
func (c *Clock) TimerAt(at time.Time) *Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &Timer{c: c, when: at, ch: make(chan time.Time, 1)}
	if !at.After(c.now) {
		t.ch <- c.now
		return t
	}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the clock by d (which may be negative) and fires the
// timers that are due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.timers[:0]
	for _, t := range c.timers {
		if !t.when.After(c.now) {
			t.ch <- c.now
			continue
		}
		keep = append(keep, t)
	}
	c.timers = keep
}

// BlockUntil waits until n timers are pending, that is until the worker
// under test has gone to sleep, and fails t after ten seconds of real time
// (a hang, not a slow machine).
func (c *Clock) BlockUntil(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c.mu.Lock()
		k := len(c.timers)
		c.mu.Unlock()
		if k >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker never went to sleep (%d timers pending, want %d)", k, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// Timer is a timer of a Clock.
type Timer struct {
	c    *Clock
	when time.Time
	ch   chan time.Time
}

// C returns the channel the timer fires on.
func (t *Timer) C() <-chan time.Time { return t.ch }

// Stop prevents the timer from firing; it reports whether it stopped it.
func (t *Timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	for i, x := range t.c.timers {
		if x == t {
			t.c.timers = append(t.c.timers[:i], t.c.timers[i+1:]...)
			return true
		}
	}
	return false
}
