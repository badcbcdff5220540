package staff

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/client/mews"
)

// Form is the add or edit form's values, as typed.
type Form struct {
	orig *mews.Document // the document edited; nil when adding

	Type, Number, Expiry, Issued, Country, Subdivision, City, Support string

	ShowNumber bool // the number is shown, not masked
	FromScan   bool // the fields were filled from a machine-readable zone
	Scanning   bool // the camera is reading a document to fill the form
	ScanNote   Note // why the last scan filled nothing
}

// FormOf is the form on d, or an empty one (a passport) to add. The
// number staff type into a new one is shown, so they can check it against
// the document; a number already in Mews is masked until staff ask.
func FormOf(d *mews.Document) *Form {
	if d == nil {
		return &Form{Type: string(mews.Passport), ShowNumber: true}
	}
	cp := *d
	return &Form{orig: &cp, Type: string(d.Type), Number: d.Number, Expiry: formDate(d.ExpirationDate),
		Issued: formDate(d.IssuanceDate), Country: d.IssuingCountryCode, Subdivision: d.IssuingCountrySubdivisionCode,
		City: d.IssuingCity, Support: d.IdentityDocumentSupportNumber}
}

// Editing reports whether the form edits a document (else it adds one).
func (f *Form) Editing() bool { return f.orig != nil }

// Fill takes the fields a machine-readable zone gives: type, number,
// expiry and issuing country.
func (f *Form) Fill(m mrz.Document) {
	if m.Type != "" {
		f.Type = m.Type
	}
	f.Number, f.Expiry = m.Number, m.ExpirationDate
	if t, err := time.Parse(time.DateOnly, m.ExpirationDate); err == nil {
		f.Expiry = formDate(mews.DateOf(t))
	}
	if m.IssuingCountryCode != "" {
		f.Country = m.IssuingCountryCode
	}
	f.FromScan = true
}

// formDate is d as the form shows it, day first as staff type it
// (30.05.2031); "" for none.
func formDate(d mews.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
}

// parseFormDate reads an optional date as staff type it: day, month and
// year, as every language the console speaks writes them (30.05.2031,
// 30/05/2031, 30-5-2031), or year first as Mews shows it (2031-05-30),
// checked as flow.ParseDate checks a date of kind. Its error is a
// *flow.DateError.
func parseFormDate(s string, kind flow.DateKind, today time.Time) (mews.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return mews.Date{}, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '/' || r == '-' || r == ' ' })
	if len(parts) != 3 {
		return mews.Date{}, &flow.DateError{Key: keyDateFormat}
	}
	if len(parts[0]) == 4 { // year first
		parts[0], parts[2] = parts[2], parts[0]
	}
	t, err := flow.ParseDate(parts[0], parts[1], parts[2], kind, today)
	if err != nil {
		return mews.Date{}, err
	}
	return mews.DateOf(t), nil
}

// keyDateFormat is the sentence for a date not written as three numbers.
const keyDateFormat = "staff.form.date_format"

// dateProblem is what staff read when the date in field (the key of its
// "Expiry date: …" sentence) is refused: the field, and why.
func dateProblem(field string, err error) Note {
	why := note(keyDateFormat)
	if de, ok := err.(*flow.DateError); ok {
		why = Note{Key: de.Key, Args: de.Args()}
	}
	return note(field, "why", why)
}

// changed is the update of one field: unchanged when equal, cleared when
// emptied on purpose, else set.
func changed[T comparable](old, now T) mews.Update[T] {
	var zero T
	switch {
	case old == now:
		return mews.Unchanged[T]()
	case now == zero:
		return mews.Clear[T]()
	}
	return mews.Set(now)
}

// update is the change from the original document to the form: only the
// fields staff changed, and {"Value": null} for those emptied.
func (f *Form) update(expiry, issued mews.Date) (mews.DocumentUpdate, bool) {
	o := f.orig
	u := mews.DocumentUpdate{ID: o.ID}
	if mews.DocumentType(f.Type) != o.Type {
		u.Type = mews.Set(mews.DocumentType(f.Type))
	}
	u.Number = changed(o.Number, f.Number)
	u.ExpirationDate = changed(o.ExpirationDate, expiry)
	u.IssuanceDate = changed(o.IssuanceDate, issued)
	u.IssuingCountryCode = changed(o.IssuingCountryCode, f.Country)
	u.IssuingCountrySubdivisionCode = changed(o.IssuingCountrySubdivisionCode, f.Subdivision)
	u.IssuingCity = changed(o.IssuingCity, f.City)
	u.IdentityDocumentSupportNumber = changed(o.IdentityDocumentSupportNumber, f.Support)
	some := !u.Type.IsZero() || !u.Number.IsZero() || !u.ExpirationDate.IsZero() || !u.IssuanceDate.IsZero() ||
		!u.IssuingCountryCode.IsZero() || !u.IssuingCountrySubdivisionCode.IsZero() || !u.IssuingCity.IsZero() ||
		!u.IdentityDocumentSupportNumber.IsZero()
	return u, some
}

// EditDocument opens the form on d, or an empty one to add.
func (s *Session) EditDocument(d *mews.Document) {
	s.Form = FormOf(d)
	s.Problem, s.Notice = Note{}, Note{}
}

// CloseForm leaves the form without saving.
func (s *Session) CloseForm() { s.Form, s.Problem = nil, Note{} }

// Save adds the document, or sends only the fields staff changed.
func (s *Session) Save() {
	f := s.Form
	// An expiry may be past: staff record a document as it is.
	today := s.o.Clock.Now()
	expiry, err := parseFormDate(f.Expiry, flow.DateAny, today)
	if err != nil {
		s.Problem = dateProblem("staff.form.expiry_problem", err)
		return
	}
	issued, err := parseFormDate(f.Issued, flow.DateIssue, today)
	if err != nil {
		s.Problem = dateProblem("staff.form.issued_problem", err)
		return
	}
	if f.orig == nil {
		s.add(mews.Document{CustomerID: s.Customer.ID, Type: mews.DocumentType(f.Type), Number: f.Number,
			ExpirationDate: expiry, IssuanceDate: issued, IssuingCountryCode: f.Country,
			IssuingCountrySubdivisionCode: f.Subdivision, IssuingCity: f.City, IdentityDocumentSupportNumber: f.Support})
		return
	}
	u, anyChange := f.update(expiry, issued)
	if !anyChange {
		s.Form, s.Notice = nil, note("staff.form.unchanged")
		return
	}
	mc := s.o.Mews
	s.change("staff document update failed", "staff updated an identity document", note("staff.form.updated"),
		func(ctx context.Context) ([]any, error) {
			_, err := mc.Documents.Update(ctx, []mews.DocumentUpdate{u})
			return []any{"id", u.ID}, err
		})
}

func (s *Session) add(d mews.Document) {
	mc := s.o.Mews
	s.change("staff document add failed", "staff added an identity document", note("staff.form.added"),
		func(ctx context.Context) ([]any, error) {
			added, err := mc.Documents.Add(ctx, []mews.Document{d})
			var attrs []any
			for _, a := range added {
				attrs = append(attrs, "document", a)
			}
			return attrs, err
		})
}
