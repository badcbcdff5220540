package synthetic_test

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/frame"
	"github.com/signet-kiosk/signet/internal/demodata"
)

func TestRenderDeterministic(t *testing.T) {
	a := synthetic.New(320, 180, 7)
	b := synthetic.New(320, 180, 7)
	c := synthetic.New(320, 180, 8)
	for name, cond := range synthetic.Presets {
		ia, ca := a.RenderFrame(cond, 123*time.Millisecond)
		ib, cb := b.RenderFrame(cond, 123*time.Millisecond)
		if !bytes.Equal(ia.Pix, ib.Pix) || ca != cb {
			t.Errorf("%s: same seed, different frames", name)
		}
		ic, _ := c.RenderFrame(cond, 123*time.Millisecond)
		if bytes.Equal(ia.Pix, ic.Pix) {
			t.Errorf("%s: different seeds, same frame", name)
		}
	}
}

func luma(img *image.RGBA, x, y int) float64 {
	p := img.Pix[img.PixOffset(x, y):]
	return 0.299*float64(p[0]) + 0.587*float64(p[1]) + 0.114*float64(p[2])
}

// The corners are ground truth: just inside each corner (towards the card's
// centre) is card, just outside is desk.
func TestCornersMatchPixels(t *testing.T) {
	r := synthetic.New(1280, 720, 1)
	tests := []struct {
		name string
		c    synthetic.Conditions
	}{
		{"sharp", synthetic.SharpSteady},
		{"tilted", synthetic.Tilted},
		{"far", synthetic.Far},
		{"offset", synthetic.Conditions{Card: true, X: -0.1, Y: 0.05, Rotate: -20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, cs := r.RenderFrame(tt.c, 0)
			if !cs.Visible {
				t.Fatal("corners not visible")
			}
			var cx, cy float64
			for _, p := range cs.F {
				cx, cy = cx+p[0]/4, cy+p[1]/4
			}
			// Compare with the empty desk: 3 px inside each edge's midpoint
			// (corners are rounded) the card covers the desk, 3 px outside
			// the desk is untouched.
			desk, _ := r.RenderFrame(synthetic.NoCard, 0)
			for i := range 4 {
				p, q := cs.F[i], cs.F[(i+1)%4]
				mx, my := (p[0]+q[0])/2, (p[1]+q[1])/2
				dx, dy := cx-mx, cy-my
				n := math.Hypot(dx, dy)
				dx, dy = dx/n*3, dy/n*3
				ix, iy := int(mx+dx), int(my+dy)
				ox, oy := int(mx-dx), int(my-dy)
				if d := math.Abs(luma(img, ix, iy) - luma(desk, ix, iy)); d < 10 {
					t.Errorf("edge %d: inside (%d,%d) looks like desk (Δ%.0f)", i, ix, iy, d)
				}
				if d := math.Abs(luma(img, ox, oy) - luma(desk, ox, oy)); d > 1 {
					t.Errorf("edge %d: outside (%d,%d) is not desk (Δ%.0f)", i, ox, oy, d)
				}
			}
			// Aspect ratio of an untilted card is ID-1's.
			if tt.c.Tilt == 0 {
				w := math.Hypot(cs.F[1][0]-cs.F[0][0], cs.F[1][1]-cs.F[0][1])
				h := math.Hypot(cs.F[3][0]-cs.F[0][0], cs.F[3][1]-cs.F[0][1])
				if got := w / h; math.Abs(got-1.586) > 0.01 {
					t.Errorf("aspect %.3f, want 1.586", got)
				}
			}
		})
	}
}

func TestFrameMatchesRenderFrame(t *testing.T) {
	r := synthetic.New(320, 180, 5)
	want, wc := r.RenderFrame(synthetic.Tilted, time.Second)
	f, c, err := r.Frame(frame.NewPool(1), synthetic.Tilted, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	if c != wc || !bytes.Equal(f.Full().Pix, want.Pix) {
		t.Fatal("Frame differs from RenderFrame")
	}
	if f.Luma().Bounds() != want.Bounds() {
		t.Fatalf("luma %v", f.Luma().Bounds())
	}
}

func TestNoCardHasNoCorners(t *testing.T) {
	_, cs := synthetic.New(64, 64, 1).RenderFrame(synthetic.NoCard, 0)
	if cs.Visible {
		t.Fatal("empty desk reports a card")
	}
}

func TestQRDecodes(t *testing.T) {
	img, _ := synthetic.New(1280, 720, 3).RenderFrame(synthetic.QRCode, 0)
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.GetText() != demodata.BookingQR {
		t.Fatalf("QR = %q, want %q", res.GetText(), demodata.BookingQR)
	}
}

// sharpness is the variance of the Laplacian over the card's central area.
func sharpness(img *image.RGBA, cs synthetic.Corners) float64 {
	x0, y0 := cs.Pt[0].X+(cs.Pt[1].X-cs.Pt[0].X)/4, cs.Pt[0].Y+(cs.Pt[3].Y-cs.Pt[0].Y)/4
	x1, y1 := cs.Pt[1].X-(cs.Pt[1].X-cs.Pt[0].X)/4, cs.Pt[3].Y-(cs.Pt[3].Y-cs.Pt[0].Y)/8
	var s, s2, n float64
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			l := luma(img, x-1, y) + luma(img, x+1, y) + luma(img, x, y-1) + luma(img, x, y+1) - 4*luma(img, x, y)
			s, s2, n = s+l, s2+l*l, n+1
		}
	}
	return s2/n - (s/n)*(s/n)
}

func TestConditionsChangeQuality(t *testing.T) {
	r := synthetic.New(640, 360, 1)
	sharpImg, cs := r.RenderFrame(synthetic.SharpSteady, 0)
	blurImg, _ := r.RenderFrame(synthetic.Blurred, 0)
	if s, b := sharpness(sharpImg, cs), sharpness(blurImg, cs); b > s/4 {
		t.Errorf("blurred sharpness %.0f not well below sharp %.0f", b, s)
	}
	glareImg, _ := r.RenderFrame(synthetic.Glaring, 0)
	sat := 0
	for y := cs.Pt[0].Y; y < cs.Pt[2].Y; y++ {
		for x := cs.Pt[0].X; x < cs.Pt[2].X; x++ {
			if luma(glareImg, x, y) >= 245 {
				sat++
			}
		}
	}
	if sat < 500 {
		t.Errorf("glare saturates only %d px", sat)
	}
	darkImg, _ := r.RenderFrame(synthetic.Dark, 0)
	if m := meanLuma(darkImg); m > 60 {
		t.Errorf("dark mean luma %.0f", m)
	}
	if m := meanLuma(sharpImg); m < 90 {
		t.Errorf("normal mean luma %.0f", m)
	}
	// Moving: frames 100 ms apart differ in card position.
	_, c1 := r.RenderFrame(synthetic.Moving, 0)
	_, c2 := r.RenderFrame(synthetic.Moving, 100*time.Millisecond)
	if c1.Pt == c2.Pt {
		t.Error("moving card did not move")
	}
	_, c3 := r.RenderFrame(synthetic.SharpSteady, 100*time.Millisecond)
	if c3.Pt != cs.Pt {
		t.Error("steady card moved")
	}
}

func meanLuma(img *image.RGBA) float64 {
	var s float64
	b := img.Rect
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			s += luma(img, x, y)
		}
	}
	return s / float64(b.Dx()*b.Dy()/4)
}

func TestSceneAt(t *testing.T) {
	d := synthetic.Demo()
	if d.Duration() < 15*time.Second {
		t.Fatalf("demo loop only %v", d.Duration())
	}
	seen := map[string]bool{}
	for at := time.Duration(0); at < d.Duration(); at += 100 * time.Millisecond {
		c, name := d.At(at)
		seen[name] = true
		if name == "sharp" && (!c.Card || c.Blur != 0 || c.Motion != 0 || c.Glare != 0) {
			t.Fatalf("sharp step at %v has %+v", at, c)
		}
	}
	for _, n := range []string{"nocard", "enter", "blurry", "sharp", "glare", "moving", "qr"} {
		if !seen[n] {
			t.Errorf("demo loop never shows %q", n)
		}
	}
	c0, _ := d.At(0)
	cLoop, _ := d.At(d.Duration())
	if c0 != cLoop {
		t.Error("demo does not loop")
	}
}

func TestSceneNamed(t *testing.T) {
	for _, n := range synthetic.SceneNames() {
		if _, err := synthetic.SceneNamed(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if _, err := synthetic.SceneNamed("nope"); err == nil {
		t.Error("unknown scene accepted")
	}
	s, _ := synthetic.SceneNamed("glare")
	if c, _ := s.At(time.Minute); c != synthetic.Glaring {
		t.Errorf("glare scene = %+v", c)
	}
}

func TestNewRendererBadSize(t *testing.T) {
	for _, sz := range [][2]int{{0, 10}, {10, -1}, {100000, 10}} {
		if _, err := synthetic.NewRenderer(sz[0], sz[1], 1); err == nil {
			t.Errorf("%v accepted", sz)
		}
	}
}

func BenchmarkRender720p(b *testing.B) {
	r := synthetic.New(1280, 720, 1)
	dst := image.NewRGBA(image.Rect(0, 0, 1280, 720))
	for _, name := range []string{"sharp", "blur", "moving", "dark"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				r.Render(dst, synthetic.Presets[name], time.Duration(i)*33*time.Millisecond)
			}
		})
	}
}

func ExampleRenderer_RenderFrame() {
	r := synthetic.New(1280, 720, 1)
	img, corners := r.RenderFrame(synthetic.SharpSteady, 0)
	fmt.Println(img.Bounds(), corners.Pt)
	// Output: (0,0)-(1280,720) [(288,138) (992,138) (992,582) (288,582)]
}
