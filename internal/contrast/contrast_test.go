package contrast

import (
	"image/color"
	"math"
	"testing"
)

func gray(v uint8) color.Color { return color.NRGBA{v, v, v, 255} }

// The expected ratios are the figures published by WebAIM's contrast
// checker and in WCAG's own examples, to two decimals.
func TestRatioKnownValues(t *testing.T) {
	tests := []struct {
		name string
		a, b color.Color
		want float64
	}{
		{"black on white", color.Black, color.White, 21},
		{"white on black", color.White, color.Black, 21},
		{"same colour", gray(0x77), gray(0x77), 1},
		{"#777 on white", gray(0x77), color.White, 4.48},
		{"#767676 on white (the lightest AA grey)", gray(0x76), color.White, 4.54},
		{"#595959 on white", gray(0x59), color.White, 7.0},
		{"pure red on white", color.NRGBA{255, 0, 0, 255}, color.White, 4.0},
		{"pure blue on white", color.NRGBA{0, 0, 255, 255}, color.White, 8.59},
	}
	for _, tt := range tests {
		got := Ratio(tt.a, tt.b)
		if math.Abs(got-tt.want) > 0.005 {
			t.Errorf("%s: ratio %.4f, want %.2f", tt.name, got, tt.want)
		}
	}
}

func TestLevels(t *testing.T) {
	if Ratio(gray(0x77), color.White) >= AA {
		t.Error("#777 on white passes AA; it must not")
	}
	if Ratio(gray(0x76), color.White) < AA {
		t.Error("#767676 on white fails AA; it must pass")
	}
}

func TestLuminanceEnds(t *testing.T) {
	if l := Luminance(color.Black); l != 0 {
		t.Errorf("black %v", l)
	}
	if l := Luminance(color.White); math.Abs(l-1) > 1e-12 {
		t.Errorf("white %v", l)
	}
	// Premultiplied input is read as its straight colour.
	if a, b := Luminance(color.RGBA{0x3b, 0x3b, 0x3b, 0x80}), Luminance(gray(0x76)); math.Abs(a-b) > 0.01 {
		t.Errorf("premultiplied %v, straight %v", a, b)
	}
}

func TestOver(t *testing.T) {
	half := color.NRGBA{0, 0, 0, 128}
	got := Over(half, color.White)
	if got.A != 255 || got.R < 126 || got.R > 128 || got.R != got.G || got.G != got.B {
		t.Errorf("half black over white = %v, want about #7F7F7F opaque", got)
	}
	if got := Over(color.NRGBA{10, 20, 30, 255}, color.White); got != (color.NRGBA{10, 20, 30, 255}) {
		t.Errorf("opaque over anything = %v", got)
	}
	if got := Over(color.Transparent, gray(0x40)); got != (color.NRGBA{0x40, 0x40, 0x40, 255}) {
		t.Errorf("transparent over #404040 = %v", got)
	}
}
