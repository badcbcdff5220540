package app

import (
	"image"
	"testing"

	"github.com/signet-kiosk/signet/capture/idscan"
)

// The live checks see the preview-size luma; the check before a still gets
// the full-resolution luma, with the guide at that size.
func TestCameraFrameFullCheck(t *testing.T) {
	half := image.NewGray(image.Rect(0, 0, 960, 540))
	full := image.NewGray(image.Rect(0, 0, 1920, 1080))
	calls := 0
	f := CameraFrame{Luma: half, FullLuma: func() *image.Gray { calls++; return full }}
	y, g := f.fullCheck()
	if y != full || calls != 1 {
		t.Fatalf("fullCheck used %v after %d calls", y.Rect, calls)
	}
	if want := idscan.Guide(1920, 1080, idscan.CardAspect, guideFill); g != want {
		t.Errorf("guide %v, want %v", g, want)
	}
	// A frame that is full size already (no FullLuma) checks its Luma.
	if y, g := (CameraFrame{Luma: full}).fullCheck(); y != full || g != idscan.Guide(1920, 1080, idscan.CardAspect, guideFill) {
		t.Errorf("without FullLuma: %v %v", y.Rect, g)
	}
}
