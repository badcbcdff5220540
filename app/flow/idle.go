package flow

import (
	"sync"
	"time"
)

// Clock is the flow's time: it tells the wall time (for expiry checks and
// lockouts) and schedules callbacks (for idle and done timers). Tests pass
// a fake one, so nothing in the flow depends on the day a test runs.
type Clock interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a scheduled callback that can be stopped.
type Timer interface{ Stop() bool }

// SystemClock is the real clock.
type SystemClock struct{}

// Now implements Clock with time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// AfterFunc implements Clock with time.AfterFunc.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Idle watches for a guest walking away: after Timeout without Touch it
// calls OnWarn with the seconds left, once a second for Countdown, then
// OnExpire. A Touch during the countdown calls OnResume and starts over.
// Callbacks run on the clock's goroutine; the UI wraps them in fyne.Do.
type Idle struct {
	Timeout, Countdown time.Duration
	OnWarn             func(secondsLeft int)
	OnResume           func()
	OnExpire           func()

	clock Clock

	mu      sync.Mutex
	timer   Timer
	running bool
	warning bool
	left    int
	epoch   int // bumped on every (re)arm; stale callbacks see a different one
}

// NewIdle returns a stopped idle watcher.
func NewIdle(c Clock, timeout, countdown time.Duration) *Idle {
	if c == nil {
		c = SystemClock{}
	}
	return &Idle{clock: c, Timeout: timeout, Countdown: countdown}
}

// Start arms the watcher.
func (i *Idle) Start() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.running = true
	i.armLocked()
}

// Stop disarms it (attract and done screens have their own timing).
func (i *Idle) Stop() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.running, i.warning = false, false
	i.epoch++
	if i.timer != nil {
		i.timer.Stop()
	}
}

// Touch records guest activity.
func (i *Idle) Touch() {
	i.mu.Lock()
	if !i.running {
		i.mu.Unlock()
		return
	}
	resumed := i.warning
	i.warning = false
	i.armLocked()
	i.mu.Unlock()
	if resumed && i.OnResume != nil {
		i.OnResume()
	}
}

// Warning reports whether the countdown is showing.
func (i *Idle) Warning() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.warning
}

func (i *Idle) armLocked() {
	i.epoch++
	if i.timer != nil {
		i.timer.Stop()
	}
	e := i.epoch
	i.timer = i.clock.AfterFunc(i.Timeout, func() { i.fire(e) })
}

func (i *Idle) fire(e int) {
	i.mu.Lock()
	if e != i.epoch || !i.running {
		i.mu.Unlock()
		return
	}
	if !i.warning {
		i.warning = true
		i.left = int((i.Countdown + time.Second - 1) / time.Second)
	} else {
		i.left--
	}
	left := i.left
	if left <= 0 {
		i.running, i.warning = false, false
		i.mu.Unlock()
		if i.OnExpire != nil {
			i.OnExpire()
		}
		return
	}
	i.epoch++
	e = i.epoch
	i.timer = i.clock.AfterFunc(time.Second, func() { i.fire(e) })
	i.mu.Unlock()
	if i.OnWarn != nil {
		i.OnWarn(left)
	}
}
