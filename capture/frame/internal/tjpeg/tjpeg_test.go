package tjpeg

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A frame without Huffman tables decodes exactly like the same frame with
// the standard tables, and like Go's image/jpeg decodes the latter.
func TestDecodeWithoutHuffmanTables(t *testing.T) {
	with := readFixture(t, "card_640x360.jpg")
	without := readFixture(t, "card_640x360_nohuff.jpg")
	var a, b image.YCbCr
	ha, err := Decode(&a, with, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(&b, without, 1); err != nil {
		t.Fatal(err)
	}
	if ha.Width != 640 || ha.Height != 360 || ha.Ratio != image.YCbCrSubsampleRatio422 {
		t.Fatalf("header %+v", ha)
	}
	if !bytes.Equal(a.Y, b.Y) || !bytes.Equal(a.Cb, b.Cb) || !bytes.Equal(a.Cr, b.Cr) {
		t.Fatal("decoding without tables differs from decoding with them")
	}
	m, err := jpeg.Decode(bytes.NewReader(with))
	if err != nil {
		t.Fatal(err)
	}
	std := m.(*image.YCbCr)
	var diff, n float64
	for y := range 360 {
		for x := range 640 {
			d := float64(a.Y[a.YOffset(x, y)]) - float64(std.Y[std.YOffset(x, y)])
			diff += d * d
			n++
		}
	}
	if mse := diff / n; mse > 1 {
		t.Errorf("luma MSE against image/jpeg %.2f, want ≤ 1", mse)
	}
}

func TestDecodeScaled(t *testing.T) {
	src := readFixture(t, "card_640x360_nohuff.jpg")
	var full, half image.YCbCr
	if _, err := Decode(&full, src, 1); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ denom, w, h int }{{2, 320, 180}, {4, 160, 90}, {8, 80, 45}} {
		if _, err := Decode(&half, src, tt.denom); err != nil {
			t.Fatal(err)
		}
		if half.Rect != image.Rect(0, 0, tt.w, tt.h) || half.CStride != (tt.w+1)/2 || len(half.Cb) != half.CStride*tt.h {
			t.Fatalf("1/%d: rect %v cstride %d len(cb) %d", tt.denom, half.Rect, half.CStride, len(half.Cb))
		}
		// Each scaled pixel is close to the mean of the block it covers.
		var se float64
		for y := range tt.h {
			for x := range tt.w {
				sum := 0
				for dy := range tt.denom {
					for dx := range tt.denom {
						sum += int(full.Y[full.YOffset(x*tt.denom+dx, y*tt.denom+dy)])
					}
				}
				d := float64(half.Y[half.YOffset(x, y)]) - float64(sum)/float64(tt.denom*tt.denom)
				se += d * d
			}
		}
		if mse := se / float64(tt.w*tt.h); mse > 16 {
			t.Errorf("1/%d: luma MSE against box-filtered full decode %.1f, want ≤ 16", tt.denom, mse)
		}
	}
	if _, err := Decode(&half, src, 3); !errors.Is(err, ErrScale) {
		t.Errorf("scale 3: err = %v", err)
	}
}

func TestDecodeGray(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 33, 17))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, g, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	var dst image.YCbCr
	hd, err := Decode(&dst, buf.Bytes(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !hd.Gray || dst.Rect.Dx() != 33 || dst.Cb[0] != 128 || dst.Cr[len(dst.Cr)-1] != 128 {
		t.Fatalf("header %+v rect %v", hd, dst.Rect)
	}
}

func TestDecodeBad(t *testing.T) {
	good := readFixture(t, "card_640x360_nohuff.jpg")
	flipped := append([]byte(nil), good...)
	for i := len(flipped) / 2; i < len(flipped)/2+64; i++ {
		flipped[i] = 0xff
	}
	huge := append([]byte(nil), good...)
	// SOF0's height and width follow its length and precision.
	i := bytes.Index(huge, []byte{0xff, 0xc0})
	huge[i+5], huge[i+6], huge[i+7], huge[i+8] = 0x40, 0, 0x40, 0
	for name, b := range map[string][]byte{
		"empty":     nil,
		"not jpeg":  []byte("hello, world"),
		"header":    good[:200],
		"truncated": good[:len(good)/2],
		"soi only":  {0xff, 0xd8, 0xff, 0xd9},
		"damaged":   flipped,
	} {
		var dst image.YCbCr
		if _, err := Decode(&dst, b, 2); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
	var dst image.YCbCr
	if _, err := Decode(&dst, huge, 1); !errors.Is(err, ErrSize) {
		t.Errorf("16384×16384: err = %v, want ErrSize", err)
	}
	if len(dst.Y) != 0 {
		t.Error("a refused header sized the buffers")
	}
}

// Decoding same-sized frames into the same image allocates nothing.
func TestDecodeNoAllocs(t *testing.T) {
	src := readFixture(t, "card_640x360_nohuff.jpg")
	var dst image.YCbCr
	if _, err := Decode(&dst, src, 2); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(20, func() { _, _ = Decode(&dst, src, 2) }); n != 0 {
		t.Errorf("%.1f allocations per decode, want 0", n)
	}
}

// FuzzDecode: outside bytes never crash the decoder; what decodes has
// consistent planes.
func FuzzDecode(f *testing.F) {
	good := readFixture(f, "card_640x360_nohuff.jpg")
	f.Add(good, 2)
	f.Add(good[:600], 1)
	f.Add(good[:len(good)-100], 2)
	f.Add(readFixture(f, "card_640x360.jpg")[:2000], 8)
	f.Add([]byte{0xff, 0xd8, 0xff, 0xda, 0, 2}, 1)
	f.Fuzz(func(t *testing.T, b []byte, denom int) {
		var dst image.YCbCr
		hd, err := Decode(&dst, b, denom)
		if err != nil {
			return
		}
		w, h := Scaled(hd.Width, denom), Scaled(hd.Height, denom)
		if dst.Rect != image.Rect(0, 0, w, h) || len(dst.Y) != w*h || len(dst.Cb) != len(dst.Cr) {
			t.Fatalf("header %+v, rect %v, planes %d %d %d", hd, dst.Rect, len(dst.Y), len(dst.Cb), len(dst.Cr))
		}
		_ = dst.YCbCrAt(w-1, h-1)
	})
}

// TestDecodeCameraQuirks: what real UVC cameras send and a kiosk must
// still show — junk bytes before the end marker (libjpeg's "extraneous
// bytes" warning, on every frame of some cameras) and zero padding after
// it — decodes to the same picture; a frame cut short does not.
func TestDecodeCameraQuirks(t *testing.T) {
	good := readFixture(t, "card_640x360_nohuff.jpg")
	eoi := bytes.LastIndex(good, []byte{0xff, 0xd9})
	junk := append(append(append([]byte(nil), good[:eoi]...), bytes.Repeat([]byte{0x5a}, 16)...), good[eoi:]...)
	padded := append(append([]byte(nil), good...), make([]byte, 300)...)
	var want image.YCbCr
	if _, err := Decode(&want, good, 2); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"extraneous bytes": junk, "zero padding": padded} {
		var got image.YCbCr
		if _, err := Decode(&got, b, 2); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(got.Y, want.Y) || !bytes.Equal(got.Cb, want.Cb) {
			t.Errorf("%s: the picture differs", name)
		}
	}
	var dst image.YCbCr
	if _, err := Decode(&dst, good[:eoi-100], 2); !errors.Is(err, ErrCorrupt) {
		t.Errorf("cut short: err = %v, want ErrCorrupt", err)
	}
}

// TestDecodeWarningAcrossThreads: libjpeg-turbo writes a warning's text to a
// thread-local buffer, and the Go scheduler may run a goroutine's next cgo
// call on another thread. A camera's harmless warning must be recognised
// however the decoding goroutines move between threads (read in a second
// cgo call, it was "No error" on another thread, and a good frame was
// dropped: TestDecodeCameraQuirks failed once in CI).
func TestDecodeWarningAcrossThreads(t *testing.T) {
	good := readFixture(t, "card_640x360_nohuff.jpg")
	eoi := bytes.LastIndex(good, []byte{0xff, 0xd9})
	junk := append(append(append([]byte(nil), good[:eoi]...), bytes.Repeat([]byte{0x5a}, 16)...), good[eoi:]...)
	damaged := append([]byte(nil), good...)
	for i := eoi - 400; i < eoi-300; i++ {
		damaged[i] = 0xff // markers inside the scan: a warning that is not harmless
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst image.YCbCr
			for i := range 40 {
				if g%2 == 1 && i%2 == 0 {
					// Some threads' buffers then hold another warning's text.
					_, _ = Decode(&dst, damaged, 8)
				}
				if _, err := Decode(&dst, junk, 8); err != nil {
					errs <- err
					return
				}
				runtime.Gosched()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
