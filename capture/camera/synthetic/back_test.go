package synthetic_test

import (
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
)

// The back differs from the front where it matters to the kiosk (the
// layout above the machine-readable zone) and keeps the zone.
func TestBackOfTheCard(t *testing.T) {
	r := synthetic.New(640, 360, 1)
	front, fc := r.RenderFrame(synthetic.SharpSteady, 0)
	back, bc := r.RenderFrame(synthetic.Conditions{Card: true, Back: true}, 0)
	if fc != bc {
		t.Fatalf("the back moved: %v, %v", fc, bc)
	}
	differ := 0
	for i := range front.Pix {
		if front.Pix[i] != back.Pix[i] {
			differ++
		}
	}
	if differ < len(front.Pix)/20 {
		t.Errorf("only %d of %d bytes differ between front and back", differ, len(front.Pix))
	}
	sc := synthetic.Demo().TurnedOver()
	if c, _ := sc.At(5 * time.Second); !c.Back || !c.Card {
		t.Errorf("the turned-over demo shows %+v", c)
	}
	if c, _ := sc.At(0); c.Back {
		t.Error("the empty desk is a back")
	}
}
