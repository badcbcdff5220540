package app

import (
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
)

// Issue 17, finding 9: dates were ISO (or a raw RFC 3339 string) in every
// language. They are written with the month's name, in the guest's
// language.
func TestDatesInTheGuestsLanguage(t *testing.T) {
	k := newTestKiosk(t, flow.Services{}, nil)
	d := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[string]string{
		"en": "1 December 2026",
		"fr": "1 décembre 2026",
		"es": "1 de diciembre de 2026",
		"de": "1. Dezember 2026",
		"nl": "1 december 2026",
	} {
		var got, iso string
		onUI(k, func() {
			k.tr.SetLanguage(lang)
			got, iso = k.formatDate(d), k.formatISODate("2031-05-30")
		})
		if got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
		if strings.Contains(iso, "-") || !strings.Contains(iso, "30") || !strings.Contains(iso, "2031") {
			t.Errorf("%s: 2031-05-30 shown as %q", lang, iso)
		}
	}
	onUI(k, func() {
		k.tr.SetLanguage("de")
		if got := k.formatDate(time.Time{}); got != "" {
			t.Errorf("the zero date is %q", got)
		}
		if got := k.formatISODate("soon"); got != "soon" {
			t.Errorf("a non-date is %q", got)
		}
	})
}
