package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// guestSteps are the steps shown as dots at the top of the guest screens.
const guestSteps = 4

// guestBar is the guest screens' bottom bar: Back, and a wide Next-style
// primary action.
var guestBar = bar{backWidth: 240, primaryWidth: 340, iconAfterText: true}

// screen lays out a guest screen: a header with the step, the title, the
// language and help buttons; the body; a bottom bar with Back and the
// primary action. step is 1-based; 0 shows no dots.
func (k *Kiosk) screen(step int, title string, body fyne.CanvasObject, back, primary *action) fyne.CanvasObject {
	header := container.NewBorder(nil, nil,
		container.NewHBox(container.NewCenter(stepDots(step)), container.NewCenter(heading(title, 32))),
		container.NewHBox(k.languageButton(), k.helpButton()))
	b := guestBar
	b.primaryIcon = theme.NavigateNextIcon()
	return k.layout(header, body, back, primary, b)
}

// stepDots shows progress through the guest steps as filled circles.
func stepDots(step int) fyne.CanvasObject {
	if step <= 0 {
		return container.NewHBox()
	}
	row := container.NewHBox()
	for i := 1; i <= guestSteps; i++ {
		c := canvas.NewCircle(colorStepAhead)
		if i <= step {
			c.FillColor = colorPrimary
		}
		row.Add(container.NewGridWrap(fyne.NewSize(18, 18), c))
	}
	return container.NewPadded(row)
}

// languageButton opens a choice of languages; the screen is rebuilt in the
// chosen one at once.
func (k *Kiosk) languageButton() fyne.CanvasObject {
	var pop *widget.PopUp
	b := widget.NewButton(k.tr.In(k.tr.Language(), "lang.name"), func() {
		list := container.NewVBox()
		for _, l := range k.languages() {
			l := l
			lb := widget.NewButton(k.tr.In(l, "lang.name"), func() {
				pop.Hide()
				k.SetLanguage(l)
			})
			if l == k.tr.Language() {
				lb.Importance = widget.HighImportance
			}
			list.Add(container.NewGridWrap(fyne.NewSize(280, MinTouch+4), lb))
		}
		pop = widget.NewModalPopUp(container.NewPadded(list), k.win.Canvas())
		pop.Show()
	})
	b.Importance = widget.LowImportance
	return b
}

// helpButton calls staff: it says so and logs it for the staff health screen.
func (k *Kiosk) helpButton() fyne.CanvasObject {
	b := widget.NewButtonWithIcon(k.tr.T("common.help"), theme.QuestionIcon(), k.callStaff)
	b.Importance = widget.MediumImportance
	return b
}
