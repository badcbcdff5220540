// Package metrics is the kiosk's Prometheus instrumentation: every family a
// fleet's dashboards and alerts read, registered at once with its known
// label values, and the small HTTP server that exposes them on /metrics and
// /healthz when `[metrics] listen` is set.
//
// No label ever carries personal data: every label value comes from a
// fixed list in this package (steps, outcomes, sides, results, API
// endpoints as path templates, HTTP status codes, error kinds), and a
// value outside its list is counted as "other". Booking ids, names,
// document numbers and images never reach a metric.
//
// The guest flow reports through the Recorder interface; Nop is its
// no-op default. *Metrics implements it, and also the camera's and the
// API clients' hooks (CameraFrame, API).
package metrics

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Namespace prefixes every family of Signet's own.
const Namespace = "signet"

// Steps of the guest flow that StepDone and AbandonedAt name, as app/flow
// spells them (a dash becomes an underscore in the label).
var Steps = []string{"find_booking", "confirm_booking", "document_type", "capture", "details", "signature", "submit"}

// Outcome is how a guest's session ended: one of the constants, or
// AbandonedAt(step).
type Outcome string

// Session outcomes.
const (
	// Completed: the move-in was submitted (sent, or kept in the outbox).
	Completed Outcome = "completed"
	// IdleReset: nobody answered "still there?" and the kiosk reset.
	IdleReset Outcome = "idle_reset"
	// StaffCalled: the guest asked for staff and the session ended there.
	StaffCalled Outcome = "staff_called"
)

// AbandonedAt is the outcome of a guest who left the flow (Cancel, back
// to the start) at step, a name of Steps (app/flow's Step.String() is
// accepted: "find-booking").
func AbandonedAt(step string) Outcome { return Outcome("abandoned_at_" + stepLabel(step)) }

// Capture sides and results for CaptureAttempt.
var (
	Sides = []string{"front", "back"}
	// CaptureResults: accepted, the guest kept the picture; retaken, the
	// guest threw it away at the review; refused, the shutter was pressed
	// but the frame failed the live checks.
	CaptureResults = []string{"accepted", "retaken", "refused"}
)

// StaffLoginResults are the values of signet_staff_logins_total{result}.
var StaffLoginResults = []string{"success", "wrong_pin", "locked", "error"}

// Scores are the live-check figures of one capture attempt (numbers,
// never images), as capture/idscan measures them: Sharpness is the
// variance of the Laplacian, Glare the worst share of saturated pixels over
// its limit (≤ 1 passes), Framing the card's area over the guide's.
type Scores struct {
	Sharpness, Glare, Framing float64
}

// Recorder receives the guest flow's events. Its methods are cheap, never
// block and are safe from any goroutine. Nop does nothing.
type Recorder interface {
	// SessionEnded counts a guest session by how it ended.
	SessionEnded(o Outcome)
	// StepDone observes the time a guest spent on step (a name of Steps)
	// before moving on.
	StepDone(step string, d time.Duration)
	// CaptureAttempt counts one picture of a document side with its
	// result (CaptureResults) and live-check scores.
	CaptureAttempt(side, result string, s Scores)
	// AutoCapture observes the time from a capture screen's first frame
	// to the automatic shutter.
	AutoCapture(d time.Duration)
	// StaffLogin counts a PIN entry at the staff console by result
	// (StaffLoginResults).
	StaffLogin(result string)
	// StaffCallsWaiting sets how many guests are waiting for staff now.
	StaffCallsWaiting(n int)
}

// Nop is the Recorder that records nothing: the default when metrics are
// not configured.
var Nop Recorder = nop{}

type nop struct{}

func (nop) SessionEnded(Outcome)                  {}
func (nop) StepDone(string, time.Duration)        {}
func (nop) CaptureAttempt(string, string, Scores) {}
func (nop) AutoCapture(time.Duration)             {}
func (nop) StaffLogin(string)                     {}
func (nop) StaffCallsWaiting(int)                 {}

// OutboxState is what the outbox holds at one moment, read at each scrape.
type OutboxState struct {
	Queued, Sending, Dead, Quarantined int
	// OldestAge is the age of the oldest waiting item; 0 when none waits.
	OldestAge time.Duration
}

// OutboxStates are the values of signet_outbox_items{state}.
var OutboxStates = []string{"queued", "sending", "dead", "quarantined"}

// Histogram buckets, in the families' units.
var (
	stepBuckets       = []float64{1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600}
	autoBuckets       = []float64{0.5, 1, 1.5, 2, 3, 5, 8, 13, 20, 30, 60}
	apiBuckets        = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30}
	sharpnessBuckets  = prometheus.ExponentialBuckets(25, 2, 10) // 25 … 12800
	glareBuckets      = []float64{0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 4}
	framingBuckets    = []float64{0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1}
	fpsWindow         = time.Second
	fpsStaleAfter     = 3 * time.Second
	defaultOutboxFunc = func() OutboxState { return OutboxState{} }
)

// Metrics holds every family on its own registry. Make one with New.
type Metrics struct {
	reg *prometheus.Registry

	sessions    *prometheus.CounterVec
	steps       *prometheus.HistogramVec
	captures    *prometheus.CounterVec
	sharpness   *prometheus.HistogramVec
	glare       *prometheus.HistogramVec
	framing     *prometheus.HistogramVec
	autocapture prometheus.Histogram
	apiDuration *prometheus.HistogramVec
	apiErrors   *prometheus.CounterVec
	frames      prometheus.Counter
	cameraOpen  prometheus.Gauge
	logins      *prometheus.CounterVec
	waiting     prometheus.Gauge

	fps fpsMeter
	now func() time.Time

	mu     sync.Mutex
	outbox func() OutboxState
	health func() error
	recent []Capture // the last RecentCaptures attempts, oldest first

	apis map[string]*apiObserver
}

// New registers every family, with its known label values at zero, so that
// dashboards and alerts have series before the first guest. version is the
// build's version for signet_build_info.
func New(version string) *Metrics {
	return newWithClock(version, time.Now)
}

func newWithClock(version string, now func() time.Time) *Metrics {
	if version == "" {
		version = "dev"
	}
	m := &Metrics{reg: prometheus.NewRegistry(), now: now, outbox: defaultOutboxFunc}
	m.fps.now = now
	f := prometheus.BuildFQName
	reg := m.reg.MustRegister

	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: f(Namespace, "", "build_info"),
		Help: "Always 1; the version label names the running build."}, []string{"version"})
	info.WithLabelValues(version).Set(1)

	m.sessions = prometheus.NewCounterVec(prometheus.CounterOpts{Name: f(Namespace, "guest", "sessions_total"),
		Help: "Guest sessions by how they ended: completed, abandoned_at_<step>, idle_reset, staff_called."}, []string{"outcome"})
	m.steps = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: f(Namespace, "guest", "step_seconds"),
		Help: "Time a guest spent on a step of the flow before moving on.", Buckets: stepBuckets}, []string{"step"})
	m.captures = prometheus.NewCounterVec(prometheus.CounterOpts{Name: f(Namespace, "capture", "attempts_total"),
		Help: "Pictures of a document side, by result: accepted, retaken (at the review), refused (failed the live checks)."}, []string{"side", "result"})
	m.sharpness = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: f(Namespace, "capture", "sharpness"),
		Help: "Sharpness score (variance of the Laplacian) of each capture attempt, by result; compare with scan.min_sharpness.", Buckets: sharpnessBuckets}, []string{"result"})
	m.glare = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: f(Namespace, "capture", "glare_ratio"),
		Help: "Glare of each capture attempt over its limit (1 is the limit), by result; compare with scan.max_glare.", Buckets: glareBuckets}, []string{"result"})
	m.framing = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: f(Namespace, "capture", "framing_ratio"),
		Help: "Card area over the guide frame's area of each capture attempt, by result; compare with scan.min_fill.", Buckets: framingBuckets}, []string{"result"})
	m.autocapture = prometheus.NewHistogram(prometheus.HistogramOpts{Name: f(Namespace, "", "autocapture_seconds"),
		Help: "Time from a capture screen's first frame to the automatic shutter.", Buckets: autoBuckets})
	m.apiDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: f(Namespace, "api", "request_duration_seconds"),
		Help:    "Duration of each outgoing API request until its response headers, by API, endpoint (a path template) and HTTP status (none: no response).",
		Buckets: apiBuckets}, []string{"api", "endpoint", "code"})
	m.apiErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: f(Namespace, "api", "errors_total"),
		Help: "Failed outgoing API requests by kind: timeout, network, server (5xx), rate_limited (429), auth (401/403), client (other 4xx but 404), redirect, too_large, insecure, canceled."},
		[]string{"api", "endpoint", "kind"})
	m.frames = prometheus.NewCounter(prometheus.CounterOpts{Name: f(Namespace, "camera", "frames_total"),
		Help: "Frames captured by the camera (before any is dropped for a slow screen)."})
	fps := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: f(Namespace, "camera", "fps"),
		Help: "Frames per second over the last second; 0 while the camera is closed."}, m.fps.rate)
	m.cameraOpen = prometheus.NewGauge(prometheus.GaugeOpts{Name: f(Namespace, "camera", "open"),
		Help: "1 while a screen streams from the camera (booking QR, document capture), else 0."})
	m.logins = prometheus.NewCounterVec(prometheus.CounterOpts{Name: f(Namespace, "staff", "logins_total"),
		Help: "PIN entries at the staff console by result: success, wrong_pin, locked, error."}, []string{"result"})
	m.waiting = prometheus.NewGauge(prometheus.GaugeOpts{Name: f(Namespace, "staff", "calls_waiting"),
		Help: "Guests waiting for staff now (asked for help, not yet answered)."})

	reg(info, m.sessions, m.steps, m.captures, m.sharpness, m.glare, m.framing, m.autocapture,
		m.apiDuration, m.apiErrors, m.frames, fps, m.cameraOpen, m.logins, m.waiting, outboxCollector{m},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	// Known label values start at zero.
	for _, o := range outcomes() {
		m.sessions.WithLabelValues(o)
	}
	for _, s := range Steps {
		m.steps.WithLabelValues(s)
	}
	for _, side := range Sides {
		for _, r := range CaptureResults {
			m.captures.WithLabelValues(side, r)
		}
	}
	for _, r := range CaptureResults {
		m.sharpness.WithLabelValues(r)
		m.glare.WithLabelValues(r)
		m.framing.WithLabelValues(r)
	}
	for _, r := range StaffLoginResults {
		m.logins.WithLabelValues(r)
	}
	m.apis = make(map[string]*apiObserver, len(apiEndpoints))
	for api := range apiEndpoints {
		m.apis[api] = newAPIObserver(m, api)
	}
	return m
}

// outcomes lists every known session outcome.
func outcomes() []string {
	out := []string{string(Completed), string(IdleReset), string(StaffCalled)}
	for _, s := range Steps {
		out = append(out, string(AbandonedAt(s)))
	}
	return out
}

// Registry returns the registry holding every family (tests, status).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// SessionEnded implements Recorder.
func (m *Metrics) SessionEnded(o Outcome) {
	s := string(o)
	if !known(s, outcomes()) {
		s = "other"
	}
	m.sessions.WithLabelValues(s).Inc()
}

// StepDone implements Recorder.
func (m *Metrics) StepDone(step string, d time.Duration) {
	m.steps.WithLabelValues(stepLabel(step)).Observe(d.Seconds())
}

// CaptureAttempt implements Recorder.
func (m *Metrics) CaptureAttempt(side, result string, s Scores) {
	if !known(side, Sides) {
		side = "other"
	}
	if !known(result, CaptureResults) {
		result = "other"
	}
	m.captures.WithLabelValues(side, result).Inc()
	m.mu.Lock()
	if len(m.recent) == RecentCaptures {
		copy(m.recent, m.recent[1:])
		m.recent = m.recent[:RecentCaptures-1]
	}
	m.recent = append(m.recent, Capture{Time: m.now(), Side: side, Result: result, Scores: s})
	m.mu.Unlock()
	m.sharpness.WithLabelValues(result).Observe(s.Sharpness)
	m.glare.WithLabelValues(result).Observe(s.Glare)
	m.framing.WithLabelValues(result).Observe(s.Framing)
}

// RecentCaptures is how many capture attempts Captures keeps.
const RecentCaptures = 20

// Capture is one capture attempt as Captures lists it: numbers, never
// images.
type Capture struct {
	Time         time.Time
	Side, Result string
	Scores
}

// Captures returns the last RecentCaptures capture attempts, oldest first,
// for the staff console's health view (beside the thresholds they were
// checked against).
func (m *Metrics) Captures() []Capture {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Capture(nil), m.recent...)
}

// AutoCapture implements Recorder.
func (m *Metrics) AutoCapture(d time.Duration) { m.autocapture.Observe(d.Seconds()) }

// StaffLogin implements Recorder.
func (m *Metrics) StaffLogin(result string) {
	if !known(result, StaffLoginResults) {
		result = "other"
	}
	m.logins.WithLabelValues(result).Inc()
}

// StaffCallsWaiting implements Recorder.
func (m *Metrics) StaffCallsWaiting(n int) { m.waiting.Set(float64(max(n, 0))) }

// CameraFrame counts one captured frame; the camera's capture goroutine
// calls it (camera.Options.OnFrame). It takes no lock that a scrape holds
// for long and allocates nothing.
func (m *Metrics) CameraFrame() {
	m.frames.Inc()
	m.fps.frame()
}

// CameraOpen says whether a screen streams from the camera now.
func (m *Metrics) CameraOpen(open bool) {
	v := 0.0
	if open {
		v = 1
	}
	m.cameraOpen.Set(v)
}

// SetOutbox installs the function that reads the outbox at each scrape;
// nil reports an empty outbox.
func (m *Metrics) SetOutbox(f func() OutboxState) {
	if f == nil {
		f = defaultOutboxFunc
	}
	m.mu.Lock()
	m.outbox = f
	m.mu.Unlock()
}

// SetHealth installs the check behind /healthz: nil error answers 200,
// else 503 with the error's text (which must hold nothing personal). The
// kiosk passes the watchdog's view of the UI thread.
func (m *Metrics) SetHealth(f func() error) {
	m.mu.Lock()
	m.health = f
	m.mu.Unlock()
}

func (m *Metrics) healthErr() error {
	m.mu.Lock()
	f := m.health
	m.mu.Unlock()
	if f == nil {
		return nil
	}
	return f()
}

// outboxCollector reads the outbox when scraped, so the outbox needs no
// knowledge of metrics.
type outboxCollector struct{ m *Metrics }

var (
	outboxItemsDesc = prometheus.NewDesc(prometheus.BuildFQName(Namespace, "outbox", "items"),
		"Outbox items by state: queued (waiting to be sent), sending, dead (given up, for staff), quarantined (unreadable).", []string{"state"}, nil)
	outboxOldestDesc = prometheus.NewDesc(prometheus.BuildFQName(Namespace, "outbox", "oldest_item_age_seconds"),
		"Age of the oldest item waiting in the outbox; 0 when none waits.", nil, nil)
)

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxItemsDesc
	ch <- outboxOldestDesc
}

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.mu.Lock()
	f := c.m.outbox
	c.m.mu.Unlock()
	s := f()
	for i, n := range []int{s.Queued, s.Sending, s.Dead, s.Quarantined} {
		ch <- prometheus.MustNewConstMetric(outboxItemsDesc, prometheus.GaugeValue, float64(n), OutboxStates[i])
	}
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, max(s.OldestAge.Seconds(), 0))
}

// fpsMeter turns frame events into a rate: frames counted over windows of
// about a second; a rate older than fpsStaleAfter reads as 0, so a camera
// that stops shows 0 fps rather than its last rate.
type fpsMeter struct {
	now   func() time.Time
	mu    sync.Mutex
	start time.Time // of the current window
	n     int       // frames in the current window
	last  float64   // rate of the last full window
	at    time.Time // when last was measured
}

func (f *fpsMeter) frame() {
	now := f.now()
	f.mu.Lock()
	switch el := now.Sub(f.start); {
	case f.start.IsZero() || el > fpsStaleAfter:
		f.start, f.n = now, 0
	case el >= fpsWindow:
		f.last, f.at = float64(f.n)/el.Seconds(), now
		f.start, f.n = now, 0
	}
	f.n++
	f.mu.Unlock()
}

func (f *fpsMeter) rate() float64 {
	now := f.now()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.at.IsZero() || now.Sub(f.at) > fpsStaleAfter {
		return 0
	}
	return f.last
}

// stepLabel maps a step name to its label: app/flow's dashes become
// underscores; a name outside Steps is "other".
func stepLabel(step string) string {
	s := strings.ReplaceAll(step, "-", "_")
	if known(s, Steps) {
		return s
	}
	return "other"
}

func known(v string, list []string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// codeLabel is an HTTP status as a label: its three digits, "none" without
// a response, "other" outside 100–599.
func codeLabel(status int) string {
	switch {
	case status == 0:
		return "none"
	case status == 200:
		return "200"
	case status < 100 || status > 599:
		return "other"
	}
	return strconv.Itoa(status)
}
