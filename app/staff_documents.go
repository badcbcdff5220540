package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/client/mews"
)

// searchKeys types names and e-mail addresses.
var searchKeys = []string{"1234567890", "QWERTYUIOP", "ASDFGHJKL@", "ZXCVBNM-. <"}

// --- Customers -------------------------------------------------------------

func (c *staffView) customersScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	s := c.s
	if !s.MewsOn() {
		body := container.NewCenter(container.NewGridWrap(fyne.NewSize(760, 200), card(message(tr.T("staff.mews_off")))))
		return c.screen(tr.T("staff.customers.title"), body, nil, nil)
	}
	entry := c.newEntry(nil)
	c.searchEntry = entry
	entry.SetPlaceHolder(tr.T("staff.customers.placeholder"))
	entry.SetText(s.Query)
	entry.OnChanged = func(q string) { s.Query = q; c.touch() }
	entry.OnSubmitted = func(string) { s.Search(false); c.redraw() }
	inHouse := c.btn(tr.T("staff.customers.in_house"), theme.SearchIcon(), c.do(func() { s.Search(false) }))
	inHouse.Importance = widget.HighImportance
	byEmail := c.btn(tr.T("staff.customers.by_email"), theme.MailComposeIcon(), c.do(func() { s.Search(true) }))
	if s.Busy() {
		inHouse.Disable()
		byEmail.Disable()
	}
	// No heading over the field: the screen's title and the field's
	// placeholder say it, and the keyboard with its accent row needs the
	// height at 768.
	left := container.NewVBox(
		entry,
		container.NewGridWithColumns(2, inHouse, byEmail),
	)
	if !c.desk() { // a desk has a keyboard
		left.Add(k.keyboard(fixed(&entry.Entry), searchKeys, c.touch))
	} else if !s.Busy() {
		c.focusNext = entry
	}

	results := container.NewVBox()
	switch status := c.status(); {
	case status != nil:
		results.Add(status)
	case s.Searched && len(s.Customers) == 0:
		results.Add(message(tr.T("staff.customers.none")))
	case !s.Searched:
		results.Add(message(tr.T("staff.customers.intro")))
	}
	for i := range s.Customers {
		cu := s.Customers[i]
		name := strings.TrimSpace(cu.FirstName + " " + cu.LastName)
		b := c.btn(tr.T("staff.customers.open"), theme.DocumentIcon(), c.do(func() { s.OpenCustomer(cu) }))
		n := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		n.Wrapping = fyne.TextWrapWord
		// An address has no spaces to wrap at; the birth year goes on a
		// row of its own so it is not broken with it.
		l := widget.NewLabelWithStyle(cu.Email, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		l.Wrapping = fyne.TextWrapBreak
		row := container.NewVBox(n, l)
		if born := staff.MaskBirthDate(cu.BirthDate); born != "" {
			bl := widget.NewLabelWithStyle(tr.T("staff.customers.born", "date", born), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
			bl.Wrapping = fyne.TextWrapWord
			row.Add(bl)
		}
		row.Add(container.NewHBox(b))
		row.Add(widget.NewSeparator())
		results.Add(row)
	}
	right := c.scroll("results", results)
	body := container.NewBorder(nil, nil, card(left), nil, panel(right))
	return c.screen(tr.T("staff.customers.title"), body, nil, nil)
}

// --- Documents -------------------------------------------------------------

func (c *staffView) documentsScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	s := c.s
	cu := s.Customer
	name := strings.TrimSpace(cu.FirstName + " " + cu.LastName)

	add := c.btn(tr.T("staff.docs.add"), theme.ContentAddIcon(), c.do(func() { s.EditDocument(nil) }))
	scan := c.btn(tr.T("staff.docs.scan"), theme.MediaRecordIcon(), c.do(func() { s.EditDocument(nil); s.Form.Scanning = true }))
	clearAll := c.btn(tr.T("staff.docs.remove_all"), theme.DeleteIcon(), func() { c.confirmRemoveAll() })
	clearAll.Importance = widget.DangerImportance
	refresh := c.btn(tr.T("staff.docs.refresh"), theme.ViewRefreshIcon(), c.do(func() { s.LoadDocuments(staff.Note{}) }))
	if s.Busy() {
		for _, b := range []*widget.Button{add, scan, clearAll, refresh} {
			b.Disable()
		}
	}
	if len(s.Docs) == 0 {
		clearAll.Disable()
	}
	// The customer's name and address wrap (an address has no spaces to
	// wrap at); the tools go on their own row below.
	who := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who.Wrapping = fyne.TextWrapWord
	email := widget.NewLabel(cu.Email)
	email.Wrapping = fyne.TextWrapBreak
	tools := container.NewVBox(container.NewGridWithColumns(2, who, email), newWrapRow(false, add, scan, refresh, clearAll))

	list := container.NewVBox()
	switch status := c.status(); {
	case status != nil:
		list.Add(status)
	case !s.Notice.IsZero():
		list.Add(widget.NewLabelWithStyle(c.say(s.Notice), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	if !s.Busy() && len(s.Docs) == 0 && s.Problem.IsZero() {
		list.Add(message(tr.T("staff.docs.none")))
	}
	for i := range s.Docs {
		list.Add(c.documentRow(s.Docs[i]))
	}
	body := container.NewBorder(container.NewVBox(tools, widget.NewSeparator()), nil, nil, nil, c.scroll("documents", list))
	back := &action{label: tr.T("staff.docs.back"), tapped: c.do(s.CloseCustomer)}
	return c.screen(tr.T("staff.docs.title"), body, back, nil)
}

func (c *staffView) documentRow(d mews.Document) fyne.CanvasObject {
	k := c.k
	tr := k.tr
	title := widget.NewLabelWithStyle(c.typeName(string(d.Type)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	num := staff.MaskNumber(d.Number)
	showLabel := tr.T("staff.docs.show")
	if c.s.Shown[d.ID] {
		num, showLabel = d.Number, tr.T("staff.docs.hide")
	}
	if d.Number == "" {
		num = tr.T("staff.docs.no_number")
	}
	number := widget.NewLabelWithStyle(num, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	show := c.btn(showLabel, theme.VisibilityIcon(), c.do(func() { c.s.ToggleShown(d.ID) }))
	if d.Number == "" {
		show.Disable()
	}
	var facts []string
	if !d.ExpirationDate.IsZero() {
		facts = append(facts, tr.T("staff.docs.expires", "date", c.k.formatDate(d.ExpirationDate.Time())))
	}
	if !d.IssuanceDate.IsZero() {
		facts = append(facts, tr.T("staff.docs.issued", "date", c.k.formatDate(d.IssuanceDate.Time())))
	}
	if d.IssuingCountryCode != "" {
		place := k.countryName(d.IssuingCountryCode)
		if d.IssuingCity != "" {
			place = d.IssuingCity + ", " + place
		}
		facts = append(facts, place)
	}
	edit := c.btn(tr.T("staff.docs.edit"), theme.DocumentCreateIcon(), c.do(func() { c.s.EditDocument(&d) }))
	del := c.btn(tr.T("staff.docs.delete"), theme.DeleteIcon(), func() { c.confirmDelete(d) })
	del.Importance = widget.DangerImportance
	if c.s.Busy() {
		edit.Disable()
		del.Disable()
	}
	title.Wrapping = fyne.TextWrapWord
	info := container.NewVBox(title, container.NewHBox(number, show), message(strings.Join(facts, " · ")))
	return card(container.NewBorder(nil, nil, nil, container.NewVBox(edit, del), info))
}

func (c *staffView) typeName(t string) string {
	for _, m := range mewsTypes {
		if m == t {
			return c.k.tr.T("mews.type." + m)
		}
	}
	return t
}

func (c *staffView) confirmDelete(d mews.Document) {
	k := c.k
	tr := k.tr
	what := c.typeName(string(d.Type))
	if d.Number != "" {
		what += " " + staff.MaskNumber(d.Number)
	}
	c.confirm(tr.T("staff.delete.title"), tr.T("staff.delete.body", "document", what), tr.T("staff.docs.delete"), c.do(func() { c.s.Delete(d) }))
}

// confirmRemoveAll removes every document of the customer once staff
// have typed the customer's last name.
func (c *staffView) confirmRemoveAll() {
	k := c.k
	tr := k.tr
	cu := *c.s.Customer
	var pop *widget.PopUp
	entry := c.newEntry(nil)
	entry.SetPlaceHolder(tr.T("staff.remove_all.placeholder"))
	remove := c.btn(tr.T("staff.remove_all.confirm"), theme.DeleteIcon(), func() {
		pop.Hide()
		c.s.RemoveAll()
		c.redraw()
	})
	remove.Importance = widget.DangerImportance
	remove.Disable()
	entry.OnChanged = func(s string) {
		c.touch()
		if staff.SameName(s, cu.LastName) {
			remove.Enable()
		} else {
			remove.Disable()
		}
	}
	cancel := c.btn(tr.T("common.cancel"), nil, func() { pop.Hide() })
	intro := message(tr.T("staff.remove_all.body", "n", len(c.s.Docs)))
	name := widget.NewLabelWithStyle(cu.LastName, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	content := container.NewVBox(
		widget.NewLabelWithStyle(tr.T("staff.remove_all.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		intro, name, entry,
		k.keyboard(fixed(&entry.Entry), []string{"QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM <"}, c.touch),
		container.NewGridWithColumns(2, cancel, remove))
	pop = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(760, 620), container.NewPadded(content)), k.win.Canvas())
	pop.Show()
}
