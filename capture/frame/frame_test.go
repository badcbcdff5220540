package frame_test

import (
	"bytes"
	"errors"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/signet-kiosk/signet/capture/frame"
	"github.com/signet-kiosk/signet/internal/imagetest"
)

// Fixtures were made once with ffmpeg 5.1 (see testdata/README).

func readPNG(t testing.TB, name string) *image.RGBA {
	t.Helper()
	return imagetest.Read(t, filepath.Join("testdata", name))
}

// hold(t)(p.FromX(…)) fails t on the error and releases the frame when
// the test ends.
func hold(t testing.TB) func(*frame.Frame, error) *frame.Frame {
	return func(f *frame.Frame, err error) *frame.Frame {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(f.Release)
		return f
	}
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
	if p := imagetest.PSNR(want, got); p < 45 {
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
	if bytes.Contains(without[:scanStart(t, without)], []byte{0xff, 0xc4}) {
		t.Fatal("fixture has Huffman tables")
	}
	if _, err := jpeg.Decode(bytes.NewReader(without)); err == nil {
		t.Log("note: image/jpeg now accepts frames without tables")
	}
	p := frame.NewPool(2)
	a := hold(t)(p.FromJPEG(with))
	b := hold(t)(p.FromJPEG(without))
	if !bytes.Equal(a.Luma().Pix, b.Luma().Pix) || !bytes.Equal(a.Full().Pix, b.Full().Pix) ||
		!bytes.Equal(a.Preview().Pix, b.Preview().Pix) {
		t.Fatal("decoding without tables differs from decoding with them")
	}
	// And the colours match an independent decoder.
	if p := imagetest.PSNR(readPNG(t, "card_640x360_jpg_ref.png"), b.Full()); p < 40 {
		t.Errorf("PSNR against ffmpeg %.1f dB, want ≥ 40", p)
	}
	// image/jpeg, given the standard tables, decodes the same picture.
	m, err := jpeg.Decode(bytes.NewReader(withStandardTables(t, without)))
	if err != nil {
		t.Fatal(err)
	}
	std := image.NewRGBA(m.Bounds())
	draw.Draw(std, std.Rect, m, image.Point{}, draw.Src)
	if p := imagetest.PSNR(std, b.Full()); p < 40 {
		t.Errorf("PSNR against image/jpeg %.1f dB, want ≥ 40", p)
	}
}

// The MJPEG preview and its luma come from the 1/2-scale decode and agree
// with the full-size decode reduced by 2×2 averaging.
func TestMJPEGHalfScale(t *testing.T) {
	p := frame.NewPool(2)
	f := hold(t)(p.FromJPEG(readFile(t, "card_640x360_nohuff.jpg")))
	half := image.Rect(0, 0, 320, 180)
	if f.Preview().Bounds() != half || f.PreviewLuma().Bounds() != half || f.Bounds() != image.Rect(0, 0, 640, 360) {
		t.Fatalf("preview %v luma %v frame %v", f.Preview().Bounds(), f.PreviewLuma().Bounds(), f.Bounds())
	}
	want := image.NewRGBA(half)
	if err := frame.RGBAToPreview(want, f.Full()); err != nil {
		t.Fatal(err)
	}
	if p := imagetest.PSNR(want, f.Preview()); p < 30 {
		t.Errorf("preview PSNR against the reduced full decode %.1f dB, want ≥ 30", p)
	}
	wantY := image.NewGray(half)
	if err := frame.RGBALuma(wantY, want); err != nil {
		t.Fatal(err)
	}
	var se float64
	for i := range wantY.Pix {
		d := float64(wantY.Pix[i]) - float64(f.PreviewLuma().Pix[f.PreviewLuma().PixOffset(i%320, i/320)])
		se += d * d
	}
	if mse := se / float64(len(wantY.Pix)); mse > 25 {
		t.Errorf("preview luma MSE %.1f, want ≤ 25", mse)
	}
}

// An odd-sized frame's preview is half its size rounded down, as for YUYV.
func TestMJPEGOddSize(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 33, 17)), nil); err != nil {
		t.Fatal(err)
	}
	f, err := frame.NewPool(1).FromJPEG(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Release()
	if f.Preview().Bounds() != image.Rect(0, 0, 16, 8) || f.PreviewLuma().Bounds() != image.Rect(0, 0, 16, 8) || f.Luma().Bounds() != f.Bounds() {
		t.Fatalf("preview %v luma %v/%v", f.Preview().Bounds(), f.PreviewLuma().Bounds(), f.Luma().Bounds())
	}
}

func TestBadJPEG(t *testing.T) {
	good := readFile(t, "card_640x360_nohuff.jpg")
	p := frame.NewPool(2)
	for name, b := range map[string][]byte{
		"empty":     nil,
		"not jpeg":  []byte("hello, world"),
		"header":    good[:200],
		"truncated": good[:len(good)*3/4],
		"soi only":  {0xff, 0xd8, 0xff, 0xd9},
		"bad len":   {0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 0},
	} {
		if _, err := p.FromJPEG(b); !errors.Is(err, frame.ErrBadJPEG) {
			t.Errorf("%s: err = %v, want ErrBadJPEG", name, err)
		}
	}
	// The pool still works after failures, and reuses the frames they took.
	f, err := p.FromJPEG(good)
	if err != nil {
		t.Fatal(err)
	}
	f.Release()
}

// A steady MJPEG stream allocates nothing per frame: the half-scale decode,
// the preview, the preview luma, and a full decode when asked for.
func TestMJPEGNoAllocs(t *testing.T) {
	src := readFile(t, "card_640x360_nohuff.jpg")
	p := frame.NewPool(2)
	step := func() {
		f, err := p.FromJPEG(src)
		if err != nil {
			t.Fatal(err)
		}
		_ = f.PreviewLuma()
		_ = f.Luma()
		_ = f.Full()
		f.Release()
	}
	step()
	if n := testing.AllocsPerRun(10, step); n != 0 {
		t.Errorf("%.1f allocations per frame, want 0", n)
	}
}

func TestPreviewLuma(t *testing.T) {
	src := readFile(t, "card_640x360.yuyv")
	ref := readPNG(t, "card_640x360_ref.png")
	p := frame.NewPool(2)
	y := hold(t)(p.FromYUYV(src, 640, 360))
	r := hold(t)(p.FromRGBA(ref))
	ly, lr := y.PreviewLuma(), r.PreviewLuma()
	if ly.Bounds() != image.Rect(0, 0, 320, 180) || lr.Bounds() != ly.Bounds() {
		t.Fatalf("bounds %v %v", ly.Bounds(), lr.Bounds())
	}
	if got, want := ly.Pix[0], uint8((int(src[0])+int(src[2])+1)/2); got != want {
		t.Errorf("YUYV preview luma[0] = %d, want %d", got, want)
	}
	// YUYV luma is limited range, the RGBA frame's is full range: compare
	// after mapping 16…235 to 0…255.
	var d float64
	for i := range ly.Pix {
		d += math.Abs((float64(ly.Pix[i])-16)*255/219 - float64(lr.Pix[i]))
	}
	if d /= float64(len(ly.Pix)); d > 6 {
		t.Errorf("mean difference between YUYV and RGBA preview luma %.1f", d)
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
	f := hold(t)(p.FromJPEG(readFile(t, "card_640x360_nohuff.jpg")))
	if f.Format != frame.FormatMJPEG || f.Luma().Bounds() != image.Rect(0, 0, 640, 360) {
		t.Fatalf("format %v luma %v", f.Format, f.Luma().Bounds())
	}
	ref := readPNG(t, "card_640x360_jpg_ref.png")
	if p := imagetest.PSNR(ref, f.Full()); p < 40 {
		t.Errorf("full PSNR %.1f", p)
	}
	g := hold(t)(p.FromRGBA(ref))
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

// FuzzFromJPEG: a corrupt camera frame is an error, never a crash, and
// what decodes has consistent images.
func FuzzFromJPEG(f *testing.F) {
	good := readFile(f, "card_640x360_nohuff.jpg")
	f.Add(good[:600])
	f.Add(good[:len(good)-50])
	f.Add([]byte{0xff, 0xd8, 0xff, 0xda, 0, 2})
	p := frame.NewPool(2)
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := p.FromJPEG(b)
		if err != nil {
			return
		}
		defer fr.Release()
		w, h := fr.Size()
		if fr.Preview().Bounds() != image.Rect(0, 0, w/2, h/2) || fr.PreviewLuma().Bounds() != fr.Preview().Bounds() {
			t.Fatalf("frame %dx%d preview %v", w, h, fr.Preview().Bounds())
		}
		if fr.Luma().Bounds() != fr.Bounds() || fr.Full().Bounds() != fr.Bounds() {
			t.Fatalf("luma %v full %v", fr.Luma().Bounds(), fr.Full().Bounds())
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
