package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// showHelp is the dialog of "Call staff": what happens now, and what the
// kiosk promises (the wait it holds the session for).
func (k *Kiosk) showHelp() {
	var hide func()
	title := widget.NewLabelWithStyle(k.tr.T("help.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	body := widget.NewLabel(k.tr.T("help.body", "min", k.staffWaitMinutes()))
	body.Wrapping = fyne.TextWrapWord
	body.Alignment = fyne.TextAlignCenter
	ok := widget.NewButton(k.tr.T("help.ok"), func() { hide() })
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton(k.tr.T("help.cancel"), func() { hide(); k.cancelCall() })
	content := container.NewVBox(title, body, container.NewGridWithColumns(2, cancel, ok))
	hide = k.modal(container.New(widthOf{min(720, k.win.Canvas().Size().Width-64)}, content))
}
