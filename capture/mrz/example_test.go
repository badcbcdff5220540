package mrz_test

import (
	"fmt"
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
