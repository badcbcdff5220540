package app

import (
	"context"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/idscan"
)

// mewsTypeFor maps a StoRegister type name to Mews's type, through the
// same classification that decides the sides to capture (in any of the
// kiosk's languages: "Reisepass", "permis de conduire"). A residence
// permit is an identity card to Mews (ICAO codes it I or A, not V).
func (k *Kiosk) mewsTypeFor(name string) string {
	_, _, rules := scanSettings(k.opts.Config)
	switch idscan.Classify(name, rules).Kind {
	case "passport":
		return "Passport"
	case "driving-licence":
		return "DriversLicense"
	}
	if strings.Contains(strings.ToLower(name), "visa") {
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
		var d flow.Details
		if g.prefill != nil {
			d = *g.prefill
		}
		g.details = &d
	}
	// The type is the one the guest chose, whatever the zone's code says
	// (a passport card, a residence permit coded as an identity card).
	g.details.Type = k.mewsTypeFor(s.DocType().Name)
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
	c := &g.capture
	if !c.expirySet {
		c.expiry, c.expirySet = dateBoxesOf(d.Expiry), true
	}

	// One keyboard for the field the guest touched: letters and digits for
	// the number, the numeric keypad for the date's boxes.
	var active *focusEntry
	keysBox := container.NewStack()
	var textKB, digitKB fyne.CanvasObject
	var number *focusEntry
	var dates *dateInput
	setActive := func(e *focusEntry) {
		active = e
		k.idle.Touch()
		kb := textKB
		if dates.has(e) {
			kb = digitKB
		}
		if keysBox.Objects[1] != kb {
			keysBox.Objects[1] = kb
			keysBox.Refresh()
		}
	}
	target := func() *widget.Entry {
		if active == nil {
			return &number.Entry
		}
		return &active.Entry
	}
	textKB = k.keyboard(target, textKeys, k.idle.Touch)
	digitKB = k.keyboard(target, digitKeys, k.idle.Touch)
	// The keypad takes the letters' room: the form does not jump sideways.
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(textKB.MinSize())
	keysBox.Objects = []fyne.CanvasObject{room, textKB}

	number = newFocusEntry(setActive)
	number.SetText(d.Number)
	number.OnChanged = func(s string) { d.Number = strings.ToUpper(strings.TrimSpace(s)) }
	dates = k.dateInput(&c.expiry, c.expiryBad, setActive)

	country := widget.NewButton(k.countryName(d.IssuingCountry), func() {
		k.pickCountry(k.idle.Touch, func(code string) { d.IssuingCountry = code; k.render() })
	})
	if d.IssuingCountry == "" {
		country.SetText(k.tr.T("details.choose_country"))
	}

	intro := k.tr.T("details.intro")
	if g.prefill != nil {
		intro = k.tr.T("details.prefilled")
	}
	// Each field's name above it: the column stays narrow beside the
	// keyboard at 1024 px, and a long name wraps instead of squeezing the
	// field.
	left := container.NewVBox(
		// The type the guest chose, named as on the type screen, heads the
		// number: to change it, the guest goes back.
		fieldRow(k.docTypeName(*g.session.DocType())+" · "+k.tr.T("details.number"), number),
		fieldRow(k.tr.T("details.expiry")+" · "+k.tr.T("date.day")+" / "+k.tr.T("date.month")+" / "+k.tr.T("date.year"), dates.obj),
		fieldRow(k.tr.T("details.country"), country))
	if bad := dates.box(c.expiryBad); bad != nil {
		setActive(bad)
		k.win.Canvas().Focus(bad)
	}
	// The intro across the whole width, above the form and the keyboard;
	// what to fix, or else the language offer, takes its place while there
	// is one (the screen has room for one of them at 768 px).
	var top fyne.CanvasObject = message(intro)
	switch {
	case g.problem != "":
		top = problemText(g.problem)
	case k.offering():
		top = k.languageOffer()
	}
	body := container.NewBorder(top, nil, nil, card(keysBox), card(left))
	return k.screen(3, k.tr.T("details.title"), body, k.back(), &action{label: k.tr.T("common.next"), tapped: func() {
		k.idle.Touch()
		c.expiryBad = flow.DateFieldNone
		expiry, msg := k.readDate(c.expiry, flow.DateExpiry, &c.expiryBad)
		if msg == "" {
			d.Expiry = expiry
			msg = k.validateDetails(*d)
		}
		if msg != "" {
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
