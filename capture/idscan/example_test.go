package idscan_test

import (
	"fmt"
	"image"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/frame"
	"github.com/signet-kiosk/signet/capture/idscan"
)

// lumaOf is what the camera hands over for each frame: its luma plane.
func lumaOf(img *image.RGBA) *image.Gray {
	g := image.NewGray(img.Rect)
	if err := frame.RGBALuma(g, img); err != nil {
		panic(err) // an image whose origin is not (0,0)
	}
	return g
}

// A scan loop: preview frames until auto-capture asks for the full frame,
// then the full frame is rechecked and turned into the upload.
func ExampleScanner() {
	cam := synthetic.New(1280, 720, 1)
	guide := idscan.Guide(1280, 720, idscan.CardAspect, idscan.DefaultGuideFill)
	clock := time.Unix(0, 0) // a fake clock: one frame every 1/30 s
	s := idscan.NewScanner(idscan.DefaultThresholds(), idscan.WithClock(func() time.Time { return clock }))
	doc := idscan.Classify("Identity card", nil)
	for i := 0; i < 60; i++ {
		t := time.Duration(i) * time.Second / 30
		clock = time.Unix(0, 0).Add(t)
		frame, _ := cam.RenderFrame(synthetic.SharpSteady, t)
		step, err := s.Preview(lumaOf(frame), guide)
		if err != nil {
			fmt.Println(err)
			return
		}
		if !step.Capture {
			continue // show step.Hint and step.Progress
		}
		rep, err := s.Confirm(lumaOf(frame), guide) // here: the same frame
		if err != nil {
			fmt.Println(err)
			return
		}
		still, err := idscan.MakeStill(frame, rep.Outline(), doc.Filename(idscan.SideFront), idscan.DefaultStillOptions())
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("captured after %v: %s %s %dx%d\n", t, still.Filename, still.ContentType, still.Width, still.Height)
		return
	}
	// Output: captured after 533.333333ms: identity-card-front.jpg image/jpeg 704x443
}

func ExampleClassify() {
	for _, name := range []string{"Passeport", "Carte d'identité", "Rijbewijs"} {
		d := idscan.Classify(name, nil)
		fmt.Println(name, "→", len(d.Sides), "side(s):", d.Filename(idscan.SideFront))
	}
	// Output:
	// Passeport → 1 side(s): passport-front.jpg
	// Carte d'identité → 2 side(s): identity-card-front.jpg
	// Rijbewijs → 2 side(s): driving-licence-front.jpg
}

func ExampleReport_Hint() {
	cam := synthetic.New(640, 360, 1)
	guide := idscan.Guide(640, 360, idscan.CardAspect, idscan.DefaultGuideFill)
	an := idscan.NewAnalyzer(idscan.DefaultThresholds())
	for _, c := range []synthetic.Conditions{synthetic.NoCard, synthetic.Far, synthetic.Glaring, synthetic.Dark} {
		frame, _ := cam.RenderFrame(c, 0)
		rep, _ := an.Analyze(lumaOf(frame), guide)
		fmt.Println(rep.Hint())
	}
	// Output:
	// hint.place_card
	// hint.move_closer
	// hint.tilt_glare
	// hint.more_light
}
