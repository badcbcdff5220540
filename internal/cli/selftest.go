package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/signet-kiosk/signet/capture/camera"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/redact"
)

// check is one row of the selftest table.
type check struct {
	Name   string
	Status string // ok, FAIL, skipped
	Detail string
	Took   time.Duration
}

const (
	statusOK   = "ok"
	statusFail = "FAIL"
	statusSkip = "skipped"
)

func runSelftest(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("selftest", "[--camera SPEC] [--timeout D]")
	spec := fs.String("camera", "", "camera spec (default: the configuration's camera.device); \"none\" skips the camera")
	timeout := fs.Duration("timeout", 20*time.Second, "time allowed for each check")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if *timeout <= 0 {
		return Usagef("selftest: --timeout must be positive")
	}
	var rows []check
	add := func(c check) { rows = append(rows, c) }

	cfg, cfgErr := env.Config()
	switch {
	case cfgErr != nil:
		add(check{Name: "configuration", Status: statusFail, Detail: oneLine(redact.Error(cfgErr))})
	default:
		src := cfg.Path
		if src == "" {
			src = "built-in defaults"
		}
		add(check{Name: "configuration", Status: statusOK, Detail: "valid (" + src + ")"})
	}
	if cfg == nil {
		cfg = config.Default()
	}
	if accts, _ := cfg.Staff.AuthAccounts(); len(accts) == 0 {
		add(check{Name: "staff PIN", Status: statusFail, Detail: "not set: run `signet config add-staff --name NAME` or `signet config set-pin`"})
	} else {
		add(check{Name: "staff PIN", Status: statusOK, Detail: fmt.Sprintf("set (%d accounts)", len(accts))})
	}

	// Mews: configuration/get, harmless and read-only.
	if !cfg.MewsEnabled() {
		add(check{Name: "mews", Status: statusSkip, Detail: "not configured"})
	} else if cfgErr != nil {
		add(check{Name: "mews", Status: statusSkip, Detail: "configuration invalid"})
	} else {
		add(timed(ctx, *timeout, "mews configuration/get", func(ctx context.Context) (string, error) {
			mc, err := mewsClient(env)
			if err != nil {
				return "", err
			}
			c, err := mc.Configuration.Get(ctx)
			if err != nil {
				return "", err
			}
			req := "optional"
			if c.IsIdentityDocumentNumberRequired {
				req = "required"
			}
			return fmt.Sprintf("enterprise %q; document number %s", c.Enterprise.Name, req), nil
		}))
	}

	// StoRegister: the document types of the test booking, read-only.
	switch {
	case !cfg.StoRegisterEnabled():
		add(check{Name: "storegister", Status: statusSkip, Detail: "not configured"})
	case cfgErr != nil:
		add(check{Name: "storegister", Status: statusSkip, Detail: "configuration invalid"})
	case cfg.StoRegister.TestBooking == "":
		add(check{Name: "storegister", Status: statusSkip, Detail: "storegister.test_booking not set"})
	default:
		add(timed(ctx, *timeout, "storegister document types", func(ctx context.Context) (string, error) {
			sc, err := bookingClient(env)
			if err != nil {
				return "", err
			}
			types, err := sc.IdentityDocumentTypes(ctx, cfg.StoRegister.TestBooking)
			if err != nil {
				return "", err
			}
			names := make([]string, len(types))
			for i, t := range types {
				names[i] = t.Name
			}
			return fmt.Sprintf("%d types: %s", len(types), strings.Join(names, ", ")), nil
		}))
	}

	// Camera: open it and take a frame, then count frames for a second.
	cam := *spec
	if cam == "" {
		cam = cfg.Camera.Device
	}
	if cam == "none" {
		add(check{Name: "camera", Status: statusSkip, Detail: "--camera none"})
	} else {
		add(timed(ctx, *timeout, "camera", func(ctx context.Context) (string, error) { return cameraCheck(ctx, env, cam, *timeout) }))
	}

	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tRESULT\tTIME\tDETAIL")
	failed := 0
	for _, r := range rows {
		took := "-"
		if r.Took > 0 {
			took = r.Took.Round(time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Status, took, r.Detail)
		if r.Status == statusFail {
			failed++
		}
	}
	tw.Flush()
	if failed > 0 {
		err := fmt.Errorf("selftest: %d of %d checks failed", failed, len(rows))
		if cfgErr != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		return Refused(err)
	}
	fmt.Fprintf(env.Stdout, "all %d checks passed\n", len(rows))
	return nil
}

// timed runs f with at most timeout to do its work and makes a row of its
// result; errors are redacted.
func timed(ctx context.Context, timeout time.Duration, name string, f func(context.Context) (string, error)) check {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	detail, err := f(ctx)
	c := check{Name: name, Took: time.Since(start), Status: statusOK, Detail: detail}
	if err != nil {
		c.Status, c.Detail = statusFail, oneLine(redact.Error(err))
	}
	return c
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// cameraCheck opens the camera, waits for a first frame and measures the
// frame rate over up to a second.
func cameraCheck(ctx context.Context, env *Env, spec string, timeout time.Duration) (string, error) {
	if _, err := camera.ParseSpec(spec); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cam, err := camera.Open(ctx, spec, camera.Options{Logger: env.Logger()})
	if err != nil {
		return "", err
	}
	defer cam.Close()
	var first time.Time
	n := 0
	window := time.NewTimer(timeout)
	defer window.Stop()
	for {
		select {
		case <-ctx.Done():
			if n > 0 {
				return cameraDetail(cam.Info(), n, time.Since(first)), nil
			}
			return "", errors.New("camera: no frame within " + timeout.String())
		case <-window.C:
			if n == 0 {
				return "", errors.New("camera: no frame within " + timeout.String())
			}
			return cameraDetail(cam.Info(), n, time.Since(first)), nil
		case f, ok := <-cam.Frames():
			if !ok {
				if n > 0 {
					return cameraDetail(cam.Info(), n, time.Since(first)), nil
				}
				return "", errors.New("camera: stream ended before a frame")
			}
			f.Release()
			if n == 0 {
				first = time.Now()
				window.Reset(time.Second)
			}
			n++
		}
	}
}

func cameraDetail(info camera.Info, n int, over time.Duration) string {
	fps := ""
	if n > 1 && over > 0 {
		fps = fmt.Sprintf(", %.1f fps measured", float64(n-1)/over.Seconds())
	}
	return fmt.Sprintf("%s %dx%d %s%s", info.Name, info.Size.X, info.Size.Y, info.Format, fps)
}
