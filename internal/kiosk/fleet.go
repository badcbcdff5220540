package kiosk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/app"
	"github.com/signet-kiosk/signet/capture/camera"
	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/internal/audit"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/watchdog"
	"github.com/signet-kiosk/signet/outbox"
)

// fleet is what a fleet's operator watches the kiosk through: the metrics
// (always counted in memory, for the staff console's health view too;
// served only when metrics.listen is set), the systemd watchdog, and the
// audit journal of completed move-ins.
type fleet struct {
	log      *slog.Logger
	metrics  *metrics.Metrics
	server   *metrics.Server // nil when metrics.listen is not set
	watchdog *watchdog.Watchdog
	journal  *audit.Journal // nil when it could not be opened (logged)
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// startFleet starts the metrics endpoint when configured and opens the
// audit journal; neither failing stops the kiosk (guests come first), each
// is logged. The watchdog starts with run.
func startFleet(ctx context.Context, cfg *config.Config, log *slog.Logger, version string) *fleet {
	f := &fleet{log: log, metrics: metrics.New(version)}
	if addr := cfg.Metrics.Listen; addr != "" {
		srv, err := f.metrics.Serve(ctx, addr, log)
		if err != nil {
			log.Error("metrics endpoint not started; the kiosk runs without it", "err", err)
		} else {
			f.server = srv
			log.Info("metrics endpoint listening", "addr", srv.Addr())
		}
	}
	j, err := audit.Open(cfg.StateDirOrDefault(), audit.Options{KeepDays: cfg.Audit.KeepDays, Logger: log})
	if err != nil {
		log.Error("audit journal not opened; completed move-ins are not recorded in it", "err", err)
	} else {
		f.journal = j
		log.Info("audit journal open", "path", j.Path(), "keep_days", cfg.Audit.KeepDays)
	}
	f.watchdog = watchdog.New(watchdog.Options{Schedule: app.UISchedule, Logger: log})
	f.metrics.SetHealth(f.watchdog.Health)
	return f
}

// recorder is what the guest flow reports to. The metrics count in memory
// whether served or not (the staff console reads Captures from them).
func (f *fleet) recorder() metrics.Recorder { return f.metrics }

// observer is the API clients' request observer.
func (f *fleet) observer(api string) transport.Observer { return f.metrics.API(api) }

// cameraOptions adds the frame counter to a camera's options.
func (f *fleet) cameraOptions(o camera.Options) camera.Options {
	o.OnFrame = f.metrics.CameraFrame
	return o
}

// cameraOpen tells the metrics whether a screen streams from the camera.
func (f *fleet) cameraOpen(open bool) { f.metrics.CameraOpen(open) }

// watchOutbox makes the metrics read ob at each scrape.
func (f *fleet) watchOutbox(ob *outbox.Outbox) {
	if ob == nil {
		return
	}
	f.metrics.SetOutbox(func() metrics.OutboxState {
		s := ob.Stats()
		st := metrics.OutboxState{Queued: s.Depth - s.InFlight, Sending: s.InFlight, Dead: len(s.Dead),
			Quarantined: s.Quarantined, OldestAge: s.OldestAge}
		return st
	})
}

// run starts the watchdog: READY once the first screen is on the window
// (shown is closed by package app) and the camera has been tried, then the
// heartbeat.
func (f *fleet) run(ctx context.Context, cameraSpec string, demo bool, shown <-chan struct{}) {
	ctx, f.cancel = context.WithCancel(ctx)
	f.wg.Add(2)
	go func() {
		defer f.wg.Done()
		camStatus := probeCamera(ctx, cameraSpec, demo, f.log)
		select {
		case <-shown:
			f.watchdog.Ready("kiosk running; " + camStatus)
		case <-ctx.Done():
		}
	}()
	go func() {
		defer f.wg.Done()
		f.watchdog.Run(ctx)
	}()
}

// moveIns is the journal the kiosk appends completed move-ins to; nil
// (no journal) when it could not be opened.
func (f *fleet) moveIns() app.MoveInJournal {
	if f.journal == nil {
		return nil
	}
	return f.journal
}

// probeCamera opens the camera, waits for a first frame (5 s at most) and
// closes it, for READY's status line: "camera ok: NAME" or "camera failed:
// why". The kiosk's screens open the camera themselves later.
func probeCamera(ctx context.Context, spec string, demo bool, log *slog.Logger) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	cam, err := camera.Open(ctx, spec, camera.Options{Demo: demo, Logger: log})
	if err != nil {
		log.Error("camera not available at start", "err", err)
		return "camera failed: " + err.Error()
	}
	defer cam.Close()
	select {
	case fr, ok := <-cam.Frames():
		if !ok {
			return "camera failed: the stream ended before a frame"
		}
		fr.Release()
		i := cam.Info()
		return fmt.Sprintf("camera ok: %s %dx%d", i.Name, i.Size.X, i.Size.Y)
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			log.Error("camera gave no frame within 5s at start")
			return "camera failed: no frame within 5s"
		}
		return "stopping"
	}
}

// Close stops the watchdog (STOPPING=1), the metrics endpoint and the
// journal.
func (f *fleet) Close() {
	if f.cancel != nil {
		f.cancel()
		f.wg.Wait()
	}
	f.watchdog.Stopping()
	if f.server != nil {
		_ = f.server.Close()
	}
	if f.journal != nil {
		_ = f.journal.Close()
	}
}
