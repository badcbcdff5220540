// Command icongen draws Signet's application icon: an identity card on a deep
// teal tile, crossed by a signature stroke — the two things a guest gives the
// kiosk. Run by `go generate ./assets`; the PNG is committed.
package main

import (
	"flag"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log"
	"math"
	"os"

	"golang.org/x/image/vector"
)

const size = 1024

func main() {
	out := flag.String("out", "icon.png", "output PNG")
	flag.Parse()
	img := image.NewRGBA(image.Rect(0, 0, size, size))

	// Tile: rounded square with a vertical gradient, teal to deep blue.
	tile := roundedRect(64, 64, 960, 960, 190)
	fillGradient(img, tile, color.RGBA{0x0f, 0x9f, 0x8f, 0xff}, color.RGBA{0x0b, 0x3a, 0x66, 0xff})

	// Card shadow, then the card, slightly rotated.
	cx, cy, w, h, rot := 512.0, 470.0, 640.0, 404.0, -8*math.Pi/180
	fill(img, rotated(roundedRectPath(cx-w/2+14, cy-h/2+22, w, h, 44), cx, cy, rot), color.RGBA{0, 0, 0, 0x55})
	fill(img, rotated(roundedRectPath(cx-w/2, cy-h/2, w, h, 44), cx, cy, rot), color.RGBA{0xfa, 0xfb, 0xfc, 0xff})
	// Photo disc and text lines on the card.
	fill(img, rotated(circlePath(cx-180, cy-40, 82), cx, cy, rot), color.RGBA{0x9f, 0xb7, 0xc9, 0xff})
	fill(img, rotated(roundedRectPath(cx-250, cy+66, 140, 60, 30), cx, cy, rot), color.RGBA{0x9f, 0xb7, 0xc9, 0xff})
	for i, lw := range []float64{250, 200, 230} {
		y := cy - 110 + float64(i)*62
		fill(img, rotated(roundedRectPath(cx-40, y, lw, 30, 15), cx, cy, rot), color.RGBA{0xc9, 0xd6, 0xe0, 0xff})
	}
	// Machine-readable zone hint along the bottom.
	fill(img, rotated(roundedRectPath(cx-270, cy+150, 540, 18, 9), cx, cy, rot), color.RGBA{0xdd, 0xe4, 0xea, 0xff})

	// The signature: a tapered Bézier swoosh in warm gold across the card.
	sig := [][2]float64{{170, 790}, {235, 690}, {280, 650}, {300, 700}, {270, 800}, {330, 760}, {400, 690}, {430, 740}, {470, 790}, {540, 720}, {610, 700}, {700, 735}, {800, 700}, {880, 660}}
	strokeTapered(img, sig, 30, 8, color.RGBA{0xff, 0xc8, 0x4a, 0xff})

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(f, img); err != nil {
		log.Fatal(err)
	}
}

type path [][2]float64 // closed polygon

func roundedRectPath(x, y, w, h, r float64) path {
	var p path
	corner := func(cx, cy, a0 float64) {
		for i := 0; i <= 16; i++ {
			a := a0 + float64(i)/16*math.Pi/2
			p = append(p, [2]float64{cx + r*math.Cos(a), cy + r*math.Sin(a)})
		}
	}
	corner(x+w-r, y+r, -math.Pi/2)
	corner(x+w-r, y+h-r, 0)
	corner(x+r, y+h-r, math.Pi/2)
	corner(x+r, y+r, math.Pi)
	return p
}

func roundedRect(x, y, w, h, r float64) path { return roundedRectPath(x, y, w, h, r) }

func circlePath(cx, cy, r float64) path {
	var p path
	for i := 0; i < 64; i++ {
		a := float64(i) / 64 * 2 * math.Pi
		p = append(p, [2]float64{cx + r*math.Cos(a), cy + r*math.Sin(a)})
	}
	return p
}

func rotated(p path, cx, cy, a float64) path {
	s, c := math.Sin(a), math.Cos(a)
	out := make(path, len(p))
	for i, q := range p {
		dx, dy := q[0]-cx, q[1]-cy
		out[i] = [2]float64{cx + dx*c - dy*s, cy + dx*s + dy*c}
	}
	return out
}

func mask(p path) *image.Alpha {
	r := vector.NewRasterizer(size, size)
	r.MoveTo(float32(p[0][0]), float32(p[0][1]))
	for _, q := range p[1:] {
		r.LineTo(float32(q[0]), float32(q[1]))
	}
	r.ClosePath()
	m := image.NewAlpha(image.Rect(0, 0, size, size))
	r.Draw(m, m.Bounds(), image.Opaque, image.Point{})
	return m
}

func fill(img *image.RGBA, p path, c color.RGBA) {
	draw.DrawMask(img, img.Bounds(), image.NewUniform(c), image.Point{}, mask(p), image.Point{}, draw.Over)
}

func fillGradient(img *image.RGBA, p path, top, bottom color.RGBA) {
	g := image.NewRGBA(img.Bounds())
	for y := 0; y < size; y++ {
		t := float64(y) / size
		c := color.RGBA{
			uint8(float64(top.R)*(1-t) + float64(bottom.R)*t),
			uint8(float64(top.G)*(1-t) + float64(bottom.G)*t),
			uint8(float64(top.B)*(1-t) + float64(bottom.B)*t), 0xff}
		for x := 0; x < size; x++ {
			g.SetRGBA(x, y, c)
		}
	}
	draw.DrawMask(img, img.Bounds(), g, image.Point{}, mask(p), image.Point{}, draw.Over)
}

// strokeTapered draws a Catmull-Rom spline through pts as overlapping discs
// whose radius swells from thin to w0 and back to w1, like a pen stroke.
func strokeTapered(img *image.RGBA, pts [][2]float64, w0, w1 float64, c color.RGBA) {
	r := vector.NewRasterizer(size, size)
	n := len(pts)
	total := (n - 1) * 40
	for i := 0; i <= total; i++ {
		seg := i / 40
		if seg >= n-1 {
			seg = n - 2
		}
		t := float64(i-seg*40) / 40
		p0, p1, p2, p3 := pts[max(seg-1, 0)], pts[seg], pts[seg+1], pts[min(seg+2, n-1)]
		x := catmull(p0[0], p1[0], p2[0], p3[0], t)
		y := catmull(p0[1], p1[1], p2[1], p3[1], t)
		u := float64(i) / float64(total)
		rad := (w0*(1-u) + w1*u) * math.Sin(math.Min(1, u*8+0.2)*math.Pi/2) / 2
		for k := 0; k < 24; k++ {
			a := float64(k) / 24 * 2 * math.Pi
			px, py := float32(x+rad*math.Cos(a)), float32(y+rad*math.Sin(a))
			if k == 0 {
				r.MoveTo(px, py)
			} else {
				r.LineTo(px, py)
			}
		}
		r.ClosePath()
	}
	m := image.NewAlpha(image.Rect(0, 0, size, size))
	r.Draw(m, m.Bounds(), image.Opaque, image.Point{})
	draw.DrawMask(img, img.Bounds(), image.NewUniform(c), image.Point{}, m, image.Point{}, draw.Over)
}

func catmull(p0, p1, p2, p3, t float64) float64 {
	t2, t3 := t*t, t*t*t
	return 0.5 * (2*p1 + (-p0+p2)*t + (2*p0-5*p1+4*p2-p3)*t2 + (-p0+3*p1-3*p2+p3)*t3)
}
