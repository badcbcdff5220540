package signature

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/signet-kiosk/signet/internal/imagetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sample is a pen path sampled like a 125 Hz touchscreen: pos(u) for u in
// [0,1], moved along at speed(u) pad units per millisecond.
func sample(pos func(u float64) (float64, float64), speed func(u float64) float64, t0 int64) []Point {
	const dt = 8.0 // ms between touch reports
	var out []Point
	x, y := pos(0)
	out = append(out, Point{X: x, Y: y, T: t0})
	t := float64(t0)
	u := 0.0
	for u < 1 {
		// Advance u so that the path moves speed·dt, in small sub-steps.
		want := speed(u) * dt
		moved := 0.0
		px, py := x, y
		for moved < want && u < 1 {
			u = math.Min(1, u+0.0005)
			nx, ny := pos(u)
			moved += math.Hypot(nx-px, ny-py)
			px, py = nx, ny
		}
		x, y = px, py
		t += dt
		out = append(out, Point{X: x, Y: y, T: int64(math.Round(t))})
	}
	return out
}

// feed draws one recorded stroke as the pad widget does.
func feed(s *Signature, raw []Point, dst *Surface) {
	s.BeginStroke(raw[0], dst)
	if len(raw) > 1 {
		for _, p := range raw[1 : len(raw)-1] {
			s.AddPoint(p, dst)
		}
		s.EndStrokeAt(raw[len(raw)-1], dst)
	} else {
		s.EndStroke(dst)
	}
}

func constSpeed(v float64) func(float64) float64 { return func(float64) float64 { return v } }

// wave is a gentle S-curve across the pad.
func wave(x0, y0 float64) func(u float64) (float64, float64) {
	return func(u float64) (float64, float64) {
		return x0 + 420*u, y0 + 60*math.Sin(2*math.Pi*u*1.5)
	}
}

// recorded is a handwritten-looking three-stroke signature on a 1000×400
// pad: a looped name, a fast underline and the dot of an i.
func recorded() [][]Point {
	name := func(u float64) (float64, float64) {
		// A trochoid: forward motion with loops, like cursive "llll",
		// rising into a capital at the start and fading out at the end.
		w := 2 * math.Pi * 5.5 * u
		amp := 70 - 35*u
		x := 130 + 640*u - 38*math.Sin(w)
		y := 215 - amp*math.Cos(w)*0.9 - 40*math.Exp(-12*u)
		return x, y
	}
	nameSpeed := func(u float64) float64 {
		w := 2 * math.Pi * 5.5 * u
		// Slow in the turns, quick on the straights.
		return 0.35 + 0.9*math.Abs(math.Sin(w)) + 0.4*u
	}
	under := func(u float64) (float64, float64) {
		return 110 + 700*u, 318 - 30*u + 18*math.Sin(math.Pi*u)
	}
	underSpeed := func(u float64) float64 { return 1.2 + 2.0*math.Sin(math.Pi*u) }
	return [][]Point{
		sample(name, nameSpeed, 0),
		sample(under, underSpeed, 2400),
		{{X: 640, Y: 120, T: 3300}},
	}
}

// padSurface returns a transparent surface for a w×h pad at scale.
func padSurface(w, h, scale float64) *Surface {
	img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(w*scale)), int(math.Ceil(h*scale))))
	return &Surface{Image: img, Scale: scale, Color: color.NRGBA{R: 0x10, G: 0x20, B: 0x50, A: 0xff}}
}

// onPaper composites a surface over white, for golden files a person can
// look at.
func onPaper(m *image.RGBA) *image.RGBA {
	out := image.NewRGBA(m.Rect)
	draw.Draw(out, out.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(out, out.Rect, m, m.Rect.Min, draw.Over)
	return out
}

// golden compares got with testdata/name, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join(t.TempDir(), name)
		_ = os.WriteFile(failed, got, 0o644)
		t.Errorf("%s differs from the golden file; got written to %s (rerun with -update if the change is intended)", path, failed)
	}
}

// goldenImage compares an image's pixels (not its encoding, which may
// change with the Go release) with testdata/name, or writes it with -update.
func goldenImage(t *testing.T, name string, got image.Image) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		golden(t, name, imagetest.PNG(t, got))
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if !samePixels(want, got) {
		failed := filepath.Join(t.TempDir(), name)
		_ = os.WriteFile(failed, imagetest.PNG(t, got), 0o644)
		t.Errorf("%s differs from the golden image; got written to %s (rerun with -update if the change is intended)", path, failed)
	}
}

func samePixels(a, b image.Image) bool {
	if a.Bounds().Size() != b.Bounds().Size() {
		return false
	}
	na, nb := toNRGBA(a), toNRGBA(b)
	return bytes.Equal(na.Pix, nb.Pix)
}

func toNRGBA(m image.Image) *image.NRGBA {
	out := image.NewNRGBA(image.Rect(0, 0, m.Bounds().Dx(), m.Bounds().Dy()))
	draw.Draw(out, out.Rect, m, m.Bounds().Min, draw.Src)
	return out
}

var colorModelNRGBA = color.NRGBAModel
