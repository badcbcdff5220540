package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runSignatureCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runWithConfig(t, "[signature]\nexport_width = 1200\n", nil, args...)
}

func TestSignatureRender(t *testing.T) {
	points := filepath.Join("..", "..", "capture", "signature", "testdata", "recorded.json")
	golden, err := os.ReadFile(filepath.Join("..", "..", "capture", "signature", "testdata", "export-1200.png"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "sig.png")
	code, stdout, stderr := runSignatureCLI(t, "signature", "render", "--points", points, "--out", out, "--width", "1200")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, golden) {
		t.Error("rendered PNG differs from capture/signature's golden export")
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("PNG written with mode %v, want 0600", fi.Mode().Perm())
	}
	if !strings.Contains(stdout, "3 strokes; ink accepted") {
		t.Errorf("stdout %q", stdout)
	}

	// Without --width the configured export width applies.
	code, _, stderr = runSignatureCLI(t, "signature", "render", "--points", points, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, golden) {
		t.Error("without --width the PNG differs from the export at the configured 1200 px")
	}
}

func TestSignatureRenderErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secret := `{"version":1,"width":100,"height":50,"strokes":[[{"x":12345.678,"y":1,"t":0}` // truncated
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no flags", nil, "--points and --out are required"},
		{"missing file", []string{"--points", filepath.Join(dir, "nope.json"), "--out", filepath.Join(dir, "o.png")}, "no such file"},
		{"malformed", []string{"--points", write("bad.json", secret), "--out", filepath.Join(dir, "o.png")}, "invalid vector data"},
		{"empty", []string{"--points", write("empty.json", `{"version":1,"width":100,"height":50,"strokes":[]}`), "--out", filepath.Join(dir, "o.png")}, "no ink"},
		{"width", []string{"--points", write("w.json", "{}"), "--out", filepath.Join(dir, "o.png"), "--width", "-3"}, "outside"},
		{"positional", []string{"extra"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runSignatureCLI(t, append([]string{"signature", "render"}, tt.args...)...)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d saying %q", code, stderr, ExitUsage, tt.want)
			}
			if strings.Contains(stderr, "12345.678") {
				t.Error("the error repeats the signature's data")
			}
		})
	}
}
