package flow

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateKind says what a typed date is, and so which dates make sense.
type DateKind int

// The kinds of date a guest or staff types.
const (
	// DateBirth is in the past, at most MaxAgeYears ago.
	DateBirth DateKind = iota
	// DateExpiry is today or later (a document is valid through its expiry
	// day), at most MaxExpiryYears ahead.
	DateExpiry
	// DateIssue is today or earlier, at most MaxAgeYears ago.
	DateIssue
	// DateAny is any date of the calendar: staff record a document's
	// expiry as it is, passed or not.
	DateAny
)

// Bounds of a plausible date.
const (
	MaxAgeYears    = 130
	MaxExpiryYears = 50
)

// DateField names one of the three boxes, for the screen to mark.
type DateField string

// The three boxes; DateFieldNone when the date as a whole is wrong.
const (
	DateFieldNone  DateField = ""
	DateFieldDay   DateField = "day"
	DateFieldMonth DateField = "month"
	DateFieldYear  DateField = "year"
)

// Translation keys of every DateError. A sentence may use {max} (the last
// day of the month, for DateKeyDayNotInMonth) and {year} (the first or last
// year allowed, for the range keys).
const (
	DateKeyEmpty         = "date.empty"            // nothing typed in any box
	DateKeyMissing       = "date.missing"          // one or two boxes left empty
	DateKeyDayInvalid    = "date.day_invalid"      // not a number from 1 to 31
	DateKeyMonthInvalid  = "date.month_invalid"    // not a number from 1 to 12
	DateKeyYearInvalid   = "date.year_invalid"     // not a four-digit year
	DateKeyDayNotInMonth = "date.day_not_in_month" // 31 April, 29 February 2027
	DateKeyBirthFuture   = "date.birth_future"     // a birth date after today
	DateKeyBirthTooOld   = "date.birth_too_old"    // over MaxAgeYears ago
	DateKeyExpired       = "date.expired"          // an expiry before today
	DateKeyExpiryTooFar  = "date.expiry_too_far"   // over MaxExpiryYears ahead
	DateKeyIssueFuture   = "date.issue_future"     // an issue date after today
	DateKeyIssueTooOld   = "date.issue_too_old"    // over MaxAgeYears ago
)

// DateKeys lists every key ParseDate's errors carry, for the translation
// test.
var DateKeys = []string{DateKeyEmpty, DateKeyMissing, DateKeyDayInvalid, DateKeyMonthInvalid,
	DateKeyYearInvalid, DateKeyDayNotInMonth, DateKeyBirthFuture, DateKeyBirthTooOld,
	DateKeyExpired, DateKeyExpiryTooFar, DateKeyIssueFuture, DateKeyIssueTooOld}

// DateError is why three boxes do not make a usable date. It holds no
// typed value, only which box is wrong and the figures the sentence needs.
type DateError struct {
	Key   string
	Field DateField
	// Max is the month's last day for DateKeyDayNotInMonth.
	Max int
	// Year is the bound crossed, for the range keys.
	Year int
}

func (e *DateError) Error() string {
	if e.Field != DateFieldNone {
		return fmt.Sprintf("flow: date: %s (%s)", e.Key, e.Field)
	}
	return "flow: date: " + e.Key
}

// Args returns the placeholders for the translated sentence.
func (e *DateError) Args() []any {
	return []any{"max", e.Max, "year", e.Year}
}

// ParseDate reads a date typed as day, month and year in three boxes (on the
// numeric keypad: digits only, surrounding spaces ignored, leading zeros
// allowed) and checks it is plausible for kind, with today read from the
// kiosk's clock. The date returned is midnight UTC of that day; the
// comparison with today uses today's calendar date in its own location.
func ParseDate(day, month, year string, kind DateKind, today time.Time) (time.Time, error) {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	switch n := btoi(day == "") + btoi(month == "") + btoi(year == ""); n {
	case 3:
		return time.Time{}, &DateError{Key: DateKeyEmpty}
	case 1, 2:
		f := DateFieldDay
		if day != "" {
			f = DateFieldMonth
			if month != "" {
				f = DateFieldYear
			}
		}
		return time.Time{}, &DateError{Key: DateKeyMissing, Field: f}
	}
	d, ok := digits(day, 2)
	if !ok || d < 1 || d > 31 {
		return time.Time{}, &DateError{Key: DateKeyDayInvalid, Field: DateFieldDay}
	}
	m, ok := digits(month, 2)
	if !ok || m < 1 || m > 12 {
		return time.Time{}, &DateError{Key: DateKeyMonthInvalid, Field: DateFieldMonth}
	}
	y, ok := digits(year, 4)
	if !ok || len(year) != 4 || y < 1000 {
		return time.Time{}, &DateError{Key: DateKeyYearInvalid, Field: DateFieldYear}
	}
	if last := daysIn(y, time.Month(m)); d > last {
		return time.Time{}, &DateError{Key: DateKeyDayNotInMonth, Field: DateFieldDay, Max: last}
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	ty, tm, td := today.Date()
	now := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	switch kind {
	case DateBirth, DateIssue:
		future, old := DateKeyBirthFuture, DateKeyBirthTooOld
		if kind == DateIssue {
			future, old = DateKeyIssueFuture, DateKeyIssueTooOld
		}
		if t.After(now) || (kind == DateBirth && t.Equal(now)) {
			return time.Time{}, &DateError{Key: future, Year: ty}
		}
		if t.Before(now.AddDate(-MaxAgeYears, 0, 0)) {
			return time.Time{}, &DateError{Key: old, Field: DateFieldYear, Year: ty - MaxAgeYears}
		}
	case DateExpiry:
		if t.Before(now) {
			return time.Time{}, &DateError{Key: DateKeyExpired}
		}
		if t.After(now.AddDate(MaxExpiryYears, 0, 0)) {
			return time.Time{}, &DateError{Key: DateKeyExpiryTooFar, Field: DateFieldYear, Year: ty + MaxExpiryYears}
		}
	}
	return t, nil
}

// DateBoxes returns t's day, month and year as the three boxes show them
// (a prefilled date from the machine-readable zone, say).
func DateBoxes(t time.Time) (day, month, year string) {
	if t.IsZero() {
		return "", "", ""
	}
	return fmt.Sprintf("%02d", t.Day()), fmt.Sprintf("%02d", int(t.Month())), fmt.Sprintf("%04d", t.Year())
}

// digits parses s of 1 to max ASCII digits.
func digits(s string, max int) (int, bool) {
	if len(s) == 0 || len(s) > max {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// daysIn is the number of days of month m in year y (Gregorian).
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
