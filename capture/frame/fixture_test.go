package frame_test

import (
	"bytes"
	"flag"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/frame/internal/tjpeg"
)

// The benchmark fixture testdata/frame-1080p.mjpeg is one 1920×1080 MJPEG
// frame as a UVC camera sends it: baseline, 4:2:2, quality about 80, and no
// Huffman tables. Its picture is the synthetic camera's desk scene with the
// ID card, tilted and turned, a little glare, and sensor noise (σ 4 grey
// levels), so the entropy-coded data is as dense as a real frame's.
//
// Regenerate it (needs ffmpeg) with
//
//	go test ./capture/frame -run TestFixture1080p -update-fixture
var updateFixture = flag.Bool("update-fixture", false, "regenerate testdata/frame-1080p.mjpeg with ffmpeg")

const fixture1080p = "frame-1080p.mjpeg"

func TestFixture1080p(t *testing.T) {
	if *updateFixture {
		writeFixture1080p(t)
	}
	b := readFile(t, fixture1080p)
	if n := bytes.Count(b[:scanStart(t, b)], []byte{0xff, 0xc4}); n != 0 {
		t.Fatalf("fixture has %d DHT markers before its scan, want none", n)
	}
	hd, err := tjpeg.DecodeHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	if hd.Width != 1920 || hd.Height != 1080 || hd.Ratio != image.YCbCrSubsampleRatio422 {
		t.Fatalf("fixture header %+v, want 1920×1080 4:2:2", hd)
	}
	// Not a flat synthetic frame: a noisy camera picture at q≈80 takes
	// well over 1 bit per pixel.
	if len(b) < 180_000 {
		t.Errorf("fixture is %d bytes: too smooth for a camera frame", len(b))
	}
}

// writeFixture1080p renders the scene, encodes it with ffmpeg's MJPEG
// encoder using the standard Huffman tables (-huffman default) and strips
// the DHT segment, as UVC cameras do.
func writeFixture1080p(t *testing.T) {
	ff, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg not installed")
	}
	img, _ := synthetic.New(1920, 1080, 7).RenderFrame(synthetic.Conditions{
		Card: true, Rotate: 4, Tilt: 6, X: 0.04, Y: -0.03, Glare: 0.25, Noise: 4,
	}, 0)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "scene.png"), filepath.Join(dir, "frame.jpg")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// -q:v 3 gives about the size of quality 80 for this content (image/jpeg
	// at quality 80, 4:2:0: 207 KB; this 4:2:2 frame: 211 KB).
	cmd := exec.Command(ff, "-hide_banner", "-loglevel", "error", "-y", "-i", in,
		"-c:v", "mjpeg", "-huffman", "default", "-pix_fmt", "yuvj422p", "-q:v", "3",
		"-frames:v", "1", "-f", "image2", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, msg)
	}
	j, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", fixture1080p), stripDHT(j), 0o644); err != nil {
		t.Fatal(err)
	}
}

// segments calls fn for each marker segment before the first scan (SOS)
// and returns SOS's offset; the walk is for well-formed test data only.
func segments(t testing.TB, j []byte, fn func(marker byte, seg []byte)) int {
	t.Helper()
	i := 2
	for i+4 <= len(j) && j[i] == 0xff {
		m := j[i+1]
		if m == 0xda {
			return i
		}
		n := int(j[i+2])<<8 | int(j[i+3])
		fn(m, j[i:i+2+n])
		i += 2 + n
	}
	t.Fatal("no scan in test JPEG")
	return 0
}

func scanStart(t testing.TB, j []byte) int { return segments(t, j, func(byte, []byte) {}) }

// stripDHT removes the Huffman tables, as UVC cameras send frames.
func stripDHT(j []byte) []byte {
	out := append([]byte(nil), j[:2]...)
	i := 2
	for i+4 <= len(j) && j[i] == 0xff {
		m := j[i+1]
		if m == 0xda {
			return append(out, j[i:]...)
		}
		n := int(j[i+2])<<8 | int(j[i+3])
		if m != 0xc4 {
			out = append(out, j[i:i+2+n]...)
		}
		i += 2 + n
	}
	return j
}

// withStandardTables inserts the standard Huffman tables (JPEG Annex K.3)
// before the scan of a frame that has none, for decoders that need them
// (Go's image/jpeg). The tables are taken from image/jpeg's own encoder,
// which always writes exactly those.
func withStandardTables(t testing.TB, j []byte) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	var dht []byte
	segments(t, enc.Bytes(), func(m byte, seg []byte) {
		if m == 0xc4 {
			dht = append(dht, seg...)
		}
	})
	sos := scanStart(t, j)
	out := append([]byte(nil), j[:sos]...)
	out = append(out, dht...)
	return append(out, j[sos:]...)
}
