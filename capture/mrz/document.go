package mrz

import (
	"fmt"
	"log/slog"
	"strings"
)

// Mews identity document types, as Document.Type holds them.
const (
	TypePassport     = "Passport"
	TypeIdentityCard = "IdentityCard"
	TypeVisa         = "Visa"
)

// Document is what a zone says in the terms of a Mews identity document,
// for the guest's details screen and the staff form to prefill. Empty
// fields were not readable. It holds personal data: String and LogValue
// print only the type.
type Document struct {
	Type               string // TypePassport, TypeIdentityCard, TypeVisa or "" (another code)
	Number             string
	ExpirationDate     string // YYYY-MM-DD
	IssuingCountryCode string // ISO 3166-1 alpha-2, "" when the state has none
	IssuingState       string // the ICAO code as printed
	Surname            string
	GivenNames         string
	BirthDate          string // YYYY-MM-DD
	Sex                string // "M", "F" or "X"
	NationalityCode    string // ISO 3166-1 alpha-2, "" when none
	Nationality        string // the ICAO code as printed
}

// String prints the type only.
func (d Document) String() string { return fmt.Sprintf("mrz.Document{%s}", d.Type) }

// LogValue implements slog.LogValuer without the personal fields.
func (d Document) LogValue() slog.Value { return slog.StringValue(d.String()) }

// DocumentType maps an ICAO document code to a Mews document type: P… is a
// passport, I…, A… and C… identity cards (C is a crew member certificate,
// A… and I… national identity and residence cards), V… a visa. Other codes
// map to "".
func DocumentType(code string) string {
	if code == "" {
		return ""
	}
	switch code[0] {
	case 'P':
		return TypePassport
	case 'I', 'A', 'C':
		return TypeIdentityCard
	case 'V':
		return TypeVisa
	}
	return ""
}

// CountryAlpha2 maps an ICAO 9303 state code (ISO 3166-1 alpha-3 or one of
// ICAO's own: D, GBD…GBS, EUE, UNO/UNA/UNK, RKS, UTO, XXA…) to ISO 3166-1
// alpha-2. ok is false for an unknown code; a known code that names no
// country (UTO, XXA, XPO…) gives "" and true.
func CountryAlpha2(code string) (alpha2 string, ok bool) {
	code = strings.TrimRight(strings.ToUpper(code), "<")
	if a, ok := iso3to2[code]; ok {
		return a, true
	}
	a, ok := icaoTo2[code]
	return a, ok
}

// Document maps the result onto the fields of a Mews identity document.
// Fields whose check digit failed are still filled; callers show them for
// the guest to confirm.
func (r *Result) Document() Document {
	d := Document{
		Type:           DocumentType(r.DocumentCode),
		Number:         r.Number,
		ExpirationDate: r.ExpiryDate,
		IssuingState:   r.IssuingState,
		Surname:        r.Surname,
		GivenNames:     r.GivenNames,
		BirthDate:      r.BirthDate,
		Sex:            r.Sex,
		Nationality:    r.Nationality,
	}
	d.IssuingCountryCode, _ = CountryAlpha2(r.IssuingState)
	d.NationalityCode, _ = CountryAlpha2(r.Nationality)
	return d
}
