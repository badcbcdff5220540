package config

import (
	"os"
	"path/filepath"
	"testing"
)

// [desk] guest_display takes a monitor's name or a geometry; anything else
// is refused at start, naming the key and saying what to write.
func TestDeskGuestDisplay(t *testing.T) {
	dir := t.TempDir()
	for value, ok := range map[string]bool{`""`: true, `"HDMI-2"`: true, `"1280x800+1280+0"`: true,
		`"HDMI 2"`: false, `"1280x800"`: false, `"50x50+0+0"`: false} {
		path := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(path, []byte("[desk]\nguest_display = "+value+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(path, true, func(string) string { return "" })
		if ok {
			if err != nil {
				t.Errorf("%s: %v", value, err)
			} else if want := value[1 : len(value)-1]; c.Desk.GuestDisplay != want {
				t.Errorf("%s reads as %q", value, c.Desk.GuestDisplay)
			}
			continue
		}
		namesKey(t, err, "desk.guest_display", value[1:len(value)-1])
	}
	if Default().Desk.GuestDisplay != "" {
		t.Error("a guest display by default")
	}
}
