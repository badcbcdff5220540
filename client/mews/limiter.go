package mews

import (
	"context"
	"sync"
	"time"
)

// Limiter admits at most N requests in any sliding window of the given
// length: the Connector API's own rule (200 per access token per 30 s), kept
// on the client side so the API never has to answer 429. One Limiter serves
// every call made with one access token; it is safe for concurrent use.
type Limiter struct {
	n      int
	window time.Duration
	clock  Clock

	mu   sync.Mutex
	sent []time.Time // admission times inside the window, oldest first
}

// NewLimiter returns a limiter of n requests per window, timed by clk (nil
// means the real clock).
func NewLimiter(n int, window time.Duration, clk Clock) *Limiter {
	if n < 1 {
		n = 1
	}
	if clk == nil {
		clk = realClock{}
	}
	return &Limiter{n: n, window: window, clock: clk, sent: make([]time.Time, 0, n)}
}

// Wait blocks until one more request fits in the window, then records it.
// It returns ctx.Err() if ctx ends first.
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := l.reserve()
		if d <= 0 {
			return nil
		}
		if err := l.clock.Sleep(ctx, d); err != nil {
			return err
		}
	}
}

// reserve records a request and returns 0 when one fits now; otherwise it
// records nothing and returns how long until the oldest request leaves the window.
func (l *Limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	cut := 0
	for cut < len(l.sent) && !l.sent[cut].Add(l.window).After(now) {
		cut++
	}
	if cut > 0 {
		l.sent = append(l.sent[:0], l.sent[cut:]...)
	}
	if len(l.sent) < l.n {
		l.sent = append(l.sent, now)
		return 0
	}
	return l.sent[0].Add(l.window).Sub(now)
}

// InWindow returns how many requests the current window holds.
func (l *Limiter) InWindow() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	k := 0
	for _, t := range l.sent {
		if t.Add(l.window).After(now) {
			k++
		}
	}
	return k
}
