package app

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/signet-kiosk/signet/internal/xdisplay"
)

// placingDisplays is an X11 desktop for the desk window's place: its
// monitors, where the window is, and where it was moved.
type placingDisplays struct {
	fakeDisplays
	x, y   int
	posErr error
	moved  [][2]int
}

func (p *placingDisplays) Position(fyne.Window) (int, int, error) { return p.x, p.y, p.posErr }

func (p *placingDisplays) Move(_ fyne.Window, x, y int) error {
	p.moved = append(p.moved, [2]int{x, y})
	return nil
}

// Issue 20: the desk window's file keeps its place besides its size;
// files of earlier versions, with a size alone, still read.
func TestParseDeskWindow(t *testing.T) {
	for _, c := range []struct {
		in     string
		size   fyne.Size
		x, y   int
		placed bool
	}{
		{`{"Width":1100,"Height":700}`, fyne.NewSize(1100, 700), 0, 0, false}, // before places were kept
		{`{"Width":1100,"Height":700,"X":1400,"Y":-20}`, fyne.NewSize(1100, 700), 1400, -20, true},
		{`{"Width":5,"Height":700,"X":10,"Y":20}`, deskDefaultSize, 10, 20, true}, // a bad size, a good place
		{`{"Width":1100,"Height":700,"X":10}`, fyne.NewSize(1100, 700), 0, 0, false},
		{`{"Width":1100,"Height":700,"X":40000,"Y":0}`, fyne.NewSize(1100, 700), 0, 0, false},
		{`{"Width":1100,"Height":700,"X":1.5,"Y":0}`, deskDefaultSize, 0, 0, false},
		{`{"Width":1100,"Height":700,"X":null,"Y":3}`, fyne.NewSize(1100, 700), 0, 0, false},
		{``, deskDefaultSize, 0, 0, false},
	} {
		size, x, y, placed := parseDeskWindow([]byte(c.in))
		if size != c.size || x != c.x || y != c.y || placed != c.placed {
			t.Errorf("%s: %v %d,%d %v; want %v %d,%d %v", c.in, size, x, y, placed, c.size, c.x, c.y, c.placed)
		}
	}
}

// The desk window comes back where it was when last closed, on a monitor
// still there; a place on a monitor since unplugged, or none, is left to
// the desktop.
func TestDeskRemembersItsPlace(t *testing.T) {
	dir := t.TempDir()
	disp := &placingDisplays{fakeDisplays: *twoMonitors(), x: 1400, y: 120}
	r := newStaffRig(t, rigOptions{accounts: staffAccounts(t), desk: true, stateDir: dir, displays: disp})
	onUI(r.k, func() { r.k.saveDeskSize() })
	b, err := os.ReadFile(filepath.Join(dir, deskWindowFile))
	var kept struct{ X, Y *int }
	if err != nil || json.Unmarshal(b, &kept) != nil || kept.X == nil || *kept.X != 1400 || kept.Y == nil || *kept.Y != 120 {
		t.Fatalf("kept %s, %v", b, err)
	}
	onUI(r.k, func() { r.k.restoreDeskPlace() })
	if len(disp.moved) != 1 || disp.moved[0] != [2]int{1400, 120} {
		t.Errorf("moved to %v, want 1400,120", disp.moved)
	}

	// The guest's monitor unplugged since: the window stays where the
	// desktop put it.
	disp.monitors = disp.monitors[:1]
	disp.moved = nil
	onUI(r.k, func() { r.k.restoreDeskPlace() })
	if len(disp.moved) != 0 {
		t.Errorf("moved to %v, off today's monitors", disp.moved)
	}
	if !strings.Contains(r.log.String(), "on no monitor today") {
		t.Error("the log does not say why the window was not moved back")
	}

	// A save once X no longer tells the place (the desk quitting, its
	// window going, after the focus hook's save read it) keeps the last
	// place: it used to write the size alone over it.
	disp.posErr, disp.monitors = xdisplay.ErrUnsupported, twoMonitors().monitors
	onUI(r.k, func() { r.k.saveDeskSize() })
	b, _ = os.ReadFile(filepath.Join(dir, deskWindowFile))
	if !strings.Contains(string(b), `"X":1400,"Y":120`) {
		t.Errorf("kept %s, want the last place 1400,120 kept", b)
	}

	// Where X never told a place, the size alone is kept, and nothing is
	// moved.
	if err := os.Remove(filepath.Join(dir, deskWindowFile)); err != nil {
		t.Fatal(err)
	}
	disp.moved = nil
	onUI(r.k, func() { r.k.saveDeskSize() })
	b, _ = os.ReadFile(filepath.Join(dir, deskWindowFile))
	if strings.Contains(string(b), `"X"`) || !strings.Contains(string(b), `"Width"`) {
		t.Errorf("kept %s without a place to read", b)
	}
	onUI(r.k, func() { r.k.restoreDeskPlace() })
	if len(disp.moved) != 0 {
		t.Errorf("moved to %v with no place kept", disp.moved)
	}
	disp.err = errors.New("no X")
	if err := os.WriteFile(filepath.Join(dir, deskWindowFile), []byte(`{"Width":1100,"Height":700,"X":10,"Y":10}`), 0o600); err != nil {
		t.Fatal(err)
	}
	onUI(r.k, func() { r.k.restoreDeskPlace() })
	if len(disp.moved) != 0 {
		t.Errorf("moved to %v without the monitors known", disp.moved)
	}
}

// Whatever the file holds, the window gets a sensible size, and a place
// only within X's coordinates.
func FuzzParseDeskWindow(f *testing.F) {
	f.Add([]byte(`{"Width":1100,"Height":700,"X":1400,"Y":-20}`))
	f.Add([]byte(`{"Width":1100,"Height":700,"X":1e30,"Y":0}`))
	f.Add([]byte(`{"X":-9223372036854775808,"Y":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, x, y, ok := parseDeskWindow(b)
		if !(s.Width >= 640 && s.Height >= 480 && s.Width <= 10000 && s.Height <= 10000) {
			t.Fatalf("%q gives %v", b, s)
		}
		if ok && (x < -32767 || x > 32767 || y < -32767 || y > 32767) {
			t.Fatalf("%q gives the place %d,%d", b, x, y)
		}
	})
}
