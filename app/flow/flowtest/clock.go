// Package flowtest has a manual clock for tests of the guest flow's timers:
// time moves only when the test says, so a 60-second idle timeout takes no
// real time.
package flowtest

import (
	"sort"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
)

// Epoch is the wall time at which a Clock starts unless Start is set. It
// is an arbitrary instant: everything that reads the time in a test reads
// it from the Clock, so the tests pass whatever the real date is.
var Epoch = time.Date(2030, 6, 15, 9, 0, 0, 0, time.UTC)

// Clock is a flow.Clock whose timers fire when Advance passes them, and
// whose wall time is Start (or Epoch) plus the time advanced.
type Clock struct {
	// Start is the wall time before the first Advance; zero means Epoch.
	Start time.Time

	mu     sync.Mutex
	now    time.Duration
	timers []*timer
}

// Now implements flow.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	start := c.Start
	if start.IsZero() {
		start = Epoch
	}
	return start.Add(c.now)
}

var _ flow.Clock = (*Clock)(nil)

type timer struct {
	at      time.Duration
	f       func()
	stopped bool
}

func (t *timer) Stop() bool { was := !t.stopped; t.stopped = true; return was }

// AfterFunc implements flow.Clock.
func (c *Clock) AfterFunc(d time.Duration, f func()) flow.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &timer{at: c.now + d, f: f}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves time forward by d, running every timer due on the way, in
// order, on the caller's goroutine.
func (c *Clock) Advance(d time.Duration) {
	end := c.now + d
	for {
		c.mu.Lock()
		sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at < c.timers[j].at })
		var next *timer
		for _, t := range c.timers {
			if !t.stopped && t.at <= end {
				next = t
				break
			}
		}
		if next == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		next.stopped = true
		c.now = next.at
		c.mu.Unlock()
		next.f()
	}
}
