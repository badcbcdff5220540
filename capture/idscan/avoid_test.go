package idscan

import (
	"errors"
	"image"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
)

// The review: auto-capture took the front again as the back. With the
// front's fingerprint given to Avoid, the front never starts a hold and
// the back is captured.
func TestAutoCaptureAvoidsTheFrontAgain(t *testing.T) {
	const w, h = 640, 360
	g := guideOf(w, h)
	front, _ := frontWith(w, h, synthetic.SharpSteady)
	back := backWith(w, h, synthetic.Conditions{X: 0.02})
	fpFront := sideFingerprint(t, front)

	c := &fakeClock{t: time.Date(2030, 6, 15, 9, 0, 0, 0, time.UTC)}
	s := NewScanner(Thresholds{}, WithClock(c.now))
	s.Avoid(&fpFront)
	feed := func(img *image.RGBA, n int) (captured bool, last Step) {
		y := luma(img)
		for range n {
			st, err := s.Preview(y, g)
			if err != nil {
				t.Fatal(err)
			}
			last = st
			if st.Capture {
				return true, st
			}
			c.t = c.t.Add(100 * time.Millisecond)
		}
		return false, last
	}
	if captured, st := feed(front, 20); captured || !st.SameSide || st.Hint != HintTurnOver || st.Progress != 0 {
		t.Fatalf("the front again: captured %v, step %+v", captured, st)
	}
	if _, err := s.Confirm(luma(front), g); !errors.Is(err, ErrSameSide) {
		t.Errorf("Confirm on the front: %v, want ErrSameSide", err)
	}
	if _, err := s.Shutter(luma(front), g); !errors.Is(err, ErrSameSide) {
		t.Errorf("Shutter on the front: %v, want ErrSameSide", err)
	}
	captured, st := feed(back, 20)
	if !captured || st.SameSide {
		t.Fatalf("the back was not captured: %+v", st)
	}
	if _, err := s.Confirm(luma(back), g); err != nil {
		t.Errorf("Confirm on the back: %v", err)
	}
	s.Avoid(nil)
	s.Reset()
	if captured, _ := feed(front, 20); !captured {
		t.Error("with nothing avoided the front is not captured")
	}
}
