package app

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/client/storegister"
)

func (k *Kiosk) findBookingScreen() fyne.CanvasObject {
	g := k.g
	entry := widget.NewEntry()
	entry.SetPlaceHolder("7c9e6679-7425-40de-…")
	entry.SetText(g.reference)
	entry.OnChanged = func(s string) { g.reference = s; k.idle.Touch() }
	find := func() {
		id, ok := flow.NormalizeBookingID(g.reference)
		if !ok {
			g.problem = k.tr.T("find.invalid")
			k.render()
			return
		}
		k.lookup(id)
	}
	entry.OnSubmitted = func(string) { find() }

	intro := message(k.tr.T("find.intro"))
	typed := container.NewVBox(
		widget.NewLabelWithStyle(k.tr.T("find.type_reference"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		entry,
		k.keyboard(fixed(entry), hexKeys, k.idle.Touch),
	)
	if g.problem != "" {
		typed.Add(problemText(g.problem))
	}
	if g.jobs.Busy() {
		typed.Add(container.NewHBox(widget.NewActivity(), widget.NewLabel(k.tr.T("find.searching"))))
	}
	scan := k.qrPanel()
	body := container.NewBorder(intro, nil, container.NewGridWrap(fyne.NewSize(430, 480), card(scan)), nil, card(typed))
	return k.screen(1, k.tr.T("find.title"), body, k.back(),
		&action{label: k.tr.T("find.search"), tapped: find, disabled: g.jobs.Busy()})
}

// lookup fetches the booking and its document types.
func (k *Kiosk) lookup(id string) {
	svc := k.opts.Services.Booking
	k.async(func(ctx context.Context) func() {
		ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		defer cancel()
		b, err := svc.Booking(ctx, id)
		var types []storegister.DocumentType
		if err == nil {
			types, err = svc.IdentityDocumentTypes(ctx, id)
		}
		return func() {
			if err != nil {
				k.log.Warn("booking lookup failed", "err", err)
				k.g.problem = k.errorSentence(err)
				return
			}
			k.g.session.SetBooking(b, k.docTypes(types))
		}
	})
}

// errorSentence translates an error into what the guest should read.
func (k *Kiosk) errorSentence(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return k.tr.T("error.timeout")
	}
	var api *storegister.APIError
	if errors.As(err, &api) && api.Permanent() {
		key := storegister.TranslationKey(err)
		if s := k.tr.T(key); s != key {
			return s
		}
		return k.tr.T("error.refused")
	}
	return k.tr.T("error.unreachable")
}
