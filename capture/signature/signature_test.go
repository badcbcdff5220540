package signature

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"
)

func TestFilter(t *testing.T) {
	tests := []struct {
		name string
		p    Point
		want bool
	}{
		{"too close", Point{X: 3, Y: 4, T: 100}, false},          // distance 5: dropped
		{"too soon", Point{X: 20, Y: 0, T: 10}, false},           // 10 ms after the last
		{"far and late", Point{X: 20, Y: 0, T: 16}, true},        // exactly one interval
		{"NaN", Point{X: math.NaN(), Y: 0, T: 100}, false},       // never kept
		{"Inf", Point{X: 0, Y: math.Inf(1), T: 100}, false},      // never kept
		{"huge is clamped", Point{X: 1e300, Y: 0, T: 100}, true}, // kept at MaxCoordinate
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(100, 100, Options{})
			s.BeginStroke(Point{}, nil)
			if _, got := s.AddPoint(tt.p, nil); got != tt.want {
				t.Errorf("AddPoint(%+v) kept = %v, want %v", tt.p, got, tt.want)
			}
		})
	}
	s := New(100, 100, Options{})
	s.BeginStroke(Point{}, nil)
	s.AddPoint(Point{X: 1e300, T: 100}, nil)
	if got := s.Strokes()[0][1].X; got != MaxCoordinate {
		t.Errorf("huge X stored as %g, want %g", got, MaxCoordinate)
	}
}

func TestEndStrokeAtIgnoresTimeFilter(t *testing.T) {
	s := New(100, 100, Options{})
	s.BeginStroke(Point{X: 10, Y: 10}, nil)
	s.EndStrokeAt(Point{X: 40, Y: 10, T: 1}, nil)
	if got := len(s.Strokes()[0]); got != 2 {
		t.Errorf("stroke has %d points, want 2: the lift-off point counts", got)
	}
	if s.Drawing() {
		t.Error("still drawing after EndStrokeAt")
	}
}

func TestUndoClearIsEmpty(t *testing.T) {
	s := New(1000, 400, Options{})
	if !s.IsEmpty() || s.Undo() {
		t.Fatal("a new signature must be empty with nothing to undo")
	}
	for _, raw := range recorded() {
		feed(s, raw, nil)
	}
	if s.IsEmpty() || s.Len() != 3 {
		t.Fatalf("Len = %d, want 3", s.Len())
	}
	if !s.Undo() || s.Len() != 2 {
		t.Fatalf("after Undo Len = %d, want 2", s.Len())
	}
	s.Clear()
	if !s.IsEmpty() || s.Len() != 0 {
		t.Fatal("not empty after Clear")
	}
	// Undo during a stroke drops that stroke and ends it.
	s.BeginStroke(Point{X: 1, Y: 1}, nil)
	s.Undo()
	if s.Drawing() || !s.IsEmpty() {
		t.Error("Undo during a stroke must end and drop it")
	}
}

func TestCheck(t *testing.T) {
	line := func(length float64) [][]Point {
		return [][]Point{{{X: 10, Y: 10}, {X: 10 + length, Y: 10, T: 500}}}
	}
	tests := []struct {
		name    string
		strokes [][]Point
		want    Reason
	}{
		{"empty", nil, ReasonEmpty},
		{"dot", [][]Point{{{X: 5, Y: 5}}}, ReasonDot},
		{"two dots", [][]Point{{{X: 5, Y: 5}}, {{X: 50, Y: 5}}}, ReasonDot},
		{"short", line(40), ReasonTooShort},
		{"scribble", [][]Point{{{X: 10, Y: 10}, {X: 50, Y: 10, T: 20}, {X: 10, Y: 40, T: 40}, {X: 50, Y: 40, T: 60}, {X: 10, Y: 10, T: 80}}}, ReasonTooSmall},
		{"off the pad", [][]Point{{{X: -500, Y: 10}, {X: -100, Y: 10, T: 100}}}, ReasonDot},
		{"good", line(300), ReasonNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(1000, 400, Options{})
			s.strokes = tt.strokes
			err := s.Check(DefaultInkRule)
			if tt.want == ReasonNone {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			var ie *InkError
			if !errors.As(err, &ie) || ie.Reason != tt.want {
				t.Fatalf("Check = %v, want reason %v", err, tt.want)
			}
			if !errors.Is(err, ErrNotEnoughInk) {
				t.Error("error does not match ErrNotEnoughInk")
			}
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	s := New(1000, 400, Options{MinWidth: 0.8, MaxWidth: 3})
	for _, raw := range recorded() {
		feed(s, raw, nil)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if o := got.Options(); o.MinWidth != 0.8 || o.MaxWidth != 3 {
		t.Errorf("pen widths %g/%g after round trip, want 0.8/3", o.MinWidth, o.MaxWidth)
	}
	a, _ := s.PNG(ExportOptions{})
	c, _ := got.PNG(ExportOptions{})
	if !bytes.Equal(a, c) {
		t.Error("the imported signature exports different bytes")
	}
	empty, _ := json.Marshal(New(10, 10, Options{}))
	if !strings.Contains(string(empty), `"strokes":[]`) {
		t.Errorf("empty signature marshals as %s", empty)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not JSON", `{`, "malformed JSON"},
		{"wrong type", `{"version":"1"}`, "wrong type"},
		{"version", `{"version":2,"width":10,"height":10,"strokes":[]}`, "version 2"},
		{"size", `{"version":1,"width":0,"height":10,"strokes":[]}`, "pad size"},
		{"pen", `{"version":1,"width":10,"height":10,"pen":{"min_width":3,"max_width":1},"strokes":[]}`, "pen widths"},
		{"empty stroke", `{"version":1,"width":10,"height":10,"strokes":[[]]}`, "no points"},
		{"range", `{"version":1,"width":10,"height":10,"strokes":[[{"x":1e7,"y":0,"t":0}]]}`, "out of range"},
		{"time", `{"version":1,"width":10,"height":10,"strokes":[[{"x":1,"y":0,"t":5},{"x":9,"y":0,"t":1}]]}`, "back in time"},
		{"overflow", `{"version":1,"width":1e999,"height":10,"strokes":[]}`, "wrong type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in), Options{})
			if !errors.Is(err, ErrInvalidData) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v, want ErrInvalidData saying %q", err, tt.want)
			}
		})
	}
}

func TestExport(t *testing.T) {
	s := loadRecorded(t)
	for _, w := range []int{288, 1200, 2400} {
		m, err := s.Image(ExportOptions{Width: w})
		if err != nil {
			t.Fatal(err)
		}
		// Trimmed: the margin is transparent, and the ink touches it.
		b := m.Bounds()
		if b.Dx() >= w || b.Dx() < w/2 {
			t.Errorf("width %d: trimmed image is %d px wide", w, b.Dx())
		}
		if m.NRGBAAt(0, 0).A != 0 || m.NRGBAAt(b.Dx()-1, b.Dy()-1).A != 0 {
			t.Errorf("width %d: corners are not transparent", w)
		}
		inner := image.Rect(DefaultMargin, DefaultMargin, b.Dx()-DefaultMargin, b.Dy()-DefaultMargin)
		if got := alphaBounds(m); got != inner {
			t.Errorf("width %d: ink bounds %v, want %v (trimmed to ink + margin)", w, got, inner)
		}
	}
	raw, err := s.PNG(ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}

	if _, err := New(100, 100, Options{}).PNG(ExportOptions{}); !errors.Is(err, ErrNotEnoughInk) {
		t.Errorf("exporting an empty signature: %v, want ErrNotEnoughInk", err)
	}
	if _, err := s.PNG(ExportOptions{Width: MaxExportWidth + 1}); err == nil {
		t.Error("an export width over the limit must be refused")
	}
}

func alphaBounds(m *image.NRGBA) image.Rectangle {
	var r image.Rectangle
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			if m.NRGBAAt(x, y).A != 0 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

// TestSurfaceClip draws into a sub-image and checks nothing outside it
// changed, including with junk input.
func TestSurfaceClip(t *testing.T) {
	big := image.NewRGBA(image.Rect(0, 0, 300, 200))
	sub := big.SubImage(image.Rect(50, 50, 250, 150)).(*image.RGBA)
	dst := &Surface{Image: sub, Scale: 1, Color: padSurface(1, 1, 1).Color}
	s := New(200, 100, Options{})
	feed(s, []Point{{X: -100, Y: 50}, {X: 100, Y: 50, T: 100}, {X: 400, Y: 300, T: 200}, {X: 100, Y: -50, T: 300}}, dst)
	s.Render(dst)
	assertOnlyInside(t, big, sub.Rect)
	if inkPixels(sub) == 0 {
		t.Error("nothing drawn inside the surface")
	}
}

func assertOnlyInside(t testing.TB, big *image.RGBA, r image.Rectangle) {
	t.Helper()
	for y := big.Rect.Min.Y; y < big.Rect.Max.Y; y++ {
		for x := big.Rect.Min.X; x < big.Rect.Max.X; x++ {
			if !(image.Point{x, y}).In(r) && big.RGBAAt(x, y).A != 0 {
				t.Fatalf("pixel (%d,%d) outside the surface %v was drawn", x, y, r)
			}
		}
	}
}

// TestWritePNG round-trips images through the export's encoder, including
// an opaque one, which must still be 8-bit RGBA.
func TestWritePNG(t *testing.T) {
	tests := []struct {
		name string
		fill func(x, y int) color.NRGBA
	}{
		{"transparent", func(x, y int) color.NRGBA { return color.NRGBA{} }},
		{"opaque", func(x, y int) color.NRGBA { return color.NRGBA{R: uint8(x), G: uint8(y), B: 7, A: 255} }},
		{"ramp", func(x, y int) color.NRGBA { return color.NRGBA{R: 0x10, G: 0x20, B: 0x50, A: uint8(x * y)} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := image.NewNRGBA(image.Rect(0, 0, 37, 11))
			for y := range 11 {
				for x := range 37 {
					m.SetNRGBA(x, y, tt.fill(x, y))
				}
			}
			var b bytes.Buffer
			if err := writePNG(&b, m); err != nil {
				t.Fatal(err)
			}
			if b.Bytes()[25] != 6 || b.Bytes()[24] != 8 {
				t.Errorf("bit depth %d, colour type %d; want 8-bit RGBA (6)", b.Bytes()[24], b.Bytes()[25])
			}
			got, err := png.Decode(&b)
			if err != nil {
				t.Fatal(err)
			}
			if !samePixels(m, got) {
				t.Error("pixels changed in the round trip")
			}
		})
	}
}
