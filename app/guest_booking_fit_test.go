package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// longDoneMessages are operator messages near the 240-character bound.
var longDoneMessages = map[string]string{
	"en": "Your access code and padlock are waiting at the front desk. Please show your identity document there; outside office hours, use the key box beside the main gate.",
	"fr": "Votre code d'accès et votre cadenas vous attendent à l'accueil. Présentez-y votre pièce d'identité ; en dehors des heures d'ouverture, utilisez la boîte à clés près du portail.",
	"es": "Su código de acceso y su candado le esperan en recepción. Muestre allí su documento de identidad; fuera del horario de oficina, use la caja de llaves junto a la entrada principal.",
	"de": "Ihr Zugangscode und Ihr Vorhängeschloss liegen am Empfang bereit. Bitte zeigen Sie dort Ihren Ausweis; außerhalb der Öffnungszeiten nutzen Sie den Schlüsselkasten neben dem Haupttor.",
	"nl": "Uw toegangscode en hangslot liggen klaar bij de balie. Laat daar uw identiteitsbewijs zien; buiten kantooruren gebruikt u de sleutelkluis naast de hoofdingang.",
}

// TestBookingScreensFit renders the states of the find-booking screen
// that the shared fit test does not reach (looking, down with Try again,
// down while a retry runs, a refused code), the submission with its
// spinner, and the done screen with a long operator message and every
// reference, in every language at every size and display mode: nothing
// may be clipped, reach past the window or, in Easy reach, stand to be
// tapped in the top third.
func TestBookingScreensFit(t *testing.T) {
	layoutSweep(t)
	var failures fitFailures
	cfg := config.Default()
	cfg.Kiosk.DoneMessage = longDoneMessages
	clk := &flowtest.Clock{}
	k := newKiosk(t, Options{Config: cfg, Clock: clk, Services: flow.Services{Booking: &memBooking{}}, Camera: fitCamera})
	for _, lang := range fitLanguages {
		for _, mode := range fitModes {
			bookingStatesFit(t, k, clk, &failures, lang, mode.name, mode.set)
		}
	}
	if n := len(failures.list); n > 0 {
		t.Errorf("%d texts or objects do not fit:\n%s", n, strings.Join(failures.list, "\n"))
	}
}

// bookingStatesFit checks the states in lang and one display mode.
func bookingStatesFit(t *testing.T, k *Kiosk, clk *flowtest.Clock, failures *fitFailures, lang, mode string, set func(*Kiosk)) {
	b, _ := (&memBooking{}).Booking(context.Background(), demodata.People[0].BookingID)
	b.Unit = storegister.Unit{Name: "B-2047", Size: "12.5 m²"}
	b.Property.Name = "Signet Self Storage Harbourside Nord"
	id := demodata.People[0].BookingID
	refused := &storegister.APIError{HTTPStatus: 200, Codes: []storegister.Code{storegister.CodeNoRecordsFound}}
	{
		where := "guest " + lang + " " + mode
		var ui *bookingUI
		onUI(k, func() {
			k.tr.SetLanguage(lang)
			k.newGuest()
			set(k)
			k.g.session.Start()
			ui = k.booking()
			tk, _ := ui.lookups.Begin(id, flow.FromGuest)
			ui.busy = true
			k.render()
			failures.atEverySize(k, where, "find-looking", false)
			ui.lookups.End(tk, context.DeadlineExceeded)
			ui.busy = false
			k.render()
			failures.atEverySize(k, where, "find-down", false)
		})
		clk.Advance(2 * time.Second)
		onUI(k, func() {
			tk, _ := ui.lookups.Begin(id, flow.FromTimer)
			ui.busy = true
			k.render()
			failures.atEverySize(k, where, "find-down-retrying", false)
			ui.lookups.End(tk, refused)
			ui.busy = false
			k.render()
			failures.atEverySize(k, where, "find-not-found", false)

			readySession(k, b)
			k.g.progress = flow.Progress{Part: flow.PartImage, Index: 0, Count: 3, Sent: 40000, Total: 81000}
			k.booking().submitting = clk.Now().Add(-time.Second)
			k.render()
			failures.atEverySize(k, where, "submit-waiting", false)
			k.g.session.Done()
			k.g.result = &flow.Result{ImageRefs: []string{"0f8fad5b-d9cb-469f-a165-70867728950e", "16fd2706-8baf-433b-82eb-8c7fada847da"},
				SignatureRef: "7c9e6679-7425-40de-944b-e07fc1f90ae7", MewsID: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
				Queued: []flow.Part{flow.PartMews}}
			k.render()
			failures.atEverySize(k, where, "done-message", false)
		})
	}
}
