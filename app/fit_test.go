package app

import (
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/internal/fit"
	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/capture/scan"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// fitLanguages and fitSizes are what the kiosk ships in and on.
var (
	fitLanguages = []string{"en", "fr", "es", "de", "nl"}
	fitSizes     = []fyne.Size{{Width: 1024, Height: 768}, {Width: 1280, Height: 800}, {Width: 1920, Height: 1080}}
)

// fitModes are the display modes every guest screen must fit in, each
// with the call that turns it on (on the UI goroutine): "Larger text",
// "High contrast" and "Easy reach" are the guest's, for their session.
var fitModes = []struct {
	name string
	set  func(k *Kiosk)
}{
	{"normal", func(k *Kiosk) { k.setDisplay(displayModes{}) }},
	{"larger", func(k *Kiosk) { k.setDisplay(displayModes{Larger: true}) }},
	{"contrast", func(k *Kiosk) { k.setDisplay(displayModes{Contrast: true}) }},
	{"reach", func(k *Kiosk) { k.setDisplay(displayModes{Reach: true}) }},
}

// staffModes are the staff side's: the guest's modes end before the staff
// screens open (the Staff door turns them off), so only "normal".
var staffModes = fitModes[:1]

// fitFailures collects what fit.Check finds on the window as it is, and
// counts the screens it checked.
type fitFailures struct {
	list    []string
	checks  map[string]int             // by side, guest or staff
	screens map[string]map[string]bool // names seen, by side
}

// check checks the screen and its pop-ups, or the pop-ups alone when
// dialog is set (the screen under them is checked on its own).
func (f *fitFailures) check(k *Kiosk, where string, size fyne.Size, dialog bool) {
	var ps []fit.Problem
	if !dialog {
		if min := k.win.Content().MinSize(); min.Width > size.Width || min.Height > size.Height {
			f.list = append(f.list, fmt.Sprintf("%s: the screen needs %gx%g", where, min.Width, min.Height))
		}
		fit.Settle(k.win.Content())
		ps = fit.Check(k.win.Content(), size)
	}
	for _, o := range k.win.Canvas().Overlays().List() {
		fit.Settle(o)
		ps = append(ps, fit.Check(o, size)...)
	}
	for _, p := range ps {
		f.list = append(f.list, where+": "+p.String())
	}
	if !dialog && k.modes().Reach {
		for _, p := range aboveReach(k.win.Content(), size) {
			f.list = append(f.list, where+": "+p)
		}
	}
}

// aboveReach lists what a guest taps in the top third of the window, out
// of reach from a wheelchair, which "Easy reach" promises there is none of.
func aboveReach(root fyne.CanvasObject, size fyne.Size) []string {
	var out []string
	var walk func(o fyne.CanvasObject, parent fyne.Position)
	walk = func(o fyne.CanvasObject, parent fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		at := parent.Add(o.Position())
		if _, ok := o.(fyne.Tappable); ok && o.Size().Height > 0 {
			if at.Y < size.Height/3 {
				label := ""
				if b, ok := o.(*fwidget.Button); ok {
					label = b.Text
				}
				out = append(out, fmt.Sprintf("%T %q at (%g,%g) is above the lower two thirds (from %g)",
					o, label, at.X, at.Y, size.Height/3))
			}
			return
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c, at)
			}
		case *container.Scroll:
			walk(v.Content, at) // the content's position is its scroll offset
		case fyne.Widget:
			if r := test.WidgetRenderer(v); r != nil {
				for _, c := range r.Objects() {
					walk(c, at)
				}
			}
		}
	}
	walk(root, fyne.Position{})
	return out
}

// atEverySize checks the screen on show at each of fitSizes: the screens
// lay out at any size they are given, so each is built once. It starts at
// the size the window has, where the screen is laid out already, and goes
// up or down from there: a layout costs more than the check.
func (f *fitFailures) atEverySize(k *Kiosk, where, screen string, dialog bool) {
	sizes := fitSizes
	if k.win.Canvas().Size() == sizes[len(sizes)-1] {
		sizes = slices.Clone(sizes)
		slices.Reverse(sizes)
	}
	side := strings.Fields(where)[0]
	if f.checks == nil {
		f.checks, f.screens = map[string]int{}, map[string]map[string]bool{}
	}
	if f.screens[side] == nil {
		f.screens[side] = map[string]bool{}
	}
	f.screens[side][screen] = true
	for _, size := range sizes {
		f.checks[side]++
		k.win.Resize(size)
		name := fmt.Sprintf("%s %gx%g %s", where, size.Width, size.Height, screen)
		f.check(k, name, size, dialog)
		fitShot(k, name)
	}
}

// fitCamera opens and sends no frame: the screens lay out the same without
// a picture, and rendering, decoding and scanning frames would cost this
// test most of its time under the race detector.
func fitCamera(ctx context.Context, _ string) (<-chan scan.Frame, error) {
	out := make(chan scan.Frame)
	go func() {
		<-ctx.Done()
		close(out)
	}()
	return out, nil
}

// fitHideOverlays closes the pop-ups a screen left open.
func fitHideOverlays(k *Kiosk) {
	for _, o := range k.win.Canvas().Overlays().List() {
		if p, ok := o.(*fwidget.PopUp); ok {
			p.Hide()
		} else {
			k.win.Canvas().Overlays().Remove(o)
		}
	}
}

// TestEveryLabelFits renders every guest and staff screen in every language,
// at every size and in every display mode, and fails when a text does not
// fit its widget (spills over it, is truncated, or has a word broken) or an
// object reaches past the window.
func TestEveryLabelFits(t *testing.T) {
	layoutSweep(t)
	var failures fitFailures
	start := time.Now()
	// One kiosk serves every language: screens starts a new guest.
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}}, fitCamera)
	for _, lang := range fitLanguages {
		for _, mode := range fitModes {
			onUI(k, func() {
				k.tr.SetLanguage(lang)
				mode.set(k)
			})
			where := fmt.Sprintf("guest %s %s", lang, mode.name)
			screens(t, k, func(name string) {
				failures.atEverySize(k, where, name, false)
				if name == "signature" { // the chrome's own dialogs, over a screen with all its controls
					k.confirmStartOver()
					failures.atEverySize(k, where, "start-over", true)
					fitHideOverlays(k)
					k.showDisplayModes()
					failures.atEverySize(k, where, "display-modes", true)
					fitHideOverlays(k)
				}
			})
		}
	}
	stopKiosk(t, k)
	t.Logf("guest screens checked in %v", time.Since(start))
	start = time.Now()
	fitStaff(t, &failures, true)
	t.Logf("staff screens checked in %v", time.Since(start))
	start = time.Now()
	fitDesk(t, &failures) // desk_fit_test.go
	t.Logf("desk screens checked in %v", time.Since(start))

	// Every screen was checked in each language, mode and size: at least
	// the 14 guest screens (2 of them dialogs) and 10 staff ones (3
	// dialogs) of today.
	for side, least := range map[string]int{"guest": 14, "staff": 10, "desk": 8} {
		modes := fitModes
		if side != "guest" {
			modes = staffModes
		}
		per := len(fitLanguages) * len(modes) * len(fitSizes)
		names := len(failures.screens[side])
		if names < least || failures.checks[side] != names*per {
			t.Errorf("%s: %d checks of %d screens, want each of at least %d screens checked %d times",
				side, failures.checks[side], names, least, per)
		}
	}
	var fresh, known []string
	for _, p := range failures.list {
		if knownFitProblem(p) {
			known = append(known, p)
		} else {
			fresh = append(fresh, p)
		}
	}
	if len(known) > 0 {
		t.Logf("%d known problems, tolerated (knownFitProblems):\n%s", len(known), strings.Join(known, "\n"))
	}
	if len(fresh) > 0 {
		t.Errorf("%d texts or objects do not fit:\n%s", len(fresh), strings.Join(fresh, "\n"))
	}
	for _, k := range knownFitProblems {
		if !slices.ContainsFunc(known, func(p string) bool { return wildMatch(k, p) }) {
			t.Logf("known problem %q is gone: take it off knownFitProblems", k)
		}
	}
}

// knownFitProblems are problems the test tolerates, each a pattern of the
// problem's line where * stands for any text; any other fails, so a new
// label that does not fit is caught, and one that is fixed is logged to be
// taken off. Issue 17 left none: the 42 of the Sign screen under Larger
// text and Easy reach (listed at 06:55 UTC) were fixed by e571470.
var knownFitProblems []string

func knownFitProblem(p string) bool {
	return slices.ContainsFunc(knownFitProblems, func(k string) bool { return wildMatch(k, p) })
}

// wildMatch reports whether s matches pattern, in which * stands for any
// text (and nothing else is special).
func wildMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i, part := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(s, part)
		}
		j := strings.Index(s, part)
		if j < 0 {
			return false
		}
		s = s[j+len(part):]
	}
	return s == ""
}

// fitStaff shows each staff screen, and its dialogs, with long data (and
// the demo badge when demo is set).
func fitStaff(t *testing.T, failures *fitFailures, demo bool) {
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN), demo: demo})
	k := r.k
	c := staffOf(k)
	anna := demodata.People[0]
	cu := mews.Customer{ID: anna.MewsCustomerID, FirstName: anna.FirstName, LastName: "García López-Fernández de la Vega", Email: "a.very.long.address.for.testing@example.com"}
	doc := mews.Document{ID: "d1", CustomerID: cu.ID, Type: mews.DriversLicense, Number: "X1234567890123",
		ExpirationDate: mews.Date{Year: 2031, Month: 5, Day: 1}, IssuanceDate: mews.Date{Year: 2021, Month: 5, Day: 1},
		IssuingCountryCode: "NL", IssuingCity: "Rotterdam-Albrandswaard"}
	// A dialog opens over the screen before it in the list.
	type screen struct {
		name   string
		dialog bool
		show   func()
	}
	list := []screen{
		{"locked", false, func() { c.s.Open = false; c.show(c.pinScreen); c.s.Open = true }},
		{"pin", false, func() { c.show(c.pinScreen) }},
		{"customers", false, func() { c.show(c.customersScreen) }},
		{"documents", false, func() { c.show(c.documentsScreen) }},
		{"delete", true, func() { c.confirmDelete(doc) }},
		{"health", false, func() { c.show(c.healthScreen) }},
		{"config", true, func() { c.showConfig() }},
		{"leave", true, func() { c.confirmLeave() }},
		{"add", false, func() { c.s.Form = staff.FormOf(nil); c.show(c.formScreen) }},
		{"edit", false, func() {
			c.s.Form = staff.FormOf(&doc)
			c.s.Form.FromScan = true
			c.show(c.formScreen)
		}},
	}
	for _, lang := range fitLanguages {
		for _, mode := range staffModes {
			onUI(k, func() {
				k.tr.SetLanguage(lang)
				mode.set(k)
				s := c.s
				s.Open = true
				s.Customers = []mews.Customer{cu, cu, cu}
				s.Searched = true
				s.Customer = &cu
				s.Docs = []mews.Document{doc, doc, doc, doc, doc}
				s.Health = staff.NewHealth(staff.Probe{Done: true, Err: errors.New("x")}, staff.Probe{Done: true, Err: errors.New("y")})
				s.Problem = staff.Note{Text: k.tr.T("staff.error.invalid")} // the longest staff problem in each language
				for _, sc := range list {
					sc.show()
					failures.atEverySize(k, fmt.Sprintf("staff %s %s", lang, mode.name), sc.name, sc.dialog)
					fitHideOverlays(k)
				}
				s.StopHealth()
			})
		}
	}
}

// fitShot writes what the fit test checked to $SIGNET_FIT_SHOTS/<name>.png
// when that is set, to look at a problem it reports (the test driver draws
// the canvas in software, so no display is needed).
func fitShot(k *Kiosk, name string) {
	dir := os.Getenv("SIGNET_FIT_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, strings.NewReplacer(" ", "-", "/", "-").Replace(name)+".png"))
	if err != nil {
		return
	}
	defer f.Close()
	_ = png.Encode(f, k.win.Canvas().Capture())
}
