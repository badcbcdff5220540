package e2e

import (
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readPNG(t *testing.T, path string) *image.RGBA {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Rect, img, image.Point{}, draw.Src)
	return out
}

// TestCamerasSnapshotRecording: the snapshot of a recording is the frame an
// independent decoder (ffmpeg, when the fixture was made) gives.
func TestCamerasSnapshotRecording(t *testing.T) {
	rec := filepath.Join(repoRoot(), "capture", "camera", "testdata", "demo_640x360.mjpeg")
	out := filepath.Join(t.TempDir(), "snap.png")
	r := signet(t, nil, "cameras", "snapshot", "--camera", "file:"+rec, "--out", out)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Output())
	}
	got := readPNG(t, out)
	want := readPNG(t, filepath.Join(repoRoot(), "capture", "camera", "testdata", "demo_640x360_first.png"))
	if got.Rect != want.Rect {
		t.Fatalf("size %v, want %v", got.Rect, want.Rect)
	}
	var se float64
	n := 0
	for i := range got.Pix {
		if i%4 != 3 {
			d := float64(got.Pix[i]) - float64(want.Pix[i])
			se, n = se+d*d, n+1
		}
	}
	if p := 10 * math.Log10(255*255/(se/float64(n))); p < 40 {
		t.Errorf("PSNR %.1f dB, want ≥ 40", p)
	}
}

func TestCamerasList(t *testing.T) {
	r := signet(t, nil, "cameras")
	if r.Code != 0 || !strings.Contains(r.Stdout, "synthetic") {
		t.Fatalf("exit %d\n%s", r.Code, r.Output())
	}
}

func TestCamerasSnapshotBadSpec(t *testing.T) {
	r := signet(t, nil, "cameras", "snapshot", "--camera", "nope", "--out", filepath.Join(t.TempDir(), "x.png"))
	if r.Code != 2 {
		t.Fatalf("exit %d, want 2\n%s", r.Code, r.Output())
	}
}
