package app

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/redact"
)

// memBooking is an in-memory booking service for UI tests that need no HTTP.
type memBooking struct {
	mu     sync.Mutex
	images [][]byte
	names  []string
	sigs   [][]byte
}

func (m *memBooking) Booking(_ context.Context, id string) (*storegister.Booking, error) {
	for _, p := range demodata.People {
		if p.BookingID == id {
			return &storegister.Booking{ID: id, Tenant: storegister.Tenant{FirstName: redact.Personal(p.FirstName),
				LastName: redact.Personal(p.LastName), Email: redact.Personal(p.Email)},
				Unit: storegister.Unit{Name: p.Unit}, MoveInDate: p.MoveIn}, nil
		}
	}
	return nil, &storegister.APIError{HTTPStatus: 200, Codes: []storegister.Code{storegister.CodeNoRecordsFound}}
}

func (m *memBooking) IdentityDocumentTypes(context.Context, string) ([]storegister.DocumentType, error) {
	var ts []storegister.DocumentType
	for _, t := range demodata.DocumentTypes {
		ts = append(ts, storegister.DocumentType{ID: t.ID, Name: t.Name})
	}
	return ts, nil
}

func (m *memBooking) SaveIdentityDocument(_ context.Context, _ string, d storegister.IdentityDocument) (string, error) {
	b, err := io.ReadAll(d.Body)
	if err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.images = append(m.images, b)
	m.names = append(m.names, d.Filename)
	return "0f8fad5b-d9cb-469f-a165-70867728950e", nil
}

func (m *memBooking) SaveSignature(_ context.Context, _ string, png []byte) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sigs = append(m.sigs, bytes.Clone(png)) // Run wipes its buffers afterwards
	return "7c9e6679-7425-40de-944b-e07fc1f90ae7", nil
}

func TestGuestFlowWithFakes(t *testing.T) {
	mb := &memBooking{}
	k := newTestKiosk(t, flow.Services{Booking: mb}, syntheticCamera(synthetic.SharpSteady, synthetic.Conditions{QR: true}))
	walkGuestFlow(t, k, demodata.People[0].BookingID)
	if len(mb.images) != 2 || len(mb.sigs) != 1 {
		t.Fatalf("received %d images and %d signatures", len(mb.images), len(mb.sigs))
	}
	for i, img := range mb.images {
		decodeJPEG(t, img)
		if want := []string{"identity-card-front.jpg", "identity-card-back.jpg"}[i]; mb.names[i] != want {
			t.Errorf("image %d named %q, want %q", i, mb.names[i], want)
		}
	}
	sig := decodePNG(t, mb.sigs[0])
	if sig.Bounds().Dx() < 100 {
		t.Errorf("signature only %v", sig.Bounds())
	}
	if k.g.session.MewsSkip != "mews.skip.not_configured" {
		t.Errorf("Mews skip reason %q", k.g.session.MewsSkip)
	}
}
