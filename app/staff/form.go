package staff

import (
	"context"
	"time"

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
	return &Form{orig: &cp, Type: string(d.Type), Number: d.Number, Expiry: d.ExpirationDate.String(),
		Issued: d.IssuanceDate.String(), Country: d.IssuingCountryCode, Subdivision: d.IssuingCountrySubdivisionCode,
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
	if m.IssuingCountryCode != "" {
		f.Country = m.IssuingCountryCode
	}
	f.FromScan = true
}

// parseFormDate reads an optional YYYY-MM-DD date.
func parseFormDate(s string) (mews.Date, bool) {
	if s == "" {
		return mews.Date{}, true
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return mews.Date{}, false
	}
	return mews.DateOf(t), true
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
	expiry, ok1 := parseFormDate(f.Expiry)
	issued, ok2 := parseFormDate(f.Issued)
	if !ok1 || !ok2 {
		s.Problem = note("details.bad_date")
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
