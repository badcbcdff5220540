package idscan

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"log/slog"
	"math"
)

// ContentType is the MIME type of every still.
const ContentType = "image/jpeg"

// StillOptions shape the upload-ready image.
type StillOptions struct {
	// MaxLongSide caps the longer side, in pixels.
	MaxLongSide int
	// Quality is the first JPEG quality tried.
	Quality int
	// MinQuality is the lowest quality tried before the image is shrunk.
	MinQuality int
	// MaxBytes caps the encoded size.
	MaxBytes int
}

// DefaultStillOptions returns long side ≤ 2000 px, quality 85 stepping down
// to 45, at most 1 MiB.
func DefaultStillOptions() StillOptions {
	return StillOptions{MaxLongSide: 2000, Quality: 85, MinQuality: 45, MaxBytes: 1 << 20}
}

func (o StillOptions) withDefaults() StillOptions {
	d := DefaultStillOptions()
	if o.MaxLongSide <= 0 {
		o.MaxLongSide = d.MaxLongSide
	}
	if o.Quality <= 0 || o.Quality > 100 {
		o.Quality = d.Quality
	}
	if o.MinQuality <= 0 || o.MinQuality > o.Quality {
		o.MinQuality = min(d.MinQuality, o.Quality)
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = d.MaxBytes
	}
	return o
}

// Still is one upload-ready document side. JPEG is personal data: String
// and LogValue never show it, and Wipe clears it.
type Still struct {
	Filename    string
	ContentType string
	Width       int
	Height      int
	Quality     int
	JPEG        []byte
}

// String describes the still without its content.
func (s *Still) String() string {
	if s == nil {
		return "still(nil)"
	}
	return fmt.Sprintf("still %s %d×%d q%d %d bytes", s.Filename, s.Width, s.Height, s.Quality, len(s.JPEG))
}

// LogValue implements slog.LogValuer without the image bytes.
func (s *Still) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("still(nil)")
	}
	return slog.GroupValue(slog.String("filename", s.Filename), slog.Int("width", s.Width),
		slog.Int("height", s.Height), slog.Int("quality", s.Quality), slog.Int("bytes", len(s.JPEG)))
}

// Wipe zeroes the image bytes.
func (s *Still) Wipe() {
	if s != nil {
		clear(s.JPEG)
		s.JPEG = nil
	}
}

// MakeStill crops the outline from frame (perspective-corrected), turns it
// upright in landscape, scales the long side to at most o.MaxLongSide and
// encodes it as a JPEG without metadata at o.Quality, stepping the quality
// down by 10 (and then the size by a fifth) until it fits o.MaxBytes.
func MakeStill(frame image.Image, outline Quad, filename string, o StillOptions) (*Still, error) {
	o = o.withDefaults()
	if frame == nil || frame.Bounds().Empty() {
		return nil, ErrEmptyFrame
	}
	if !outline.valid() || !outline.Bounds().Overlaps(frame.Bounds()) {
		return nil, ErrBadOutline
	}
	src, err := rgbaView(frame, outline.Bounds())
	if err != nil {
		return nil, err
	}
	w, h := outline.sides()
	if h > w {
		// Portrait: the left side becomes the top.
		outline = Quad{outline[3], outline[0], outline[1], outline[2]}
		w, h = h, w
	}
	scale := math.Min(1, float64(o.MaxLongSide)/w)
	var dst *image.RGBA
	var buf bytes.Buffer
	for range 6 {
		ow, oh := max(1, int(math.Round(w*scale))), max(1, int(math.Round(h*scale)))
		if dst == nil || dst.Rect.Dx() != ow || dst.Rect.Dy() != oh {
			dst = image.NewRGBA(image.Rect(0, 0, ow, oh))
		}
		warp(dst, src, outline, scale)
		for q := o.Quality; q >= o.MinQuality; q -= 10 {
			buf.Reset()
			buf.Grow(ow * oh / 4)
			if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: q}); err != nil {
				return nil, fmt.Errorf("idscan: encode: %w", err)
			}
			if buf.Len() <= o.MaxBytes {
				return &Still{Filename: filename, ContentType: ContentType, Width: ow, Height: oh,
					Quality: q, JPEG: bytes.Clone(buf.Bytes())}, nil
			}
		}
		scale *= 0.8
	}
	return nil, ErrTooLarge
}

// rgbaView returns frame as an *image.RGBA without copying when it already
// is one (or an opaque-layout NRGBA: camera frames carry no transparency);
// otherwise it converts the part under r.
func rgbaView(frame image.Image, r image.Rectangle) (*image.RGBA, error) {
	switch f := frame.(type) {
	case *image.RGBA:
		return f, nil
	case *image.NRGBA:
		return &image.RGBA{Pix: f.Pix, Stride: f.Stride, Rect: f.Rect}, nil
	}
	r = r.Intersect(frame.Bounds())
	if r.Empty() {
		return nil, ErrBadOutline
	}
	dst := image.NewRGBA(r)
	draw.Draw(dst, r, frame, r.Min, draw.Src)
	return dst, nil
}

// homography maps the unit square onto q: (0,0)→q[0], (1,0)→q[1],
// (1,1)→q[2], (0,1)→q[3] (Heckbert, "Fundamentals of texture mapping").
type homography struct{ a, b, c, d, e, f, g, h float64 }

func squareToQuad(q Quad) homography {
	x0, y0, x1, y1, x2, y2, x3, y3 := q[0].X, q[0].Y, q[1].X, q[1].Y, q[2].X, q[2].Y, q[3].X, q[3].Y
	dx1, dx2, dx3 := x1-x2, x3-x2, x0-x1+x2-x3
	dy1, dy2, dy3 := y1-y2, y3-y2, y0-y1+y2-y3
	var g, h float64
	if den := dx1*dy2 - dx2*dy1; den != 0 {
		g = (dx3*dy2 - dx2*dy3) / den
		h = (dx1*dy3 - dx3*dy1) / den
	}
	return homography{
		a: x1 - x0 + g*x1, b: x3 - x0 + h*x3, c: x0,
		d: y1 - y0 + g*y1, e: y3 - y0 + h*y3, f: y0,
		g: g, h: h,
	}
}

// warp fills dst with src seen through q, bilinear, with n×n samples per
// pixel when shrinking by more than a third.
func warp(dst, src *image.RGBA, q Quad, scale float64) {
	H := squareToQuad(q)
	W, Hh := dst.Rect.Dx(), dst.Rect.Dy()
	n := 1
	if scale < 0.75 {
		n = min(4, int(math.Ceil(1/scale-0.01)))
	}
	if n == 1 && src.Rect.Dx() >= 2 && src.Rect.Dy() >= 2 {
		warp1(dst, src, H)
		return
	}
	inv := 1 / float64(n*n)
	sb := src.Rect
	maxX, maxY := float64(sb.Dx()-1), float64(sb.Dy()-1)
	du := 1 / float64(W*n)
	for j := 0; j < Hh; j++ {
		row := dst.Pix[j*dst.Stride : j*dst.Stride+4*W]
		for i := 0; i < W; i++ {
			var r, g, b float64
			for sj := 0; sj < n; sj++ {
				v := (float64(j) + (float64(sj)+0.5)/float64(n)) / float64(Hh)
				bx, by, bw := H.b*v+H.c, H.e*v+H.f, H.h*v+1
				for si := 0; si < n; si++ {
					u := float64(i*n+si)*du + du/2
					w := H.g*u + bw
					x := (H.a*u+bx)/w - 0.5 - float64(sb.Min.X)
					y := (H.d*u+by)/w - 0.5 - float64(sb.Min.Y)
					x, y = clampTo(x, maxX), clampTo(y, maxY)
					x0, y0 := int(x), int(y)
					fx, fy := x-float64(x0), y-float64(y0)
					x1, y1 := min(x0+1, sb.Dx()-1), min(y0+1, sb.Dy()-1)
					p00 := src.Pix[y0*src.Stride+4*x0:]
					p10 := src.Pix[y0*src.Stride+4*x1:]
					p01 := src.Pix[y1*src.Stride+4*x0:]
					p11 := src.Pix[y1*src.Stride+4*x1:]
					w00, w10 := (1-fx)*(1-fy), fx*(1-fy)
					w01, w11 := (1-fx)*fy, fx*fy
					r += w00*float64(p00[0]) + w10*float64(p10[0]) + w01*float64(p01[0]) + w11*float64(p11[0])
					g += w00*float64(p00[1]) + w10*float64(p10[1]) + w01*float64(p01[1]) + w11*float64(p11[1])
					b += w00*float64(p00[2]) + w10*float64(p10[2]) + w01*float64(p01[2]) + w11*float64(p11[2])
				}
			}
			o := row[4*i : 4*i+4 : 4*i+4]
			o[0] = uint8(r*inv + 0.5)
			o[1] = uint8(g*inv + 0.5)
			o[2] = uint8(b*inv + 0.5)
			o[3] = 255
		}
	}
}

// clampTo clamps v to [0, hi]; NaN becomes 0.
func clampTo(v, hi float64) float64 {
	if !(v > 0) {
		return 0
	}
	return min(v, hi)
}

// warp1 is warp with one sample per pixel, in 8-bit fixed point: the
// common case (a card under 2000 px wide) and the one that must be fast.
func warp1(dst, src *image.RGBA, H homography) {
	W, Hh := dst.Rect.Dx(), dst.Rect.Dy()
	sb := src.Rect
	sw, sh := sb.Dx(), sb.Dy()
	maxX, maxY := float64(sw-1), float64(sh-1)
	ox, oy := 0.5+float64(sb.Min.X), 0.5+float64(sb.Min.Y)
	du := 1 / float64(W)
	for j := 0; j < Hh; j++ {
		v := (float64(j) + 0.5) / float64(Hh)
		bx, by, bw := H.b*v+H.c, H.e*v+H.f, H.h*v+1
		row := dst.Pix[j*dst.Stride : j*dst.Stride+4*W]
		for i := 0; i < W; i++ {
			u := (float64(i) + 0.5) * du
			iw := 1 / (H.g*u + bw)
			x := (H.a*u+bx)*iw - ox
			y := (H.d*u+by)*iw - oy
			x, y = clampTo(x, maxX), clampTo(y, maxY)
			x0, y0 := int(x), int(y)
			fx, fy := uint32((x-float64(x0))*256), uint32((y-float64(y0))*256)
			if x0 >= sw-1 {
				x0, fx = sw-2, 256
			}
			if y0 >= sh-1 {
				y0, fy = sh-2, 256
			}
			o := y0*src.Stride + 4*x0
			a := src.Pix[o : o+8 : o+8]
			b := src.Pix[o+src.Stride : o+src.Stride+8 : o+src.Stride+8]
			gx, gy := 256-fx, 256-fy
			w00, w10, w01, w11 := gx*gy, fx*gy, gx*fy, fx*fy
			d := row[4*i : 4*i+4 : 4*i+4]
			d[0] = uint8((uint32(a[0])*w00 + uint32(a[4])*w10 + uint32(b[0])*w01 + uint32(b[4])*w11 + 1<<15) >> 16)
			d[1] = uint8((uint32(a[1])*w00 + uint32(a[5])*w10 + uint32(b[1])*w01 + uint32(b[5])*w11 + 1<<15) >> 16)
			d[2] = uint8((uint32(a[2])*w00 + uint32(a[6])*w10 + uint32(b[2])*w01 + uint32(b[6])*w11 + 1<<15) >> 16)
			d[3] = 255
		}
	}
}
