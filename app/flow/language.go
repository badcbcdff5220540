package flow

// documentLanguages maps a country (ISO 3166-1 alpha-2, as the machine-
// readable zone's nationality or issuing state resolves to) to the kiosk
// language its people most likely read: only countries where one of the
// five languages is the sole official language, or overwhelmingly the
// language of daily life. Countries split between two of them get no
// offer: Belgium (Dutch and French), Switzerland (German, French,
// Italian), Luxembourg (Luxembourgish, French, German), Canada (English
// and French). A wrong guess costs the guest a "No, thank you"; a guess
// on a split country would be wrong for a large share of its people.
var documentLanguages = map[string]string{
	// German
	"DE": "de", "AT": "de", "LI": "de",
	// French
	"FR": "fr", "MC": "fr", "BJ": "fr", "BF": "fr", "CD": "fr", "CG": "fr", "CI": "fr",
	"GA": "fr", "GN": "fr", "ML": "fr", "NE": "fr", "SN": "fr", "TG": "fr",
	// Spanish: Spain and the Spanish-speaking countries of the Americas
	// and Africa.
	"ES": "es", "MX": "es", "GT": "es", "HN": "es", "SV": "es", "NI": "es", "CR": "es",
	"PA": "es", "CU": "es", "DO": "es", "CO": "es", "VE": "es", "EC": "es", "PE": "es",
	"BO": "es", "CL": "es", "AR": "es", "UY": "es", "PY": "es", "GQ": "es",
	// Dutch: the Netherlands, Suriname and the Dutch Caribbean.
	"NL": "nl", "SR": "nl", "AW": "nl", "CW": "nl", "SX": "nl",
	// English
	"GB": "en", "IE": "en", "US": "en", "AU": "en", "NZ": "en",
}

// DocumentLanguage is the kiosk language to offer a guest whose document
// was read: by the holder's nationality, or when the zone has none (or
// one of a split country) by the issuing state. Both are ISO 3166-1
// alpha-2 codes. "" means no offer. A residence permit is issued by the
// country of residence, so the nationality comes first.
func DocumentLanguage(nationality, issuer string) string {
	if nationality != "" {
		return documentLanguages[nationality]
	}
	return documentLanguages[issuer]
}
