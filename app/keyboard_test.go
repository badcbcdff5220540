package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
)

// Issue 17, finding 10: the keyboard had no accented letters, so "Müller"
// and "Sofía" could not be typed. A keyboard with the whole alphabet has a
// row of accented capitals, in two sets; the booking reference's keys
// (hexadecimal) do not.
func TestKeyboardTypesAccents(t *testing.T) {
	k := newTestKiosk(t, flow.Services{}, nil)
	entry := fwidget.NewEntry()
	var kb fyne.CanvasObject
	onUI(k, func() { kb = k.keyboard(fixed(entry), textKeys, nil) })
	press := func(label string) {
		t.Helper()
		var b *fwidget.Button
		onUI(k, func() { b = findIn(kb, func(b *fwidget.Button) bool { return b.Text == label }) })
		if b == nil {
			t.Fatalf("no key %q", label)
		}
		onUI(k, func() { test.Tap(b) })
	}
	for _, key := range []string{"M", "Ü", "L", "L", "E", "R", "␣", "S", "O", "F"} {
		press(key)
	}
	press("Á…") // the other set
	press("Í")
	press("Ä…") // and back
	press("A")
	if entry.Text != "MÜLLER SOFÍA" {
		t.Errorf("typed %q", entry.Text)
	}
	var hex fyne.CanvasObject
	onUI(k, func() { hex = k.keyboard(fixed(entry), hexKeys, nil) })
	onUI(k, func() {
		if b := findIn(hex, func(b *fwidget.Button) bool { return b.Text == "Ü" }); b != nil {
			t.Error("the booking reference's keyboard has accents")
		}
	})
}

// findIn walks root's objects for the first one match accepts.
func findIn[T fyne.CanvasObject](root fyne.CanvasObject, match func(T) bool) T {
	var found T
	visit(root, func(o fyne.CanvasObject) step {
		if v, ok := o.(T); ok && match(v) {
			found = v
			return stop
		}
		return descend
	})
	return found
}

// step says where visit goes after an object.
type step int

const (
	descend step = iota // on, into the object's children
	skip                // on, past the object's children
	stop                // nowhere: the walk is over
)

// visit calls fn with o and every object under it, in tree order: a
// container's objects, a widget's renderer's. It reports whether fn
// stopped it.
func visit(o fyne.CanvasObject, fn func(fyne.CanvasObject) step) bool {
	var children []fyne.CanvasObject
	switch fn(o) {
	case stop:
		return true
	case skip:
		return false
	}
	switch c := o.(type) {
	case *fyne.Container:
		children = c.Objects
	case fyne.Widget:
		if r := test.WidgetRenderer(c); r != nil {
			children = r.Objects()
		}
	}
	for _, ch := range children {
		if visit(ch, fn) {
			return true
		}
	}
	return false
}
