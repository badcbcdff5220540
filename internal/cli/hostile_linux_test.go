//go:build linux

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/capture/imagecheck/imagechecktest"
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
	if !strings.Contains(r.Stderr, "image 20000×20000 is larger than 40 MP") {
		t.Errorf("stderr %q does not name the size and the limit", r.Stderr)
	}
	if r.PeakRSSMB <= 0 || r.PeakRSSMB > 300 {
		t.Errorf("peak RSS %.1f MB, want ≤ 300 MB", r.PeakRSSMB)
	}
}
