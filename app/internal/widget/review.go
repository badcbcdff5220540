package widget

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Review shows a captured document photo with Retake and Use photo. The
// screen sets the labels in the guest's language and the callbacks; the
// buttons are at least MinButtonHeight tall. The photo is personal data:
// Clear drops it when the screen is left.
type Review struct {
	widget.BaseWidget

	// OnRetake is called when the guest wants another photo.
	OnRetake func()
	// OnUse is called when the guest accepts the photo.
	OnUse func()

	photo  *canvas.Image
	retake *widget.Button
	use    *widget.Button
}

// NewReview returns a review of img with the buttons' labels.
func NewReview(img image.Image, retakeLabel, useLabel string) *Review {
	r := &Review{}
	r.photo = canvas.NewImageFromImage(img)
	r.photo.FillMode = canvas.ImageFillContain
	r.photo.ScaleMode = canvas.ImageScaleSmooth
	r.retake = widget.NewButtonWithIcon(retakeLabel, theme.ViewRefreshIcon(), func() {
		if r.OnRetake != nil {
			r.OnRetake()
		}
	})
	r.use = widget.NewButtonWithIcon(useLabel, theme.ConfirmIcon(), func() {
		if r.OnUse != nil {
			r.OnUse()
		}
	})
	r.use.Importance = widget.HighImportance
	r.ExtendBaseWidget(r)
	return r
}

// SetImage replaces the photo.
func (r *Review) SetImage(img image.Image) {
	r.photo.Image = img
	r.photo.Refresh()
}

// Clear drops the photo.
func (r *Review) Clear() { r.SetImage(nil) }

// CreateRenderer implements fyne.Widget.
func (r *Review) CreateRenderer() fyne.WidgetRenderer {
	return &reviewRenderer{r: r, objects: []fyne.CanvasObject{r.photo, r.retake, r.use}}
}

type reviewRenderer struct {
	r       *Review
	objects []fyne.CanvasObject
}

func (rr *reviewRenderer) Destroy() {}

func (rr *reviewRenderer) Objects() []fyne.CanvasObject { return rr.objects }

// buttonSize is the size each button gets: its own minimum, at least
// MinButtonHeight tall and 240 wide.
func (rr *reviewRenderer) buttonSize() fyne.Size {
	a, b := rr.r.retake.MinSize(), rr.r.use.MinSize()
	return fyne.NewSize(max(240, a.Width, b.Width), max(MinButtonHeight, a.Height, b.Height))
}

func (rr *reviewRenderer) MinSize() fyne.Size {
	bs := rr.buttonSize()
	pad := theme.Padding()
	return fyne.NewSize(2*bs.Width+3*pad, 200+bs.Height+2*pad)
}

func (rr *reviewRenderer) Layout(size fyne.Size) {
	bs := rr.buttonSize()
	pad := theme.Padding()
	photoH := max(0, size.Height-bs.Height-2*pad)
	rr.r.photo.Move(fyne.NewPos(0, 0))
	rr.r.photo.Resize(fyne.NewSize(size.Width, photoH))
	// Retake on the left, Use photo on the right, centred as a pair.
	x := (size.Width - 2*bs.Width - pad) / 2
	y := photoH + pad
	rr.r.retake.Move(fyne.NewPos(max(0, x), y))
	rr.r.retake.Resize(bs)
	rr.r.use.Move(fyne.NewPos(max(0, x)+bs.Width+pad, y))
	rr.r.use.Resize(bs)
}

func (rr *reviewRenderer) Refresh() {
	rr.Layout(rr.r.Size())
	for _, o := range rr.objects {
		o.Refresh()
	}
}
