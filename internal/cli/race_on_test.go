//go:build race

package cli

// raceEnabled: the race detector slows the children of the hostile-input
// tests several times and more than doubles their memory.
const raceEnabled = true
