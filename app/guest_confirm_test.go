package app

import (
	"testing"

	"github.com/signet-kiosk/signet/client/storegister"
)

// A unit's size sent as a bare number takes the operator's unit
// (kiosk.size_unit), never broken from it; one sent as text is shown as
// sent.
func TestUnitText(t *testing.T) {
	for _, tt := range []struct {
		name, size, unit, want string
	}{
		{"A-112", "5", "", "A-112 · 5"},
		{"A-112", "5", "m²", "A-112 · 5\u00a0m²"},
		{"A-112", "7.5", "m³", "A-112 · 7.5\u00a0m³"},
		{"A-112", "5 m²", "m³", "A-112 5 m²"},
		{"", "5", "m²", "5\u00a0m²"},
		{"A-112", "", "m²", "A-112"},
	} {
		if got := unitText(storegister.Unit{Name: tt.name, Size: tt.size}, tt.unit); got != tt.want {
			t.Errorf("%q %q %q: %q, want %q", tt.name, tt.size, tt.unit, got, tt.want)
		}
	}
}
