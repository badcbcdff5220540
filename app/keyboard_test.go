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
	var walk func(o fyne.CanvasObject) bool
	walk = func(o fyne.CanvasObject) bool {
		if v, ok := o.(T); ok && match(v) {
			found = v
			return true
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				if walk(ch) {
					return true
				}
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				if walk(ch) {
					return true
				}
			}
		}
		return false
	}
	walk(root)
	return found
}
