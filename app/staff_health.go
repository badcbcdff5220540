package app

import (
	"context"
	"fmt"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/outbox"
)

// healthState is what the health screen shows; probes fill it in.
type healthState struct {
	cancel context.CancelFunc

	storeg, mews string // reachability sentences; "" while probing
	storegOK     bool
	mewsOK       bool
	fps          float64
	frames       int64
	at           time.Time
}

// zeroGUID is a customer id no one has: customers/getAll with it is a
// harmless, uncached round trip to Mews.
const zeroGUID = "00000000-0000-0000-0000-000000000000"

func (c *staffView) showHealth() {
	k := c.k
	c.stopHealth()
	c.customer, c.form, c.problem, c.notice = nil, nil, "", ""
	ctx, cancel := context.WithCancel(context.Background())
	h := &healthState{cancel: cancel}
	c.health = h
	k.stopCamera() // a fresh runner: no scan left consuming its frames
	k.camera(PurposeDocument)
	c.show(c.healthScreen)
	c.probe(ctx, h)
	// Refresh the camera's frame rate once a second while shown.
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				k.do(func() {
					if c.health != h {
						return
					}
					if k.cam != nil {
						n, now := k.cam.frames.Load(), time.Now()
						if !h.at.IsZero() {
							h.fps = float64(n-h.frames) / now.Sub(h.at).Seconds()
						}
						h.frames, h.at = n, now
					}
					c.show(c.healthScreen)
				})
			}
		}
	}()
}

func (c *staffView) stopHealth() {
	if c.health != nil {
		c.health.cancel()
		c.health = nil
		c.k.stopCamera()
	}
}

// probe asks both APIs something harmless.
func (c *staffView) probe(ctx context.Context, h *healthState) {
	k := c.k
	tr := k.tr
	booking := k.opts.Staff.ProbeBooking
	if booking == "" {
		booking = k.opts.Config.StoRegister.TestBooking
	}
	if booking == "" && k.opts.Demo {
		booking = demodata.People[0].BookingID
	}
	svc := k.opts.Services.Booking
	go func() {
		sentence, ok := tr.T("staff.health.not_checked"), false
		if svc != nil && booking != "" {
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			start := time.Now()
			_, err := svc.IdentityDocumentTypes(pctx, booking)
			cancel()
			if err != nil {
				sentence = tr.T("staff.health.unreachable") + ": " + k.errorSentence(err)
			} else {
				sentence, ok = tr.T("staff.health.reachable", "ms", time.Since(start).Milliseconds()), true
			}
		} else if svc == nil {
			sentence = tr.T("staff.health.not_configured")
		}
		k.do(func() { h.storeg, h.storegOK = sentence, ok; c.refreshHealth(h) })
	}()
	mc := k.opts.Staff.Mews
	go func() {
		sentence, ok := tr.T("staff.health.not_configured"), false
		if mc != nil {
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			start := time.Now()
			_, err := mc.Customers.Find(pctx, mews.CustomerFilter{CustomerIDs: []string{zeroGUID}})
			cancel()
			if err != nil {
				sentence = tr.T("staff.health.unreachable") + ": " + c.problemFor(err)
			} else {
				sentence, ok = tr.T("staff.health.reachable", "ms", time.Since(start).Milliseconds()), true
			}
		}
		k.do(func() { h.mews, h.mewsOK = sentence, ok; c.refreshHealth(h) })
	}()
}

// refreshHealth redraws the health screen if it still shows h.
func (c *staffView) refreshHealth(h *healthState) {
	if c.health == h {
		c.show(c.healthScreen)
	}
}

func (c *staffView) healthScreen() fyne.CanvasObject {
	k := c.k
	tr := k.tr
	h := c.health
	if h == nil {
		return c.screen(tr.T("staff.health.title"), widget.NewLabel(""), nil, nil)
	}
	status := func(s string, ok bool) fyne.CanvasObject {
		if s == "" {
			return container.NewHBox(widget.NewActivity(), widget.NewLabel(tr.T("staff.health.checking")))
		}
		if !ok {
			return problemText(s)
		}
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	camText, camOK := tr.T("camera.unavailable"), false
	if k.cam != nil && !k.cam.failed.Load() {
		camOK = true
		camText = tr.T("staff.health.fps", "fps", fmt.Sprintf("%.1f", h.fps))
	}
	outboxText := tr.T("staff.health.not_configured")
	outboxOK := true
	needStaff := 0 // Mews records parked for staff to choose the customer
	if ob := k.opts.Staff.Outbox; ob != nil {
		s := ob.Stats()
		outboxText = tr.T("staff.health.outbox", "depth", s.Depth, "dead", len(s.Dead), "delivered", s.Delivered)
		if s.Depth > 0 {
			outboxText += " · " + tr.T("staff.health.oldest", "age", s.OldestAge.Round(time.Second).String())
		}
		outboxOK = len(s.Dead) == 0
		for _, d := range s.Dead {
			if d.Kind == outbox.KindMewsNeedsStaff || outbox.NeedsStaff(d.Code) {
				needStaff++
			}
		}
	}
	version := k.opts.Staff.Version
	if version == "" {
		version = "dev"
	}
	items := []*widget.FormItem{
		widget.NewFormItem("StoRegister", status(h.storeg, h.storegOK)),
		widget.NewFormItem("Mews", status(h.mews, h.mewsOK)),
		widget.NewFormItem(tr.T("staff.health.camera"), status(camText, camOK)),
		widget.NewFormItem(tr.T("staff.health.queue"), status(outboxText, outboxOK)),
	}
	if needStaff > 0 {
		items = append(items, widget.NewFormItem(tr.T("staff.health.mews_records"),
			status(tr.T("staff.health.needs_staff", "n", needStaff), false)))
	}
	rows := widget.NewForm(append(items, widget.NewFormItem(tr.T("staff.health.version"), widget.NewLabel(version)))...)
	evTitle := widget.NewLabelWithStyle(tr.T("staff.health.events"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	evTitle.Wrapping = fyne.TextWrapWord
	events := container.NewVBox(evTitle)
	k.events.mu.Lock()
	recent := append([]event(nil), k.events.events...)
	k.events.mu.Unlock()
	if ring := k.opts.Staff.Errors; ring != nil {
		for _, e := range ring.Recent() {
			recent = append(recent, event{At: e.At, What: e.Level.String() + " " + e.What})
		}
		sort.SliceStable(recent, func(i, j int) bool { return recent[i].At.Before(recent[j].At) })
		if len(recent) > 20 {
			recent = recent[len(recent)-20:]
		}
	}
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
	preview := fyne.CanvasObject(widget.NewLabel(""))
	if k.cam != nil && !k.cam.failed.Load() {
		preview = container.NewGridWrap(fyne.NewSize(224, 126), k.cam.img)
	}
	left := container.NewVBox(rows, container.NewHBox(preview, container.NewVBox(showCfg)))
	// Two halves that fill the height; each scrolls when its text is longer.
	body := container.NewGridWithColumns(2, card(container.NewVScroll(left)), card(container.NewVScroll(events)))
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
	closeB := c.btn(k.tr.T("staff.close"), nil, func() { pop.Hide() })
	content := container.NewBorder(nil, container.NewGridWrap(fyne.NewSize(240, MinTouch), closeB), nil, nil, container.NewScroll(grid))
	pop = widget.NewModalPopUp(container.NewGridWrap(fyne.NewSize(1100, 680), content), k.win.Canvas())
	pop.Show()
}
