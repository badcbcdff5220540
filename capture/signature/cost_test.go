package signature

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// importerLimitsJSON is vector data at the importer's limits: MaxStrokes
// strokes of MaxPoints/MaxStrokes points each, spread over a 1000×400 pad,
// with the widest pen Parse accepts when wide is set (100 units) or the
// default pen otherwise.
func importerLimitsJSON(t testing.TB, wide bool) []byte {
	t.Helper()
	type jp struct {
		X float64 `json:"x"`
		Y float64 `json:"y"`
		T int64   `json:"t"`
	}
	d := map[string]any{"version": FormatVersion, "width": 1000, "height": 400}
	if wide {
		d["pen"] = map[string]float64{"min_width": 100, "max_width": 100}
	}
	strokes := make([][]jp, MaxStrokes)
	per := MaxPoints / MaxStrokes
	for i := range strokes {
		strokes[i] = make([]jp, per)
		for j := range strokes[i] {
			u := float64(i*per + j)
			strokes[i][j] = jp{
				X: 500 + 420*math.Sin(u/97) + 30*math.Sin(u/5.3),
				Y: 200 + 150*math.Sin(u/61) + 25*math.Cos(u/4.1),
				T: int64(j) * 16,
			}
		}
	}
	d["strokes"] = strokes
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseLimits(t testing.TB, wide bool) *Signature {
	t.Helper()
	s, err := Parse(importerLimitsJSON(t, wide), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The cost is counted before drawing: the importer's limits with a 100-unit
// pen at 4000 px (over ten minutes of CPU before) are refused, and the
// refusal says why without a coordinate.
func TestExportRefusesCostlyUpFront(t *testing.T) {
	s := parseLimits(t, true)
	start := time.Now()
	_, err := s.PNG(ExportOptions{Width: 4000})
	t.Logf("importer's limits, 100-unit pen, 4000 px: refused after %v", time.Since(start))
	var ce *CostError
	if !errors.As(err, &ce) || !errors.Is(err, ErrTooCostly) {
		t.Fatalf("PNG = %v, want a *CostError", err)
	}
	want := "signature: rendering 1000 strokes at 4000 px with a pen up to 800 px wide is too costly"
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start %q", err, want)
	}
	// The same signature at the kiosk's default width with a thin pen is fine.
	small := New(1000, 400, Options{})
	small.BeginStroke(Point{X: 100, Y: 100}, nil)
	small.EndStrokeAt(Point{X: 400, Y: 150, T: 200}, nil)
	if _, err := small.PNG(ExportOptions{Width: 4000}); err != nil {
		t.Errorf("a short stroke at 4000 px: %v", err)
	}
}

// What the importer accepts with the default pen stays under the limit at
// every width the configuration allows, so no real signature is refused.
func TestExportCostOfImporterLimitsWithDefaultPen(t *testing.T) {
	if testing.Short() {
		t.Skip("counts 100,000 points")
	}
	s := parseLimits(t, false)
	for _, w := range []int{1200, 4000} {
		work, over := s.renderWork(nil, float64(w)/1000, w, w*4/10, MaxRenderWork)
		t.Logf("importer's limits, default pen, %d px: %.3g pixel visits", w, work)
		if over {
			t.Errorf("%d px: %.3g pixel visits is over the limit", w, work)
		}
	}
}

// A cancelled context stops the drawing: at once when it is already done,
// and within a fraction of a second when it is cancelled mid-render.
func TestExportHonoursContext(t *testing.T) {
	s := parseLimits(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.PNGContext(ctx, ExportOptions{Width: 4000}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := s.PNGContext(ctx, ExportOptions{Width: 4000})
		done <- err
	}()
	// Let the count finish and the drawing start; the render takes seconds.
	time.Sleep(1500 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		t.Logf("stopped %v after cancel", time.Since(start))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("still rendering 5 s after cancel")
	}
}

// The export's memory is bounded too: a square pad at 8000 px would be
// 64 MP, refused before anything is allocated.
func TestExportRefusesHugeArea(t *testing.T) {
	s := New(1000, 1000, Options{})
	s.BeginStroke(Point{X: 100, Y: 100}, nil)
	s.EndStrokeAt(Point{X: 400, Y: 150, T: 200}, nil)
	_, err := s.PNG(ExportOptions{Width: MaxExportWidth})
	if !errors.Is(err, ErrTooCostly) || !strings.Contains(err.Error(), "8000×8000 px is larger than 32 MP") {
		t.Errorf("8000×8000: %v", err)
	}
	if _, err := s.PNG(ExportOptions{Width: 4000}); err != nil {
		t.Errorf("4000×4000: %v", err)
	}
}
