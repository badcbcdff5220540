//go:build !race

package app

import "testing"

// layoutSweep lets a layout sweep run; see race_on_test.go.
func layoutSweep(*testing.T) {}
