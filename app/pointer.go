package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// activityLayer is a transparent widget stacked last over the whole window.
// It implements only desktop.Hoverable and desktop.Cursorable, so taps and
// drags still reach the widgets below while it sees every pointer movement
// (Fyne has no global input hook; tech-notes.md) and, when asked, hides the
// pointer on a touch kiosk.
type activityLayer struct {
	widget.BaseWidget
	hidePointer bool
	onActivity  func()
}

var (
	_ desktop.Hoverable  = (*activityLayer)(nil)
	_ desktop.Cursorable = (*activityLayer)(nil)
)

func newActivityLayer(hidePointer bool, onActivity func()) *activityLayer {
	l := &activityLayer{hidePointer: hidePointer, onActivity: onActivity}
	l.ExtendBaseWidget(l)
	return l
}

func (l *activityLayer) Cursor() desktop.Cursor {
	if l.hidePointer {
		return desktop.HiddenCursor
	}
	return desktop.DefaultCursor
}

func (l *activityLayer) MouseIn(*desktop.MouseEvent)    { l.touch() }
func (l *activityLayer) MouseMoved(*desktop.MouseEvent) { l.touch() }
func (l *activityLayer) MouseOut()                      {}

func (l *activityLayer) touch() {
	if l.onActivity != nil {
		l.onActivity()
	}
}

func (l *activityLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(&fyne.Container{})
}
