package config

import (
	"errors"
	"testing"
)

func TestMode(t *testing.T) {
	for mode, ok := range map[string]bool{"": true, "kiosk": true, "desk": true, "Desk": false, "front": false} {
		c := Default()
		c.Mode = mode
		err := c.Validate()
		var es Errors
		bad := false
		if errors.As(err, &es) {
			for _, e := range es {
				bad = bad || e.Key == "mode"
			}
		}
		if bad == ok {
			t.Errorf("mode %q: %v", mode, err)
		}
	}
}
