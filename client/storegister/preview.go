package storegister

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/internal/redact"
)

// The preview's vocabulary, as lower-case keys: StoRegister's own names
// first (storegister.md, "What the booking preview's data holds"), then
// the generic ones.
var (
	keysBookingScope = []string{"bookinginfo", "booking", "bookingactivityinfo", "activityinfo"}
	keysStatus       = []string{"status", "bookingstatus", "activitystatus"}
	keysMoveIn       = []string{"moveindate", "movein", "moveinon"}
	keysQuote        = []string{"quote", "quotation", "activityquotation", "quotes"}

	keysTenant     = []string{"contactbookinfo", "contactbook", "tenant", "tenantinfo"}
	keysTenantID   = []string{"id", "contactbookinfoid", "contactbookid"}
	keysFirstName  = []string{"firstname", "givenname"}
	keysLastName   = []string{"lastname", "surname", "familyname"}
	keysEmail      = []string{"emailid", "email", "emailaddress"}
	keysPhone      = []string{"phonenumber", "phone", "mobilenumber", "mobile"}
	keysAddress    = []string{"address", "addressline1", "street"}
	keysCity       = []string{"city"}
	keysPostalCode = []string{"postalcode", "zipcode", "postcode", "zip"}

	keysProperty     = []string{"propertyinfo", "property"}
	keysPropertyID   = []string{"propertyinfoid", "propertyid"}
	keysPropertyName = []string{"propertyinfoname", "propertyname"}
	keysName         = []string{"name", "title", "displayname"}

	keysUnit     = []string{"storageinfo", "storage", "unit", "storagebox", "storageunit"}
	keysUnitID   = []string{"storageinfoid", "unitid", "storageid"}
	keysUnitName = []string{"storageinfoname", "storagename", "storagenumber", "unitname", "unitnumber"}
	keysSize     = []string{"size", "storagesize", "unitsize"}
)

// UnmarshalJSON reads a booking preview in either vocabulary (see Booking).
// Only a value that is not a JSON object is an error.
func (b *Booking) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	top := fold(raw)
	scopes := []jobj{top}
	if o := top.obj(keysBookingScope...); o != nil {
		scopes = append(scopes, o)
	}
	first := func(keys ...string) string {
		for _, s := range scopes {
			if v := s.str(keys...); v != "" {
				return v
			}
		}
		return ""
	}
	*b = Booking{
		ID:         first("id", "bookingid", "bookinginfoid", "bookingactivityinfoid", "activityinfoid"),
		Status:     first(keysStatus...),
		MoveInDate: first(keysMoveIn...),
	}
	if t, ok := ParseDate(b.MoveInDate); ok {
		b.MoveInDate = t.Format(time.DateOnly)
	}
	for _, s := range scopes {
		if q := s.any(keysQuote...); q != nil {
			b.Quote = q
			break
		}
	}

	// Tenant: its own object, else flat fields beside the booking's.
	t := top.obj(keysTenant...)
	flat := t == nil
	if flat {
		t = top
	}
	b.Tenant = Tenant{
		FirstName:  redact.Personal(t.str(keysFirstName...)),
		LastName:   redact.Personal(t.str(keysLastName...)),
		Email:      redact.Personal(t.str(keysEmail...)),
		Phone:      redact.Personal(t.str(keysPhone...)),
		Address:    redact.Personal(t.str(keysAddress...)),
		City:       redact.Personal(t.str(keysCity...)),
		PostalCode: redact.Personal(t.str(keysPostalCode...)),
	}
	if flat {
		b.Tenant.ID = top.str("contactbookinfoid", "contactbookid")
		// A flat "address" beside the booking is the tenant's only if some
		// other tenant field is there too.
		if b.Tenant.FirstName == "" && b.Tenant.LastName == "" && b.Tenant.Email == "" {
			b.Tenant.Address, b.Tenant.City, b.Tenant.PostalCode = "", "", ""
		}
	} else {
		b.Tenant.ID = t.str(keysTenantID...)
	}

	// Property: an object, or a string naming it, or flat propertyInfo… fields.
	if p := top.obj(keysProperty...); p != nil {
		b.Property = Property{ID: p.str(append([]string{"id"}, keysPropertyID...)...),
			Name: p.str(append(keysName, keysPropertyName...)...), Address: p.str(keysAddress...)}
	} else {
		b.Property.Name = top.str(keysProperty...)
	}
	top.fill(&b.Property.ID, keysPropertyID...)
	top.fill(&b.Property.Name, keysPropertyName...)

	// Storage unit: likewise.
	if u := top.obj(keysUnit...); u != nil {
		b.Unit = Unit{ID: u.str(append([]string{"id"}, keysUnitID...)...),
			Name: u.str(append(append(keysName, keysUnitName...), "number", "code")...), Size: u.str(keysSize...)}
	} else {
		b.Unit.Name = top.str(keysUnit...)
	}
	top.fill(&b.Unit.ID, keysUnitID...)
	top.fill(&b.Unit.Name, keysUnitName...)
	top.fill(&b.Unit.Size, keysSize...)
	return nil
}

// MoveIn returns the move-in date, at midnight UTC; ok is false when the
// preview had none or one that is not a date.
func (b *Booking) MoveIn() (t time.Time, ok bool) {
	return ParseDate(b.MoveInDate)
}

// ParseDate reads a date as StoRegister may write one: a date (2026-12-01)
// or a date and time, with or without a zone (2026-12-01T00:00:00Z,
// 2026-12-01T00:00:00.000). The result is the date written (in the zone
// written, not converted), at midnight UTC.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// Missing names the expected fields the booking lacks, by name only (never
// a value), in a fixed order: "tenant" when there is no tenant at all, else
// the tenant's fields one by one; then property.name, unit.name, unit.size
// and moveInDate (also when it is there but is not a date).
func (b *Booking) Missing() []string {
	var out []string
	t := b.Tenant
	if t.FirstName == "" && t.LastName == "" && t.Email == "" && t.Phone == "" {
		out = append(out, "tenant")
	} else {
		for _, f := range []struct {
			name string
			v    redact.Personal
		}{{"tenant.firstName", t.FirstName}, {"tenant.lastName", t.LastName}, {"tenant.email", t.Email}, {"tenant.phone", t.Phone}} {
			if f.v == "" {
				out = append(out, f.name)
			}
		}
	}
	if b.Property.Name == "" {
		out = append(out, "property.name")
	}
	if b.Unit.Name == "" {
		out = append(out, "unit.name")
	}
	if b.Unit.Size == "" {
		out = append(out, "unit.size")
	}
	if _, ok := b.MoveIn(); !ok {
		out = append(out, "moveInDate")
	}
	return out
}

// missingLogged remembers, per client, which sets of missing fields were
// logged already: each set is logged once per run, not per guest.
var missingLogged sync.Map // missingKey → struct{}

type missingKey struct {
	c   *Client
	set string
}

func (c *Client) noteMissing(ctx context.Context, miss []string) {
	set := strings.Join(miss, ",")
	if _, seen := missingLogged.LoadOrStore(missingKey{c, set}, struct{}{}); seen {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "storegister booking preview lacks expected fields; the guest sees what is there",
		slog.String("missing", set))
}

// jobj is a JSON object with its keys folded to lower case.
type jobj map[string]json.RawMessage

// fold lower-cases raw's keys. When two keys fold alike, the one first in
// byte order wins, so the result does not depend on map order.
func fold(raw map[string]json.RawMessage) jobj {
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	o := make(jobj, len(raw))
	for _, k := range keys {
		lk := strings.ToLower(k)
		if _, dup := o[lk]; !dup {
			o[lk] = raw[k]
		}
	}
	return o
}

// obj returns the first of keys holding a JSON object.
func (o jobj) obj(keys ...string) jobj {
	for _, k := range keys {
		v, ok := o[k]
		if !ok {
			continue
		}
		var raw map[string]json.RawMessage
		if json.Unmarshal(v, &raw) == nil && raw != nil {
			return fold(raw)
		}
	}
	return nil
}

// str returns the first of keys holding a non-empty string or a number, as
// text without control characters.
func (o jobj) str(keys ...string) string {
	for _, k := range keys {
		if v := scalar(o[k]); v != "" {
			return v
		}
	}
	return ""
}

// fill sets an empty *v to str(keys...): a flat field stands in for one
// the nested object lacked.
func (o jobj) fill(v *string, keys ...string) {
	if *v == "" {
		*v = o.str(keys...)
	}
}

// any returns the first of keys holding a value other than null.
func (o jobj) any(keys ...string) json.RawMessage {
	for _, k := range keys {
		v := o[k]
		if len(v) > 0 && string(v) != "null" {
			return v
		}
	}
	return nil
}

// maxFieldLen bounds a field's text: nothing the kiosk shows is longer.
const maxFieldLen = 256

func scalar(v json.RawMessage) string {
	if len(v) == 0 {
		return ""
	}
	var s string
	switch v[0] {
	case '"':
		if json.Unmarshal(v, &s) != nil {
			return ""
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return ""
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	default:
		return ""
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > maxFieldLen {
		s = strings.TrimSpace(strings.ToValidUTF8(s[:maxFieldLen], ""))
	}
	return s
}
