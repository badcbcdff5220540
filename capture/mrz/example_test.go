package mrz_test

import (
	"context"
	"fmt"
	"image"
	_ "image/jpeg"
	"os"
	"time"

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
	f, err := os.Open("../../../shared/datasets/mrz-specimens/100_pass-uto.jpg")
	if err != nil {
		return // the specimen set lives beside the repository
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := mrz.Read(context.Background(), img, mrz.WithNow(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Format, r.Valid)
	fmt.Println(r.Lines[1])
	// Output:
	// TD3 true
	// L898902C36UTO7408122F1204159ZE184226B<<<<<10
}
