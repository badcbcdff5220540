package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/connect"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/outbox"
)

// Status values of one part.
const (
	stOK   = "ok"
	stWarn = "warn"
	stFail = "fail"
	stSkip = "skipped"
)

// OutboxOldestLimit is the age at which a waiting outbox item makes status
// fail: the same hour as the fleet's alert.
const OutboxOldestLimit = time.Hour

// statusPart is one part of `signet status`.
type statusPart struct {
	Status string  `json:"status"`
	Detail string  `json:"detail,omitempty"`
	TookMS float64 `json:"took_ms,omitempty"`
}

type statusOutbox struct {
	statusPart
	Source           string  `json:"source,omitempty"` // files, metrics
	Queued           int     `json:"queued"`
	Sending          int     `json:"sending"`
	Dead             int     `json:"dead"`
	Quarantined      int     `json:"quarantined"`
	OldestAgeSeconds float64 `json:"oldest_age_seconds"`
}

type statusCamera struct {
	statusPart
	Source string   `json:"source,omitempty"` // device, metrics
	FPS    *float64 `json:"fps,omitempty"`
	Open   *bool    `json:"open,omitempty"`
}

type statusMetrics struct {
	statusPart
	Listen  string `json:"listen,omitempty"`
	Healthz string `json:"healthz,omitempty"`
}

type statusJournal struct {
	statusPart
	MoveIns int   `json:"move_ins"`
	LastSeq int64 `json:"last_seq"`
	Pruned  int64 `json:"pruned,omitempty"`
}

type statusSession struct {
	statusPart
	Time       *time.Time `json:"time,omitempty"`
	AgeSeconds *float64   `json:"age_seconds,omitempty"`
}

// statusReport is the JSON of `signet status --json`.
type statusReport struct {
	OK           bool          `json:"ok"`
	Time         time.Time     `json:"time"`
	Version      string        `json:"version"`
	KioskRunning bool          `json:"kiosk_running"`
	StoRegister  statusPart    `json:"storegister"`
	Mews         statusPart    `json:"mews"`
	Camera       statusCamera  `json:"camera"`
	Outbox       statusOutbox  `json:"outbox"`
	Metrics      statusMetrics `json:"metrics"`
	Journal      statusJournal `json:"journal"`
	LastSession  statusSession `json:"last_session"`
}

func runStatus(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("status", "[--json] [--camera SPEC] [--timeout D]")
	asJSON := fs.Bool("json", false, "print one JSON object (for scripts) instead of a table")
	spec := fs.String("camera", "", "camera spec (default: the configuration's camera.device); \"none\" skips the camera")
	timeout := fs.Duration("timeout", 10*time.Second, "time allowed for each check")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if *timeout <= 0 {
		return Usagef("status: --timeout must be positive")
	}
	cfg, err := env.Config()
	if err != nil {
		return err
	}
	now := time.Now()
	rep := statusReport{Time: now.UTC().Truncate(time.Second), Version: versionOr(env.Version)}

	// Metrics first: when the kiosk serves them, they describe its camera
	// and outbox, which it holds.
	var fams map[string]*dto.MetricFamily
	rep.Metrics, fams = metricsStatus(ctx, cfg, *timeout)
	rep.KioskRunning = rep.Metrics.Healthz != ""

	rep.StoRegister = timedPart(func() (string, error) { return storegisterReach(ctx, env, cfg, *timeout) }, cfg.StoRegisterEnabled())
	rep.Mews = timedPart(func() (string, error) {
		mc, err := mewsClient(env)
		if err != nil {
			return "", err
		}
		cctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		if _, err := mc.Configuration.Get(cctx); err != nil {
			return "", err
		}
		return "configuration/get answered", nil
	}, cfg.MewsEnabled())

	rep.Outbox = outboxStatus(env, fams)
	if rep.Outbox.Detail == outboxHeldDetail {
		rep.KioskRunning = true
	}
	rep.Camera = cameraStatus(ctx, env, cfg, *spec, *timeout, fams, rep.KioskRunning)
	rep.Journal, rep.LastSession = journalStatus(cfg.StateDirOrDefault(), now)

	rep.OK = true
	for _, st := range []string{rep.StoRegister.Status, rep.Mews.Status, rep.Camera.Status, rep.Outbox.Status,
		rep.Metrics.Status, rep.Journal.Status, rep.LastSession.Status} {
		if st == stFail {
			rep.OK = false
		}
	}
	if *asJSON {
		if err := printJSON(env.Stdout, rep); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "PART\tSTATUS\tDETAIL")
		for _, p := range []struct {
			name string
			part statusPart
		}{{"storegister", rep.StoRegister}, {"mews", rep.Mews}, {"camera", rep.Camera.statusPart},
			{"outbox", rep.Outbox.statusPart}, {"metrics", rep.Metrics.statusPart}, {"journal", rep.Journal.statusPart},
			{"last session", rep.LastSession.statusPart}} {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", p.name, p.part.Status, p.part.Detail)
		}
		tw.Flush()
	}
	if !rep.OK {
		return Refused(errors.New("status: not healthy"))
	}
	return nil
}

func versionOr(v string) string {
	if v == "" {
		return "dev"
	}
	return v
}

// timedPart runs f when enabled, else reports skipped.
func timedPart(f func() (string, error), enabled bool) statusPart {
	if !enabled {
		return statusPart{Status: stSkip, Detail: "not configured"}
	}
	start := time.Now()
	detail, err := f()
	p := statusPart{Status: stOK, Detail: detail, TookMS: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		p.Status, p.Detail = stFail, oneLine(redact.Error(err))
	}
	return p
}

// storegisterReach asks StoRegister something harmless: the test
// booking's document types when one is set, else an unknown booking, whose
// "not found" proves the API answers and takes the key.
func storegisterReach(ctx context.Context, env *Env, cfg *config.Config, timeout time.Duration) (string, error) {
	sc, err := bookingClient(env)
	if err != nil {
		return "", err
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if b := cfg.StoRegister.TestBooking; b != "" {
		types, err := sc.IdentityDocumentTypes(cctx, b)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("test booking: %d document types", len(types)), nil
	}
	_, err = sc.Booking(cctx, "00000000-0000-4000-8000-000000000000")
	var ae *storegister.APIError
	switch {
	case err == nil:
		return "answered", nil
	case errors.Is(err, storegister.ErrUnauthorized):
		return "", err
	case errors.As(err, &ae) && ae.HTTPStatus >= 400 && ae.HTTPStatus < 500:
		return fmt.Sprintf("answered (HTTP %d for an unknown booking)", ae.HTTPStatus), nil
	}
	return "", err
}

// metricsStatus reads the kiosk's /healthz and /metrics when [metrics]
// listen is set. Nothing set is not a failure: metrics are optional.
func metricsStatus(ctx context.Context, cfg *config.Config, timeout time.Duration) (statusMetrics, map[string]*dto.MetricFamily) {
	addr := cfg.Metrics.Listen
	if addr == "" {
		return statusMetrics{statusPart: statusPart{Status: stSkip, Detail: "metrics.listen not set"}}, nil
	}
	m := statusMetrics{Listen: addr}
	host := addr
	if strings.HasPrefix(host, "0.0.0.0:") {
		host = "127.0.0.1" + strings.TrimPrefix(host, "0.0.0.0")
	} else if strings.HasPrefix(host, "[::]:") {
		host = "[::1]" + strings.TrimPrefix(host, "[::]")
	}
	hc := &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+path, nil)
		if err != nil {
			return 0, nil, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
		return resp.StatusCode, b, err
	}
	code, body, err := get("/healthz")
	if err != nil {
		m.Status, m.Detail = stFail, "the kiosk does not answer on "+addr+": is it running? ("+oneLine(err.Error())+")"
		return m, nil
	}
	m.Healthz = strings.TrimSpace(oneLine(string(body)))
	if code != http.StatusOK {
		m.Status, m.Detail = stFail, fmt.Sprintf("/healthz answered %d: %s", code, m.Healthz)
	} else {
		m.Status, m.Detail = stOK, "the kiosk serves /metrics and /healthz on "+addr
	}
	code, body, err = get("/metrics")
	if err != nil || code != http.StatusOK {
		m.Status, m.Detail = stFail, fmt.Sprintf("/metrics did not answer 200 (%d, %v)", code, err)
		return m, nil
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		m.Status, m.Detail = stFail, "/metrics is not in Prometheus's text format: "+oneLine(err.Error())
		return m, nil
	}
	return m, fams
}

// gauge returns the value of the series of family name with the given
// label (name, value), or of its only series.
func gauge(fams map[string]*dto.MetricFamily, name string, lv ...string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
	for _, m := range f.GetMetric() {
		if len(lv) == 2 {
			found := false
			for _, l := range m.GetLabel() {
				if l.GetName() == lv[0] && l.GetValue() == lv[1] {
					found = true
				}
			}
			if !found {
				continue
			}
		}
		switch {
		case m.Gauge != nil:
			return m.GetGauge().GetValue(), true
		case m.Counter != nil:
			return m.GetCounter().GetValue(), true
		case m.Untyped != nil:
			return m.GetUntyped().GetValue(), true
		}
	}
	return 0, false
}

const outboxHeldDetail = "held by the running kiosk"

// outboxStatus reads the outbox from the kiosk's metrics when there are
// some, else from its files (which fails while the kiosk holds them).
func outboxStatus(env *Env, fams map[string]*dto.MetricFamily) statusOutbox {
	var o statusOutbox
	if _, ok := fams["signet_outbox_items"]; ok {
		o.Source = "metrics"
		get := func(state string) int { v, _ := gauge(fams, "signet_outbox_items", "state", state); return int(v) }
		o.Queued, o.Sending, o.Dead, o.Quarantined = get("queued"), get("sending"), get("dead"), get("quarantined")
		o.OldestAgeSeconds, _ = gauge(fams, "signet_outbox_oldest_item_age_seconds")
	} else {
		cfg, _ := env.Config()
		ob, err := connect.OutboxExisting(cfg, env.Getenv, outbox.Options{Logger: env.Logger()})
		switch {
		case errors.Is(err, outbox.ErrLocked):
			o.Status, o.Detail = stSkip, outboxHeldDetail
			return o
		case err != nil:
			o.Status, o.Detail = stFail, oneLine(redact.Error(err))
			return o
		case ob == nil:
			o.Status, o.Detail, o.Source = stOK, "empty (none yet)", "files"
			return o
		}
		defer ob.Close()
		o.Source = "files"
		for _, it := range ob.Items() {
			switch it.State {
			case outbox.StateQueued:
				o.Queued++
				o.OldestAgeSeconds = max(o.OldestAgeSeconds, it.Age.Seconds())
			case outbox.StateDead:
				o.Dead++
			case outbox.StateQuarantined, outbox.StateOtherKey:
				o.Quarantined++
			}
		}
	}
	switch {
	case o.OldestAgeSeconds > OutboxOldestLimit.Seconds():
		o.Status, o.Detail = stFail, fmt.Sprintf("an item has waited %v: the APIs do not take it; see `signet outbox list`",
			(time.Duration(o.OldestAgeSeconds)*time.Second).Round(time.Minute))
	case o.Dead > 0 || o.Quarantined > 0:
		o.Status, o.Detail = stWarn, fmt.Sprintf("%d dead, %d quarantined: staff must look at them (`signet outbox list`)", o.Dead, o.Quarantined)
	default:
		o.Status, o.Detail = stOK, fmt.Sprintf("%d waiting", o.Queued+o.Sending)
	}
	return o
}

// cameraStatus takes the camera's figures from the running kiosk's
// metrics, or opens the camera when the kiosk does not hold it.
func cameraStatus(ctx context.Context, env *Env, cfg *config.Config, spec string, timeout time.Duration,
	fams map[string]*dto.MetricFamily, running bool) statusCamera {
	var c statusCamera
	if open, ok := gauge(fams, "signet_camera_open"); ok {
		fps, _ := gauge(fams, "signet_camera_fps")
		isOpen := open == 1
		c.Source, c.FPS, c.Open = "metrics", &fps, &isOpen
		switch {
		case isOpen && fps < 5:
			c.Status, c.Detail = stFail, fmt.Sprintf("streaming at %.1f fps (below 5): check the camera's cable, light and USB bus", fps)
		case isOpen:
			c.Status, c.Detail = stOK, fmt.Sprintf("streaming at %.1f fps", fps)
		default:
			c.Status, c.Detail = stOK, "closed (no screen uses it now)"
		}
		return c
	}
	if spec == "" {
		spec = cfg.Camera.Device
	}
	switch {
	case spec == "none":
		c.Status, c.Detail = stSkip, "--camera none"
		return c
	case running:
		c.Status, c.Detail = stSkip, "held by the running kiosk; set metrics.listen to see its frame rate"
		return c
	}
	c.Source = "device"
	c.statusPart = timedPart(func() (string, error) { return cameraCheck(ctx, env, spec, timeout) }, true)
	return c
}

// journalStatus verifies the audit journal and reports its last move-in.
func journalStatus(stateDir string, now time.Time) (statusJournal, statusSession) {
	var j statusJournal
	var s statusSession
	sum, last, err := auditJournalStatus(stateDir)
	switch {
	case err != nil:
		j.Status, j.Detail = stFail, oneLine(err.Error())+": run `signet audit verify`"
	case sum.Lines == 0:
		j.Status, j.Detail = stOK, "no move-in recorded yet"
	default:
		j.Status, j.Detail = stOK, fmt.Sprintf("intact, %d move-ins", sum.MoveIns)
	}
	j.MoveIns, j.LastSeq, j.Pruned = sum.MoveIns, sum.LastSeq, sum.Pruned
	if last == nil {
		s.Status, s.Detail = stSkip, "no completed move-in in the journal"
		return j, s
	}
	t := last.Time.UTC()
	age := now.Sub(t).Seconds()
	s.Status, s.Time, s.AgeSeconds = stOK, &t, &age
	s.Detail = "last completed move-in " + t.Format(time.RFC3339)
	return j, s
}
