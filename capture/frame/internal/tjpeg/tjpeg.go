// Package tjpeg is a thin cgo wrapper over libjpeg-turbo's TurboJPEG API
// (<turbojpeg.h>, Debian libturbojpeg0-dev). It decodes one JPEG into
// YCbCr planes, at full size or scaled down inside the IDCT (1/2, 1/4,
// 1/8), into buffers the caller reuses, so a steady stream of same-sized
// frames allocates nothing. Decompressor handles are pooled: a handle is not
// safe for concurrent use, so each call takes one from the pool and returns
// it.
//
// Frames without Huffman tables (UVC MJPEG) decode as they are: libjpeg-turbo
// falls back to the standard tables of JPEG Annex K.3.
package tjpeg

/*
#cgo pkg-config: libturbojpeg
#cgo noescape signet_tj_decode
#cgo nocallback signet_tj_decode
#cgo noescape signet_tj_header
#cgo nocallback signet_tj_header
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

// TurboJPEG 2.1 keeps libjpeg's message for a failure in a thread-local
// buffer (tjGetErrorStr2 returns it unless the handle's own call failed),
// and Go may run a goroutine's next cgo call on another thread. So each
// wrapper reads the outcome in the same C call, into msg (the decoder's own
// memory), and reports 0 for success, 1 for a harmless warning, -1 for a
// failure.
static int signet_tj_outcome(tjhandle h, int rc, char *msg, int n) {
	if (rc == 0)
		return 0;
	snprintf(msg, n, "%s", tjGetErrorStr2(h));
	if (tjGetErrorCode(h) == TJERR_WARNING && strstr(msg, "extraneous bytes before marker") != NULL)
		return 1;
	return -1;
}

static int signet_tj_header(tjhandle h, const unsigned char *buf, unsigned long size,
		int *w, int *ht, int *ss, int *cs, char *msg, int n) {
	return signet_tj_outcome(h, tjDecompressHeader3(h, buf, size, w, ht, ss, cs), msg, n) < 0 ? -1 : 0;
}

// signet_tj_decode is tjDecompressToYUVPlanes with the plane pointers passed
// one by one (an array of Go pointers may not be handed to C).
static int signet_tj_decode(tjhandle h, const unsigned char *buf, unsigned long size,
		unsigned char *y, unsigned char *cb, unsigned char *cr,
		int width, int ystride, int cstride, int height, int flags, char *msg, int n) {
	unsigned char *planes[3] = {y, cb, cr};
	int strides[3] = {ystride, cstride, cstride};
	return signet_tj_outcome(h, tjDecompressToYUVPlanes(h, buf, size, planes, width, strides, height, flags), msg, n);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"unsafe"
)

// MaxSide bounds a JPEG's width and height; a larger header is refused
// before any buffer is sized for it.
const MaxSide = 8192

var (
	// ErrCorrupt is returned for bytes that are not a complete, valid JPEG:
	// a frame cut short (no end-of-image marker) is refused before it is
	// decoded, and a fatal libjpeg-turbo error refuses the rest.
	ErrCorrupt = errors.New("tjpeg: corrupt or truncated JPEG")
	// ErrSize is returned for a JPEG larger than MaxSide on a side.
	ErrSize = errors.New("tjpeg: JPEG too large")
	// ErrScale is returned for a scale other than 1, 2, 4 or 8.
	ErrScale = errors.New("tjpeg: unsupported scale")
)

// decodeFlags bound the scans of a progressive JPEG (CPU use). Warnings do
// not stop the decode, but only one leaves the picture whole: "Corrupt JPEG
// data: N extraneous bytes before marker 0xXX" (libjpeg's
// JWRN_EXTRANEOUS_DATA, its text unchanged since libjpeg 6b), which many UVC
// cameras trigger on every frame; stopping on it would drop them all. Any
// other warning (a bad Huffman code, a premature end of a segment) means
// grey or garbled blocks, and the frame is dropped (signet_tj_outcome). A
// frame cut short by a USB hiccup is caught by its missing end-of-image
// marker (complete).
const decodeFlags = C.TJFLAG_LIMITSCANS

// complete reports whether b ends with the end-of-image marker, allowing
// for the zero padding some cameras add after it.
func complete(b []byte) bool {
	n := len(b)
	for n > 0 && b[n-1] == 0 {
		n--
	}
	return n >= 4 && b[n-2] == 0xFF && b[n-1] == 0xD9
}

// Header describes a JPEG at full size.
type Header struct {
	Width, Height int
	// Ratio is the chroma subsampling; grey JPEGs report 4:2:0 because
	// Decode gives them neutral 4:2:0 chroma.
	Ratio image.YCbCrSubsampleRatio
	Gray  bool
}

// decoder is one pooled TurboJPEG handle with the outputs of
// tjDecompressHeader3 next to it (heap memory, so passing their addresses to
// C costs no allocation).
type decoder struct {
	h             C.tjhandle
	w, ht, ss, cs C.int
	msg           [200]C.char // the last failure's text (libjpeg's JMSG_LENGTH_MAX)
}

// handles holds idle decompressors; more than its capacity are destroyed.
var handles = make(chan *decoder, 8)

func getDecoder() (*decoder, error) {
	select {
	case d := <-handles:
		return d, nil
	default:
	}
	h := C.tjInitDecompress()
	if h == nil {
		return nil, errors.New("tjpeg: cannot create a decompressor")
	}
	return &decoder{h: h}, nil
}

func putDecoder(d *decoder) {
	select {
	case handles <- d:
	default:
		C.tjDestroy(d.h)
	}
}

// err describes the handle's last failure, wrapped in ErrCorrupt.
func (d *decoder) err(op string) error {
	return fmt.Errorf("%w: %s: %s", ErrCorrupt, op, C.GoString(&d.msg[0]))
}

func (d *decoder) header(b []byte) (Header, error) {
	if len(b) == 0 {
		return Header{}, fmt.Errorf("%w: empty", ErrCorrupt)
	}
	if C.signet_tj_header(d.h, (*C.uchar)(unsafe.Pointer(&b[0])), C.ulong(len(b)), &d.w, &d.ht, &d.ss, &d.cs, &d.msg[0], C.int(len(d.msg))) != 0 {
		return Header{}, d.err("header")
	}
	hd := Header{Width: int(d.w), Height: int(d.ht)}
	if hd.Width <= 0 || hd.Height <= 0 || hd.Width > MaxSide || hd.Height > MaxSide {
		return Header{}, fmt.Errorf("%w: %d×%d", ErrSize, hd.Width, hd.Height)
	}
	switch d.ss {
	case C.TJSAMP_444:
		hd.Ratio = image.YCbCrSubsampleRatio444
	case C.TJSAMP_422:
		hd.Ratio = image.YCbCrSubsampleRatio422
	case C.TJSAMP_420:
		hd.Ratio = image.YCbCrSubsampleRatio420
	case C.TJSAMP_440:
		hd.Ratio = image.YCbCrSubsampleRatio440
	case C.TJSAMP_411:
		hd.Ratio = image.YCbCrSubsampleRatio411
	case C.TJSAMP_GRAY:
		hd.Ratio, hd.Gray = image.YCbCrSubsampleRatio420, true
	default:
		return Header{}, fmt.Errorf("%w: unsupported subsampling %d", ErrCorrupt, int(d.ss))
	}
	return hd, nil
}

// DecodeHeader reads a JPEG's size and subsampling without decoding it.
func DecodeHeader(b []byte) (Header, error) {
	d, err := getDecoder()
	if err != nil {
		return Header{}, err
	}
	defer putDecoder(d)
	return d.header(b)
}

// Scaled is the size of a side of n pixels decoded at 1/denom (TJSCALED).
func Scaled(n, denom int) int { return (n + denom - 1) / denom }

// Decode decodes b into dst at 1/denom of its size (denom 1, 2, 4 or 8),
// reusing dst's planes when they are large enough; dst's origin is (0,0).
// It returns b's full-size header. On error dst's contents are undefined.
func Decode(dst *image.YCbCr, b []byte, denom int) (Header, error) {
	if denom != 1 && denom != 2 && denom != 4 && denom != 8 {
		return Header{}, ErrScale
	}
	d, err := getDecoder()
	if err != nil {
		return Header{}, err
	}
	defer putDecoder(d)
	hd, err := d.header(b)
	if err != nil {
		return hd, err
	}
	if !complete(b) {
		return hd, fmt.Errorf("%w: no end-of-image marker (the frame was cut short)", ErrCorrupt)
	}
	w, h := Scaled(hd.Width, denom), Scaled(hd.Height, denom)
	cw, ch := w, h
	switch hd.Ratio {
	case image.YCbCrSubsampleRatio422:
		cw = (w + 1) / 2
	case image.YCbCrSubsampleRatio420:
		cw, ch = (w+1)/2, (h+1)/2
	case image.YCbCrSubsampleRatio440:
		ch = (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		cw = (w + 3) / 4
	}
	dst.Y = grow(dst.Y, w*h)
	dst.Cb = grow(dst.Cb, cw*ch)
	dst.Cr = grow(dst.Cr, cw*ch)
	dst.YStride, dst.CStride = w, cw
	dst.SubsampleRatio = hd.Ratio
	dst.Rect = image.Rect(0, 0, w, h)
	var cb, cr *C.uchar
	if !hd.Gray {
		cb, cr = (*C.uchar)(unsafe.Pointer(&dst.Cb[0])), (*C.uchar)(unsafe.Pointer(&dst.Cr[0]))
	}
	if C.signet_tj_decode(d.h, (*C.uchar)(unsafe.Pointer(&b[0])), C.ulong(len(b)),
		(*C.uchar)(unsafe.Pointer(&dst.Y[0])), cb, cr,
		C.int(w), C.int(w), C.int(cw), C.int(h), decodeFlags, &d.msg[0], C.int(len(d.msg))) < 0 {
		return hd, d.err("decode")
	}
	if hd.Gray {
		fill(dst.Cb, 128)
		fill(dst.Cr, 128)
	}
	return hd, nil
}

func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

func fill(b []byte, v byte) {
	for i := range b {
		b[i] = v
	}
}
