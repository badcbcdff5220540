package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Key layouts of the on-screen keyboard.
var (
	// hexKeys types a booking reference: a GUID holds only these.
	hexKeys = []string{"1234567890", "ABCDEF-<"}
	// textKeys types document numbers and searches.
	textKeys = []string{"1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM <"}
)

// keyWidth is the width a key takes in its row, spacing included: ten keys
// fit beside a form at 1280 px.
const keyWidth = 64

// keyboard is an on-screen keyboard that types into the entry target
// returns (the field the guest last touched). Keys are at least MinTouch
// tall; "<" is backspace. onKey, when set, is called after each key (for the
// idle timer).
func (k *Kiosk) keyboard(target func() *widget.Entry, rows []string, onKey func()) fyne.CanvasObject {
	typeRune := func(s string) {
		entry := target()
		entry.SetText(entry.Text + s)
		entry.CursorColumn = len([]rune(entry.Text))
		if onKey != nil {
			onKey()
		}
	}
	grid := container.NewVBox()
	for _, row := range rows {
		keys := container.NewGridWithColumns(len([]rune(row)))
		for _, r := range row {
			s := string(r)
			var b *widget.Button
			switch s {
			case "<":
				b = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() {
					entry := target()
					if rs := []rune(entry.Text); len(rs) > 0 {
						entry.SetText(string(rs[:len(rs)-1]))
					}
					if onKey != nil {
						onKey()
					}
				})
			case " ":
				b = widget.NewButton("␣", func() { typeRune(" ") })
			default:
				b = widget.NewButton(s, func() { typeRune(s) })
			}
			keys.Add(b)
		}
		grid.Add(container.NewGridWrap(fyne.NewSize(float32(len([]rune(row)))*keyWidth, MinTouch+4), keys))
	}
	return container.NewCenter(grid)
}

// fixed returns a keyboard target that is always e.
func fixed(e *widget.Entry) func() *widget.Entry { return func() *widget.Entry { return e } }
