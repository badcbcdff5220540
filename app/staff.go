package app

import (
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/outbox"
)

// StaffDeps is what the staff console needs beyond the guest flow's
// services. main fills it; fields may be nil when not configured.
type StaffDeps struct {
	// Mews manages customers' identity documents; nil when Mews is off.
	Mews *mews.Client
	// Outbox is the queue of submissions not yet sent; nil when none.
	Outbox *outbox.Outbox
	// StateDir holds the PIN lockout state.
	StateDir string
	// Version is shown on the health screen; "" shows "dev".
	Version string
	// ProbeBooking is the booking whose document types the health screen
	// reads to tell whether StoRegister answers; "" uses
	// storegister.test_booking (demo mode: the first demo booking).
	ProbeBooking string
	// Errors keeps the last warnings and errors for the health screen;
	// nil shows the recent events only.
	Errors *ErrorRing
}

// openStaff is the door to the staff console: the PIN pad first.
func (k *Kiosk) openStaff() {
	k.log.Info("staff entry requested")
	k.events.add("staff entry requested")
	k.hideStillThere()
	k.idle.Stop()
	k.stopCamera()
	k.console().enter()
}
