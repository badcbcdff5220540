package e2e

import (
	"bufio"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/imagetest"
)

// display is a private Xvfb server for one test.
type display struct {
	name string // ":N"
	cmd  *exec.Cmd
}

// requireTools skips when the window-test tools are absent. `make test`
// installs them (scripts/deps.sh), so under make and in CI this never skips.
func requireTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"Xvfb", "import", "xdotool"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; `make test` installs it (scripts/deps.sh)", tool)
		}
	}
}

// startXvfb starts Xvfb on a free display number (-displayfd) at w×h,
// with any further arguments of Xvfb's.
func startXvfb(t *testing.T, w, h int, extra ...string) *display {
	t.Helper()
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", append([]string{"-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp"}, extra...)...)
	cmd.ExtraFiles = []*os.File{wr}
	if err := cmd.Start(); err != nil {
		t.Fatalf("Xvfb: %v", err)
	}
	wr.Close()
	d := &display{cmd: cmd}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb did not report a display")
		}
		d.name = ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start within 20 s")
	}
	return d
}

// xdo runs xdotool on the display.
func (d *display) xdo(args ...string) (string, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+d.name)
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// waitWindow polls until a window titled title exists, returning its id.
func (d *display) waitWindow(t *testing.T, title string, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if id, err := d.xdo("search", "--name", "^"+title+"$"); err == nil && id != "" {
			return strings.Fields(id)[0]
		}
		time.Sleep(100 * time.Millisecond) // polling an external X server: no clock to fake
	}
	t.Fatalf("no window %q within %v", title, within)
	return ""
}

// screenshot saves the whole screen to build/screenshots/name.png and returns it.
func (d *display) screenshot(t *testing.T, name string) (string, image.Image) {
	t.Helper()
	dir := filepath.Join(repoRoot(), "build", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = append(os.Environ(), "DISPLAY="+d.name)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	return path, imagetest.Decode(t, path)
}

// colours counts distinct colours, sampling every 4th pixel.
func colours(img image.Image) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}

// startKiosk runs `signet demo --windowed` on d (the caller waits for its window).
func startKiosk(t *testing.T, d *display, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd, _ := runSignet(t, "kiosk", append(append(baseEnv(t), "DISPLAY="+d.name), env...),
		append([]string{"demo", "--windowed", "--size", "1280x800"}, args...)...)
	return cmd
}

// TestWindowSmoke starts the real binary with the GL driver under Xvfb and
// checks that its window shows a rendered screen, not a blank one.
func TestWindowSmoke(t *testing.T) {
	requireTools(t)
	d := startXvfb(t, 1280, 800)
	cmd := startKiosk(t, d, nil)
	d.waitWindow(t, "Signet", 60*time.Second)

	// The first frames may still be black: poll until the screen has content.
	var path string
	var n int
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var img image.Image
		path, img = d.screenshot(t, "window-smoke")
		if n = colours(img); n > 200 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if n <= 200 {
		t.Fatalf("screen is blank or nearly one colour (%d colours); see %s", n, path)
	}
	t.Logf("screenshot: %s (%d colours)", path, n)

	// A graceful stop: SIGTERM ends the event loop and the process exits 0.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("kiosk exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("kiosk did not exit within 15 s of SIGTERM")
	}
}
