package idscan

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
)

// backTexture is a card's back at (u, v) in [0,1]²: the same pale stock as
// the front, an address block at the top left, a 2-D barcode at the right
// and a three-line machine-readable zone over the lower third (as on a TD1
// identity card), no photo.
func backTexture(u, v float64) color.RGBA {
	base := color.RGBA{214, 210, 196, 255}
	ink := color.RGBA{35, 35, 50, 255}
	switch {
	case u > 0.06 && u < 0.6 && v > 0.08 && v < 0.5: // address and issuing authority
		line := int((v - 0.08) * 30)
		if line%3 != 2 {
			ch := int(u * 60)
			if (ch*5+line*7)%6 != 0 && math.Mod(u*60, 1) < 0.65 && math.Mod((v-0.08)*30, 1) < 0.7 {
				return ink
			}
		}
	case u > 0.68 && u < 0.94 && v > 0.08 && v < 0.5: // barcode
		cu, cv := int((u-0.68)*120), int((v-0.08)*120)
		if (cu*cu*7+cv*13+cu*cv)%5 < 2 {
			return color.RGBA{20, 20, 20, 255}
		}
	case u > 0.04 && u < 0.96 && v > 0.6 && v < 0.95: // MRZ, three lines
		line := int((v - 0.6) * 8.6)
		if math.Mod((v-0.6)*8.6, 1) < 0.55 {
			ch := int(u * 32)
			if (ch*3+line*11)%7 != 0 && math.Mod(u*32, 1) < 0.6 {
				return color.RGBA{15, 15, 15, 255}
			}
		}
	}
	return base
}

// paintCard draws tex over the card outlined by cor in img (the synthetic
// camera's front is replaced by another side), 2×2 supersampled.
func paintCard(img *image.RGBA, cor synthetic.Corners, tex func(u, v float64) color.RGBA) {
	var q Quad
	for i, p := range cor.F {
		q[i] = Point{p[0], p[1]}
	}
	inv := squareToQuad(q).inverse()
	b := q.Bounds().Intersect(img.Rect)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var acc [3]float64
			hit := 0
			o := img.PixOffset(x, y)
			for k := range 4 {
				px, py := float64(x)+0.25+0.5*float64(k&1), float64(y)+0.25+0.5*float64(k>>1)
				w := inv[6]*px + inv[7]*py + inv[8]
				u := (inv[0]*px + inv[1]*py + inv[2]) / w
				v := (inv[3]*px + inv[4]*py + inv[5]) / w
				c := color.RGBA{img.Pix[o], img.Pix[o+1], img.Pix[o+2], 255}
				if u >= 0 && u < 1 && v >= 0 && v < 1 {
					c = tex(u, v)
					hit++
				}
				acc[0] += float64(c.R)
				acc[1] += float64(c.G)
				acc[2] += float64(c.B)
			}
			if hit > 0 {
				img.Pix[o], img.Pix[o+1], img.Pix[o+2] = uint8(acc[0]/4), uint8(acc[1]/4), uint8(acc[2]/4)
			}
		}
	}
}

// paintHand draws an open hand (palm and four fingers, skin tone with soft
// shading) reaching into the frame from the bottom right.
func paintHand(img *image.RGBA) {
	w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	type blob struct{ cx, cy, rx, ry, rot float64 }
	palm := blob{0.58 * w, 0.68 * h, 0.13 * w, 0.2 * h, -0.3}
	parts := []blob{palm,
		{0.44 * w, 0.42 * h, 0.03 * w, 0.13 * h, -0.35},
		{0.51 * w, 0.36 * h, 0.032 * w, 0.15 * h, -0.2},
		{0.585 * w, 0.35 * h, 0.031 * w, 0.15 * h, -0.05},
		{0.655 * w, 0.40 * h, 0.027 * w, 0.12 * h, 0.12},
		{0.72 * w, 0.62 * h, 0.035 * w, 0.11 * h, 0.9}, // thumb
		{0.62 * w, 0.95 * h, 0.12 * w, 0.2 * h, 0},     // wrist
	}
	sin, cos := make([]float64, len(parts)), make([]float64, len(parts))
	for i, p := range parts {
		sin[i], cos[i] = math.Sincos(p.rot)
	}
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			best := math.Inf(1)
			for i, p := range parts {
				dx, dy := float64(x)-p.cx, float64(y)-p.cy
				if math.Abs(dx) > p.ry && math.Abs(dy) > p.ry { // ry is the longer radius
					continue
				}
				ux, uy := (dx*cos[i]+dy*sin[i])/p.rx, (-dx*sin[i]+dy*cos[i])/p.ry
				best = math.Min(best, ux*ux+uy*uy)
			}
			if best >= 1 {
				continue
			}
			shade := 0.85 + 0.15*math.Sqrt(1-best)
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2] = uint8(224*shade), uint8(172*shade), uint8(140*shade)
		}
	}
}

// wall is a plain painted wall of luma about base filling the frame, lit
// from one side, with sensor noise.
func wall(w, h int, base float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(seed, 3))
	for y := range h {
		for x := range w {
			l := base + 15 - 30*float64(x)/float64(w) + r.NormFloat64()*2
			o := img.PixOffset(x, y)
			v := uint8(math.Max(0, math.Min(255, l)))
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = v, v, v-4, 255
		}
	}
	return img
}

// renderers caches the synthetic camera per frame size: building one
// draws the card's textures.
var renderers sync.Map // [2]int → *synthetic.Renderer

// render draws c with the synthetic camera at w×h.
func render(w, h int, c synthetic.Conditions) (*image.RGBA, synthetic.Corners) {
	r, ok := renderers.Load([2]int{w, h})
	if !ok {
		r, _ = renderers.LoadOrStore([2]int{w, h}, synthetic.New(w, h, seed))
	}
	return r.(*synthetic.Renderer).RenderFrame(c, 0)
}

// frontWith renders the synthetic camera's card front under c.
func frontWith(w, h int, c synthetic.Conditions) (*image.RGBA, synthetic.Corners) {
	c.Card = true
	return render(w, h, c)
}

// backWith renders a card back under c: the front's frame with the back
// painted over the card.
func backWith(w, h int, c synthetic.Conditions) *image.RGBA {
	img, cor := frontWith(w, h, c)
	paintCard(img, cor, backTexture)
	return img
}

// TestPresence runs at two sizes: at 640×360 the analysis plane keeps the
// camera's noise, at 1280×720 it averages it down.
func TestPresence(t *testing.T) {
	for _, size := range [][2]int{{640, 360}, {1280, 720}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) { testPresence(t, size[0], size[1]) })
	}
}

func testPresence(t *testing.T, w, h int) {
	handOnDesk, _ := render(w, h, synthetic.NoCard)
	paintHand(handOnDesk)
	handOverWall := wall(w, h, 110) // a grey-blue wall: skin stands out
	paintHand(handOverWall)
	empty, _ := render(w, h, synthetic.NoCard)
	noisy, _ := render(w, h, synthetic.Conditions{Noise: 6})
	dark, _ := render(w, h, synthetic.Conditions{Dark: 1, Noise: 2})
	frame := func(c synthetic.Conditions) *image.RGBA { img, _ := frontWith(w, h, c); return img }
	tests := []struct {
		name string
		img  *image.RGBA
		want Absence
	}{
		{"front", frame(synthetic.SharpSteady), AbsenceNone},
		{"back", backWith(w, h, synthetic.SharpSteady), AbsenceNone},
		{"tilted", frame(synthetic.Tilted), AbsenceNone},
		{"far", frame(synthetic.Far), AbsenceNone},
		{"dim", frame(synthetic.Dark), AbsenceNone},
		{"blurred", frame(synthetic.Blurred), AbsenceNone},
		{"glare", frame(synthetic.Glaring), AbsenceNone},
		{"too close, edges out of view", frame(synthetic.Conditions{Scale: 0.9}), AbsenceNone},
		{"back too close", backWith(w, h, synthetic.Conditions{Scale: 0.9}), AbsenceNone},
		{"empty desk", empty, AbsenceBlank},
		{"empty desk, noisy camera", noisy, AbsenceBlank},
		{"blank wall", wall(w, h, 185), AbsenceBlank},
		{"hand over the desk", handOnDesk, AbsenceNoDocument},
		{"hand in front of a wall", handOverWall, AbsenceNoDocument},
		{"dark", dark, AbsenceDark},
	}
	an := NewAnalyzer(Thresholds{})
	g := guideOf(w, h)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := an.Presence(luma(tt.img), g)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("card %v fill %.2f print %.2f mean %.0f spread %.0f", p.Card, p.Fill, p.Print, p.Mean, p.Spread)
			if p.Present != (tt.want == AbsenceNone) || p.Why != tt.want {
				t.Errorf("present %v why %q, want %q", p.Present, p.Why, tt.want)
			}
		})
	}
}

func TestPresenceLeavesTheHistoryAlone(t *testing.T) {
	const w, h = 640, 360
	img, _ := frontWith(w, h, synthetic.SharpSteady)
	y, g := luma(img), guideOf(w, h)
	an := NewAnalyzer(Thresholds{})
	first, _ := an.Analyze(y, g)
	empty, _ := render(w, h, synthetic.NoCard)
	if p, _ := an.Presence(luma(empty), g); p.Present {
		t.Fatal("empty desk present")
	}
	second, _ := an.Analyze(y, g)
	if !second.Steadiness.Pass || second.RecentSharpness < first.RecentSharpness {
		t.Errorf("Presence disturbed the live checks: steadiness %v, recent %v → %v",
			second.Steadiness, first.RecentSharpness, second.RecentSharpness)
	}
}

func TestPresenceRefusesBadInput(t *testing.T) {
	an := NewAnalyzer(Thresholds{})
	if _, err := an.Presence(nil, image.Rect(0, 0, 10, 10)); err != ErrEmptyFrame {
		t.Errorf("nil frame: %v", err)
	}
	y := image.NewGray(image.Rect(0, 0, 100, 100))
	if _, err := an.Presence(y, image.Rect(200, 200, 300, 300)); err != ErrBadGuide {
		t.Errorf("guide outside: %v", err)
	}
	if _, err := an.Presence(&image.Gray{Pix: make([]uint8, 10), Stride: 100, Rect: image.Rect(0, 0, 100, 100)}, image.Rect(0, 0, 50, 50)); err != ErrEmptyFrame {
		t.Errorf("short buffer: %v", err)
	}
}
