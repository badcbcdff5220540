package app

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app/flow/flowtest"
)

// TestOverlayScreens shows the help pop-up and the "Still there?"
// countdown, checks them, and with SIGNET_UPDATE_SCREENSHOTS=1 keeps their
// pictures in docs/screenshots (painted by Fyne's software painter: they
// are modal overlays the window tests cannot dismiss by position).
func TestOverlayScreens(t *testing.T) {
	clk := &flowtest.Clock{}
	k := newClockKiosk(t, clk)
	tap(t, k, "Touch to start")
	tap(t, k, "Call staff")
	keep(t, k, "en-12-help")
	// The call holds the session (TestStaffCallHoldsTheSession); once
	// cancelled, the countdown comes 60 s later.
	tap(t, k, "Cancel the call")
	clk.Advance(61 * time.Second)
	onUI(k, func() {
		if k.warn == nil || !k.idle.Warning() {
			t.Fatal("no countdown after 61 s")
		}
	})
	keep(t, k, "en-13-still-there")
}

func keep(t *testing.T, k *Kiosk, name string) {
	t.Helper()
	if os.Getenv("SIGNET_UPDATE_SCREENSHOTS") != "1" {
		return
	}
	var f *os.File
	onUI(k, func() {
		img := k.win.Canvas().Capture()
		var err error
		if f, err = os.Create(filepath.Join("..", "docs", "screenshots", name+".png")); err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	})
}
