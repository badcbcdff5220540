package mrz

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/internal/demodata"
)

func TestCountryAlpha2(t *testing.T) {
	tests := []struct {
		code string
		want string
		ok   bool
	}{
		{"DEU", "DE", true},
		{"D", "DE", true},
		{"D<<", "DE", true},
		{"GBR", "GB", true},
		{"GBD", "GB", true},
		{"GBN", "GB", true},
		{"GBO", "GB", true},
		{"GBP", "GB", true},
		{"GBS", "GB", true},
		{"NLD", "NL", true},
		{"CHE", "CH", true},
		{"TWN", "TW", true},
		{"SSD", "SS", true},
		{"RKS", "XK", true},
		{"EUE", "EU", true},
		{"UNO", "UN", true},
		{"UNA", "UN", true},
		{"UNK", "UN", true},
		{"UTO", "", true},
		{"XXA", "", true},
		{"XXX", "", true},
		{"usa", "US", true},
		{"QQQ", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		got, ok := CountryAlpha2(tc.code)
		if got != tc.want || ok != tc.ok {
			t.Errorf("CountryAlpha2(%q) = %q, %t; want %q, %t", tc.code, got, ok, tc.want, tc.ok)
		}
	}
	if len(iso3to2) != 249 {
		t.Errorf("%d ISO 3166-1 codes, want 249", len(iso3to2))
	}
}

func TestDocumentType(t *testing.T) {
	tests := map[string]string{
		"P": TypePassport, "PD": TypePassport, "I": TypeIdentityCard, "ID": TypeIdentityCard,
		"A": TypeIdentityCard, "AC": TypeIdentityCard, "C": TypeIdentityCard, "V": TypeVisa, "VB": TypeVisa,
		"X": "", "": "",
	}
	for code, want := range tests {
		if got := DocumentType(code); got != want {
			t.Errorf("DocumentType(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestResultDocument(t *testing.T) {
	tests := []struct {
		lines []string
		want  Document
	}{
		{demodata.CardMRZ[:], Document{Type: TypeIdentityCard, Number: demodata.CardNumber, ExpirationDate: demodata.CardExpiry,
			IssuingState: demodata.CardState, Surname: "ERIKSSON", GivenNames: "ANNA MARIA", BirthDate: "1974-08-12", Sex: "F", Nationality: "UTO"}},
		{[]string{"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125F2702283<<<<<<<<<<<<<<<4"},
			Document{Type: TypePassport, Number: "C01X00T47", ExpirationDate: "2027-02-28", IssuingCountryCode: "DE", IssuingState: "D",
				Surname: "MUSTERMANN", GivenNames: "ERIKA", BirthDate: "1964-08-12", Sex: "F", NationalityCode: "DE", Nationality: "D"}},
	}
	for _, tc := range tests {
		r, err := Parse(tc.lines, WithNow(testNow))
		if err != nil {
			t.Fatal(err)
		}
		if !r.Valid {
			t.Errorf("%v: not valid: %v", tc.lines, r.Checks)
		}
		if diff := cmp.Diff(tc.want, r.Document()); diff != "" {
			t.Errorf("Document (-want +got):\n%s", diff)
		}
	}
}
