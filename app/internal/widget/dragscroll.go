package widget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

var _ fyne.Draggable = (*DragScroll)(nil)

// DragScroll is a scroll container that a finger drag scrolls. Fyne's own
// Scroll follows a drag only on a mobile device; on a desktop touchscreen
// (an emulated mouse) it ignores it, and only its thin bar and the wheel
// move it. The drag lands here when it starts on anything inside that does
// not take drags itself (labels, buttons, gaps); an entry still selects
// its text.
type DragScroll struct {
	container.Scroll

	// OnScrolled is told the new offset after every move, by drag, wheel or
	// bar: a screen that is rebuilt keeps it and hands it to the next one.
	OnScrolled func(fyne.Position)
}

// NewDragScroll returns a vertical DragScroll around content, scrolled to
// offset (clamped once laid out, so an offset kept from an earlier build of
// the same screen is safe to pass).
func NewDragScroll(content fyne.CanvasObject, offset fyne.Position) *DragScroll {
	s := &DragScroll{}
	s.Direction = container.ScrollVerticalOnly
	s.Content = content
	s.Offset = offset
	s.Scroll.OnScrolled = func(p fyne.Position) {
		if s.OnScrolled != nil {
			s.OnScrolled(p)
		}
	}
	s.ExtendBaseWidget(s)
	return s
}

// Scroller is the Fyne scroll container DragScroll is: what clips its
// content, for a check of what is on screen.
func (s *DragScroll) Scroller() *container.Scroll { return &s.Scroll }

// Dragged moves the content with the finger.
func (s *DragScroll) Dragged(e *fyne.DragEvent) {
	p := s.Offset
	if s.Direction != container.ScrollHorizontalOnly {
		p.Y -= e.Dragged.DY
	}
	if s.Direction == container.ScrollHorizontalOnly || s.Direction == container.ScrollBoth {
		p.X -= e.Dragged.DX
	}
	before := s.Offset
	s.ScrollToOffset(p) // clamps to the content
	if s.Offset != before && s.OnScrolled != nil {
		s.OnScrolled(s.Offset)
	}
}

// DragEnd ends a drag; the content stays where the finger left it.
func (s *DragScroll) DragEnd() {}
