//go:build linux

package cli

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/imagecheck/imagechecktest"
	"github.com/signet-kiosk/signet/capture/signature/signaturetest"
	"github.com/signet-kiosk/signet/internal/proctest"
)

// A valid 20000×20000 PNG (0.4 MB) is refused from its header: exit 2, the
// size named, and the process's peak RSS far below the 1.6 GB of pixels.
func TestMRZReadImageBombBoundedRSS(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.png")
	bomb := imagechecktest.BlankPNG(20000, 20000)
	if err := os.WriteFile(path, bomb, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runChild(t, nil, "mrz", "read", "--image", path)
	t.Logf("mrz read --image %d-byte 20000×20000 PNG: exit %d, peak RSS %.1f MB", len(bomb), r.Code, r.PeakRSSMB)
	if r.Code != ExitUsage {
		t.Errorf("exit %d, want 2; stderr %s", r.Code, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "image 20000×20000 is larger than 24 MP") {
		t.Errorf("stderr %q does not name the size and the limit", r.Stderr)
	}
	if r.PeakRSSMB <= 0 || r.PeakRSSMB > 300 {
		t.Errorf("peak RSS %.1f MB, want ≤ 300 MB", r.PeakRSSMB)
	}
}

// importerLimitsPoints writes vector data at signature's importer limits
// with a pen penWidth units wide (0: the default pen), and returns its path.
func importerLimitsPoints(t *testing.T, penWidth float64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "points.json")
	if err := os.WriteFile(path, signaturetest.AtImporterLimits(t, penWidth), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// At the importer's limits with a 100-unit pen, --width 4000 (eleven minutes
// of CPU before) is refused before drawing: exit 2 and a reason.
func TestSignatureRenderTooCostlyRefused(t *testing.T) {
	points := importerLimitsPoints(t, 100)
	out := filepath.Join(t.TempDir(), "sig.png")
	r := runChild(t, nil, "signature", "render", "--points", points, "--out", out, "--width", "4000")
	t.Logf("signature render, importer's limits, 100-unit pen, --width 4000: exit %d in %v, peak RSS %.1f MB",
		r.Code, r.Wall.Round(time.Millisecond), r.PeakRSSMB)
	if r.Code != ExitUsage || !strings.Contains(r.Stderr, "too costly") {
		t.Errorf("exit %d, stderr %q; want 2 and too costly", r.Code, r.Stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a PNG was written")
	}
	if r.PeakRSSMB > 300 {
		t.Errorf("peak RSS %.1f MB", r.PeakRSSMB)
	}
}

// A render that takes seconds (the importer's limits with the default pen
// at --width 4000) ends within a second of SIGTERM, writing nothing.
func TestSignatureRenderEndsOnSIGTERM(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		points := importerLimitsPoints(t, 0)
		out := filepath.Join(t.TempDir(), "sig.png")
		c := startChild(t, nil, "signature", "render", "--points", points, "--out", out, "--width", "4000")
		// Reading the points and counting their cost take about a second
		// of CPU, drawing four more (a few times more of each under
		// -race): signal while it draws.
		cpu := 2 * time.Second
		if raceEnabled {
			cpu = 6 * time.Second
		}
		proctest.WaitCPU(t, c.cmd.Process.Pid, cpu)
		sent := time.Now()
		if err := c.cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		r := c.wait(t, 10*time.Second)
		took := time.Since(sent)
		t.Logf("signature render --width 4000 at the importer's limits: %v to exit %d in %v, peak RSS %.1f MB",
			sig, r.Code, took.Round(time.Millisecond), r.PeakRSSMB)
		if took > time.Second {
			t.Errorf("%v: exited %v after the signal, want within 1 s", sig, took)
		}
		if r.Code != ExitGaveUp || !strings.Contains(r.Stderr, "stopped before writing") {
			t.Errorf("%v: exit %d, stderr %q; want 3 and stopped (did it finish first?)", sig, r.Code, r.Stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: a PNG was written", sig)
		}
	}
}

// mews docs import reads at most 8 MiB: /dev/zero is refused with exit 2
// and a bounded peak RSS (it grew past 1.2 GB before).
func TestMewsDocsImportDevZeroBounded(t *testing.T) {
	r := runChild(t, nil, "mews", "docs", "import", "--file", "/dev/zero")
	t.Logf("mews docs import --file /dev/zero: exit %d, peak RSS %.1f MB, stderr %q", r.Code, r.PeakRSSMB, r.Stderr)
	if r.Code != ExitUsage || !strings.Contains(r.Stderr, "/dev/zero is larger than 8 MiB") {
		t.Errorf("exit %d, stderr %q; want 2 and the limit", r.Code, r.Stderr)
	}
	// About 50 MB without -race; the race detector's shadow memory more
	// than doubles it. Unbounded, it grows by gigabytes.
	if r.PeakRSSMB > 200 {
		t.Errorf("peak RSS %.1f MB, want ≤ 200 MB", r.PeakRSSMB)
	}
	// Standard input is capped the same way.
	r = runChild(t, bytes.Repeat([]byte(" "), 9<<20), "mews", "docs", "import", "--file", "-")
	if r.Code != ExitUsage || !strings.Contains(r.Stderr, "standard input is larger than 8 MiB") {
		t.Errorf("stdin: exit %d, stderr %q", r.Code, r.Stderr)
	}
}

// cameras snapshot from a file: recording whose frame claims 20000×20000
// is refused from the header: exit 2, the size named, bounded RSS.
func TestCamerasSnapshotImageBombBoundedRSS(t *testing.T) {
	var small bytes.Buffer
	if err := jpeg.Encode(&small, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	b := small.Bytes()
	i := bytes.Index(b, []byte{0xff, 0xc0}) // SOF0: marker, length, precision, height, width
	b[i+5], b[i+6], b[i+7], b[i+8] = 20000>>8, 20000&0xff, 20000>>8, 20000&0xff
	dir := t.TempDir()
	rec := filepath.Join(dir, "bomb.mjpeg")
	if err := os.WriteFile(rec, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "signet.toml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "snap.png")
	r := runChild(t, nil, "--config", cfg, "cameras", "snapshot", "--camera", "file:"+rec, "--out", out)
	t.Logf("cameras snapshot --camera file:(20000×20000 JPEG header): exit %d, peak RSS %.1f MB", r.Code, r.PeakRSSMB)
	if r.Code != ExitUsage || !strings.Contains(r.Stderr, "image 20000×20000 is larger than 24 MP") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	if r.PeakRSSMB > 300 {
		t.Errorf("peak RSS %.1f MB", r.PeakRSSMB)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a snapshot was written")
	}
}
