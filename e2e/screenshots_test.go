package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// guestTaps are where the guest screens put what the sweep taps, at
// 1280×800, in one display mode (the layout moves with "Larger text" and
// "Easy reach"; the language does not move these).
type guestTaps struct {
	start, primary, idCard, usePhoto [2]int
	// mode turns the display mode on from the attract screen: the
	// Accessibility button, the mode's toggle, then Done.
	mode [][2]int
	// sign is the signature pad's left middle: the stroke starts there.
	sign [2]int
}

var (
	// The primary action's right end: it stays under the pointer however
	// wide its label makes it.
	normalTaps = guestTaps{start: [2]int{640, 425}, primary: [2]int{1230, 770}, idCard: tapIDCard, usePhoto: tapUsePhoto, sign: [2]int{220, 470}}
	// The Accessibility button on the English attract screen, the panel's
	// three toggles and its Done (the panel is centred).
	tapA11y     = [2]int{905, 761}
	tapLarger   = [2]int{640, 279}
	tapContrast = [2]int{640, 359}
	tapReach    = [2]int{640, 439}
)

// modeTaps is each display mode's set, in English.
var modeTaps = map[string]guestTaps{
	"larger":   withPhoto(withMode(normalTaps, tapA11y, tapLarger, [2]int{907, 592}), [2]int{790, 672}),
	"contrast": withMode(normalTaps, tapA11y, tapContrast, [2]int{914, 582}),
	// Easy reach: the panel stands at the bottom, the body below the top third.
	"reach": withIDCard(withMode(normalTaps, tapA11y, tapReach, [2]int{916, 740}), [2]int{874, 387}),
}

func withIDCard(g guestTaps, p [2]int) guestTaps {
	g.idCard = p
	return g
}

func withPhoto(g guestTaps, p [2]int) guestTaps {
	g.usePhoto = p
	return g
}

func withMode(g guestTaps, taps ...[2]int) guestTaps {
	g.mode = taps
	return g
}

// TestGuestScreenshots walks every guest screen through the real window in
// every language, then in each display mode in English, and keeps each as
// docs/screenshots/<lang>-NN-<screen>.png (<lang>-<mode>-NN-<screen>.png),
// the same NN in every language. It takes minutes, so it runs only with
// SIGNET_UPDATE_SCREENSHOTS=1; the fit test (app) checks the same screens
// headless on every run.
func TestGuestScreenshots(t *testing.T) {
	if os.Getenv("SIGNET_UPDATE_SCREENSHOTS") != "1" {
		t.Skip("SIGNET_UPDATE_SCREENSHOTS=1 walks every guest screen in every language and display mode")
	}
	requireTools(t)
	_, simURL := startSim(t)
	for _, lang := range []string{"en", "fr", "es", "de", "nl"} {
		t.Run(lang, func(t *testing.T) {
			walkGuest(t, startDemo(t, simURL, "--lang", lang), lang, normalTaps)
		})
	}
	for _, mode := range []string{"larger", "contrast", "reach"} {
		t.Run(mode, func(t *testing.T) {
			walkGuest(t, startDemo(t, simURL, "--lang", "en"), "en-"+mode, modeTaps[mode])
		})
	}
}

// walkGuest takes the guest through a move-in, keeping a screenshot of
// each screen under prefix.
func walkGuest(t *testing.T, k *kioskRun, prefix string, at guestTaps) {
	shot := func(n int, name string) { k.keep(fmt.Sprintf("%s-%02d-%s", prefix, n, name)) }
	if len(at.mode) == 3 { // Accessibility, the mode, Done
		time.Sleep(2 * time.Second)
		k.tap(at.mode[0])
		time.Sleep(2 * time.Second) // the panel opens
		k.tap(at.mode[1])
		k.waitLog("display modes changed", 1, 30*time.Second)
		time.Sleep(2 * time.Second) // the panel is built again, in the mode
		path, _ := k.d.screenshot(t, prefix+"-panel")
		t.Logf("the panel in the mode: %s", path)
		k.tap(at.mode[2])
		time.Sleep(2 * time.Second)
	}
	shot(1, "attract")
	k.tap(at.start)
	k.screen("find-booking", 1, 30*time.Second)
	shot(2, "find-booking")
	k.screen("confirm-booking", 1, 60*time.Second) // the synthetic camera shows the QR sheet
	shot(3, "confirm")
	k.tap(at.primary)
	k.screen("document-type", 1, 30*time.Second)
	shot(4, "document-type")
	k.tap(at.idCard)
	k.screen("capture", 1, 30*time.Second)
	time.Sleep(3 * time.Second) // the card enters, blurred: the live hints show
	shot(5, "capture")
	k.screen("review", 1, 60*time.Second)
	shot(6, "review")
	k.tap(at.usePhoto)
	k.screen("review", 2, 60*time.Second)
	k.tap(at.usePhoto)
	k.screen("details", 1, 30*time.Second)
	shot(7, "details")
	k.tap(at.primary)
	k.screen("signature", 1, 30*time.Second)
	shot(8, "signature-empty")
	k.tap(at.primary) // Sign and send with no ink: refused with a sentence
	shot(9, "signature-refused")
	x, y := at.sign[0], at.sign[1]
	if _, err := k.d.xdo("mousemove", "--window", k.win, fmt.Sprint(x), fmt.Sprint(y+10), "mousedown", "1"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= 48; i++ {
		k.d.xdo("mousemove", "--window", k.win, fmt.Sprint(x+i*17), fmt.Sprint(y+[]int{0, 18, 30, 18, 0, -22, -34, -20}[i%8]))
		time.Sleep(20 * time.Millisecond)
	}
	k.d.xdo("mouseup", "1")
	shot(10, "signature")
	k.tap(at.primary)
	k.screen("done", 1, 60*time.Second)
	shot(11, "done")
}

// keep takes a screenshot as shot does and writes it to docs/screenshots
// as an 8-bit PNG, which keeps the set small.
func (k *kioskRun) keep(name string) {
	k.t.Helper()
	// The kiosk logs a screen as it builds it; under load the window
	// shows it a little later.
	time.Sleep(1500 * time.Millisecond)
	k.shot(name)
	src := filepath.Join(repoRoot(), "build", "screenshots", name+".png")
	dst := filepath.Join(repoRoot(), "docs", "screenshots", name+".png")
	if out, err := exec.Command("convert", src, "+dither", "-colors", "256", "PNG8:"+dst).CombinedOutput(); err != nil {
		k.t.Errorf("convert %s: %v\n%s", name, err, out)
	}
}
