package app

import (
	"path/filepath"
	"testing"
	"time"

	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/outbox"
)

// TestGuestFlowQueuesWhenTheNetworkIsDown: with the booking API failing,
// the guest still finishes, is told the documents will follow, and the
// outbox delivers everything once the API is back.
func TestGuestFlowQueuesWhenTheNetworkIsDown(t *testing.T) {
	srv := startSim(t)
	quick := &retry.Policy{MaxAttempts: 2, Base: time.Millisecond, Cap: 5 * time.Millisecond}
	sr, err := storegister.NewClient(srv.StoRegisterURL(), demodata.StoRegisterAPIKey, storegister.WithRetry(quick))
	if err != nil {
		t.Fatal(err)
	}
	mc, err := mews.NewClient(srv.URL(), demodata.MewsClientToken, demodata.MewsAccessToken, "Signet test", mews.WithRetryPolicy(quick))
	if err != nil {
		t.Fatal(err)
	}
	key, err := outbox.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.Open(filepath.Join(t.TempDir(), "outbox"), outbox.Options{Key: key,
		Deliverer: outbox.Router{outbox.KindSignature: outbox.StoRegisterDeliverer{Client: sr},
			outbox.KindIdentityDocument:     outbox.StoRegisterDeliverer{Client: sr},
			outbox.KindMewsIdentityDocument: outbox.MewsDeliverer{Client: mc}},
		Backoff: &retry.Policy{Base: 50 * time.Millisecond, Cap: 200 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ob.Close() })
	svc := flow.Services{Booking: sr, Mews: flow.MewsRecorder{Client: mc}, Queue: flow.OutboxQueue{Outbox: ob}}
	k := newTestKiosk(t, svc, syntheticCamera(synthetic.SharpSteady, synthetic.Conditions{QR: true}))

	// The booking is found while the API is up; then the network fails.
	onUI(k, func() {})
	tap(t, k, "Touch to start")
	waitFor(t, k, "find screen", 5*time.Second, func() bool { return k.g.session.Step() == flow.StepFindBooking })
	onUI(k, func() { k.g.reference = demodata.People[0].BookingID; k.search() })
	waitFor(t, k, "the booking", 30*time.Second, func() bool { return k.g.session.Step() == flow.StepConfirmBooking })
	captureCard(t, k)
	waitFor(t, k, "the details", 30*time.Second, func() bool { return k.g.session.Step() == flow.StepDetails && !k.g.jobs.Busy() })
	srv.SetFaults(sim.Faults{ErrorRate: 1})
	onUI(k, func() { k.g.details.Number = demodata.CardNumber })
	tap(t, k, "Next")
	res := signAndSend(t, k)
	if len(res.Queued) != 4 {
		t.Fatalf("queued %v, want both images, the signature and the Mews record", res.Queued)
	}
	onUI(k, func() {
		if find(k, func(l *fwidget.Label) bool { return l.Text == k.tr.T("done.queued") }) == nil {
			t.Error("the guest is not told the documents will be sent")
		}
	})
	if len(srv.Signatures()) != 0 {
		t.Fatal("the failing simulator accepted a signature")
	}

	srv.SetFaults(sim.Faults{}) // the network is back
	ob.Start()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && (len(srv.Signatures()) < 1 || len(srv.Documents()) < 2 || ob.Stats().Depth > 0) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(srv.Signatures()) != 1 || len(srv.Documents()) != 2 {
		t.Fatalf("after recovery the simulator has %d signatures and %d images; outbox %+v", len(srv.Signatures()), len(srv.Documents()), ob.Stats())
	}
	var mewsOK bool
	for _, d := range srv.MewsDocuments() {
		mewsOK = mewsOK || (d.CustomerID == demodata.People[0].MewsCustomerID && d.Number == demodata.CardNumber)
	}
	if !mewsOK {
		t.Error("the queued Mews record was not delivered")
	}
}
