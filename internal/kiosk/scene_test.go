package kiosk

import (
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// Finding 5 of issue 17: in kiosk mode the synthetic camera showed the
// demo's booking QR sheet, so the kiosk found a booking nobody showed it.
// The sheet belongs to demo mode only.
func TestDemoQROnlyInDemoMode(t *testing.T) {
	for _, tt := range []struct {
		purpose string
		demo    bool
		wantQR  bool
	}{
		{app.PurposeQR, true, true},
		{app.PurposeQR, false, false},
		{app.PurposeDocument, false, false},
	} {
		s := sceneFor(tt.purpose, tt.demo)
		if s.Duration() <= 0 {
			t.Fatalf("%s demo=%v: an empty scene", tt.purpose, tt.demo)
		}
		qr := false
		for at := time.Duration(0); at < s.Duration(); at += 50 * time.Millisecond {
			c, _ := s.At(at)
			qr = qr || c.QR
		}
		if qr != tt.wantQR {
			t.Errorf("%s screen, demo=%v: QR sheet shown %v, want %v", tt.purpose, tt.demo, qr, tt.wantQR)
		}
	}
	// The document screens still see the card in kiosk mode.
	card := false
	s := sceneFor(app.PurposeDocument, false)
	for at := time.Duration(0); at < s.Duration(); at += 50 * time.Millisecond {
		c, _ := s.At(at)
		card = card || c.Card
	}
	if !card {
		t.Error("the document screens' scene has no card in kiosk mode")
	}
}

// Demo mode shows an operator's message on the Done screen in every
// language, and it passes the configuration's checks.
func TestDemoDoneMessage(t *testing.T) {
	c := config.Default()
	c.Kiosk.DoneMessage = demodata.DoneMessage
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Kiosk.Languages {
		if demodata.DoneMessage[l] == "" {
			t.Errorf("no demo done message in %s", l)
		}
	}
}
