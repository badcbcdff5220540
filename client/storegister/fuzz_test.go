package storegister

import (
	"strings"
	"testing"
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
