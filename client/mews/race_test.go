//go:build race

package mews

// raceEnabled: the race detector multiplies memory, so RSS bounds widen.
const raceEnabled = true
