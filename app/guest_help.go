package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// showHelp is the dialog of "Call staff": what happens now, and what the
// kiosk promises (the wait it holds the session for).
func (k *Kiosk) showHelp() {
	var pop *widget.PopUp
	title := widget.NewLabelWithStyle(k.tr.T("help.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	body := widget.NewLabel(k.tr.T("help.body", "min", k.staffWaitMinutes()))
	body.Wrapping = fyne.TextWrapWord
	body.Alignment = fyne.TextAlignCenter
	ok := widget.NewButton(k.tr.T("help.ok"), func() { pop.Hide() })
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton(k.tr.T("help.cancel"), func() { pop.Hide(); k.cancelCall() })
	buttons := container.NewGridWithColumns(2, cancel, ok)
	content := container.NewVBox(title, body, buttons)
	pop = widget.NewModalPopUp(container.New(fixedWidth{min(720, k.win.Canvas().Size().Width-64)},
		container.NewPadded(content)), k.win.Canvas())
	pop.Show()
}

// fixedWidth lays its objects out at a width of w, as tall as the tallest
// needs at that width: a dialog whose wrapped text sets its height.
type fixedWidth struct{ w float32 }

func (f fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		if o.Size().Width != f.w {
			// A wrapping text's height depends on the width it is given.
			o.Resize(fyne.NewSize(f.w, o.MinSize().Height))
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(f.w, h)
}

func (f fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
