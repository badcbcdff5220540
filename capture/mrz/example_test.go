package mrz_test

import (
	"context"
	"fmt"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/mrz"
)

func ExampleParse() {
	r, err := mrz.Parse([]string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L898902C36UTO7408122F12O4159ZE184226B<<<<<10", // a letter O in the expiry date
	}, mrz.WithNow(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	d := r.Document()
	fmt.Println(r.Format, r.Valid, r.Corrected)
	fmt.Println(d.Type, d.Number, d.ExpirationDate, d.IssuingState, d.IssuingCountryCode == "")
	fmt.Println(d.Surname, "/", d.GivenNames, d.BirthDate)
	// Output:
	// TD3 true 1
	// Passport L898902C3 2012-04-15 UTO true
	// ERIKSSON / ANNA MARIA 1974-08-12
}

func ExampleRead() {
	// A frame of the synthetic camera's demo card; in the kiosk, a still
	// from the camera.
	img, _ := synthetic.New(1280, 720, 1).RenderFrame(synthetic.SharpSteady, 0)
	r, err := mrz.Read(context.Background(), img, mrz.WithNow(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	d := r.Document()
	fmt.Println(r.Format, r.Valid)
	fmt.Println(r.Lines[0])
	fmt.Println(d.Type, d.Number, d.ExpirationDate)
	// Output:
	// TD1 true
	// I<UTOD231458907<<<<<<<<<<<<<<<
	// IdentityCard D23145890 2034-12-15
}
