package staff

import (
	"context"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/app/staff/stafftest"
	"github.com/signet-kiosk/signet/client/sim"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Müller": "muller", "Sofía": "sofia", "García López": "garcia lopez", "Straße": "strasse",
		"Øster": "oster", "ŁUKASZ": "lukasz", "François": "francois", "de Vries": "de vries", "": "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// The keyboard of the kiosk has no accents (and staff do not always know
// them): a name typed without them finds the customer in house.
func TestSearchIgnoresAccents(t *testing.T) {
	srv := sim.New()
	if _, err := srv.Start(context.Background(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	rec := &stafftest.Recorder{}
	mc := stafftest.Mews(t, srv, rec)
	for _, tc := range []struct{ q, want string }{
		{"muller", "Müller"}, {"MULLER", "Müller"}, {"lukas muller", "Müller"}, {"sofia", "Sofía"},
		{"SOFIA GARCIA", "García López"}, {"garcia lopez", "García López"}, {"Müller", "Müller"},
	} {
		found, err := FindCustomers(context.Background(), mc, tc.q, false)
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		if len(found) != 1 || !strings.Contains(found[0].FirstName+" "+found[0].LastName, tc.want) {
			t.Errorf("%q found %d customers %v, want the one called %s", tc.q, len(found), found, tc.want)
		}
	}
	// A name no one has finds no one, in at most two requests.
	before := rec.Count("customers/search")
	if found, err := FindCustomers(context.Background(), mc, "zuniga", false); err != nil || len(found) != 0 {
		t.Errorf("zuniga: %v, %v", found, err)
	}
	if n := rec.Count("customers/search") - before; n > 2 {
		t.Errorf("one search took %d requests", n)
	}
}

func TestMarklessKey(t *testing.T) {
	for q, want := range map[string]string{"muller": "m", "SOFIA": "f", "garcia": "rc", "eia": "", "kempf": "mpf"} {
		if got := marklessKey(q); got != want {
			t.Errorf("marklessKey(%q) = %q, want %q", q, got, want)
		}
	}
}

// Remove all asks for the last name; the keyboard may have no accents.
func TestSameNameIgnoresAccents(t *testing.T) {
	if !SameName("garcia lopez", "García López") || !SameName("MULLER", "Müller") || SameName("garcia", "García López") {
		t.Error("SameName does not compare without accents")
	}
}
