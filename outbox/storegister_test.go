package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/storegister"
)

func tinyPNG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 4, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestStoRegisterDeliverer(t *testing.T) {
	const booking = "6f1c2d3e-4a5b-4c6d-8e7f-001122334455"
	const docType = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	sig, _ := json.Marshal(SignaturePayload{BookingID: booking, PNG: tinyPNG(t)})
	doc, _ := json.Marshal(IdentityDocumentPayload{BookingID: booking, TypeID: docType, Filename: "front.jpg", ContentType: "image/jpeg", Image: []byte("\xff\xd8\xff jpeg")})
	badID, _ := json.Marshal(SignaturePayload{BookingID: "booking-42", PNG: tinyPNG(t)})
	notPNG, _ := json.Marshal(SignaturePayload{BookingID: booking, PNG: []byte("not a png")})
	ok := `{"data":"11111111-2222-4333-8444-555555555555","succeeded":true,"status":"SUCCESS","errors":null}`
	tests := []struct {
		name     string
		kind     Kind
		payload  []byte
		status   int
		header   http.Header
		body     string
		wantPath string
		wantErr  bool
		want     Verdict
	}{
		{name: "signature", kind: KindSignature, payload: sig, status: 200, body: ok, wantPath: "/v1/booking/" + booking + "/document/save"},
		{name: "document", kind: KindIdentityDocument, payload: doc, status: 200, body: ok, wantPath: "/v1/booking/" + booking + "/identity-document/save/"},
		{name: "refused", kind: KindSignature, payload: sig, status: 400, wantErr: true, wantPath: "/v1/booking/" + booking + "/document/save",
			body: `{"data":null,"succeeded":false,"status":"ERROR","errors":["INVALID_PARAM_SIGNATURE"]}`,
			want: Verdict{Class: Permanent, Code: "INVALID_PARAM_SIGNATURE"}},
		{name: "soft failure", kind: KindIdentityDocument, payload: doc, status: 200, wantErr: true, wantPath: "/v1/booking/" + booking + "/identity-document/save/",
			body: `{"data":null,"succeeded":false,"status":"ERROR","errors":[{"code":"SOMETHING_WENT_WRONG"}]}`,
			want: Verdict{Class: Transient, Code: "SOMETHING_WENT_WRONG"}},
		{name: "rate limited", kind: KindSignature, payload: sig, status: 429, header: http.Header{"Retry-After": {"3"}}, wantErr: true,
			wantPath: "/v1/booking/" + booking + "/document/save", want: Verdict{Class: Transient, Code: "storegister_429", RetryAfter: 3 * time.Second}},
		{name: "key wrong", kind: KindSignature, payload: sig, status: 401, wantErr: true,
			wantPath: "/v1/booking/" + booking + "/document/save", want: Verdict{Class: Transient, Code: "storegister_401"}},
		{name: "bad booking id", kind: KindSignature, payload: badID, wantErr: true, want: Verdict{Class: Permanent, Code: "invalid_input"}},
		{name: "not a png", kind: KindSignature, payload: notPNG, wantErr: true, want: Verdict{Class: Permanent, Code: "invalid_input"}},
		{name: "garbled payload", kind: KindSignature, payload: []byte("{"), wantErr: true, want: Verdict{Class: Permanent, Code: "bad_payload"}},
		{name: "wrong kind", kind: KindMewsIdentityDocument, payload: sig, wantErr: true, want: Verdict{Class: Permanent, Code: "unknown_kind"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var gotPath string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotPath = r.URL.Path
				io.Copy(io.Discard, r.Body)
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c, err := storegister.NewClient(srv.URL, "test-api-key", storegister.WithRetry(&retry.Policy{MaxAttempts: 1}))
			if err != nil {
				t.Fatal(err)
			}
			d := StoRegisterDeliverer{Client: c}
			err = d.Deliver(context.Background(), Item{ID: "x", Kind: tc.kind, Payload: tc.payload})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				if got := d.Classify(err); got != tc.want {
					t.Errorf("verdict = %+v, want %+v (err %v)", got, tc.want, err)
				}
				if bytes.Contains([]byte(err.Error()), tinyPNG(t)) {
					t.Errorf("image bytes in error %q", err)
				}
			}
			if gotPath != tc.wantPath {
				t.Errorf("path = %q, want %q", gotPath, tc.wantPath)
			}
		})
	}
}

func TestNewRouter(t *testing.T) {
	c, err := storegister.NewClient("http://127.0.0.1:1", "k")
	if err != nil {
		t.Fatal(err)
	}
	r := NewRouter(c, nil)
	if _, ok := r[KindMewsIdentityDocument]; ok {
		t.Error("a Mews route without a Mews client")
	}
	for _, k := range []Kind{KindSignature, KindIdentityDocument} {
		if _, ok := r[k]; !ok {
			t.Errorf("no route for %s", k)
		}
	}
	err = r.Deliver(context.Background(), Item{Kind: KindMewsIdentityDocument, Payload: []byte("{}")})
	if v := r.Classify(err); v.Class != Permanent || v.Code != "unknown_kind" {
		t.Errorf("Mews item without Mews: %+v", v)
	}
}
