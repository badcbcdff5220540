package config

import "github.com/signet-kiosk/signet/internal/xdisplay"

// Desk is the front desk's own settings (mode = "desk").
type Desk struct {
	// GuestDisplay is the monitor that faces the guest, where an assisted
	// move-in opens the agreement and the signing pad in a second window:
	// a monitor's name as `xrandr --listmonitors` shows it ("HDMI-2") or a
	// geometry ("1280x800+1280+0"). Empty (the default) is one screen,
	// which staff turn to the guest to sign.
	GuestDisplay string `toml:"guest_display"`
}

// validateDesk checks the [desk] section; Validate calls it.
func (c *Config) validateDesk(bad func(key, reason string)) {
	if _, err := xdisplay.ParseSpec(c.Desk.GuestDisplay); err != nil {
		bad("desk.guest_display", err.Error())
	}
}
