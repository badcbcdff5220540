package frame

import (
	"encoding/binary"
	"image"
	"math"
)

// Fixed-point look-up tables for BT.601. Each table entry is the channel
// contribution in quarter grey levels, offset so that the sum of the
// contributions indexes clip directly: errors stay below one grey level, well
// inside the ±2 a reference converter allows.
const (
	clipBits   = 12
	clipSize   = 1 << clipBits
	clipMask   = clipSize - 1
	clipOffset = 1536 // quarter levels below zero that clip covers
)

type yuvTables struct {
	y, rv, gu, gv, bu [256]int32
	// Packed lanes for the fast paths: bits 0–15 R, 16–31 G, 32–47 B, each
	// a biased quarter-level value whose sum over py+pu+pv indexes clip.
	py, pu, pv [256]uint64
}

var (
	// clip maps an offset quarter-level sum to 0…255 with rounding.
	clip [clipSize]uint8
	// clipR, clipG and clipB are clip shifted into an RGBA word's bytes
	// (clipB also sets alpha), so a pixel is three loads and two ORs.
	clipR, clipG, clipB [clipSize]uint32
	// limited is BT.601 with limited range (Y 16–235, C 16–240): V4L2 YUYV.
	limited yuvTables
	// full is BT.601 with full range (JFIF): JPEG's YCbCr.
	full yuvTables
)

func init() {
	for i := range clip {
		v := math.Round(float64(i-clipOffset) / 4)
		clip[i] = uint8(max(0, min(255, v)))
		clipR[i], clipG[i], clipB[i] = uint32(clip[i]), uint32(clip[i])<<8, uint32(clip[i])<<16|0xff<<24
	}
	build := func(t *yuvTables, ys, yo, cs float64) {
		for i := range 256 {
			c := (float64(i) - 128) * cs
			t.y[i] = int32(math.Round(4*ys*(float64(i)-yo))) + clipOffset
			t.rv[i] = int32(math.Round(4 * 1.402 * c))
			t.gu[i] = int32(math.Round(-4 * 0.344136 * c))
			t.gv[i] = int32(math.Round(-4 * 0.714136 * c))
			t.bu[i] = int32(math.Round(4 * 1.772 * c))
		}
	}
	pack := func(t *yuvTables) {
		// The chroma tables carry the clip offset minus yBias, split so no
		// lane ever goes negative (|contributions| < 1100 quarter levels).
		const yBias = 128
		c := int64(clipOffset - yBias)
		for i := range 256 {
			yq := uint64(int64(t.y[i]) - clipOffset + yBias)
			t.py[i] = yq | yq<<16 | yq<<32
			t.pu[i] = uint64(c/2+int64(t.gu[i]))<<16 | uint64(c+int64(t.bu[i]))<<32
			t.pv[i] = uint64(c+int64(t.rv[i])) | uint64(c-c/2+int64(t.gv[i]))<<16
		}
	}
	defer pack(&limited)
	defer pack(&full)
	// Limited range: Y scaled by 255/219, chroma by 255/224.
	build(&limited, 255.0/219, 16, 255.0/224)
	build(&full, 1, 0, 1)
}

func rgba2(y0, y1, r, g, b int32) uint64 {
	return uint64(clip[(y0+r)&clipMask]) | uint64(clip[(y0+g)&clipMask])<<8 |
		uint64(clip[(y0+b)&clipMask])<<16 | 0xff<<24 |
		uint64(clip[(y1+r)&clipMask])<<32 | uint64(clip[(y1+g)&clipMask])<<40 |
		uint64(clip[(y1+b)&clipMask])<<48 | 0xff<<56
}

func rgba1(y, r, g, b int32) uint32 {
	return uint32(clip[(y+r)&clipMask]) | uint32(clip[(y+g)&clipMask])<<8 |
		uint32(clip[(y+b)&clipMask])<<16 | 0xff<<24
}

// packed turns three lanes into an RGBA word.
func packed(p uint64) uint64 {
	return uint64(clipR[p&clipMask] | clipG[p>>16&clipMask] | clipB[p>>32&clipMask])
}

// checkYUYV validates a packed YUYV buffer of w×h.
func checkYUYV(src []byte, w, h int) error {
	if w <= 0 || h <= 0 || w%2 != 0 || w > maxSide || h > maxSide {
		return ErrSize
	}
	if len(src) != w*h*2 {
		return ErrSize
	}
	return nil
}

// checkYUYVInto is checkYUYV for a conversion into dst, which must be at
// least dw×dh with its origin at (0,0).
func checkYUYVInto(dst image.Rectangle, dw, dh int, src []byte, w, h int) error {
	if err := checkYUYV(src, w, h); err != nil {
		return err
	}
	if dst.Min != (image.Point{}) || dst.Dx() < dw || dst.Dy() < dh {
		return ErrSize
	}
	return nil
}

// YUYVToRGBA converts a packed YUYV 4:2:2 frame (Y0 U Y1 V, limited-range
// BT.601, no row padding) of w×h into dst, which must be at least w×h with
// its origin at (0,0). Each pair of pixels shares its chroma.
func YUYVToRGBA(dst *image.RGBA, src []byte, w, h int) error {
	if err := checkYUYVInto(dst.Rect, w, h, src, w, h); err != nil {
		return err
	}
	for y := range h {
		s := src[y*w*2 : y*w*2+w*2]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+w*4]
		n := rgbaRowSIMD(d, s) // pixels done by SIMD, a multiple of 8
		rgbaRow(d[n*4:], s[n*2:])
	}
	return nil
}

// rgbaRow converts one row of YUYV to RGBA.
func rgbaRow(d, s []byte) {
	t := &limited
	for len(s) >= 4 && len(d) >= 8 {
		c := t.pu[s[1]] + t.pv[s[3]]
		p0 := t.py[s[0]] + c
		p1 := t.py[s[2]] + c
		binary.LittleEndian.PutUint64(d, packed(p0)|packed(p1)<<32)
		s, d = s[4:], d[8:]
	}
}

// YUYVToPreview converts a YUYV frame of w×h into dst at half size
// ((w/2)×(h/2)) in one pass over the source: each output pixel is the
// average of a horizontal pixel pair with its shared chroma, from every
// other row. dst must be at least that size with its
// origin at (0,0).
func YUYVToPreview(dst *image.RGBA, src []byte, w, h int) error {
	pw, ph := w/2, h/2
	if err := checkYUYVInto(dst.Rect, pw, ph, src, w, h); err != nil {
		return err
	}
	for y := range ph {
		// Only the top row of each pair is read: half the memory traffic,
		// and a preview does not need the vertical average.
		a := src[2*y*w*2 : 2*y*w*2+pw*4]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+pw*4]
		n := previewRowSIMD(d, a) // output pixels done by SIMD
		previewRow(d[n*4:], a[n*4:])
	}
	return nil
}

// previewRow converts one row of YUYV quads (Y0 U Y1 V) to one RGBA pixel
// each.
func previewRow(d, a []byte) {
	t := &limited
	for len(a) >= 4 && len(d) >= 4 {
		yy := (uint32(a[0]) + uint32(a[2]) + 1) >> 1
		p := t.py[uint8(yy)] + t.pu[a[1]] + t.pv[a[3]]
		binary.LittleEndian.PutUint32(d, uint32(packed(p)))
		a, d = a[4:], d[4:]
	}
}

// YUYVLuma copies the Y samples of a YUYV frame of w×h into dst, which must
// be at least w×h with its origin at (0,0).
func YUYVLuma(dst *image.Gray, src []byte, w, h int) error {
	if err := checkYUYVInto(dst.Rect, w, h, src, w, h); err != nil {
		return err
	}
	for y := range h {
		s := src[y*w*2 : y*w*2+w*2]
		d := dst.Pix[y*dst.Stride : y*dst.Stride+w]
		n := lumaRowSIMD(d, s)
		s, d = s[2*n:], d[n:]
		for len(s) >= 8 && len(d) >= 4 {
			q := binary.LittleEndian.Uint64(s)
			binary.LittleEndian.PutUint32(d, uint32(q&0xff|q>>8&0xff00|q>>16&0xff0000|q>>24&0xff000000))
			s, d = s[8:], d[4:]
		}
		for len(s) >= 2 && len(d) >= 1 {
			d[0] = s[0]
			s, d = s[2:], d[1:]
		}
	}
	return nil
}

// yuyvHalfLuma fills dst ((w/2)×(h/2), origin (0,0)) with the luma the
// preview is made from: each pixel is a horizontal pair of an even row of
// the w-wide YUYV frame src, averaged (as YUYVToPreview).
func yuyvHalfLuma(dst *image.Gray, src []byte, w int) {
	pw, ph := dst.Rect.Dx(), dst.Rect.Dy()
	for y := range ph {
		s := src[2*y*w*2:][:pw*4]
		d := dst.Pix[y*dst.Stride:][:pw]
		for x := range d {
			d[x] = uint8((uint32(s[4*x]) + uint32(s[4*x+2]) + 1) >> 1)
		}
	}
}
