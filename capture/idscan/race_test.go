//go:build race

package idscan

func init() { raceEnabled = true }
