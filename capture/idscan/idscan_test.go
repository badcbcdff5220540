package idscan

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
)

// seed is the synthetic camera's seed in every test: results are
// deterministic.
const seed = 7

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// frameAt renders conditions at time t and returns the frame and its luma.
func frameAt(r *synthetic.Renderer, c synthetic.Conditions, t time.Duration) (*image.RGBA, *image.Gray, synthetic.Corners) {
	img, cor := r.RenderFrame(c, t)
	return img, luma(img), cor
}

func guideOf(w, h int) image.Rectangle { return Guide(w, h, CardAspect, DefaultGuideFill) }

// TestChecksSynthetic: each check classifies the synthetic camera's known
// conditions correctly.
func TestChecksSynthetic(t *testing.T) {
	type want struct {
		card, exposure, glare, steady, sharp bool
		hint                                 Hint
	}
	tests := []struct {
		name string
		c    synthetic.Conditions
		want want
		// With the card moving or missing, sharpness may go either way:
		// steadiness or presence are what must fail.
		anySharp bool
	}{
		{"sharp", synthetic.SharpSteady, want{true, true, true, true, true, HintNone}, false},
		{"tilted", synthetic.Tilted, want{true, true, true, true, true, HintNone}, false},
		{"nocard", synthetic.NoCard, want{false, true, true, true, false, HintPlaceCard}, true},
		{"blurred", synthetic.Blurred, want{true, true, true, true, false, HintBlurred}, false},
		{"glare", synthetic.Glaring, want{true, true, false, true, true, HintTiltGlare}, false},
		{"dark", synthetic.Dark, want{true, false, true, true, true, HintMoreLight}, false},
		{"moving", synthetic.Moving, want{true, true, true, false, false, HintHoldStill}, true},
		{"far", synthetic.Far, want{false, true, true, true, true, HintMoveCloser}, false},
		// Too close: the print's own boxes must not pass for a small card.
		{"too close", synthetic.Conditions{Card: true, Scale: 0.9}, want{false, true, true, true, true, HintPlaceCard}, true},
		{"off to the side", synthetic.Conditions{Card: true, X: 0.2}, want{false, true, true, true, true, HintPlaceCard}, true},
	}
	sizes := [][2]int{{1280, 720}, {1920, 1080}}
	if raceEnabled || testing.Short() {
		sizes = sizes[:1]
	}
	for _, size := range sizes {
		r := synthetic.New(size[0], size[1], seed)
		g := guideOf(size[0], size[1])
		for _, tt := range tests {
			an := NewAnalyzer(Thresholds{})
			var rep Report
			for i := range 3 {
				_, y, _ := frameAt(r, tt.c, time.Duration(i)*33*time.Millisecond)
				var err error
				if rep, err = an.Analyze(y, g); err != nil {
					t.Fatal(err)
				}
			}
			got := want{rep.Card.Pass, rep.Exposure.Pass, rep.Glare.Pass, rep.Steadiness.Pass, rep.Sharpness.Pass, rep.Hint()}
			if tt.anySharp {
				got.sharp = tt.want.sharp
			}
			if got != tt.want {
				t.Errorf("%dx%d %s: got %+v, want %+v\n%s", size[0], size[1], tt.name, got, tt.want, describe(rep))
			}
		}
	}
}

func describe(r Report) string {
	var b bytes.Buffer
	for _, c := range r.Checks() {
		b.WriteString(string(c.Name))
		b.WriteString("=")
		b.WriteString(formatF(c.Value))
		if !c.Pass {
			b.WriteString("(fail " + string(c.Hint) + ")")
		}
		b.WriteString(" ")
	}
	return b.String()
}

func formatF(v float64) string { return fmt.Sprintf("%.4g", v) }

// TestAutoCaptureSynthetic: with a fixed seed, auto-capture fires on the
// sharp steady sequence after SteadyFor and never on the blurred, glare or
// moving ones.
func TestAutoCaptureSynthetic(t *testing.T) {
	const pw, ph = 640, 360 // preview
	const fw, fh = 1280, 720
	prev := synthetic.New(pw, ph, seed)
	full := synthetic.New(fw, fh, seed)
	tests := []struct {
		name string
		c    synthetic.Conditions
		fire bool
	}{
		{"sharp", synthetic.SharpSteady, true},
		{"tilted", synthetic.Tilted, true},
		{"blurred", synthetic.Blurred, false},
		{"glare", synthetic.Glaring, false},
		{"moving", synthetic.Moving, false},
		{"dark", synthetic.Dark, false},
		{"nocard", synthetic.NoCard, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &fakeClock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
			s := NewScanner(Thresholds{}, WithClock(clk.now))
			start := clk.t
			fired := time.Duration(-1)
			lastProgress := 0.0
			for i := range 60 { // 2 s at 30 fps
				el := time.Duration(i) * time.Second / 30
				clk.t = start.Add(el)
				_, y, _ := frameAt(prev, tt.c, el)
				st, err := s.Preview(y, guideOf(pw, ph))
				if err != nil {
					t.Fatal(err)
				}
				if st.Progress < 0 || st.Progress > 1 {
					t.Fatalf("progress %v", st.Progress)
				}
				if st.Capture {
					fired = el
					if lastProgress == 0 && el > 0 {
						t.Errorf("capture without a hold")
					}
					img, fy, cor := frameAt(full, tt.c, el)
					rep, err := s.Confirm(fy, guideOf(fw, fh))
					if err != nil {
						t.Fatalf("confirm: %v (%s)", err, describe(rep))
					}
					if !rep.Found {
						t.Fatal("full frame: no card outline")
					}
					checkCorners(t, rep.Quad, cor, 0.02)
					st, err := MakeStill(img, rep.Outline(), "identity-card-front.jpg", DefaultStillOptions())
					if err != nil {
						t.Fatal(err)
					}
					if _, err := jpeg.Decode(bytes.NewReader(st.JPEG)); err != nil {
						t.Fatal(err)
					}
					break
				}
				lastProgress = st.Progress
			}
			if tt.fire {
				hold := DefaultThresholds().SteadyFor
				if fired < hold || fired > hold+100*time.Millisecond {
					t.Errorf("fired at %v, want just after %v", fired, hold)
				}
			} else if fired >= 0 {
				t.Errorf("fired at %v, want never", fired)
			}
		})
	}
}

// checkCorners fails unless every corner of got is within tol of the card's
// width/height from the ground truth.
func checkCorners(t *testing.T, got Quad, want synthetic.Corners, tol float64) {
	t.Helper()
	var wq Quad
	for i := range wq {
		wq[i] = Point{want.F[i][0], want.F[i][1]}
	}
	w, h := wq.sides()
	for i := range got {
		dx, dy := math.Abs(got[i].X-wq[i].X), math.Abs(got[i].Y-wq[i].Y)
		if dx > tol*w || dy > tol*h {
			t.Errorf("corner %d: got (%.1f, %.1f), want (%.1f, %.1f) ± %.0f%%", i, got[i].X, got[i].Y, wq[i].X, wq[i].Y, tol*100)
		}
	}
}

// TestCropSynthetic: a card rendered with known corners is cropped to within
// 2 % of the expected rectangle, upright, header band on top.
func TestCropSynthetic(t *testing.T) {
	tests := []struct {
		name string
		c    synthetic.Conditions
	}{
		{"flat", synthetic.SharpSteady},
		{"tilted", synthetic.Tilted},
		{"rotated", synthetic.Conditions{Card: true, Rotate: -6, X: 0.03, Y: -0.02}},
		{"perspective", synthetic.Conditions{Card: true, Tilt: -25}},
	}
	const w, h = 1920, 1080
	r := synthetic.New(w, h, seed)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, y, cor := frameAt(r, tt.c, 0)
			rep, err := NewAnalyzer(Thresholds{}).Analyze(y, guideOf(w, h))
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Found {
				t.Fatalf("no card: %s", describe(rep))
			}
			checkCorners(t, rep.Quad, cor, 0.02)
			st, err := MakeStill(img, rep.Quad, "x.jpg", DefaultStillOptions())
			if err != nil {
				t.Fatal(err)
			}
			// The expected rectangle: the card's printed size seen
			// front-on, at the resolution of its longest side in the frame.
			var tq Quad
			for i := range tq {
				tq[i] = Point{cor.F[i][0], cor.F[i][1]}
			}
			ew, eh := tq.sides()
			if d := math.Abs(float64(st.Width)-ew) / ew; d > 0.02 {
				t.Errorf("width %d, want %.0f ± 2%%", st.Width, ew)
			}
			if d := math.Abs(float64(st.Height)-eh) / eh; d > 0.02 {
				t.Errorf("height %d, want %.0f ± 2%%", st.Height, eh)
			}
			m, err := jpeg.Decode(bytes.NewReader(st.JPEG))
			if err != nil {
				t.Fatal(err)
			}
			// The blue header band is at the top, the white MRZ band at the
			// bottom; no desk (brown) along the edges.
			b := m.Bounds()
			top := avg(m, image.Rect(b.Dx()/4, b.Dy()/30, 3*b.Dx()/4, b.Dy()/15))
			bottom := avg(m, image.Rect(b.Dx()/4, b.Dy()*28/30, 3*b.Dx()/4, b.Dy()*29/30))
			if !(top[2] > top[0]+40) {
				t.Errorf("top band %v is not blue", top)
			}
			if !(bottom[0] > 200 && bottom[1] > 200 && bottom[2] > 200) {
				t.Errorf("bottom band %v is not white", bottom)
			}
			left := avg(m, image.Rect(1, b.Dy()/3, 4, 2*b.Dy()/3))
			if left[0] > left[2]+30 {
				t.Errorf("left edge %v looks like the desk", left)
			}
		})
	}
}

func avg(m image.Image, r image.Rectangle) [3]float64 {
	var s [3]float64
	n := 0.0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := m.At(x, y).RGBA()
			s[0] += float64(cr >> 8)
			s[1] += float64(cg >> 8)
			s[2] += float64(cb >> 8)
			n++
		}
	}
	for i := range s {
		s[i] /= n
	}
	return s
}

// TestChecksOwnScenes covers the checks on the package's own generator:
// rotated cards, a small glare blob, sizes the camera does not make.
func TestChecksOwnScenes(t *testing.T) {
	const w, h = 1280, 720
	card := cardIn(w, h, 0.9, 3)
	tests := []struct {
		name string
		s    scene
		hint Hint
	}{
		{"sharp", scene{w: w, h: h, card: card, noise: 2}, HintNone},
		{"blurred", scene{w: w, h: h, card: card, noise: 2, blur: 4}, HintBlurred},
		{"glare", scene{w: w, h: h, card: card, noise: 2, glare: 0.08}, HintTiltGlare},
		{"small glare", scene{w: w, h: h, card: card, noise: 2, glare: 0.02}, HintNone},
		{"dark", scene{w: w, h: h, card: card, noise: 2, gain: 0.3}, HintMoreLight},
		{"nocard", scene{w: w, h: h, noise: 2}, HintPlaceCard},
		{"small", scene{w: w, h: h, card: cardIn(w, h, 0.6, 0), noise: 2}, HintMoveCloser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			an := NewAnalyzer(Thresholds{})
			y := luma(tt.s.render())
			g := guideOf(w, h)
			if _, err := an.Analyze(y, g); err != nil {
				t.Fatal(err)
			}
			rep, _ := an.Analyze(y, g)
			if got := rep.Hint(); got != tt.hint {
				t.Errorf("hint %q, want %q: %s", got, tt.hint, describe(rep))
			}
			if tt.s.card != (Quad{}) && tt.hint != HintMoreLight && tt.hint != HintLessLight {
				if !rep.Found {
					t.Fatalf("no card: %s", describe(rep))
				}
				w, h := tt.s.card.sides()
				for i := range rep.Quad {
					if math.Abs(rep.Quad[i].X-tt.s.card[i].X) > 0.02*w || math.Abs(rep.Quad[i].Y-tt.s.card[i].Y) > 0.02*h {
						t.Errorf("corner %d %v, want %v", i, rep.Quad[i], tt.s.card[i])
					}
				}
			}
		})
	}
}

// TestSteadinessAndRecentMax: a moved frame fails steadiness; a frame much
// blurrier than the recent ones fails sharpness although above the floor.
func TestSteadinessAndRecentMax(t *testing.T) {
	const w, h = 960, 540
	card := cardIn(w, h, 0.9, 0)
	sharp := luma(scene{w: w, h: h, card: card}.render())
	moved := luma(scene{w: w, h: h, card: card, shiftX: 12}.render())
	soft := luma(scene{w: w, h: h, card: card, blur: 1.2}.render())
	g := guideOf(w, h)
	an := NewAnalyzer(Thresholds{})
	first, _ := an.Analyze(sharp, g)
	if first.Steadiness.Pass || first.Steadiness.Value != -1 {
		t.Errorf("first frame steadiness %+v, want a fail with -1", first.Steadiness)
	}
	same, _ := an.Analyze(sharp, g)
	if !same.Steadiness.Pass {
		t.Errorf("same frame: %+v", same.Steadiness)
	}
	mv, _ := an.Analyze(moved, g)
	if mv.Steadiness.Pass {
		t.Errorf("moved frame passes steadiness: %+v", mv.Steadiness)
	}
	an.Analyze(sharp, g)
	rep, _ := an.Analyze(soft, g)
	if rep.Sharpness.Value < an.t.MinSharpness {
		t.Fatalf("soft frame %v below the floor; the test wants it above", rep.Sharpness.Value)
	}
	if rep.Sharpness.Pass {
		t.Errorf("soft frame after sharp ones passes: %v vs recent %v", rep.Sharpness.Value, rep.RecentSharpness)
	}
	// A full-resolution recheck uses the same recent maximum.
	if _, err := NewScanner(Thresholds{}).Confirm(soft, g); err != nil {
		t.Errorf("a fresh scanner refuses a frame above the floor: %v", err)
	}
	s := NewScanner(Thresholds{})
	s.Preview(sharp, g)
	if _, err := s.Confirm(soft, g); !errors.Is(err, ErrBlurred) {
		t.Errorf("confirm soft after sharp: %v, want ErrBlurred", err)
	}
	if _, err := s.Shutter(soft, g); err != nil {
		t.Errorf("manual shutter refuses: %v", err)
	}
}

func TestAnalyzeBadInput(t *testing.T) {
	an := NewAnalyzer(Thresholds{})
	g := image.Rect(0, 0, 100, 60)
	tests := []struct {
		name string
		y    *image.Gray
		g    image.Rectangle
		err  error
	}{
		{"nil", nil, g, ErrEmptyFrame},
		{"empty", image.NewGray(image.Rectangle{}), g, ErrEmptyFrame},
		{"short pix", &image.Gray{Pix: make([]uint8, 10), Stride: 100, Rect: image.Rect(0, 0, 100, 100)}, g, ErrEmptyFrame},
		{"guide outside", image.NewGray(image.Rect(0, 0, 100, 100)), image.Rect(200, 200, 300, 300), ErrBadGuide},
		{"guide tiny", image.NewGray(image.Rect(0, 0, 100, 100)), image.Rect(0, 0, 8, 8), ErrBadGuide},
	}
	for _, tt := range tests {
		if _, err := an.Analyze(tt.y, tt.g); !errors.Is(err, tt.err) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
		}
	}
	// An offset frame (a SubImage) works.
	big := luma(scene{w: 800, h: 600, card: cardIn(800, 600, 0.9, 0)}.render())
	sub := big.SubImage(image.Rect(100, 100, 700, 500)).(*image.Gray)
	if _, err := an.Analyze(sub, image.Rect(150, 150, 650, 450)); err != nil {
		t.Error(err)
	}
}

func TestGuide(t *testing.T) {
	tests := []struct {
		w, h         int
		aspect, fill float64
		want         image.Rectangle
	}{
		{1280, 720, CardAspect, 0.7, image.Rect(240, 108, 1039, 612)},
		{640, 480, CardAspect, 0.7, image.Rect(96, 98, 544, 381)},
		{100, 100, 1, 2, image.Rect(0, 0, 100, 100)},
		{0, 100, 1, 1, image.Rectangle{}},
		{100, 100, math.NaN(), 1, image.Rectangle{}},
	}
	for _, tt := range tests {
		if got := Guide(tt.w, tt.h, tt.aspect, tt.fill); got != tt.want {
			t.Errorf("Guide(%d, %d, %v, %v) = %v, want %v", tt.w, tt.h, tt.aspect, tt.fill, got, tt.want)
		}
	}
}

func TestScannerPhases(t *testing.T) {
	const w, h = 640, 360
	clk := &fakeClock{t: time.Unix(0, 0)}
	s := NewScanner(Thresholds{SteadyFor: 300 * time.Millisecond}, WithClock(clk.now))
	g := guideOf(w, h)
	good := luma(scene{w: w, h: h, card: cardIn(w, h, 0.9, 0)}.render())
	none := luma(scene{w: w, h: h}.render())
	step := func(y *image.Gray, dt time.Duration) Step {
		clk.t = clk.t.Add(dt)
		st, err := s.Preview(y, g)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := step(good, 0); st.Capture || s.Phase() != PhaseSearching { // first frame: no steadiness yet
		t.Fatalf("first frame: %+v %v", st, s.Phase())
	}
	step(good, 100*time.Millisecond)
	if s.Phase() != PhaseHolding {
		t.Fatalf("phase %v, want holding", s.Phase())
	}
	if st := step(good, 200*time.Millisecond); st.Capture || math.Abs(st.Progress-2.0/3) > 1e-9 {
		t.Fatalf("mid-hold: %+v", st)
	}
	// Losing the card resets the hold.
	if st := step(none, 10*time.Millisecond); st.Progress != 0 || st.Hint != HintPlaceCard || s.Phase() != PhaseSearching {
		t.Fatalf("card lost: %+v %v", st, s.Phase())
	}
	step(good, 10*time.Millisecond) // steadiness fails: the picture changed
	step(good, 10*time.Millisecond)
	if st := step(good, 299*time.Millisecond); st.Capture {
		t.Fatal("fired before the hold")
	}
	st := step(good, time.Millisecond)
	if !st.Capture || st.Progress != 1 || s.Phase() != PhaseCapture {
		t.Fatalf("end of hold: %+v %v", st, s.Phase())
	}
	if st := step(good, 10*time.Millisecond); st.Capture {
		t.Fatal("fired twice")
	}
	if _, err := s.Confirm(good, g); err != nil {
		t.Fatal(err)
	}
	if s.Phase() != PhaseSearching {
		t.Fatalf("after confirm: %v", s.Phase())
	}
	s.Reset()
	if st := step(good, 0); st.Report.Steadiness.Pass {
		t.Fatal("reset kept the previous frame")
	}
}

// raceEnabled is set by race_test.go; the slowest cases are left out under
// the race detector.
var raceEnabled bool
