package metrics

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"go.yaml.in/yaml/v3"
)

// deployDir is the repository's deploy/ folder.
func deployDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", "deploy"))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// exportedSeries names every series name the kiosk exports: the families,
// a histogram's _bucket, _count and _sum, and Prometheus's own up.
func exportedSeries(t *testing.T) map[string]bool {
	t.Helper()
	fams, err := New("test").Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{"up": true}
	for _, f := range fams {
		names[f.GetName()] = true
		if f.GetType() == dto.MetricType_HISTOGRAM || f.GetType() == dto.MetricType_SUMMARY {
			for _, s := range []string{"_bucket", "_count", "_sum"} {
				names[f.GetName()+s] = true
			}
		}
	}
	return names
}

var (
	promqlStrings  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	promqlMatchers = regexp.MustCompile(`\{[^}]*\}`)
	promqlRanges   = regexp.MustCompile(`\[[^\]]*\]`)
	promqlGrouping = regexp.MustCompile(`\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	promqlIdent    = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	promqlKeywords = map[string]bool{"and": true, "or": true, "unless": true, "bool": true, "offset": true, "by": true,
		"without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true, "inf": true, "nan": true}
)

// seriesNames returns the series names a PromQL expression selects:
// identifiers that are not functions, keywords, label names or strings.
func seriesNames(expr string) []string {
	e := promqlStrings.ReplaceAllString(expr, `""`)
	e = promqlMatchers.ReplaceAllString(e, " ")
	e = promqlRanges.ReplaceAllString(e, " ")
	e = promqlGrouping.ReplaceAllString(e, " ")
	var out []string
	for _, loc := range promqlIdent.FindAllStringIndex(e, -1) {
		name := e[loc[0]:loc[1]]
		rest := strings.TrimLeft(e[loc[1]:], " \t\n")
		if promqlKeywords[strings.ToLower(name)] || strings.HasPrefix(rest, "(") || (loc[0] > 0 && (e[loc[0]-1] == '$' || e[loc[0]-1] == '.')) {
			continue
		}
		out = append(out, name)
	}
	return out
}

func TestSeriesNames(t *testing.T) {
	got := seriesNames(`sum by (job, api) (rate(signet_api_errors_total{kind!="canceled",x=~"a b"}[10m])) / on () hour() > 0.2 and up == 0`)
	if strings.Join(got, ",") != "signet_api_errors_total,up" {
		t.Errorf("seriesNames = %v", got)
	}
}

func checkExpr(t *testing.T, where, expr string, exported map[string]bool) {
	t.Helper()
	names := seriesNames(expr)
	if len(names) == 0 {
		t.Errorf("%s: %q selects no series", where, expr)
	}
	for _, n := range names {
		if !exported[n] {
			t.Errorf("%s: %q is not a series the kiosk exports (in %q)", where, n, expr)
		}
	}
}

type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert  string            `yaml:"alert"`
			Expr   string            `yaml:"expr"`
			For    string            `yaml:"for"`
			Labels map[string]string `yaml:"labels"`
			Annot  map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// The alert rules parse, name only exported series, and cover the issue's
// list; promtool checks and unit-tests them when it is installed.
func TestAlertRules(t *testing.T) {
	dir := filepath.Join(deployDir(t), "prometheus")
	b, err := os.ReadFile(filepath.Join(dir, "signet-alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var rf ruleFile
	if err := yaml.Unmarshal(b, &rf); err != nil {
		t.Fatalf("signet-alerts.yml: %v", err)
	}
	exported := exportedSeries(t)
	alerts := map[string]bool{}
	for _, g := range rf.Groups {
		for _, r := range g.Rules {
			alerts[r.Alert] = true
			checkExpr(t, r.Alert, r.Expr, exported)
			if r.Labels["severity"] == "" || r.Annot["summary"] == "" || r.Annot["description"] == "" {
				t.Errorf("%s: no severity, summary or description", r.Alert)
			}
		}
	}
	for _, want := range []string{"SignetKioskDown", "SignetOutboxStuck", "SignetCameraSlow", "SignetAPIErrorRatio",
		"SignetGuestWaitingForStaff", "SignetNoMoveInsDuringOpeningHours"} {
		if !alerts[want] {
			t.Errorf("no alert %s", want)
		}
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (Debian package prometheus): the rules were parsed and their series checked, not run through promtool")
	}
	for _, args := range [][]string{{"check", "rules", "signet-alerts.yml"}, {"test", "rules", "signet-alerts.test.yml"}, {"check", "config", "prometheus.yml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

type dashboard struct {
	Title  string `json:"title"`
	Panels []struct {
		Title   string `json:"title"`
		Type    string `json:"type"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name       string `json:"name"`
			Definition string `json:"definition"`
		} `json:"list"`
	} `json:"templating"`
}

// The Grafana dashboard loads, has at least six panels, and every panel's
// query names only series the kiosk exports.
func TestGrafanaDashboard(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir(t), "grafana", "signet.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("signet.json does not load: %v", err)
	}
	if len(d.Panels) < 6 {
		t.Errorf("%d panels, want at least 6", len(d.Panels))
	}
	exported := exportedSeries(t)
	used := map[string]bool{}
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			checkExpr(t, "panel "+p.Title, tg.Expr, exported)
			for _, n := range seriesNames(tg.Expr) {
				used[n] = true
			}
		}
	}
	for _, v := range d.Templating.List {
		if strings.HasPrefix(v.Definition, "label_values(") {
			name := strings.TrimSpace(strings.SplitN(strings.TrimPrefix(v.Definition, "label_values("), ",", 2)[0])
			if !exported[name] {
				t.Errorf("variable %s reads %q, not exported", v.Name, name)
			}
		}
	}
	// The families each appear on the dashboard.
	for _, fam := range []string{"signet_guest_sessions_total", "signet_guest_step_seconds_bucket", "signet_capture_attempts_total",
		"signet_autocapture_seconds_bucket", "signet_api_request_duration_seconds_bucket", "signet_api_errors_total",
		"signet_outbox_items", "signet_outbox_oldest_item_age_seconds", "signet_camera_fps", "signet_camera_frames_total",
		"signet_staff_logins_total", "signet_staff_calls_waiting", "signet_build_info"} {
		if !used[fam] {
			t.Errorf("no panel shows %s", fam)
		}
	}
}
