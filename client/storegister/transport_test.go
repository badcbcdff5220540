package storegister

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/client/transport/transporttest"
)

// TestRedirectSendsNothingToSink points the client at a server that answers
// every request with a redirect to a sink: neither the key nor the
// signature may reach the sink, and the error says what happened without
// echoing the Location.
func TestRedirectSendsNothingToSink(t *testing.T) {
	location := func(sink string, r *http.Request) string { return sink + r.URL.Path + "?key=" + testKey }
	transporttest.Redirects(t, location, func(t *testing.T, base string, hc *http.Client) []error {
		opts := []Option{WithRetry(&retry.Policy{MaxAttempts: 3, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})}
		if hc != nil {
			opts = append(opts, WithHTTPClient(hc))
		}
		c, err := NewClient(base, testKey, opts...)
		if err != nil {
			t.Fatal(err)
		}
		_, err1 := c.Booking(context.Background(), bookingID)
		_, err2 := c.SaveSignature(context.Background(), bookingID, pngBytes(t, 4, 4))
		return []error{err1, err2}
	}, testKey)
}

func TestRefusesInsecureSettings(t *testing.T) {
	if _, err := NewClient("http://api.example.com", testKey); !errors.Is(err, transport.ErrInsecure) {
		t.Errorf("plain http off loopback: %v", err)
	}
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if _, err := NewClient("https://api.example.com", testKey, WithHTTPClient(insecure)); !errors.Is(err, transport.ErrInsecure) {
		t.Errorf("InsecureSkipVerify: %v", err)
	}
	c, err := NewClient("https://api.example.com", testKey, WithHTTPClient(&http.Client{}))
	if err != nil || c.http.Timeout != DefaultTimeout {
		t.Errorf("a caller's client without a timeout: %v, %v", c.http.Timeout, err)
	}
}

// TestSilentServerEndsByTimeout: a server that never answers ends each
// attempt at the client's timeout, and the call gives up.
func TestSilentServerEndsByTimeout(t *testing.T) {
	c, mux, w := setup(t, WithTimeout(30*time.Millisecond))
	mux.HandleFunc("/v1/booking/"+bookingID+"/identity-document/save/", hang)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a safety net only
	defer cancel()
	_, err := c.SaveIdentityDocument(ctx, bookingID, IdentityDocument{TypeID: typeID, ContentType: "image/png", Body: bytes.NewReader(pngBytes(t, 4, 4))})
	if !errors.Is(err, retry.ErrGaveUp) || !strings.Contains(err.Error(), "no answer within 30ms") {
		t.Fatalf("err = %v, want to give up after timeouts", err)
	}
	if ctx.Err() != nil || len(w.get()) != 2 {
		t.Errorf("safety net %v, waits %v", ctx.Err(), w.get())
	}
}

// TestEndlessBodyEndsInClearError: a 200 whose body never ends is refused
// at the cap, without retrying.
func TestEndlessBodyEndsInClearError(t *testing.T) {
	c, mux, _ := setup(t, WithMaxResponseBytes(64<<10))
	var calls atomic.Int32
	mux.HandleFunc("/v1/booking/"+bookingID+"/activity-quotation/preview", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Write([]byte(`{"data":"`))
		chunk := bytes.Repeat([]byte("a"), 8<<10)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	_, err := c.Booking(context.Background(), bookingID)
	if !errors.Is(err, ErrResponseTooLarge) || !strings.Contains(err.Error(), "over 65536 bytes") {
		t.Fatalf("err = %v, want ErrResponseTooLarge naming the cap", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d calls, want 1", calls.Load())
	}
}

// tempFile writes b to a file called name in a temporary folder and returns
// it open for reading; the test closes it.
func tempFile(t *testing.T, name string, b []byte) *os.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestUploadsCarryContentLength: every upload has a Content-Length and no
// chunked transfer encoding, whatever its body is, and arrives whole.
func TestUploadsCarryContentLength(t *testing.T) {
	img := pngBytes(t, 30, 20)
	f := tempFile(t, "front.png", img)
	bodies := map[string]io.Reader{
		"bytes.Reader":           bytes.NewReader(img),
		"file":                   f,
		"stream that can't seek": io.MultiReader(bytes.NewReader(img)),
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			c, mux, _ := setup(t)
			check := func(r *http.Request) {
				if r.ContentLength <= 0 {
					t.Errorf("ContentLength = %d", r.ContentLength)
				}
				for _, te := range r.TransferEncoding {
					if te == "chunked" {
						t.Error("the body was sent chunked")
					}
				}
			}
			mux.HandleFunc("/v1/booking/"+bookingID+"/identity-document/save/", func(w http.ResponseWriter, r *http.Request) {
				check(r)
				_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
				mr := multipart.NewReader(r.Body, params["boundary"])
				if p, err := mr.NextPart(); err != nil || p.FormName() != "documentTypeInfoId" {
					t.Fatalf("first part: %v", err)
				}
				p, err := mr.NextPart()
				if err != nil {
					t.Fatal(err)
				}
				testPart(t, p, string(img))
				fmt.Fprint(w, ok(`"`+refID+`"`))
			})
			mux.HandleFunc("/v1/booking/"+bookingID+"/document/save", func(w http.ResponseWriter, r *http.Request) {
				check(r)
				io.Copy(io.Discard, r.Body)
				fmt.Fprint(w, ok(`"`+refID+`"`))
			})
			var last atomic.Int64
			if _, err := c.SaveIdentityDocument(context.Background(), bookingID, IdentityDocument{
				TypeID: typeID, Body: body, Progress: func(n int64) { last.Store(n) }}); err != nil {
				t.Fatal(err)
			}
			if last.Load() != int64(len(img)) {
				t.Errorf("progress ended at %d, want %d", last.Load(), len(img))
			}
			if _, err := c.SaveSignature(context.Background(), bookingID, img); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestUnsizedUploadOverCapRefused: a body that cannot seek is held in memory
// to learn its length, so one over MaxUnsizedUpload is refused unsent.
func TestUnsizedUploadOverCapRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 16 MiB")
	}
	c, mux, _ := setup(t)
	noRequests(t, mux)
	_, err := c.SaveIdentityDocument(context.Background(), bookingID, IdentityDocument{
		TypeID: typeID, ContentType: "image/jpeg", Body: io.MultiReader(&patterned{n: MaxUnsizedUpload + 1})})
	if !errors.Is(err, ErrInvalidDocument) || !strings.Contains(err.Error(), "16 MiB") {
		t.Fatalf("err = %v, want ErrInvalidDocument naming the cap", err)
	}
}

// countingFile counts the bytes read from a file.
type countingFile struct {
	*os.File
	read atomic.Int64
}

func (c *countingFile) Read(p []byte) (int, error) {
	n, err := c.File.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// TestFileUploadIsReadOnce: a file's upload length is worked out from its
// size, not by reading it through first, so the image is read once per
// attempt (plus the 512 bytes sniffed for its type) and the progress
// callback runs from 0 to the end once, as the guest's progress bar shows.
func TestFileUploadIsReadOnce(t *testing.T) {
	img := bytes.Repeat([]byte("\xff\xd8\xff\xe0 a JPEG-like body "), 20000) // 380 kB
	f := tempFile(t, "front.jpg", img)
	body := &countingFile{File: f}
	c, mux, _ := setup(t)
	var got int64
	mux.HandleFunc("/v1/booking/"+bookingID+"/identity-document/save/", func(w http.ResponseWriter, r *http.Request) {
		got = r.ContentLength
		n, _ := io.Copy(io.Discard, r.Body)
		if n != r.ContentLength {
			t.Errorf("Content-Length %d, body %d bytes", r.ContentLength, n)
		}
		fmt.Fprint(w, ok(`"`+refID+`"`))
	})
	var restarts int
	var last int64
	if _, err := c.SaveIdentityDocument(context.Background(), bookingID, IdentityDocument{
		TypeID: typeID, Body: body, Progress: func(n int64) {
			if n < last {
				restarts++
			}
			last = n
		}}); err != nil {
		t.Fatal(err)
	}
	if got <= int64(len(img)) {
		t.Errorf("Content-Length %d, want more than the image's %d bytes", got, len(img))
	}
	if r := body.read.Load(); r > int64(len(img))+512 {
		t.Errorf("read %d bytes of a %d-byte file: it was read more than once", r, len(img))
	}
	if restarts != 0 || last != int64(len(img)) {
		t.Errorf("progress went back %d times and ended at %d", restarts, last)
	}
}
