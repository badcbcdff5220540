// Package xdisplay finds the monitors of an X11 display and puts a window
// on one of them: the front desk's guest window goes on the screen that
// faces the guest, and the desk's own window back where it was. Fyne 2.7
// has no API for a window's position or monitor, so this talks to X
// directly (XRandR's monitor list, a window's position, a move and
// resize, and the window manager's full-screen state). Elsewhere (no cgo,
// not Linux, Wayland) Monitors, Place, Position and Move return
// ErrUnsupported.
package xdisplay

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrUnsupported is returned where windows cannot be placed: a build
// without cgo or for another system, or a window that is not an X11 one.
var ErrUnsupported = errors.New("xdisplay: placing windows needs X11")

// Monitor is one monitor of the display (what `xrandr --listmonitors`
// shows, virtual monitors made with `xrandr --setmonitor` included), in
// the root window's pixels.
type Monitor struct {
	Name          string
	X, Y          int
	Width, Height int
}

func (m Monitor) String() string {
	return fmt.Sprintf("%s %dx%d+%d+%d", m.Name, m.Width, m.Height, m.X, m.Y)
}

// maxSide bounds a geometry's width, height and offsets: X's coordinates
// are 16-bit.
const maxSide = 32767

// Spec is the configured guest display: a monitor's name ("HDMI-2") or a
// geometry ("1280x800+1280+0"), as ParseSpec reads it. The zero Spec is
// no guest display.
type Spec struct {
	// Name is a monitor's name; empty for a geometry.
	Name string
	// Area is the geometry when Name is empty.
	Area Monitor
}

// IsZero reports whether s names no display.
func (s Spec) IsZero() bool { return s.Name == "" && s.Area.Width == 0 }

func (s Spec) String() string {
	if s.Name != "" {
		return s.Name
	}
	if s.IsZero() {
		return ""
	}
	a := s.Area
	return fmt.Sprintf("%dx%d+%d+%d", a.Width, a.Height, a.X, a.Y)
}

// ParseSpec reads a guest display: "" (none), a geometry WxH+X+Y (each a
// decimal number, the size at least 200×200), or a monitor name of 1–64
// letters, digits and . _ - : (as X names outputs and monitors).
func ParseSpec(s string) (Spec, error) {
	if s == "" {
		return Spec{}, nil
	}
	if len(s) > 64 {
		return Spec{}, fmt.Errorf("%.20q… is longer than 64 characters: write a monitor's name such as HDMI-2 or a geometry such as 1280x800+1280+0", s)
	}
	if looksLikeGeometry(s) {
		a, err := parseGeometry(s)
		if err != nil {
			return Spec{}, err
		}
		return Spec{Area: a}, nil
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-:", r)) {
			return Spec{}, fmt.Errorf("%q is neither a monitor's name (letters, digits and . _ - :, such as HDMI-2) nor a geometry such as 1280x800+1280+0", s)
		}
	}
	return Spec{Name: s}, nil
}

// looksLikeGeometry: starts with a digit and holds an x (no output is
// named so).
func looksLikeGeometry(s string) bool {
	return s[0] >= '0' && s[0] <= '9' && strings.Contains(s, "x")
}

func parseGeometry(s string) (Monitor, error) {
	bad := fmt.Errorf("%q is not a geometry WIDTHxHEIGHT+X+Y such as 1280x800+1280+0", s)
	size, rest, ok := strings.Cut(s, "+")
	if !ok {
		return Monitor{}, bad
	}
	w, h, ok := strings.Cut(size, "x")
	xs, ys, ok2 := strings.Cut(rest, "+")
	if !ok || !ok2 {
		return Monitor{}, bad
	}
	var n [4]int
	for i, part := range []string{w, h, xs, ys} {
		v, err := strconv.Atoi(part)
		if err != nil || part == "" || part[0] < '0' || part[0] > '9' || v > maxSide {
			return Monitor{}, bad
		}
		n[i] = v
	}
	if n[0] < 200 || n[1] < 200 {
		return Monitor{}, fmt.Errorf("%q: a guest display of %dx%d is too small to sign on (at least 200x200)", s, n[0], n[1])
	}
	return Monitor{Width: n[0], Height: n[1], X: n[2], Y: n[3]}, nil
}

// Find returns where the guest's window goes among the monitors ms: the
// monitor called s.Name, or s's geometry when it lies inside the area the
// monitors cover. ok is false when it is not there.
func (s Spec) Find(ms []Monitor) (m Monitor, ok bool) {
	if s.IsZero() {
		return Monitor{}, false
	}
	if s.Name != "" {
		for _, m := range ms {
			if m.Name == s.Name {
				return m, m.Width > 0 && m.Height > 0
			}
		}
		return Monitor{}, false
	}
	a := s.Area
	for _, m := range ms {
		if a.X >= m.X && a.Y >= m.Y && a.X+a.Width <= m.X+m.Width && a.Y+a.Height <= m.Y+m.Height {
			a.Name = m.Name
			return a, true
		}
	}
	return Monitor{}, false
}

// Names lists the monitors' names, for a message saying which there are.
func Names(ms []Monitor) string {
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	return strings.Join(names, ", ")
}

// onMonitorMargin is how much of a window, right and below its top left,
// must lie on a monitor for OnMonitor: enough to see and grab its title.
const onMonitorMargin = 100

// OnMonitor reports whether a window whose top left is at x, y can be
// seen and grabbed on one of the monitors ms: that corner lies on one of
// them with at least onMonitorMargin pixels of it to the right and below.
// A place kept from a monitor since unplugged is on none.
func OnMonitor(ms []Monitor, x, y int) bool {
	for _, m := range ms {
		if m.Width > onMonitorMargin && m.Height > onMonitorMargin &&
			x >= m.X && y >= m.Y && x <= m.X+m.Width-onMonitorMargin && y <= m.Y+m.Height-onMonitorMargin {
			return true
		}
	}
	return false
}
