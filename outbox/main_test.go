package outbox

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/signet-kiosk/signet/internal/fakeclock"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakeClock is a fakeclock.Clock whose timers are the queue's Timers.
type fakeClock struct{ *fakeclock.Clock }

func newFakeClock() *fakeClock {
	return &fakeClock{fakeclock.New(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))}
}

func (c *fakeClock) TimerAt(at time.Time) Timer { return c.Clock.TimerAt(at) }

// fakeDeliverer records deliveries and fails as its script says.
type fakeDeliverer struct {
	mu        sync.Mutex
	delivered map[string]int // by item id
	attempts  int
	fail      func(it Item) error // nil error: delivered
}

func newFakeDeliverer(fail func(Item) error) *fakeDeliverer {
	return &fakeDeliverer{delivered: map[string]int{}, fail: fail}
}

func (f *fakeDeliverer) Deliver(ctx context.Context, it Item) error {
	f.mu.Lock()
	f.attempts++
	fail := f.fail
	f.mu.Unlock()
	if fail != nil {
		if err := fail(it); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.delivered[it.ID]++
	f.mu.Unlock()
	return nil
}

func (f *fakeDeliverer) Classify(err error) Verdict {
	var v *verdictError
	if errors.As(err, &v) {
		return v.v
	}
	return ClassifyError(err)
}

func (f *fakeDeliverer) attemptCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts
}

func (f *fakeDeliverer) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.delivered[id]
}

// verdictError is a test failure that says how to classify it.
type verdictError struct{ v Verdict }

func (e *verdictError) Error() string { return "fake: " + e.v.Class.String() + " " + e.v.Code }

func transientErr(code string) error { return &verdictError{Verdict{Class: Transient, Code: code}} }
func permanentErr(code string) error { return &verdictError{Verdict{Class: Permanent, Code: code}} }

// events collects OnEvent calls for tests to wait on.
type events struct {
	ch chan Event
}

func newEvents() *events { return &events{ch: make(chan Event, 100000)} }

func (e *events) on(ev Event) { e.ch <- ev }

// wait returns the next event of type typ, failing the test after a few
// seconds of real time (a hang, not a slow machine).
func (e *events) wait(t testing.TB, typ EventType) Event {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-e.ch:
			if ev.Type == typ {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s event", typ)
		}
	}
}

func testKey(t testing.TB) Key {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
