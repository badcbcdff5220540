//go:build linux && cgo

package xdisplay

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestMonitorsOnXvfb lists the monitors of a private Xvfb at 2560×800
// split in two with `xrandr --setmonitor` (Xvfb needs -noreset: it would
// forget them when xrandr, its last client, disconnects).
func TestMonitorsOnXvfb(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xrandr"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; `make test` installs it (scripts/deps.sh)", tool)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-noreset", "-screen", "0", "2560x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = x.Process.Kill(); _ = x.Wait() })
	got := make(chan string, 1)
	go func() { line, _ := bufio.NewReader(r).ReadString('\n'); got <- strings.TrimSpace(line) }()
	var display string
	select {
	case n := <-got:
		display = ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start within 20 s")
	}
	t.Setenv("DISPLAY", display)
	for _, m := range [][]string{{"DESK", "1280/338x800/211+0+0"}, {"GUEST", "1280/338x800/211+1280+0"}} {
		if out, err := exec.Command("xrandr", "--setmonitor", m[0], m[1], "none").CombinedOutput(); err != nil {
			t.Fatalf("xrandr --setmonitor: %v %s", err, out)
		}
	}
	ms, err := Monitors()
	if err != nil {
		t.Fatal(err)
	}
	want := Monitor{"GUEST", 1280, 0, 1280, 800}
	found := false
	for _, m := range ms {
		found = found || m == want
	}
	if !found {
		t.Errorf("monitors %v, want %v among them", ms, want)
	}
	if err := Place(0, want); err != ErrUnsupported {
		t.Errorf("Place(0) = %v", err)
	}
	if err := Place(0x1234567, want); err == nil {
		t.Error("placing a window that is not there gives no error")
	}
	if _, _, err := Position(0); err != ErrUnsupported {
		t.Errorf("Position(0) = %v", err)
	}
	if _, _, err := Position(0x1234567); err == nil {
		t.Error("the position of a window that is not there gives no error")
	}
	if err := Move(0x1234567, 10, 10); err == nil {
		t.Error("moving a window that is not there gives no error")
	}
	if err := Move(1, 40000, 0); err == nil {
		t.Error("a move off X's coordinates gives no error")
	}
}
