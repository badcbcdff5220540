package imagecheck_test

import (
	"bytes"
	"errors"
	"runtime"
	"testing"

	"github.com/signet-kiosk/signet/capture/imagecheck"
	"github.com/signet-kiosk/signet/capture/imagecheck/imagechecktest"
)

// testingMem reads the bytes allocated so far.
type testingMem struct{ total uint64 }

func (m *testingMem) read() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.total = s.TotalAlloc
}

// FuzzDecode: any bytes give an image within the limits or an error, never
// a panic, and an accepted image is as large as its header said.
func FuzzDecode(f *testing.F) {
	f.Add(encode(f, 16, 16, "png"))
	f.Add(encode(f, 16, 16, "jpeg"))
	f.Add(imagechecktest.BlankPNG(20000, 20000)[:64])
	f.Add(imagechecktest.BlankPNG(7000, 7000)[:64])
	f.Add(imagechecktest.BlankPNG(3, 5))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, _, cfgErr := imagecheck.DecodeConfig(bytesReader(data))
		img, _, err := imagecheck.Decode(data)
		if err != nil {
			if errors.Is(err, imagecheck.ErrTooLarge) && cfgErr == nil {
				t.Fatalf("Decode refused the size DecodeConfig accepted: %v", err)
			}
			return
		}
		if cfgErr != nil {
			t.Fatalf("Decode accepted what DecodeConfig refused: %v", cfgErr)
		}
		b := img.Bounds()
		if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
			t.Fatalf("decoded %v, header %d×%d", b, cfg.Width, cfg.Height)
		}
		if int64(b.Dx())*int64(b.Dy()) > imagecheck.MaxPixels || b.Dx() > imagecheck.MaxSide || b.Dy() > imagecheck.MaxSide {
			t.Fatalf("accepted %v", b)
		}
	})
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
