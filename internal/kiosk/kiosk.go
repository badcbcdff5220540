// Package kiosk wires the kiosk's window to the configuration: the API
// clients, the outbox, the camera and, in demo mode, the built-in simulator.
// It runs the bare `signet` (Run) and `signet demo` (Demo), which package
// cli lists with the other commands; it is the one package of the command
// line that reaches package app, and so Fyne.
package kiosk

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/signet-kiosk/signet/app"
	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/internal/cli"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/notify"
)

type kioskFlags struct {
	windowed bool
	desk     bool // the staff console alone, in a desktop window (desk.go)
	size     string
	lang     string
	sim      string
}

func parseKioskFlags(env *cli.Env, name string, args []string) (kioskFlags, image.Point, error) {
	var f kioskFlags
	fs := env.FlagSet(name, "[--windowed] [--size WxH] [--lang CODE]")
	fs.BoolVar(&f.windowed, "windowed", false, "run in a window instead of full screen (development)")
	fs.StringVar(&f.size, "size", "1280x800", "window size with --windowed")
	fs.StringVar(&f.lang, "lang", "", "start in this language (en, fr, es, de, nl)")
	if name == "demo" {
		fs.BoolVar(&f.desk, "desk", false, "open the front desk's staff console instead of the kiosk (as `signet desk`)")
		fs.StringVar(&f.sim, "sim", "", "use the simulator already running at this loopback URL (`signet sim`) instead of starting one")
	}
	if err := cli.Parse(fs, args, false); err != nil {
		return f, image.Point{}, err
	}
	w, h, ok := strings.Cut(f.size, "x")
	wi, err1 := strconv.Atoi(w)
	hi, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil || wi < 320 || hi < 240 {
		return f, image.Point{}, cli.Usagef("--size %q: want WIDTHxHEIGHT such as 1280x800", f.size)
	}
	return f, image.Pt(wi, hi), nil
}

// Run is the bare `signet`: the kiosk, full screen, with the configured
// APIs and camera.
func Run(ctx context.Context, env *cli.Env, args []string) error {
	f, size, err := parseKioskFlags(env, "", args)
	if err != nil {
		return err
	}
	cfg, err := env.Config()
	if err != nil {
		return err
	}
	if !cfg.StoRegisterEnabled() {
		return cli.Usagef("storegister.base_url and %s are not set: configure them, or run `signet demo`", config.EnvStoRegisterKey)
	}
	f.desk = cfg.Mode == config.ModeDesk
	return runWindow(ctx, env, cfg, f, size, false)
}

// Demo is `signet demo`: the kiosk against the built-in simulator and the
// synthetic camera, with no configuration file, network or credentials.
func Demo(ctx context.Context, env *cli.Env, args []string) error {
	f, size, err := parseKioskFlags(env, "demo", args)
	if err != nil {
		return err
	}
	// Demo mode ignores any configuration file: it must run anywhere. Only
	// the log settings may come from the environment.
	cfg := config.Default()
	cfg.Camera.Device = "synthetic"
	cfg.Kiosk.DoneMessage = demodata.DoneMessage
	if l := env.Getenv(config.EnvLogLevel); l != "" {
		cfg.Log.Level = l
	}
	if f := env.Getenv(config.EnvLogFormat); f != "" {
		cfg.Log.Format = f
	}
	// The metrics endpoint too: [metrics] of the configuration file when
	// one loads, else SIGNET_METRICS_LISTEN; and a desk's guest display.
	if c, err := env.Config(); err == nil {
		cfg.Metrics = c.Metrics
		cfg.Desk = c.Desk
	} else if l := env.Getenv(config.EnvMetricsListen); l != "" {
		cfg.Metrics.Listen = l
	}
	env.SetConfig(cfg)
	return runWindow(ctx, env, cfg, f, size, true)
}

func runWindow(ctx context.Context, env *cli.Env, cfg *config.Config, f kioskFlags, size image.Point, demo bool) error {
	if f.lang != "" {
		cfg.Kiosk.DefaultLanguage = f.lang
		if err := cfg.Validate(); err != nil {
			return cli.Usagef("--lang: %v", err)
		}
	}
	// The staff console's health screen lists the last warnings and errors.
	ring := staff.NewErrorRing(20)
	log := slog.New(ring.Handler(env.Logger().Handler()))
	deskWindowDir := "" // the state directory's
	if demo {
		if f.sim != "" {
			if err := useSimulator(cfg, f.sim); err != nil {
				return cli.Usagef("--sim: %v", err)
			}
		} else {
			srv, err := startSimulator(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer srv.Close()
		}
		// Demo mode keeps its state (outbox, key) in a throwaway directory;
		// the desk window's size and place, nothing of anyone's, are kept.
		deskWindowDir = filepath.Join(cfg.StateDirOrDefault(), "demo")
		dir, err := os.MkdirTemp("", "signet-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.StateDir = dir
	}
	// Metrics endpoint (when configured), audit journal, systemd watchdog.
	fl := startFleet(ctx, cfg, log, env.Version)
	defer fl.Close()
	w, err := wire(ctx, cfg, log, env.Version, env.Getenv, fl)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	defer w.Close()
	// The hook that tells staff away from the kiosk that a guest called.
	nf, err := notify.New(notify.Options{Webhook: cfg.Notify.Webhook.Reveal(), Command: cfg.Notify.Command,
		Timeout: cfg.Notify.Timeout.D(), Log: log})
	if err != nil {
		log.Error("staff notification hook not used; calls show on the kiosk only", "err", err)
		nf = nil
	}
	defer nf.Wait()
	// READY waits for the first screen on the window and the camera's try.
	shown := make(chan struct{})
	var shownOnce sync.Once
	fl.run(ctx, cfg.Camera.Device, demo, shown)
	w.staff.Errors = ring
	w.staff.WindowDir = deskWindowDir
	log.Info("kiosk starting", "demo", demo, "windowed", f.windowed, "desk", f.desk, "version", env.Version)
	err = app.Run(ctx, app.Options{Config: cfg, Logger: log, Demo: demo, Windowed: f.windowed || f.desk, Desk: f.desk,
		Services: w.svc, NumberRequired: w.numberRequired, Staff: w.staff, Camera: cameraOpener(cfg.Camera.Device, demo, log, fl),
		Metrics: fl.recorder(), Journal: fl.moveIns(), Notify: nf,
		OnShown: func() { shownOnce.Do(func() { close(shown) }) }}, size)
	if err != nil {
		return fmt.Errorf("start kiosk: %w", err)
	}
	return nil
}
