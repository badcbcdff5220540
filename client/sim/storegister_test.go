package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/imagetest"
)

var (
	booking  = demodata.People[0].BookingID
	passport = demodata.DocumentTypes[0].ID
	unknown  = "00000000-0000-4000-8000-000000000000"
)

// noWait never sleeps between retries.
func noWait(context.Context, time.Duration) error { return nil }

func newSim(t *testing.T, opts ...Option) (*Server, *storegister.Client) {
	t.Helper()
	s := New(opts...)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c, err := storegister.NewClient(srv.URL+StoRegisterPrefix, demodata.StoRegisterAPIKey,
		storegister.WithRetry(&retry.Policy{MaxAttempts: 3, Sleep: noWait}))
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func encodePNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 288, 112))
	img.Set(5, 5, color.NRGBA{0, 0, 0, 255})
	return imagetest.PNG(t, img)
}

func encodeJPEG(t *testing.T) []byte {
	return imagetest.JPEG(t, image.NewRGBA(image.Rect(0, 0, 64, 40)))
}

func TestBookingAndTypes(t *testing.T) {
	_, c := newSim(t)
	ctx := context.Background()
	for _, p := range demodata.People {
		b, err := c.Booking(ctx, p.BookingID)
		if err != nil {
			t.Fatal(err)
		}
		if b.ID != p.BookingID || b.Tenant.FirstName.Reveal() != p.FirstName || b.Tenant.Email.Reveal() != p.Email ||
			b.MoveInDate != p.MoveIn || b.Property.Name == "" || b.Unit.Name == "" || b.Unit.Size == "" || len(b.Quote) == 0 {
			t.Errorf("booking %s = %+v", p.BookingID, b)
		}
	}
	types, err := c.IdentityDocumentTypes(ctx, booking)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ty := range types {
		names = append(names, ty.Name)
	}
	if diff := cmp.Diff([]string{"Passport", "Identity card", "Driving licence", "Residence permit"}, names); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
}

func TestSaves(t *testing.T) {
	s, c := newSim(t)
	ctx := context.Background()
	sig := encodePNG(t)
	ref, err := c.SaveSignature(ctx, booking, sig)
	if err != nil || !storegister.ValidID(ref) {
		t.Fatalf("SaveSignature = %q, %v", ref, err)
	}
	jp := encodeJPEG(t)
	ref2, err := c.SaveIdentityDocument(ctx, booking, storegister.IdentityDocument{
		TypeID: passport, Filename: "front.jpg", ContentType: "image/jpeg", Body: bytes.NewReader(jp)})
	if err != nil || !storegister.ValidID(ref2) || ref2 == ref {
		t.Fatalf("SaveIdentityDocument = %q, %v", ref2, err)
	}
	sigs := s.Signatures()
	if len(sigs) != 1 || !bytes.Equal(sigs[0].PNG, sig) || sigs[0].Width != 288 || sigs[0].Height != 112 || sigs[0].ReferenceID != ref {
		t.Errorf("signatures = %+v", sigs)
	}
	docs := s.Documents()
	want := Document{BookingID: booking, ReferenceID: ref2, TypeID: passport, TypeName: "Passport",
		Filename: "front.jpg", ContentType: "image/jpeg", Data: jp, Width: 64, Height: 40}
	if len(docs) != 1 {
		t.Fatalf("documents = %d", len(docs))
	}
	docs[0].At = time.Time{}
	if diff := cmp.Diff(want, docs[0]); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}
	s.Reset()
	if len(s.Signatures())+len(s.Documents())+s.Requests() != 0 {
		t.Error("Reset kept data")
	}
}

// raw sends a hand-made request, for inputs the client refuses to send.
func raw(t *testing.T, h http.Handler, method, path, ctype, body string, hdr map[string]string) (int, string) {
	t.Helper()
	r := httptest.NewRequest(method, StoRegisterPrefix+path, strings.NewReader(body))
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

func TestEnforcement(t *testing.T) {
	s := New()
	key := map[string]string{"X-API-Key": demodata.StoRegisterAPIKey}
	mp := func(typeID, filename, content string) (string, string) {
		b := "--B\r\nContent-Disposition: form-data; name=\"documentTypeInfoId\"\r\n\r\n" + typeID + "\r\n"
		if filename != "" {
			b += "--B\r\nContent-Disposition: form-data; name=\"identityDocuments\"; filename=\"" + filename + "\"\r\nContent-Type: image/jpeg\r\n\r\n" + content + "\r\n"
		}
		return "multipart/form-data; boundary=B", b + "--B--\r\n"
	}
	good := string(encodeJPEG(t))
	type enforcement struct {
		name, method, path, ctype, body string
		hdr                             map[string]string
		wantStatus                      int
		wantCode                        string
	}
	upload := func(name, typeID, filename, content string, wantStatus int, wantCode string) enforcement {
		ct, body := mp(typeID, filename, content)
		return enforcement{name, "POST", "/v1/booking/" + booking + "/identity-document/save/", ct, body, key, wantStatus, wantCode}
	}
	tests := []enforcement{
		{"no key", "GET", "/v1/booking/" + booking + "/activity-quotation/preview", "", "", nil, 401, `"status":"UNAUTHORIZED"`},
		{"wrong key", "GET", "/v1/booking/" + booking + "/activity-quotation/preview", "", "", map[string]string{"X-API-Key": "nope"}, 401, `"status":"UNAUTHORIZED"`},
		{"authorization style", "GET", "/v1/booking/" + booking + "/activity-quotation/preview", "", "", map[string]string{"Authorization": "X-API-Key " + demodata.StoRegisterAPIKey}, 200, `"succeeded":true`},
		{"malformed booking", "GET", "/v1/booking/12345/activity-quotation/preview", "", "", key, 400, "INVALID_PARAM_ACTIVITY_INFO_ID"},
		{"unknown booking", "GET", "/v1/booking/" + unknown + "/identity-document/save/", "", "", key, 404, "NO_RECORDS_FOUND"},
		{"signature not base64", "POST", "/v1/booking/" + booking + "/document/save", "application/json", `{"signature":"!!!"}`, key, 400, "INVALID_PARAM_SIGNATURE"},
		{"signature data url", "POST", "/v1/booking/" + booking + "/document/save", "application/json", `{"signature":"data:image/png;base64,iVBORw0KGgo="}`, key, 400, "INVALID_PARAM_SIGNATURE"},
		{"signature jpeg", "POST", "/v1/booking/" + booking + "/document/save", "application/json", `{"signature":"/9j/4AAQSkZJRg=="}`, key, 400, "INVALID_PARAM_SIGNATURE"},
		{"signature missing", "POST", "/v1/booking/" + booking + "/document/save", "application/json", `{}`, key, 400, "INVALID_PARAM_SIGNATURE"},
		{"upload not multipart", "POST", "/v1/booking/" + booking + "/identity-document/save/", "application/json", `{}`, key, 400, "INVALID_PARAM_FILES"},
		upload("missing file", passport, "", "", 400, "INVALID_PARAM_FILES"),
		upload("undecodable", passport, "a.jpg", "not an image", 400, "INVALID_DOCUMENT_FILE_DATA"),
		upload("unknown type", unknown, "a.jpg", good, 400, "INVALID_PARAM_DOCUMENT_TYPE_INFO_ID"),
		upload("good upload", passport, "a.jpg", good, 200, `"succeeded":true`),
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, got := raw(t, s.Handler(), tt.method, tt.path, tt.ctype, tt.body, tt.hdr)
			if code != tt.wantStatus || !strings.Contains(got, tt.wantCode) {
				t.Errorf("%d %s; want %d with %s", code, got, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		faults    Faults
		wantErr   func(error) bool
		wantCalls int
	}{
		{"500 then success", Faults{ErrorRate: 1, Limit: 2}, func(err error) bool { return err == nil }, 3},
		{"500 always", Faults{ErrorRate: 1}, func(err error) bool { return errors.Is(err, retry.ErrGaveUp) }, 3},
		{"429 seconds", Faults{RateLimitRate: 1, Limit: 1, RetryAfter: 2 * time.Second}, func(err error) bool { return err == nil }, 2},
		{"429 date", Faults{RateLimitRate: 1, Limit: 1, RetryAfterDate: true}, func(err error) bool { return err == nil }, 2},
		{"dropped", Faults{DropRate: 1, Limit: 1}, func(err error) bool { return err == nil }, 2},
		{"latency", Faults{Latency: 20 * time.Millisecond}, func(err error) bool { return err == nil }, 1},
	}
	for _, shape := range Shapes {
		tests = append(tests, struct {
			name      string
			faults    Faults
			wantErr   func(error) bool
			wantCalls int
		}{"fail " + string(shape), Faults{FailRate: 1, Limit: 1, FailShape: shape}, func(err error) bool {
			var ae *storegister.APIError
			if shape == ShapeNull { // no code: nothing says it is transient
				return errors.As(err, &ae) && ae.Permanent()
			}
			return err == nil
		}, map[bool]int{true: 1, false: 2}[shape == ShapeNull]})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newSim(t, WithFaults(tt.faults))
			start := time.Now()
			_, err := c.SaveSignature(context.Background(), booking, encodePNG(t))
			if !tt.wantErr(err) {
				t.Errorf("err = %v", err)
			}
			if s.Requests() != tt.wantCalls {
				t.Errorf("requests = %d, want %d", s.Requests(), tt.wantCalls)
			}
			if tt.faults.Latency > 0 && time.Since(start) < tt.faults.Latency {
				t.Errorf("answered in %v, latency %v", time.Since(start), tt.faults.Latency)
			}
		})
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, date := range []bool{false, true} {
		s := New(WithClock(func() time.Time { return now }), WithFaults(Faults{RateLimitRate: 1, RetryAfter: 3 * time.Second, RetryAfterDate: date}))
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest("GET", StoRegisterPrefix+"/v1/booking/"+booking+"/identity-document/save/", nil))
		want := "3"
		if date {
			want = "Mon, 23 Nov 2026 12:00:03 GMT"
		}
		if w.Code != 429 || w.Header().Get("Retry-After") != want {
			t.Errorf("date=%v: %d Retry-After %q, want %q", date, w.Code, w.Header().Get("Retry-After"), want)
		}
	}
}

// TestReproducible checks that a seed gives the same faults in the same order.
func TestReproducible(t *testing.T) {
	run := func(seed uint64) string {
		s := New(WithSeed(seed), WithFaults(Faults{ErrorRate: 0.3, RateLimitRate: 0.3}))
		var b strings.Builder
		for range 40 {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", StoRegisterPrefix+"/v1/booking/"+booking+"/identity-document/save/", nil)
			r.Header.Set("X-API-Key", demodata.StoRegisterAPIKey)
			s.Handler().ServeHTTP(w, r)
			fmt.Fprintf(&b, "%d ", w.Code)
		}
		return b.String()
	}
	a, b := run(7), run(7)
	if a != b {
		t.Errorf("same seed, different faults:\n%s\n%s", a, b)
	}
	if !strings.Contains(a, "500") || !strings.Contains(a, "429") || !strings.Contains(a, "200") {
		t.Errorf("rates not applied: %s", a)
	}
}

func TestConcurrent(t *testing.T) {
	s, c := newSim(t, WithFaults(Faults{ErrorRate: 0.2}))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if i%2 == 0 {
				c.SaveSignature(context.Background(), booking, encodePNG(t))
			} else {
				s.SetFaults(Faults{ErrorRate: 0.1})
				_ = s.Signatures()
				_ = s.Documents()
			}
		})
	}
	wg.Wait()
}

func TestStartClose(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := New()
	url, err := s.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(ctx, "127.0.0.1:0"); err == nil {
		t.Error("second Start did not fail")
	}
	if s.StoRegisterURL() != url+StoRegisterPrefix {
		t.Errorf("StoRegisterURL = %q", s.StoRegisterURL())
	}
	resp, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "simulator") {
		t.Errorf("index = %q", b)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := http.Get(url + "/"); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server still up after the context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestParseShape(t *testing.T) {
	for _, sh := range Shapes {
		if got, err := ParseShape(strings.ToUpper(string(sh))); err != nil || got != sh {
			t.Errorf("ParseShape(%q) = %q, %v", sh, got, err)
		}
	}
	if _, err := ParseShape("xml"); err == nil {
		t.Error("ParseShape(xml) did not fail")
	}
}

// FuzzStoRegisterBodies feeds arbitrary bodies to the endpoints that parse
// them: the simulator answers 200 or 400 and never panics.
func FuzzStoRegisterBodies(f *testing.F) {
	f.Add(`{"signature":"iVBORw0KGgo="}`, "application/json")
	f.Add("--B\r\nContent-Disposition: form-data; name=\"documentTypeInfoId\"\r\n\r\n"+passport+"\r\n--B--\r\n", "multipart/form-data; boundary=B")
	f.Add("--B\r\nContent-Disposition: form-data; name=\"identityDocuments\"; filename=\"a\"\r\n\r\n\xff\xd8\xff\r\n--B--\r\n", "multipart/form-data; boundary=B")
	f.Add("", "")
	s := New(WithMaxUpload(1 << 16))
	f.Fuzz(func(t *testing.T, body, ctype string) {
		for _, path := range []string{"/document/save", "/identity-document/save/"} {
			code, _ := raw(t, s.Handler(), "POST", "/v1/booking/"+booking+path, ctype, body,
				map[string]string{"X-API-Key": demodata.StoRegisterAPIKey})
			if code != 200 && code != 400 {
				t.Fatalf("POST %s: %d", path, code)
			}
		}
	})
}
