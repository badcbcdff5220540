package widget

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// tall is content three times the height of the window it scrolls in.
func tall() fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(200, 900))
	return r
}

func TestDragScrollFollowsTheFinger(t *testing.T) {
	test.NewTempApp(t)
	s := NewDragScroll(tall(), fyne.Position{})
	var told fyne.Position
	s.OnScrolled = func(p fyne.Position) { told = p }
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(200, 300))

	// A finger moving up by 120 moves the content up by 120.
	s.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(0, -120)})
	if s.Offset.Y != 120 || told.Y != 120 {
		t.Fatalf("after a drag up by 120: offset %v, told %v; want 120", s.Offset, told)
	}
	// Past the end it stops at the end (900 - 300), and back at the top.
	s.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(0, -5000)})
	if end := 900 - s.Size().Height; s.Offset.Y != end {
		t.Errorf("dragged past the end: offset %v, want %v", s.Offset.Y, end)
	}
	s.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(30, 5000)})
	if s.Offset != (fyne.Position{}) {
		t.Errorf("dragged past the top: offset %v, want 0,0 (vertical only)", s.Offset)
	}
	s.DragEnd()
}

// TestFyneScrollIgnoresDragOnDesktop pins the reason DragScroll exists: if
// a Fyne upgrade makes its Scroll follow a drag, DragScroll can go.
func TestFyneScrollIgnoresDragOnDesktop(t *testing.T) {
	test.NewTempApp(t)
	s := container.NewVScroll(tall())
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(200, 300))
	s.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(0, -120)})
	if s.Offset.Y != 0 {
		t.Errorf("Fyne's Scroll moved to %v on a desktop drag; DragScroll may no longer be needed", s.Offset)
	}
}

func TestDragScrollStartsAtAKeptOffset(t *testing.T) {
	test.NewTempApp(t)
	s := NewDragScroll(tall(), fyne.NewPos(0, 250))
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(200, 300))
	if s.Offset.Y != 250 || s.Content.Position().Y != -250 {
		t.Errorf("kept offset 250: offset %v, content at %v", s.Offset, s.Content.Position())
	}
	// A kept offset past the end (the content shrank) is clamped.
	s2 := NewDragScroll(tall(), fyne.NewPos(0, 5000))
	w2 := test.NewTempWindow(t, s2)
	w2.Resize(fyne.NewSize(200, 300))
	if end := 900 - s2.Size().Height; s2.Offset.Y != end {
		t.Errorf("kept offset 5000 of %v: offset %v", end, s2.Offset)
	}
}
