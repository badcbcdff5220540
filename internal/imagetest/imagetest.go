// Package imagetest reads, writes and compares images for tests: reference
// frames decoded by another program, fixtures encoded on the fly, and the
// PSNR that says how close a decode came to its reference.
package imagetest

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"testing"
)

// Read decodes the PNG or JPEG file at path into an RGBA image, failing t
// when it cannot.
func Read(t testing.TB, path string) *image.RGBA {
	t.Helper()
	img := Decode(t, path)
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

// Decode decodes the PNG or JPEG file at path as it is stored (no copy
// into RGBA: a test that only looks at pixels keeps its memory low),
// failing t when it cannot.
func Decode(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// PNG encodes img as PNG, failing t when it cannot.
func PNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// JPEG encodes img as JPEG at the default quality, failing t when it cannot.
func JPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// PSNR is the peak signal-to-noise ratio of b against a over the red, green
// and blue channels, in dB: +Inf for identical pixels, 0 for images of
// different sizes. Either image may be a sub-image.
func PSNR(a, b *image.RGBA) float64 {
	if a.Rect.Size() != b.Rect.Size() {
		return 0
	}
	var se float64
	n := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			p := a.Pix[a.PixOffset(a.Rect.Min.X+x, a.Rect.Min.Y+y):]
			q := b.Pix[b.PixOffset(b.Rect.Min.X+x, b.Rect.Min.Y+y):]
			for c := range 3 {
				d := float64(p[c]) - float64(q[c])
				se += d * d
				n++
			}
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}
