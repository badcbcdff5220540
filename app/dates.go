package app

import (
	"fmt"
	"strconv"
	"time"
)

// formatDate writes a calendar date in the guest's language, with the
// month's name: "1 December 2026", "1 décembre 2026", "1 de diciembre de
// 2026", "1. Dezember 2026", "1 december 2026". The date is d's own
// calendar day (a booking's move-in is midnight UTC; it is not moved into
// the kiosk's zone). The zero time is "".
func (k *Kiosk) formatDate(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.Date()
	return k.tr.T("date.long", "d", day, "m", k.tr.T(fmt.Sprintf("date.month.%02d", int(m))), "y", strconv.Itoa(y))
}

// formatISODate writes a date held as "2006-01-02" (a document's expiry,
// as Mews and the machine-readable zone give it) in the guest's language;
// a string that is not such a date is shown as it is.
func (k *Kiosk) formatISODate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return k.formatDate(t)
}
