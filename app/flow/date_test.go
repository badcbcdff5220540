package flow

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/assets"
)

// today is a fixed instant: the tests never read the real clock.
var today = time.Date(2030, 6, 15, 23, 30, 0, 0, time.FixedZone("CEST", 2*3600))

func TestParseDate(t *testing.T) {
	tests := []struct {
		name         string
		d, m, y      string
		kind         DateKind
		want         string // YYYY-MM-DD when valid
		key          string
		field        DateField
		max, errYear int
	}{
		{"birth", "07", "03", "1985", DateBirth, "1985-03-07", "", "", 0, 0},
		{"no leading zeros, spaces", " 7", "3 ", "1985", DateBirth, "1985-03-07", "", "", 0, 0},
		{"29 Feb of a leap year", "29", "2", "2000", DateBirth, "2000-02-29", "", "", 0, 0},
		{"29 Feb 1900 (not leap)", "29", "2", "1900", DateBirth, "", DateKeyDayNotInMonth, DateFieldDay, 28, 0},
		{"29 Feb 2031", "29", "02", "2031", DateExpiry, "", DateKeyDayNotInMonth, DateFieldDay, 28, 0},
		{"31 April", "31", "4", "1990", DateBirth, "", DateKeyDayNotInMonth, DateFieldDay, 30, 0},
		{"day 32", "32", "1", "1990", DateBirth, "", DateKeyDayInvalid, DateFieldDay, 0, 0},
		{"day 0", "0", "1", "1990", DateBirth, "", DateKeyDayInvalid, DateFieldDay, 0, 0},
		{"day with a letter", "1a", "1", "1990", DateBirth, "", DateKeyDayInvalid, DateFieldDay, 0, 0},
		{"day of three digits", "001", "1", "1990", DateBirth, "", DateKeyDayInvalid, DateFieldDay, 0, 0},
		{"day with a sign", "+1", "1", "1990", DateBirth, "", DateKeyDayInvalid, DateFieldDay, 0, 0},
		{"month 13", "1", "13", "1990", DateBirth, "", DateKeyMonthInvalid, DateFieldMonth, 0, 0},
		{"month 00", "1", "00", "1990", DateBirth, "", DateKeyMonthInvalid, DateFieldMonth, 0, 0},
		{"month a name", "1", "mar", "1990", DateBirth, "", DateKeyMonthInvalid, DateFieldMonth, 0, 0},
		{"two-digit year", "1", "1", "85", DateBirth, "", DateKeyYearInvalid, DateFieldYear, 0, 0},
		{"five-digit year", "1", "1", "19850", DateBirth, "", DateKeyYearInvalid, DateFieldYear, 0, 0},
		{"year 0985", "1", "1", "0985", DateBirth, "", DateKeyYearInvalid, DateFieldYear, 0, 0},
		{"Arabic-Indic digits", "١", "1", "1990", DateBirth, "", DateKeyDayInvalid, DateFieldDay, 0, 0},
		{"all empty", "", " ", "", DateBirth, "", DateKeyEmpty, DateFieldNone, 0, 0},
		{"day missing", "", "1", "1990", DateBirth, "", DateKeyMissing, DateFieldDay, 0, 0},
		{"month missing", "1", "", "1990", DateBirth, "", DateKeyMissing, DateFieldMonth, 0, 0},
		{"year missing", "1", "1", "", DateBirth, "", DateKeyMissing, DateFieldYear, 0, 0},
		{"born tomorrow", "16", "6", "2030", DateBirth, "", DateKeyBirthFuture, DateFieldNone, 0, 2030},
		{"born today", "15", "6", "2030", DateBirth, "", DateKeyBirthFuture, DateFieldNone, 0, 2030},
		{"born yesterday", "14", "6", "2030", DateBirth, "2030-06-14", "", "", 0, 0},
		{"born 131 years ago", "1", "1", "1899", DateBirth, "", DateKeyBirthTooOld, DateFieldYear, 0, 1900},
		{"expires today: still valid", "15", "06", "2030", DateExpiry, "2030-06-15", "", "", 0, 0},
		{"expired yesterday", "14", "06", "2030", DateExpiry, "", DateKeyExpired, DateFieldNone, 0, 0},
		{"expiry in ten years", "30", "5", "2040", DateExpiry, "2040-05-30", "", "", 0, 0},
		{"expiry in 60 years", "1", "1", "2090", DateExpiry, "", DateKeyExpiryTooFar, DateFieldYear, 0, 2080},
		{"issued today", "15", "6", "2030", DateIssue, "2030-06-15", "", "", 0, 0},
		{"issued tomorrow", "16", "6", "2030", DateIssue, "", DateKeyIssueFuture, DateFieldNone, 0, 2030},
		{"issued in 1850", "1", "1", "1850", DateIssue, "", DateKeyIssueTooOld, DateFieldYear, 0, 1900},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.d, tt.m, tt.y, tt.kind, today)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("err %v", err)
				}
				if s := got.Format("2006-01-02"); s != tt.want {
					t.Errorf("got %s, want %s", s, tt.want)
				}
				return
			}
			var de *DateError
			if !errors.As(err, &de) {
				t.Fatalf("err %v (date %v), want a *DateError %s", err, got, tt.key)
			}
			if de.Key != tt.key || de.Field != tt.field || de.Max != tt.max || de.Year != tt.errYear {
				t.Errorf("got %+v, want key %s field %q max %d year %d", *de, tt.key, tt.field, tt.max, tt.errYear)
			}
			if !got.IsZero() {
				t.Errorf("a refused date came back as %v", got)
			}
		})
	}
}

// The comparison uses the kiosk's calendar day, not UTC's: at 23:30 in
// Paris on 15 June it is already 15 June's evening, and the UTC instant is
// still 15 June too; at 00:30 on 16 June in Paris it is 22:30 on 15 June
// in UTC, and a document expiring on 15 June has expired.
func TestParseDateUsesTheKiosksDay(t *testing.T) {
	paris := time.FixedZone("CEST", 2*3600)
	justAfterMidnight := time.Date(2030, 6, 16, 0, 30, 0, 0, paris)
	if _, err := ParseDate("15", "6", "2030", DateExpiry, justAfterMidnight); err == nil {
		t.Error("a document that expired yesterday (kiosk time) was accepted")
	}
}

func TestDateErrorNamesNoValue(t *testing.T) {
	_, err := ParseDate("31", "4", "1987", DateBirth, today)
	if err == nil || strings.Contains(err.Error(), "1987") || strings.Contains(err.Error(), "31") {
		t.Errorf("error %v: it must not hold the typed birth date", err)
	}
}

func TestDateKeysAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range DateKeys {
		if seen[k] || !strings.HasPrefix(k, "date.") {
			t.Errorf("key %q repeated or outside date.", k)
		}
		seen[k] = true
	}
	if len(seen) != 12 {
		t.Errorf("%d keys", len(seen))
	}
}

func TestDateBoxesRoundTrip(t *testing.T) {
	d, m, y := DateBoxes(time.Date(2031, 5, 3, 0, 0, 0, 0, time.UTC))
	if d != "03" || m != "05" || y != "2031" {
		t.Fatalf("boxes %s %s %s", d, m, y)
	}
	got, err := ParseDate(d, m, y, DateExpiry, today)
	if err != nil || got.Format("2006-01-02") != "2031-05-03" {
		t.Errorf("round trip: %v %v", got, err)
	}
	if d, m, y := DateBoxes(time.Time{}); d+m+y != "" {
		t.Errorf("zero date fills the boxes: %q %q %q", d, m, y)
	}
}

// Every key a DateError carries, and the three boxes' labels, have a
// sentence in each language, with the placeholders the error fills.
func TestDateKeysTranslated(t *testing.T) {
	keys := append([]string{"date.day", "date.month", "date.year"}, DateKeys...)
	for _, lang := range assets.Languages {
		m, err := assets.Sentences(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if m[k] == "" {
				t.Errorf("%s.json has no %q", lang, k)
			}
		}
		if !strings.Contains(m[DateKeyDayNotInMonth], "{max}") || !strings.Contains(m[DateKeyBirthTooOld], "{year}") {
			t.Errorf("%s: a date sentence lacks its placeholder", lang)
		}
	}
}

// FuzzParseDate: whatever is typed, ParseDate returns a date or a
// *DateError, never panics, and an accepted date reads back the same from
// DateBoxes.
func FuzzParseDate(f *testing.F) {
	for _, s := range [][3]string{{"07", "03", "1985"}, {"31", "4", "1990"}, {"", "", ""}, {"29", "2", "2000"}, {"1", "1", "99999"}, {"٣", "1", "1990"}} {
		f.Add(s[0], s[1], s[2], 0)
	}
	f.Fuzz(func(t *testing.T, d, m, y string, kind int) {
		k := DateKind(((kind % 3) + 3) % 3)
		got, err := ParseDate(d, m, y, k, today)
		if err != nil {
			var de *DateError
			if !errors.As(err, &de) || de.Key == "" || !got.IsZero() {
				t.Fatalf("err %v, date %v", err, got)
			}
			return
		}
		bd, bm, by := DateBoxes(got)
		again, err := ParseDate(bd, bm, by, k, today)
		if err != nil || !again.Equal(got) {
			t.Fatalf("%q %q %q → %v, boxes %s %s %s → %v %v", d, m, y, got, bd, bm, by, again, err)
		}
	})
}
