package app

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
)

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
	if g.jobs.Busy() || g.details == nil {
		return k.screen(3, k.tr.T("details.title"), container.NewCenter(container.NewHBox(widget.NewActivity(), widget.NewLabel(k.tr.T("details.loading")))), nil, nil)
	}
	d := g.details
	var active *focusEntry
	setActive := func(e *focusEntry) { active = e; k.idle.Touch() }

	typeSel := k.typeSelect(&d.Type, k.idle.Touch)

	number := newFocusEntry(setActive)
	number.SetText(d.Number)
	number.OnChanged = func(s string) { d.Number = strings.ToUpper(strings.TrimSpace(s)) }
	expiry := newFocusEntry(setActive)
	expiry.SetPlaceHolder(k.tr.T("details.date_format"))
	expiry.SetText(d.Expiry)
	expiry.OnChanged = func(s string) { d.Expiry = strings.TrimSpace(s) }

	country := widget.NewButton(k.countryName(d.IssuingCountry), func() {
		k.pickCountry(k.idle.Touch, func(code string) { d.IssuingCountry = code; k.render() })
	})
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
	return k.screen(3, k.tr.T("details.title"), body, k.back(), &action{label: k.tr.T("common.next"), tapped: func() {
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
