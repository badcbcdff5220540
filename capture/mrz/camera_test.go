package mrz_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// TestSyntheticCard reads frames of the synthetic camera's card at the
// kiosk's capture distance (and a few harder ones: glare, too far): every
// one must give the demo card's zone exactly, and a frame without the card
// none. Frames the ID scan rejects as unusable (Blurred, Moving) are not
// expected to read.
func TestSyntheticCard(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		c    synthetic.Conditions
	}{
		{"sharp", synthetic.SharpSteady},
		{"turned 4°", synthetic.Conditions{Card: true, Rotate: 4}},
		{"turned -6°", synthetic.Conditions{Card: true, Rotate: -6}},
		{"upside down", synthetic.Conditions{Card: true, Rotate: 180}},
		{"quarter turn", synthetic.Conditions{Card: true, Rotate: 90, Scale: 0.35}},
		{"off centre", synthetic.Conditions{Card: true, X: 0.1, Y: -0.08}},
		{"tilted", synthetic.Tilted},
		{"dim and noisy", synthetic.Dark},
		{"slightly soft", synthetic.Conditions{Card: true, Blur: 1.5}},
		{"turned 15°", synthetic.Conditions{Card: true, Rotate: 15}},
		{"glare", synthetic.Glaring},
		{"far", synthetic.Far},
	}
	sizes := [][2]int{{1280, 720}, {1920, 1080}}
	if mrz.RaceEnabled {
		sizes = sizes[:1]
	}
	for _, size := range sizes {
		r := synthetic.New(size[0], size[1], 7)
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%dx%d %s", size[0], size[1], tc.name), func(t *testing.T) {
				img, _ := r.RenderFrame(tc.c, 0)
				start := time.Now()
				res, err := mrz.Read(context.Background(), img, mrz.WithNow(now))
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				t.Logf("read in %v", time.Since(start).Round(time.Millisecond))
				if diff := cmp.Diff(demodata.CardMRZ[:], res.Lines); diff != "" || !res.Valid {
					t.Errorf("valid=%t, lines (-want +got):\n%s", res.Valid, diff)
				}
				d := res.Document()
				if d.Type != mrz.TypeIdentityCard || d.Number != demodata.CardNumber || d.ExpirationDate != demodata.CardExpiry {
					t.Errorf("document = %+v", d)
				}
			})
		}
	}
	img, _ := synthetic.New(1280, 720, 7).RenderFrame(synthetic.NoCard, 0)
	if res, err := mrz.Read(context.Background(), img); err == nil {
		t.Errorf("empty desk: read %v, want ErrNotFound", res)
	}
}
