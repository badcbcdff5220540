package scan

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/idscan"
)

// Issue 17, finding 4: "Take photo now" captured an empty table as the
// card's back, and auto-capture accepted the front again as the back.

// The shutter refuses a frame without a document and says why; with the
// card in view it takes it.
func TestShutterRefusesNoDocument(t *testing.T) {
	for _, tc := range []struct {
		name string
		cond synthetic.Conditions
		want idscan.Absence
	}{
		{"empty desk", synthetic.NoCard, idscan.AbsenceBlank},
		{"dark", synthetic.Conditions{Dark: 1}, idscan.AbsenceDark},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCamera(t, tc.cond)
			l := New(context.Background(), Options{Now: c.now})
			defer l.Close()
			for range 3 { // the refusal holds frame after frame
				l.Shutter()
				u, err := l.Feed(c.frame())
				if err != nil || u.Still != nil || l.Still() != nil || !u.Manual || !u.Checked {
					t.Fatalf("shutter on %s: %+v, %v", tc.name, u, err)
				}
				if u.Refused != string(tc.want) {
					t.Fatalf("refused %q, want %q", u.Refused, tc.want)
				}
			}
			// Without the shutter, a frame is only checked.
			if u, _ := l.Feed(c.frame()); u.Refused != "" || u.Manual {
				t.Errorf("a frame without the shutter: %+v", u)
			}
			c.cond = synthetic.Blurred // a card, not good enough for auto-capture
			l.Shutter()
			if u, err := l.Feed(c.frame()); err != nil || u.Still == nil || u.Refused != "" {
				t.Errorf("shutter on a card: %+v, %v", u, err)
			}
		})
	}
}

// frameOfBack is the camera's frame with the card turned over.
func (c *camera) frameOfBack() Frame {
	c.mu.Lock()
	cond := c.cond
	cond.Back = true
	rgba, _ := c.r.RenderFrame(cond, c.t)
	c.t += 40 * time.Millisecond
	c.mu.Unlock()
	return lumaFrame(rgba)
}

// The back's scan is told the front's fingerprint: auto-capture passes
// over the front shown again and says to turn the card over, the shutter
// refuses it with the same sentence, and the back is taken either way.
func TestBackMustDifferFromFront(t *testing.T) {
	c := newCamera(t, synthetic.SharpSteady)
	front := New(context.Background(), Options{Now: c.now})
	feedUntilStill(t, front, c, 200)
	if _, ok := front.Taken(); ok {
		t.Fatal("a fingerprint before anything was taken")
	}
	if front.Take() == nil {
		t.Fatal("no front to take")
	}
	fp, ok := front.Taken()
	front.Close()
	if !ok {
		t.Fatal("the front taken has no fingerprint")
	}

	back := New(context.Background(), Options{Now: c.now, Avoid: &fp})
	defer back.Close()
	turnOver := 0
	for i := range 100 { // 4 s of the front again: auto-capture holds 0.6 s
		u, err := back.Feed(c.frame())
		if err != nil && !errors.Is(err, idscan.ErrBlurred) {
			t.Fatalf("frame %d: %v", i, err)
		}
		if u.Still != nil {
			t.Fatalf("frame %d: the front was taken as the back", i)
		}
		if u.Hint == idscan.HintTurnOver {
			turnOver++
		}
	}
	if turnOver < 50 {
		t.Errorf("the guest was told to turn the card over on %d frames of 100", turnOver)
	}
	back.Shutter()
	u, err := back.Feed(c.frame())
	if err != nil || u.Still != nil || u.Refused != string(idscan.HintTurnOver) {
		t.Fatalf("shutter on the front again: %+v, %v", u, err)
	}

	// The card turned over: taken by the shutter, and on its own.
	back.Shutter()
	if u, err := back.Feed(c.frameOfBack()); err != nil || u.Still == nil || u.Refused != "" {
		t.Fatalf("shutter on the back: %+v, %v", u, err)
	}
	back.Retake()
	var got Update
	for i := 0; i < 200 && got.Still == nil; i++ {
		got, err = back.Feed(c.frameOfBack())
		if err != nil && !errors.Is(err, idscan.ErrBlurred) {
			t.Fatalf("back frame %d: %v", i, err)
		}
	}
	if got.Still == nil || got.Manual {
		t.Fatalf("the back was not auto-captured: %+v", got)
	}
	if got.Report.Sharpness.Value <= 0 || got.Report.Card.Value <= 0 {
		t.Errorf("the still's report has no scores: %+v", got.Report)
	}
}
