package imagetest

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTripAndPSNR(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 16, 8))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "a.png")
	if err := os.WriteFile(path, PNG(t, img), 0o600); err != nil {
		t.Fatal(err)
	}
	back := Read(t, path)
	if p := PSNR(img, back); !math.IsInf(p, 1) {
		t.Errorf("PNG round trip: PSNR %v, want +Inf", p)
	}
	jpg := filepath.Join(dir, "a.jpg")
	if err := os.WriteFile(jpg, JPEG(t, img), 0o600); err != nil {
		t.Fatal(err)
	}
	if p := PSNR(img, Read(t, jpg)); p < 10 || math.IsInf(p, 1) {
		t.Errorf("JPEG round trip: PSNR %v, want a finite value ≥ 10 dB", p)
	}
	off := image.NewRGBA(image.Rect(0, 0, 16, 8))
	off.SetRGBA(3, 3, color.RGBA{255, 255, 255, 255})
	if p := PSNR(img.SubImage(image.Rect(0, 0, 8, 8)).(*image.RGBA), off); p != 0 {
		t.Errorf("sizes differ: PSNR %v, want 0", p)
	}
	if p := PSNR(img.SubImage(image.Rect(8, 0, 16, 8)).(*image.RGBA), back.SubImage(image.Rect(8, 0, 16, 8)).(*image.RGBA)); !math.IsInf(p, 1) {
		t.Errorf("sub-images: PSNR %v, want +Inf", p)
	}
}
