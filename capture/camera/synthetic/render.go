package synthetic

import (
	"fmt"
	"image"
	"math"
	"time"

	"github.com/signet-kiosk/signet/capture/frame"
)

// Renderer draws frames of one size. It pre-renders the desk once and shares
// the card textures; per frame it only copies, warps, blurs and composites.
// A Renderer is not safe for concurrent use; make one per goroutine.
type Renderer struct {
	w, h    int
	seed    int64
	desk    *image.RGBA
	card    *image.RGBA
	qr      *image.RGBA
	scratch []uint32 // blur line buffer
	tmp     []uint8  // blur plane buffer
}

// New returns a renderer for w×h frames whose desk and noise derive from seed.
// It panics if the embedded fonts cannot be parsed (a build defect) or the
// size is not positive; use [NewRenderer] to get an error instead.
func New(w, h int, seed int64) *Renderer {
	r, err := NewRenderer(w, h, seed)
	if err != nil {
		panic(err)
	}
	return r
}

// NewRenderer is [New] returning an error.
func NewRenderer(w, h int, seed int64) (*Renderer, error) {
	if w < 16 || h < 16 || w > 8192 || h > 8192 {
		return nil, fmt.Errorf("synthetic: bad frame size %dx%d", w, h)
	}
	card, qr, err := textures()
	if err != nil {
		return nil, err
	}
	return &Renderer{w: w, h: h, seed: seed, desk: renderDesk(w, h, seed), card: card, qr: qr}, nil
}

// Size returns the frame size.
func (r *Renderer) Size() (w, h int) { return r.w, r.h }

// RenderFrame renders a new w×h image of c at time t.
func (r *Renderer) RenderFrame(c Conditions, t time.Duration) (*image.RGBA, Corners) {
	img := image.NewRGBA(image.Rect(0, 0, r.w, r.h))
	return img, r.Render(img, c, t)
}

// Frame renders c at time t straight into a pooled frame (the form the
// camera delivers: Luma, Preview and Full), with the card's corners. The
// caller releases the frame.
func (r *Renderer) Frame(pool *frame.Pool, c Conditions, t time.Duration) (*frame.Frame, Corners, error) {
	var corners Corners
	f, err := pool.DrawRGBA(r.w, r.h, func(img *image.RGBA) { corners = r.Render(img, c, t) })
	return f, corners, err
}

// Render draws c at time t into dst, which must be w×h with its origin at
// (0,0), and returns the card's corners.
func (r *Renderer) Render(dst *image.RGBA, c Conditions, t time.Duration) Corners {
	if dst.Rect != image.Rect(0, 0, r.w, r.h) {
		panic(fmt.Sprintf("synthetic: Render into %v, want %dx%d", dst.Rect, r.w, r.h))
	}
	for y := 0; y < r.h; y++ {
		copy(dst.Pix[y*dst.Stride:y*dst.Stride+r.w*4], r.desk.Pix[y*r.desk.Stride:])
	}
	var corners Corners
	if c.Card || c.QR {
		tex := r.card
		switch {
		case c.QR:
			tex = r.qr
		case c.Back:
			tex = backTexture()
		}
		q, vx := r.geometry(c, t)
		corners = cornersOf(q)
		box := r.composite(dst, tex, q, c.Glare)
		if c.Blur > 0.3 {
			m := int(math.Ceil(c.Blur*3)) + 1
			r.boxBlur(dst, box.Inset(-m).Intersect(dst.Rect), c.Blur)
		}
		if l := math.Abs(vx) / 30; l >= 1 {
			m := int(l) + 1
			r.motionBlur(dst, box.Inset(-m).Intersect(dst.Rect), int(l))
		}
	}
	if c.Dark > 0 || c.Noise > 0 {
		r.exposure(dst, c.Dark, c.Noise, t)
	}
	return corners
}

// geometry returns the card's four corners in output pixels and the card's
// horizontal speed in px/s.
func (r *Renderer) geometry(c Conditions, t time.Duration) (q [4][2]float64, vx float64) {
	W, H := float64(r.w), float64(r.h)
	cw := scaleOr(c.Scale) * W
	ch := cw * CardHeightMM / CardWidthMM
	cx := W * (0.5 + c.X)
	cy := H*(0.5+c.Y) + c.Offscreen*(H*(0.5-c.Y)+0.6*cw)
	if c.Motion > 0 {
		const hz = 1.5
		ph := 2 * math.Pi * hz * t.Seconds()
		amp := c.Motion * 0.10 * W
		cx += amp * math.Sin(ph)
		cy += amp * 0.3 * math.Sin(2*ph+1)
		vx = amp * 2 * math.Pi * hz * math.Cos(ph)
	}
	tilt := c.Tilt * math.Pi / 180
	rot := c.Rotate * math.Pi / 180
	f := 1.5 * W
	pts := [4][2]float64{{-cw / 2, -ch / 2}, {cw / 2, -ch / 2}, {cw / 2, ch / 2}, {-cw / 2, ch / 2}}
	for i, p := range pts {
		x, y := p[0], p[1]*math.Cos(tilt)
		z := -p[1] * math.Sin(tilt)
		x, y = x*math.Cos(rot)-y*math.Sin(rot), x*math.Sin(rot)+y*math.Cos(rot)
		s := f / (f + z)
		q[i] = [2]float64{cx + x*s, cy + y*s}
	}
	return q, vx
}

func cornersOf(q [4][2]float64) Corners {
	c := Corners{F: q, Visible: true}
	for i, p := range q {
		c.Pt[i] = image.Pt(int(math.Round(p[0])), int(math.Round(p[1])))
	}
	return c
}

// homography maps the unit square (0,0),(1,0),(1,1),(0,1) onto q
// (Heckbert's square-to-quad). m is row-major 3×3.
func homography(q [4][2]float64) [9]float64 {
	x0, y0, x1, y1, x2, y2, x3, y3 := q[0][0], q[0][1], q[1][0], q[1][1], q[2][0], q[2][1], q[3][0], q[3][1]
	dx1, dx2, dx3 := x1-x2, x3-x2, x0-x1+x2-x3
	dy1, dy2, dy3 := y1-y2, y3-y2, y0-y1+y2-y3
	var g, h float64
	if math.Abs(dx3) > 1e-9 || math.Abs(dy3) > 1e-9 {
		det := dx1*dy2 - dx2*dy1
		g = (dx3*dy2 - dx2*dy3) / det
		h = (dx1*dy3 - dx3*dy1) / det
	}
	return [9]float64{
		x1 - x0 + g*x1, x3 - x0 + h*x3, x0,
		y1 - y0 + g*y1, y3 - y0 + h*y3, y0,
		g, h, 1,
	}
}

func invert3(m [9]float64) [9]float64 {
	a, b, c, d, e, f, g, h, i := m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]
	A, B, C := e*i-f*h, -(d*i - f*g), d*h-e*g
	det := a*A + b*B + c*C
	if det == 0 {
		return [9]float64{}
	}
	k := 1 / det
	return [9]float64{
		A * k, -(b*i - c*h) * k, (b*f - c*e) * k,
		B * k, (a*i - c*g) * k, -(a*f - c*d) * k,
		C * k, -(a*h - b*g) * k, (a*e - b*d) * k,
	}
}

// composite warps tex onto dst at quad q with anti-aliased edges and rounded
// corners, adding glare, and returns the touched rectangle.
func (r *Renderer) composite(dst, tex *image.RGBA, q [4][2]float64, glare float64) image.Rectangle {
	minX, minY, maxX, maxY := q[0][0], q[0][1], q[0][0], q[0][1]
	for _, p := range q[1:] {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	box := image.Rect(int(math.Floor(minX))-1, int(math.Floor(minY))-1, int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(dst.Rect)
	if box.Empty() {
		return box
	}
	inv := invert3(homography(q))
	tw, th := float64(tex.Rect.Dx()), float64(tex.Rect.Dy())
	// Output pixels per texture pixel, for edge anti-aliasing.
	edge := math.Hypot(q[1][0]-q[0][0], q[1][1]-q[0][1]) / tw
	if edge <= 0 {
		return image.Rectangle{}
	}
	rad := cornerRadiusTexPx
	// Glare: a highlight up and right of the card's centre, in texture space.
	gx, gy, gs := tw*0.62, th*0.38, th*0.22
	gk := -1 / (2 * gs * gs)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		fy := float64(y) + 0.5
		row := dst.Pix[y*dst.Stride:]
		for x := box.Min.X; x < box.Max.X; x++ {
			fx := float64(x) + 0.5
			w := inv[6]*fx + inv[7]*fy + inv[8]
			u := (inv[0]*fx + inv[1]*fy + inv[2]) / w * tw
			v := (inv[3]*fx + inv[4]*fy + inv[5]) / w * th
			// signed distance to the card's outline, in texture px
			d := math.Max(math.Max(-u, u-tw), math.Max(-v, v-th))
			if ex, ey := cornerExcess(u, tw, rad), cornerExcess(v, th, rad); ex > 0 && ey > 0 {
				d = math.Hypot(ex, ey) - rad
			}
			cov := 0.5 - d*edge
			if cov <= 0 {
				continue
			}
			if cov > 1 {
				cov = 1
			}
			cr, cg, cb := bilinear(tex, u-0.5, v-0.5)
			if glare > 0 {
				dx, dy := u-gx, (v-gy)*1.6
				dd := dx*dx + dy*dy
				if dd < 9*gs*gs {
					g := glare * 330 * math.Exp(dd*gk)
					cr, cg, cb = cr+g, cg+g, cb+g
				}
			}
			i := x * 4
			p := row[i : i+4 : i+4]
			p[0] = clampU8(float64(p[0]) + (cr-float64(p[0]))*cov)
			p[1] = clampU8(float64(p[1]) + (cg-float64(p[1]))*cov)
			p[2] = clampU8(float64(p[2]) + (cb-float64(p[2]))*cov)
		}
	}
	return box
}

// cornerExcess is how far t lies inside the corner zone of a side of length
// n with corner radius rad (0 when outside the zone).
func cornerExcess(t, n, rad float64) float64 {
	if t < rad {
		return rad - t
	}
	if t > n-rad {
		return t - (n - rad)
	}
	return 0
}

func bilinear(img *image.RGBA, u, v float64) (r, g, b float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x0, y0 := int(math.Floor(u)), int(math.Floor(v))
	fx, fy := u-float64(x0), v-float64(y0)
	x1, y1 := x0+1, y0+1
	x0, x1 = clampI(x0, w-1), clampI(x1, w-1)
	y0, y1 = clampI(y0, h-1), clampI(y1, h-1)
	p := img.Pix
	i00, i10 := y0*img.Stride+x0*4, y0*img.Stride+x1*4
	i01, i11 := y1*img.Stride+x0*4, y1*img.Stride+x1*4
	w00, w10, w01, w11 := (1-fx)*(1-fy), fx*(1-fy), (1-fx)*fy, fx*fy
	r = float64(p[i00])*w00 + float64(p[i10])*w10 + float64(p[i01])*w01 + float64(p[i11])*w11
	g = float64(p[i00+1])*w00 + float64(p[i10+1])*w10 + float64(p[i01+1])*w01 + float64(p[i11+1])*w11
	b = float64(p[i00+2])*w00 + float64(p[i10+2])*w10 + float64(p[i01+2])*w01 + float64(p[i11+2])*w11
	return r, g, b
}

func clampI(v, hi int) int {
	if v < 0 {
		return 0
	}
	if v > hi {
		return hi
	}
	return v
}

func clampU8(v float64) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// boxBlur approximates a Gaussian of the given sigma with three box passes
// in each direction, inside rect.
func (r *Renderer) boxBlur(dst *image.RGBA, rect image.Rectangle, sigma float64) {
	// Box radius for three passes: w = sqrt(12σ²/3 + 1).
	rad := int(math.Round((math.Sqrt(4*sigma*sigma+1) - 1) / 2))
	if rad < 1 {
		rad = 1
	}
	for range 3 {
		r.blurH(dst, rect, rad, rad)
		r.blurV(dst, rect, rad)
	}
}

// motionBlur smears rect horizontally over l pixels.
func (r *Renderer) motionBlur(dst *image.RGBA, rect image.Rectangle, l int) {
	r.blurH(dst, rect, l/2, l-l/2)
}

// blurH replaces each pixel by the mean of [x-left, x+right] on its row,
// clamping at rect's edges.
func (r *Renderer) blurH(dst *image.RGBA, rect image.Rectangle, left, right int) {
	n := rect.Dx()
	if n <= 1 {
		return
	}
	if cap(r.tmp) < n*4 {
		r.tmp = make([]uint8, n*4)
	}
	line := r.tmp[:n*4]
	win := left + right + 1
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		row := dst.Pix[y*dst.Stride+rect.Min.X*4 : y*dst.Stride+rect.Max.X*4]
		copy(line, row)
		for c := 0; c < 3; c++ {
			sum := 0
			for k := -left; k <= right; k++ {
				sum += int(line[clampI(k, n-1)*4+c])
			}
			for x := 0; x < n; x++ {
				row[x*4+c] = uint8(sum / win)
				sum += int(line[clampI(x+right+1, n-1)*4+c]) - int(line[clampI(x-left, n-1)*4+c])
			}
		}
	}
}

func (r *Renderer) blurV(dst *image.RGBA, rect image.Rectangle, rad int) {
	n := rect.Dy()
	if n <= 1 {
		return
	}
	w := rect.Dx()
	if cap(r.scratch) < w*4 {
		r.scratch = make([]uint32, w*4)
	}
	if cap(r.tmp) < n*w*4 {
		r.tmp = make([]uint8, n*w*4)
	}
	col := r.tmp[:n*w*4]
	for y := 0; y < n; y++ {
		copy(col[y*w*4:(y+1)*w*4], dst.Pix[(rect.Min.Y+y)*dst.Stride+rect.Min.X*4:])
	}
	sum := r.scratch[:w*4]
	win := uint32(2*rad + 1)
	for i := range sum {
		sum[i] = 0
	}
	for k := -rad; k <= rad; k++ {
		src := col[clampI(k, n-1)*w*4:]
		for i := range sum {
			sum[i] += uint32(src[i])
		}
	}
	for y := 0; y < n; y++ {
		out := dst.Pix[(rect.Min.Y+y)*dst.Stride+rect.Min.X*4 : (rect.Min.Y+y)*dst.Stride+rect.Max.X*4]
		add := col[clampI(y+rad+1, n-1)*w*4:]
		sub := col[clampI(y-rad, n-1)*w*4:]
		for i := range out {
			if i&3 != 3 {
				out[i] = uint8(sum[i] / win)
			}
			sum[i] += uint32(add[i]) - uint32(sub[i])
		}
	}
}

// exposure dims the frame and adds sensor noise, deterministically by seed
// and time.
func (r *Renderer) exposure(dst *image.RGBA, dark, noise float64, t time.Duration) {
	gain := 1 - 0.85*math.Max(0, math.Min(1, dark))
	var lut [256]int32
	for i := range lut {
		lut[i] = int32(float64(i)*gain*256 + 0.5)
	}
	s := uint64(r.seed)*0x9E3779B97F4A7C15 ^ uint64(t.Milliseconds()+1)*0xBF58476D1CE4E5B9
	if s == 0 {
		s = 1
	}
	// Sum of two uniforms in ±1 has σ = 1/√6; scale to noise grey levels.
	amp := int32(noise * math.Sqrt(6) * 256)
	pix := dst.Pix
	for i := 0; i+3 < len(pix); i += 4 {
		for c := 0; c < 3; c++ {
			v := lut[pix[i+c]]
			if amp != 0 {
				s ^= s << 13
				s ^= s >> 7
				s ^= s << 17
				a := int32(s&0xffff) - 0x8000
				b := int32(s>>16&0xffff) - 0x8000
				v += (a + b) / 2 * amp >> 15
			}
			v >>= 8
			if v < 0 {
				v = 0
			} else if v > 255 {
				v = 255
			}
			pix[i+c] = uint8(v)
		}
	}
}

// renderDesk draws a wooden desk top, deterministic by seed.
func renderDesk(w, h int, seed int64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	ph := float64(seed%997) * 0.37
	sc := 1280 / float64(w)
	for y := 0; y < h; y++ {
		fy := float64(y) * sc
		for x := 0; x < w; x++ {
			fx := float64(x) * sc
			grain := math.Sin((fy+14*math.Sin(fx*0.004+ph)+6*math.Sin(fx*0.013+2*ph))*0.09) * 0.5
			grain += math.Sin((fy+30*math.Sin(fx*0.002+ph))*0.021) * 0.35
			shade := 1 - 0.18*math.Abs(fx/1280-0.5) - 0.12*fy/720
			r := (132 + 18*grain) * shade
			g := (96 + 14*grain) * shade
			b := (66 + 10*grain) * shade
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = clampU8(r), clampU8(g), clampU8(b), 255
		}
	}
	return img
}
