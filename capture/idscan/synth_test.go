package idscan

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/disintegration/imaging"

	"github.com/signet-kiosk/signet/capture/frame"
)

// scene describes a synthetic camera picture: a textured card with known
// corners on a plain, slightly noisy table.
type scene struct {
	w, h   int
	card   Quad // zero: no card
	blur   float64
	glare  float64 // radius of a saturated blob as a share of the card width
	gain   float64 // 0 means 1
	noise  float64 // σ in grey levels
	seed   uint64
	shiftX float64 // moves the card
}

// cardIn returns a card of the ID-1 aspect filling fill of the guide of a
// w×h frame, rotated by deg degrees about its centre.
func cardIn(w, h int, fill, deg float64) Quad {
	g := Guide(w, h, CardAspect, 0.8)
	cx, cy := float64(g.Min.X+g.Max.X)/2, float64(g.Min.Y+g.Max.Y)/2
	hw, hh := float64(g.Dx())*fill/2, float64(g.Dy())*fill/2
	s, c := math.Sincos(deg * math.Pi / 180)
	var q Quad
	for i, p := range [4]Point{{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}} {
		q[i] = Point{cx + p.X*c - p.Y*s, cy + p.X*s + p.Y*c}
	}
	return q
}

// inverse returns the homography's inverse as a 3×3 matrix applied to
// (x, y, 1).
func (H homography) inverse() [9]float64 {
	m := [9]float64{H.a, H.b, H.c, H.d, H.e, H.f, H.g, H.h, 1}
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	A, B, C := e*i-f*h, -(d*i - f*g), d*h-e*g
	det := a*A + b*B + c*C
	return [9]float64{A / det, -(b*i - c*h) / det, (b*f - c*e) / det,
		B / det, (a*i - c*g) / det, -(a*f - c*d) / det,
		C / det, -(a*h - b*g) / det, (a*e - b*d) / det}
}

// cardTexture is the card's colour at (u, v) in [0,1]²: a light background,
// a photo on the left, lines of "text" and an MRZ-like band at the bottom.
func cardTexture(u, v float64) color.RGBA {
	base := color.RGBA{208, 204, 192, 255}
	switch {
	case u > 0.05 && u < 0.3 && v > 0.2 && v < 0.75: // photo
		l := uint8(90 + 60*math.Sin(u*40)*math.Cos(v*30))
		return color.RGBA{l, l - 10, l - 20, 255}
	case u > 0.35 && u < 0.95 && v > 0.15 && v < 0.7: // text lines
		line := int(v * 24)
		if line%2 == 0 {
			ch := int(u * 70)
			if (ch*7+line*13)%5 != 0 && math.Mod(u*70, 1) < 0.7 {
				return color.RGBA{40, 40, 60, 255}
			}
		}
	case u > 0.05 && u < 0.95 && v > 0.78 && v < 0.95: // MRZ
		line := int((v - 0.78) * 18)
		if line%2 == 0 {
			ch := int(u * 30)
			if (ch*11+line*3)%4 != 0 && math.Mod(u*30, 1) < 0.6 {
				return color.RGBA{20, 20, 20, 255}
			}
		}
	}
	return base
}

// render draws the scene.
func (s scene) render() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, s.w, s.h))
	r := rand.New(rand.NewPCG(s.seed, 7))
	for y := 0; y < s.h; y++ {
		for x := 0; x < s.w; x++ {
			// A wooden-ish table: low-contrast vertical grain.
			l := 70 + 6*math.Sin(float64(x)*0.02+float64(y)*0.002)
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = uint8(l+8), uint8(l), uint8(l-10), 255
		}
	}
	card := s.card
	if card != (Quad{}) {
		for i := range card {
			card[i].X += s.shiftX
		}
		inv := squareToQuad(card).inverse()
		b := card.Bounds().Intersect(img.Rect)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				// 2×2 supersampling for anti-aliased edges.
				var acc [3]float64
				hit := 0
				for k := range 4 {
					px, py := float64(x)+0.25+0.5*float64(k&1), float64(y)+0.25+0.5*float64(k>>1)
					w := inv[6]*px + inv[7]*py + inv[8]
					u := (inv[0]*px + inv[1]*py + inv[2]) / w
					v := (inv[3]*px + inv[4]*py + inv[5]) / w
					o := img.PixOffset(x, y)
					c := color.RGBA{img.Pix[o], img.Pix[o+1], img.Pix[o+2], 255}
					if u >= 0 && u < 1 && v >= 0 && v < 1 {
						c = cardTexture(u, v)
						hit++
					}
					acc[0] += float64(c.R)
					acc[1] += float64(c.G)
					acc[2] += float64(c.B)
				}
				if hit > 0 {
					o := img.PixOffset(x, y)
					img.Pix[o], img.Pix[o+1], img.Pix[o+2] = uint8(acc[0]/4), uint8(acc[1]/4), uint8(acc[2]/4)
				}
			}
		}
		if s.glare > 0 {
			w, _ := card.sides()
			rad := s.glare * w
			c := Point{card[0].X*0.35 + card[2].X*0.65, card[0].Y*0.4 + card[2].Y*0.6}
			for y := int(c.Y - rad); y < int(c.Y+rad); y++ {
				for x := int(c.X - rad); x < int(c.X+rad); x++ {
					if !image.Pt(x, y).In(img.Rect) {
						continue
					}
					d := math.Hypot(float64(x)-c.X, float64(y)-c.Y) / rad
					if d < 1 {
						o := img.PixOffset(x, y)
						a := math.Min(1, 2*(1-d)) // saturated core, soft rim
						for k := range 3 {
							img.Pix[o+k] = uint8(float64(img.Pix[o+k])*(1-a) + 255*a)
						}
					}
				}
			}
		}
	}
	out := img
	if s.blur > 0 {
		n := imaging.Blur(img, s.blur)
		out = &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
	}
	gain := s.gain
	if gain == 0 {
		gain = 1
	}
	if gain != 1 || s.noise > 0 {
		for i := 0; i < len(out.Pix); i += 4 {
			n := 0.0
			if s.noise > 0 {
				n = r.NormFloat64() * s.noise
			}
			for k := range 3 {
				v := float64(out.Pix[i+k])*gain + n
				out.Pix[i+k] = uint8(math.Max(0, math.Min(255, math.Round(v))))
			}
		}
	}
	return out
}

// luma returns the BT.601 luma plane of img.
func luma(img *image.RGBA) *image.Gray {
	g := image.NewGray(img.Rect)
	if err := frame.RGBALuma(g, img); err != nil {
		panic(err) // an image whose origin is not (0,0)
	}
	return g
}
