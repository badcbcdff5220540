package e2e

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSignatureRender renders the recorded signature the way support would
// and checks the PNG is the one the booking API gets.
func TestSignatureRender(t *testing.T) {
	points := filepath.Join(repoRoot(), "capture", "signature", "testdata", "recorded.json")
	out := filepath.Join(t.TempDir(), "signature.png")
	r := signet(t, nil, "signature", "render", "--points", points, "--out", out, "--width", "1200")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Output())
	}
	if !strings.Contains(r.Stdout, "3 strokes") {
		t.Errorf("stdout %q", r.Stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(repoRoot(), "capture", "signature", "testdata", "export-1200.png"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Error("the PNG differs from the golden export")
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	if len(b) > 20<<10 {
		t.Errorf("PNG is %d bytes, want at most 20 KB", len(b))
	}

	bad := writeFile(t, "bad.json", `{"version":1,"width":100`)
	r = signet(t, nil, "signature", "render", "--points", bad, "--out", out)
	if r.Code != 2 || !strings.Contains(r.Stderr, "invalid vector data") {
		t.Errorf("malformed points: exit %d\n%s", r.Code, r.Output())
	}
}
