//go:build !race

package mews

const raceEnabled = false
