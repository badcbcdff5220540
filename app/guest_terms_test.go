package app

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/audit"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/terms"
)

// toSignature puts k's guest on the signature screen.
func toSignature(t *testing.T, k *Kiosk) {
	t.Helper()
	onUI(k, func() {
		k.newGuest()
		s := k.g.session
		s.Start()
		s.SetBooking(bookingOf(t), nil)
		_ = s.ConfirmBooking()
		_ = s.ChooseType(flow.DocType{ID: "x", Name: "Passport"})
		_ = s.AddCapture(flow.Capture{JPEG: []byte{1}})
		_ = s.SkipDetails("mews.skip.not_configured")
		k.render()
	})
}

func bookingOf(t *testing.T) *storegister.Booking {
	t.Helper()
	b, err := (&memBooking{}).Booking(t.Context(), demodata.People[0].BookingID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readerText is the agreement's text in the open reader, or "".
func readerText(k *Kiosk) string {
	rt := find(k, func(r *fwidget.RichText) bool { return len(r.Segments) > 3 })
	if rt == nil {
		return ""
	}
	var b strings.Builder
	for _, s := range rt.Segments {
		b.WriteString(s.Textual())
		b.WriteByte('\n')
	}
	return b.String()
}

// Finding 1: the Sign screen offers the agreement to read, in the guest's
// language, in a reader that a finger scrolls. Before, the screen named
// "the storage agreement and the facility's rules" and nothing opened them.
func TestSignScreenOpensTheAgreement(t *testing.T) {
	k := newTestKiosk(t, flow.Services{Booking: &memBooking{}}, syntheticCamera(synthetic.NoCard, synthetic.NoCard))
	for _, tc := range []struct{ lang, read, heading string }{
		{"en", "Read the agreement", "Storage agreement and facility rules"},
		{"de", "Vertrag lesen", "Mietvertrag und Hausordnung"},
		{"nl", "Overeenkomst lezen", ""},
		{"fr", "Lire le contrat", ""},
	} {
		onUI(k, func() { k.tr.SetLanguage(tc.lang) })
		toSignature(t, k)
		tap(t, k, tc.read)
		want, err := terms.Load("", tc.lang)
		if err != nil {
			t.Fatal(err)
		}
		onUI(k, func() {
			got := readerText(k)
			first := strings.TrimPrefix(strings.SplitN(want.Markdown, "\n", 2)[0], "# ")
			if !strings.Contains(got, first) {
				t.Errorf("%s: the reader does not show %q:\n%.200s", tc.lang, first, got)
			}
			if tc.heading != "" && !strings.Contains(got, tc.heading) {
				t.Errorf("%s: no heading %q", tc.lang, tc.heading)
			}
			if find(k, func(*kwidget.DragScroll) bool { return true }) == nil {
				t.Errorf("%s: the agreement is not in a finger-scrolled view", tc.lang)
			}
			if find(k, func(l *fwidget.Label) bool { return l.Text == k.tr.T("terms.english_only") }) != nil {
				t.Errorf("%s: says English only, with a text of its own", tc.lang)
			}
		})
		tap(t, k, k.tr.T("terms.close"))
		onUI(k, func() {
			if readerText(k) != "" {
				t.Errorf("%s: the reader stayed open after Close", tc.lang)
			}
		})
	}
}

// An operator's directory without a language's text: the guest reads the
// English text, is told so, and staff see which languages fall back.
func TestAgreementFallsBackToEnglish(t *testing.T) {
	dir := t.TempDir()
	text := "# Our agreement\n\nThe operator's own words.\n\n## Rent\n\nPaid monthly.\n\n## Access\n\nFrom 6 to 22.\n"
	if err := os.WriteFile(filepath.Join(dir, "en.md"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "de.md"), []byte("# Unser Vertrag\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Kiosk.TermsDir = dir
	k := newKiosk(t, Options{Config: cfg, Clock: &flowtest.Clock{}, Services: flow.Services{Booking: &memBooking{}},
		Camera: syntheticCamera(synthetic.NoCard, synthetic.NoCard)})
	onUI(k, func() { k.tr.SetLanguage("nl") })
	toSignature(t, k)
	tap(t, k, "Overeenkomst lezen")
	onUI(k, func() {
		if !strings.Contains(readerText(k), "The operator's own words.") {
			t.Errorf("nl guest reads %q, want the operator's English text", readerText(k))
		}
		if find(k, func(l *fwidget.Label) bool { return l.Text == "Deze tekst is alleen in het Engels beschikbaar." }) == nil {
			t.Error("the reader does not say the text is in English only")
		}
		k.tr.SetLanguage("en")
		line, ok := k.staffView().termsStatus()
		if ok || !strings.Contains(line, "fr, es, nl") || !strings.Contains(line, dir) {
			t.Errorf("health line %q (ok %v) does not name the missing languages and the directory", line, ok)
		}
	})
}

// memJournal keeps the entries appended.
type memJournal struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (j *memJournal) Append(e audit.Entry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, e)
	return nil
}

// A completed move-in records the agreement's digest, and the digests of
// what was sent, in the move-in journal; the metrics count the session and
// the time on each step.
func TestMoveInRecordsTheAgreement(t *testing.T) {
	mb := &memBooking{}
	j := &memJournal{}
	rec := newFakeRecorder()
	k := newKiosk(t, Options{Services: flow.Services{Booking: mb}, Clock: &flowtest.Clock{}, Journal: j, Metrics: rec,
		Camera: syntheticCamera(synthetic.SharpSteady, synthetic.NoCard)}) // no QR: the reference is typed
	walkGuestFlow(t, k, demodata.People[0].BookingID)
	want, _ := terms.Load("", "en")
	waitFor(t, k, "the journal entry", 10*time.Second, func() bool {
		j.mu.Lock()
		defer j.mu.Unlock()
		return len(j.entries) == 1
	})
	e := j.entries[0]
	if e.Agreement.String() != want.SHA256 {
		t.Errorf("agreement %s, want %s (the text shown)", e.Agreement, want.SHA256)
	}
	if e.BookingID != demodata.People[0].BookingID || e.Signature.Ref == "" || e.Queued {
		t.Errorf("entry %+v", e)
	}
	if e.Signature.SHA256 != audit.Digest(sha256.Sum256(mb.sigs[0])) {
		t.Error("the signature's digest is not that of the PNG sent")
	}
	if len(e.Images) != 2 || e.Images[0].Side != "front" || e.Images[1].Side != "back" {
		t.Fatalf("images %+v", e.Images)
	}
	for i, im := range e.Images {
		if im.SHA256 != audit.Digest(sha256.Sum256(mb.images[i])) || im.Ref == "" {
			t.Errorf("image %d: digest or reference wrong: %+v", i, im)
		}
	}
	outcomes, steps, _ := rec.snapshot()
	if len(outcomes) != 1 || outcomes[0] != metrics.Completed {
		t.Errorf("outcomes %v, want [completed]", outcomes)
	}
	seen := map[string]bool{}
	for _, s := range steps {
		seen[strings.Fields(s)[0]] = true
	}
	for _, s := range []string{"find-booking", "confirm-booking", "document-type", "capture", "signature", "submit"} {
		if !seen[s] {
			t.Errorf("no time recorded for step %s (recorded: %v)", s, steps)
		}
	}
}
