package kiosk

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/app"
	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/camera"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/scan"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/connect"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/outbox"
)

// startSimulator runs the built-in simulator of both APIs on loopback and
// points cfg at it, with the simulator's public demo credentials.
func startSimulator(ctx context.Context, cfg *config.Config, log *slog.Logger) (*sim.Server, error) {
	srv := sim.New(sim.WithLogger(log))
	if _, err := srv.Start(ctx, "127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("demo: start simulator: %w", err)
	}
	pointAtSimulator(cfg, srv.URL(), srv.StoRegisterURL())
	return srv, nil
}

// useSimulator points cfg at a simulator already running at base (its root
// URL, as `signet sim` prints it); only loopback is accepted.
func useSimulator(cfg *config.Config, base string) error {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || u.Scheme != "http" || !config.IsLoopback(u.Hostname()) {
		return fmt.Errorf("%q is not a loopback http URL such as http://127.0.0.1:8787", base)
	}
	pointAtSimulator(cfg, u.String(), u.String()+sim.StoRegisterPrefix)
	return nil
}

func pointAtSimulator(cfg *config.Config, mewsURL, storegisterURL string) {
	cfg.StoRegister.BaseURL = storegisterURL
	cfg.StoRegister.APIKey = demodata.StoRegisterAPIKey
	cfg.Mews.PlatformURL = mewsURL
	cfg.Mews.ClientToken = demodata.MewsClientToken
	cfg.Mews.AccessToken = demodata.MewsAccessToken
}

// wired is everything the kiosk talks to, built from the configuration.
type wired struct {
	svc            flow.Services
	numberRequired bool
	staff          app.StaffDeps
	outbox         *outbox.Outbox
}

// Close stops the outbox's worker.
func (w *wired) Close() {
	if w.outbox != nil {
		_ = w.outbox.Close()
	}
}

// wire builds the API clients, the outbox and its worker. An outbox whose
// waiting items the key cannot open (a wrong or missing key) is an error:
// the kiosk must not start and strand them. getenv tells the message where
// the key came from.
func wire(ctx context.Context, cfg *config.Config, log *slog.Logger, version string, getenv func(string) string, fl *fleet) (*wired, error) {
	w := &wired{staff: app.StaffDeps{StateDir: cfg.StateDirOrDefault(), Version: version,
		Metrics: fl.recorder(), Captures: fl.metrics.Captures}}
	sr, err := connect.StoRegisterObserved(cfg, log, version, fl.observer("storegister"))
	if err != nil {
		return nil, err
	}
	w.svc.Booking = sr
	router := outbox.Router{outbox.KindSignature: outbox.StoRegisterDeliverer{Client: sr},
		outbox.KindIdentityDocument: outbox.StoRegisterDeliverer{Client: sr}}
	var mc *mews.Client
	if cfg.MewsEnabled() {
		mc, err = connect.MewsObserved(cfg, log, version, fl.observer("mews"))
		if err != nil {
			return nil, err
		}
		w.svc.Mews = flow.MewsRecorder{Client: mc}
		w.staff.Mews = mc
		router[outbox.KindMewsIdentityDocument] = outbox.MewsDeliverer{Client: mc}
		// A record whose customer could not be chosen: looked for once more,
		// then parked for staff.
		router[outbox.KindMewsNeedsStaff] = outbox.MewsDeliverer{Client: mc}
	}
	// The outbox before anything talks to the network: a key that cannot
	// open the waiting items stops the start at once.
	ob, err := connect.Outbox(cfg, getenv, outbox.Options{Deliverer: router, Logger: log})
	switch {
	case errors.Is(err, outbox.ErrKeyMismatch) || errors.Is(err, outbox.ErrBadKey):
		log.Error("kiosk not started: the outbox key cannot open the waiting items", "err", err)
		return nil, err
	case err != nil:
		// The kiosk still works without it: a failed submission then asks
		// the guest to see staff instead of being kept.
		log.Error("outbox not available; unsent submissions cannot be kept", "err", err)
	default:
		w.outbox = ob
		w.svc.Queue = flow.OutboxQueue{Outbox: ob}
		w.staff.Outbox = ob
	}
	if mc != nil {
		// Whether a number is required is the enterprise's setting; without
		// an answer the kiosk does not insist.
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		if c, err := mc.Configuration.Get(cctx); err == nil {
			w.numberRequired = c.IsIdentityDocumentNumberRequired
		} else {
			log.Warn("mews configuration not read; document number optional", "err", err)
		}
		cancel()
	}
	if w.outbox != nil {
		fl.watchOutbox(w.outbox)
		w.outbox.Start()
	}
	return w, nil
}

// qrScene shows the booking QR sheet held up after a moment, for the
// booking screen in demo mode.
func qrScene() synthetic.Scene {
	out := synthetic.Conditions{QR: true, Offscreen: 1, Rotate: 6}
	in := synthetic.Conditions{QR: true, Rotate: 2}
	return synthetic.Scene{Name: "qr", Steps: []synthetic.Step{
		synthetic.Hold("nocard", 2500*time.Millisecond, synthetic.NoCard),
		synthetic.Move("qr-enter", time.Second, out, in),
		synthetic.Hold("qr", time.Hour, in),
	}}
}

// sceneFor is what the synthetic camera shows on a screen opened for
// purpose. The booking QR sheet is demo mode's alone: a kiosk run with the
// synthetic camera (to try the screens without a device) must not find a
// booking nobody showed it, so there it sees the empty desk on the booking
// screen and the demo loop without its QR sheet on the document screens.
func sceneFor(purpose string, demo bool) synthetic.Scene {
	switch {
	case demo && purpose == app.PurposeQR:
		return qrScene()
	case demo:
		return synthetic.Demo()
	case purpose == app.PurposeQR:
		return synthetic.Scene{Name: "nocard", Steps: []synthetic.Step{synthetic.Hold("nocard", time.Hour, synthetic.NoCard)}}
	}
	s := synthetic.Demo()
	s.Steps = slices.DeleteFunc(slices.Clone(s.Steps), func(st synthetic.Step) bool { return st.From.QR || st.To.QR })
	return s
}

// cameraOpener adapts package camera to the kiosk's screens.
func cameraOpener(spec string, demo bool, log *slog.Logger, fl *fleet) app.CameraOpener {
	return func(ctx context.Context, purpose string) (<-chan scan.Frame, error) {
		cam, err := camera.Open(ctx, spec, fl.cameraOptions(camera.Options{Demo: demo, Logger: log}))
		if err != nil {
			return nil, err
		}
		if s, ok := cam.(camera.SceneSetter); ok {
			sc := sceneFor(purpose, demo)
			if purpose == app.PurposeDocumentBack {
				sc = sc.TurnedOver() // the card's back: the back's scan refuses the front
			}
			s.SetScene(sc)
		}
		out := make(chan scan.Frame)
		go func() {
			defer close(out)
			defer cam.Close()
			fl.cameraOpen(true)
			defer fl.cameraOpen(false)
			for {
				select {
				case <-ctx.Done():
					return
				case f, ok := <-cam.Frames():
					if !ok {
						return
					}
					cf := scan.Frame{Luma: f.PreviewLuma(), Preview: f.Preview(),
						Full: func() image.Image { return f.Full() }, FullLuma: f.Luma, Release: f.Release}
					select {
					case out <- cf:
					case <-ctx.Done():
						f.Release()
						return
					}
				}
			}
		}()
		return out, nil
	}
}
