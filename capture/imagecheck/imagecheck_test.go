package imagecheck_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/capture/imagecheck"
	"github.com/signet-kiosk/signet/capture/imagecheck/imagechecktest"
)

func encode(t testing.TB, w, h int, format string) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodeAcceptsOrdinaryImages(t *testing.T) {
	for _, format := range []string{"png", "jpeg"} {
		img, got, err := imagecheck.Decode(encode(t, 64, 48, format))
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if got != format || img.Bounds() != image.Rect(0, 0, 64, 48) {
			t.Errorf("%s: got %s %v", format, got, img.Bounds())
		}
	}
}

func TestDecodeRefusesBombBeforeDecoding(t *testing.T) {
	bomb := imagechecktest.BlankPNG(20000, 20000)
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes, want under 1 MiB", len(bomb))
	}
	var before, after testingMem
	before.read()
	_, _, err := imagecheck.Decode(bomb)
	after.read()
	if !errors.Is(err, imagecheck.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if want := "image 20000×20000 is larger than 24 MP"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
	// Refusing reads only the header: far less than the 400 MB of pixels.
	if d := after.total - before.total; d > 8<<20 {
		t.Errorf("refusing allocated %d bytes", d)
	}
}

func TestCheckSize(t *testing.T) {
	tests := []struct {
		w, h int
		want string // "" accepted
	}{
		{4000, 3000, ""},
		{6000, 4000, ""},
		{imagecheck.MaxSide, 1200, ""},
		{6000, 4001, "image 6000×4001 is larger than 24 MP"},
		{7000, 5700, "image 7000×5700 is larger than 24 MP"},
		{0, 10, "image 0×10 has no pixels"},
		{10, -1, "image 10×-1 has no pixels"},
		{1, 30000, "image 1×30000 has a side longer than 20000 px"},
		{1 << 30, 1 << 30, "image 1073741824×1073741824 is larger than 24 MP"},
	}
	for _, tc := range tests {
		err := imagecheck.CheckSize(tc.w, tc.h)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%d×%d: %v", tc.w, tc.h, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want || !errors.Is(err, imagecheck.ErrTooLarge)):
			t.Errorf("%d×%d: %v, want %q", tc.w, tc.h, err, tc.want)
		}
	}
}

func TestDecodeFormats(t *testing.T) {
	if _, _, err := imagecheck.Decode([]byte("not an image")); !errors.Is(err, imagecheck.ErrFormat) {
		t.Errorf("text: %v, want ErrFormat", err)
	}
	_, _, err := imagecheck.Decode(encode(t, 8, 8, "jpeg"), "png")
	if !errors.Is(err, imagecheck.ErrFormat) || !strings.Contains(err.Error(), "jpeg") {
		t.Errorf("jpeg where png is wanted: %v", err)
	}
	// A truncated image passes the header check and fails to decode, with
	// an error, not a panic.
	b := encode(t, 64, 64, "png")
	if _, _, err := imagecheck.Decode(b[:len(b)/2]); err == nil {
		t.Error("truncated png decoded")
	}
}

func TestDecodeReaderSeeksBack(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	buf.WriteString("junk")
	_ = png.Encode(&buf, img)
	r := bytes.NewReader(buf.Bytes())
	_, _ = r.Seek(4, 0)
	got, _, err := imagecheck.DecodeReader(r)
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _, _ := got.At(1, 1).RGBA(); r>>8 != 200 {
		t.Errorf("pixel (1,1) red = %d, want 200", r>>8)
	}
}

// The hostile-image maker makes valid PNGs: checked on sizes that need one,
// two and many compressed blocks.
func TestBlankPNGIsValid(t *testing.T) {
	for _, sz := range []image.Point{{3, 5}, {1024, 1023}, {1500, 2000}} {
		img, err := png.Decode(bytes.NewReader(imagechecktest.BlankPNG(sz.X, sz.Y)))
		if err != nil {
			t.Fatalf("%v: %v", sz, err)
		}
		g, ok := img.(*image.Gray)
		if !ok || g.Bounds().Size() != sz {
			t.Fatalf("%v: got %T %v", sz, img, img.Bounds())
		}
		for _, p := range g.Pix {
			if p != 0 {
				t.Fatalf("%v: a pixel is %d", sz, p)
			}
		}
	}
	if n := len(imagechecktest.BlankPNG(20000, 20000)); n > 600_000 {
		t.Errorf("20000×20000 is %d bytes", n)
	}
}
