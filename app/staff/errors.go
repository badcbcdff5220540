package staff

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/internal/redact"
)

// ErrorRing keeps the kiosk's most recent warnings and errors for the
// staff health screen: the message and the error's text only,
// passed through redact, never the other attributes (which may name a
// person's data even when the log line masks it).
type ErrorRing struct {
	mu   sync.Mutex
	n    int
	list []RecentError
}

// RecentError is one warning or error kept by an ErrorRing.
type RecentError struct {
	At    time.Time
	Level slog.Level
	What  string
}

// NewErrorRing keeps the last n warnings and errors (20 when n < 1).
func NewErrorRing(n int) *ErrorRing {
	if n < 1 {
		n = 20
	}
	return &ErrorRing{n: n}
}

// Handler wraps next so that every warning and error logged through it is
// also kept in the ring. main wraps the kiosk's logger with it and hands
// the ring to the staff screens in StaffDeps.Errors.
func (r *ErrorRing) Handler(next slog.Handler) slog.Handler { return ringHandler{ring: r, next: next} }

// Recent returns the kept entries, newest last.
func (r *ErrorRing) Recent() []RecentError {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RecentError(nil), r.list...)
}

func (r *ErrorRing) add(e RecentError) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, e)
	if len(r.list) > r.n {
		r.list = r.list[len(r.list)-r.n:]
	}
}

type ringHandler struct {
	ring *ErrorRing
	next slog.Handler
}

func (h ringHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn || h.next.Enabled(ctx, l)
}

func (h ringHandler) Handle(ctx context.Context, rec slog.Record) error {
	if rec.Level >= slog.LevelWarn {
		what := rec.Message
		rec.Attrs(func(a slog.Attr) bool {
			if a.Key == "err" || a.Key == "error" {
				what += ": " + redact.String(a.Value.String())
				return false
			}
			return true
		})
		if len([]rune(what)) > 200 {
			what = string([]rune(what)[:200]) + "…"
		}
		h.ring.add(RecentError{At: rec.Time, Level: rec.Level, What: what})
	}
	if !h.next.Enabled(ctx, rec.Level) {
		return nil
	}
	return h.next.Handle(ctx, rec)
}

func (h ringHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return ringHandler{ring: h.ring, next: h.next.WithAttrs(as)}
}

func (h ringHandler) WithGroup(name string) slog.Handler {
	return ringHandler{ring: h.ring, next: h.next.WithGroup(name)}
}

// Event is one line of the kiosk's recent activity for the health screen:
// never personal data, only what happened.
type Event struct {
	At   time.Time
	What string
}

// Events keeps the kiosk's last events, from the guest side and the staff
// side alike. It is safe for concurrent use.
type Events struct {
	mu     sync.Mutex
	n      int
	events []Event
}

// NewEvents keeps the last n events.
func NewEvents(n int) *Events { return &Events{n: n} }

// Add records what happened now.
func (l *Events) Add(what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, Event{At: time.Now(), What: what})
	if len(l.events) > l.n {
		l.events = l.events[len(l.events)-l.n:]
	}
}

// recentMax is how many lines the health screen lists.
const recentMax = 20

// Recent is what the health screen lists, newest last: the events, and
// the warnings and errors kept by ring (nil: none), at most twenty.
func Recent(events *Events, ring *ErrorRing) []Event {
	events.mu.Lock()
	recent := append([]Event(nil), events.events...)
	events.mu.Unlock()
	if ring == nil {
		return recent
	}
	for _, e := range ring.Recent() {
		recent = append(recent, Event{At: e.At, What: e.Level.String() + " " + e.What})
	}
	sort.SliceStable(recent, func(i, j int) bool { return recent[i].At.Before(recent[j].At) })
	if len(recent) > recentMax {
		recent = recent[len(recent)-recentMax:]
	}
	return recent
}
