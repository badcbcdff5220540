package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/internal/fit"
	"github.com/signet-kiosk/signet/internal/config"
)

// drawnTexts is every visible text drawn under o larger than a dot, in
// tree order: what a guest reads there.
func drawnTexts(o fyne.CanvasObject) []string {
	var out []string
	visit(o, func(o fyne.CanvasObject) step {
		if o == nil || !o.Visible() {
			return skip
		}
		if v, ok := o.(*canvas.Text); ok && v.TextSize > 4 && strings.TrimSpace(v.Text) != "" {
			if _, _, _, a := v.Color.RGBA(); a > 0 {
				out = append(out, v.Text)
			}
		}
		return descend
	})
	return out
}

// TestBottomBarLabelsReadWhole is issue 17's finding 2: the longest labels
// of the bottom bar, Back and the primary action, read whole at the
// smallest screen, with the demo badge between them, in the normal and the
// larger text. Before, "Unterschreiben und senden" was cut on both sides
// and "Nein, neu suchen" spilled over its 240 px button.
func TestBottomBarLabelsReadWhole(t *testing.T) {
	cfg := config.Default()
	k := newKiosk(t, Options{Config: cfg, Demo: true})
	pairs := [][2]string{ // back, primary
		{"Zurück", "Unterschreiben und senden"},
		{"Terug", "Ondertekenen en versturen"},
		{"Non, chercher à nouveau", "Oui, c'est ma réservation"},
		{"Nein, neu suchen", "Ja, das ist meine Buchung"},
		{"No, buscar de nuevo", "Sí, es mi reserva"},
		{"Nee, opnieuw zoeken", "Ja, dit is mijn boeking"},
	}
	for _, larger := range []bool{false, true} {
		for _, p := range pairs {
			var problems []fit.Problem
			var texts []string
			onUI(k, func() {
				k.setDisplay(displayModes{Larger: larger})
				k.show(func() fyne.CanvasObject {
					return k.layout(fwidget.NewLabel("Titel"), layout.NewSpacer(),
						&action{label: p[0], tapped: func() {}}, &action{label: p[1], tapped: func() {}}, guestBar)
				})
				k.win.Resize(fyne.NewSize(1024, 768))
				fit.Settle(k.win.Content())
				problems = fit.Check(k.win.Content(), fyne.NewSize(1024, 768))
				texts = drawnTexts(k.win.Content())
			})
			for _, pr := range problems {
				t.Errorf("larger %v, %q / %q: %v", larger, p[0], p[1], pr)
			}
			// The rows of each label, joined, are the label: nothing cut.
			all := strings.Join(texts, " ")
			for _, label := range p {
				if !strings.Contains(all, label) {
					t.Errorf("larger %v: %q is not drawn whole; drawn: %q", larger, label, texts)
				}
			}
		}
	}
	stopKiosk(t, k)
}

// TestFitTextWrapsThenShrinks checks the label every bar button uses: one
// row when there is room, two rows, then a smaller size, and the text whole.
func TestFitTextWrapsThenShrinks(t *testing.T) {
	// A test app made under the UI lock, as newKiosk does: NewTempApp's
	// restore would reset Fyne's caches under another test's goroutines.
	onUI(nil, func() { test.NewApp().Settings().SetTheme(kioskTheme{}) })
	uiMu.Lock()
	defer uiMu.Unlock()
	label := "Unterschreiben und senden"
	one := fyne.MeasureText(label, 24, fyne.TextStyle{Bold: true})
	cases := []struct {
		name       string
		size       fyne.Size
		rows       int
		smallerOK  bool
		wantSmall  bool
		wantBigger bool
	}{
		{"room for one row", fyne.NewSize(one.Width+2, 64), 1, false, false, false},
		{"two rows", fyne.NewSize(one.Width*0.7, 72), 2, false, false, false},
		{"too narrow for the longest word", fyne.NewSize(fyne.MeasureText("Unterschreiben", 24, fyne.TextStyle{Bold: true}).Width*0.8, 64), 2, true, true, false},
	}
	for _, c := range cases {
		ft := newFitText(label, 24, theme.ColorNameForeground, 2, 0)
		ft.bold = true
		size, rows := ft.arrange(c.size.Width, c.size.Height)
		if len(rows) != c.rows || strings.Join(rows, " ") != label {
			t.Errorf("%s: rows %q, want %d rows of the whole label", c.name, rows, c.rows)
		}
		if c.wantSmall != (size < 24) || size < 24*fitMinScale {
			t.Errorf("%s: size %g", c.name, size)
		}
		for _, r := range rows {
			if w := fyne.MeasureText(r, size, fyne.TextStyle{Bold: true}).Width; w > c.size.Width+0.5 {
				t.Errorf("%s: row %q is %g wide in %g", c.name, r, w, c.size.Width)
			}
		}
	}
}

// TestStepDotsMatchThreeSteps is finding 9's "four progress dots against
// three steps": the attract screen promises three steps (find your
// booking, scan your ID, sign), so the guest screens show three dots, and
// the one lit is the step the guest is on.
func TestStepDotsMatchThreeSteps(t *testing.T) {
	want := map[string]int{ // lit dots, of 3
		"find-booking": 1, "confirm": 1, "document-type": 2, "capture": 2, "review": 2,
		"details": 2, "signature": 3, "submit": 3, "done": 0,
	}
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}}, fitCamera)
	if !strings.Contains(k.tr.T("attract.subtitle"), "three steps") {
		t.Fatal("the attract screen no longer promises three steps: update this test with it")
	}
	seen := 0
	screens(t, k, func(name string) {
		lit, ok := want[name]
		if !ok {
			return
		}
		seen++
		var all, filled int
		visit(k.win.Content(), func(o fyne.CanvasObject) step {
			if v, ok := o.(*canvas.Circle); ok && v.Size().Width == 18 {
				all++
				if v.FillColor == colorPrimary {
					filled++
				}
			}
			return descend
		})
		wantAll := guestSteps
		if lit == 0 {
			wantAll = 0
		}
		if all != wantAll || filled != lit || guestSteps != 3 {
			t.Errorf("%s: %d of %d dots lit, want %d of %d", name, filled, all, lit, wantAll)
		}
	})
	if seen != len(want) {
		t.Errorf("checked %d screens, want %d", seen, len(want))
	}
	stopKiosk(t, k)
}

// inOverlay finds the enabled button labelled label on the top pop-up.
func inOverlay(k *Kiosk, label string) *fwidget.Button {
	return findIn(k.win.Canvas().Overlays().Top(), func(b *fwidget.Button) bool { return b.Text == label && !b.Disabled() })
}

// TestStartOverFromSign is finding 6: leaving from the Sign screen took 7
// Back taps. Now every guest screen after the first has "Start over" in
// its top bar: one tap, one confirm, and the visit is gone as after the
// idle reset, language and display modes included.
func TestStartOverFromSign(t *testing.T) {
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}}, fitCamera)
	has := map[string]bool{}
	screens(t, k, func(name string) {
		has[name] = find(k, func(b *fwidget.Button) bool { return b.Text == "Start over" }) != nil
	})
	for name, want := range map[string]bool{"attract": false, "find-booking": false, "confirm": true,
		"document-type": true, "capture": true, "details": true, "signature": true} {
		if has[name] != want {
			t.Errorf("%s: Start over shown %v, want %v", name, has[name], want)
		}
	}

	// The guest is on the Sign screen, in German, with larger text.
	onUI(k, func() {
		toSignScreen(t, k)
		k.SetLanguage("de")
		k.setDisplay(displayModes{Larger: true, Reach: true})
		k.show(k.current)
	})
	tap(t, k, "Neu beginnen")
	var confirm *fwidget.Button
	onUI(k, func() {
		if k.g.session.Step() != flow.StepSignature {
			t.Fatalf("one tap left the Sign screen without asking: %v", k.g.session.Step())
		}
		confirm = inOverlay(k, "Neu beginnen")
	})
	if confirm == nil {
		t.Fatal("no confirmation after Start over")
	}
	onUI(k, func() { test.Tap(confirm) })
	onUI(k, func() {
		s := k.g.session
		if s.Step() != flow.StepAttract || s.Booking != nil || k.g.details != nil || k.g.reference != "" {
			t.Errorf("after Start over: step %v, booking %v, details %v", s.Step(), s.Booking, k.g.details)
		}
		if k.tr.Language() != "en" || k.modes() != (displayModes{}) {
			t.Errorf("after Start over: language %s, modes %+v", k.tr.Language(), k.modes())
		}
		if k.win.Canvas().Overlays().Top() != nil {
			t.Error("the confirmation is still shown")
		}
		if find(k, func(b *fwidget.Button) bool { return b.Text == "Touch to start" }) == nil {
			t.Error("not back on the attract screen")
		}
	})
	stopKiosk(t, k)
}

// TestEasyReach checks the promise of "Easy reach": on every guest screen
// nothing to tap lies in the top third of the window, where a guest in a
// wheelchair cannot reach; without it, the top bar's controls do.
func TestEasyReach(t *testing.T) {
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}}, fitCamera)
	size := fyne.NewSize(1280, 800)
	for _, reach := range []bool{false, true} {
		onUI(k, func() { k.setDisplay(displayModes{Reach: reach}) })
		checked := 0
		screens(t, k, func(name string) {
			if name == "attract" {
				return
			}
			k.win.Resize(size)
			fit.Settle(k.win.Content())
			above := aboveReach(k.win.Content(), size)
			checked++
			if reach && len(above) > 0 {
				t.Errorf("easy reach, %s: %d things to tap in the top third:\n%s", name, len(above), strings.Join(above, "\n"))
			}
			if !reach && len(above) == 0 {
				t.Errorf("%s: nothing to tap in the top third without easy reach: the check sees nothing", name)
			}
		})
		if checked < 10 {
			t.Errorf("checked %d screens", checked)
		}
	}
	stopKiosk(t, k)
}

func TestWildMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, s string
		want       bool
	}{
		{"guest de * details: text cut: *", "guest de normal 1024x768 details: text cut: \"Carte\" needs [x]", true},
		{"guest de * details: text cut: *", "guest fr normal 1024x768 details: text cut: x", false},
		{"a*c", "abc", true},
		{"a*c", "abcd", false},
		{"abc", "abc", true},
		{"*", "", true},
		{"a*b*c", "a-b-b-c", true},
	} {
		if got := wildMatch(c.pattern, c.s); got != c.want {
			t.Errorf("wildMatch(%q, %q) = %v", c.pattern, c.s, got)
		}
	}
}
