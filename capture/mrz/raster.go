package mrz

import (
	"image"
	"image/color"
	"sync"
)

// raster is a grayscale image as float32 (0 black … 255 white).
type raster struct {
	w, h int
	p    []float32
}

// newRaster returns a w × h raster whose pixels the caller sets, every
// one: its buffer may come from rasterPool.
func newRaster(w, h int) *raster {
	if b, ok := rasterPool.Get().(*[]float32); ok && cap(*b) >= w*h {
		return &raster{w: w, h: h, p: (*b)[:w*h]}
	}
	return &raster{w: w, h: h, p: make([]float32, w*h)}
}

// rasterPool holds the pixel buffers of rasters a Read is done with: a
// camera's frames are all one size, and a 1080p frame's gray alone is 8 MB.
var rasterPool sync.Pool

// release hands r's buffer back to rasterPool; r must not be used again.
func (r *raster) release() {
	if r != nil && r.p != nil {
		p := r.p
		r.p = nil
		rasterPool.Put(&p)
	}
}

// toRaster converts img to gray, fast for the decoders' own types.
func toRaster(img image.Image) *raster {
	b := img.Bounds()
	r := newRaster(b.Dx(), b.Dy())
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < r.h; y++ {
			row := m.Y[(y+b.Min.Y-m.Rect.Min.Y)*m.YStride+(b.Min.X-m.Rect.Min.X):]
			for x := 0; x < r.w; x++ {
				r.p[y*r.w+x] = float32(row[x])
			}
		}
	case *image.Gray:
		for y := 0; y < r.h; y++ {
			row := m.Pix[(y+b.Min.Y-m.Rect.Min.Y)*m.Stride+(b.Min.X-m.Rect.Min.X):]
			for x := 0; x < r.w; x++ {
				r.p[y*r.w+x] = float32(row[x])
			}
		}
	case *image.RGBA:
		for y := 0; y < r.h; y++ {
			row := m.Pix[(y+b.Min.Y-m.Rect.Min.Y)*m.Stride+4*(b.Min.X-m.Rect.Min.X):]
			for x := 0; x < r.w; x++ {
				r.p[y*r.w+x] = 0.299*float32(row[4*x]) + 0.587*float32(row[4*x+1]) + 0.114*float32(row[4*x+2])
			}
		}
	case *image.NRGBA:
		for y := 0; y < r.h; y++ {
			row := m.Pix[(y+b.Min.Y-m.Rect.Min.Y)*m.Stride+4*(b.Min.X-m.Rect.Min.X):]
			for x := 0; x < r.w; x++ {
				a := float32(row[4*x+3]) / 255
				g := 0.299*float32(row[4*x]) + 0.587*float32(row[4*x+1]) + 0.114*float32(row[4*x+2])
				r.p[y*r.w+x] = g*a + 255*(1-a) // transparent counts as white paper
			}
		}
	default:
		for y := 0; y < r.h; y++ {
			for x := 0; x < r.w; x++ {
				c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
				a := float32(c.A) / 255
				g := 0.299*float32(c.R) + 0.587*float32(c.G) + 0.114*float32(c.B)
				r.p[y*r.w+x] = g*a + 255*(1-a)
			}
		}
	}
	return r
}

// at samples bilinearly; outside the image it returns white.
func (r *raster) at(x, y float64) float32 {
	if x < 0 || y < 0 || x > float64(r.w-1) || y > float64(r.h-1) {
		return 255
	}
	x0, y0 := int(x), int(y)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	x1, y1 := min(x0+1, r.w-1), min(y0+1, r.h-1)
	a := r.p[y0*r.w+x0]*(1-fx) + r.p[y0*r.w+x1]*fx
	b := r.p[y1*r.w+x0]*(1-fx) + r.p[y1*r.w+x1]*fx
	return a*(1-fy) + b*fy
}

// scaled returns r resized by factor k: box-filtered when shrinking,
// bilinear when growing.
func (r *raster) scaled(k float64) *raster {
	w, h := max(1, int(float64(r.w)*k)), max(1, int(float64(r.h)*k))
	out := newRaster(w, h)
	if k >= 1 {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.p[y*w+x] = r.at((float64(x)+0.5)/k-0.5, (float64(y)+0.5)/k-0.5)
			}
		}
		return out
	}
	inv := 1 / k
	// Every output column's span of input columns, worked out once; the
	// sums run row by row, adding each pixel in the order a pixel-by-pixel
	// loop would.
	sx := make([]int, 2*w)
	for x := 0; x < w; x++ {
		sx0, sx1 := int(float64(x)*inv), min(r.w, int(float64(x+1)*inv))
		if sx1 <= sx0 {
			sx1 = sx0 + 1
		}
		sx[2*x], sx[2*x+1] = sx0, sx1
	}
	for y := 0; y < h; y++ {
		sy0, sy1 := int(float64(y)*inv), min(r.h, int(float64(y+1)*inv))
		if sy1 <= sy0 {
			sy1 = sy0 + 1
		}
		o := out.p[y*w : (y+1)*w]
		clear(o)
		for yy := sy0; yy < sy1; yy++ {
			row := r.p[yy*r.w : (yy+1)*r.w]
			for x := range o {
				s := o[x]
				for _, v := range row[sx[2*x]:sx[2*x+1]] {
					s += v
				}
				o[x] = s
			}
		}
		rows := sy1 - sy0
		for x := range o {
			o[x] /= float32(rows * (sx[2*x+1] - sx[2*x]))
		}
	}
	return out
}

// rotated90 returns r turned a quarter clockwise.
func (r *raster) rotated90() *raster {
	out := newRaster(r.h, r.w)
	for y := 0; y < r.h; y++ {
		for x := 0; x < r.w; x++ {
			// (x, y) → (h-1-y, x)
			out.p[x*out.w+(r.h-1-y)] = r.p[y*r.w+x]
		}
	}
	return out
}

// binarise marks pixels darker than their neighbourhood (window win) by a
// margin: dark print on a lighter, possibly uneven, background. The
// neighbourhood's sum slides: column sums over the window's rows, then a
// running sum along each row (the window is cut short at the edges).
func (r *raster) binarise(win int) []bool {
	w, h := r.w, r.h
	half := win / 2
	col := make([]float64, w)
	for y := 0; y < min(h, half); y++ {
		for x, v := range r.p[y*w : (y+1)*w] {
			col[x] += float64(v)
		}
	}
	out := make([]bool, w*h)
	for y := 0; y < h; y++ {
		// col holds rows y-half … y+half (within the image).
		if yy := y + half; yy < h {
			for x, v := range r.p[yy*w : (yy+1)*w] {
				col[x] += float64(v)
			}
		}
		if yy := y - half - 1; yy >= 0 {
			for x, v := range r.p[yy*w : (yy+1)*w] {
				col[x] -= float64(v)
			}
		}
		rows := float64(min(h, y+half+1) - max(0, y-half))
		var s float64
		for x := 0; x < min(w, half); x++ {
			s += col[x]
		}
		row := r.p[y*w : (y+1)*w]
		o := out[y*w : (y+1)*w]
		dark := func(x int, s float64) bool {
			mean := float32(s / (rows * float64(min(w, x+half+1)-max(0, x-half))))
			return row[x] < mean-(6+0.12*mean)
		}
		// Left edge, where the window grows; the middle, where it slides
		// whole; the right edge, where it shrinks.
		x := 0
		for ; x < w && x <= half; x++ {
			if x+half < w {
				s += col[x+half]
			}
			o[x] = dark(x, s)
		}
		inv := 1 / (rows * float64(2*half+1))
		for ; x+half < w; x++ {
			s += col[x+half] - col[x-half-1]
			mean := float32(s * inv)
			o[x] = row[x] < mean-(6+0.12*mean)
		}
		for ; x < w; x++ {
			s -= col[x-half-1]
			o[x] = dark(x, s)
		}
	}
	return out
}

// comp is a connected component of the binary image.
type comp struct {
	x0, y0, x1, y1 int // bounding box, x1 and y1 exclusive
	n              int
	cx, cy         float64
}

func (c *comp) w() int { return c.x1 - c.x0 }
func (c *comp) h() int { return c.y1 - c.y0 }

// components labels 8-connected foreground regions.
func components(bin []bool, w, h int) []comp {
	seen := make([]bool, len(bin))
	var out []comp
	stack := make([]int, 0, 1024)
	for i, fg := range bin {
		if !fg || seen[i] {
			continue
		}
		c := comp{x0: w, y0: h}
		var sx, sy float64
		stack = append(stack[:0], i)
		seen[i] = true
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%w, p/w
			c.n++
			sx += float64(x)
			sy += float64(y)
			c.x0, c.x1 = min(c.x0, x), max(c.x1, x+1)
			c.y0, c.y1 = min(c.y0, y), max(c.y1, y+1)
			for dy := -1; dy <= 1; dy++ {
				yy := y + dy
				if yy < 0 || yy >= h {
					continue
				}
				for dx := -1; dx <= 1; dx++ {
					xx := x + dx
					if xx < 0 || xx >= w {
						continue
					}
					q := yy*w + xx
					if bin[q] && !seen[q] {
						seen[q] = true
						stack = append(stack, q)
					}
				}
			}
		}
		c.cx, c.cy = float64(c.x0+c.x1)/2, float64(c.y0+c.y1)/2
		out = append(out, c)
	}
	return out
}
