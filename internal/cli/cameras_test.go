package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/imagetest"
)

func runCamerasCLI(t *testing.T, getenv map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runWithConfig(t, "", getenv, args...)
}

func TestCamerasSnapshot(t *testing.T) {
	rec := filepath.Join("..", "..", "capture", "camera", "testdata", "demo_640x360.mjpeg")
	ref := imagetest.Read(t, filepath.Join("..", "..", "capture", "camera", "testdata", "demo_640x360_first.png"))
	dir := t.TempDir()
	tests := []struct {
		out     string
		minPSNR float64
	}{
		{"snap.png", 40},
		{"snap.jpg", 35}, // a second lossy encoding
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			out := filepath.Join(dir, tt.out)
			code, stdout, stderr := runCamerasCLI(t, nil, "cameras", "snapshot", "--camera", "file:"+rec, "--out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, "640x360") {
				t.Errorf("stdout %q", stdout)
			}
			if p := imagetest.PSNR(ref, imagetest.Read(t, out)); p < tt.minPSNR {
				t.Errorf("PSNR %.1f dB, want ≥ %g", p, tt.minPSNR)
			}
			if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode().Perm())
			}
		})
	}
}

func TestCamerasSnapshotFromConfig(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s.png")
	code, _, stderr := runCamerasCLI(t, map[string]string{"SIGNET_CAMERA": "synthetic:scene=qr,size=320x180"},
		"cameras", "snapshot", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b := imagetest.Read(t, out).Bounds(); b.Dx() != 320 {
		t.Errorf("bounds %v", b)
	}
}

func TestCamerasSnapshotErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no out", []string{"--camera", "synthetic"}, ExitUsage, "--out is required"},
		{"bad ext", []string{"--camera", "synthetic", "--out", filepath.Join(dir, "x.gif")}, ExitUsage, ".png"},
		{"bad spec", []string{"--camera", "webcam", "--out", filepath.Join(dir, "x.png")}, ExitUsage, "bad spec"},
		{"missing file", []string{"--camera", "file:" + filepath.Join(dir, "none.mjpeg"), "--out", filepath.Join(dir, "x.png")}, ExitUsage, "no such file"}, // a local file error
		{"missing device", []string{"--camera", "/dev/video-none", "--out", filepath.Join(dir, "x.png")}, ExitRefused, "/dev/video-none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCamerasCLI(t, nil, append([]string{"cameras", "snapshot"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.msg)
			}
		})
	}
}

func TestCamerasList(t *testing.T) {
	code, stdout, stderr := runCamerasCLI(t, nil, "cameras")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "synthetic") {
		t.Errorf("stdout %q", stdout)
	}
}
