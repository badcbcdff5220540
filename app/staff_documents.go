package app

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/client/mews"
)

// searchKeys types names and e-mail addresses.
var searchKeys = []string{"1234567890", "QWERTYUIOP", "ASDFGHJKL@", "ZXCVBNM-. <"}

// --- Customers -------------------------------------------------------------

func (c *staffView) showCustomers() {
	c.k.stopCamera()
	c.stopHealth()
	c.customer, c.docs, c.form, c.problem, c.notice = nil, nil, nil, "", ""
	c.show(c.customersScreen)
}

func (c *staffView) customersScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	if k.opts.Staff.Mews == nil {
		body := container.NewCenter(container.NewGridWrap(fyne.NewSize(760, 200), card(message(tr.T("staff.mews_off")))))
		return c.screen(tr.T("staff.customers.title"), body, nil, nil)
	}
	entry := widget.NewEntry()
	entry.SetPlaceHolder(tr.T("staff.customers.placeholder"))
	entry.SetText(c.query)
	entry.OnChanged = func(s string) { c.query = s; c.touch() }
	entry.OnSubmitted = func(string) { c.search(false) }
	inHouse := c.btn(tr.T("staff.customers.in_house"), theme.SearchIcon(), func() { c.search(false) })
	inHouse.Importance = widget.HighImportance
	byEmail := c.btn(tr.T("staff.customers.by_email"), theme.MailComposeIcon(), func() { c.search(true) })
	if c.busy {
		inHouse.Disable()
		byEmail.Disable()
	}
	left := container.NewVBox(
		widget.NewLabelWithStyle(tr.T("staff.customers.find"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		entry,
		container.NewGridWithColumns(2, inHouse, byEmail),
		k.keyboard(fixed(entry), searchKeys, c.touch),
	)

	results := container.NewVBox()
	switch {
	case c.busy:
		results.Add(container.NewHBox(widget.NewActivity(), widget.NewLabel(tr.T("staff.working"))))
	case c.problem != "":
		results.Add(problemText(c.problem))
	case c.searched && len(c.customers) == 0:
		results.Add(message(tr.T("staff.customers.none")))
	case !c.searched:
		results.Add(message(tr.T("staff.customers.intro")))
	}
	for i := range c.customers {
		cu := c.customers[i]
		name := strings.TrimSpace(cu.FirstName + " " + cu.LastName)
		line := cu.Email
		if b := maskBirthDate(cu.BirthDate); b != "" {
			line += " · " + tr.T("staff.customers.born", "date", b)
		}
		b := c.btn(tr.T("staff.customers.open"), theme.DocumentIcon(), func() { c.openCustomer(cu) })
		n := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		n.Wrapping = fyne.TextWrapWord
		l := widget.NewLabelWithStyle(line, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
		l.Wrapping = fyne.TextWrapWord
		results.Add(container.NewVBox(n, l, container.NewHBox(b), widget.NewSeparator()))
	}
	right := container.NewVScroll(results)
	body := container.NewBorder(nil, nil, card(left), nil, card(right))
	return c.screen(tr.T("staff.customers.title"), body, nil, nil)
}

// maskBirthDate shows the year only: enough to tell two namesakes apart.
func maskBirthDate(d mews.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-••-••", d.Year)
}

// search finds customers: in house by name (customers/search), or by
// e-mail or last name (customers/getAll).
func (c *staffView) search(byEmail bool) {
	k := c.k
	q := strings.TrimSpace(c.query)
	if q == "" {
		c.problem = k.tr.T("staff.customers.empty")
		c.show(c.customersScreen)
		return
	}
	mc := k.opts.Staff.Mews
	c.async(func(ctx context.Context) func() {
		var found []mews.Customer
		var err error
		if byEmail {
			f := mews.CustomerFilter{LastNames: []string{q}}
			if strings.Contains(q, "@") {
				f = mews.CustomerFilter{Emails: []string{strings.ToLower(q)}}
			} else if len(q) > 1 {
				// The on-screen keyboard types capitals; try the name as
				// typed and as names are usually written.
				f.LastNames = append(f.LastNames, titleCase(q))
			}
			found, err = mc.Customers.Find(ctx, f)
		} else {
			var rs []mews.SearchResult
			rs, err = mc.Customers.Search(ctx, q)
			for _, r := range rs {
				found = append(found, r.Customer)
			}
		}
		return func() {
			c.searched = true
			if err != nil {
				k.log.Warn("staff customer search failed", "err", err)
				c.problem = c.problemFor(err)
				c.customers = nil
				return
			}
			sort.SliceStable(found, func(i, j int) bool { return found[i].LastName < found[j].LastName })
			c.customers = found
			k.log.Info("staff customer search", "in_house", !byEmail, "found", len(found))
		}
	})
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// --- Documents -------------------------------------------------------------

func (c *staffView) openCustomer(cu mews.Customer) {
	c.customer = &cu
	c.docs, c.form, c.problem, c.notice = nil, nil, "", ""
	c.shown = map[string]bool{}
	c.k.log.Info("staff opened a customer's documents", "customer", cu)
	c.show(c.documentsScreen)
	c.loadDocuments("")
}

// loadDocuments reads every page of the customer's documents; notice is
// shown once they are in.
func (c *staffView) loadDocuments(notice string) {
	k := c.k
	id := c.customer.ID
	mc := k.opts.Staff.Mews
	c.async(func(ctx context.Context) func() {
		docs, err := mc.Documents.List(ctx, mews.DocumentListOptions{CustomerIDs: []string{id}})
		return func() {
			if err != nil {
				k.log.Warn("staff document list failed", "err", err)
				c.problem = c.problemFor(err)
				return
			}
			c.docs = docs
			c.notice = notice
		}
	})
}

func (c *staffView) documentsScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	cu := c.customer
	name := strings.TrimSpace(cu.FirstName + " " + cu.LastName)

	add := c.btn(tr.T("staff.docs.add"), theme.ContentAddIcon(), func() { c.editDocument(nil) })
	scan := c.btn(tr.T("staff.docs.scan"), theme.MediaRecordIcon(), func() { c.editDocument(nil); c.startScan() })
	clearAll := c.btn(tr.T("staff.docs.remove_all"), theme.DeleteIcon(), func() { c.confirmRemoveAll() })
	clearAll.Importance = widget.DangerImportance
	refresh := c.btn(tr.T("staff.docs.refresh"), theme.ViewRefreshIcon(), func() { c.loadDocuments("") })
	if c.busy {
		for _, b := range []*widget.Button{add, scan, clearAll, refresh} {
			b.Disable()
		}
	}
	if len(c.docs) == 0 {
		clearAll.Disable()
	}
	who := widget.NewLabelWithStyle(name+" · "+cu.Email, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who.Truncation = fyne.TextTruncateEllipsis
	tools := container.NewBorder(nil, nil, nil, container.NewHBox(add, scan, refresh, clearAll), who)

	list := container.NewVBox()
	switch {
	case c.busy:
		list.Add(container.NewHBox(widget.NewActivity(), widget.NewLabel(tr.T("staff.working"))))
	case c.problem != "":
		list.Add(problemText(c.problem))
	case c.notice != "":
		list.Add(widget.NewLabelWithStyle(c.notice, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	if !c.busy && len(c.docs) == 0 && c.problem == "" {
		list.Add(message(tr.T("staff.docs.none")))
	}
	for i := range c.docs {
		list.Add(c.documentRow(c.docs[i]))
	}
	body := container.NewBorder(container.NewVBox(tools, widget.NewSeparator()), nil, nil, nil, container.NewVScroll(list))
	back := &action{label: tr.T("staff.docs.back"), tapped: func() { c.customer = nil; c.show(c.customersScreen) }}
	return c.screen(tr.T("staff.docs.title"), body, back, nil)
}

// maskNumber hides all but the last two characters of a document number.
func maskNumber(n string) string {
	r := []rune(n)
	if len(r) <= 2 {
		return strings.Repeat("•", len(r))
	}
	return strings.Repeat("•", len(r)-2) + string(r[len(r)-2:])
}

func (c *staffView) documentRow(d mews.Document) fyne.CanvasObject {
	k := c.k
	tr := k.tr
	title := widget.NewLabelWithStyle(c.typeName(string(d.Type)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	num := maskNumber(d.Number)
	showLabel := tr.T("staff.docs.show")
	if c.shown[d.ID] {
		num, showLabel = d.Number, tr.T("staff.docs.hide")
	}
	if d.Number == "" {
		num = tr.T("staff.docs.no_number")
	}
	number := widget.NewLabelWithStyle(num, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	show := c.btn(showLabel, theme.VisibilityIcon(), func() { c.shown[d.ID] = !c.shown[d.ID]; c.show(c.documentsScreen) })
	if d.Number == "" {
		show.Disable()
	}
	var facts []string
	if !d.ExpirationDate.IsZero() {
		facts = append(facts, tr.T("staff.docs.expires", "date", d.ExpirationDate.String()))
	}
	if !d.IssuanceDate.IsZero() {
		facts = append(facts, tr.T("staff.docs.issued", "date", d.IssuanceDate.String()))
	}
	if d.IssuingCountryCode != "" {
		place := k.countryName(d.IssuingCountryCode)
		if d.IssuingCity != "" {
			place = d.IssuingCity + ", " + place
		}
		facts = append(facts, place)
	}
	edit := c.btn(tr.T("staff.docs.edit"), theme.DocumentCreateIcon(), func() { c.editDocument(&d) })
	del := c.btn(tr.T("staff.docs.delete"), theme.DeleteIcon(), func() { c.confirmDelete(d) })
	del.Importance = widget.DangerImportance
	if c.busy {
		edit.Disable()
		del.Disable()
	}
	info := container.NewVBox(container.NewHBox(title, number, show), message(strings.Join(facts, " · ")))
	return card(container.NewBorder(nil, nil, nil, container.NewHBox(edit, del), info))
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
		what += " " + maskNumber(d.Number)
	}
	c.confirm(tr.T("staff.delete.title"), tr.T("staff.delete.body", "document", what), tr.T("staff.docs.delete"), func() {
		mc := k.opts.Staff.Mews
		id := d.ID
		c.async(func(ctx context.Context) func() {
			err := mc.Documents.Delete(ctx, []string{id})
			return func() {
				if err != nil {
					k.log.Warn("staff document delete failed", "err", err)
					c.problem = c.problemFor(err)
					return
				}
				k.log.Info("staff deleted an identity document", "document", d)
				k.events.add("staff deleted an identity document")
				c.loadDocuments(tr.T("staff.delete.done"))
			}
		})
	})
}

// confirmRemoveAll removes every document of the customer once staff
// have typed the customer's last name.
func (c *staffView) confirmRemoveAll() {
	k := c.k
	tr := k.tr
	cu := *c.customer
	var pop *widget.PopUp
	entry := widget.NewEntry()
	entry.SetPlaceHolder(tr.T("staff.remove_all.placeholder"))
	remove := c.btn(tr.T("staff.remove_all.confirm"), theme.DeleteIcon(), func() {
		pop.Hide()
		mc := k.opts.Staff.Mews
		c.async(func(ctx context.Context) func() {
			err := mc.Documents.Clear(ctx, []string{cu.ID})
			return func() {
				if err != nil {
					k.log.Warn("staff remove all documents failed", "err", err)
					c.problem = c.problemFor(err)
					return
				}
				k.log.Info("staff removed every identity document of a customer", "customer", cu)
				k.events.add("staff removed every identity document of a customer")
				c.loadDocuments(tr.T("staff.remove_all.done"))
			}
		})
	})
	remove.Importance = widget.DangerImportance
	remove.Disable()
	entry.OnChanged = func(s string) {
		c.touch()
		if sameName(s, cu.LastName) {
			remove.Enable()
		} else {
			remove.Disable()
		}
	}
	cancel := c.btn(tr.T("common.cancel"), nil, func() { pop.Hide() })
	intro := message(tr.T("staff.remove_all.body", "n", len(c.docs)))
	name := widget.NewLabelWithStyle(cu.LastName, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	content := container.NewVBox(
		widget.NewLabelWithStyle(tr.T("staff.remove_all.title"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		intro, name, entry,
		k.keyboard(fixed(entry), []string{"QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM <"}, c.touch),
		container.NewGridWithColumns(2, cancel, remove))
	pop = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(760, 620), container.NewPadded(content)), k.win.Canvas())
	pop.Show()
}

// sameName compares a typed last name with the customer's, ignoring case,
// accents typed without their marks are not accepted: staff read the name
// on the screen above the field.
func sameName(typed, last string) bool {
	typed = strings.Join(strings.Fields(typed), " ")
	last = strings.Join(strings.Fields(last), " ")
	return last != "" && strings.EqualFold(typed, last)
}
