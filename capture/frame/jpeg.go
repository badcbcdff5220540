package frame

import (
	"errors"
	"fmt"
	"image"

	"github.com/signet-kiosk/signet/capture/frame/internal/tjpeg"
)

// MJPEG frames are decoded by libjpeg-turbo (internal/tjpeg). The camera
// path decodes each frame at 1/2 scale inside the IDCT: that gives the
// preview and the luma of the live checks for much less than a full decode.
// The compressed bytes stay in the frame, and a full-size decode happens
// only when Luma or Full is asked for (a still, a full-resolution check).
// Frames without Huffman tables (UVC MJPEG) need no repair: libjpeg-turbo
// falls back to the standard tables.

// jpegErr maps a decoder error onto the package's errors.
func jpegErr(err error) error {
	if errors.Is(err, tjpeg.ErrSize) {
		return fmt.Errorf("%w: %v", ErrSize, err)
	}
	return fmt.Errorf("%w: %v", ErrBadJPEG, err)
}

// decodeHalf decodes src at 1/2 scale into f.half, keeps a copy of src for a
// later full decode and makes the preview. It allocates nothing once the
// frame's buffers have grown to the stream's size.
func (f *Frame) decodeHalf(src []byte) error {
	hd, err := tjpeg.Decode(&f.half, src, 2)
	if err != nil {
		return jpegErr(err)
	}
	if cap(f.jpg) < len(src) {
		f.jpg = make([]byte, 0, len(src)+len(src)/4)
	}
	f.jpg = append(f.jpg[:0], src...)
	f.w, f.h = hd.Width, hd.Height
	// The preview is exactly half size (rounded down, as for YUYV): crop
	// the scaled decode's rounded-up edge.
	f.halfView = f.half
	f.halfView.Rect = image.Rect(0, 0, f.w/2, f.h/2)
	f.halfLumaView = image.Gray{Pix: f.half.Y, Stride: f.half.YStride, Rect: f.halfView.Rect}
	sizeRGBA(&f.preview, f.w/2, f.h/2)
	return YCbCrToRGBA(&f.preview, &f.halfView)
}

// fullYCbCr returns the full-size decode of an MJPEG frame, decoding it on
// first use. f.mu is held. The bytes decoded at half size before, so a
// failure here is not expected; the planes are then left as they are.
func (f *Frame) fullYCbCr() *image.YCbCr {
	if !f.yccOK {
		_, _ = tjpeg.Decode(&f.ycc, f.jpg, 1)
		f.yccOK = true
	}
	return &f.ycc
}
