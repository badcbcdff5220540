package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// action is a labelled button of a screen's bottom bar.
type action struct {
	label    string
	tapped   func()
	disabled bool
}

// bar is how one side of the kiosk draws its bottom bar: the widest Back
// and primary action may ask to be (their labels wrap past it), the
// primary action's icon, and what a tap does besides (the staff side
// counts it as activity for its idle lock).
type bar struct {
	backWidth, primaryWidth float32
	// primaryMin is the least width of the primary action, a target the
	// hand finds in the same place whatever its label.
	primaryMin    float32
	primaryIcon   fyne.Resource
	iconAfterText bool
	tap           func(f func()) func()
	// labelSize is the buttons' label size before the guest's scale; 0 is
	// 24 (a desk's guest window asks for the kiosk's size).
	labelSize float32
}

// layout puts a screen together, for the guest and the staff side alike:
// the header over a separator, the body, and the bottom bar.
func (k *Kiosk) layout(header, body fyne.CanvasObject, back, primary *action, b bar) fyne.CanvasObject {
	top := container.NewVBox(container.NewPadded(header), widget.NewSeparator())
	return container.NewBorder(top, k.footer(back, primary, b), nil, nil, container.NewPadded(body))
}

// footer is the bottom bar: back on the left, the demo badge, the primary
// action on the right. Each button is as wide as its label up to the
// bar's limit; a longer label wraps to two rows or shrinks, never clips.
func (k *Kiosk) footer(back, primary *action, b bar) fyne.CanvasObject {
	return k.bar(back, primary, b, k.demoBadge())
}

// bar is the bottom bar with middle between Back and the primary action.
func (k *Kiosk) bar(back, primary *action, b bar, middle fyne.CanvasObject) fyne.CanvasObject {
	tap := b.tap
	if tap == nil {
		tap = func(f func()) func() { return f }
	}
	var left, right fyne.CanvasObject
	if back != nil {
		left = newFitButton(back.label, buttonStyle{icon: theme.NavigateBackIcon(), maxWidth: b.backWidth,
			height: MinTouch + 8, disabled: back.disabled, size: b.labelSize}, tap(back.tapped))
	}
	if primary != nil {
		right = newFitButton(primary.label, buttonStyle{icon: b.primaryIcon, trailing: b.iconAfterText,
			importance: widget.HighImportance, disabled: primary.disabled, maxWidth: b.primaryWidth,
			minWidth: b.primaryMin, height: MinTouch + 8, size: b.labelSize}, tap(primary.tapped))
	}
	return container.NewPadded(container.NewBorder(nil, nil, left, right, middle))
}

// heading is a screen's bold title.
// Its size follows the guest's "Larger text".
func heading(title string, size float32) *canvas.Text {
	h := textOf(title, size, colorInk)
	h.TextStyle.Bold = true
	return h
}

// textOf is a line of text of size in colour c, enlarged with the guest's
// "Larger text".
func textOf(s string, size float32, c color.Color) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size * textScale()
	return t
}

// message is a wrapping paragraph of body text.
func message(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// card is a white rounded panel around content.
func card(content fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(color.White)
	bg.CornerRadius = 16
	bg.StrokeColor = color.NRGBA{0xd5, 0xdd, 0xe5, 0xff}
	bg.StrokeWidth = 2
	return container.NewStack(bg, container.NewPadded(container.NewPadded(content)))
}

// problemText is a sentence about a problem, bold in the error colour.
func problemText(s string) fyne.CanvasObject {
	t := widget.NewRichText(&widget.TextSegment{Text: s, Style: widget.RichTextStyle{
		ColorName: theme.ColorNameError, TextStyle: fyne.TextStyle{Bold: true}}})
	t.Wrapping = fyne.TextWrapWord
	return t
}

// demoBadge marks demo mode so nobody mistakes it for the real thing: a
// gold label as wide as its sentence where there is room, on two or three
// rows (smaller if need be) between the bottom bar's buttons where not.
func (k *Kiosk) demoBadge() fyne.CanvasObject {
	if !k.opts.Demo {
		return layout.NewSpacer()
	}
	t := newFitText(k.tr.T("common.demo_mode"), 18, "", 3, 160)
	t.fixed = colorInk
	bg := canvas.NewRectangle(colorAccent)
	bg.CornerRadius = 8
	full := fyne.MeasureText(t.text, t.full(), fyne.TextStyle{}).Width + 24
	badge := container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(4, 4, 12, 12), t))
	return container.New(upTo{full}, badge)
}

// upTo centres its objects horizontally, each as wide as the room or
// width, whichever is less, and as tall as the room.
type upTo struct{ width float32 }

func (u upTo) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, u.width)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

func (u upTo) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var m fyne.Size
	for _, o := range objs {
		m = m.Max(o.MinSize())
	}
	return m
}

// panel is a white rounded panel with less padding than card, for forms
// that share the width with the keyboard.
func panel(content fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(color.White)
	bg.CornerRadius = 12
	return container.NewStack(bg, container.NewPadded(content))
}
