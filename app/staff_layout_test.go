package app

import (
	"strings"
	"testing"
)

// TestStaffScreensFit checks every staff screen and dialog, with long
// data, in every language at 1024×768, 1280×800 and 1920×1080: no text
// wider than its widget, nothing past the window (issue 17: "Terug naar de
// kiosk" on the PIN screen, the configuration's 1100×680 past 1024×768, the
// documents' header cut). The demo badge shares the bottom bar with the
// guest's screens and is checked by TestEveryLabelFits.
func TestStaffScreensFit(t *testing.T) {
	layoutSweep(t)
	var failures fitFailures
	fitStaff(t, &failures, false)
	if len(failures.screens["staff"]) < 10 {
		t.Errorf("checked %d staff screens, want at least 10", len(failures.screens["staff"]))
	}
	if n := len(failures.list); n > 0 {
		t.Errorf("%d staff texts or objects do not fit:\n%s", n, strings.Join(failures.list, "\n"))
	}
}
