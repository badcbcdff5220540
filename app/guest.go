package app

// startGuest begins a guest's move-in. The flow arrives with issue #8.
func (k *Kiosk) startGuest() {
	k.log.Info("guest session started")
}

// openStaff opens the staff console behind its PIN (issue #9).
func (k *Kiosk) openStaff() {
	k.log.Info("staff entry requested")
}
