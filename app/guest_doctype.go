package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/client/storegister"
)

func (k *Kiosk) docTypeScreen() fyne.CanvasObject {
	grid := container.NewGridWithColumns(2)
	for _, t := range k.g.session.DocTypes {
		t := t
		label := k.docTypeName(t)
		sides := k.tr.T("doctype.two_sides")
		if len(t.Sides) == 1 {
			sides = k.tr.T("doctype.one_side")
		}
		b := widget.NewButton(label, func() {
			k.idle.Touch()
			if err := k.g.session.ChooseType(t); err == nil {
				k.render()
			}
		})
		b.Importance = widget.HighImportance
		grid.Add(container.NewVBox(container.NewGridWrap(fyne.NewSize(460, 110), b),
			widget.NewLabelWithStyle(sides, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})))
	}
	body := container.NewBorder(message(k.tr.T("doctype.intro")), nil, nil, nil, container.NewCenter(grid))
	return k.screen(2, k.tr.T("doctype.title"), body, k.back(), nil)
}

// docTypeName translates StoRegister's English type names where known.
func (k *Kiosk) docTypeName(t flow.DocType) string {
	key := "doctype.name." + strings.ToLower(strings.ReplaceAll(t.Name, " ", "_"))
	if s := k.tr.T(key); s != key {
		return s
	}
	return t.Name
}

// docTypes maps StoRegister's types to the flow's, with the sides to capture.
func (k *Kiosk) docTypes(ts []storegister.DocumentType) []flow.DocType {
	out := make([]flow.DocType, 0, len(ts))
	for _, t := range ts {
		out = append(out, flow.DocType{ID: t.ID, Name: t.Name, Sides: k.opts.SidesFor(t.Name)})
	}
	return out
}
