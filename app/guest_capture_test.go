package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// nobodyInMews is a Mews that knows no customer: the details form is
// shown, and nothing is recorded.
type nobodyInMews struct{}

func (nobodyInMews) FindCustomerByEmail(context.Context, string) (string, error) { return "", nil }
func (nobodyInMews) Record(context.Context, string, flow.Details) (string, bool, error) {
	return "", false, nil
}

// toDetails puts a guest on the details screen with typeName chosen, both
// sides captured and the zone's details as prefill (nil: none read).
func toDetails(t *testing.T, k *Kiosk, typeName string, prefill *flow.Details) {
	t.Helper()
	onUI(k, func() {
		s := confirmDemoBooking(k)
		for _, dt := range s.DocTypes {
			if dt.Name == typeName {
				_ = s.ChooseType(dt)
			}
		}
		if s.DocType() == nil {
			t.Fatalf("no type %q", typeName)
		}
		for range s.DocType().Sides {
			_ = s.AddCapture(flow.Capture{JPEG: []byte{1}})
		}
		k.g.prefill = prefill
		k.enterDetails()
		k.render()
	})
	waitFor(t, k, "the details form", 10*time.Second, func() bool {
		return k.g.session.Step() == flow.StepDetails && !k.g.jobs.Busy() && k.g.details != nil
	})
	onUI(k, k.render)
}

// shownTexts is every text on screen: labels, buttons, canvas texts.
func shownTexts(k *Kiosk) string {
	var b strings.Builder
	find(k, func(l *fwidget.Label) bool { b.WriteString(l.Text + "\n"); return false })
	find(k, func(l *fwidget.Button) bool { b.WriteString(l.Text + "\n"); return false })
	find(k, func(l *fwidget.Select) bool { b.WriteString(l.Selected + "\n"); return false })
	find(k, func(l *canvas.Text) bool { b.WriteString(l.Text + "\n"); return false })
	return b.String()
}

// Issue 17, finding 9: the Details screen switched a chosen Passport to
// "Identity card" (the zone's code), and offered "Visa" where the type
// screen said "Residence permit".
func TestDetailsKeepTheChosenType(t *testing.T) {
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}, Mews: nobodyInMews{}}, nil)
	card := &flow.Details{Type: mrz.TypeIdentityCard, Number: demodata.CardNumber, Expiry: demodata.CardExpiry}
	for _, tc := range []struct{ chosen, mews, notShown string }{
		{"Passport", "Passport", "Identity card"},
		{"Residence permit", "IdentityCard", "Visa"},
		{"Driving licence", "DriversLicense", "Identity card"},
	} {
		toDetails(t, k, tc.chosen, card)
		var shown, typ string
		onUI(k, func() { shown, typ = shownTexts(k), k.g.details.Type })
		if typ != tc.mews {
			t.Errorf("%s chosen: Mews type %q, want %q", tc.chosen, typ, tc.mews)
		}
		if !strings.Contains(shown, tc.chosen) || strings.Contains(shown, tc.notShown) {
			t.Errorf("%s chosen: the details screen shows %q", tc.chosen, shown)
		}
	}
	onUI(k, func() {
		k.tr.SetLanguage("de")
		k.render()
		if shown := shownTexts(k); !strings.Contains(shown, "Führerschein") {
			t.Errorf("in German the chosen type is not named as on the type screen: %q", shown)
		}
	})
	// The type's name in the kiosk's languages maps to Mews's type, as
	// the sides to capture do.
	for name, want := range map[string]string{"Reisepass": "Passport", "Permis de conduire": "DriversLicense",
		"Rijbewijs": "DriversLicense", "Titre de séjour": "IdentityCard", "Visa": "Visa"} {
		if got := k.mewsTypeFor(name); got != want {
			t.Errorf("mewsTypeFor(%q) = %q, want %q", name, got, want)
		}
	}
}

// pressKey taps the on-screen key labelled label.
func pressKey(t *testing.T, k *Kiosk, label string) {
	t.Helper()
	tap(t, k, label)
}

// dateBox is the details form's nth date box (day, month, year).
func dateBox(k *Kiosk, n int) *focusEntry {
	var boxes []*focusEntry
	find(k, func(e *focusEntry) bool { boxes = append(boxes, e); return false })
	// The number comes first, then day, month, year.
	if n+1 < len(boxes) {
		return boxes[n+1]
	}
	return nil
}

// Issue 17, finding 9: dates had to be typed with dashes. The expiry is
// three boxes, day, month and year, typed on the numeric keypad, each full
// box moving on to the next; a wrong date says what to fix, in the guest's
// language.
func TestExpiryTypedInThreeBoxes(t *testing.T) {
	k := newKiosk(t, Options{Services: flow.Services{Booking: &memBooking{}, Mews: nobodyInMews{}},
		Clock: &flowtest.Clock{Start: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}})
	toDetails(t, k, "Passport", nil)
	var day *focusEntry
	onUI(k, func() { day = dateBox(k, 0) })
	if day == nil {
		t.Fatal("no date boxes")
	}
	onUI(k, func() { test.Tap(day); k.win.Canvas().Focus(day) })
	// The numeric keypad replaced the letters.
	onUI(k, func() {
		if find(k, func(b *fwidget.Button) bool { return b.Text == "Q" }) != nil {
			t.Error("the letters are shown for a date box")
		}
	})
	for _, key := range []string{"3", "1", "0", "5", "2", "0", "3", "1"} {
		pressKey(t, k, key)
	}
	onUI(k, func() {
		if got := k.g.capture.expiry; got != [3]string{"31", "05", "2031"} {
			t.Errorf("boxes %q", got)
		}
		if find(k, func(b *fwidget.Button) bool { return b.Text == "-" }) != nil {
			t.Error("a dash key on the date's keypad")
		}
	})
	tap(t, k, k.tr.T("common.next"))
	onUI(k, func() {
		if s := k.g.session.Step(); s == flow.StepDetails {
			t.Fatalf("31 May 2031 refused: %q", k.g.problem)
		}
	})

	// 31 April is refused in German, and the day box is marked.
	toDetails(t, k, "Passport", nil)
	onUI(k, func() {
		k.tr.SetLanguage("de")
		k.g.capture.expiry = [3]string{"31", "4", "2030"}
		k.render()
	})
	tap(t, k, k.tr.T("common.next"))
	onUI(k, func() {
		if k.g.problem != "Dieser Monat hat nur 30 Tage." || k.g.capture.expiryBad != flow.DateFieldDay {
			t.Errorf("31.4.2030: problem %q, box %q", k.g.problem, k.g.capture.expiryBad)
		}
		if k.g.session.Step() != flow.StepDetails {
			t.Error("a wrong date was accepted")
		}
	})
}

// The zone's date fills the boxes, and the date is kept as Mews takes it.
func TestExpiryPrefilledFromTheZone(t *testing.T) {
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}, Mews: nobodyInMews{}}, nil)
	toDetails(t, k, "Identity card", &flow.Details{Expiry: "2034-12-15"})
	onUI(k, func() {
		if got := k.g.capture.expiry; got != [3]string{"15", "12", "2034"} {
			t.Errorf("boxes %q", got)
		}
	})
}

// Issue 17, finding 4, on the screen: "Take photo now" over an empty desk
// takes nothing and says why, in the guest's language.
func TestShutterOnNothingExplains(t *testing.T) {
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}}, syntheticCamera(synthetic.NoCard, synthetic.NoCard))
	toCapture(t, k, "fr")
	want := k.tr.In("fr", string(idscan.AbsenceBlank))
	tap(t, k, k.tr.In("fr", "capture.shutter"))
	waitFor(t, k, "the refusal", 20*time.Second, func() bool {
		// Shown, and laid out: not a visible label of no height.
		l := find(k, func(l *fwidget.Label) bool { return l.Text == want && l.Visible() })
		return l != nil && l.Size().Height >= l.MinSize().Height
	})
	onUI(k, func() {
		if k.g.scan.Still() != nil {
			t.Error("a photo of the empty desk is under review")
		}
	})
}

// toCapture puts a guest on the capture screen of an identity card's
// front, in lang.
func toCapture(t *testing.T, k *Kiosk, lang string) { t.Helper(); toCaptureOf(t, k, lang, 1) }

// toCaptureOf is toCapture with the booking's type i chosen.
func toCaptureOf(t *testing.T, k *Kiosk, lang string, i int) {
	t.Helper()
	onUI(k, func() {
		k.tr.SetLanguage(lang)
		s := confirmDemoBooking(k)
		_ = s.ChooseType(s.DocTypes[i])
		k.render()
	})
}

// confirmDemoBooking starts a new guest whose demo booking is found and
// confirmed, the step the screen tests past the lookup start from; on the
// UI goroutine.
func confirmDemoBooking(k *Kiosk) *flow.Session {
	mb := &memBooking{}
	b, _ := mb.Booking(context.Background(), demodata.People[0].BookingID)
	types, _ := mb.IdentityDocumentTypes(context.Background(), "")
	k.newGuest()
	s := k.g.session
	s.Start()
	s.SetBooking(b, k.docTypes(types))
	_ = s.ConfirmBooking()
	return s
}

// Issue 17 (★): the document's nationality offers its language, once,
// and nothing switches without a tap.
func TestLanguageOfferedFromTheDocument(t *testing.T) {
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}, Mews: nobodyInMews{}}, nil)
	toDetails(t, k, "Passport", nil)
	onUI(k, func() {
		if !k.suggestLanguage(k.g, "de") {
			t.Fatal("German not offered to an English screen")
		}
		k.render()
		if k.tr.Language() != "en" {
			t.Fatal("the language switched without asking")
		}
	})
	onUI(k, func() {
		if find(k, func(l *fwidget.Label) bool { return l.Text == "Auf Deutsch weitermachen?" }) == nil {
			t.Error("the offer does not ask in German")
		}
	})
	var yes *fwidget.Button
	onUI(k, func() {
		yes = find(k, func(b *fwidget.Button) bool { return b.Text == "Deutsch" && b.Importance == fwidget.HighImportance })
	})
	if yes == nil {
		t.Fatal("no button to continue in German")
	}
	onUI(k, func() { test.Tap(yes) })
	onUI(k, func() {
		if k.tr.Language() != "de" {
			t.Errorf("language %q after the tap", k.tr.Language())
		}
		if k.suggestLanguage(k.g, "nl") {
			t.Error("asked a second time in one session")
		}
		if find(k, func(l *fwidget.Label) bool { return strings.Contains(l.Text, "Auf Deutsch weitermachen?") }) != nil {
			t.Error("the offer is still shown")
		}
	})

	// "No" keeps the language and is not asked again.
	toDetails(t, k, "Passport", nil)
	onUI(k, func() {
		k.tr.SetLanguage("fr")
		if k.suggestLanguage(k.g, "fr") {
			t.Error("the current language offered")
		}
		if k.suggestLanguage(k.g, "it") {
			t.Error("a language the kiosk does not speak offered")
		}
		k.suggestLanguage(k.g, "es")
		k.render()
	})
	tap(t, k, "Non, rester en Français")
	onUI(k, func() {
		if k.tr.Language() != "fr" || !k.g.capture.asked || k.suggestLanguage(k.g, "es") {
			t.Errorf("after no: language %q, asked %v", k.tr.Language(), k.g.capture.asked)
		}
	})
}

// The capture, review and details screens with their messages (the
// shutter's refusal, the language offer, a date to fix) fit every size in
// every language: the walk of TestEveryLabelFits shows them without.
func TestCaptureScreensFitWithTheirMessages(t *testing.T) {
	layoutSweep(t)
	var failures fitFailures
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}, Mews: nobodyInMews{}}, fitCamera)
	for _, lang := range fitLanguages {
		for _, mode := range fitModes {
			onUI(k, func() { mode.set(k) })
			fitWithMessages(t, k, &failures, lang, mode.name)
		}
	}
	if len(failures.list) > 0 {
		t.Errorf("%d texts or objects do not fit:\n%s", len(failures.list), strings.Join(failures.list, "\n"))
	}
}

// fitWithMessages checks the capture, review and details screens with
// their messages in lang.
func fitWithMessages(t *testing.T, k *Kiosk, failures *fitFailures, lang, mode string) {
	{
		offer := "de"
		if lang == "de" {
			offer = "nl"
		}
		where := "guest " + lang + " " + mode
		toCaptureOf(t, k, lang, 3) // the residence permit: the longest name
		onUI(k, func() {
			k.g.capture.refused = string(idscan.AbsenceNoDocument)
			k.render()
			failures.atEverySize(k, where, "capture-refused", false)
			k.g.capture.refused = string(idscan.HintTurnOver)
			k.render()
			failures.atEverySize(k, where, "capture-turn-over", false)
			sample := sampleFrame(t)
			for i := 0; k.g.scan.Still() == nil && i < 20; i++ {
				k.g.scan.Shutter()
				_, _ = k.g.scan.Feed(sample)
			}
			k.render()
			failures.atEverySize(k, where, "review", false)
			k.g.scan.Retake()
		})
		toDetails(t, k, "Residence permit", &flow.Details{Number: "X1234567890123", Expiry: "2034-12-15", IssuingCountry: "NL"})
		onUI(k, func() {
			k.g.problem = k.tr.T(flow.DateKeyDayNotInMonth, "max", 30)
			k.g.capture.expiryBad = flow.DateFieldDay
			k.suggestLanguage(k.g, offer)
			k.render()
			failures.atEverySize(k, where, "details-offer", false)
			k.g.capture.asked = true
			k.g.problem = k.tr.T("details.need_number")
			k.render()
			failures.atEverySize(k, where, "details-problem", false)
		})
	}
}
