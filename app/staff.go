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
}

// openStaff is the door to the staff console behind its PIN (issue #9).
// Until the console exists the button only records that staff were asked for.
func (k *Kiosk) openStaff() {
	k.log.Info("staff entry requested")
	k.events.add("staff entry requested")
}
