package widget

import (
	"image"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/capture/signature"
)

// The pad reacts to drags, presses and taps, but deliberately not to double
// taps: a DoubleTappable widget gets every Tapped ~300 ms late.
var (
	_ fyne.Draggable    = (*Pad)(nil)
	_ fyne.Tappable     = (*Pad)(nil)
	_ desktop.Mouseable = (*Pad)(nil)
	_ fyne.Widget       = (*Pad)(nil)
)

// Theme names the pad looks up. A theme that does not know them (the
// default theme returns 0 or transparent) gets the fallbacks: the
// foreground colour and the signature model's default widths.
const (
	// ThemeColorNameInk is the colour of the ink on screen.
	ThemeColorNameInk fyne.ThemeColorName = "signet-ink"
	// ThemeSizeNamePenMin and ThemeSizeNamePenMax are the pen's radii at
	// high and at zero velocity, in device-independent units.
	ThemeSizeNamePenMin fyne.ThemeSizeName = "signet-pen-min"
	ThemeSizeNamePenMax fyne.ThemeSizeName = "signet-pen-max"
)

// Pad is a signing pad: it turns touch (an emulated mouse on the desktop
// driver) into smooth, velocity-width ink. Each new curve is drawn into one
// persistent *image.RGBA behind a canvas.Raster; the image is drawn again
// from the points only when the pad is resized or the theme changes.
//
// A baseline and a hint ("Sign here", set by the caller in the guest's
// language) show while the pad is empty.
type Pad struct {
	widget.BaseWidget

	// OnChanged is called when a stroke ends and after Undo and Clear.
	OnChanged func()

	sig  *signature.Signature
	hint string

	now   func() time.Time
	epoch time.Time

	img     *image.RGBA
	surface signature.Surface
	pen     [2]float32 // theme pen widths the image was drawn with
	last    fyne.Position
	moved   bool // the stroke being drawn has been dragged
	tapDone bool // the last press was a tap already drawn by MouseDown/MouseUp
	renders int  // full renders, for tests

	raster *canvas.Raster
}

// NewPad returns an empty pad with the given hint.
func NewPad(hint string) *Pad {
	p := &Pad{sig: signature.New(1, 1, signature.Options{}), hint: hint, now: time.Now}
	p.epoch = p.now()
	p.raster = canvas.NewRaster(p.generate)
	p.ExtendBaseWidget(p)
	return p
}

// SetHint changes the hint shown while the pad is empty.
func (p *Pad) SetHint(hint string) {
	p.hint = hint
	p.Refresh()
}

// Signature returns the pad's vector data, for the ink rule and the export.
// Change it only through the pad.
func (p *Pad) Signature() *signature.Signature { return p.sig }

// IsEmpty reports whether nothing has been drawn.
func (p *Pad) IsEmpty() bool { return p.sig.IsEmpty() }

// Undo removes the last stroke.
func (p *Pad) Undo() {
	if p.sig.Undo() {
		p.redraw()
		p.changed()
	}
}

// Clear removes all the ink.
func (p *Pad) Clear() {
	if p.sig.IsEmpty() {
		return
	}
	p.sig.Clear()
	p.redraw()
	p.changed()
}

// MouseDown starts a stroke; its dot shows at once.
func (p *Pad) MouseDown(ev *desktop.MouseEvent) {
	p.tapDone = false
	p.begin(ev.Position)
}

// MouseUp ends the stroke at the release position.
func (p *Pad) MouseUp(ev *desktop.MouseEvent) {
	if !p.sig.Drawing() {
		return
	}
	p.tapDone = !p.moved
	p.end(ev.Position)
}

// Dragged extends the stroke. A drag that arrives without a MouseDown (a
// driver or test that sends only drags) starts at its first position.
func (p *Pad) Dragged(ev *fyne.DragEvent) {
	if !p.sig.Drawing() {
		p.tapDone = false
		p.begin(ev.Position.Subtract(ev.Dragged))
	}
	p.moved = true
	p.last = ev.Position
	d, _ := p.sig.AddPoint(p.point(ev.Position), p.target())
	if !d.Empty() {
		p.raster.Refresh()
	}
}

// DragEnd ends the stroke at the last position dragged to.
func (p *Pad) DragEnd() {
	if p.sig.Drawing() {
		p.end(p.last)
	}
}

// Tapped makes a dot, unless MouseDown and MouseUp already did.
func (p *Pad) Tapped(ev *fyne.PointEvent) {
	switch {
	case p.sig.Drawing():
		p.end(ev.Position)
	case p.tapDone:
	default:
		p.begin(ev.Position)
		p.end(ev.Position)
	}
	p.tapDone = false
}

func (p *Pad) point(pos fyne.Position) signature.Point {
	return signature.Point{X: float64(pos.X), Y: float64(pos.Y), T: p.now().Sub(p.epoch).Milliseconds()}
}

func (p *Pad) begin(pos fyne.Position) {
	wasEmpty := p.sig.IsEmpty()
	p.last, p.moved = pos, false
	p.sig.BeginStroke(p.point(pos), p.target())
	if wasEmpty {
		p.Refresh() // hide the hint and baseline
		return
	}
	p.raster.Refresh()
}

func (p *Pad) end(pos fyne.Position) {
	p.sig.EndStrokeAt(p.point(pos), p.target())
	p.raster.Refresh()
	p.changed()
}

func (p *Pad) changed() {
	if p.OnChanged != nil {
		p.OnChanged()
	}
}

// target is the surface to draw into, or nil before the first render (the
// first render draws everything).
func (p *Pad) target() *signature.Surface {
	if p.img == nil {
		return nil
	}
	return &p.surface
}

// generate is the raster's generator: it hands over the persistent image,
// drawing it again from the points when the pixel size changed.
func (p *Pad) generate(w, h int) image.Image {
	if p.img == nil || p.img.Rect.Dx() != w || p.img.Rect.Dy() != h {
		p.img = image.NewRGBA(image.Rect(0, 0, w, h))
		p.render()
	}
	return p.img
}

// render draws the whole image from the points.
func (p *Pad) render() {
	if p.img == nil {
		return
	}
	size := p.Size()
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	p.sig.SetSize(float64(size.Width), float64(size.Height))
	p.surface = signature.Surface{
		Image: p.img,
		Scale: float64(p.img.Rect.Dx()) / float64(size.Width),
		Color: p.inkColor(),
	}
	p.renders++
	p.sig.Render(&p.surface)
}

// redraw renders and shows the result.
func (p *Pad) redraw() {
	p.render()
	p.Refresh()
}

func (p *Pad) inkColor() color.NRGBA {
	c := theme.ColorForWidget(ThemeColorNameInk, p)
	if c == nil {
		c = color.Transparent
	}
	if _, _, _, a := c.RGBA(); a == 0 {
		c = theme.ColorForWidget(theme.ColorNameForeground, p)
	}
	if c == nil {
		return color.NRGBA{A: 0xff}
	}
	return color.NRGBAModel.Convert(c).(color.NRGBA)
}

// applyTheme takes the pen widths and ink colour from the theme and
// reports whether they changed.
func (p *Pad) applyTheme() bool {
	pen := [2]float32{theme.SizeForWidget(ThemeSizeNamePenMin, p), theme.SizeForWidget(ThemeSizeNamePenMax, p)}
	ink := p.inkColor()
	if pen == p.pen && ink == p.surface.Color {
		return false
	}
	p.pen = pen
	p.sig.SetPenWidths(float64(pen[0]), float64(pen[1]))
	return true
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (p *Pad) CreateRenderer() fyne.WidgetRenderer {
	p.ExtendBaseWidget(p)
	r := &padRenderer{
		pad:        p,
		background: canvas.NewRectangle(color.Transparent),
		baseline:   canvas.NewLine(color.Transparent),
		hint:       canvas.NewText("", color.Transparent),
	}
	p.applyTheme()
	r.Refresh()
	return r
}

type padRenderer struct {
	pad        *Pad
	background *canvas.Rectangle
	baseline   *canvas.Line
	hint       *canvas.Text
}

func (r *padRenderer) Layout(size fyne.Size) {
	r.background.Resize(size)
	r.pad.raster.Resize(size)
	margin := float32(math.Max(16, float64(size.Width)*0.06))
	y := size.Height * 0.72
	r.baseline.Position1 = fyne.NewPos(margin, y)
	r.baseline.Position2 = fyne.NewPos(size.Width-margin, y)
	hs := r.hint.MinSize()
	r.hint.Resize(hs)
	r.hint.Move(fyne.NewPos(margin, y-hs.Height-theme.SizeForWidget(theme.SizeNamePadding, r.pad)))
}

// MinSize is big enough to sign on with a finger.
func (r *padRenderer) MinSize() fyne.Size { return fyne.NewSize(320, 160) }

func (r *padRenderer) Refresh() {
	p := r.pad
	r.background.FillColor = theme.ColorForWidget(theme.ColorNameInputBackground, p)
	r.background.StrokeColor = theme.ColorForWidget(theme.ColorNameInputBorder, p)
	r.background.StrokeWidth = theme.SizeForWidget(theme.SizeNameInputBorder, p)
	r.background.CornerRadius = theme.SizeForWidget(theme.SizeNameInputRadius, p)
	r.baseline.StrokeColor = theme.ColorForWidget(theme.ColorNamePlaceHolder, p)
	r.baseline.StrokeWidth = 2
	r.hint.Text = p.hint
	r.hint.Color = theme.ColorForWidget(theme.ColorNamePlaceHolder, p)
	r.hint.TextSize = theme.SizeForWidget(theme.SizeNameSubHeadingText, p)
	empty := p.sig.IsEmpty()
	r.baseline.Hidden, r.hint.Hidden = !empty, !empty || p.hint == ""
	if p.applyTheme() {
		p.render()
	}
	r.Layout(p.Size())
	r.background.Refresh()
	r.baseline.Refresh()
	r.hint.Refresh()
	p.raster.Refresh()
}

func (r *padRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.background, r.baseline, r.hint, r.pad.raster}
}

func (r *padRenderer) Destroy() {}
