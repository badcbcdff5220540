package app

import (
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/internal/config"
)

// TestScanSettings: the configured scan settings reach package idscan's
// plain structs, and a type name is classified by the configured rules.
func TestScanSettings(t *testing.T) {
	c := config.Default()
	c.Scan.MinSharpness, c.Scan.MaxGlare, c.Scan.SteadyFor = 42, 0.25, config.Duration(700*time.Millisecond)
	c.Scan.MaxLongSide, c.Scan.JPEGQuality, c.StoRegister.MaxImageKB = 1600, 80, 900
	c.Scan.Documents = []config.ScanDocument{{Match: []string{"badge"}, Kind: "badge", Sides: 1}}
	th, so, rules := scanSettings(c)
	if th.MinSharpness != 42 || th.MaxGlare != 0.25 || th.SteadyFor != 700*time.Millisecond {
		t.Errorf("thresholds %+v", th)
	}
	if so.MaxLongSide != 1600 || so.Quality != 80 || so.MaxBytes != 900*1024 {
		t.Errorf("still options %+v", so)
	}
	if dt := idscan.Classify("Staff badge", rules); dt.Kind != "badge" || len(dt.Sides) != 1 {
		t.Errorf("configured rule not applied: %+v", dt)
	}
}
