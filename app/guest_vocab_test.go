package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/canvas"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// TestKioskStoRegisterVocabularyNoEmail is issue 15's move-in, end to end in
// kiosk mode (not demo): the simulator speaks StoRegister's own vocabulary
// (contactBookInfo, storageInfo with a numeric size, an RFC 3339 move-in)
// and the booking carries no e-mail. The confirm screen shows the formatted
// date and what is present, and the Mews record reaches the right customer
// through the name and birth date read from the document's MRZ.
func TestKioskStoRegisterVocabularyNoEmail(t *testing.T) {
	for _, email := range []string{"", "not.known.to.mews@example.com"} {
		t.Run("email="+email, func(t *testing.T) { kioskWithoutMewsEmail(t, email) })
	}
}

// kioskWithoutMewsEmail walks the move-in for a booking whose e-mail is
// email: none, or one no Mews customer has.
func kioskWithoutMewsEmail(t *testing.T, email string) {
	srv := startSim(t, sim.WithVocabulary(sim.VocabularyStoRegister))
	anna := demodata.People[0]
	booked := anna
	booked.Email = email
	srv.SetBooking(booked)
	sr, mc := clientsOf(t, srv)
	k := newTestKiosk(t, flow.Services{Booking: sr, Mews: flow.MewsRecorder{Client: mc}},
		syntheticCamera(synthetic.SharpSteady, synthetic.Conditions{QR: true}))
	if k.opts.Demo {
		t.Fatal("the kiosk runs in demo mode")
	}

	tap(t, k, "Touch to start")
	typeBooking(t, k, anna.BookingID)
	waitFor(t, k, "the booking", 30*time.Second, func() bool { return k.g.session.Step() == flow.StepConfirmBooking })
	onUI(k, func() {
		for _, want := range []string{"24 November 2026", "A-112 · 5", sim.Property.Name} {
			if find(k, func(l *fwidget.Label) bool { return l.Text == want }) == nil {
				t.Errorf("confirm screen lacks %q", want)
			}
		}
		if l := find(k, func(l *fwidget.Label) bool { return strings.Contains(l.Text, "T00:00") }); l != nil {
			t.Errorf("confirm screen shows a raw date %q", l.Text)
		}
		if find(k, func(c *canvas.Text) bool { return c.Text == "A*** M*** E***" }) == nil {
			t.Error("confirm screen lacks the masked name")
		}
		if e := k.g.session.Booking.Tenant.Email.Reveal(); e != email {
			t.Errorf("booking e-mail %q, want %q", e, email)
		}
	})
	captureCard(t, k)
	// Without an e-mail Mews knows, the details are still asked for (not skipped).
	waitFor(t, k, "the details", 30*time.Second, func() bool {
		return k.g.session.Step() == flow.StepDetails && !k.g.jobs.Busy() && k.g.details != nil
	})
	waitFor(t, k, "the MRZ prefill", 30*time.Second, func() bool { return k.g.prefill != nil })
	onUI(k, func() {
		if k.g.customerID != "" {
			t.Errorf("customer %q chosen before submit", k.g.customerID)
		}
		if k.g.details.Holder.Surname == "" {
			// The form was built before the zone was read: take it now.
			k.g.details = k.g.prefill
			k.render()
		}
		if k.g.details.Number == "" {
			k.g.details.Number = demodata.CardNumber
		}
	})
	tap(t, k, "Next")
	res := signAndSend(t, k)

	if res.MewsID == "" || res.MewsNeedsStaff || len(res.Queued) != 0 {
		t.Errorf("result %+v", res)
	}
	first := "booking has no e-mail"
	if email != "" {
		first = "customers/getAll by e-mail: no single customer"
	}
	if !strings.HasPrefix(res.MewsLookup, first) || !strings.Contains(res.MewsLookup, "1 exact matches") {
		t.Errorf("lookup summary %q", res.MewsLookup)
	}
	var found bool
	for _, d := range srv.MewsDocuments() {
		if d.Number == demodata.CardNumber {
			if d.CustomerID != anna.MewsCustomerID {
				t.Errorf("Mews document went to customer %s, want %s", d.CustomerID, anna.MewsCustomerID)
			}
			found = true
		}
	}
	if !found {
		t.Errorf("no Mews document with the card's number: %+v", srv.MewsDocuments())
	}
	if len(srv.Signatures()) != 1 || len(srv.Documents()) != 2 {
		t.Errorf("StoRegister got %d signatures and %d images", len(srv.Signatures()), len(srv.Documents()))
	}
}
