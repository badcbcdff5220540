package jpeg

import (
	"bytes"
	"image"
	stdjpeg "image/jpeg"
	"os"
	"testing"
)

// The changes (in-place buffers, flat blocks without IDCT, dequantizing
// while decoding) keep the output identical to image/jpeg's.
func TestMatchesImageJPEG(t *testing.T) {
	card, err := os.ReadFile("../../testdata/card_640x360.jpg")
	if err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	src := image.NewRGBA(image.Rect(0, 0, 203, 101))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 7 / 5)
	}
	if err := stdjpeg.Encode(&enc, src, &stdjpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	var dec Decoder
	var reuse *image.YCbCr
	for round := range 2 {
		for name, b := range map[string][]byte{"card 4:2:2": card, "odd size 4:2:0": enc.Bytes()} {
			want, err := stdjpeg.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			got, buf, err := dec.DecodeInto(bytes.NewReader(b), reuse)
			if err != nil {
				t.Fatal(err)
			}
			if name == "card 4:2:2" {
				reuse = buf
			}
			w, g := want.(*image.YCbCr), got.(*image.YCbCr)
			if w.Rect != g.Rect || w.SubsampleRatio != g.SubsampleRatio {
				t.Fatalf("%s: %v %v vs %v %v", name, g.Rect, g.SubsampleRatio, w.Rect, w.SubsampleRatio)
			}
			for y := 0; y < w.Rect.Dy(); y++ {
				for x := 0; x < w.Rect.Dx(); x++ {
					if w.YCbCrAt(x, y) != g.YCbCrAt(x, y) {
						t.Fatalf("round %d %s: (%d,%d) = %v, want %v", round, name, x, y, g.YCbCrAt(x, y), w.YCbCrAt(x, y))
					}
				}
			}
		}
	}
}
