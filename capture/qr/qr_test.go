package qr_test

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/signet-kiosk/signet/capture/qr"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// codeImage draws a QR code for text onto a grey 640×480 "camera frame".
func codeImage(t testing.TB, text string) image.Image {
	t.Helper()
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, 240, 240, nil)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, 640, 480))
	draw.Draw(img, img.Rect, image.NewUniform(color.Gray{140}), image.Point{}, draw.Src)
	for y := 0; y < 240; y++ {
		for x := 0; x < 240; x++ {
			c := color.Gray{250}
			if m.Get(x, y) {
				c = color.Gray{20}
			}
			img.SetGray(200+x, 120+y, c)
		}
	}
	return img
}

func TestDecodeBookingQR(t *testing.T) {
	r := qr.NewReader()
	got, err := r.Decode(codeImage(t, demodata.BookingQR))
	if err != nil || got != demodata.BookingQR {
		t.Fatalf("Decode = %q, %v", got, err)
	}
}

func TestDecodeNothing(t *testing.T) {
	r := qr.NewReader()
	blank := image.NewGray(image.Rect(0, 0, 320, 240))
	if _, err := r.Decode(blank); !errors.Is(err, qr.ErrNotFound) {
		t.Errorf("blank: %v", err)
	}
	if _, err := r.Decode(nil); !errors.Is(err, qr.ErrNotFound) {
		t.Errorf("nil: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{0, 255, 0, 255}, 2)
	f.Fuzz(func(t *testing.T, pix []byte, w int) {
		if w <= 0 || w > 256 || len(pix) < w {
			return
		}
		h := len(pix) / w
		img := &image.Gray{Pix: pix[:w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}
		_, _ = qr.NewReader().Decode(img) // must not panic
	})
}

func BenchmarkDecode(b *testing.B) {
	img := codeImage(b, demodata.BookingQR)
	r := qr.NewReader()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Decode(img); err != nil {
			b.Fatal(err)
		}
	}
}
