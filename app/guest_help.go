package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func (k *Kiosk) callStaff() {
	k.log.Warn("guest asked for staff", "step", k.stepName())
	var pop *widget.PopUp
	title := widget.NewLabelWithStyle(k.tr.T("help.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(k.tr.T("help.body"))
	body.Wrapping = fyne.TextWrapWord
	body.Alignment = fyne.TextAlignCenter
	ok := widget.NewButton(k.tr.T("help.ok"), func() { pop.Hide() })
	ok.Importance = widget.HighImportance
	content := container.NewVBox(title, body, container.NewCenter(container.NewGridWrap(fyne.NewSize(240, MinTouch+4), ok)))
	pop = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(640, 300), container.NewPadded(content)), k.win.Canvas())
	pop.Show()
}
