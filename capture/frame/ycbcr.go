package frame

import (
	"encoding/binary"
	"image"
)

// YCbCrToRGBA converts a full-range (JFIF) YCbCr image, as image/jpeg
// decodes it, into dst, which must be at least src's size with its origin at
// (0,0). Chroma is taken from the sample covering each pixel.
func YCbCrToRGBA(dst *image.RGBA, src *image.YCbCr) error {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if dst.Rect.Min != (image.Point{}) || dst.Rect.Dx() < w || dst.Rect.Dy() < h {
		return ErrSize
	}
	t := &full
	r0 := src.Rect.Min
	for y := range h {
		yrow := src.Y[src.YOffset(r0.X, r0.Y+y):]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
		switch src.SubsampleRatio {
		case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
			ci := src.COffset(r0.X, r0.Y+y)
			cb, cr := src.Cb[ci:], src.Cr[ci:]
			ys := yrow[:w]
			n := yccRGBARowSIMD(d, ys, cb[:min(len(cb), (w+1)/2)], cr[:min(len(cr), (w+1)/2)])
			ys, d, cb, cr = ys[n:], d[n*4:], cb[n/2:], cr[n/2:]
			for len(ys) >= 2 && len(d) >= 8 && len(cb) >= 1 && len(cr) >= 1 {
				u, v := cb[0], cr[0]
				binary.LittleEndian.PutUint64(d, rgba2(t.y[ys[0]], t.y[ys[1]], t.rv[v], t.gu[u]+t.gv[v], t.bu[u]))
				ys, d, cb, cr = ys[2:], d[8:], cb[1:], cr[1:]
			}
			if len(ys) == 1 && len(d) >= 4 && len(cb) >= 1 && len(cr) >= 1 {
				u, v := cb[0], cr[0]
				binary.LittleEndian.PutUint32(d, rgba1(t.y[ys[0]], t.rv[v], t.gu[u]+t.gv[v], t.bu[u]))
			}
		default:
			for x := range w {
				ci := src.COffset(r0.X+x, r0.Y+y)
				u, v := src.Cb[ci], src.Cr[ci]
				binary.LittleEndian.PutUint32(d[x*4:], rgba1(t.y[yrow[x]], t.rv[v], t.gu[u]+t.gv[v], t.bu[u]))
			}
		}
	}
	return nil
}

// RGBAToPreview halves src into dst by averaging 2×2 blocks; dst must be at
// least half src's size with its origin at (0,0).
func RGBAToPreview(dst, src *image.RGBA) error {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	pw, ph := w/2, h/2
	if dst.Rect.Min != (image.Point{}) || dst.Rect.Dx() < pw || dst.Rect.Dy() < ph {
		return ErrSize
	}
	for y := range ph {
		a := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+2*y):][:pw*8]
		b := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+2*y+1):][:pw*8]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+pw*4]
		for len(a) >= 8 && len(b) >= 8 && len(d) >= 4 {
			for c := range 4 {
				d[c] = uint8((uint32(a[c]) + uint32(a[c+4]) + uint32(b[c]) + uint32(b[c+4]) + 2) >> 2)
			}
			a, b, d = a[8:], b[8:], d[4:]
		}
	}
	return nil
}

// RGBALuma computes BT.601 luma of src into dst (same size, origin (0,0)).
func RGBALuma(dst *image.Gray, src *image.RGBA) error {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if dst.Rect.Min != (image.Point{}) || dst.Rect.Dx() < w || dst.Rect.Dy() < h {
		return ErrSize
	}
	for y := range h {
		s := src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y):][:w*4]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		for len(s) >= 4 && len(d) >= 1 {
			// Same weights as color.RGBToYCbCr.
			d[0] = uint8((19595*uint32(s[0]) + 38470*uint32(s[1]) + 7471*uint32(s[2]) + 1<<15) >> 16)
			s, d = s[4:], d[1:]
		}
	}
	return nil
}
