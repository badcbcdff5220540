package app

import (
	"context"
	"testing"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// screens puts the kiosk on each screen in turn and calls visit with its name.
func screens(t *testing.T, k *Kiosk, visit func(name string)) {
	t.Helper()
	mb := &memBooking{}
	b, _ := mb.Booking(context.Background(), demodata.People[0].BookingID)
	types, _ := mb.IdentityDocumentTypes(context.Background(), "")
	onUI(k, func() {
		k.show(k.attractScreen)
		visit("attract")
		k.newGuest()
		s := k.g.session
		s.Start()
		k.render()
		visit("find-booking")
		k.g.problem = k.tr.T("error.storegister.NO_RECORDS_FOUND")
		k.render()
		visit("find-booking-error")
		k.g.problem = ""
		s.SetBooking(b, k.docTypes(types))
		k.render()
		visit("confirm")
		_ = s.ConfirmBooking()
		k.render()
		visit("document-type")
		_ = s.ChooseType(k.g.session.DocTypes[1])
		k.render()
		visit("capture")
		// The shutter takes the next frame: this one, or the camera's.
		sample := sampleFrame(t)
		for i := 0; k.g.scan.Still() == nil; i++ {
			if i == 20 {
				t.Fatal("no still for the review")
			}
			k.g.scan.Shutter()
			_, _ = k.g.scan.Feed(sample)
		}
		k.render()
		visit("review")
		k.g.scan.Retake()
		_ = s.AddCapture(flow.Capture{JPEG: []byte{1}})
		_ = s.AddCapture(flow.Capture{JPEG: []byte{1}})
		k.g.details = &flow.Details{Type: "IdentityCard", Number: "D23145890", Expiry: "2034-12-15", IssuingCountry: "SE"}
		k.g.prefill = k.g.details
		k.render()
		visit("details")
		_ = s.SetDetails(*k.g.details, "c")
		k.render()
		visit("signature")
		agreement, _ := k.agreement()
		k.showAgreement(agreement)
		visit("agreement")
		fitHideOverlays(k)
		k.callStaff() // the banner on the screen, the help dialog over it
		visit("help")
		fitHideOverlays(k)
		visit("signature-banner")
		k.endCall("test")
		_ = s.SetSignature([]byte{1})
		k.g.progress = flow.Progress{Part: flow.PartImage, Index: 0, Count: 3, Sent: 40000, Total: 81000}
		k.render()
		visit("submit")
		k.g.problem = k.tr.T("error.storegister.INVALID_DOCUMENT_FILE_DATA") + " " + k.tr.T("error.ask_staff")
		k.render()
		visit("submit-refused")
		k.g.problem = ""
		s.Done()
		k.g.result = &flow.Result{ImageRefs: []string{"0f8fad5b-d9cb-469f-a165-70867728950e", "16fd2706-8baf-433b-82eb-8c7fada847da"}, SignatureRef: "7c9e6679-7425-40de-944b-e07fc1f90ae7"}
		k.render()
		visit("done")
	})
}

// TestEveryScreenFits checks the promise of no scrolling at 1280×800: every
// screen's minimum size fits, in every language.
func TestEveryScreenFits(t *testing.T) {
	layoutSweep(t)
	for _, lang := range []string{"en", "fr", "es", "de", "nl"} {
		k := newTestKiosk(t, flow.Services{Booking: &memBooking{}}, syntheticCamera(synthetic.SharpSteady, synthetic.Conditions{QR: true}))
		onUI(k, func() { k.tr.SetLanguage(lang) })
		screens(t, k, func(name string) {
			min := k.win.Content().MinSize()
			if min.Width > 1280 || min.Height > 800 {
				t.Errorf("%s %s: minimum size %v exceeds 1280×800", lang, name, min)
			}
		})
		stopKiosk(t, k)
	}
}
