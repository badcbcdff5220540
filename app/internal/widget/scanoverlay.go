package widget

import (
	"image"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Colours of the scan overlay: drawn over a live picture, so they do not
// follow the theme.
var (
	overlayShade    = color.NRGBA{0, 0, 0, 110}       // outside the guide
	overlayGuide    = color.NRGBA{255, 255, 255, 230} // guide while searching
	overlayHolding  = color.NRGBA{46, 204, 113, 255}  // guide and ring while the checks hold
	overlayRingBack = color.NRGBA{255, 255, 255, 70}
	overlayBubble   = color.NRGBA{0, 0, 0, 170}
	overlayFlash    = color.NRGBA{255, 255, 255, 220}
)

// FlashDuration is how long the shutter flash takes to fade.
const FlashDuration = 350 * time.Millisecond

// ScanOverlay is drawn over the camera view (stack it on top with
// container.NewStack): the guide frame the guest aims the card at, with the
// rest of the picture shaded; the live hint in a bubble; a progress ring
// while every check holds; and a white flash when the photo is taken. It
// only draws: it takes no taps, so the view below keeps them.
//
// The guide is given in camera-frame pixels (SetGuide); the frame is drawn
// centred and scaled to fit (canvas.ImageFillContain). Like every
// widget it is changed on the Fyne goroutine: the camera goroutine wraps
// SetHint, SetProgress and Flash in fyne.Do.
type ScanOverlay struct {
	widget.BaseWidget

	frame    image.Point
	guide    image.Rectangle
	hint     string
	progress float64
	flash    *fyne.Animation
	flashA   uint8
}

// NewScanOverlay returns an overlay with no guide set: until SetGuide it
// draws the guide over the middle of its area at the ID-1 card's aspect.
func NewScanOverlay() *ScanOverlay {
	o := &ScanOverlay{}
	o.ExtendBaseWidget(o)
	return o
}

// SetGuide sets the camera frame's size and the guide frame within it, both
// in frame pixels.
func (o *ScanOverlay) SetGuide(frameW, frameH int, guide image.Rectangle) {
	o.frame, o.guide = image.Pt(frameW, frameH), guide
	o.Refresh()
}

// SetHint sets the live hint, already translated; "" hides the bubble.
func (o *ScanOverlay) SetHint(text string) {
	if o.hint == text {
		return
	}
	o.hint = text
	o.Refresh()
}

// SetProgress sets the progress ring, 0–1; 0 hides it.
func (o *ScanOverlay) SetProgress(p float64) {
	if math.IsNaN(p) {
		p = 0
	}
	p = math.Max(0, math.Min(1, p))
	if o.progress == p {
		return
	}
	o.progress = p
	o.Refresh()
}

// Progress returns the progress ring's value.
func (o *ScanOverlay) Progress() float64 { return o.progress }

// Hint returns the hint shown.
func (o *ScanOverlay) Hint() string { return o.hint }

// Flash shows the shutter flash: white over the picture, fading out over
// FlashDuration.
func (o *ScanOverlay) Flash() {
	if o.flash != nil {
		o.flash.Stop()
	}
	o.flashStep(0)
	o.flash = fyne.NewAnimation(FlashDuration, o.flashStep)
	o.flash.Curve = fyne.AnimationEaseOut
	o.flash.Start()
}

// flashStep draws the flash at f (0 start, 1 end) of its fade.
func (o *ScanOverlay) flashStep(f float32) {
	o.flashA = uint8(float32(overlayFlash.A) * (1 - f))
	o.Refresh()
}

// GuideRect returns the guide frame in the overlay's coordinates at its
// current size.
func (o *ScanOverlay) GuideRect() (fyne.Position, fyne.Size) {
	return o.guideRect(o.Size())
}

func (o *ScanOverlay) guideRect(size fyne.Size) (fyne.Position, fyne.Size) {
	if o.frame.X <= 0 || o.frame.Y <= 0 || o.guide.Empty() {
		// No guide yet: the ID-1 aspect over 70 % of the area.
		const aspect = 85.60 / 53.98
		w := size.Width * 0.7
		h := w / aspect
		if h > size.Height*0.7 {
			h = size.Height * 0.7
			w = h * aspect
		}
		return fyne.NewPos((size.Width-w)/2, (size.Height-h)/2), fyne.NewSize(w, h)
	}
	return ContainRect(o.frame, o.guide, size)
}

// ContainRect maps r, a rectangle of a frame of the given size, to the
// coordinates of an area of size where the frame is drawn centred and
// scaled to fit (canvas.ImageFillContain).
func ContainRect(frame image.Point, r image.Rectangle, size fyne.Size) (fyne.Position, fyne.Size) {
	if frame.X <= 0 || frame.Y <= 0 {
		return fyne.Position{}, fyne.Size{}
	}
	s := min(size.Width/float32(frame.X), size.Height/float32(frame.Y))
	x0 := (size.Width - float32(frame.X)*s) / 2
	y0 := (size.Height - float32(frame.Y)*s) / 2
	return fyne.NewPos(x0+float32(r.Min.X)*s, y0+float32(r.Min.Y)*s),
		fyne.NewSize(float32(r.Dx())*s, float32(r.Dy())*s)
}

// CreateRenderer implements fyne.Widget.
func (o *ScanOverlay) CreateRenderer() fyne.WidgetRenderer {
	r := &scanOverlayRenderer{o: o}
	for i := range r.shade {
		r.shade[i] = canvas.NewRectangle(overlayShade)
	}
	r.guide = canvas.NewRectangle(color.Transparent)
	r.guide.StrokeWidth = 6
	r.guide.CornerRadius = 16
	r.bubble = canvas.NewRectangle(overlayBubble)
	r.bubble.CornerRadius = 14
	r.text = canvas.NewText("", color.White)
	r.text.Alignment = fyne.TextAlignCenter
	r.text.TextStyle = fyne.TextStyle{Bold: true}
	r.ringBack = canvas.NewArc(0, 360, 0.78, overlayRingBack)
	r.ring = canvas.NewArc(0, 0, 0.78, overlayHolding)
	r.flash = canvas.NewRectangle(color.Transparent)
	r.objects = []fyne.CanvasObject{r.shade[0], r.shade[1], r.shade[2], r.shade[3], r.guide,
		r.bubble, r.text, r.ringBack, r.ring, r.flash}
	r.Refresh()
	return r
}

type scanOverlayRenderer struct {
	o        *ScanOverlay
	shade    [4]*canvas.Rectangle // above, below, left, right of the guide
	guide    *canvas.Rectangle
	bubble   *canvas.Rectangle
	text     *canvas.Text
	ringBack *canvas.Arc
	ring     *canvas.Arc
	flash    *canvas.Rectangle
	objects  []fyne.CanvasObject
}

func (r *scanOverlayRenderer) Destroy() {
	if r.o.flash != nil {
		r.o.flash.Stop()
	}
}

func (r *scanOverlayRenderer) MinSize() fyne.Size { return fyne.NewSize(160, 100) }

func (r *scanOverlayRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *scanOverlayRenderer) Layout(size fyne.Size) {
	pos, gs := r.o.guideRect(size)
	x0, y0, x1, y1 := pos.X, pos.Y, pos.X+gs.Width, pos.Y+gs.Height
	place := func(o fyne.CanvasObject, x, y, w, h float32) {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(max(0, w), max(0, h)))
	}
	place(r.shade[0], 0, 0, size.Width, y0)
	place(r.shade[1], 0, y1, size.Width, size.Height-y1)
	place(r.shade[2], 0, y0, x0, gs.Height)
	place(r.shade[3], x1, y0, size.Width-x1, gs.Height)
	place(r.guide, x0, y0, gs.Width, gs.Height)
	place(r.flash, 0, 0, size.Width, size.Height)

	// The hint sits just inside the guide's lower edge, where the card's
	// own text is least likely to matter to the guest.
	ts := fyne.MeasureText(r.text.Text, r.text.TextSize, r.text.TextStyle)
	pad := float32(14)
	bw, bh := min(ts.Width+2*pad, size.Width), ts.Height+pad
	by := y1 - bh - 16
	if by < y0 {
		by = y1 + 8
	}
	place(r.bubble, (size.Width-bw)/2, by, bw, bh)
	place(r.text, (size.Width-bw)/2, by+pad/2, bw, ts.Height)

	// The ring in the guide's centre; canvas.Arc is positioned by its
	// centre.
	d := max(48, min(gs.Width, gs.Height)*0.28)
	c := fyne.NewPos(x0+gs.Width/2, y0+gs.Height/2)
	for _, a := range []*canvas.Arc{r.ringBack, r.ring} {
		a.Move(c)
		a.Resize(fyne.NewSize(d, d))
	}
}

func (r *scanOverlayRenderer) Refresh() {
	o := r.o
	holding := o.progress > 0
	if holding {
		r.guide.StrokeColor = overlayHolding
	} else {
		r.guide.StrokeColor = overlayGuide
	}
	r.text.Text = o.hint
	r.text.TextSize = theme.TextSize() * 1.1
	if o.hint == "" {
		r.bubble.Hide()
		r.text.Hide()
	} else {
		r.bubble.Show()
		r.text.Show()
	}
	if holding {
		r.ring.EndAngle = float32(360 * o.progress)
		r.ring.Show()
		r.ringBack.Show()
	} else {
		r.ring.Hide()
		r.ringBack.Hide()
	}
	c := overlayFlash
	c.A = o.flashA
	r.flash.FillColor = c
	if o.flashA == 0 {
		r.flash.Hide()
	} else {
		r.flash.Show()
	}
	r.Layout(o.Size())
	for _, obj := range r.objects {
		obj.Refresh()
	}
}
