package camera

import (
	"fmt"
	"slices"
)

// V4L2 pixel formats (fourcc, little-endian).
const (
	PixelYUYV  uint32 = 0x56595559 // 'YUYV'
	PixelMJPEG uint32 = 0x47504A4D // 'MJPG'
)

// FourCC renders a V4L2 pixel format code as its four characters.
func FourCC(p uint32) string {
	b := []byte{byte(p), byte(p >> 8), byte(p >> 16), byte(p >> 24)}
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

// DeviceInfo describes a capture device for `signet cameras`.
type DeviceInfo struct {
	Path    string
	Name    string
	Formats []FormatDesc
}

// FormatDesc is one pixel format a device offers.
type FormatDesc struct {
	Pixel       uint32
	Description string
	Sizes       []SizeDesc
}

// SizeDesc is one frame size and the rates offered at it.
type SizeDesc struct {
	W, H int
	// FPS are the discrete rates, highest first; empty if unknown.
	FPS []float64
	// Stepwise marks a range the driver reports instead of discrete sizes;
	// W×H is then its maximum.
	Stepwise bool
}

// MaxFPS is the highest rate offered, 0 if unknown.
func (s SizeDesc) MaxFPS() float64 {
	m := 0.0
	for _, f := range s.FPS {
		m = max(m, f)
	}
	return m
}

// Choice is the format a device is opened with.
type Choice struct {
	Pixel uint32
	W, H  int
	FPS   float64
}

// String shows the choice as "MJPG 1920x1080 @ 30 fps".
func (c Choice) String() string {
	return fmt.Sprintf("%s %dx%d @ %g fps", FourCC(c.Pixel), c.W, c.H, c.FPS)
}

// ChooseFormat picks the stream format: MJPEG at the largest discrete size
// from 1280×720 to 1920×1080 offering at least 15 fps; else YUYV under the
// same rule; else the largest size up to 1920×1080 with at least 15 fps
// (YUYV first, then MJPEG); else the largest size up to 1920×1080 at any
// rate; else the smallest size offered.
func ChooseFormat(formats []FormatDesc) (Choice, error) {
	type cand struct {
		pixel uint32
		s     SizeDesc
	}
	var all []cand
	for _, f := range formats {
		if f.Pixel != PixelYUYV && f.Pixel != PixelMJPEG {
			continue
		}
		for _, s := range f.Sizes {
			if s.Stepwise {
				s.W, s.H = min(s.W, 1920), min(s.H, 1080)
			}
			if s.W > 0 && s.H > 0 {
				all = append(all, cand{f.Pixel, s})
			}
		}
	}
	if len(all) == 0 {
		return Choice{}, ErrNoFormat
	}
	hd := func(s SizeDesc) bool { return s.W >= 1280 && s.H >= 720 && s.W <= 1920 && s.H <= 1080 }
	upTo := func(s SizeDesc) bool { return s.W <= 1920 && s.H <= 1080 }
	fast := func(s SizeDesc) bool { return s.MaxFPS() >= 15 || (s.Stepwise && len(s.FPS) == 0) }
	rules := []func(c cand) bool{
		func(c cand) bool { return c.pixel == PixelMJPEG && hd(c.s) && fast(c.s) },
		func(c cand) bool { return c.pixel == PixelYUYV && hd(c.s) && fast(c.s) },
		func(c cand) bool { return c.pixel == PixelYUYV && upTo(c.s) && fast(c.s) },
		func(c cand) bool { return c.pixel == PixelMJPEG && upTo(c.s) && fast(c.s) },
		func(c cand) bool { return upTo(c.s) },
	}
	area := func(c cand) int { return c.s.W * c.s.H }
	for _, rule := range rules {
		var best *cand
		for i := range all {
			c := &all[i]
			if rule(*c) && (best == nil || area(*c) > area(*best) ||
				(area(*c) == area(*best) && c.s.MaxFPS() > best.s.MaxFPS())) {
				best = c
			}
		}
		if best != nil {
			return Choice{best.pixel, best.s.W, best.s.H, best.s.MaxFPS()}, nil
		}
	}
	smallest := slices.MinFunc(all, func(a, b cand) int { return area(a) - area(b) })
	return Choice{smallest.pixel, smallest.s.W, smallest.s.H, smallest.s.MaxFPS()}, nil
}
