package flow

import "testing"

func TestDocumentLanguage(t *testing.T) {
	for _, tc := range []struct{ nationality, issuer, want string }{
		{"DE", "DE", "de"},
		{"AT", "", "de"},
		{"FR", "FR", "fr"},
		{"MX", "MX", "es"},
		{"ES", "", "es"},
		{"NL", "NL", "nl"},
		{"GB", "GB", "en"},
		{"DE", "FR", "de"}, // a German's French residence permit
		{"", "NL", "nl"},   // no nationality in the zone: the issuer
		{"BE", "BE", ""},   // Dutch and French: no offer
		{"CH", "CH", ""},   // German, French, Italian
		{"LU", "LU", ""},
		{"CA", "CA", ""},
		{"BE", "NL", ""}, // the nationality decides, even when split
		{"IT", "IT", ""}, // not one of the kiosk's languages
		{"", "", ""},
	} {
		if got := DocumentLanguage(tc.nationality, tc.issuer); got != tc.want {
			t.Errorf("DocumentLanguage(%q, %q) = %q, want %q", tc.nationality, tc.issuer, got, tc.want)
		}
	}
}
