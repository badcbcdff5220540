// Package watchdog tells systemd that the kiosk has started (READY=1) and
// keeps proving that its UI thread is alive (WATCHDOG=1), through
// sd_notify (github.com/coreos/go-systemd/v22/daemon).
//
// A beat is sent only when a tick scheduled on the UI thread has actually
// run: each interval the heartbeat looks at the tick it scheduled the
// interval before; if that tick ran, it notifies systemd and schedules the
// next one; if not, the UI thread is stuck (or its queue is), nothing is
// sent, and systemd restarts the kiosk once WatchdogSec passes. A stuck
// tick is never scheduled again on top of itself, so a stalled UI does not
// pile up work. In the kiosk the scheduler is fyne.Do (app.UISchedule);
// this package stays free of Fyne and is tested with a fake scheduler and
// a fake clock.
package watchdog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

// Notify sends one sd_notify message (such as "WATCHDOG=1"). It reports
// false, nil when the process was not started by systemd with a notify
// socket.
type Notify func(state string) (bool, error)

// SystemdNotify is the real Notify: daemon.SdNotify.
func SystemdNotify(state string) (bool, error) { return daemon.SdNotify(false, state) }

// Clock is the part of time the heartbeat needs; tests pass a fake.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Options configure a Watchdog.
type Options struct {
	// Schedule runs f on the UI thread, later (fyne.Do). Required for the
	// heartbeat.
	Schedule func(f func())
	// Interval between beats; zero takes it from systemd (half of
	// WatchdogSec, daemon.SdWatchdogEnabled), and when systemd set no
	// watchdog there is no heartbeat (READY is still sent).
	Interval time.Duration
	// Notify sends sd_notify messages; nil is SystemdNotify.
	Notify Notify
	// Clock; nil is the real one.
	Clock Clock
	// Logger gets one line when the UI stops answering and one when it
	// answers again; nil discards.
	Logger *slog.Logger
}

// Watchdog sends READY once and heartbeats while the UI thread runs.
type Watchdog struct {
	opts  Options
	ready sync.Once

	started chan struct{} // closed by Ready

	mu        sync.Mutex
	pending   bool      // a tick is scheduled and has not run
	scheduled time.Time // when the pending tick was scheduled
	lastRun   time.Time // when a tick last ran on the UI thread
	stalled   bool      // logged as stalled
	beats     atomic.Int64
}

// New returns a Watchdog. When Options.Interval is zero it asks systemd
// for the watchdog interval (WATCHDOG_USEC, for this process).
func New(opts Options) *Watchdog {
	if opts.Notify == nil {
		opts.Notify = SystemdNotify
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Interval == 0 {
		if d, err := daemon.SdWatchdogEnabled(false); err == nil && d > 0 {
			opts.Interval = d / 2
		}
	}
	return &Watchdog{opts: opts, started: make(chan struct{})}
}

// Interval is the time between beats; 0 means no heartbeat (systemd set
// no watchdog).
func (w *Watchdog) Interval() time.Duration { return w.opts.Interval }

// Ready tells systemd that the kiosk is up: READY=1, with STATUS= status
// (one line, nothing personal; such as "camera failed: no capture
// device"). Only the first call sends; it also starts the heartbeat of a
// running Run. Call it once the first screen is shown and the camera is
// open or has failed.
func (w *Watchdog) Ready(status string) {
	w.ready.Do(func() {
		msg := "READY=1"
		if s := statusLine(status); s != "" {
			msg += "\nSTATUS=" + s
		}
		if _, err := w.opts.Notify(msg); err != nil {
			w.opts.Logger.Warn("systemd notify failed", "err", err)
		}
		close(w.started)
	})
}

// Status updates systemd's STATUS= line (systemctl status shows it).
func (w *Watchdog) Status(status string) {
	if s := statusLine(status); s != "" {
		_, _ = w.opts.Notify("STATUS=" + s)
	}
}

// Stopping tells systemd the kiosk is shutting down on purpose.
func (w *Watchdog) Stopping() { _, _ = w.opts.Notify("STOPPING=1") }

func statusLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// Run sends the heartbeat every Interval once Ready was called, until ctx
// ends. It returns at once when there is no interval or no scheduler.
func (w *Watchdog) Run(ctx context.Context) {
	if w.opts.Interval <= 0 || w.opts.Schedule == nil {
		return
	}
	select {
	case <-w.started:
	case <-ctx.Done():
		return
	}
	w.Beat() // schedules the first tick
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.opts.Clock.After(w.opts.Interval):
			w.Beat()
		}
	}
}

// Beat is one step of the heartbeat: if the tick scheduled by the last
// Beat has run on the UI thread (or none was scheduled yet), it sends
// WATCHDOG=1 and schedules the next tick, and reports true; if the tick is
// still waiting, it sends nothing and reports false. Run calls it every
// Interval.
func (w *Watchdog) Beat() bool {
	now := w.opts.Clock.Now()
	w.mu.Lock()
	if w.pending {
		waited := now.Sub(w.scheduled)
		first := !w.stalled
		w.stalled = true
		w.mu.Unlock()
		if first {
			w.opts.Logger.Error("the UI thread has not run the watchdog's tick; no heartbeat is sent, and systemd restarts the kiosk when WatchdogSec runs out",
				"waited", waited.Round(time.Millisecond))
		}
		return false
	}
	recovered := w.stalled
	w.stalled = false
	w.pending, w.scheduled = true, now
	w.mu.Unlock()
	if recovered {
		w.opts.Logger.Info("the UI thread answers the watchdog again")
	}
	if _, err := w.opts.Notify("WATCHDOG=1"); err != nil {
		w.opts.Logger.Warn("systemd notify failed", "err", err)
	}
	w.beats.Add(1)
	w.opts.Schedule(w.tick)
	return true
}

// tick runs on the UI thread.
func (w *Watchdog) tick() {
	now := w.opts.Clock.Now()
	w.mu.Lock()
	w.pending = false
	w.lastRun = now
	w.mu.Unlock()
}

// Beats counts the WATCHDOG=1 messages sent.
func (w *Watchdog) Beats() int64 { return w.beats.Load() }

// ErrStalled is what Health returns while the UI thread does not answer.
var ErrStalled = errors.New("watchdog: the UI thread does not answer")

// Health reports whether the UI thread answers: ErrStalled (wrapped with
// how long it has not) when a tick has waited longer than two intervals.
// It is the kiosk's /healthz. Without a heartbeat it reports nil.
func (w *Watchdog) Health() error {
	if w.opts.Interval <= 0 {
		return nil
	}
	now := w.opts.Clock.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pending && now.Sub(w.scheduled) > 2*w.opts.Interval {
		return fmt.Errorf("%w for %v", ErrStalled, now.Sub(w.scheduled).Round(time.Second))
	}
	return nil
}
