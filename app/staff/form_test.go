package staff

import (
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/client/mews"
)

// Staff type a date as their language writes it, day first with any of
// the usual separators, or year first as Mews shows it; what is not a
// date, or not a plausible one for the field, says why.
func TestParseFormDate(t *testing.T) {
	today := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	may30 := mews.Date{Year: 2031, Month: 5, Day: 30}
	for _, tt := range []struct {
		in   string
		kind flow.DateKind
		want mews.Date
		key  string // the refusal's sentence; "" for none
	}{
		{"", flow.DateAny, mews.Date{}, ""},
		{"30.05.2031", flow.DateAny, may30, ""},
		{"30/5/2031", flow.DateAny, may30, ""},
		{"30-05-2031", flow.DateAny, may30, ""},
		{" 30 05 2031 ", flow.DateAny, may30, ""},
		{"2031-05-30", flow.DateAny, may30, ""},
		{"2031.5.30", flow.DateAny, may30, ""},
		{"01.02.2020", flow.DateAny, mews.Date{Year: 2020, Month: 2, Day: 1}, ""}, // an expiry passed
		{"31.04.2031", flow.DateAny, mews.Date{}, "date.day_not_in_month"},
		{"2031-30-05", flow.DateAny, mews.Date{}, "date.month_invalid"},
		{"30.05.31", flow.DateAny, mews.Date{}, "date.year_invalid"},
		{"30052031", flow.DateAny, mews.Date{}, "staff.form.date_format"},
		{"30.05", flow.DateAny, mews.Date{}, "staff.form.date_format"},
		{"1.1.1.2031", flow.DateAny, mews.Date{}, "staff.form.date_format"},
		{"4.12.2026", flow.DateIssue, mews.Date{}, "date.issue_future"},
		{"3.12.2026", flow.DateIssue, mews.Date{Year: 2026, Month: 12, Day: 3}, ""},
	} {
		got, err := parseFormDate(tt.in, tt.kind, today)
		key := ""
		if de, ok := err.(*flow.DateError); ok {
			key = de.Key
		} else if err != nil {
			t.Errorf("%q: %v is not a *flow.DateError", tt.in, err)
		}
		if got != tt.want || key != tt.key {
			t.Errorf("%q: %v, %q; want %v, %q", tt.in, got, key, tt.want, tt.key)
		}
	}
}

// A date from Mews or the zone shows day first, as staff type one, and
// reads back as itself: an untouched form changes nothing.
func TestFormDateRoundTrip(t *testing.T) {
	today := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	d := mews.Date{Year: 2031, Month: 5, Day: 1}
	f := FormOf(&mews.Document{ID: "d", ExpirationDate: d})
	if f.Expiry != "01.05.2031" || f.Issued != "" {
		t.Errorf("form shows %q and %q", f.Expiry, f.Issued)
	}
	if got, err := parseFormDate(f.Expiry, flow.DateAny, today); got != d || err != nil {
		t.Errorf("reads back %v, %v", got, err)
	}
	f.Fill(mrz.Document{Number: "X1", ExpirationDate: "2033-02-28"})
	if f.Expiry != "28.02.2033" {
		t.Errorf("filled from the zone: %q", f.Expiry)
	}
}
