//go:build race

package transport_test

// raceEnabled: the race detector multiplies memory, so RSS bounds widen.
const raceEnabled = true
