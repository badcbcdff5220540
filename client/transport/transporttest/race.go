//go:build race

package transporttest

// raceEnabled: the race detector multiplies memory, so RSS bounds widen.
const raceEnabled = true
