package idscan

import (
	"image"
	"math"
)

// gray is a tightly packed 8-bit plane (stride == w).
type gray struct {
	pix  []uint8
	w, h int
	mean float64
}

// reduce area-averages region of y into an.a, width min(width, region
// width), height in proportion. Boxes are 1–n pixels wide so that every
// source pixel counts once; the division uses 16-bit fixed-point
// reciprocals.
func (an *Analyzer) reduce(y *image.Gray, region image.Rectangle, width int) {
	rw, rh := region.Dx(), region.Dy()
	w := min(width, rw)
	h := max(1, int(math.Round(float64(rh)*float64(w)/float64(rw))))
	if h > rh {
		h = rh
	}
	a := &an.a
	a.w, a.h = w, h
	if cap(a.pix) < w*h {
		a.pix = make([]uint8, w*h)
	}
	a.pix = a.pix[:w*h]
	an.xb = bounds(an.xb, region.Min.X-y.Rect.Min.X, rw, w)
	an.yb = bounds(an.yb, region.Min.Y-y.Rect.Min.Y, rh, h)
	if cap(an.acc) < w {
		an.acc = make([]uint32, w)
	}
	acc := an.acc[:w]
	maxBox := ((rw+w-1)/w + 1) * ((rh+h-1)/h + 1)
	if len(an.recip) <= maxBox {
		an.recip = make([]uint32, maxBox+1)
		for n := 1; n <= maxBox; n++ {
			an.recip[n] = uint32((1<<16 + n/2) / n)
		}
	}
	xb, yb, recip := an.xb, an.yb, an.recip
	// col maps each source column of the region to its box.
	if cap(an.col) < rw {
		an.col = make([]uint16, rw)
	}
	an.col = an.col[:rw]
	for ox := 0; ox < w; ox++ {
		for x := xb[ox]; x < xb[ox+1]; x++ {
			an.col[x-xb[0]] = uint16(ox)
		}
	}
	var sum uint64
	// Boxes four or more rows tall use every other row: half the memory
	// reads for the same low-pass in practice.
	step := 1
	if rh/h >= 4 {
		step = 2
	}
	for oy := 0; oy < h; oy++ {
		clear(acc)
		y0, y1 := yb[oy], yb[oy+1]
		for sy := y0; sy < y1; sy += step {
			row := y.Pix[sy*y.Stride+xb[0] : sy*y.Stride+xb[w]]
			col := an.col[:len(row)]
			for x, v := range row {
				acc[col[x]] += uint32(v)
			}
		}
		out := a.pix[oy*w : oy*w+w]
		ny := (y1 - y0 + step - 1) / step
		for ox := range out {
			n := (xb[ox+1] - xb[ox]) * ny
			v := (acc[ox]*recip[n] + 1<<15) >> 16
			out[ox] = uint8(v)
			sum += uint64(v)
		}
	}
	a.mean = float64(sum) / float64(w*h)
}

// bounds fills b with n+1 box boundaries splitting [off, off+length).
func bounds(b []int, off, length, n int) []int {
	if cap(b) < n+1 {
		b = make([]int, n+1)
	}
	b = b[:n+1]
	for i := 0; i <= n; i++ {
		b[i] = off + i*length/n
	}
	return b
}

// lumaStats returns the mean luma of r in the analysis plane (saturated
// pixels left out unless they are everywhere), the share of
// saturated pixels and the worst share in one cell of the glare grid.
func (an *Analyzer) lumaStats(r image.Rectangle) (mean, share, worstCell float64) {
	a := &an.a
	n := an.t.GlareGrid
	level := an.t.GlareLevel
	var total, sat, all uint64
	hot := 0
	for cy := 0; cy < n; cy++ {
		y0 := r.Min.Y + cy*r.Dy()/n
		y1 := r.Min.Y + (cy+1)*r.Dy()/n
		for cx := 0; cx < n; cx++ {
			x0 := r.Min.X + cx*r.Dx()/n
			x1 := r.Min.X + (cx+1)*r.Dx()/n
			var cs, ct, ca uint32
			for yy := y0; yy < y1; yy++ {
				for _, v := range a.pix[yy*a.w+x0 : yy*a.w+x1] {
					ca += uint32(v)
					if v >= level {
						cs++
					} else {
						ct += uint32(v)
					}
				}
			}
			if cells := (y1 - y0) * (x1 - x0); cells > 0 {
				f := float64(cs) / float64(cells)
				worstCell = math.Max(worstCell, f)
				if f > an.t.MaxGlareCell {
					hot++
				}
			}
			total += uint64(ct)
			all += uint64(ca)
			sat += uint64(cs)
		}
	}
	// A reflection is not a bright scene: the mean leaves saturated pixels
	// out, so that glare is reported as glare, not as too much light —
	// unless saturation is everywhere (three cells in four), which is.
	cnt := float64(r.Dx() * r.Dy())
	share = float64(sat) / cnt
	if float64(sat) >= cnt || 4*hot >= 3*n*n {
		return float64(all) / cnt, share, worstCell
	}
	return float64(total) / (cnt - float64(sat)), share, worstCell
}

// laplacianVariance is the variance of the 4-neighbour Laplacian
// [0 1 0; 1 -4 1; 0 1 0] over the inside of r.
func laplacianVariance(a *gray, r image.Rectangle) float64 {
	r = r.Intersect(image.Rect(1, 1, a.w-1, a.h-1))
	if r.Empty() {
		return 0
	}
	var sum, sq int64
	w := a.w
	for y := r.Min.Y; y < r.Max.Y; y++ {
		up := a.pix[(y-1)*w : y*w]
		mid := a.pix[y*w : (y+1)*w]
		dn := a.pix[(y+1)*w : (y+2)*w]
		var s, q int64
		for x := r.Min.X; x < r.Max.X; x++ {
			l := int64(up[x]) + int64(dn[x]) + int64(mid[x-1]) + int64(mid[x+1]) - 4*int64(mid[x])
			s += l
			q += l * l
		}
		sum += s
		sq += q
	}
	n := float64(r.Dx() * r.Dy())
	m := float64(sum) / n
	return float64(sq)/n - m*m
}

// thumbW is the steadiness thumbnail's width.
const thumbW = 32

// motion builds the thumbnail of the analysis plane and returns its mean
// absolute difference from the previous one, or -1 when there is none (or
// the sizes differ).
func (an *Analyzer) motion() float64 {
	a := &an.a
	tw := min(thumbW, a.w)
	th := max(1, a.h*tw/a.w)
	n := tw * th
	if cap(an.thumb) < n {
		an.thumb = make([]float32, n)
	}
	same := an.hasPrev && len(an.prev) == n
	thumb := an.thumb[:n]
	for ty := 0; ty < th; ty++ {
		y0, y1 := ty*a.h/th, (ty+1)*a.h/th
		for tx := 0; tx < tw; tx++ {
			x0, x1 := tx*a.w/tw, (tx+1)*a.w/tw
			var s uint32
			for yy := y0; yy < y1; yy++ {
				for _, v := range a.pix[yy*a.w+x0 : yy*a.w+x1] {
					s += uint32(v)
				}
			}
			thumb[ty*tw+tx] = float32(s) / float32((y1-y0)*(x1-x0))
		}
	}
	d := -1.0
	if same {
		var sum float64
		for i, v := range thumb {
			sum += math.Abs(float64(v - an.prev[i]))
		}
		d = sum / float64(n)
	}
	an.thumb, an.prev = an.prev, thumb
	an.hasPrev = true
	return d
}
