package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/capture/scan"
)

func (c *staffView) formScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	s := c.s
	f := s.Form
	var active *focusEntry
	setActive := func(e *focusEntry) { active = e; c.touch() }
	save := c.do(s.Save)
	text := func(v *string, placeholder string, upper bool) *staffEntry {
		e := c.newEntry(setActive)
		if c.desk() {
			e.OnSubmitted = func(string) { save() } // Enter saves
		}
		e.SetPlaceHolder(placeholder)
		e.SetText(*v)
		e.OnChanged = func(t string) {
			if upper {
				t = strings.ToUpper(t)
			}
			*v = strings.TrimSpace(t)
			c.touch()
		}
		return e
	}
	typeSel := k.typeSelect(&f.Type, c.touch)
	number := text(&f.Number, "", true)
	number.Password = !f.ShowNumber
	// A number read from Mews is masked in the field too; the eye shows it.
	eye := theme.VisibilityIcon()
	if f.ShowNumber {
		eye = theme.VisibilityOffIcon()
	}
	show := c.btn("", eye, c.do(func() { f.ShowNumber = !f.ShowNumber }))
	numberRow := container.NewBorder(nil, nil, nil, show, number)
	expiry := text(&f.Expiry, tr.T("staff.form.date_hint"), false)
	issued := text(&f.Issued, tr.T("staff.form.date_hint"), false)
	countryLabel := tr.T("details.choose_country")
	if f.Country != "" {
		countryLabel = k.countryName(f.Country)
	}
	country := c.btn(countryLabel, nil, func() {
		k.pickCountry(c.touch, func(code string) { f.Country = code; c.redraw() })
	})
	clearCountry := c.btn("", theme.ContentClearIcon(), c.do(func() { f.Country = "" }))
	if f.Country == "" {
		clearCountry.Disable()
	}
	sub := text(&f.Subdivision, tr.T("staff.form.subdivision_hint"), true)
	city := text(&f.City, "", false)
	support := text(&f.Support, "", true)

	form := newLabelledRows(
		formLabel(tr.T("details.type")), typeSel,
		formLabel(tr.T("details.number")), numberRow,
		formLabel(tr.T("details.expiry")), expiry,
		formLabel(tr.T("staff.form.issued")), issued,
		formLabel(tr.T("details.country")), container.NewBorder(nil, nil, nil, clearCountry, country),
		formLabel(tr.T("staff.form.subdivision")), sub,
		formLabel(tr.T("staff.form.city")), city,
		formLabel(tr.T("staff.form.support")), support,
	)
	top := container.NewVBox()
	switch {
	case f.FromScan:
		l := message(tr.T("staff.form.from_scan"))
		l.TextStyle.Bold = true
		top.Add(l)
	case !f.ScanNote.IsZero():
		top.Add(problemText(c.say(f.ScanNote)))
	}
	if status := c.status(); status != nil {
		top.Add(status)
	}
	// No icon: beside the keyboard, a German label needs the room.
	scan := c.btn(tr.T("staff.docs.scan"), nil, c.do(func() { f.Scanning, f.ScanNote = true, staff.Note{} }))
	top.Add(container.NewHBox(scan))
	left := container.NewBorder(top, nil, nil, nil, c.scroll("form", form))
	body := panel(left)
	if !c.desk() { // a desk has a keyboard
		keys := k.keyboard(func() *widget.Entry {
			if active == nil {
				return &number.Entry
			}
			return &active.Entry
		}, staffFormKeys, c.touch)
		body = container.NewBorder(nil, nil, nil, container.NewVBox(keys), panel(left))
	} else {
		c.focusNext = number
	}
	title := tr.T("staff.form.add_title")
	if f.Editing() {
		title = tr.T("staff.form.edit_title")
	}
	back := &action{label: tr.T("common.cancel"), tapped: c.do(s.CloseForm)}
	return c.screen(title, body, back, &action{label: tr.T("staff.form.save"), tapped: save, disabled: s.Busy()})
}

// --- Scan to fill ------------------------------------------------------------

// stopScan goes back from the camera to the form.
func (c *staffView) stopScan() {
	if f := c.s.Form; f != nil {
		f.Scanning = false
	}
	c.redraw()
}

// endScan stops the scan, if one runs, and wipes what it holds.
func (c *staffView) endScan() {
	if c.scan != nil {
		c.scanCancel()
		c.scan.Close()
		c.scan, c.scanCancel = nil, nil
	}
}

// scanScreen runs the camera and the guest's scan: the checks take a still
// when the card is steady and sharp (or on the shutter); its
// machine-readable zone, voted with the frames before it, fills the form.
func (c *staffView) scanScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	cam := k.camera(PurposeDocument)
	back := &action{label: tr.T("staff.scan.type_instead"), tapped: func() { c.stopScan() }}
	if cam.failed.Load() {
		body := container.NewCenter(problemText(tr.T("camera.unavailable")))
		return c.screen(tr.T("staff.scan.title"), body, back, nil)
	}
	overlay, view := k.scanView(cam)
	c.scanOverlay = overlay
	if c.scan == nil {
		ctx, cancel := context.WithCancel(context.Background())
		var loop *scan.Loop
		loop = k.newScan(ctx, "staff-scan.jpg", func(z *mrz.Result) { c.scanned(loop, z) })
		c.scan, c.scanCancel = loop, cancel
	}
	loop := c.scan
	cam.setConsumer(func(fr scan.Frame) {
		if u, err := loop.Feed(fr); err == nil && u.Checked && u.Still == nil {
			k.showScan(overlay, u)
		}
	})
	shutter := c.btn(tr.T("capture.shutter"), theme.MediaRecordIcon(), loop.Shutter)
	panel := container.NewVBox(message(tr.T("staff.scan.intro")), container.NewGridWrap(fyne.NewSize(360, MinTouch+16), shutter))
	body := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(380, 400), panel), view)
	return c.screen(tr.T("staff.scan.title"), body, back, nil)
}

// scanned runs on the scan's reader once a still's zone is read: a valid
// zone fills the form, none asks for another try.
func (c *staffView) scanned(loop *scan.Loop, z *mrz.Result) {
	k := c.k
	if z == nil {
		loop.Retake()
		text := k.tr.T("staff.scan.no_mrz")
		k.do(func() {
			if c.scan == loop {
				c.scanOverlay.SetHint(text)
			}
		})
		return
	}
	m := z.Document()
	k.do(func() {
		f := c.s.Form
		if c.scan != loop || f == nil || !f.Scanning {
			return
		}
		f.Fill(m)
		k.log.Info("staff scan read a machine-readable zone", "type", m.Type)
		c.stopScan()
	})
}
