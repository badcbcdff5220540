package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFilePrivate replaces an existing file of any mode by a 0600 one with
// the new content, and leaves no temporary file behind.
func TestWriteFilePrivateReplacesWithPrivateMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sig.png")
	if err := os.WriteFile(path, []byte("old, readable by all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	if err := writeFilePrivate(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("content %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the file", len(entries))
	}

	// A directory in the way, or a missing directory, is an error that
	// leaves nothing behind.
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := writeFilePrivate(sub, []byte("x")); err == nil {
		t.Error("wrote over a directory")
	}
	if err := writeFilePrivate(filepath.Join(dir, "missing", "f.png"), []byte("x")); err == nil {
		t.Error("wrote into a missing directory")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("directory holds %d entries after the failures, want 2", len(entries))
	}
}

func TestReadFileLimited(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), 2048), 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := readFileLimited(path, nil, 2048); err != nil || len(b) != 2048 {
		t.Errorf("at the limit: %d bytes, %v", len(b), err)
	}
	_, err := readFileLimited(path, nil, 2047)
	if err == nil || !strings.Contains(err.Error(), "is larger than 2047 bytes") {
		t.Errorf("over the limit: %v", err)
	}
	_, err = readFileLimited("-", strings.NewReader(strings.Repeat("y", 5000)), 4<<10)
	if err == nil || !strings.Contains(err.Error(), "standard input is larger than 4 KiB") {
		t.Errorf("stdin over the limit: %v", err)
	}
}

// signature render into an existing 0644 file leaves a 0600 one (issue 15,
// section 7): a signature is personal data.
func TestSignatureRenderOverReadableFile(t *testing.T) {
	points := filepath.Join("..", "..", "capture", "signature", "testdata", "recorded.json")
	out := filepath.Join(t.TempDir(), "sig.png")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(out, 0o644)
	if code, _, stderr := runSignatureCLI(t, "signature", "render", "--points", points, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 || fi.Size() < 100 {
		t.Errorf("after render: mode %v, %d bytes; want 0600 and the PNG", fi.Mode().Perm(), fi.Size())
	}
}
