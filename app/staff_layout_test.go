package app

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// TestStaffScreensFit checks that every staff screen fits the kiosk's
// 1280×800 in every language, with the demo badge and full data shown: a
// window never shrinks back once a screen has made it grow.
func TestStaffScreensFit(t *testing.T) {
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN), demo: true})
	k := r.k
	c := staffOf(k)
	anna := demodata.People[0]
	cu := mews.Customer{ID: anna.MewsCustomerID, FirstName: anna.FirstName, LastName: "García López-Fernández de la Vega", Email: "a.very.long.address.for.testing@example.com"}
	doc := mews.Document{ID: "d1", CustomerID: cu.ID, Type: mews.DriversLicense, Number: "X1234567890123",
		ExpirationDate: mews.Date{Year: 2031, Month: 5, Day: 1}, IssuanceDate: mews.Date{Year: 2021, Month: 5, Day: 1},
		IssuingCountryCode: "NL", IssuingCity: "Rotterdam-Albrandswaard"}
	max := fyne.NewSize(1280, 800)
	for _, lang := range []string{"en", "fr", "es", "de", "nl"} {
		onUI(k, func() {
			k.tr.SetLanguage(lang)
			s := c.s
			s.Open = true
			s.Customers = []mews.Customer{cu, cu, cu}
			s.Searched = true
			s.Customer = &cu
			s.Docs = []mews.Document{doc, doc, doc, doc, doc}
			s.Health = staff.NewHealth(staff.Probe{Done: true, Err: errors.New("x")}, staff.Probe{Done: true, Err: errors.New("y")})
			s.Problem = staff.Note{Text: "The identity document number is required."}
			screens := map[string]func() fyne.CanvasObject{
				"pin": c.pinScreen, "customers": c.customersScreen, "documents": c.documentsScreen,
				"health": c.healthScreen,
				"add":    func() fyne.CanvasObject { s.Form = staff.FormOf(nil); return c.formScreen() },
				"edit": func() fyne.CanvasObject {
					s.Form = staff.FormOf(&doc)
					s.Form.FromScan = true
					return c.formScreen()
				},
			}
			for name, build := range screens {
				if got := build().MinSize(); got.Width > max.Width || got.Height > max.Height {
					t.Errorf("%s %s screen needs %v, more than %v", lang, name, got, max)
				}
			}
			s.Open = false
			if got := c.pinScreen().MinSize(); got.Width > max.Width || got.Height > max.Height {
				t.Errorf("%s locked PIN screen needs %v", lang, got)
			}
			s.StopHealth()
		})
	}
}
