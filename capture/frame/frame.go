// Package frame holds camera frames and converts them: packed YUYV 4:2:2
// (V4L2) and MJPEG to RGBA at full size and to a half-size preview, with the
// luma plane available without any RGB conversion.
//
// # Frames and ownership
//
// A [Frame] comes from a [Pool] and is recycled through it, so a steady
// stream allocates nothing per frame (MJPEG frames are decoded by
// libjpeg-turbo into the frame's own buffers). Whoever receives a frame owns one reference
// and must call [Frame.Release] exactly once when done; after that the frame
// and every image it returned (Luma, Preview, Full) may be overwritten by the
// next frame at any time. To hand a frame to another goroutine as well, call
// [Frame.Retain] first; each holder then releases its own reference. Holding
// a frame never holds a camera buffer: the V4L2 buffer is copied into the
// frame and re-queued before the frame is delivered.
//
// A frame's images are read-only for everybody. Luma, PreviewLuma and Full
// are computed on first use and cached; they are safe to call from several
// goroutines holding references.
//
// # Images
//
//   - [Frame.Preview]: half size *image.RGBA, made when the frame is built,
//     in one pass over the source. For MJPEG it comes from a 1/2-scale
//     decode (scaled inside libjpeg-turbo's IDCT), which is all the
//     per-frame work of an MJPEG stream.
//   - [Frame.PreviewLuma]: luma at the preview's size, for the live checks.
//     For MJPEG it is the 1/2-scale decode's Y plane (no copy).
//   - [Frame.Luma]: the full-resolution Y plane as *image.Gray, for a check
//     that needs full resolution. For MJPEG the first call decodes the frame
//     at full size (kept for Full); for YUYV the Y samples are gathered on
//     first use (a copy, no colour conversion: YUYV interleaves chroma, so a
//     Gray cannot alias it).
//   - [Frame.Full]: full-size *image.RGBA for stills, converted on first use.
//
// Conversions use BT.601: limited range for YUYV (as V4L2 cameras and
// ffmpeg's yuyv422 assume), full range for JPEG (JFIF).
package frame

import (
	"errors"
	"image"
	"sync"
	"sync/atomic"
	"time"
)

// Errors.
var (
	// ErrSize is returned for a frame whose size or buffer length is
	// inconsistent or larger than 8192 px on a side.
	ErrSize = errors.New("frame: bad frame size")
	// ErrBadJPEG is returned for bytes that do not decode as a JPEG.
	ErrBadJPEG = errors.New("frame: bad JPEG")
)

const maxSide = 8192

// Format is the pixel format a frame was made from.
type Format uint8

// Source formats.
const (
	FormatYUYV Format = iota + 1
	FormatMJPEG
	FormatRGBA
)

// String returns the V4L2-style name of f.
func (f Format) String() string {
	switch f {
	case FormatYUYV:
		return "YUYV"
	case FormatMJPEG:
		return "MJPG"
	case FormatRGBA:
		return "RGBA"
	}
	return "unknown"
}

// Frame is one captured frame. See the package doc for who owns it.
type Frame struct {
	// Seq numbers frames from one camera from 1; gaps are dropped frames.
	Seq uint64
	// Time is when the frame was captured.
	Time time.Time
	// Format is the source format.
	Format Format

	w, h int
	pool *Pool
	refs atomic.Int32

	raw      []byte      // YUYV copy
	jpg      []byte      // MJPEG copy, for a full-size decode
	half     image.YCbCr // MJPEG 1/2-scale decode
	halfView image.YCbCr // half cropped to the preview's size
	preview  image.RGBA

	mu       sync.Mutex
	full     image.RGBA
	fullOK   bool
	luma     image.Gray
	lumaOK   bool
	lumaView image.Gray  // MJPEG: aliases ycc.Y
	ycc      image.YCbCr // MJPEG full-size decode, on first use
	yccOK    bool

	halfLuma     image.Gray // PreviewLuma of YUYV and RGBA frames
	halfLumaOK   bool
	halfLumaView image.Gray // MJPEG: aliases half.Y
}

// Size returns the full-resolution size.
func (f *Frame) Size() (w, h int) { return f.w, f.h }

// Bounds returns the full-resolution rectangle, origin (0,0).
func (f *Frame) Bounds() image.Rectangle { return image.Rect(0, 0, f.w, f.h) }

// Preview returns the half-size preview.
func (f *Frame) Preview() *image.RGBA { return &f.preview }

// PreviewLuma returns luma at the preview's size (half the frame's, rounded
// down), for the live checks: the card's outline it yields is in preview
// coordinates.
func (f *Frame) PreviewLuma() *image.Gray {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Format == FormatMJPEG {
		return &f.halfLumaView
	}
	if !f.halfLumaOK {
		switch f.Format {
		case FormatYUYV:
			sizeGray(&f.halfLuma, f.w/2, f.h/2)
			yuyvHalfLuma(&f.halfLuma, f.raw, f.w)
		case FormatRGBA:
			sizeGray(&f.halfLuma, f.preview.Rect.Dx(), f.preview.Rect.Dy())
			_ = RGBALuma(&f.halfLuma, &f.preview)
		}
		f.halfLumaOK = true
	}
	return &f.halfLuma
}

// Luma returns the full-resolution luma plane.
func (f *Frame) Luma() *image.Gray {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lumaOK {
		if f.Format == FormatMJPEG {
			return &f.lumaView
		}
		return &f.luma
	}
	switch f.Format {
	case FormatMJPEG:
		ycc := f.fullYCbCr()
		f.lumaView = image.Gray{Pix: ycc.Y, Stride: ycc.YStride, Rect: image.Rect(0, 0, f.w, f.h)}
		f.lumaOK = true
		return &f.lumaView
	case FormatYUYV:
		sizeGray(&f.luma, f.w, f.h)
		_ = YUYVLuma(&f.luma, f.raw, f.w, f.h)
	case FormatRGBA:
		sizeGray(&f.luma, f.w, f.h)
		_ = RGBALuma(&f.luma, &f.full)
	}
	f.lumaOK = true
	return &f.luma
}

// Full returns the full-resolution image.
func (f *Frame) Full() *image.RGBA {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.fullOK {
		sizeRGBA(&f.full, f.w, f.h)
		switch f.Format {
		case FormatYUYV:
			_ = YUYVToRGBA(&f.full, f.raw, f.w, f.h)
		case FormatMJPEG:
			_ = YCbCrToRGBA(&f.full, f.fullYCbCr())
		}
		f.fullOK = true
	}
	return &f.full
}

// Retain adds a reference for another holder, who must Release it.
func (f *Frame) Retain() { f.refs.Add(1) }

// Release drops the caller's reference; the last one returns the frame to
// its pool.
func (f *Frame) Release() {
	if f.refs.Add(-1) == 0 && f.pool != nil {
		f.pool.put(f)
	}
}

// Pool recycles frames and their buffers. It is safe for concurrent use.
type Pool struct {
	mu   sync.Mutex
	free []*Frame
	max  int
}

// NewPool returns a pool that keeps up to max released frames (at least 1).
// A camera needs one more than the number of frames its consumers hold at
// once; 4 suits a preview plus one analyser.
func NewPool(max int) *Pool {
	if max < 1 {
		max = 1
	}
	return &Pool{max: max}
}

func (p *Pool) get(format Format, w, h int) *Frame {
	p.mu.Lock()
	var f *Frame
	if n := len(p.free); n > 0 {
		f = p.free[n-1]
		p.free[n-1] = nil
		p.free = p.free[:n-1]
	}
	p.mu.Unlock()
	if f == nil {
		f = &Frame{pool: p}
	}
	f.refs.Store(1)
	f.Format, f.w, f.h = format, w, h
	f.Seq, f.Time = 0, time.Time{}
	f.fullOK, f.lumaOK, f.yccOK, f.halfLumaOK = false, false, false, false
	sizeRGBA(&f.preview, w/2, h/2)
	return f
}

func (p *Pool) put(f *Frame) {
	f.lumaView, f.halfLumaView = image.Gray{}, image.Gray{}
	p.mu.Lock()
	if len(p.free) < p.max {
		p.free = append(p.free, f)
	}
	p.mu.Unlock()
}

// FromYUYV builds a frame from a packed YUYV buffer of w×h (len w*h*2, no
// padding). src is copied; the caller may reuse it as soon as this returns.
func (p *Pool) FromYUYV(src []byte, w, h int) (*Frame, error) {
	if err := checkYUYV(src, w, h); err != nil {
		return nil, err
	}
	f := p.get(FormatYUYV, w, h)
	if cap(f.raw) < len(src) {
		f.raw = make([]byte, len(src))
	}
	f.raw = f.raw[:len(src)]
	copy(f.raw, src)
	_ = YUYVToPreview(&f.preview, f.raw, w, h)
	return f, nil
}

// FromJPEG builds a frame from one MJPEG frame (with or without Huffman
// tables): it decodes it at 1/2 scale for the preview and the live checks
// and keeps a copy of src for a full-size decode on demand. src is not
// retained. A corrupt or truncated frame returns ErrBadJPEG.
func (p *Pool) FromJPEG(src []byte) (*Frame, error) {
	f := p.get(FormatMJPEG, 0, 0)
	if err := f.decodeHalf(src); err != nil {
		f.Release()
		return nil, err
	}
	return f, nil
}

// FromRGBA builds a frame from an RGBA image (the synthetic camera). src is
// copied.
func (p *Pool) FromRGBA(src *image.RGBA) (*Frame, error) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if w <= 0 || h <= 0 || w > maxSide || h > maxSide {
		return nil, ErrSize
	}
	f := p.get(FormatRGBA, w, h)
	sizeRGBA(&f.full, w, h)
	for y := range h {
		copy(f.full.Pix[y*f.full.Stride:y*f.full.Stride+w*4], src.Pix[src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+y):])
	}
	f.fullOK = true
	_ = RGBAToPreview(&f.preview, &f.full)
	return f, nil
}

// DrawRGBA builds a w×h frame by letting draw paint its full-resolution
// image in place (the synthetic camera renders straight into the frame),
// then makes the preview. draw must not keep img.
func (p *Pool) DrawRGBA(w, h int, draw func(img *image.RGBA)) (*Frame, error) {
	if w <= 0 || h <= 0 || w > maxSide || h > maxSide {
		return nil, ErrSize
	}
	f := p.get(FormatRGBA, w, h)
	sizeRGBA(&f.full, w, h)
	draw(&f.full)
	f.fullOK = true
	_ = RGBAToPreview(&f.preview, &f.full)
	return f, nil
}

// sizeRGBA makes img a w×h image at origin (0,0), reusing its buffer.
func sizeRGBA(img *image.RGBA, w, h int) {
	n := w * h * 4
	if cap(img.Pix) < n {
		img.Pix = make([]byte, n)
	}
	img.Pix, img.Stride, img.Rect = img.Pix[:n], w*4, image.Rect(0, 0, w, h)
}

func sizeGray(img *image.Gray, w, h int) {
	n := w * h
	if cap(img.Pix) < n {
		img.Pix = make([]byte, n)
	}
	img.Pix, img.Stride, img.Rect = img.Pix[:n], w, image.Rect(0, 0, w, h)
}

func newRGBA(w, h int) *image.RGBA {
	var img image.RGBA
	sizeRGBA(&img, w, h)
	return &img
}
