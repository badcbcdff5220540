//go:build race

package app

import "testing"

// layoutSweep skips a sweep of every screen in every language, size and
// display mode under the race detector. A sweep lays screens out on one
// goroutine, so the detector has nothing to find in it, and it runs about
// ten times slower with it: some nine minutes instead of one on a 2-core
// CI machine, most of the 15-minute budget. `make test` runs the sweeps
// again without -race (the Makefile's `-run Fit` line), so every CI run
// still checks that every label fits.
func layoutSweep(t *testing.T) {
	t.Helper()
	t.Skip("layout sweep: run without -race by make test (see app/race_on_test.go)")
}
