package fakeclock

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestSleepMovesAtOnceAndRecords(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	c := New(start)
	for _, d := range []time.Duration{time.Second, 30 * time.Second} {
		if err := c.Sleep(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.Now().Sub(start); got != 31*time.Second {
		t.Errorf("moved %v, want 31s", got)
	}
	if got := c.Sleeps(); !slices.Equal(got, []time.Duration{time.Second, 30 * time.Second}) {
		t.Errorf("sleeps %v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err == nil || c.Now().Sub(start) != 31*time.Second {
		t.Errorf("a done context: err %v, clock moved to %v", err, c.Now())
	}
}

func TestTimersFireWhenAdvancePassesThem(t *testing.T) {
	c := New(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	due, later, stopped := c.NewTimer(time.Minute), c.NewTimer(time.Hour), c.NewTimer(time.Minute)
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop reports a pending timer once")
	}
	c.BlockUntil(t, 2)
	c.Advance(time.Minute)
	select {
	case <-due.C():
	default:
		t.Error("the due timer did not fire")
	}
	select {
	case <-later.C():
		t.Error("the later timer fired an hour early")
	case <-stopped.C():
		t.Error("the stopped timer fired")
	default:
	}
	if now := <-c.NewTimer(0).C(); !now.Equal(c.Now()) {
		t.Errorf("a timer of 0 fired at %v, want now", now)
	}
}

// A timer for a time, armed after the clock moved past the moment it was
// reckoned from, fires at that time: the race a worker has with a test
// that advances the clock while the worker goes to sleep.
func TestTimerAtFiresAtItsTime(t *testing.T) {
	c := New(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	at := c.Now().Add(time.Second) // the worker reckons…
	c.Advance(time.Second)         // …the test advances…
	select {
	case <-c.TimerAt(at).C(): // …and the timer, armed late, has fired
	default:
		t.Error("a timer for a time reached did not fire")
	}
	later := c.TimerAt(c.Now().Add(time.Minute))
	c.Advance(59 * time.Second)
	select {
	case <-later.C():
		t.Error("fired a second early")
	default:
	}
	c.Advance(time.Second)
	select {
	case <-later.C():
	default:
		t.Error("did not fire at its time")
	}
}
