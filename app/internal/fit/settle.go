package fit

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Settle lays root out again, top down, until no object moves or changes
// size (at most a few rounds), as the real driver does between frames.
//
// The test driver lays a tree out once. The real one re-lays out a parent
// whenever a child's MinSize has changed since the last frame: a wrapping
// label learns its width in the first layout, needs a second row, and its
// box grows in the next frame. Without Settle, Check would report the rows
// of such a label below it although a guest never sees them there. Call it
// on the goroutine that owns the widgets, before Check.
func Settle(root fyne.CanvasObject) {
	for range 4 {
		if !relayout(root) {
			return
		}
	}
}

// relayout lays out o's children at o's size, then each child's, and
// reports whether anything moved or changed size.
func relayout(o fyne.CanvasObject) bool {
	if o == nil || !o.Visible() {
		return false
	}
	var objs []fyne.CanvasObject
	var lay func()
	switch v := o.(type) {
	case *fyne.Container:
		if v.Layout != nil {
			objs = v.Objects
			lay = func() { v.Layout.Layout(v.Objects, v.Size()) }
		} else {
			objs = v.Objects
		}
	case fyne.Widget:
		r := test.WidgetRenderer(v)
		if r == nil {
			return false
		}
		objs = r.Objects()
		lay = func() { r.Layout(v.Size()) }
	default:
		return false
	}
	changed := false
	if lay != nil {
		sizes := make([]fyne.Size, len(objs))
		places := make([]fyne.Position, len(objs))
		for i, c := range objs {
			sizes[i], places[i] = c.Size(), c.Position()
		}
		lay()
		if o, ok := o.(fyne.Widget); ok {
			objs = test.WidgetRenderer(o).Objects() // a layout may replace them
		}
		if len(objs) != len(sizes) {
			changed = true
		} else {
			for i, c := range objs {
				if c.Size() != sizes[i] || c.Position() != places[i] {
					changed = true
					break
				}
			}
		}
	}
	for _, c := range objs {
		if relayout(c) {
			changed = true
		}
	}
	return changed
}
