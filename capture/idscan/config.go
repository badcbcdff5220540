package idscan

import "github.com/signet-kiosk/signet/internal/config"

// FromConfig returns the thresholds, still options and document rules set
// in the configuration; anything left at zero takes the default.
func FromConfig(c *config.Config) (Thresholds, StillOptions, []DocRule) {
	s := c.Scan
	t := Thresholds{
		MinSharpness: s.MinSharpness,
		RelSharpness: s.SharpnessRelative,
		MaxGlare:     s.MaxGlare,
		MaxGlareCell: s.MaxGlareCell,
		MinLuma:      s.MinLuma,
		MaxLuma:      s.MaxLuma,
		MaxMotion:    s.MaxMotion,
		MinFill:      s.MinFill,
		SteadyFor:    s.SteadyFor.D(),
	}.withDefaults()
	o := StillOptions{MaxLongSide: s.MaxLongSide, Quality: s.JPEGQuality,
		MaxBytes: c.StoRegister.MaxImageKB * 1024}.withDefaults()
	var rules []DocRule
	for _, d := range s.Documents {
		rules = append(rules, DocRule{Match: d.Match, Kind: d.Kind, Sides: d.Sides})
	}
	return t, o, rules
}
