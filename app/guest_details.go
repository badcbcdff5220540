package app

import (
	"context"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/signet-kiosk/signet/app/flow"
)

// mewsTypes are the identity document types Mews knows, in display order.
var mewsTypes = []string{"Passport", "IdentityCard", "DriversLicense", "Visa"}

// mewsTypeFor maps a StoRegister type name to Mews's type.
func mewsTypeFor(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "pass"):
		return "Passport"
	case strings.Contains(n, "driv"), strings.Contains(n, "licen"):
		return "DriversLicense"
	case strings.Contains(n, "visa"):
		return "Visa"
	}
	return "IdentityCard"
}

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

// enterDetails runs when the last side is captured: it finds the Mews
// customer by the tenant's e-mail. Without an e-mail, or when no single
// customer has it, the guest still fills in the details: the submission
// then looks for the customer by name and birth date, or keeps the record
// for staff (flow.Submission.Run).
func (k *Kiosk) enterDetails() {
	g := k.g
	s := g.session
	if k.opts.Services.Mews == nil {
		_ = s.SkipDetails("mews.skip.not_configured")
		k.log.Info("document details skipped", "reason", "mews not configured")
		k.render()
		return
	}
	if g.details == nil {
		d := flow.Details{Type: mewsTypeFor(s.DocType().Name)}
		if g.prefill != nil {
			d = *g.prefill
		}
		g.details = &d
	}
	mews := k.opts.Services.Mews
	email := strings.TrimSpace(s.Booking.Tenant.Email.Reveal())
	if email == "" {
		// No lookup by e-mail is possible: the guest fills in the details,
		// and the submission looks for the customer by the document
		// holder's name and birth date, or keeps the record for staff.
		k.log.Info("booking has no e-mail: no mews lookup by e-mail; name and birth date will be tried at submit")
		return
	}
	k.async(func(ctx context.Context) func() {
		ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		defer cancel()
		id, err := mews.FindCustomerByEmail(ctx, email)
		return func() {
			switch {
			case err != nil:
				// The record must not vanish: the guest still fills in the
				// details, and the submission tries name and birth date, or
				// keeps the record for staff.
				s.EmailLookupFailed = true
				k.log.Warn("mews customer lookup by e-mail failed; name and birth date will be tried at submit", "err", err)
			case id == "":
				k.log.Info("mews customers/getAll by e-mail found no single customer; name and birth date will be tried at submit")
			default:
				g.customerID = id
			}
		}
	})
}

func (k *Kiosk) detailsScreen() fyne.CanvasObject {
	g := k.g
	if g.busy || g.details == nil {
		return k.frame(3, k.tr.T("details.title"), container.NewCenter(container.NewHBox(widget.NewActivity(), widget.NewLabel(k.tr.T("details.loading")))), nil, nil)
	}
	d := g.details
	var active *focusEntry
	setActive := func(e *focusEntry) { active = e; k.idle.Touch() }

	typeNames := make([]string, len(mewsTypes))
	for i, t := range mewsTypes {
		typeNames[i] = k.tr.T("mews.type." + t)
	}
	typeSel := widget.NewSelect(typeNames, func(s string) {
		for i, n := range typeNames {
			if n == s {
				d.Type = mewsTypes[i]
			}
		}
		k.idle.Touch()
	})
	for i, t := range mewsTypes {
		if t == d.Type {
			typeSel.SetSelectedIndex(i)
		}
	}

	number := newFocusEntry(setActive)
	number.SetText(d.Number)
	number.OnChanged = func(s string) { d.Number = strings.ToUpper(strings.TrimSpace(s)) }
	expiry := newFocusEntry(setActive)
	expiry.SetPlaceHolder(k.tr.T("details.date_format"))
	expiry.SetText(d.Expiry)
	expiry.OnChanged = func(s string) { d.Expiry = strings.TrimSpace(s) }

	country := widget.NewButton(k.countryName(d.IssuingCountry), func() { k.pickCountry(d) })
	if d.IssuingCountry == "" {
		country.SetText(k.tr.T("details.choose_country"))
	}

	keys := k.keyboard(func() *widget.Entry {
		if active == nil {
			return &number.Entry
		}
		return &active.Entry
	}, textKeys, k.idle.Touch)

	form := widget.NewForm(
		widget.NewFormItem(k.tr.T("details.type"), typeSel),
		widget.NewFormItem(k.tr.T("details.number"), number),
		widget.NewFormItem(k.tr.T("details.expiry"), expiry),
		widget.NewFormItem(k.tr.T("details.country"), country),
	)
	intro := k.tr.T("details.intro")
	if g.prefill != nil {
		intro = k.tr.T("details.prefilled")
	}
	left := container.NewVBox(message(intro), form)
	if g.problem != "" {
		left.Add(problemText(g.problem))
	}
	body := container.NewBorder(nil, nil, nil, card(keys), card(left))
	return k.frame(3, k.tr.T("details.title"), body, k.back(), &action{label: k.tr.T("common.next"), tapped: func() {
		k.idle.Touch()
		if msg := k.validateDetails(*d); msg != "" {
			g.problem = msg
			k.render()
			return
		}
		g.problem = ""
		if err := g.session.SetDetails(*d, g.customerID); err == nil {
			k.render()
		}
	}})
}

// validateDetails returns the sentence for the first problem, or "".
func (k *Kiosk) validateDetails(d flow.Details) string {
	if d.Number == "" && k.opts.NumberRequired {
		return k.tr.T("details.need_number")
	}
	if d.Expiry != "" {
		t, err := time.Parse("2006-01-02", d.Expiry)
		if err != nil {
			return k.tr.T("details.bad_date")
		}
		if t.Before(k.now()) {
			return k.tr.T("details.expired")
		}
	}
	return ""
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

// pickCountry opens a searchable country list typed on the on-screen keyboard.
func (k *Kiosk) pickCountry(d *flow.Details) {
	all := countries(k.tr.Language())
	shown := all
	var pop *widget.PopUp
	list := widget.NewList(func() int { return len(shown) },
		func() fyne.CanvasObject { return widget.NewLabel("Country name placeholder") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(shown[i][1]) })
	list.OnSelected = func(i widget.ListItemID) {
		d.IssuingCountry = shown[i][0]
		pop.Hide()
		k.render()
	}
	search := widget.NewEntry()
	search.SetPlaceHolder(k.tr.T("details.search_country"))
	search.OnChanged = func(q string) {
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
	cancel := widget.NewButton(k.tr.T("common.cancel"), func() { pop.Hide() })
	keys := k.keyboard(fixed(search), []string{"QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM <"}, k.idle.Touch)
	content := container.NewBorder(container.NewVBox(search), container.NewVBox(keys, cancel), nil, nil, list)
	pop = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(900, 700), content), k.win.Canvas())
	pop.Show()
}
