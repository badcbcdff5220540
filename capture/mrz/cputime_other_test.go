//go:build !unix

package mrz

import "time"

// cpuTime is unknown here; the tests fall back to the wall clock.
func cpuTime() time.Duration { return 0 }
