package app

import (
	"context"
	"image"
	"testing"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// startSim starts the simulator of both APIs on loopback.
func startSim(t *testing.T, opts ...sim.Option) *sim.Server {
	t.Helper()
	srv := sim.New(opts...)
	if _, err := srv.Start(context.Background(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// clientsOf are the real clients of both APIs, talking to srv.
func clientsOf(t *testing.T, srv *sim.Server) (*storegister.Client, *mews.Client) {
	t.Helper()
	sr, err := storegister.NewClient(srv.StoRegisterURL(), demodata.StoRegisterAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := mews.NewClient(srv.URL(), demodata.MewsClientToken, demodata.MewsAccessToken, "Signet test")
	if err != nil {
		t.Fatal(err)
	}
	return sr, mc
}

// servicesFor builds the guest flow's services against a running simulator.
func servicesFor(t *testing.T, srv *sim.Server) flow.Services {
	sr, mc := clientsOf(t, srv)
	return flow.Services{Booking: sr, Mews: flow.MewsRecorder{Client: mc}}
}

// simServices starts the simulator and returns the kiosk's services
// talking to it through the real clients.
func simServices(t *testing.T) (*sim.Server, flow.Services) {
	srv := startSim(t)
	return srv, servicesFor(t, srv)
}

// TestGuestFlowAgainstSimulator walks the whole move-in with the synthetic
// camera against the simulator of both APIs, and checks what they received.
func TestGuestFlowAgainstSimulator(t *testing.T) {
	srv, svc := simServices(t)
	k := newTestKiosk(t, svc, syntheticCamera(synthetic.SharpSteady, synthetic.Conditions{QR: true}))
	anna := demodata.People[0]
	walkGuestFlow(t, k, anna.BookingID)

	sigs := srv.Signatures()
	if len(sigs) != 1 || sigs[0].BookingID != anna.BookingID {
		t.Fatalf("simulator got %d signatures: %+v", len(sigs), sigs)
	}
	if n := inkPixels(decodePNG(t, sigs[0].PNG)); n < 500 {
		t.Errorf("signature has only %d inked pixels", n)
	}
	docs := srv.Documents()
	if len(docs) != 2 {
		t.Fatalf("simulator got %d document images, want front and back", len(docs))
	}
	for i, d := range docs {
		img := decodeJPEG(t, d.Data)
		if d.ContentType != "image/jpeg" || d.TypeName != "Identity card" || img.Bounds().Dx() < 400 {
			t.Errorf("image %d: %s %q %q %v", i, d.Filename, d.ContentType, d.TypeName, img.Bounds())
		}
	}
	var found bool
	for _, d := range srv.MewsDocuments() {
		if d.CustomerID == anna.MewsCustomerID && d.Type == "IdentityCard" {
			found = true
			if d.Number != demodata.CardNumber {
				t.Errorf("Mews document number %q, want %q (from the MRZ)", d.Number, demodata.CardNumber)
			}
		}
	}
	if !found {
		t.Errorf("no Mews identity card for customer %s: %+v", anna.MewsCustomerID, srv.MewsDocuments())
	}
	var res flow.Result
	onUI(k, func() { res = *k.g.result })
	if res.SignatureRef != sigs[0].ReferenceID || len(res.ImageRefs) != 2 || res.MewsID == "" {
		t.Errorf("done screen result %+v", res)
	}
}

// inkPixels counts pixels that are not fully transparent.
func inkPixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a > 0 {
				n++
			}
		}
	}
	return n
}
