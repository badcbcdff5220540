package app

import (
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
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
