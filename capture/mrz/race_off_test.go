//go:build !race

package mrz

// raceEnabled trims the slowest image tests under the race detector, which
// makes pixel loops some ten times slower.
const raceEnabled = false
