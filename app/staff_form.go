package app

import (
	"bytes"
	"context"
	"image/jpeg"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/client/mews"
)

// docForm is the add or edit form's values, as typed.
type docForm struct {
	orig *mews.Document // the document edited; nil when adding

	Type, Number, Expiry, Issued, Country, Subdivision, City, Support string

	showNumber bool
	fromScan   bool
	scanning   bool
	scanNote   string
}

func formOf(d *mews.Document) *docForm {
	if d == nil {
		return &docForm{Type: string(mews.Passport)}
	}
	cp := *d
	return &docForm{orig: &cp, Type: string(d.Type), Number: d.Number, Expiry: d.ExpirationDate.String(),
		Issued: d.IssuanceDate.String(), Country: d.IssuingCountryCode, Subdivision: d.IssuingCountrySubdivisionCode,
		City: d.IssuingCity, Support: d.IdentityDocumentSupportNumber}
}

// editDocument opens the form on d, or an empty one to add.
func (c *staffView) editDocument(d *mews.Document) {
	c.form = formOf(d)
	c.problem, c.notice = "", ""
	c.show(c.formScreen)
}

func (c *staffView) formScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	f := c.form
	if f.scanning {
		return c.scanScreen()
	}
	var active *focusEntry
	setActive := func(e *focusEntry) { active = e; c.touch() }
	text := func(v *string, placeholder string, upper bool) *focusEntry {
		e := newFocusEntry(setActive)
		e.SetPlaceHolder(placeholder)
		e.SetText(*v)
		e.OnChanged = func(s string) {
			if upper {
				s = strings.ToUpper(s)
			}
			*v = strings.TrimSpace(s)
			c.touch()
		}
		return e
	}
	typeSel := k.typeSelect(&f.Type, c.touch)
	number := text(&f.Number, "", true)
	number.Password = !f.showNumber
	// The number is masked in the field too; the eye shows it.
	eye := theme.VisibilityIcon()
	if f.showNumber {
		eye = theme.VisibilityOffIcon()
	}
	show := c.btn("", eye, func() { f.showNumber = !f.showNumber; c.show(c.formScreen) })
	numberRow := container.NewBorder(nil, nil, nil, show, number)
	expiry := text(&f.Expiry, tr.T("details.date_format"), false)
	issued := text(&f.Issued, tr.T("details.date_format"), false)
	countryLabel := tr.T("details.choose_country")
	if f.Country != "" {
		countryLabel = k.countryName(f.Country)
	}
	country := c.btn(countryLabel, nil, func() {
		k.pickCountry(c.touch, func(code string) { f.Country = code; c.show(c.formScreen) })
	})
	clearCountry := c.btn("", theme.ContentClearIcon(), func() { f.Country = ""; c.show(c.formScreen) })
	if f.Country == "" {
		clearCountry.Disable()
	}
	sub := text(&f.Subdivision, tr.T("staff.form.subdivision_hint"), true)
	city := text(&f.City, "", false)
	support := text(&f.Support, "", true)

	form := widget.NewForm(
		widget.NewFormItem(tr.T("details.type"), typeSel),
		widget.NewFormItem(tr.T("details.number"), numberRow),
		widget.NewFormItem(tr.T("details.expiry"), expiry),
		widget.NewFormItem(tr.T("staff.form.issued"), issued),
		widget.NewFormItem(tr.T("details.country"), container.NewBorder(nil, nil, nil, clearCountry, country)),
		widget.NewFormItem(tr.T("staff.form.subdivision"), sub),
		widget.NewFormItem(tr.T("staff.form.city"), city),
		widget.NewFormItem(tr.T("staff.form.support"), support),
	)
	top := container.NewVBox()
	switch {
	case f.fromScan:
		l := message(tr.T("staff.form.from_scan"))
		l.TextStyle.Bold = true
		top.Add(l)
	case f.scanNote != "":
		top.Add(problemText(f.scanNote))
	}
	if c.problem != "" {
		top.Add(problemText(c.problem))
	}
	if c.busy {
		top.Add(container.NewHBox(widget.NewActivity(), widget.NewLabel(tr.T("staff.working"))))
	}
	scan := c.btn(tr.T("staff.docs.scan"), theme.MediaRecordIcon(), func() { c.startScan() })
	top.Add(container.NewHBox(scan))
	left := container.NewBorder(top, nil, nil, nil, container.NewVScroll(form))
	keys := k.keyboard(func() *widget.Entry {
		if active == nil {
			return &number.Entry
		}
		return &active.Entry
	}, textKeys, c.touch)
	body := container.NewBorder(nil, nil, nil, container.NewVBox(keys), panel(left))
	title := tr.T("staff.form.add_title")
	if f.orig != nil {
		title = tr.T("staff.form.edit_title")
	}
	back := &action{label: tr.T("common.cancel"), tapped: func() { c.form = nil; c.problem = ""; c.show(c.documentsScreen) }}
	return c.screen(title, body, back, &action{label: tr.T("staff.form.save"), tapped: c.save, disabled: c.busy})
}

// parseFormDate reads an optional YYYY-MM-DD date.
func parseFormDate(s string) (mews.Date, bool) {
	if s == "" {
		return mews.Date{}, true
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return mews.Date{}, false
	}
	return mews.DateOf(t), true
}

// changed is the update of one text field: unchanged when equal, cleared
// when emptied on purpose, else set.
func changed(old, now string) mews.Update[string] {
	switch {
	case old == now:
		return mews.Unchanged[string]()
	case now == "":
		return mews.Clear[string]()
	}
	return mews.Set(now)
}

func changedDate(old, now mews.Date) mews.Update[mews.Date] {
	switch {
	case old == now:
		return mews.Unchanged[mews.Date]()
	case now.IsZero():
		return mews.Clear[mews.Date]()
	}
	return mews.Set(now)
}

// update is the change from the original document to the form: only the
// fields staff changed, and {"Value": null} for those emptied.
func (f *docForm) update(expiry, issued mews.Date) (mews.DocumentUpdate, bool) {
	o := f.orig
	u := mews.DocumentUpdate{ID: o.ID}
	if mews.DocumentType(f.Type) != o.Type {
		u.Type = mews.Set(mews.DocumentType(f.Type))
	}
	u.Number = changed(o.Number, f.Number)
	u.ExpirationDate = changedDate(o.ExpirationDate, expiry)
	u.IssuanceDate = changedDate(o.IssuanceDate, issued)
	u.IssuingCountryCode = changed(o.IssuingCountryCode, f.Country)
	u.IssuingCountrySubdivisionCode = changed(o.IssuingCountrySubdivisionCode, f.Subdivision)
	u.IssuingCity = changed(o.IssuingCity, f.City)
	u.IdentityDocumentSupportNumber = changed(o.IdentityDocumentSupportNumber, f.Support)
	some := !u.Type.IsZero() || !u.Number.IsZero() || !u.ExpirationDate.IsZero() || !u.IssuanceDate.IsZero() ||
		!u.IssuingCountryCode.IsZero() || !u.IssuingCountrySubdivisionCode.IsZero() || !u.IssuingCity.IsZero() ||
		!u.IdentityDocumentSupportNumber.IsZero()
	return u, some
}

// save adds the document or sends the changed fields.
func (c *staffView) save() {
	k := c.k
	tr := k.tr
	f := c.form
	expiry, ok1 := parseFormDate(f.Expiry)
	issued, ok2 := parseFormDate(f.Issued)
	if !ok1 || !ok2 {
		c.problem = tr.T("details.bad_date")
		c.show(c.formScreen)
		return
	}
	mc := k.opts.Staff.Mews
	if f.orig == nil {
		d := mews.Document{CustomerID: c.customer.ID, Type: mews.DocumentType(f.Type), Number: f.Number,
			ExpirationDate: expiry, IssuanceDate: issued, IssuingCountryCode: f.Country,
			IssuingCountrySubdivisionCode: f.Subdivision, IssuingCity: f.City, IdentityDocumentSupportNumber: f.Support}
		c.async(func(ctx context.Context) func() {
			added, err := mc.Documents.Add(ctx, []mews.Document{d})
			return func() {
				if err != nil {
					k.log.Warn("staff document add failed", "err", err)
					c.problem = c.problemFor(err)
					return
				}
				for _, a := range added {
					k.log.Info("staff added an identity document", "document", a)
				}
				k.events.add("staff added an identity document")
				c.form = nil
				c.show(c.documentsScreen)
				c.loadDocuments(tr.T("staff.form.added"))
			}
		})
		return
	}
	u, anyChange := f.update(expiry, issued)
	if !anyChange {
		c.form = nil
		c.notice = tr.T("staff.form.unchanged")
		c.show(c.documentsScreen)
		return
	}
	c.async(func(ctx context.Context) func() {
		_, err := mc.Documents.Update(ctx, []mews.DocumentUpdate{u})
		return func() {
			if err != nil {
				k.log.Warn("staff document update failed", "err", err)
				c.problem = c.problemFor(err)
				return
			}
			k.log.Info("staff updated an identity document", "id", u.ID)
			k.events.add("staff updated an identity document")
			c.form = nil
			c.show(c.documentsScreen)
			c.loadDocuments(tr.T("staff.form.updated"))
		}
	})
}

// --- Scan to fill ------------------------------------------------------------

func (c *staffView) startScan() {
	c.form.scanning, c.form.scanNote = true, ""
	c.show(c.formScreen)
}

func (c *staffView) stopScan(note string) {
	c.k.stopCamera()
	if c.form != nil {
		c.form.scanning, c.form.scanNote = false, note
	}
	c.show(c.formScreen)
}

// scanScreen runs the camera and the guest flow's scan pipeline: the
// checks take a still when the card is steady and sharp (or on the
// shutter); its machine-readable zone, when one is read, fills the form.
func (c *staffView) scanScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	f := c.form
	cam := k.camera(PurposeDocument)
	back := &action{label: tr.T("staff.scan.type_instead"), tapped: func() { c.stopScan("") }}
	if cam.failed.Load() {
		body := container.NewCenter(problemText(tr.T("camera.unavailable")))
		return c.screen(tr.T("staff.scan.title"), body, back, nil)
	}
	th, so, _ := scanSettings(k.opts.Config)
	st := &scanState{scanner: idscan.NewScanner(th)}
	overlay := kwidget.NewScanOverlay()
	overlay.SetHint(tr.T("capture.start"))
	gen := c.gen
	var done atomic.Bool
	hintHold := tr.T("hint.hold")
	cam.setConsumer(func(fr CameraFrame) {
		if done.Load() || fr.Luma == nil {
			return
		}
		w, h := fr.Luma.Rect.Dx(), fr.Luma.Rect.Dy()
		guide := idscan.Guide(w, h, idscan.CardAspect, guideFill)
		st.mu.Lock()
		step, err := st.scanner.Preview(fr.Luma, guide)
		manual := st.shutter
		st.shutter = false
		var rep idscan.Report
		switch {
		case err != nil:
		case manual:
			rep, err = st.scanner.Shutter(fr.fullCheck())
		case step.Capture:
			rep, err = st.scanner.Confirm(fr.fullCheck())
		}
		st.mu.Unlock()
		if err != nil {
			return
		}
		if !step.Capture && !manual {
			text := tr.T(string(step.Hint))
			if step.Hint == idscan.HintNone {
				text = hintHold
			}
			k.do(func() {
				overlay.SetGuide(w, h, guide)
				overlay.SetHint(text)
				overlay.SetProgress(step.Progress)
			})
			return
		}
		still, err := idscan.MakeStill(fr.Full(), rep.Outline(), "staff-scan.jpg", so)
		if err != nil {
			return
		}
		res := readStillMRZ(still)
		still.Wipe()
		if res == nil {
			st.mu.Lock()
			st.scanner.Reset()
			st.mu.Unlock()
			k.do(func() { overlay.SetHint(tr.T("staff.scan.no_mrz")) })
			return
		}
		done.Store(true)
		m := res.Document()
		k.do(func() {
			if c.gen != gen || c.form != f || !f.scanning {
				return
			}
			if m.Type != "" {
				f.Type = m.Type
			}
			f.Number, f.Expiry = m.Number, m.ExpirationDate
			if m.IssuingCountryCode != "" {
				f.Country = m.IssuingCountryCode
			}
			f.fromScan = true
			k.log.Info("staff scan read a machine-readable zone", "type", m.Type)
			c.stopScan("")
		})
	})
	shutter := c.btn(tr.T("capture.shutter"), theme.MediaRecordIcon(), func() {
		st.mu.Lock()
		st.shutter = true
		st.mu.Unlock()
	})
	panel := container.NewVBox(message(tr.T("staff.scan.intro")), container.NewGridWrap(fyne.NewSize(360, MinTouch+16), shutter))
	body := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(380, 400), panel), container.NewStack(cam.img, overlay))
	return c.screen(tr.T("staff.scan.title"), body, back, nil)
}

// readStillMRZ reads the machine-readable zone of a still, or nil.
func readStillMRZ(still *idscan.Still) *mrz.Result {
	img, err := jpeg.Decode(bytes.NewReader(still.JPEG))
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	res, err := mrz.Read(ctx, img)
	if err != nil || res == nil || !res.Valid {
		return nil
	}
	return res
}
