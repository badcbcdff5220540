package camera

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/capture/imagecheck"
)

// bombJPEG is a small valid JPEG whose frame header is then made to claim
// w×h pixels: what a hostile recording would hold.
func bombJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	// SOF0: marker, length (2), precision (1), height (2), width (2).
	b[i+5], b[i+6] = byte(h>>8), byte(h)
	b[i+7], b[i+8] = byte(w>>8), byte(w)
	return b
}

// A file: recording is outside input: a frame whose header asks for more
// than imagecheck allows is refused when the camera opens, before any
// frame is decoded, by Open and by Snapshot alike.
func TestFileCameraRefusesOversizedFrame(t *testing.T) {
	var good bytes.Buffer
	if err := jpeg.Encode(&good, image.NewGray(image.Rect(0, 0, 64, 48)), nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bomb.mjpeg")
	rec := append(append([]byte{}, good.Bytes()...), bombJPEG(t, 20000, 20000)...)
	if err := os.WriteFile(path, rec, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), "file:"+path, Options{})
	if !errors.Is(err, ErrBadRecording) || !errors.Is(err, imagecheck.ErrTooLarge) ||
		!strings.Contains(err.Error(), "frame 2: image 20000×20000 is larger than 24 MP") {
		t.Errorf("Open: %v", err)
	}
	if _, _, err := Snapshot(context.Background(), "file:"+path, Options{}); !errors.Is(err, imagecheck.ErrTooLarge) {
		t.Errorf("Snapshot: %v", err)
	}

	// The same recording without the bomb plays.
	if err := os.WriteFile(path, good.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	img, _, err := Snapshot(context.Background(), "file:"+path, Options{})
	if err != nil || img.Bounds().Size() != image.Pt(64, 48) {
		t.Errorf("good recording: %v", err)
	}
}
