package app

import (
	"strings"

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
	// staffFormKeys types the staff form's fields, dates written
	// 30.05.2031 among them.
	staffFormKeys = []string{"1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM. <"}
	// digitKeys is the numeric keypad, for the boxes of a date.
	digitKeys = []string{"123", "456", "789", "0<"}
)

// accentSets are the accented capitals of names in German, French,
// Spanish and Dutch ("MÜLLER", "SOFÍA", "GAËLLE"), in two sets that take
// turns on one row: a keyboard with the whole alphabet gets that row, so
// staff can type a name as it is written. The toggle key shows the other
// set's first letter.
var accentSets = [2]string{"ÄÖÜÉÈÀÇÑß", "ÁÍÓÚÂÊÎÔË"}

// keyWidth is the width a key takes in its row, spacing included: ten keys
// fit beside a narrow form at 1024 px.
const keyWidth = 58

// keyboard is an on-screen keyboard that types into the entry target
// returns (the field the guest last touched). Keys are at least MinTouch
// tall; "<" is backspace. A layout with the whole alphabet gets a row of
// accented capitals (accentSets). onKey, when set, is called after each
// key (for the idle timer).
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
	addRow := func(n int, keys *fyne.Container) {
		grid.Add(container.NewGridWrap(fyne.NewSize(float32(n)*keyWidth, MinTouch+4), keys))
	}
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
		addRow(len([]rune(row)), keys)
	}
	if wholeAlphabet(rows) {
		keys := accentRow(typeRune)
		addRow(len(keys.Objects), keys)
	}
	return container.NewCenter(grid)
}

// accentRow is the row of accented capitals with its toggle key last.
func accentRow(typeRune func(string)) *fyne.Container {
	set := 0
	n := len([]rune(accentSets[0]))
	keys := container.NewGridWithColumns(n + 1)
	buttons := make([]*widget.Button, n)
	for i := range n {
		buttons[i] = widget.NewButton("", func() { typeRune(string([]rune(accentSets[set])[i])) })
		keys.Add(buttons[i])
	}
	toggle := widget.NewButton("", nil)
	show := func() {
		for i, r := range []rune(accentSets[set]) {
			buttons[i].SetText(string(r))
		}
		toggle.SetText(string([]rune(accentSets[1-set])[0]) + "…")
	}
	toggle.OnTapped = func() { set = 1 - set; show() }
	show()
	keys.Add(toggle)
	return keys
}

// wholeAlphabet says whether rows type every letter from A to Z.
func wholeAlphabet(rows []string) bool {
	all := strings.Join(rows, "")
	for c := 'A'; c <= 'Z'; c++ {
		if !strings.ContainsRune(all, c) {
			return false
		}
	}
	return true
}

// fixed returns a keyboard target that is always e.
func fixed(e *widget.Entry) func() *widget.Entry { return func() *widget.Entry { return e } }
