package app

import (
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// TestExpiryCheckReadsTheKioskClock: whether a document has expired is
// decided by the kiosk's clock, not the machine's, so the demo card (and
// this test) behave the same on any date. The clock is set years back and
// years ahead of the card's expiry.
func TestExpiryCheckReadsTheKioskClock(t *testing.T) {
	expiry, err := time.Parse("2006-01-02", demodata.CardExpiry)
	if err != nil {
		t.Fatal(err)
	}
	k := newTestKiosk(t, flow.Services{}, nil)
	for _, tt := range []struct {
		name    string
		now     time.Time
		expired bool
	}{
		{"20 years before", expiry.AddDate(-20, 0, 0), false},
		{"the day before", expiry.AddDate(0, 0, -1), false},
		{"the day after", expiry.AddDate(0, 0, 1), true},
		{"20 years after", expiry.AddDate(20, 0, 0), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			onUI(k, func() {
				k.clock = &flowtest.Clock{Start: tt.now}
				got := k.validateDetails(flow.Details{Number: demodata.CardNumber, Expiry: demodata.CardExpiry})
				if want := map[bool]string{true: k.tr.T("details.expired")}[tt.expired]; got != want {
					t.Errorf("on %s: %q, want %q", tt.now.Format(time.DateOnly), got, want)
				}
			})
		})
	}
}
