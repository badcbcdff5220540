package signature

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestRecordedFixture keeps testdata/recorded.json, the recorded
// three-stroke signature other tests (and the CLI's) load, in step with the
// recording.
func TestRecordedFixture(t *testing.T) {
	s := New(1000, 400, Options{})
	for _, raw := range recorded() {
		feed(s, raw, nil)
	}
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "recorded.json", append(b, '\n'))
}

func loadRecorded(t testing.TB) *Signature {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "recorded.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGoldenStrokes renders recorded strokes on a pad surface and compares
// them with the golden images.
func TestGoldenStrokes(t *testing.T) {
	slow := sample(wave(40, 100), constSpeed(0.12), 0)
	fast := sample(wave(40, 100), constSpeed(2.5), 0)
	tests := []struct {
		name    string
		strokes [][]Point
		undo    int
		clear   bool
		scale   float64
	}{
		{name: "slow", strokes: [][]Point{slow}, scale: 1},
		{name: "fast", strokes: [][]Point{fast}, scale: 1},
		{name: "dot", strokes: [][]Point{{{X: 100, Y: 100, T: 5}}}, scale: 1},
		{name: "signature", strokes: recorded(), scale: 1},
		{name: "signature-hidpi", strokes: recorded(), scale: 2},
		{name: "undo", strokes: recorded(), undo: 1, scale: 1},
		{name: "clear", strokes: recorded(), clear: true, scale: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := 500.0, 200.0
			if len(tt.strokes) > 1 {
				w, h = 1000, 400
			}
			s := New(w, h, Options{})
			dst := padSurface(w, h, tt.scale)
			for _, raw := range tt.strokes {
				feed(s, raw, dst)
			}
			for range tt.undo {
				s.Undo()
				s.Render(dst)
			}
			if tt.clear {
				s.Clear()
				s.Render(dst)
			}
			// Whatever was drawn incrementally must equal a full re-render.
			again := padSurface(w, h, tt.scale)
			s.Render(again)
			if !bytes.Equal(dst.Image.Pix, again.Image.Pix) {
				t.Error("incremental drawing differs from the full re-render")
			}
			goldenImage(t, "pad-"+tt.name+".png", onPaper(dst.Image))
		})
	}
}

// TestSlowIsWiderThanFast checks the velocity rule on ink area: the same
// path drawn slowly leaves visibly more ink than drawn fast.
func TestSlowIsWiderThanFast(t *testing.T) {
	area := func(speed float64) int {
		s := New(500, 200, Options{})
		dst := padSurface(500, 200, 1)
		feed(s, sample(wave(40, 100), constSpeed(speed), 0), dst)
		n := 0
		for i := 3; i < len(dst.Image.Pix); i += 4 {
			n += int(dst.Image.Pix[i])
		}
		return n / 255
	}
	slow, fast := area(0.12), area(2.5)
	if float64(slow) < 2*float64(fast) {
		t.Errorf("ink area slow %d px, fast %d px: want slow at least twice fast", slow, fast)
	}
}

// TestResizeKeepsInk renders the same points at two pad sizes: the ink is
// still there, scaled, and matches its golden image.
func TestResizeKeepsInk(t *testing.T) {
	s := loadRecorded(t)
	small := padSurface(1000, 400, 0.5)
	s.Render(small)
	goldenImage(t, "pad-resize-small.png", onPaper(small.Image))
	s.SetSize(1000, 400)
	big := padSurface(1000, 400, 1.25)
	s.Render(big)
	goldenImage(t, "pad-resize-big.png", onPaper(big.Image))
	if inkPixels(small.Image) == 0 || inkPixels(big.Image) <= inkPixels(small.Image) {
		t.Errorf("ink pixels small %d, big %d", inkPixels(small.Image), inkPixels(big.Image))
	}
}

func inkPixels(m *image.RGBA) int {
	n := 0
	for i := 3; i < len(m.Pix); i += 4 {
		if m.Pix[i] != 0 {
			n++
		}
	}
	return n
}

// TestExportGolden compares the exported PNG byte for byte: the same points
// must always give the same bytes.
func TestExportGolden(t *testing.T) {
	s := loadRecorded(t)
	b, err := s.PNG(ExportOptions{Width: 1200})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "export-1200.png", b)
	if len(b) > 20<<10 {
		t.Errorf("PNG is %d bytes, want at most 20 KB", len(b))
	}
	t.Logf("export: %d bytes", len(b))
	b2, err := loadRecorded(t).PNG(ExportOptions{Width: 1200})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Error("two exports of the same points differ")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ColorModel != colorModelNRGBA {
		t.Errorf("colour model %v, want 8-bit NRGBA", cfg.ColorModel)
	}
}
