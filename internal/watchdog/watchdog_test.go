package watchdog

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is advanced by the test; After's channels fire when the time
// they wait for has come.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
	changed chan struct{}
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Unix(1_700_000_000, 0), changed: make(chan struct{}, 100)}
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, waiter{c.now.Add(d), ch})
	c.changed <- struct{}{}
	return ch
}

// waitForWaiter blocks until some goroutine waits on After.
func (c *fakeClock) waitForWaiter(t *testing.T) {
	t.Helper()
	for {
		c.mu.Lock()
		n := len(c.waiters)
		c.mu.Unlock()
		if n > 0 {
			return
		}
		select {
		case <-c.changed:
		case <-time.After(10 * time.Second):
			t.Fatal("nobody waits on the clock")
		}
	}
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			keep = append(keep, w)
		}
	}
	c.waiters = keep
	c.mu.Unlock()
}

// fakeUI is a UI thread: Schedule queues; run executes what is queued,
// as the Fyne loop would. While stalled, nothing runs.
type fakeUI struct {
	mu    sync.Mutex
	queue []func()
}

func (u *fakeUI) Schedule(f func()) {
	u.mu.Lock()
	u.queue = append(u.queue, f)
	u.mu.Unlock()
}

func (u *fakeUI) run() {
	u.mu.Lock()
	q := u.queue
	u.queue = nil
	u.mu.Unlock()
	for _, f := range q {
		f()
	}
}

func (u *fakeUI) queued() int { u.mu.Lock(); defer u.mu.Unlock(); return len(u.queue) }

type recorder struct {
	mu   sync.Mutex
	msgs []string
	sent chan string
}

func newRecorder() *recorder { return &recorder{sent: make(chan string, 100)} }

func (r *recorder) Notify(s string) (bool, error) {
	r.mu.Lock()
	r.msgs = append(r.msgs, s)
	r.mu.Unlock()
	r.sent <- s
	return true, nil
}

func (r *recorder) count(prefix string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.msgs {
		if strings.HasPrefix(m, prefix) {
			n++
		}
	}
	return n
}

func TestBeatStopsWhenTheUIStalls(t *testing.T) {
	ui, rec, clk := &fakeUI{}, newRecorder(), newFakeClock()
	w := New(Options{Schedule: ui.Schedule, Notify: rec.Notify, Clock: clk, Interval: 10 * time.Second})
	for i := range 5 { // a healthy UI runs each tick before the next beat
		if !w.Beat() {
			t.Fatalf("beat %d refused with a running UI", i)
		}
		ui.run()
		clk.Advance(10 * time.Second)
	}
	if n := rec.count("WATCHDOG=1"); n != 5 {
		t.Fatalf("%d beats, want 5", n)
	}
	// The UI stalls: the last beat's tick stays queued.
	if !w.Beat() {
		t.Fatal("the beat whose tick ran was refused")
	}
	for i := range 10 {
		clk.Advance(10 * time.Second)
		if w.Beat() {
			t.Fatalf("beat %d sent while the UI is stalled", i)
		}
	}
	if n := rec.count("WATCHDOG=1"); n != 6 {
		t.Errorf("%d beats, want 6: none while stalled", n)
	}
	if n := ui.queued(); n != 1 {
		t.Errorf("%d ticks queued on the stalled UI, want 1 (no pile-up)", n)
	}
	if err := w.Health(); !errors.Is(err, ErrStalled) {
		t.Errorf("Health while stalled = %v", err)
	}
	// The UI recovers: the tick runs, and the next beat is sent.
	ui.run()
	if err := w.Health(); err != nil {
		t.Errorf("Health after recovery = %v", err)
	}
	if !w.Beat() {
		t.Error("no beat after the UI ran the tick")
	}
}

func TestRunNotifiesOnlyWhileTheUILoopRuns(t *testing.T) {
	ui, rec, clk := &fakeUI{}, newRecorder(), newFakeClock()
	w := New(Options{Schedule: ui.Schedule, Notify: rec.Notify, Clock: clk, Interval: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()

	// Nothing before Ready.
	if n := len(rec.sent); n != 0 {
		t.Fatalf("%d messages before Ready", n)
	}
	w.Ready("camera failed: no capture device")
	w.Ready("again") // only the first call sends
	if got := <-rec.sent; got != "READY=1\nSTATUS=camera failed: no capture device" {
		t.Fatalf("first message %q", got)
	}
	if got := <-rec.sent; got != "WATCHDOG=1" {
		t.Fatalf("second message %q", got)
	}
	// A running UI loop: each interval, the tick runs, then the clock moves.
	for range 4 {
		clk.waitForWaiter(t) // Run has scheduled its tick and waits
		ui.run()
		clk.Advance(5 * time.Second)
		if got := <-rec.sent; got != "WATCHDOG=1" {
			t.Fatalf("message %q, want a beat", got)
		}
	}
	// The UI loop blocks: ticks are no longer run. Beats stop.
	for range 6 {
		clk.waitForWaiter(t)
		clk.Advance(5 * time.Second)
	}
	clk.waitForWaiter(t) // Run has handled the last advance
	select {
	case m := <-rec.sent:
		t.Fatalf("%q sent while the UI loop is blocked", m)
	default:
	}
	if n := rec.count("WATCHDOG=1"); n != 5 {
		t.Errorf("%d beats, want 5", n)
	}
	if n := rec.count("READY=1"); n != 1 {
		t.Errorf("%d READY messages", n)
	}
	cancel()
	<-done
}

func TestNoHeartbeatWithoutSystemdWatchdog(t *testing.T) {
	t.Setenv("WATCHDOG_USEC", "")
	t.Setenv("NOTIFY_SOCKET", "")
	w := New(Options{Schedule: func(func()) { t.Error("scheduled without a watchdog") }})
	if w.Interval() != 0 {
		t.Fatalf("interval %v without WATCHDOG_USEC", w.Interval())
	}
	done := make(chan struct{})
	go func() { w.Run(context.Background()); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run waits although there is no watchdog")
	}
	w.Ready("ok") // no socket: a no-op, no error
}

func TestIntervalFromSystemd(t *testing.T) {
	t.Setenv("WATCHDOG_USEC", "30000000")
	t.Setenv("WATCHDOG_PID", "")
	w := New(Options{Schedule: func(func()) {}})
	if w.Interval() != 15*time.Second {
		t.Errorf("interval %v for WatchdogSec=30s, want 15s", w.Interval())
	}
}

func TestStatusIsOneShortLine(t *testing.T) {
	rec := newRecorder()
	w := New(Options{Notify: rec.Notify, Interval: time.Second})
	w.Status("outbox:\n3 waiting\n" + strings.Repeat("x", 400))
	got := <-rec.sent
	if strings.Count(got, "\n") != 0 || len(got) > len("STATUS=")+200 {
		t.Errorf("status %q", got)
	}
	w.Stopping()
	if !slices.Contains(rec.msgs, "STOPPING=1") {
		t.Error("no STOPPING=1")
	}
}
