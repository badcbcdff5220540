// Package retry is Signet's one retry policy, shared by every API client
// (StoRegister, Mews) and by the outbox.
//
// A Policy retries a function while its error is transient, waiting between
// attempts with exponential backoff, full jitter and a cap, or for as long as
// the server asked through a Retry-After hint. Every wait ends as soon as the
// context ends; nothing here calls time.Sleep.
//
// How a client uses it:
//
//	err := policy.Do(ctx, func(ctx context.Context) error {
//		resp, err := send(ctx) // one attempt
//		return err             // *APIError implements Transient and RetryAfter
//	})
//	switch {
//	case errors.Is(err, retry.ErrGaveUp): // transient failures all the way: exit 3, queue it
//	case err != nil:                      // refused, cancelled, or a bad request
//	}
//
// An error says how it should be treated by implementing
//
//	interface{ Transient() bool }         // true: try again; false: stop now
//	interface{ RetryAfter() time.Duration } // optional: the server's wait hint
//
// anywhere in its chain (errors.As). Errors that implement neither are
// classified by Transient: network errors, unexpected EOF and connection
// resets are transient; context cancellation never is.
package retry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Defaults used for zero fields of a Policy.
const (
	DefaultMaxAttempts   = 4
	DefaultBase          = 250 * time.Millisecond
	DefaultCap           = 8 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
)

// ErrGaveUp matches (errors.Is) every *GaveUpError: the operation failed with
// transient errors on every attempt, or the server asked for a wait longer
// than the policy accepts. Callers map it to "try again later" (exit code 3,
// the outbox).
var ErrGaveUp = errors.New("retry: gave up")

// GaveUpError is returned by Policy.Do when it stops retrying a transient
// failure. It wraps the last error, so errors.As still finds an *APIError.
type GaveUpError struct {
	Attempts int   // attempts made, the first included
	Err      error // the last attempt's error
}

func (e *GaveUpError) Error() string {
	return fmt.Sprintf("retry: gave up after %d attempt%s: %v", e.Attempts, plural(e.Attempts), e.Err)
}

// Unwrap returns the last attempt's error.
func (e *GaveUpError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrGaveUp) true.
func (e *GaveUpError) Is(target error) bool { return target == ErrGaveUp }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Policy says how often and how long to retry. The zero value is usable and
// means the defaults; a nil *Policy means the defaults too. Fields are plain so
// tests can replace the jitter source and the clock.
type Policy struct {
	// MaxAttempts is the number of attempts, the first included; 1 disables
	// retrying. Zero means DefaultMaxAttempts.
	MaxAttempts int
	// Base is the backoff before the first retry, doubled for each further one.
	Base time.Duration
	// Cap bounds every backoff (before jitter).
	Cap time.Duration
	// MaxRetryAfter is the longest server-requested wait honoured; a longer
	// Retry-After makes Do give up at once rather than hold the guest.
	MaxRetryAfter time.Duration
	// Jitter returns a uniformly random duration in [0, n); nil uses
	// math/rand/v2 (safe for concurrent use). Tests pass a fixed function.
	Jitter func(n time.Duration) time.Duration
	// Sleep waits for d or until ctx ends; nil uses Wait. Tests pass a fake
	// that records the waits and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used to read HTTP-date Retry-After values; nil uses time.Now.
	Now func() time.Time
	// OnRetry, when set, is called before each wait (for logging): the attempt
	// that just failed (1-based), its error and the wait chosen.
	OnRetry func(attempt int, err error, wait time.Duration)
}

// Default returns a Policy with the default limits.
func Default() *Policy {
	return &Policy{MaxAttempts: DefaultMaxAttempts, Base: DefaultBase, Cap: DefaultCap, MaxRetryAfter: DefaultMaxRetryAfter}
}

// Attempts returns the effective maximum number of attempts.
func (p *Policy) Attempts() int {
	if p == nil || p.MaxAttempts <= 0 {
		return DefaultMaxAttempts
	}
	return p.MaxAttempts
}

// Clock returns the current time from the policy's clock.
func (p *Policy) Clock() time.Time {
	if p != nil && p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Policy) base() time.Duration {
	if p == nil || p.Base <= 0 {
		return DefaultBase
	}
	return p.Base
}

func (p *Policy) cap() time.Duration {
	if p == nil || p.Cap <= 0 {
		return DefaultCap
	}
	return p.Cap
}

func (p *Policy) maxRetryAfter() time.Duration {
	if p == nil || p.MaxRetryAfter <= 0 {
		return DefaultMaxRetryAfter
	}
	return p.MaxRetryAfter
}

// Backoff returns the wait after the given failed attempt (1 for the first):
// a random duration in [0, min(Cap, Base·2^(attempt-1))) — "full jitter",
// which spreads the retries of many kiosks hitting the same outage.
func (p *Policy) Backoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d, c := p.base(), p.cap()
	for i := 1; i < attempt && d < c; i++ {
		d *= 2
	}
	if d > c || d <= 0 {
		d = c
	}
	if p != nil && p.Jitter != nil {
		j := p.Jitter(d)
		if j < 0 || j >= d {
			j = d - 1
		}
		return j
	}
	return rand.N(d)
}

// Wait waits for d, or until ctx ends, whichever comes first. It returns
// ctx.Err() when the context ended first.
func Wait(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (p *Policy) sleep(ctx context.Context, d time.Duration) error {
	if p != nil && p.Sleep != nil {
		if err := p.Sleep(ctx, d); err != nil {
			return err
		}
		return ctx.Err()
	}
	return Wait(ctx, d)
}

// ParseRetryAfter reads a Retry-After header in either form the HTTP spec
// allows: delta-seconds ("120") or an HTTP-date, relative to now. It reports
// false when the header is absent or unreadable; a date in the past gives 0.
func ParseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// Transient reports whether err is worth another attempt. An error that
// implements Transient() bool anywhere in its chain decides for itself.
// Otherwise cancellation is never transient; network errors (timeouts
// included), unexpected EOF, connection resets and refusals are.
func Transient(err error) bool {
	if err == nil {
		return false
	}
	var t interface{ Transient() bool }
	if errors.As(err, &t) {
		return t.Transient()
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	// A bare deadline is the caller's own context; a deadline inside a
	// url.Error is a per-attempt timeout (http.Client.Timeout) worth retrying.
	// Do checks the caller's context first, so the two never mix up.
	var ue *url.Error
	if errors.As(err, &ue) {
		return !errors.Is(err, context.Canceled)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// RetryAfter returns the server's wait hint carried by err, if any.
func RetryAfter(err error) (time.Duration, bool) {
	var h interface{ RetryAfter() time.Duration }
	if errors.As(err, &h) {
		if d := h.RetryAfter(); d > 0 {
			return d, true
		}
	}
	return 0, false
}

// Do calls fn until it succeeds, fails with an error that is not transient,
// the attempts run out, or ctx ends. It returns nil on success; the error
// itself when it is not transient; a *GaveUpError (errors.Is ErrGaveUp)
// wrapping the last error when retrying did not help; and an error wrapping
// both ctx.Err() and the last error when the context ended first.
func (p *Policy) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	max := p.Attempts()
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		if cerr := ctx.Err(); cerr != nil {
			if errors.Is(err, cerr) {
				return err
			}
			return fmt.Errorf("retry: stopped after %d attempt%s: %w (last error: %w)", attempt, plural(attempt), cerr, err)
		}
		if !Transient(err) {
			return err
		}
		if attempt >= max {
			return &GaveUpError{Attempts: attempt, Err: err}
		}
		wait := p.Backoff(attempt)
		if hint, ok := RetryAfter(err); ok {
			if hint > p.maxRetryAfter() {
				return &GaveUpError{Attempts: attempt, Err: err}
			}
			wait = hint
		}
		if p != nil && p.OnRetry != nil {
			p.OnRetry(attempt, err, wait)
		}
		if serr := p.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("retry: stopped after %d attempt%s: %w (last error: %w)", attempt, plural(attempt), serr, err)
		}
	}
}
