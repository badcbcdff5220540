package flow

import (
	"sync"
	"time"
)

// DefaultStaffWait is how long a call for staff holds off the idle reset
// when no wait is given (config kiosk.staff_wait).
const DefaultStaffWait = 10 * time.Minute

// StaffCall is a guest's call for staff. While it waits, the kiosk holds
// off the idle reset (the guest is told to stay), for Wait at most; then
// OnExpire runs and the kiosk resets as if idle. The call ends when the
// guest cancels it or staff answer it with their PIN.
//
// Methods are safe from any goroutine; OnExpire runs on the clock's
// goroutine (the UI wraps it in fyne.Do).
type StaffCall struct {
	// Wait bounds the call; zero means DefaultStaffWait.
	Wait time.Duration
	// OnExpire is called when nobody answered within Wait.
	OnExpire func()

	clock Clock

	mu      sync.Mutex
	waiting bool
	since   time.Time
	timer   Timer
	epoch   int // bumped on every start and end; a stale timer sees another
}

// NewStaffCall returns a call that is not waiting.
func NewStaffCall(c Clock, wait time.Duration) *StaffCall {
	if c == nil {
		c = SystemClock{}
	}
	return &StaffCall{clock: c, Wait: wait}
}

// Start starts waiting for staff; it returns false (and changes nothing)
// when a call is already waiting.
func (c *StaffCall) Start() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.waiting {
		return false
	}
	wait := c.Wait
	if wait <= 0 {
		wait = DefaultStaffWait
	}
	c.waiting, c.since = true, c.clock.Now()
	c.epoch++
	e := c.epoch
	c.timer = c.clock.AfterFunc(wait, func() { c.expire(e) })
	return true
}

// End ends the call (cancelled or answered) and returns how long it
// waited; ok is false when no call was waiting.
func (c *StaffCall) End() (waited time.Duration, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.waiting {
		return 0, false
	}
	c.stopLocked()
	return c.clock.Now().Sub(c.since), true
}

// Waiting reports whether a call waits, and since when.
func (c *StaffCall) Waiting() (since time.Time, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.since, c.waiting
}

func (c *StaffCall) stopLocked() {
	c.waiting = false
	c.epoch++
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
}

func (c *StaffCall) expire(e int) {
	c.mu.Lock()
	if e != c.epoch || !c.waiting {
		c.mu.Unlock()
		return
	}
	c.stopLocked()
	c.mu.Unlock()
	if c.OnExpire != nil {
		c.OnExpire()
	}
}
