package app

import (
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/internal/config"
)

// scanSettings returns the live-check thresholds, the still options and the
// document rules set in the configuration. Package idscan reads no
// configuration: it takes these plain values and fills what is left at
// zero with its calibrated defaults (NewScanner, MakeStill); no rules
// means its built-in ones (Classify).
func scanSettings(c *config.Config) (idscan.Thresholds, idscan.StillOptions, []idscan.DocRule) {
	s := c.Scan
	t := idscan.Thresholds{
		MinSharpness: s.MinSharpness,
		RelSharpness: s.SharpnessRelative,
		MaxGlare:     s.MaxGlare,
		MaxGlareCell: s.MaxGlareCell,
		MinLuma:      s.MinLuma,
		MaxLuma:      s.MaxLuma,
		MaxMotion:    s.MaxMotion,
		MinFill:      s.MinFill,
		SteadyFor:    s.SteadyFor.D(),
	}
	o := idscan.StillOptions{MaxLongSide: s.MaxLongSide, Quality: s.JPEGQuality,
		MaxBytes: c.StoRegister.MaxImageKB * 1024}
	var rules []idscan.DocRule
	for _, d := range s.Documents {
		rules = append(rules, idscan.DocRule{Match: d.Match, Kind: d.Kind, Sides: d.Sides})
	}
	return t, o, rules
}
