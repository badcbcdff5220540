package mews

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// DocumentType is the kind of an identity document. Values the client does
// not know are kept as they are, since the API adds types over time.
type DocumentType string

// Document types known in the model "ver 2024-10-25".
const (
	IdentityCard   DocumentType = "IdentityCard"
	Passport       DocumentType = "Passport"
	Visa           DocumentType = "Visa"
	DriversLicense DocumentType = "DriversLicense"
)

// DocumentTypes lists the known document types.
var DocumentTypes = []DocumentType{IdentityCard, Passport, Visa, DriversLicense}

// Known reports whether t is one of DocumentTypes.
func (t DocumentType) Known() bool { return slices.Contains(DocumentTypes, t) }

// Date is a calendar date without a time of day or zone. It decodes from
// "YYYY-MM-DD" and from RFC 3339 (the date as written, whatever the offset)
// and encodes as "YYYY-MM-DDT00:00:00Z", as the API's examples do. The zero
// Date means "no date" and encodes as null.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrBadDate is wrapped by the error for a date in neither accepted form.
var ErrBadDate = errors.New("mews: bad date")

// ParseDate reads "YYYY-MM-DD" or an RFC 3339 timestamp.
func ParseDate(s string) (Date, error) {
	if len(s) >= len("2006-01-02T") && (s[10] == 'T' || s[10] == 't') {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			// Some servers write a zone-less timestamp; accept its date.
			t, err = time.Parse("2006-01-02T15:04:05", s)
		}
		if err != nil {
			return Date{}, fmt.Errorf("%w: %q is neither YYYY-MM-DD nor RFC 3339", ErrBadDate, truncate(s))
		}
		return DateOf(t), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w: %q is neither YYYY-MM-DD nor RFC 3339", ErrBadDate, truncate(s))
	}
	return DateOf(t), nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// MarshalJSON writes "YYYY-MM-DDT00:00:00Z", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	if d.Year < 1 || d.Year > 9999 {
		return nil, fmt.Errorf("%w: year %d out of range", ErrBadDate, d.Year)
	}
	return []byte(`"` + d.Time().Format("2006-01-02T15:04:05Z") + `"`), nil
}

// UnmarshalJSON reads a date in either form; null gives the zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w: not a string", ErrBadDate)
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Document is an identity document of a customer (model "ver 2024-10-25").
//
// Fields the client does not know are kept in Extra and written back, so a
// decode → encode round trip loses nothing. Document numbers are personal
// data: String, GoString and LogValue print them masked.
type Document struct {
	ID                            string       `json:"Id,omitempty"`
	CustomerID                    string       `json:"CustomerId"`
	Type                          DocumentType `json:"Type"`
	Number                        string       `json:"Number"`
	ExpirationDate                Date         `json:"ExpirationDate,omitzero"`
	IssuanceDate                  Date         `json:"IssuanceDate,omitzero"`
	IssuingCountryCode            string       `json:"IssuingCountryCode,omitempty"`
	IssuingCountrySubdivisionCode string       `json:"IssuingCountrySubdivisionCode,omitempty"`
	IssuingCity                   string       `json:"IssuingCity,omitempty"`
	IdentityDocumentSupportNumber string       `json:"IdentityDocumentSupportNumber,omitempty"`
	// IsVerified is nil when the API did not say.
	IsVerified *bool `json:"IsVerified,omitempty"`

	// Extra holds the fields this client does not know, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// documentFields is Document without its methods, for the default codec.
type documentFields Document

// knownDocumentFields are the JSON names of Document's fields.
var knownDocumentFields = map[string]bool{
	"Id": true, "CustomerId": true, "Type": true, "Number": true, "ExpirationDate": true,
	"IssuanceDate": true, "IssuingCountryCode": true, "IssuingCountrySubdivisionCode": true,
	"IssuingCity": true, "IdentityDocumentSupportNumber": true, "IsVerified": true,
}

// UnmarshalJSON decodes a document, keeping unknown fields in Extra.
func (d *Document) UnmarshalJSON(b []byte) error {
	var f documentFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for k, v := range raw {
		if isKnownDocumentField(k) {
			continue
		}
		if f.Extra == nil {
			f.Extra = map[string]json.RawMessage{}
		}
		f.Extra[k] = v
	}
	*d = Document(f)
	return nil
}

// isKnownDocumentField matches as encoding/json does, ignoring case.
func isKnownDocumentField(k string) bool {
	if knownDocumentFields[k] {
		return true
	}
	for n := range knownDocumentFields {
		if strings.EqualFold(n, k) {
			return true
		}
	}
	return false
}

// MarshalJSON writes the known fields, then the unknown ones in name order.
func (d Document) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(documentFields(d))
	if err != nil || len(d.Extra) == 0 {
		return b, err
	}
	keys := make([]string, 0, len(d.Extra))
	for k := range d.Extra {
		if !isKnownDocumentField(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1]) // without the closing brace
	for _, k := range keys {
		v := d.Extra[k]
		if !json.Valid(v) {
			return nil, fmt.Errorf("mews: extra field %q holds invalid JSON", k)
		}
		kb, _ := json.Marshal(k)
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// String describes d without its personal data.
func (d Document) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mews.Document{Id:%s CustomerId:%s Type:%s", d.ID, d.CustomerID, d.Type)
	if d.Number != "" {
		b.WriteString(" Number:[personal]")
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String, so %#v does not print the number either.
func (d Document) GoString() string { return d.String() }

// LogValue implements slog.LogValuer without personal data.
func (d Document) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", d.ID), slog.String("customer_id", d.CustomerID), slog.String("type", string(d.Type)))
}

// toNew is d as the add operation takes it: without Id, IsVerified and the
// fields the client does not know, so a decoded document sends only what
// the API takes on add.
func toNew(d Document) Document {
	d.ID, d.IsVerified, d.Extra = "", nil, nil
	return d
}

// Update is one field of an update request, in one of three explicit
// states: Unchanged (the zero value; the field is left out), Set(v)
// (written as {"Value": v}) and Clear() (written as {"Value": null}).
type Update[T any] struct {
	op    updateOp
	value T
}

type updateOp uint8

const (
	opUnchanged updateOp = iota
	opSet
	opClear
)

// Unchanged leaves a field as it is. It is the zero Update.
func Unchanged[T any]() Update[T] { return Update[T]{} }

// Set sets a field to v.
func Set[T any](v T) Update[T] { return Update[T]{op: opSet, value: v} }

// Clear empties a field.
func Clear[T any]() Update[T] { return Update[T]{op: opClear} }

// IsZero reports whether u leaves the field unchanged, so that `omitzero`
// leaves it out of the request.
func (u Update[T]) IsZero() bool { return u.op == opUnchanged }

// IsSet reports whether u sets a value.
func (u Update[T]) IsSet() bool { return u.op == opSet }

// IsClear reports whether u clears the field.
func (u Update[T]) IsClear() bool { return u.op == opClear }

// Value returns the value u sets, and whether it sets one.
func (u Update[T]) Value() (T, bool) { return u.value, u.op == opSet }

// MarshalJSON writes {"Value": v}, {"Value": null}, or null when unchanged
// (which the API also reads as unchanged).
func (u Update[T]) MarshalJSON() ([]byte, error) {
	switch u.op {
	case opSet:
		v, err := json.Marshal(u.value)
		if err != nil {
			return nil, err
		}
		return append(append([]byte(`{"Value":`), v...), '}'), nil
	case opClear:
		return []byte(`{"Value":null}`), nil
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads the three forms back (null or absent is unchanged).
func (u *Update[T]) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*u = Update[T]{}
		return nil
	}
	var w struct{ Value json.RawMessage }
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Value == nil || string(w.Value) == "null" {
		*u = Clear[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(w.Value, &v); err != nil {
		return err
	}
	*u = Set(v)
	return nil
}

// DocumentUpdate changes the fields of one document; fields left at their
// zero value are unchanged.
type DocumentUpdate struct {
	ID                            string               `json:"Id"`
	Type                          Update[DocumentType] `json:"Type,omitzero"`
	Number                        Update[string]       `json:"Number,omitzero"`
	ExpirationDate                Update[Date]         `json:"ExpirationDate,omitzero"`
	IssuanceDate                  Update[Date]         `json:"IssuanceDate,omitzero"`
	IssuingCountryCode            Update[string]       `json:"IssuingCountryCode,omitzero"`
	IssuingCountrySubdivisionCode Update[string]       `json:"IssuingCountrySubdivisionCode,omitzero"`
	IssuingCity                   Update[string]       `json:"IssuingCity,omitzero"`
	IdentityDocumentSupportNumber Update[string]       `json:"IdentityDocumentSupportNumber,omitzero"`
}

// UpdateFields are the JSON names of the fields DocumentUpdate can change.
var UpdateFields = []string{"Type", "Number", "ExpirationDate", "IssuanceDate", "IssuingCountryCode",
	"IssuingCountrySubdivisionCode", "IssuingCity", "IdentityDocumentSupportNumber"}

// ClearField sets the field named by its JSON name (as in UpdateFields) to
// Clear. Clearing Type returns ErrClearType; an unknown name is an error.
func (u *DocumentUpdate) ClearField(name string) error {
	switch name {
	case "Type":
		return ErrClearType
	case "Number":
		u.Number = Clear[string]()
	case "ExpirationDate":
		u.ExpirationDate = Clear[Date]()
	case "IssuanceDate":
		u.IssuanceDate = Clear[Date]()
	case "IssuingCountryCode":
		u.IssuingCountryCode = Clear[string]()
	case "IssuingCountrySubdivisionCode":
		u.IssuingCountrySubdivisionCode = Clear[string]()
	case "IssuingCity":
		u.IssuingCity = Clear[string]()
	case "IdentityDocumentSupportNumber":
		u.IdentityDocumentSupportNumber = Clear[string]()
	default:
		return fmt.Errorf("%w: unknown field %q", ErrInvalidInput, name)
	}
	return nil
}
