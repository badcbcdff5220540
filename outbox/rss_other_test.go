//go:build !linux

package outbox

// peakRSSMB is only measured on Linux.
func peakRSSMB() (float64, bool) { return 0, false }
