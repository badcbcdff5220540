package app

import (
	"errors"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/signet-kiosk/signet/app/flow"
)

// The fields of a document form, shared by the guest's details screen and
// the staff's document form.

// mewsTypes are the identity document types Mews knows, in display order.
var mewsTypes = []string{"Passport", "IdentityCard", "DriversLicense", "Visa"}

// focusEntry is an Entry that tells the screen it was focused, so the one
// on-screen keyboard types into the field the guest touched.
type focusEntry struct {
	widget.Entry
	onFocus func(*focusEntry)
}

func newFocusEntry(onFocus func(*focusEntry)) *focusEntry {
	e := &focusEntry{onFocus: onFocus}
	e.ExtendBaseWidget(e)
	return e
}

func (e *focusEntry) FocusGained() {
	e.Entry.FocusGained()
	if e.onFocus != nil {
		e.onFocus(e)
	}
}

// typeSelect chooses among mewsTypes, shown translated; the choice is
// written to *current, and touch is called.
func (k *Kiosk) typeSelect(current *string, touch func()) *widget.Select {
	names := make([]string, len(mewsTypes))
	for i, t := range mewsTypes {
		names[i] = k.tr.T("mews.type." + t)
	}
	sel := widget.NewSelect(names, func(s string) {
		for i, n := range names {
			if n == s {
				*current = mewsTypes[i]
			}
		}
		touch()
	})
	for i, t := range mewsTypes {
		if t == *current {
			sel.SetSelectedIndex(i)
		}
	}
	return sel
}

// countryName is the country's name in the guest's language.
func (k *Kiosk) countryName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil || code == "" {
		return code
	}
	tag, _ := language.Parse(k.tr.Language())
	if n := display.Regions(tag).Name(r); n != "" {
		return n
	}
	return code
}

// countries lists ISO 3166-1 alpha-2 codes with names in lang, sorted.
func countries(lang string) [][2]string {
	tag, _ := language.Parse(lang)
	names := display.Regions(tag)
	var out [][2]string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code {
				continue
			}
			if n := names.Name(r); n != "" && n != code {
				out = append(out, [2]string{code, n})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][1] < out[j][1] })
	return out
}

// pickCountry opens a searchable country list typed on the on-screen
// keyboard; picked gets the code. touch is called on every key and choice.
func (k *Kiosk) pickCountry(touch func(), picked func(code string)) {
	all := countries(k.tr.Language())
	shown := all
	var pop *widget.PopUp
	list := widget.NewList(func() int { return len(shown) },
		func() fyne.CanvasObject { return widget.NewLabel("Country name placeholder") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(shown[i][1]) })
	list.OnSelected = func(i widget.ListItemID) {
		code := shown[i][0]
		pop.Hide()
		touch()
		picked(code)
	}
	search := widget.NewEntry()
	search.SetPlaceHolder(k.tr.T("details.search_country"))
	search.OnChanged = func(q string) {
		touch()
		q = strings.ToLower(strings.TrimSpace(q))
		shown = shown[:0:0]
		for _, c := range all {
			if q == "" || strings.Contains(strings.ToLower(c[1]), q) || strings.EqualFold(c[0], q) {
				shown = append(shown, c)
			}
		}
		list.UnselectAll()
		list.Refresh()
	}
	cancel := widget.NewButton(k.tr.T("common.cancel"), func() { touch(); pop.Hide() })
	keys := k.keyboard(fixed(search), []string{"QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM <"}, touch)
	content := container.NewBorder(container.NewVBox(search), container.NewVBox(keys, cancel), nil, nil, list)
	pop = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(900, 700), content), k.win.Canvas())
	pop.Show()
}

// dateInput is a date typed in three boxes, day, month and year, on the
// numeric keypad: the guest never types a separator, and the order of the
// boxes is the same in every language the kiosk speaks. A full box moves
// on to the next.
type dateInput struct {
	boxes [3]*focusEntry // day, month, year
	obj   fyne.CanvasObject
}

// dateInput builds the boxes over vals (day, month, year as typed), which
// they keep up to date; bad is the box to mark, and onFocus is told of
// the box the guest touches (for the keyboard).
func (k *Kiosk) dateInput(vals *[3]string, bad flow.DateField, onFocus func(*focusEntry)) *dateInput {
	di := &dateInput{}
	widths := [3]float32{100, 100, 132}
	maxLen := [3]int{2, 2, 4}
	fields := [3]flow.DateField{flow.DateFieldDay, flow.DateFieldMonth, flow.DateFieldYear}
	// The boxes' names are in the field's name above them ("Expiry date ·
	// Day / Month / Year"): one row fewer, which the screen needs with
	// "Larger text" at 768 px. The widths hold the digits at either size.
	row := container.NewHBox()
	for i := range 3 {
		e := newFocusEntry(onFocus)
		e.SetText(vals[i])
		di.boxes[i] = e
		box := fyne.CanvasObject(container.NewGridWrap(fyne.NewSize(widths[i], e.MinSize().Height), e))
		if fields[i] == bad {
			// The box to fix is underlined in the error colour.
			line := canvas.NewRectangle(theme.Color(theme.ColorNameError))
			line.SetMinSize(fyne.NewSize(widths[i], 4))
			box = container.NewVBox(box, line)
		}
		row.Add(box)
	}
	for i, e := range di.boxes {
		e.OnChanged = func(s string) {
			vals[i] = strings.TrimSpace(s)
			if len(vals[i]) >= maxLen[i] && i < 2 {
				next := di.boxes[i+1]
				if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
					c.Focus(next)
				} else {
					onFocus(next)
				}
			}
		}
	}
	di.obj = row
	return di
}

// has says whether e is one of the boxes.
func (di *dateInput) has(e *focusEntry) bool {
	return e != nil && (e == di.boxes[0] || e == di.boxes[1] || e == di.boxes[2])
}

// box is the box of field f, or nil.
func (di *dateInput) box(f flow.DateField) *focusEntry {
	switch f {
	case flow.DateFieldDay:
		return di.boxes[0]
	case flow.DateFieldMonth:
		return di.boxes[1]
	case flow.DateFieldYear:
		return di.boxes[2]
	}
	return nil
}

// dateBoxesOf splits a date held as 2006-01-02 into the boxes; anything
// else leaves them empty.
func dateBoxesOf(s string) [3]string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return [3]string{}
	}
	d, m, y := flow.DateBoxes(t)
	return [3]string{d, m, y}
}

// readDate checks the boxes for a date of kind: the date as 2006-01-02
// and "", or "" and the sentence that says what to fix (and the box in
// *bad). Three empty boxes are no date, which the caller may allow.
func (k *Kiosk) readDate(vals [3]string, kind flow.DateKind, bad *flow.DateField) (string, string) {
	if strings.TrimSpace(vals[0]+vals[1]+vals[2]) == "" {
		return "", ""
	}
	t, err := flow.ParseDate(vals[0], vals[1], vals[2], kind, k.now())
	if err != nil {
		var de *flow.DateError
		if errors.As(err, &de) {
			*bad = de.Field
			return "", k.tr.T(de.Key, de.Args()...)
		}
		return "", k.tr.T("date.empty")
	}
	return t.Format(time.DateOnly), ""
}

// fieldRow is a form field with its name above it, in the caption size
// and without a label's padding (the column is short at 768 px).
func fieldRow(name string, field fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(fieldName(name), field)
}

// fieldName is a field's name in the caption size, bold, on the left; a
// long name shrinks (to fitMinScale at most), so the column stays
// narrow.
func fieldName(name string) fyne.CanvasObject {
	t := newFitText(name, theme.CaptionTextSize()/textScale(), theme.ColorNameForeground, 1, 340) // fitText applies the scale
	t.bold, t.align = true, fyne.TextAlignLeading
	return t
}
