package e2e

import (
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/demodata"
)

// Where the guest screens put their controls at 1280×800 (the layout is
// fixed at that size; app's TestEveryScreenFits keeps it so).
var (
	tapStart        = [2]int{640, 417}  // attract: Touch to start
	tapPrimary      = [2]int{1100, 757} // bottom-right: Find, Yes, Next, Sign and send
	tapBookingField = [2]int{860, 218}  // find booking: the booking-reference field
	tapIDCard       = [2]int{874, 306}  // document type: Identity card
	tapUsePhoto     = [2]int{766, 656}  // review: Use this photo
)

// kioskRun is a signet demo process on a private display with its log.
type kioskRun struct {
	t   *testing.T
	d   *display
	win string
	log string
}

func (k *kioskRun) tap(p [2]int) {
	k.t.Helper()
	if _, err := k.d.xdo("mousemove", "--window", k.win, fmt.Sprint(p[0]), fmt.Sprint(p[1]), "click", "1"); err != nil {
		k.t.Fatalf("xdotool tap %v: %v", p, err)
	}
}

// waitLog waits until the kiosk's log holds n lines containing text: each
// step of the flow logs what it did, which is how the test keeps pace.
func (k *kioskRun) waitLog(text string, n int, within time.Duration) {
	k.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(k.log)
		if strings.Count(string(b), text) >= n {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b, _ := os.ReadFile(k.log)
	k.t.Fatalf("no %d× %q in the kiosk log within %v:\n%s", n, text, within, b)
}

// screen waits until the kiosk has shown its n-th screen called name (it
// logs each at debug level), so a tap lands on that screen, not the last.
func (k *kioskRun) screen(name string, n int, within time.Duration) {
	k.t.Helper()
	k.waitLog("screen="+name+"\n", n, within)
}

// shot saves a screenshot once the screen is drawn, as build/screenshots/NAME.png,
// and also under docs/screenshots when SIGNET_UPDATE_SCREENSHOTS=1.
func (k *kioskRun) shot(name string) {
	k.t.Helper()
	time.Sleep(300 * time.Millisecond) // the frame after a change
	var path string
	n := 0
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var img image.Image
		path, img = k.d.screenshot(k.t, name)
		if n = colours(img); n >= 50 {
			break
		}
	}
	if n < 50 {
		k.t.Errorf("%s looks blank (%d colours)", name, n)
	}
	if os.Getenv("SIGNET_UPDATE_SCREENSHOTS") == "1" {
		copyFile(k.t, path, filepath.Join(repoRoot(), "docs", "screenshots", name+".png"))
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
}

// startDemo runs signet demo against the simulator at simURL.
func startDemo(t *testing.T, simURL string, args ...string) *kioskRun {
	t.Helper()
	d := startXvfb(t, 1280, 800)
	_, logPath := runSignet(t, "kiosk", append(baseEnv(t), "DISPLAY="+d.name, "SIGNET_LOG_LEVEL=debug"),
		append([]string{"demo", "--windowed", "--size", "1280x800", "--sim", simURL}, args...)...)
	win := d.waitWindow(t, "Signet", 60*time.Second)
	return &kioskRun{t: t, d: d, win: win, log: logPath}
}

// TestGuestFlowInRealWindow drives signet demo under Xvfb with synthetic
// pointer input through the whole move-in — the QR code on the synthetic
// camera, both sides of the card, the details read from its MRZ, a drawn
// signature — and checks what the simulator received.
func TestGuestFlowInRealWindow(t *testing.T) {
	requireTools(t)
	srv, simURL := startSim(t)
	k := startDemo(t, simURL)
	k.shot("en-01-attract")

	k.tap(tapStart)
	k.screen("find-booking", 1, 30*time.Second)
	k.shot("en-02-find-booking")
	k.screen("confirm-booking", 1, 60*time.Second) // the synthetic camera shows the QR sheet
	k.shot("en-03-confirm")
	k.tap(tapPrimary)
	k.screen("document-type", 1, 30*time.Second)
	k.shot("en-04-document-type")
	k.tap(tapIDCard)
	k.screen("capture", 1, 30*time.Second)
	time.Sleep(3 * time.Second) // the card enters, blurred: the live hints show
	k.shot("en-05-capture")
	k.screen("review", 1, 60*time.Second)
	k.shot("en-06-review")
	k.tap(tapUsePhoto)
	k.screen("review", 2, 60*time.Second)
	k.tap(tapUsePhoto)
	k.screen("details", 1, 30*time.Second) // after "details-busy", the Mews customer lookup
	k.shot("en-07-details")
	k.tap(tapPrimary)
	k.screen("signature", 1, 30*time.Second)
	k.shot("en-08-signature-empty")
	k.tap(tapPrimary) // Sign and send with no ink: refused with a sentence
	k.shot("en-09-signature-refused")

	// A signature: one drag of many small moves, as a finger makes.
	if _, err := k.d.xdo("mousemove", "--window", k.win, "220", "480", "mousedown", "1"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= 48; i++ {
		x := 220 + i*17
		y := 470 + []int{0, 18, 30, 18, 0, -22, -34, -20}[i%8]
		k.d.xdo("mousemove", "--window", k.win, fmt.Sprint(x), fmt.Sprint(y))
		time.Sleep(20 * time.Millisecond)
	}
	k.d.xdo("mouseup", "1")
	k.shot("en-10-signature")
	k.tap(tapPrimary)
	k.screen("done", 1, 60*time.Second)
	k.shot("en-11-done")

	sigs, docs := srv.Signatures(), srv.Documents()
	if len(sigs) != 1 || sigs[0].BookingID != demodata.People[0].BookingID || sigs[0].Width < 100 {
		t.Errorf("simulator signatures: %+v", sigs)
	}
	if len(docs) != 2 || docs[0].ContentType != "image/jpeg" || docs[1].ContentType != "image/jpeg" {
		t.Errorf("simulator documents: %d", len(docs))
	}
	var mews bool
	for _, d := range srv.MewsDocuments() {
		mews = mews || (d.CustomerID == demodata.People[0].MewsCustomerID && d.Number == demodata.CardNumber)
	}
	if !mews {
		t.Errorf("no Mews document for the tenant: %+v", srv.MewsDocuments())
	}
}

// TestAttractAndErrorInEveryLanguage keeps the attract screen and an error
// screen (a booking reference that is not one) in each language.
func TestAttractAndErrorInEveryLanguage(t *testing.T) {
	requireTools(t)
	_, simURL := startSim(t)
	for _, lang := range []string{"fr", "es", "de", "nl"} {
		t.Run(lang, func(t *testing.T) {
			k := startDemo(t, simURL, "--lang", lang)
			k.shot(lang + "-attract")
			k.tap(tapStart)
			k.screen("find-booking", 1, 30*time.Second)
			k.tap(tapPrimary) // Find with nothing typed: the sentence says what a reference looks like
			k.screen("find-booking", 2, 30*time.Second)
			k.shot(lang + "-error")
		})
	}
}
