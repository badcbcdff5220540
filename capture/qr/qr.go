// Package qr reads the booking QR code a guest holds up to the kiosk's
// camera, using github.com/makiuchi-d/gozxing (a port of ZXing): a QR
// decoder is a well-trodden problem that a maintained library does better
// than hand-written code.
package qr

import (
	"errors"
	"fmt"
	"image"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// ErrNotFound means the image holds no readable QR code.
var ErrNotFound = errors.New("qr: no code found")

// Reader decodes QR codes; reuse one per camera goroutine (not safe for
// concurrent use).
type Reader struct {
	r     gozxing.Reader
	hints map[gozxing.DecodeHintType]interface{}
}

// NewReader returns a Reader.
func NewReader() *Reader {
	return &Reader{r: qrcode.NewQRCodeReader(), hints: map[gozxing.DecodeHintType]interface{}{
		gozxing.DecodeHintType_TRY_HARDER: true,
	}}
}

// Decode returns the text of the QR code in img. Camera frames are
// arbitrary input: any failure inside the decoder is an error, never a panic.
func (r *Reader) Decode(img image.Image) (text string, err error) {
	if img == nil || img.Bounds().Empty() {
		return "", ErrNotFound
	}
	defer func() {
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("qr: decoder failed: %v", p)
		}
	}()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", fmt.Errorf("qr: %w", err)
	}
	res, err := r.r.Decode(bmp, r.hints)
	if err != nil {
		return "", ErrNotFound
	}
	return res.GetText(), nil
}
