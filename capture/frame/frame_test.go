package frame_test

import (
	"bytes"
	"errors"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/signet-kiosk/signet/capture/frame"
)

// Fixtures were made once with ffmpeg 5.1 (see testdata/README).

func readPNG(t testing.TB, name string) *image.RGBA {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Rect, img, image.Point{}, draw.Src)
	return rgba
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// maxDiff is the largest per-channel difference between a and b (RGB only).
func maxDiff(a, b *image.RGBA) int {
	m := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			p, q := a.Pix[a.PixOffset(x, y):], b.Pix[b.PixOffset(x, y):]
			for c := range 3 {
				d := int(p[c]) - int(q[c])
				if d < 0 {
					d = -d
				}
				m = max(m, d)
			}
		}
	}
	return m
}

// PSNR of b against a over RGB.
func PSNR(a, b *image.RGBA) float64 {
	var se float64
	n := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			p, q := a.Pix[a.PixOffset(x, y):], b.Pix[b.PixOffset(x, y):]
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

func TestYUYVToRGBAMatchesFFmpeg(t *testing.T) {
	tests := []struct {
		raw, ref string
		w, h     int
	}{
		{"card_640x360.yuyv", "card_640x360_ref.png", 640, 360},
		{"bars_320x240.yuyv", "bars_320x240_ref.png", 320, 240},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			src := readFile(t, tt.raw)
			want := readPNG(t, tt.ref)
			got := image.NewRGBA(image.Rect(0, 0, tt.w, tt.h))
			if err := frame.YUYVToRGBA(got, src, tt.w, tt.h); err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(want, got); d > 2 {
				t.Errorf("max channel difference %d, want ≤ 2", d)
			}
		})
	}
}

// Each preview pixel is a horizontal pixel pair of an even row, averaged
// before conversion; compare with the same pairs of the ffmpeg reference
// averaged after conversion.
func TestYUYVPreview(t *testing.T) {
	src := readFile(t, "card_640x360.yuyv")
	ref := readPNG(t, "card_640x360_ref.png")
	got := image.NewRGBA(image.Rect(0, 0, 320, 180))
	if err := frame.YUYVToPreview(got, src, 640, 360); err != nil {
		t.Fatal(err)
	}
	want := image.NewRGBA(image.Rect(0, 0, 320, 180))
	for y := range 180 {
		for x := range 320 {
			a, b := ref.Pix[ref.PixOffset(2*x, 2*y):], ref.Pix[ref.PixOffset(2*x+1, 2*y):]
			d := want.Pix[want.PixOffset(x, y):]
			for c := range 3 {
				d[c] = uint8((int(a[c]) + int(b[c]) + 1) / 2)
			}
		}
	}
	// Averaging before or after conversion differs only where a channel
	// clips (dark text), so demand a high PSNR rather than ±2 everywhere.
	if p := PSNR(want, got); p < 45 {
		t.Errorf("preview PSNR %.1f dB, want ≥ 45", p)
	}
}

func TestYUYVLuma(t *testing.T) {
	src := readFile(t, "bars_320x240.yuyv")
	g := image.NewGray(image.Rect(0, 0, 320, 240))
	if err := frame.YUYVLuma(g, src, 320, 240); err != nil {
		t.Fatal(err)
	}
	for i := range 320 * 240 {
		if g.Pix[i] != src[2*i] {
			t.Fatalf("luma[%d] = %d, want %d", i, g.Pix[i], src[2*i])
		}
	}
}

func TestBadSizes(t *testing.T) {
	dst := image.NewRGBA(image.Rect(0, 0, 4, 4))
	tests := []struct {
		name string
		n    int
		w, h int
	}{
		{"short", 10, 4, 4},
		{"odd width", 3 * 4 * 2, 3, 4},
		{"zero", 0, 0, 0},
		{"negative", 8, -2, -2},
		{"huge", 8, 1 << 20, 2},
		{"dst too small", 8 * 8 * 2, 8, 8},
	}
	for _, tt := range tests {
		src := make([]byte, tt.n)
		if err := frame.YUYVToRGBA(dst, src, tt.w, tt.h); !errors.Is(err, frame.ErrSize) {
			t.Errorf("%s: RGBA err = %v", tt.name, err)
		}
		if err := frame.YUYVToPreview(image.NewRGBA(image.Rect(0, 0, 2, 2)), src, tt.w, tt.h); !errors.Is(err, frame.ErrSize) {
			t.Errorf("%s: preview err = %v", tt.name, err)
		}
		if _, err := frame.NewPool(1).FromYUYV(src, tt.w, tt.h); tt.name != "dst too small" && !errors.Is(err, frame.ErrSize) {
			t.Errorf("%s: FromYUYV err = %v", tt.name, err)
		}
	}
}

func TestJPEGWithoutHuffmanTables(t *testing.T) {
	with := readFile(t, "card_640x360.jpg")
	without := readFile(t, "card_640x360_nohuff.jpg")
	if has, err := frame.HasHuffmanTables(without); err != nil || has {
		t.Fatalf("fixture: has tables = %v, %v", has, err)
	}
	if _, err := jpeg.Decode(bytes.NewReader(without)); err == nil {
		t.Log("note: image/jpeg now accepts frames without tables")
	}
	a, _, err := frame.DecodeJPEG(with, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := frame.DecodeJPEG(without, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Y, b.Y) || !bytes.Equal(a.Cb, b.Cb) || !bytes.Equal(a.Cr, b.Cr) {
		t.Fatal("decoding without tables differs from decoding with them")
	}
	// And the colours match an independent decoder.
	got := image.NewRGBA(b.Rect)
	if err := frame.YCbCrToRGBA(got, b); err != nil {
		t.Fatal(err)
	}
	if p := PSNR(readPNG(t, "card_640x360_jpg_ref.png"), got); p < 40 {
		t.Errorf("PSNR against ffmpeg %.1f dB, want ≥ 40", p)
	}
}

func TestBadJPEG(t *testing.T) {
	good := readFile(t, "card_640x360_nohuff.jpg")
	for name, b := range map[string][]byte{
		"empty":     nil,
		"not jpeg":  []byte("hello, world"),
		"truncated": good[:200],
		"soi only":  {0xff, 0xd8, 0xff, 0xd9},
		"bad len":   {0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 0},
	} {
		if _, _, err := frame.DecodeJPEG(b, nil); !errors.Is(err, frame.ErrBadJPEG) {
			t.Errorf("%s: err = %v, want ErrBadJPEG", name, err)
		}
	}
}

func TestFramePoolReuse(t *testing.T) {
	src := readFile(t, "bars_320x240.yuyv")
	p := frame.NewPool(2)
	f1, err := p.FromYUYV(src, 320, 240)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := f1.Size(); w != 320 || h != 240 {
		t.Fatalf("size %dx%d", w, h)
	}
	if b := f1.Preview().Bounds(); b != image.Rect(0, 0, 160, 120) {
		t.Fatalf("preview bounds %v", b)
	}
	if l := f1.Luma(); l.Pix[0] != src[0] || l.Bounds() != f1.Bounds() {
		t.Fatal("luma wrong")
	}
	full := f1.Full()
	if d := maxDiff(readPNG(t, "bars_320x240_ref.png"), full); d > 2 {
		t.Fatalf("full differs by %d", d)
	}
	f1.Release()
	f2, _ := p.FromYUYV(src, 320, 240)
	if f2 != f1 {
		t.Error("released frame not reused")
	}
	f2.Retain()
	f2.Release()
	f3, _ := p.FromYUYV(src, 320, 240)
	if f3 == f2 {
		t.Error("retained frame reused")
	}
	f2.Release()
	f3.Release()
}

func TestFrameConcurrentReaders(t *testing.T) {
	src := readFile(t, "bars_320x240.yuyv")
	f, _ := frame.NewPool(2).FromYUYV(src, 320, 240)
	var wg sync.WaitGroup
	for range 4 {
		f.Retain()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer f.Release()
			_ = f.Luma().Pix[100]
			_ = f.Full().Pix[100]
		}()
	}
	wg.Wait()
	f.Release()
}

func TestFromJPEGAndRGBA(t *testing.T) {
	p := frame.NewPool(2)
	f, err := p.FromJPEG(readFile(t, "card_640x360_nohuff.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	if f.Format != frame.FormatMJPEG || f.Luma().Bounds() != image.Rect(0, 0, 640, 360) {
		t.Fatalf("format %v luma %v", f.Format, f.Luma().Bounds())
	}
	ref := readPNG(t, "card_640x360_jpg_ref.png")
	if p := PSNR(ref, f.Full()); p < 40 {
		t.Errorf("full PSNR %.1f", p)
	}
	g, err := p.FromRGBA(ref)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Release()
	if maxDiff(ref, g.Full()) != 0 {
		t.Error("RGBA frame altered its source")
	}
	// Luma of the RGBA frame is close to the JPEG's own Y plane.
	var d float64
	l1, l2 := f.Luma(), g.Luma()
	for y := range 360 {
		for x := range 640 {
			d += math.Abs(float64(l1.GrayAt(x, y).Y) - float64(l2.GrayAt(x, y).Y))
		}
	}
	if d /= 640 * 360; d > 1.5 {
		t.Errorf("mean luma difference %.2f", d)
	}
}

func FuzzDecodeJPEG(f *testing.F) {
	f.Add(readFile(f, "card_640x360_nohuff.jpg")[:600])
	f.Add([]byte{0xff, 0xd8, 0xff, 0xda, 0, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		img, _, err := frame.DecodeJPEG(b, nil)
		if err == nil {
			dst := image.NewRGBA(image.Rect(0, 0, img.Rect.Dx()/2, img.Rect.Dy()/2))
			_ = frame.YCbCrToPreview(dst, img)
		}
	})
}

func FuzzYUYV(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2)
	f.Fuzz(func(t *testing.T, b []byte, w, h int) {
		if w > 64 || h > 64 {
			return
		}
		dst := image.NewRGBA(image.Rect(0, 0, 64, 64))
		_ = frame.YUYVToRGBA(dst, b, w, h)
		_ = frame.YUYVToPreview(dst, b, w, h)
		_, _ = frame.NewPool(1).FromYUYV(b, w, h)
	})
}
