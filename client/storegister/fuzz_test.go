package storegister

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"data":"4AF3E793-9BF1-4BB5-B555-B19861A86437","succeeded":true,"status":"SUCCESS","errors":null}`,
		`{"data":null,"succeeded":false,"status":"ERROR","errors":["INVALID_PARAM_SIGNATURE"]}`,
		`{"succeeded":false,"errors":[{"code":"FAILED","message":"x"},{"errorCode":"NO_RECORDS_FOUND"},{"key":"INVALID_PARAM_FILES"}]}`,
		`{"succeeded":false,"errors":"SOMETHING_WENT_WRONG"}`,
		`{"succeeded":false,"errors":{"code":"FAILED"}}`,
		`{"succeeded":"yes","errors":42}`,
		`{"data":[{"id":"a","name":"Passport"}],"succeeded":true,"pagination":{"page":1}}`,
		`[]`, `null`, ``, `{`, `{"errors":[null,1,"",{}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := DecodeEnvelope(b)
		if err != nil {
			if env != nil {
				t.Fatal("envelope and error")
			}
			return
		}
		if len(env.Codes) > maxCodes {
			t.Fatalf("%d codes", len(env.Codes))
		}
		for _, c := range env.Codes {
			if c == "" || len(c) > maxCodeLen || cleanToken(string(c)) != string(c) {
				t.Fatalf("code %q not clean", c)
			}
			if !strings.HasPrefix(c.TranslationKey(), TranslationKeyPrefix) {
				t.Fatalf("key %q", c.TranslationKey())
			}
		}
		for _, m := range env.Messages {
			if len(m) > maxMessageLen+len("…") || !utf8.ValidString(m) || strings.ContainsAny(m, "\r\n\x00") {
				t.Fatalf("message %q not clean", m)
			}
		}
		ae := &APIError{HTTPStatus: 400, Status: env.Status, Codes: env.Codes}
		_ = ae.Error()
		_ = ae.TranslationKey()
	})
}

func BenchmarkDecodeEnvelope(b *testing.B) {
	body := []byte(`{"data":null,"succeeded":false,"status":"ERROR","errors":[{"code":"INVALID_PARAM_SIGNATURE","message":"Invalid signature"}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeEnvelope(body); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecodePreview feeds the booking preview decoder arbitrary bytes,
// seeded with the golden previews of both vocabularies: it never panics, and
// what it keeps is short, valid, printable text.
func FuzzDecodePreview(f *testing.F) {
	files, _ := filepath.Glob("testdata/preview/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{`{}`, `[]`, `null`, `{"contactBookInfo":null}`, `{"storageInfo":{"size":1e999}}`,
		`{"TENANT":{"EMAIL":"x"},"tenant":{"email":"y"}}`, `{"moveInDate":"0000-00-00T00:00:00Z"}`,
		`{"propertyInfo":["a"],"unit":"u","size":"` + strings.Repeat("9", 400) + `"}`} {
		f.Add([]byte(s))
	}
	known := map[string]bool{"tenant": true, "tenant.firstName": true, "tenant.lastName": true, "tenant.email": true,
		"tenant.phone": true, "property.name": true, "unit.name": true, "unit.size": true, "moveInDate": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Booking
		if err := json.Unmarshal(data, &b); err != nil {
			return
		}
		for _, s := range []string{b.ID, b.Status, b.Tenant.ID, b.Tenant.FirstName.Reveal(), b.Tenant.LastName.Reveal(),
			b.Tenant.Email.Reveal(), b.Tenant.Phone.Reveal(), b.Tenant.Address.Reveal(), b.Tenant.City.Reveal(),
			b.Tenant.PostalCode.Reveal(), b.Property.ID, b.Property.Name, b.Property.Address, b.Unit.ID, b.Unit.Name,
			b.Unit.Size, b.MoveInDate} {
			if len(s) > maxFieldLen || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) || s != strings.TrimSpace(s) {
				t.Fatalf("field %q not clean", s)
			}
		}
		for _, m := range b.Missing() {
			if !known[m] {
				t.Fatalf("unknown missing field %q", m)
			}
		}
		if d, ok := b.MoveIn(); ok && d.Format(time.DateOnly) != b.MoveInDate {
			t.Fatalf("move-in %v from %q", d, b.MoveInDate)
		}
	})
}
