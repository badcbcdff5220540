package frame

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// The SIMD rows agree with the table rows within 1 on every value.
func TestSIMDMatchesTables(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := make([]byte, 4096)
	for i := range src {
		src[i] = byte(rng.IntN(256))
	}
	// Every Y, U, V combination at the extremes too.
	for i, v := range []byte{0, 16, 128, 235, 240, 255} {
		for j := range 64 {
			src[i*64+j] = v
		}
	}
	for _, tc := range []struct {
		name      string
		simd, ref func(d, s []byte) int
		outPerSrc int
	}{
		{"rgba", rgbaRowSIMD, func(d, s []byte) int { rgbaRow(d, s); return 0 }, 2},
		{"preview", previewRowSIMD, func(d, s []byte) int { previewRow(d, s); return 0 }, 1},
	} {
		got := make([]byte, len(src)*tc.outPerSrc)
		want := make([]byte, len(got))
		n := tc.simd(got, src)
		if n == 0 && len(got) >= 32 {
			t.Logf("%s: no SIMD on this platform", tc.name)
			continue
		}
		tc.ref(want, src)
		for i := 0; i < n*4; i++ {
			if d := int(got[i]) - int(want[i]); d < -1 || d > 1 {
				t.Fatalf("%s: byte %d = %d, tables give %d", tc.name, i, got[i], want[i])
			}
		}
	}
}

// Rows whose width is not a multiple of 8 finish in Go.
func TestOddWidths(t *testing.T) {
	for _, w := range []int{2, 6, 18, 34, 50} {
		h := 4
		src := make([]byte, w*h*2)
		for i := range src {
			src[i] = byte(i * 37)
		}
		a := newRGBA(w, h)
		if err := YUYVToRGBA(a, src, w, h); err != nil {
			t.Fatal(err)
		}
		for y := range h {
			want := make([]byte, w*4)
			rgbaRow(want, src[y*w*2:(y+1)*w*2])
			for i, v := range a.Pix[y*a.Stride : y*a.Stride+w*4] {
				if d := int(v) - int(want[i]); d < -1 || d > 1 {
					t.Fatalf("w=%d row %d byte %d: %d vs %d", w, y, i, v, want[i])
				}
			}
		}
		p := newRGBA(w/2, h/2)
		if err := YUYVToPreview(p, src, w, h); err != nil {
			t.Fatal(err)
		}
		g := image.NewGray(image.Rect(0, 0, w, h))
		if err := YUYVLuma(g, src, w, h); err != nil {
			t.Fatal(err)
		}
		for i, v := range g.Pix {
			if v != src[2*i] {
				t.Fatalf("w=%d luma %d = %d, want %d", w, i, v, src[2*i])
			}
		}
	}
}

func TestYCbCrToRGBASIMD(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio444} {
		for _, w := range []int{8, 21, 64} {
			src := image.NewYCbCr(image.Rect(0, 0, w, 6), ratio)
			for _, p := range [][]byte{src.Y, src.Cb, src.Cr} {
				for i := range p {
					p[i] = byte(rng.IntN(256))
				}
			}
			dst := newRGBA(w, 6)
			if err := YCbCrToRGBA(dst, src); err != nil {
				t.Fatal(err)
			}
			for y := range 6 {
				for x := range w {
					c := src.YCbCrAt(x, y)
					r, g, b := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
					got := dst.Pix[dst.PixOffset(x, y):]
					for ch, want := range []uint8{r, g, b} {
						if d := int(got[ch]) - int(want); d < -1 || d > 1 {
							t.Fatalf("%v w=%d (%d,%d) channel %d = %d, want %d", ratio, w, x, y, ch, got[ch], want)
						}
					}
					if got[3] != 255 {
						t.Fatalf("alpha %d", got[3])
					}
				}
			}
		}
	}
}
