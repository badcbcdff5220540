package idscan

import (
	"image"
	"math/bits"
	"testing"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
)

// sideFingerprint finds the card in a frame as the kiosk does (the live
// checks' outline, else the guide) and fingerprints it.
func sideFingerprint(t testing.TB, img *image.RGBA) Fingerprint {
	t.Helper()
	w, h := img.Rect.Dx(), img.Rect.Dy()
	y := luma(img)
	rep, err := NewAnalyzer(Thresholds{}).Recheck(y, guideOf(w, h))
	if err != nil {
		t.Fatal(err)
	}
	fp, err := FingerprintOf(y, rep.Outline())
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

func TestSameSide(t *testing.T) {
	const w, h = 640, 360
	front := func(c synthetic.Conditions) *image.RGBA { img, _ := frontWith(w, h, c); return img }
	ref := sideFingerprint(t, front(synthetic.SharpSteady))
	refBack := sideFingerprint(t, backWith(w, h, synthetic.SharpSteady))
	tests := []struct {
		name string
		img  *image.RGBA
		same bool
	}{
		{"front again", front(synthetic.SharpSteady), true},
		{"front shifted", front(synthetic.Conditions{X: 0.04, Y: -0.03}), true},
		{"front turned 4°", front(synthetic.Conditions{Rotate: 4}), true},
		{"front tilted", front(synthetic.Tilted), true},
		{"front a little closer", front(synthetic.Conditions{Scale: 0.6}), true},
		{"front in dim light, noisy", front(synthetic.Dark), true},
		{"front brighter", front(synthetic.Conditions{Noise: 4, Dark: -0.2}), true},
		// Blur 1.5 at 640×360 (3 at 1280×720, clearly blurred); at twice
		// that the edge finder takes the header band's lower edge for the
		// card's top, and the crop, not the hash, differs.
		{"front blurred", front(synthetic.Conditions{Blur: 1.5}), true},
		{"front with glare", front(synthetic.Glaring), true},
		{"front upside down", front(synthetic.Conditions{Rotate: 180}), true},
		{"back", backWith(w, h, synthetic.SharpSteady), false},
		{"back shifted and turned", backWith(w, h, synthetic.Conditions{X: 0.04, Rotate: -5}), false},
		{"back tilted", backWith(w, h, synthetic.Tilted), false},
		{"back upside down", backWith(w, h, synthetic.Conditions{Rotate: 180}), false},
		{"back in dim light", backWith(w, h, synthetic.Dark), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fp := sideFingerprint(t, tt.img)
			d := Distance(ref, fp)
			t.Logf("distance to the front %d, to the back %d", d, Distance(refBack, fp))
			if got := SameSide(ref, fp); got != tt.same {
				t.Errorf("SameSide = %v (distance %d, threshold %d), want %v", got, d, SameSideThreshold, tt.same)
			}
			// The back, compared with the back, is the same side: the
			// check is symmetric in what it recognises.
			if !tt.same && !SameSide(refBack, fp) {
				t.Errorf("not recognised as the back (distance %d)", Distance(refBack, fp))
			}
		})
	}
}

func TestFingerprintBits(t *testing.T) {
	fp := sideFingerprint(t, backWith(640, 360, synthetic.SharpSteady))
	// 63 bits compared with their median: about half set, bit 63 never.
	if n := bits.OnesCount64(fp.Hash); n < 28 || n > 35 || fp.Hash>>63 != 0 {
		t.Errorf("hash %064b has %d bits set", fp.Hash, n)
	}
	if fp.Hash == fp.Turned {
		t.Error("the turned hash equals the hash")
	}
	if Distance(fp, Fingerprint{Hash: fp.Turned, Turned: fp.Hash}) != 0 {
		t.Error("a card turned 180° is not at distance 0 from itself")
	}
}

func TestFingerprintRefusesBadInput(t *testing.T) {
	y := image.NewGray(image.Rect(0, 0, 100, 60))
	if _, err := FingerprintOf(nil, QuadFromRect(y.Rect)); err != ErrEmptyFrame {
		t.Errorf("nil: %v", err)
	}
	if _, err := FingerprintOf(y, Quad{}); err != ErrBadOutline {
		t.Errorf("zero outline: %v", err)
	}
	if _, err := FingerprintOf(y, QuadFromRect(image.Rect(200, 200, 300, 260))); err != ErrBadOutline {
		t.Errorf("outline outside: %v", err)
	}
	// An outline partly outside the frame samples its edge: no panic.
	if _, err := FingerprintOf(y, QuadFromRect(image.Rect(-50, -20, 80, 50))); err != nil {
		t.Errorf("outline partly outside: %v", err)
	}
}

// BenchmarkFingerprint1080p is one side's fingerprint from a 1080p frame
// and its outline (the live checks' own cost is BenchmarkAnalyze1080p).
func BenchmarkFingerprint1080p(b *testing.B) {
	img, _ := frontWith(1920, 1080, synthetic.Tilted)
	y := luma(img)
	rep, _ := NewAnalyzer(Thresholds{}).Recheck(y, guideOf(1920, 1080))
	q := rep.Outline()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FingerprintOf(y, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPresence1080p is manual capture's document check on a 1080p
// frame with nothing in it (the slower case: the card is looked for twice).
func BenchmarkPresence1080p(b *testing.B) {
	img, _ := render(1920, 1080, synthetic.NoCard)
	y, g := luma(img), guideOf(1920, 1080)
	an := NewAnalyzer(Thresholds{})
	an.Presence(y, g)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := an.Presence(y, g); err != nil {
			b.Fatal(err)
		}
	}
}
