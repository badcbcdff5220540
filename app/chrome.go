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

// bar is how one side of the kiosk draws its bottom bar: the widths of
// Back and of the primary action, the primary action's icon, and what a
// tap does besides (the staff side counts it as activity for its idle lock).
type bar struct {
	backWidth, primaryWidth float32
	primaryIcon             fyne.Resource
	iconAfterText           bool
	tap                     func(f func()) func()
}

// layout puts a screen together, for the guest and the staff side alike:
// the header over a separator, the body, and a bottom bar with back on the
// left, the demo badge and the primary action on the right.
func (k *Kiosk) layout(header, body fyne.CanvasObject, back, primary *action, b bar) fyne.CanvasObject {
	tap := b.tap
	if tap == nil {
		tap = func(f func()) func() { return f }
	}
	var left, right fyne.CanvasObject = layout.NewSpacer(), layout.NewSpacer()
	if back != nil {
		bb := widget.NewButtonWithIcon(back.label, theme.NavigateBackIcon(), tap(back.tapped))
		left = container.NewGridWrap(fyne.NewSize(b.backWidth, MinTouch+8), bb)
	}
	if primary != nil {
		p := widget.NewButtonWithIcon(primary.label, b.primaryIcon, tap(primary.tapped))
		if b.iconAfterText {
			p.IconPlacement = widget.ButtonIconTrailingText
		}
		p.Importance = widget.HighImportance
		if primary.disabled {
			p.Disable()
		}
		right = container.NewGridWrap(fyne.NewSize(b.primaryWidth, MinTouch+8), p)
	}
	footer := container.NewBorder(nil, nil, left, right, k.demoBadge())
	top := container.NewVBox(container.NewPadded(header), widget.NewSeparator())
	return container.NewBorder(top, container.NewPadded(footer), nil, nil, container.NewPadded(body))
}

// heading is a screen's bold title.
func heading(title string, size float32) *canvas.Text {
	h := textOf(title, size, colorInk)
	h.TextStyle.Bold = true
	return h
}

// textOf is a line of text of size in colour c.
func textOf(s string, size float32, c color.Color) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
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

// demoBadge marks demo mode so nobody mistakes it for the real thing.
func (k *Kiosk) demoBadge() fyne.CanvasObject {
	if !k.opts.Demo {
		return layout.NewSpacer()
	}
	t := textOf("  "+k.tr.T("common.demo_mode")+"  ", 18, colorInk)
	bg := canvas.NewRectangle(colorAccent)
	bg.CornerRadius = 8
	return container.NewPadded(container.NewStack(bg, container.NewPadded(t)))
}

// panel is a white rounded panel with less padding than card, for forms
// that share the width with the keyboard.
func panel(content fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(color.White)
	bg.CornerRadius = 12
	return container.NewStack(bg, container.NewPadded(content))
}
