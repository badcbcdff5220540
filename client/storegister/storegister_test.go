package storegister

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/internal/redact"
)

const (
	// baseURLPath is a non-empty path prefix, so tests catch a client that
	// drops the base URL's path.
	baseURLPath = "/sr-api"
	testKey     = "test-key-7f3a9c"
	bookingID   = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	typeID      = "0b6a1c6e-1f0e-4c8e-9d1a-2b3c4d5e6f70"
	refID       = "4AF3E793-9BF1-4BB5-B555-B19861A86437"
)

// waits records the retry policy's waits; it never sleeps.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) get() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// setup starts a test server with the API mounted under baseURLPath and a
// client for it whose retry policy never sleeps.
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux, *waits) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.Handle(baseURLPath+"/", http.StripPrefix(baseURLPath, mux))
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.Error(w, "outside base path", http.StatusBadRequest)
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	w := &waits{}
	p := &retry.Policy{MaxAttempts: 3, Base: 10 * time.Millisecond, Cap: 100 * time.Millisecond,
		Jitter: func(n time.Duration) time.Duration { return n / 2 }, Sleep: w.sleep}
	c, err := NewClient(srv.URL+baseURLPath, testKey, append([]Option{WithRetry(p)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mux, w
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if got := r.Method; got != want {
		t.Errorf("Request method: %v, want %v", got, want)
	}
}

func testHeader(t *testing.T, r *http.Request, header, want string) {
	t.Helper()
	if got := r.Header.Get(header); got != want {
		t.Errorf("Header.Get(%q) returned %q, want %q", header, got, want)
	}
}

func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("Error reading request body: %v", err)
	}
	if got := string(b); got != want {
		t.Errorf("request Body is %s, want %s", got, want)
	}
}

func ok(data string) string {
	return `{"data":` + data + `,"succeeded":true,"status":"SUCCESS","errors":null}`
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 1, color.NRGBA{0, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		name, url string
		key       redact.Secret
		opts      []Option
		wantErr   bool
		wantBase  string
	}{
		{name: "ok", url: "https://api.example.com", key: "k", wantBase: "https://api.example.com/"},
		{name: "path kept", url: "https://api.example.com/sr", key: "k", wantBase: "https://api.example.com/sr/"},
		{name: "query dropped", url: "https://api.example.com/sr/?x=1", key: "k", wantBase: "https://api.example.com/sr/"},
		{name: "no scheme", url: "api.example.com", key: "k", wantErr: true},
		{name: "ftp", url: "ftp://api.example.com", key: "k", wantErr: true},
		{name: "userinfo", url: "https://u:p@api.example.com", key: "k", wantErr: true},
		{name: "no key", url: "https://api.example.com", wantErr: true},
		{name: "key with newline", url: "https://api.example.com", key: "a\nb", wantErr: true},
		{name: "bad timeout", url: "https://x", key: "k", opts: []Option{WithTimeout(0)}, wantErr: true},
		{name: "bad agent", url: "https://x", key: "k", opts: []Option{WithUserAgent("a\r\nb")}, wantErr: true},
		{name: "nil http", url: "https://x", key: "k", opts: []Option{WithHTTPClient(nil)}, wantErr: true},
		{name: "nil logger", url: "https://x", key: "k", opts: []Option{WithLogger(nil)}, wantErr: true},
		{name: "nil retry", url: "https://x", key: "k", opts: []Option{WithRetry(nil)}, wantErr: true},
		{name: "bad auth", url: "https://x", key: "k", opts: []Option{WithAuthStyle(7)}, wantErr: true},
		{name: "tiny cap", url: "https://x", key: "k", opts: []Option{WithMaxResponseBytes(10)}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.url, tt.key, tt.opts...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewClient err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && c.BaseURL() != tt.wantBase {
				t.Errorf("BaseURL = %q, want %q", c.BaseURL(), tt.wantBase)
			}
		})
	}
}

func TestParseAuthStyle(t *testing.T) {
	for in, want := range map[string]AuthStyle{"": AuthXAPIKey, "x-api-key": AuthXAPIKey, "Authorization": AuthAuthorization} {
		if got, err := ParseAuthStyle(in); err != nil || got != want {
			t.Errorf("ParseAuthStyle(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseAuthStyle("bearer"); err == nil {
		t.Error("ParseAuthStyle(bearer) did not fail")
	}
}

func TestBooking(t *testing.T) {
	c, mux, _ := setup(t, WithUserAgent("Signet/1.2.3"))
	mux.HandleFunc("/v1/booking/"+bookingID+"/activity-quotation/preview", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testHeader(t, r, "X-API-Key", testKey)
		testHeader(t, r, "Authorization", "")
		testHeader(t, r, "User-Agent", "Signet/1.2.3")
		testHeader(t, r, "Accept", "application/json")
		fmt.Fprint(w, ok(`{"id":"`+bookingID+`","status":"RESERVED","unknownField":[1,2],
			"tenant":{"firstName":"Anna","lastName":"Eriksson","email":"a@example.com","phone":"+46 1","middle":"x"},
			"property":{"name":"Depot","address":"1 Road"},"unit":{"name":"A-1","size":"5 m²"},
			"moveInDate":"2026-11-24","quote":{"total":49.5}}`))
	})
	got, err := c.Booking(context.Background(), bookingID)
	if err != nil {
		t.Fatalf("Booking: %v", err)
	}
	want := &Booking{ID: bookingID, Status: "RESERVED",
		Tenant:   Tenant{FirstName: "Anna", LastName: "Eriksson", Email: "a@example.com", Phone: "+46 1"},
		Property: Property{Name: "Depot", Address: "1 Road"}, Unit: Unit{Name: "A-1", Size: "5 m²"},
		MoveInDate: "2026-11-24", Quote: json.RawMessage(`{"total":49.5}`)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Booking (-want +got):\n%s", diff)
	}
	if s := fmt.Sprintf("%v %+v", got.Tenant, got); strings.Contains(s, "Anna") || strings.Contains(s, "a@example.com") {
		t.Errorf("tenant printed in clear: %s", s)
	}
}

func TestIdentityDocumentTypes(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /v1/booking/"+bookingID+"/identity-document/save/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, ok(`[{"id":"`+typeID+`","name":"Passport","extra":true},{"id":"x","name":"Identity card"}]`))
	})
	got, err := c.IdentityDocumentTypes(context.Background(), bookingID)
	if err != nil {
		t.Fatal(err)
	}
	want := []DocumentType{{ID: typeID, Name: "Passport"}, {ID: "x", Name: "Identity card"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IdentityDocumentTypes (-want +got):\n%s", diff)
	}
}

func TestSaveSignature(t *testing.T) {
	sig := pngBytes(t, 288, 112)
	c, mux, _ := setup(t)
	mux.HandleFunc("/v1/booking/"+bookingID+"/document/save", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "POST")
		testHeader(t, r, "Content-Type", "application/json")
		testBody(t, r, `{"signature":"`+base64.StdEncoding.EncodeToString(sig)+`"}`)
		fmt.Fprint(w, ok(`"`+refID+`"`))
	})
	got, err := c.SaveSignature(context.Background(), bookingID, sig)
	if err != nil || got != refID {
		t.Fatalf("SaveSignature = %q, %v", got, err)
	}
}

func TestSaveSignatureObjectData(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/v1/booking/"+bookingID+"/document/save", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, ok(`{"id":"`+refID+`","activity":"x"}`))
	})
	got, err := c.SaveSignature(context.Background(), bookingID, pngBytes(t, 4, 4))
	if err != nil || got != refID {
		t.Fatalf("SaveSignature = %q, %v", got, err)
	}
}

// noRequests fails the test if any request reaches the server.
func noRequests(t *testing.T, mux *http.ServeMux) {
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
	})
}

func TestRefusedBeforeSending(t *testing.T) {
	c, mux, _ := setup(t)
	noRequests(t, mux)
	ctx := context.Background()
	sig := pngBytes(t, 4, 4)
	doc := IdentityDocument{TypeID: typeID, Body: strings.NewReader("x")}
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"booking: bad id", func() error { _, err := c.Booking(ctx, "nope"); return err }, ErrInvalidID},
		{"booking: braces", func() error { _, err := c.Booking(ctx, "{"+bookingID+"}"); return err }, ErrInvalidID},
		{"booking: path traversal", func() error { _, err := c.Booking(ctx, "../../admin/aaaaaaaaaaaaaaaaaaaaaaaaaaa"); return err }, ErrInvalidID},
		{"types: bad id", func() error { _, err := c.IdentityDocumentTypes(ctx, bookingID+"0"); return err }, ErrInvalidID},
		{"signature: bad id", func() error { _, err := c.SaveSignature(ctx, "", sig); return err }, ErrInvalidID},
		{"signature: not png", func() error { _, err := c.SaveSignature(ctx, bookingID, []byte("\xff\xd8\xff jpeg")); return err }, ErrNotPNG},
		{"signature: data url", func() error {
			_, err := c.SaveSignature(ctx, bookingID, []byte("data:image/png;base64,"+base64.StdEncoding.EncodeToString(sig)))
			return err
		}, ErrNotPNG},
		{"document: bad booking", func() error { _, err := c.SaveIdentityDocument(ctx, "x", doc); return err }, ErrInvalidID},
		{"document: bad type", func() error {
			d := doc
			d.TypeID = "passport"
			_, err := c.SaveIdentityDocument(ctx, bookingID, d)
			return err
		}, ErrInvalidID},
		{"document: no body", func() error {
			_, err := c.SaveIdentityDocument(ctx, bookingID, IdentityDocument{TypeID: typeID})
			return err
		}, ErrInvalidDocument},
		{"document: bad content type", func() error {
			d := doc
			d.ContentType = "image/jpeg\r\nX-Evil: 1"
			_, err := c.SaveIdentityDocument(ctx, bookingID, d)
			return err
		}, ErrInvalidDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSaveIdentityDocument(t *testing.T) {
	img := pngBytes(t, 20, 10)
	tests := []struct {
		name, filename, ctype   string
		wantFilename, wantCtype string
	}{
		{"explicit", "front.png", "image/png", "front.png", "image/png"},
		{"detected", "", "", "document.png", "image/png"},
		{"base name only", `C:\scans\../back "1".png`, "image/png", `back "1".png`, "image/png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("POST /v1/booking/"+bookingID+"/identity-document/save/", func(w http.ResponseWriter, r *http.Request) {
				mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
				if err != nil || mt != "multipart/form-data" {
					t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
				}
				mr := multipart.NewReader(r.Body, params["boundary"])
				p, err := mr.NextPart()
				if err != nil || p.FormName() != "documentTypeInfoId" {
					t.Fatalf("first part %v, %v", p, err)
				}
				testPart(t, p, typeID)
				p, err = mr.NextPart()
				if err != nil || p.FormName() != "identityDocuments" {
					t.Fatalf("second part %v, %v", p, err)
				}
				if p.FileName() != tt.wantFilename {
					t.Errorf("filename %q, want %q", p.FileName(), tt.wantFilename)
				}
				if got := p.Header.Get("Content-Type"); got != tt.wantCtype {
					t.Errorf("part Content-Type %q, want %q", got, tt.wantCtype)
				}
				testPart(t, p, string(img))
				if _, err := mr.NextPart(); err != io.EOF {
					t.Errorf("extra part: %v", err)
				}
				fmt.Fprint(w, ok(`"`+refID+`"`))
			})
			var last atomic.Int64
			got, err := c.SaveIdentityDocument(context.Background(), bookingID, IdentityDocument{
				TypeID: typeID, Filename: tt.filename, ContentType: tt.ctype, Body: bytes.NewReader(img),
				Progress: func(n int64) { last.Store(n) },
			})
			if err != nil || got != refID {
				t.Fatalf("SaveIdentityDocument = %q, %v", got, err)
			}
			if last.Load() != int64(len(img)) {
				t.Errorf("progress ended at %d, want %d", last.Load(), len(img))
			}
		})
	}
}

func testPart(t *testing.T, p *multipart.Part, want string) {
	t.Helper()
	b, err := io.ReadAll(p)
	if err != nil || string(b) != want {
		t.Errorf("part %s = %d bytes (%v), want %d bytes", p.FormName(), len(b), err, len(want))
	}
}

func TestUploadRetry(t *testing.T) {
	img := pngBytes(t, 8, 8)
	tests := []struct {
		name      string
		body      io.Reader
		wantCalls int32
		wantErr   bool
	}{
		{"seekable is retried from its start", bytes.NewReader(img), 2, false},
		{"stream is tried once", io.MultiReader(bytes.NewReader(img)), 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			var calls atomic.Int32
			mux.HandleFunc("/v1/booking/"+bookingID+"/identity-document/save/", func(w http.ResponseWriter, r *http.Request) {
				if err := r.ParseMultipartForm(1 << 20); err != nil {
					t.Errorf("ParseMultipartForm: %v", err)
				}
				f, _, err := r.FormFile("identityDocuments")
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(f)
				if !bytes.Equal(b, img) {
					t.Errorf("attempt %d: file is %d bytes, want %d", calls.Load()+1, len(b), len(img))
				}
				if calls.Add(1) == 1 {
					http.Error(w, "boom", http.StatusBadGateway)
					return
				}
				fmt.Fprint(w, ok(`"`+refID+`"`))
			})
			_, err := c.SaveIdentityDocument(context.Background(), bookingID, IdentityDocument{TypeID: typeID, Filename: "a.png", Body: tt.body})
			if (err != nil) != tt.wantErr || calls.Load() != tt.wantCalls {
				t.Fatalf("err = %v, calls = %d; want error %v, %d calls", err, calls.Load(), tt.wantErr, tt.wantCalls)
			}
			if tt.wantErr && !errors.Is(err, retry.ErrGaveUp) {
				t.Errorf("err = %v, want ErrGaveUp", err)
			}
		})
	}
}

func TestAuthStyles(t *testing.T) {
	tests := []struct {
		style         AuthStyle
		xAPIKey, auth string
	}{
		{AuthXAPIKey, testKey, ""},
		{AuthAuthorization, "", "X-API-Key " + testKey},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.style), func(t *testing.T) {
			c, mux, _ := setup(t, WithAuthStyle(tt.style))
			mux.HandleFunc("/v1/booking/"+bookingID+"/identity-document/save/", func(w http.ResponseWriter, r *http.Request) {
				testHeader(t, r, "X-API-Key", tt.xAPIKey)
				testHeader(t, r, "Authorization", tt.auth)
				fmt.Fprint(w, ok(`[]`))
			})
			if _, err := c.IdentityDocumentTypes(context.Background(), bookingID); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// errorBodies renders the errors list of a failure in every shape the
// client must read.
var errorShapes = map[string]func(c Code) string{
	"strings":   func(c Code) string { return `["` + string(c) + `"]` },
	"code":      func(c Code) string { return `[{"code":"` + string(c) + `","message":"It went wrong"}]` },
	"errorCode": func(c Code) string { return `[{"errorCode":"` + string(c) + `","message":"It went wrong"}]` },
	"key":       func(c Code) string { return `[{"key":"` + string(c) + `","message":"It went wrong"}]` },
}

func TestEveryDocumentedCode(t *testing.T) {
	for _, code := range Codes {
		for shape, render := range errorShapes {
			for _, status := range []int{http.StatusOK, http.StatusBadRequest} {
				t.Run(fmt.Sprintf("%s/%s/%d", code, shape, status), func(t *testing.T) {
					c, mux, w := setup(t)
					var calls atomic.Int32
					mux.HandleFunc("/v1/booking/"+bookingID+"/document/save", func(rw http.ResponseWriter, r *http.Request) {
						calls.Add(1)
						rw.WriteHeader(status)
						fmt.Fprint(rw, `{"data":null,"succeeded":false,"status":"ERROR","errors":`+render(code)+`}`)
					})
					_, err := c.SaveSignature(context.Background(), bookingID, pngBytes(t, 4, 4))
					var ae *APIError
					if !errors.As(err, &ae) {
						t.Fatalf("err = %v, want *APIError", err)
					}
					want := &APIError{Op: "save signature", HTTPStatus: status, Status: "ERROR", Codes: []Code{code}}
					if shape != "strings" {
						want.Message = "It went wrong"
					}
					if diff := cmp.Diff(want, ae, cmp.AllowUnexported(APIError{})); diff != "" {
						t.Errorf("APIError (-want +got):\n%s", diff)
					}
					transient := code == CodeFailed || code == CodeSomethingWentWrong
					if ae.Transient() != transient || ae.Permanent() == transient {
						t.Errorf("Transient = %v, want %v", ae.Transient(), transient)
					}
					wantCalls, wantWaits := int32(1), 0
					if transient {
						wantCalls, wantWaits = 3, 2
						if !errors.Is(err, retry.ErrGaveUp) {
							t.Errorf("err = %v, want ErrGaveUp", err)
						}
					}
					if calls.Load() != wantCalls || len(w.get()) != wantWaits {
						t.Errorf("calls = %d, waits = %v; want %d calls", calls.Load(), w.get(), wantCalls)
					}
					if !transient && ae.TranslationKey() != "error.storegister."+string(code) {
						t.Errorf("TranslationKey = %q", ae.TranslationKey())
					}
					if !strings.Contains(err.Error(), string(code)) {
						t.Errorf("error %q lacks the code", err)
					}
				})
			}
		}
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		header    map[string]string
		wantCalls int32
		check     func(t *testing.T, err error)
	}{
		{name: "succeeded false, errors null", status: 200, body: `{"data":null,"succeeded":false,"status":"ERROR","errors":null}`, wantCalls: 1,
			check: func(t *testing.T, err error) {
				var ae *APIError
				if !errors.As(err, &ae) || !ae.Permanent() || len(ae.Codes) != 0 || ae.TranslationKey() != KeyUnknown {
					t.Errorf("err = %v", err)
				}
			}},
		{name: "succeeded missing", status: 200, body: `{"data":"x"}`, wantCalls: 1, check: isAPIError},
		{name: "succeeded as string", status: 200, body: `{"data":"x","succeeded":"true"}`, wantCalls: 1, check: isAPIError},
		{name: "non-2xx with succeeded true", status: 400, body: ok(`"` + refID + `"`), wantCalls: 1, check: isAPIError},
		{name: "401", status: 401, body: `{"succeeded":false,"status":"UNAUTHORIZED","errors":null}`, wantCalls: 1,
			check: func(t *testing.T, err error) {
				var ae *APIError
				if !errors.Is(err, ErrUnauthorized) || !errors.As(err, &ae) || ae.TranslationKey() != KeyUnauthorized {
					t.Errorf("err = %v", err)
				}
			}},
		{name: "401 empty body", status: 401, body: ``, wantCalls: 1, check: func(t *testing.T, err error) {
			if !errors.Is(err, ErrUnauthorized) {
				t.Errorf("err = %v", err)
			}
		}},
		{name: "500 always", status: 500, body: `<html>oops</html>`, wantCalls: 3, check: func(t *testing.T, err error) {
			var ae *APIError
			if !errors.Is(err, retry.ErrGaveUp) || !errors.As(err, &ae) || ae.HTTPStatus != 500 || TranslationKey(err) != KeyUnavailable {
				t.Errorf("err = %v", err)
			}
		}},
		{name: "validation code with 500 is permanent", status: 500, body: `{"succeeded":false,"errors":["INVALID_PARAM_SIGNATURE","FAILED"]}`, wantCalls: 1,
			check: func(t *testing.T, err error) {
				var ae *APIError
				if !errors.As(err, &ae) || errors.Is(err, retry.ErrGaveUp) || ae.TranslationKey() != CodeInvalidParamSignature.TranslationKey() {
					t.Errorf("err = %v", err)
				}
			}},
		{name: "undocumented code", status: 400, body: `{"succeeded":false,"errors":[{"code":"NEW_THING"}]}`, wantCalls: 1,
			check: func(t *testing.T, err error) {
				var ae *APIError
				if !errors.As(err, &ae) || ae.TranslationKey() != KeyUnknown || !ae.Has("NEW_THING") {
					t.Errorf("err = %v", err)
				}
			}},
		{name: "redirect not followed", status: 302, header: map[string]string{"Location": "/elsewhere"}, wantCalls: 1,
			check: func(t *testing.T, err error) {
				var ne *NetError
				if !errors.Is(err, transport.ErrRedirect) || !errors.As(err, &ne) || !strings.Contains(err.Error(), "302") {
					t.Errorf("err = %v", err)
				}
			}},
		{name: "200 not JSON", status: 200, body: `<html>proxy</html>`, wantCalls: 1, check: func(t *testing.T, err error) {
			if !errors.Is(err, ErrMalformedResponse) {
				t.Errorf("err = %v", err)
			}
		}},
		{name: "oversized body", status: 200, body: ok(`"` + strings.Repeat("a", 4096) + `"`), wantCalls: 1, check: func(t *testing.T, err error) {
			if !errors.Is(err, ErrResponseTooLarge) {
				t.Errorf("err = %v", err)
			}
		}},
		{name: "no reference id", status: 200, body: ok(`null`), wantCalls: 1, check: func(t *testing.T, err error) {
			if !errors.Is(err, ErrMalformedResponse) {
				t.Errorf("err = %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t, WithMaxResponseBytes(2048))
			var calls atomic.Int32
			mux.HandleFunc("/v1/booking/"+bookingID+"/document/save", func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			_, err := c.SaveSignature(context.Background(), bookingID, pngBytes(t, 4, 4))
			if err == nil {
				t.Fatal("no error")
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls.Load(), tt.wantCalls)
			}
			tt.check(t, err)
		})
	}
}

func isAPIError(t *testing.T, err error) {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Errorf("err = %v, want *APIError", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, value string
		want        time.Duration
	}{
		{"seconds", "7", 7 * time.Second},
		{"http date", now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
		{"absent uses backoff", "", 5 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, w := setup(t)
			c.retry.Now = func() time.Time { return now }
			var calls atomic.Int32
			mux.HandleFunc("/v1/booking/"+bookingID+"/identity-document/save/", func(rw http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					if tt.value != "" {
						rw.Header().Set("Retry-After", tt.value)
					}
					rw.WriteHeader(http.StatusTooManyRequests)
					return
				}
				fmt.Fprint(rw, ok(`[]`))
			})
			if _, err := c.IdentityDocumentTypes(context.Background(), bookingID); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]time.Duration{tt.want}, w.get()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestServerErrorThenSuccess(t *testing.T) {
	c, mux, w := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/v1/booking/"+bookingID+"/document/save", func(rw http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			rw.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			fmt.Fprint(rw, `{"succeeded":false,"status":"ERROR","errors":[{"code":"SOMETHING_WENT_WRONG"}]}`)
		default:
			testBody(t, r, `{"signature":"`+base64.StdEncoding.EncodeToString(pngBytes(t, 4, 4))+`"}`)
			fmt.Fprint(rw, ok(`"`+refID+`"`))
		}
	})
	got, err := c.SaveSignature(context.Background(), bookingID, pngBytes(t, 4, 4))
	if err != nil || got != refID || calls.Load() != 3 {
		t.Fatalf("SaveSignature = %q, %v after %d calls", got, err, calls.Load())
	}
	if diff := cmp.Diff([]time.Duration{5 * time.Millisecond, 10 * time.Millisecond}, w.get()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestDroppedConnection(t *testing.T) {
	c, mux, _ := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/v1/booking/"+bookingID+"/activity-quotation/preview", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Fatal(err)
			}
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"data\":")
			buf.Flush()
			conn.Close()
			return
		}
		fmt.Fprint(w, ok(`{"id":"`+bookingID+`"}`))
	})
	b, err := c.Booking(context.Background(), bookingID)
	if err != nil || b.ID != bookingID || calls.Load() != 2 {
		t.Fatalf("Booking = %v, %v after %d calls", b, err, calls.Load())
	}
}

// hang blocks until the client goes away. It reads the body first: the
// server notices a closed connection only once the body is consumed.
func hang(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	<-r.Context().Done()
}

func TestDeadlineExceeded(t *testing.T) {
	c, mux, w := setup(t)
	mux.HandleFunc("/v1/booking/"+bookingID+"/activity-quotation/preview", hang)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Booking(ctx, bookingID)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, retry.ErrGaveUp) {
		t.Fatalf("err = %v, want DeadlineExceeded and not ErrGaveUp", err)
	}
	if len(w.get()) != 0 {
		t.Errorf("retried after the caller's deadline: %v", w.get())
	}
}

func TestAttemptTimeout(t *testing.T) {
	c, mux, w := setup(t, WithTimeout(20*time.Millisecond))
	mux.HandleFunc("/v1/booking/"+bookingID+"/activity-quotation/preview", hang)
	_, err := c.Booking(context.Background(), bookingID)
	if !errors.Is(err, retry.ErrGaveUp) {
		t.Fatalf("err = %v, want ErrGaveUp", err)
	}
	if len(w.get()) != 2 {
		t.Errorf("waits = %v, want 2", w.get())
	}
	if TranslationKey(err) != KeyUnavailable {
		t.Errorf("TranslationKey = %q", TranslationKey(err))
	}
}

func TestCancelledContext(t *testing.T) {
	c, mux, _ := setup(t)
	noRequests(t, mux)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.IdentityDocumentTypes(ctx, bookingID)
	if !errors.Is(err, context.Canceled) || errors.Is(err, retry.ErrGaveUp) {
		t.Fatalf("err = %v, want Canceled", err)
	}
}

func TestCancelledDuringUpload(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/v1/booking/"+bookingID+"/identity-document/save/", hang)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe() // a body that never ends
	defer pw.Close()
	go func() {
		pw.Write(pngBytes(t, 4, 4))
		time.AfterFunc(20*time.Millisecond, cancel)
	}()
	_, err := c.SaveIdentityDocument(ctx, bookingID, IdentityDocument{TypeID: typeID, ContentType: "image/png", Body: pr})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want Canceled", err)
	}
}

// TestAPIKeyNeverLogged drives every kind of failure through a debug-level
// capturing logger and checks neither the log nor the errors hold the key.
func TestAPIKeyNeverLogged(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		for _, format := range []string{"text", "json"} {
			t.Run(level.String()+"/"+format, func(t *testing.T) { testAPIKeyNeverLogged(t, level, format) })
		}
	}
}

func testAPIKeyNeverLogged(t *testing.T, level slog.Level, format string) {
	var logBuf bytes.Buffer
	var mu sync.Mutex
	w := &lockedWriter{w: &logBuf, mu: &mu}
	var h slog.Handler = slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})
	if format == "json" {
		h = slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	}
	logger := slog.New(h)
	c, mux, _ := setup(t, WithLogger(logger), WithTimeout(30*time.Millisecond))
	var calls atomic.Int32
	// The server echoes the key back in every way it can.
	mux.HandleFunc("/v1/booking/", func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("X-API-Key")
		switch calls.Add(1) % 5 {
		case 0:
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"succeeded":false,"status":"%s","errors":[{"code":"%s","message":"bad key %s"}]}`, key, key, key)
		case 1:
			w.WriteHeader(500)
			fmt.Fprintf(w, `{"succeeded":false,"errors":["%s"]}`, key)
		case 2:
			fmt.Fprintf(w, `{"succeeded":false,"status":"ERROR","errors":[{"message":"%s"}]}`, key)
		case 3:
			hang(w, r)
		default:
			w.Header().Set("Location", "http://"+key+"/")
			w.WriteHeader(302)
		}
	})
	var errs []string
	for range 12 {
		_, err := c.Booking(context.Background(), bookingID)
		errs = append(errs, fmt.Sprintf("%v | %+v | %#v", err, err, err))
		_, err = c.SaveSignature(context.Background(), bookingID, pngBytes(t, 2, 2))
		errs = append(errs, fmt.Sprintf("%v", err))
	}
	logger.Debug("client", "client", c, "config", fmt.Sprintf("%+v", *c))
	mu.Lock()
	out := logBuf.String()
	mu.Unlock()
	if level <= slog.LevelWarn && !strings.Contains(out, "WARN") {
		t.Fatalf("capture logger saw no warn line:\n%s", out)
	}
	if level == slog.LevelDebug && !strings.Contains(out, "DEBUG") {
		t.Fatalf("capture logger saw no debug line:\n%s", out)
	}
	if strings.Contains(out, testKey) {
		t.Errorf("API key in log output:\n%s", out)
	}
	for _, e := range errs {
		if strings.Contains(e, testKey) {
			t.Errorf("API key in error: %s", e)
		}
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// patterned generates n bytes without holding them.
type patterned struct{ n, off int64 }

func (p *patterned) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	if rem := p.n - p.off; int64(len(b)) > rem {
		b = b[:rem]
	}
	for i := range b {
		b[i] = byte(p.off + int64(i))
	}
	p.off += int64(len(b))
	return len(b), nil
}

// Seek makes patterned an io.ReadSeeker, as a file is: the client can then
// count the upload's length up front and stream it, rather than hold it.
func (p *patterned) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += p.off
	case io.SeekEnd:
		off += p.n
	}
	if off < 0 {
		return 0, errors.New("negative position")
	}
	p.off = off
	return off, nil
}

// TestUploadMemory uploads a 50 MiB seekable stream (as a file is) and checks
// the heap does not grow with it: peak heap in use rises by less than 8 MiB,
// although the request carries a Content-Length.
func TestUploadMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 50 MiB")
	}
	const size = 50 << 20
	c, mux, _ := setup(t)
	var received atomic.Int64
	var length atomic.Int64
	mux.HandleFunc("/v1/booking/"+bookingID+"/identity-document/save/", func(w http.ResponseWriter, r *http.Request) {
		length.Store(r.ContentLength)
		if len(r.TransferEncoding) > 0 {
			t.Errorf("Transfer-Encoding %v", r.TransferEncoding)
		}
		n, _ := io.Copy(io.Discard, r.Body)
		received.Store(n)
		fmt.Fprint(w, ok(`"`+refID+`"`))
	})
	var before, peak runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // sample the heap while the upload runs
		defer close(done)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.HeapAlloc {
				peak = m
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	var sent atomic.Int64
	_, err := c.SaveIdentityDocument(context.Background(), bookingID, IdentityDocument{
		TypeID: typeID, Filename: "big.jpg", ContentType: "image/jpeg", Body: &patterned{n: size},
		Progress: func(n int64) { sent.Store(n) },
	})
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	if received.Load() < size || sent.Load() != size {
		t.Fatalf("server received %d bytes, progress %d; want at least %d", received.Load(), sent.Load(), size)
	}
	if length.Load() != received.Load() {
		t.Errorf("Content-Length %d, body %d bytes", length.Load(), received.Load())
	}
	growth := int64(peak.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("50 MiB upload: peak heap growth %.2f MiB", float64(growth)/(1<<20))
	if growth >= 8<<20 {
		t.Errorf("heap grew by %d bytes during a 50 MiB upload, want < 8 MiB", growth)
	}
}

func TestTranslationKeys(t *testing.T) {
	keys := TranslationKeys()
	if len(keys) != len(Codes)+3 {
		t.Fatalf("%d keys", len(keys))
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if !strings.HasPrefix(k, TranslationKeyPrefix) || seen[k] {
			t.Errorf("bad or duplicate key %q", k)
		}
		seen[k] = true
	}
	if Code("NOPE").TranslationKey() != KeyUnknown || CodeNoRecordsFound.TranslationKey() != "error.storegister.NO_RECORDS_FOUND" {
		t.Error("TranslationKey mapping")
	}
	if TranslationKey(errors.New("x")) != KeyUnknown {
		t.Error("TranslationKey(plain)")
	}
}

func BenchmarkSaveIdentityDocument(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fmt.Fprint(w, ok(`"`+refID+`"`))
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, testKey)
	if err != nil {
		b.Fatal(err)
	}
	img := bytes.Repeat([]byte{0xff, 0xd8, 0xff, 0xe0}, 256<<10) // 1 MiB
	b.SetBytes(int64(len(img)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.SaveIdentityDocument(context.Background(), bookingID, IdentityDocument{
			TypeID: typeID, Filename: "front.jpg", ContentType: "image/jpeg", Body: bytes.NewReader(img)}); err != nil {
			b.Fatal(err)
		}
	}
}
