package app

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/client/storegister"
)

// confirmScreen shows what the booking holds; a field the preview lacks
// (a tenant's name, say) is left out rather than shown empty.
func (k *Kiosk) confirmScreen() fyne.CanvasObject {
	b := k.g.session.Booking
	rows := container.NewVBox(message(k.tr.T("confirm.intro")))
	if masked := flow.MaskName(b.Tenant.FirstName, b.Tenant.LastName); masked != "" {
		name := canvas.NewText(masked, colorInk)
		name.TextSize = 44
		name.TextStyle.Bold = true
		rows.Add(container.NewCenter(name))
	}
	rows.Add(widget.NewSeparator())
	if unit := unitText(b.Unit, k.opts.Config.Kiosk.SizeUnit); unit != "" {
		rows.Add(detailRow(k.tr.T("confirm.unit"), unit))
	}
	if d, ok := b.MoveIn(); ok {
		rows.Add(detailRow(k.tr.T("confirm.move_in"), k.formatDate(d)))
	}
	if b.Property.Name != "" {
		rows.Add(detailRow(k.tr.T("confirm.property"), b.Property.Name))
	}
	notMe := &action{label: k.tr.T("confirm.not_me"), tapped: k.notMe}
	return k.screen(1, k.tr.T("confirm.title"), container.NewCenter(container.NewGridWrap(fyne.NewSize(760, 420), card(rows))),
		notMe, &action{label: k.tr.T("confirm.yes"), tapped: func() {
			k.idle.Touch()
			if err := k.g.session.ConfirmBooking(); err == nil {
				k.render()
			}
		}})
}

// notMe goes back to the search with an empty field, and tells the lookup
// policy that this booking is not the guest's: its QR code, if still held
// up, is neither filled in nor looked up again while it stays in view.
func (k *Kiosk) notMe() {
	k.idle.Touch()
	b := k.booking()
	b.lookups.Reject(b.found)
	b.found = ""
	k.g.reference, k.g.problem = "", ""
	k.g.session.Back()
	k.render()
}

// unitText is the unit's name and size: "A-112 5 m²" as sent, or "A-112 ·
// 5 m²" for a bare number, followed by the operator's unit
// (kiosk.size_unit; StoRegister names none for it).
func unitText(u storegister.Unit, sizeUnit string) string {
	size := u.Size
	if _, err := strconv.ParseFloat(size, 64); err == nil {
		if sizeUnit != "" {
			size += "\u00a0" + sizeUnit // not broken from its number
		}
		if u.Name != "" {
			size = "· " + size
		}
	}
	return strings.TrimSpace(u.Name + " " + size)
}

// detailRow is a label and its value, on one row.
func detailRow(label, value string) fyne.CanvasObject {
	l := widget.NewLabel(label)
	v := widget.NewLabelWithStyle(value, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	return container.NewBorder(nil, nil, l, v)
}
