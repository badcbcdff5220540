package e2e

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/fakeclock"
	"github.com/signet-kiosk/signet/internal/staffauth"
	"github.com/signet-kiosk/signet/outbox"
)

// offsetClock is a settable clock for the outbox (outbox.Clock) and the
// staff lockout (its Now method): it moves only when told to.
type offsetClock struct{ *fakeclock.Clock }

func (c offsetClock) TimerAt(at time.Time) outbox.Timer { return c.Clock.TimerAt(at) }

// advance moves the clock once the outbox's worker is asleep on a timer,
// and fires the timers that are due.
func (c offsetClock) advance(t *testing.T, d time.Duration) {
	t.Helper()
	c.BlockUntil(t, 1)
	c.Advance(d)
}

// waitEvent returns the next event of type typ, or fails after a few
// seconds of real time (a hang, not a slow machine).
func waitEvent(t *testing.T, ch <-chan outbox.Event, typ outbox.EventType) outbox.Event {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-ch:
			if ev.Type == typ {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s event", typ)
		}
	}
}

// TestClocksYearsAheadAndBack runs the outbox and the staff lockout with
// their clocks set years back and years ahead. An item made "now" on that
// clock is delivered, not expired; one that cannot be delivered expires
// 23 h later on that clock, not before; the lockout escalates and releases
// on that clock. Nothing reads the machine's calendar.
func TestClocksYearsAheadAndBack(t *testing.T) {
	for _, start := range []time.Time{
		time.Date(1980, 2, 29, 23, 30, 0, 0, time.UTC),
		time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2051, 6, 15, 12, 0, 0, 0, time.FixedZone("UTC+14", 14*3600)),
		time.Date(2200, 12, 31, 23, 59, 59, 0, time.UTC),
	} {
		t.Run(start.Format("2006-01-02"), func(t *testing.T) {
			clk := offsetClock{fakeclock.New(start)}
			t.Run("outbox", func(t *testing.T) { outboxOnClock(t, clk) })
			t.Run("lockout", func(t *testing.T) { lockoutOnClock(t, clk) })
		})
	}
}

func outboxOnClock(t *testing.T, clk offsetClock) {
	key, err := outbox.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	evs := make(chan outbox.Event, 1000)
	var mu sync.Mutex
	delivered := map[string]int{}
	d := outbox.DeliverFunc(func(ctx context.Context, it outbox.Item) error {
		if it.Kind == "test.stuck" {
			return &transientError{}
		}
		mu.Lock()
		delivered[it.ID]++
		mu.Unlock()
		return nil
	})
	ob, err := outbox.Open(dir, outbox.Options{Key: key, Deliverer: d, Clock: clk, OnEvent: func(ev outbox.Event) { evs <- ev }})
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	ob.Start()
	ctx := context.Background()
	ok, err := ob.Enqueue(ctx, outbox.KindSignature, []byte("deliver me"))
	if err != nil {
		t.Fatal(err)
	}
	if ev := waitEvent(t, evs, outbox.Delivered); ev.ID != ok || !ev.Created.Equal(clk.Now()) {
		t.Fatalf("delivered %+v, want %s created at %v", ev, ok, clk.Now())
	}
	stuck, err := ob.Enqueue(ctx, "test.stuck", []byte("never accepted"))
	if err != nil {
		t.Fatal(err)
	}
	waitEvent(t, evs, outbox.Retrying)
	created := clk.Now()
	// A minute short of 23 h it is still waiting...
	clk.advance(t, outbox.DefaultMaxAge-time.Minute)
	waitEvent(t, evs, outbox.Retrying)
	if s := ob.Stats(); s.Depth != 1 || s.RemovedTotal != 0 || s.OldestAge != outbox.DefaultMaxAge-time.Minute {
		t.Fatalf("at 22h59m: %+v", s)
	}
	// ...and two minutes later it has expired, on this clock.
	clk.advance(t, 2*time.Minute)
	ev := waitEvent(t, evs, outbox.Expired)
	if ev.ID != stuck || !ev.Created.Equal(created) {
		t.Fatalf("expired %+v, want %s", ev, stuck)
	}
	s := ob.Stats()
	if s.Depth != 0 || len(s.Removed) != 1 || s.Removed[0].Reason != "expired" || s.Removed[0].Removed.Sub(created) < outbox.DefaultMaxAge {
		t.Fatalf("after expiry: %+v", s)
	}
	mu.Lock()
	defer mu.Unlock()
	if delivered[ok] != 1 || delivered[stuck] != 0 {
		t.Errorf("deliveries %v", delivered)
	}
}

// transientError is a delivery failure to retry.
type transientError struct{}

func (*transientError) Error() string   { return "try later" }
func (*transientError) Transient() bool { return true }

func lockoutOnClock(t *testing.T, clk offsetClock) {
	dir := t.TempDir()
	open := func() *staffauth.Gate {
		l, err := staffauth.OpenLockout(dir, clk.Now)
		if err != nil {
			t.Fatal(err)
		}
		return &staffauth.Gate{Demo: true, Lockout: l}
	}
	round := func(want time.Duration) {
		t.Helper()
		g := open()
		for i := 1; i <= staffauth.DefaultMaxFailures; i++ {
			err := g.Check("0000")
			if i < staffauth.DefaultMaxFailures && !errors.Is(err, staffauth.ErrWrongPIN) ||
				i == staffauth.DefaultMaxFailures && !errors.Is(err, staffauth.ErrLocked) {
				t.Fatalf("wrong PIN %d: %v", i, err)
			}
		}
		// A restart keeps the lock; even the right PIN is refused.
		g = open()
		if locked, left, _ := g.Lockout.Status(); !locked || left != want {
			t.Fatalf("lock: %v for %v, want %v", locked, left, want)
		}
		clk.Advance(want - time.Second)
		if err := open().Check(staffauth.DemoPIN); !errors.Is(err, staffauth.ErrLocked) {
			t.Fatalf("right PIN a second before the end of a %v lock: %v", want, err)
		}
		clk.Advance(time.Second)
		if locked, _, left := open().Lockout.Status(); locked || left != staffauth.DefaultMaxFailures {
			t.Fatalf("after a %v lock: locked %v, %d attempts", want, locked, left)
		}
	}
	for _, want := range []time.Duration{5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour, 4 * time.Hour} {
		round(want)
	}
	if err := open().Check(staffauth.DemoPIN); err != nil {
		t.Fatalf("right PIN after the locks: %v", err)
	}
	round(5 * time.Minute)
}
