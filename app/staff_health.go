package app

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/terms"
)

// showHealth opens the health screen: both APIs probed, and the camera's
// frame rate refreshed once a second while it is shown.
func (c *staffView) showHealth() {
	k := c.k
	booking := k.opts.Staff.ProbeBooking
	if booking == "" {
		booking = k.opts.Config.StoRegister.TestBooking
	}
	if booking == "" && k.opts.Demo {
		booking = demodata.People[0].BookingID
	}
	c.s.ShowHealth(booking)
	h := c.s.Health
	// Files do not change while the screen is shown: read them once.
	c.termsLine, c.termsOK = c.termsStatus()
	k.stopCamera() // a fresh runner: no scan left consuming its frames
	k.camera(PurposeDocument)
	c.redraw()
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-h.Done():
				return
			case <-t.C:
				k.do(func() {
					if c.s.Health != h {
						return
					}
					if k.cam != nil {
						h.Tick(k.cam.frames.Load(), time.Now())
					}
					c.redraw()
				})
			}
		}
	}()
}

// probeSentence is what a probe found, in the staff's language; ok says
// whether the service answered.
func (c *staffView) probeSentence(p staff.Probe, errorSentence func(error) string) (string, bool) {
	tr := c.k.tr
	switch {
	case !p.Done:
		return "", false
	case p.NotConfigured:
		return tr.T("staff.health.not_configured"), false
	case p.NotChecked:
		return tr.T("staff.health.not_checked"), false
	case p.Err != nil:
		return tr.T("staff.health.unreachable") + ": " + errorSentence(p.Err), false
	}
	return tr.T("staff.health.reachable", "ms", p.Took.Milliseconds()), true
}

func (c *staffView) healthScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	h := c.s.Health
	if h == nil {
		return c.screen(tr.T("staff.health.title"), widget.NewLabel(""), nil, nil)
	}
	status := func(s string, ok bool) fyne.CanvasObject {
		if s == "" { // the spinner above the rows says it is under way
			return widget.NewLabel(tr.T("staff.health.checking"))
		}
		if !ok {
			return problemText(s)
		}
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	storeg, storegOK := c.probeSentence(h.StoRegister, k.errorSentence)
	mewsText, mewsOK := c.probeSentence(h.Mews, func(err error) string { return c.say(staff.NoteFor(err)) })
	camText, camOK := tr.T("camera.unavailable"), false
	if k.cam != nil && !k.cam.failed.Load() {
		camOK = true
		camText = tr.T("staff.health.fps", "fps", fmt.Sprintf("%.1f", h.FPS))
	}
	outboxText := tr.T("staff.health.not_configured")
	outboxOK := true
	needStaff := 0 // Mews records parked for staff to choose the customer
	if ob := k.opts.Staff.Outbox; ob != nil {
		q := staff.QueueOf(ob)
		outboxText = tr.T("staff.health.outbox", "depth", q.Stats.Depth, "dead", q.Dead, "delivered", q.Stats.Delivered)
		if q.Stats.Depth > 0 {
			outboxText += " · " + tr.T("staff.health.oldest", "age", q.Stats.OldestAge.Round(time.Second).String())
		}
		outboxOK, needStaff = q.OK(), q.NeedStaff
	}
	version := k.opts.Staff.Version
	if version == "" {
		version = "dev"
	}
	items := []*widget.FormItem{
		widget.NewFormItem("StoRegister", status(storeg, storegOK)),
		widget.NewFormItem("Mews", status(mewsText, mewsOK)),
		widget.NewFormItem(tr.T("staff.health.camera"), status(camText, camOK)),
		widget.NewFormItem(tr.T("staff.health.queue"), status(outboxText, outboxOK)),
	}
	if c.termsLine != "" {
		items = append(items, widget.NewFormItem(tr.T("staff.health.terms"), status(c.termsLine, c.termsOK)))
	}
	items = append(items, k.guestHealthItems()...) // a guest waiting for staff (helper sign)
	if needStaff > 0 {
		items = append(items, widget.NewFormItem(tr.T("staff.health.mews_records"),
			status(tr.T("staff.health.needs_staff", "n", needStaff), false)))
	}
	rows := fyne.CanvasObject(widget.NewForm(append(items, widget.NewFormItem(tr.T("staff.health.version"), widget.NewLabel(version)))...))
	if !h.StoRegister.Done || !h.Mews.Done {
		rows = container.NewVBox(c.waitRow(tr.T("staff.health.checking")), rows)
	}
	evTitle := widget.NewLabelWithStyle(tr.T("staff.health.events"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	evTitle.Wrapping = fyne.TextWrapWord
	events := container.NewVBox(evTitle)
	recent := staff.Recent(k.events, k.opts.Staff.Errors)
	if len(recent) == 0 {
		events.Add(widget.NewLabel(tr.T("staff.health.no_events")))
	}
	for i := len(recent) - 1; i >= 0; i-- {
		e := recent[i]
		l := widget.NewLabelWithStyle(e.At.Format("15:04:05")+"  "+e.What, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		l.Truncation = fyne.TextTruncateEllipsis
		events.Add(l)
	}
	showCfg := c.btn(tr.T("staff.health.config"), theme.SettingsIcon(), func() { c.showConfig() })
	// Closing the kiosk is rare and final: here, not in every screen's top bar.
	leave := c.btn(tr.T("staff.nav.leave"), theme.LogoutIcon(), func() { c.confirmLeave() })
	preview := fyne.CanvasObject(widget.NewLabel(""))
	if k.cam != nil && !k.cam.failed.Load() {
		preview = container.NewGridWrap(fyne.NewSize(224, 126), k.cam.img)
	}
	left := container.NewVBox(rows, container.NewHBox(preview, container.NewVBox(showCfg, leave)), widget.NewSeparator(),
		c.captures())
	// Two halves that fill the height; each scrolls when its text is longer.
	body := container.NewGridWithColumns(2, card(c.scroll("status", left)), card(c.scroll("events", events)))
	return c.screen(tr.T("staff.health.title"), body, nil, nil)
}

// showConfig shows the configuration with every secret masked.
func (c *staffView) showConfig() {
	k := c.k
	b, err := k.opts.Config.Masked()
	text := string(b)
	if err != nil {
		text = err.Error()
	}
	var pop *widget.PopUp
	grid := widget.NewTextGridFromString(text)
	// Long lines scroll sideways too; a finger drag moves both ways.
	textScroll := kwidget.NewDragScroll(grid, fyne.Position{})
	textScroll.Direction = container.ScrollBoth
	textScroll.OnScrolled = func(fyne.Position) { c.touch() }
	closeB := c.btn(k.tr.T("staff.close"), nil, func() { pop.Hide() })
	content := container.NewBorder(nil, container.NewGridWrap(fyne.NewSize(240, MinTouch), closeB), nil, nil, textScroll)
	// As large as the window allows, up to 1100×680.
	room := k.win.Canvas().Size()
	size := fyne.NewSize(min(1100, room.Width-48), min(680, room.Height-48))
	pop = widget.NewModalPopUp(container.NewGridWrap(size, content), k.win.Canvas())
	pop.Show()
}

// termsStatus is what the health screen says of the storage agreement:
// whose text guests see, and the languages shown in English for want of
// their own file; ok is false when some are.
func (c *staffView) termsStatus() (string, bool) {
	k := c.k
	tr := k.tr
	dir := k.opts.Config.Kiosk.TermsDir
	missing, err := terms.Missing(dir, k.languages())
	switch {
	case err != nil:
		return err.Error(), false
	case len(missing) > 0:
		files := make([]string, len(missing))
		for i, l := range missing {
			files[i] = l + ".md"
		}
		where := dir
		if where == "" {
			where = terms.SourceBuiltIn
		}
		return tr.T("staff.health.terms_fallback", "langs", strings.Join(missing, ", "), "files", strings.Join(files, ", "), "dir", where), false
	case dir == "":
		return tr.T("staff.health.terms_builtin"), k.opts.Demo
	}
	return dir, true
}

// captures lists the last capture attempts' live-check scores, newest
// first: numbers, never a picture.
func (c *staffView) captures() fyne.CanvasObject {
	tr := c.k.tr
	title := widget.NewLabelWithStyle(tr.T("staff.health.captures"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(title)
	var list []metrics.Capture
	if f := c.k.opts.Staff.Captures; f != nil {
		list = f()
	}
	if len(list) == 0 {
		box.Add(message(tr.T("staff.health.no_captures")))
		return box
	}
	cols := message(tr.T("staff.health.capture_columns"))
	cols.TextStyle.Italic = true
	box.Add(cols)
	for i := len(list) - 1; i >= 0; i-- {
		a := list[i]
		l := widget.NewLabelWithStyle(fmt.Sprintf("%s %-5s %-9s %7.0f %5.2f %5.2f", a.Time.Format("15:04:05"), a.Side, a.Result,
			a.Sharpness, a.Glare, a.Framing), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		l.Wrapping = fyne.TextWrapBreak
		box.Add(l)
	}
	return box
}
