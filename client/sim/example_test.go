package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"

	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
)

func ExampleServer() {
	s := sim.New(sim.WithSeed(42))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // stops the server
	if _, err := s.Start(ctx, "127.0.0.1:0"); err != nil {
		panic(err)
	}

	c, _ := storegister.NewClient(s.StoRegisterURL(), demodata.StoRegisterAPIKey)
	var sig bytes.Buffer
	png.Encode(&sig, image.NewNRGBA(image.Rect(0, 0, 288, 112)))
	if _, err := c.SaveSignature(ctx, demodata.People[0].BookingID, sig.Bytes()); err != nil {
		panic(err)
	}

	got := s.Signatures()
	fmt.Println(len(got), got[0].Width, got[0].Height)

	// Faults apply from the next request: a booking that now fails once.
	s.SetFaults(sim.Faults{FailRate: 1, FailCode: "INVALID_PARAM_SIGNATURE", Limit: 1})
	_, err := c.SaveSignature(ctx, demodata.People[0].BookingID, sig.Bytes())
	fmt.Println(storegister.TranslationKey(err))
	// Output:
	// 1 288 112
	// error.storegister.INVALID_PARAM_SIGNATURE
}
