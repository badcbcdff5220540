package retry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fake records waits and never sleeps.
type fake struct{ waits []time.Duration }

func (f *fake) sleep(ctx context.Context, d time.Duration) error {
	f.waits = append(f.waits, d)
	return ctx.Err()
}

func maxJitter(n time.Duration) time.Duration { return n - 1 }

type hinted struct {
	transient bool
	after     time.Duration
}

func (h hinted) Error() string             { return fmt.Sprintf("hinted transient=%v", h.transient) }
func (h hinted) Transient() bool           { return h.transient }
func (h hinted) RetryAfter() time.Duration { return h.after }

func TestBackoff(t *testing.T) {
	p := &Policy{Base: 100 * time.Millisecond, Cap: time.Second, Jitter: maxJitter}
	var got []time.Duration
	for a := 1; a <= 6; a++ {
		got = append(got, p.Backoff(a)+1)
	}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Backoff (-want +got):\n%s", diff)
	}
	// Real jitter stays in [0, cap).
	q := &Policy{Base: time.Millisecond, Cap: 3 * time.Millisecond}
	for a := 1; a < 100; a++ {
		if d := q.Backoff(a); d < 0 || d >= 3*time.Millisecond {
			t.Fatalf("Backoff(%d) = %v, outside [0, 3ms)", a, d)
		}
	}
	// Huge attempt numbers must not overflow.
	if d := p.Backoff(1 << 20); d != time.Second-1 {
		t.Errorf("Backoff(huge) = %v", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, v string
		want    time.Duration
		ok      bool
	}{
		{"absent", "", 0, false},
		{"seconds", "7", 7 * time.Second, true},
		{"zero", "0", 0, true},
		{"negative", "-3", 0, false},
		{"date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"past date", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"garbage", "soon", 0, false},
		{"huge", "99999999999", 24 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.v != "" {
				h.Set("Retry-After", tt.v)
			}
			got, ok := ParseRetryAfter(h, now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestTransient(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", errors.New("x"), false},
		{"canceled", context.Canceled, false},
		{"deadline", context.DeadlineExceeded, false},
		{"unexpected eof", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"reset", &net.OpError{Op: "read", Err: syscall.ECONNRESET}, true},
		{"refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, true},
		{"url timeout", &url.Error{Op: "Get", URL: "http://x", Err: context.DeadlineExceeded}, true},
		{"url canceled", &url.Error{Op: "Get", URL: "http://x", Err: context.Canceled}, false},
		{"says transient", hinted{transient: true}, true},
		{"says permanent", fmt.Errorf("wrapped: %w", hinted{transient: false}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Transient(tt.err); got != tt.want {
				t.Errorf("Transient(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestDo(t *testing.T) {
	transient := hinted{transient: true}
	permanent := hinted{transient: false}
	tests := []struct {
		name      string
		errs      []error // returned by successive attempts; past the end: nil
		wantCalls int
		wantWaits []time.Duration
		check     func(t *testing.T, err error)
	}{
		{"success", nil, 1, nil, func(t *testing.T, err error) {
			if err != nil {
				t.Fatal(err)
			}
		}},
		{"transient then success", []error{transient, transient}, 3, []time.Duration{100*time.Millisecond - 1, 200*time.Millisecond - 1}, func(t *testing.T, err error) {
			if err != nil {
				t.Fatal(err)
			}
		}},
		{"permanent stops", []error{permanent}, 1, nil, func(t *testing.T, err error) {
			if !errors.Is(err, permanent) || errors.Is(err, ErrGaveUp) {
				t.Fatalf("err = %v", err)
			}
		}},
		{"gives up", []error{transient, transient, transient, transient, transient}, 3, []time.Duration{100*time.Millisecond - 1, 200*time.Millisecond - 1}, func(t *testing.T, err error) {
			var g *GaveUpError
			if !errors.Is(err, ErrGaveUp) || !errors.As(err, &g) || g.Attempts != 3 || !errors.Is(err, transient) {
				t.Fatalf("err = %v", err)
			}
			if got := err.Error(); got != "retry: gave up after 3 attempts: hinted transient=true" {
				t.Errorf("message = %q", got)
			}
		}},
		{"retry-after honoured", []error{hinted{true, 5 * time.Second}}, 2, []time.Duration{5 * time.Second}, nil},
		{"retry-after too long", []error{hinted{true, time.Hour}}, 1, nil, func(t *testing.T, err error) {
			if !errors.Is(err, ErrGaveUp) {
				t.Fatalf("err = %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fake{}
			p := &Policy{MaxAttempts: 3, Base: 100 * time.Millisecond, Cap: time.Second, Jitter: maxJitter, Sleep: f.sleep}
			calls := 0
			err := p.Do(context.Background(), func(context.Context) error {
				calls++
				if calls <= len(tt.errs) {
					return tt.errs[calls-1]
				}
				return nil
			})
			if calls != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls, tt.wantCalls)
			}
			if diff := cmp.Diff(tt.wantWaits, f.waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

func TestDoStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := &Policy{MaxAttempts: 10, Base: time.Hour, Cap: time.Hour}
	calls := 0
	done := make(chan error, 1)
	go func() {
		done <- p.Do(ctx, func(context.Context) error { calls++; return hinted{transient: true} })
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrGaveUp) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Do did not return when the context ended")
	}
}

func TestDoCanceledDuringAttempt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := Default().Do(ctx, func(ctx context.Context) error {
		calls++
		cancel()
		return &url.Error{Op: "Get", URL: "http://x", Err: ctx.Err()}
	})
	if calls != 1 || !errors.Is(err, context.Canceled) {
		t.Fatalf("calls = %d, err = %v", calls, err)
	}
}

func TestNilPolicy(t *testing.T) {
	var p *Policy
	if p.Attempts() != DefaultMaxAttempts {
		t.Fatal("nil policy attempts")
	}
	if d := p.Backoff(1); d < 0 || d >= DefaultBase {
		t.Fatalf("nil policy backoff %v", d)
	}
}

func TestWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Wait(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v", err)
	}
	if err := Wait(context.Background(), 0); err != nil {
		t.Fatalf("Wait(0) = %v", err)
	}
}

func ExamplePolicy_Do() {
	p := &Policy{MaxAttempts: 3, Sleep: func(context.Context, time.Duration) error { return nil }}
	n := 0
	err := p.Do(context.Background(), func(ctx context.Context) error {
		n++
		if n < 3 {
			return io.ErrUnexpectedEOF // transient: tried again
		}
		return nil
	})
	fmt.Println(n, err)
	// Output: 3 <nil>
}

func BenchmarkBackoff(b *testing.B) {
	b.ReportAllocs()
	p := Default()
	for i := 0; b.Loop(); i++ {
		_ = p.Backoff(i%6 + 1)
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-1", "Wed, 21 Oct 2015 07:28:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "soon", "99999999999999999999", " 5 "} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{"Retry-After": []string{v}}
		d, ok := ParseRetryAfter(h, now)
		if d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, negative", v, d)
		}
		if _, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && d > 24*time.Hour {
			t.Fatalf("ParseRetryAfter(%q) = %v, over the 24 h cap", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v without ok", v, d)
		}
	})
}
