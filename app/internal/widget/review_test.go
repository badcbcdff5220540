package widget

import (
	"image"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestReview(t *testing.T) {
	test.NewTempApp(t)
	img := image.NewRGBA(image.Rect(0, 0, 300, 190))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	r := NewReview(img, "Nouvelle photo", "Utiliser")
	w := test.NewTempWindow(t, r)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(800, 520))
	var retakes, uses int
	r.OnRetake = func() { retakes++ }
	r.OnUse = func() { uses++ }

	for _, b := range []fyne.CanvasObject{r.retake, r.use} {
		if h := b.Size().Height; h < MinButtonHeight {
			t.Errorf("button is %g tall, want at least %d", h, MinButtonHeight)
		}
	}
	if r.photo.Size().Height <= 0 || r.photo.Position().Y+r.photo.Size().Height > r.retake.Position().Y {
		t.Errorf("photo %v %v overlaps the buttons at %v", r.photo.Position(), r.photo.Size(), r.retake.Position())
	}
	if r.retake.Position().X >= r.use.Position().X {
		t.Error("Retake must be left of Use photo")
	}
	test.Tap(r.retake)
	test.Tap(r.use)
	test.Tap(r.use)
	if retakes != 1 || uses != 2 {
		t.Errorf("retakes %d uses %d", retakes, uses)
	}
	if r.retake.Text != "Nouvelle photo" || r.use.Text != "Utiliser" {
		t.Errorf("labels %q %q", r.retake.Text, r.use.Text)
	}
	test.AssertImageMatches(t, "review/review.png", w.Canvas().Capture())
	r.Clear()
	if r.photo.Image != nil {
		t.Error("Clear kept the photo")
	}
	// Without callbacks a tap does nothing.
	r2 := NewReview(nil, "a", "b")
	test.Tap(r2.retake)
	test.Tap(r2.use)
}
