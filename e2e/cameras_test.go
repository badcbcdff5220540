package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/imagetest"
)

// TestCamerasSnapshotRecording: the snapshot of a recording is the frame an
// independent decoder (ffmpeg, when the fixture was made) gives.
func TestCamerasSnapshotRecording(t *testing.T) {
	rec := filepath.Join(repoRoot(), "capture", "camera", "testdata", "demo_640x360.mjpeg")
	out := filepath.Join(t.TempDir(), "snap.png")
	r := signet(t, nil, "cameras", "snapshot", "--camera", "file:"+rec, "--out", out)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Output())
	}
	got := imagetest.Read(t, out)
	want := imagetest.Read(t, filepath.Join(repoRoot(), "capture", "camera", "testdata", "demo_640x360_first.png"))
	if got.Rect != want.Rect {
		t.Fatalf("size %v, want %v", got.Rect, want.Rect)
	}
	if p := imagetest.PSNR(want, got); p < 40 {
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
