package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/signet-kiosk/signet/client/transport"
)

// required is the list of families, each with the labels it must carry.
var required = map[string][]string{
	"signet_build_info":                     {"version"},
	"signet_guest_sessions_total":           {"outcome"},
	"signet_guest_step_seconds":             {"step"},
	"signet_capture_attempts_total":         {"side", "result"},
	"signet_autocapture_seconds":            nil,
	"signet_api_request_duration_seconds":   {"api", "endpoint", "code"},
	"signet_api_errors_total":               {"api", "endpoint", "kind"},
	"signet_outbox_items":                   {"state"},
	"signet_outbox_oldest_item_age_seconds": nil,
	"signet_camera_frames_total":            nil,
	"signet_camera_fps":                     nil,
	"signet_staff_logins_total":             {"result"},
	"signet_staff_calls_waiting":            nil,
	"signet_capture_sharpness":              {"result"},
	"signet_capture_glare_ratio":            {"result"},
	"signet_capture_framing_ratio":          {"result"},
	"signet_camera_open":                    nil,
}

func gather(t testing.TB, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		out[f.GetName()] = f
	}
	return out
}

// series finds the metric of family name whose labels are exactly lv
// (name=value pairs); nil when there is none.
func series(fams map[string]*dto.MetricFamily, name string, lv ...string) *dto.Metric {
	f := fams[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.GetMetric() {
		if len(m.GetLabel())*2 != len(lv) {
			continue
		}
		for i, l := range m.GetLabel() {
			if l.GetName() != lv[2*i] || l.GetValue() != lv[2*i+1] {
				continue next
			}
		}
		return m
	}
	return nil
}

func labelValues(f *dto.MetricFamily, label string) []string {
	var out []string
	for _, m := range f.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == label && !slices.Contains(out, l.GetValue()) {
				out = append(out, l.GetValue())
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestEveryFamilyExistsFromTheStart(t *testing.T) {
	fams := gather(t, New("1.2.3"))
	for name, labels := range required {
		f := fams[name]
		if f == nil {
			t.Errorf("%s missing before any event", name)
			continue
		}
		if len(f.GetMetric()) == 0 {
			t.Errorf("%s has no series before any event", name)
			continue
		}
		for _, m := range f.GetMetric() {
			var got []string
			for _, l := range m.GetLabel() {
				got = append(got, l.GetName())
			}
			if !slices.Equal(got, sortedCopy(labels)) {
				t.Errorf("%s labels %v, want %v", name, got, labels)
				break
			}
		}
	}
	if m := series(fams, "signet_build_info", "version", "1.2.3"); m == nil || m.GetGauge().GetValue() != 1 {
		t.Errorf("build_info{version=1.2.3} = %v", m)
	}
	outcomes := labelValues(fams["signet_guest_sessions_total"], "outcome")
	for _, want := range []string{"completed", "idle_reset", "staff_called", "abandoned_at_capture", "abandoned_at_find_booking"} {
		if !slices.Contains(outcomes, want) {
			t.Errorf("outcome %q not pre-initialised: %v", want, outcomes)
		}
	}
	if got := labelValues(fams["signet_outbox_items"], "state"); !slices.Equal(got, []string{"dead", "quarantined", "queued", "sending"}) {
		t.Errorf("outbox states %v", got)
	}
	if s := series(fams, "signet_api_errors_total", "api", "storegister", "endpoint", "POST v1/booking/{id}/document/save", "kind", "timeout"); s == nil {
		t.Error("api error series not pre-initialised")
	}
	if s := series(fams, "signet_api_request_duration_seconds", "api", "mews", "code", "200", "endpoint", "POST identityDocuments/add"); s == nil {
		t.Error("api duration series not pre-initialised")
	}
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	if c == nil {
		c = []string(nil)
	}
	return c
}

func TestRecorderCountsAndBoundsLabels(t *testing.T) {
	m := New("test")
	var r Recorder = m
	r.SessionEnded(Completed)
	r.SessionEnded(AbandonedAt("confirm-booking"))
	r.SessionEnded(Outcome("Jane Doe"))
	r.StepDone("signature", 12*time.Second)
	r.StepDone("4711-secret", time.Second)
	r.CaptureAttempt("front", "accepted", Scores{Sharpness: 800, Glare: 0.3, Framing: 0.7})
	r.CaptureAttempt("X<<DOE", "accepted", Scores{})
	r.AutoCapture(1500 * time.Millisecond)
	r.StaffLogin("wrong_pin")
	r.StaffLogin("2580")
	r.StaffCallsWaiting(2)
	fams := gather(t, m)

	counter := func(name string, lv ...string) float64 {
		s := series(fams, name, lv...)
		if s == nil {
			t.Fatalf("no %s %v", name, lv)
		}
		return s.GetCounter().GetValue()
	}
	if v := counter("signet_guest_sessions_total", "outcome", "completed"); v != 1 {
		t.Errorf("completed = %v", v)
	}
	if v := counter("signet_guest_sessions_total", "outcome", "abandoned_at_confirm_booking"); v != 1 {
		t.Errorf("abandoned_at_confirm_booking = %v", v)
	}
	if v := counter("signet_guest_sessions_total", "outcome", "other"); v != 1 {
		t.Errorf("other outcome = %v", v)
	}
	if v := counter("signet_capture_attempts_total", "result", "accepted", "side", "front"); v != 1 {
		t.Errorf("front accepted = %v", v)
	}
	if v := counter("signet_staff_logins_total", "result", "other"); v != 1 {
		t.Errorf("login other = %v", v)
	}
	if s := series(fams, "signet_guest_step_seconds", "step", "signature"); s.GetHistogram().GetSampleSum() != 12 {
		t.Errorf("signature step sum = %v", s.GetHistogram().GetSampleSum())
	}
	if s := series(fams, "signet_capture_sharpness", "result", "accepted"); s.GetHistogram().GetSampleSum() != 800 {
		t.Errorf("sharpness sum = %v", s.GetHistogram().GetSampleSum())
	}
	if s := series(fams, "signet_staff_calls_waiting"); s.GetGauge().GetValue() != 2 {
		t.Errorf("calls waiting = %v", s.GetGauge().GetValue())
	}
	// No value given from outside reaches a label.
	for _, f := range fams {
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				for _, bad := range []string{"Jane", "4711", "DOE", "2580"} {
					if strings.Contains(l.GetValue(), bad) {
						t.Errorf("%s label %s=%q", f.GetName(), l.GetName(), l.GetValue())
					}
				}
			}
		}
	}
}

func TestNopRecordsNothing(t *testing.T) {
	// Nop must satisfy Recorder and never panic.
	Nop.SessionEnded(Completed)
	Nop.StepDone("capture", time.Second)
	Nop.CaptureAttempt("front", "accepted", Scores{})
	Nop.AutoCapture(time.Second)
	Nop.StaffLogin("success")
	Nop.StaffCallsWaiting(1)
	if _, ok := Nop.(*Metrics); ok {
		t.Error("Nop is a *Metrics")
	}
}

type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeNow) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeNow) add(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func TestCameraFPS(t *testing.T) {
	clk := &fakeNow{t: time.Unix(1_000_000, 0)}
	m := newWithClock("test", clk.now)
	fps := func() float64 {
		return series(gather(t, m), "signet_camera_fps").GetGauge().GetValue()
	}
	if v := fps(); v != 0 {
		t.Fatalf("fps before any frame = %v", v)
	}
	for range 61 { // 20 fps for three seconds
		m.CameraFrame()
		clk.add(50 * time.Millisecond)
	}
	if v := fps(); v < 19 || v > 21 {
		t.Errorf("fps at 20 frames/s = %v", v)
	}
	if v := series(gather(t, m), "signet_camera_frames_total").GetCounter().GetValue(); v != 61 {
		t.Errorf("frames_total = %v", v)
	}
	clk.add(5 * time.Second) // the camera stops
	if v := fps(); v != 0 {
		t.Errorf("fps five seconds after the last frame = %v", v)
	}
}

func TestOutboxCollector(t *testing.T) {
	m := New("test")
	m.SetOutbox(func() OutboxState {
		return OutboxState{Queued: 3, Sending: 1, Dead: 2, OldestAge: 90 * time.Minute}
	})
	fams := gather(t, m)
	if v := series(fams, "signet_outbox_items", "state", "queued").GetGauge().GetValue(); v != 3 {
		t.Errorf("queued = %v", v)
	}
	if v := series(fams, "signet_outbox_items", "state", "dead").GetGauge().GetValue(); v != 2 {
		t.Errorf("dead = %v", v)
	}
	if v := series(fams, "signet_outbox_oldest_item_age_seconds").GetGauge().GetValue(); v != 5400 {
		t.Errorf("oldest age = %v", v)
	}
}

func TestServeMetricsAndHealth(t *testing.T) {
	m := New("test")
	srv, err := m.Serve(context.Background(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	base := "http://" + srv.Addr()
	get := func(method, path string) (int, string) {
		req, _ := http.NewRequest(method, base+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("GET", "/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	for name := range required {
		if !strings.Contains(body, "\n"+name) && !strings.HasPrefix(body, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	if code, body := get("GET", "/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	m.SetHealth(func() error { return errors.New("the UI thread has not answered for 40s") })
	if code, body := get("GET", "/healthz"); code != 503 || !strings.Contains(body, "UI thread") {
		t.Errorf("/healthz unhealthy: %d %q", code, body)
	}
	for _, p := range []string{"/", "/metrics/x", "/debug/pprof/", "/healthz/"} {
		if code, _ := get("GET", p); code != 404 {
			t.Errorf("GET %s: %d, want 404", p, code)
		}
	}
	if code, _ := get("POST", "/metrics"); code != 405 {
		t.Errorf("POST /metrics: %d, want 405", code)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := http.Get(base + "/metrics"); err == nil {
		t.Error("still serving after Close")
	}
}

func TestServeRefusesABusyAddress(t *testing.T) {
	m := New("test")
	a, err := m.Serve(context.Background(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if b, err := m.Serve(context.Background(), a.Addr(), nil); err == nil {
		b.Close()
		t.Fatal("a second server on the same address started")
	}
}

func TestAPIObserverThroughTransport(t *testing.T) {
	const booking = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/document/save"):
			w.WriteHeader(503)
		case strings.HasSuffix(r.URL.Path, "/moved"):
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		case strings.Contains(r.URL.Path, "/slow"):
			<-r.Context().Done() // until the client gives up
		default:
			io.WriteString(w, "{}")
		}
	}))
	defer ts.Close()
	m := New("test")
	hc := transport.NewClient(transport.Options{Observer: m.API("storegister"), Timeout: 2 * time.Second})
	do := func(method, path string) {
		req, _ := http.NewRequest(method, ts.URL+path, nil)
		resp, err := hc.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	do("GET", "/api/v1/booking/"+booking+"/identity-document/save/")
	do("POST", "/api/v1/booking/"+booking+"/document/save")
	do("GET", "/api/v1/booking/"+booking+"/moved")
	// A client secured again (as storegister.NewClient does) keeps the observer.
	hc2, err := transport.Secure(hc, transport.Options{MaxResponseBytes: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/v1/booking/"+booking+"/activity-quotation/preview", nil)
	if resp, err := hc2.Do(req); err == nil {
		resp.Body.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/v1/booking/"+booking+"/slow/x", nil)
	if resp, err := hc.Do(req); err == nil {
		resp.Body.Close()
	}

	fams := gather(t, m)
	count := func(lv ...string) uint64 {
		s := series(fams, "signet_api_request_duration_seconds", lv...)
		if s == nil {
			return 0
		}
		return s.GetHistogram().GetSampleCount()
	}
	if n := count("api", "storegister", "code", "200", "endpoint", "GET v1/booking/{id}/identity-document/save"); n != 1 {
		t.Errorf("GET identity-document/save 200: %d", n)
	}
	if n := count("api", "storegister", "code", "200", "endpoint", "GET v1/booking/{id}/activity-quotation/preview"); n != 1 {
		t.Errorf("preview through a re-secured client: %d", n)
	}
	if n := count("api", "storegister", "code", "503", "endpoint", "POST v1/booking/{id}/document/save"); n != 1 {
		t.Errorf("POST document/save 503: %d", n)
	}
	errs := func(ep, kind string) float64 {
		return series(fams, "signet_api_errors_total", "api", "storegister", "endpoint", ep, "kind", kind).GetCounter().GetValue()
	}
	if v := errs("POST v1/booking/{id}/document/save", "server"); v != 1 {
		t.Errorf("server errors = %v", v)
	}
	if v := errs("other", "redirect"); v != 1 {
		t.Errorf("redirect errors = %v", v)
	}
	if v := errs("other", "timeout"); v != 1 {
		t.Errorf("timeout errors = %v", v)
	}
	for _, f := range fams {
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if strings.Contains(l.GetValue(), booking[:8]) {
					t.Errorf("a booking id reached label %s=%q", l.GetName(), l.GetValue())
				}
			}
		}
	}
}

func TestMewsEndpoints(t *testing.T) {
	o := New("test").API("mews")
	for path, want := range map[string]string{
		"/api/connector/v1/identityDocuments/add":   "POST identityDocuments/add",
		"/x/api/connector/v1/customers/search":      "POST customers/search",
		"/api/connector/v1/customers/4711-jane-doe": "other",
		"/api/connector/v2/identityDocuments/add":   "other",
	} {
		req := httptest.NewRequest("POST", "https://mews.example"+path, nil)
		if got := o.endpoint(req); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	if got := o.endpoint(httptest.NewRequest("GET", "https://mews.example/api/connector/v1/customers/search", nil)); got != "other" {
		t.Errorf("GET customers/search: %q", got)
	}
}

func TestCapturesKeepsTheLastAttempts(t *testing.T) {
	m := New("test")
	for i := range RecentCaptures + 5 {
		m.CaptureAttempt("front", "accepted", Scores{Sharpness: float64(i)})
	}
	m.CaptureAttempt("back", "refused", Scores{Sharpness: 12, Glare: 1.5, Framing: 0.4})
	got := m.Captures()
	if len(got) != RecentCaptures {
		t.Fatalf("%d captures kept, want %d", len(got), RecentCaptures)
	}
	if got[0].Sharpness != 6 || got[len(got)-1] != (Capture{Time: got[len(got)-1].Time, Side: "back", Result: "refused",
		Scores: Scores{Sharpness: 12, Glare: 1.5, Framing: 0.4}}) {
		t.Errorf("first %+v, last %+v", got[0], got[len(got)-1])
	}
}
