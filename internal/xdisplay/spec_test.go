package xdisplay

import (
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Spec
		err  string
	}{
		{"", Spec{}, ""},
		{"HDMI-2", Spec{Name: "HDMI-2"}, ""},
		{"DP-1.2", Spec{Name: "DP-1.2"}, ""},
		{"GUEST", Spec{Name: "GUEST"}, ""},
		{"1280x800+1280+0", Spec{Area: Monitor{X: 1280, Width: 1280, Height: 800}}, ""},
		{"1920x1080+0+1200", Spec{Area: Monitor{Y: 1200, Width: 1920, Height: 1080}}, ""},
		{"1280x800", Spec{}, "not a geometry"},
		{"1280x800+1280", Spec{}, "not a geometry"},
		{"1280x800+-5+0", Spec{}, "not a geometry"},
		{"1280x800++0", Spec{}, "not a geometry"},
		{"100x100+0+0", Spec{}, "too small"},
		{"99999x800+0+0", Spec{}, "not a geometry"},
		{"HDMI 2", Spec{}, "neither"},
		{"écran", Spec{}, "neither"},
		{strings.Repeat("a", 65), Spec{}, "longer than 64"},
	} {
		got, err := ParseSpec(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseSpec(%q) = %v, %v; want an error with %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseSpec(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
		if got.String() != tc.in {
			t.Errorf("ParseSpec(%q).String() = %q", tc.in, got.String())
		}
	}
}

func TestFind(t *testing.T) {
	ms := []Monitor{{"DESK", 0, 0, 1280, 800}, {"GUEST", 1280, 0, 1280, 800}, {"screen", 0, 0, 2560, 800}}
	for _, tc := range []struct {
		spec string
		want Monitor
		ok   bool
	}{
		{"GUEST", ms[1], true},
		{"HDMI-2", Monitor{}, false},
		{"1280x800+1280+0", Monitor{"GUEST", 1280, 0, 1280, 800}, true},
		{"800x600+1400+100", Monitor{"GUEST", 1400, 100, 800, 600}, true},
		{"1280x800+2000+0", Monitor{}, false}, // past the right edge
		{"", Monitor{}, false},
	} {
		s, err := ParseSpec(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := s.Find(ms)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Find(%q) = %v, %v; want %v, %v", tc.spec, got, ok, tc.want, tc.ok)
		}
	}
	if got := Names(ms); got != "DESK, GUEST, screen" {
		t.Errorf("Names = %q", got)
	}
}

// The setting is read from the configuration file: whatever it holds,
// ParseSpec answers without panicking, and what it accepts prints as a
// setting that reads back the same and fits X's coordinates.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"", "HDMI-2", "1280x800+1280+0", "1x1+0+0", "9999999999x1+0+0", "0x+", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := ParseSpec(s)
		if err != nil {
			return
		}
		if again, err := ParseSpec(sp.String()); err != nil || again != sp {
			t.Fatalf("%q reads as %+v, printed %q, read back as %+v, %v", s, sp, sp.String(), again, err)
		}
		if a := sp.Area; a.Width > maxSide || a.Height > maxSide || a.X > maxSide || a.Y > maxSide || a.X < 0 || a.Y < 0 {
			t.Fatalf("%q reads as %+v", s, sp)
		}
	})
}

// A kept window position is used only where it can be seen and grabbed on
// today's monitors.
func TestOnMonitor(t *testing.T) {
	ms := []Monitor{{Name: "DESK", Width: 1280, Height: 800}, {Name: "GUEST", X: 1280, Width: 1280, Height: 800}}
	for _, c := range []struct {
		x, y int
		want bool
	}{
		{0, 0, true},
		{300, 200, true},
		{1180, 700, true},   // 100 px of it on the desk's monitor
		{1181, 700, false},  // 99 px on the desk's monitor, and left of the guest's
		{1300, 100, true},   // on the second monitor
		{2461, 100, false},  // off the right edge's margin
		{100, 701, false},   // its title below the bottom margin
		{-1, 0, false},      // left of everything
		{0, -30, false},     // its title above the screen
		{3000, 3000, false}, // a monitor since unplugged
	} {
		if got := OnMonitor(ms, c.x, c.y); got != c.want {
			t.Errorf("OnMonitor(%d, %d) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	if OnMonitor(nil, 0, 0) {
		t.Error("a position is on a monitor when there is none")
	}
}
