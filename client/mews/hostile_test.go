package mews

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/client/transport/transporttest"
	"github.com/signet-kiosk/signet/internal/redact"
)

// hostileClient returns a client for url with a fake clock and one attempt.
func hostileClient(t *testing.T, url string, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithClock(newFakeClock()), WithRetryPolicy(&retry.Policy{MaxAttempts: 1})}, opts...)
	c, err := NewClient(url, testClientToken, testAccessToken, testClientName, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRedirectSendsNothingToSink is issue 15's probe: a server that answers
// 307/308 with a Location naming a sink. The tokens and the guest's document
// number must not reach the sink, and the error must say what happened
// without echoing the Location.
func TestRedirectSendsNothingToSink(t *testing.T) {
	const number = "X1234567Z"
	location := func(sink string, _ *http.Request) string {
		return sink + "/api/connector/v1/identityDocuments/add?t=" + testAccessToken
	}
	transporttest.Redirects(t, location, func(t *testing.T, base string, hc *http.Client) []error {
		var opts []Option
		if hc != nil {
			opts = append(opts, WithHTTPClient(hc))
		}
		_, err := hostileClient(t, base, opts...).Documents.Add(context.Background(), []Document{{CustomerID: "c-1", Type: Passport, Number: number}})
		return []error{err}
	}, testAccessToken, testClientToken, number)
}

func TestRefusesInsecureSettings(t *testing.T) {
	if _, err := NewClient("http://api.mews.com", testClientToken, testAccessToken, testClientName); !errors.Is(err, ErrConfig) || !errors.Is(err, transport.ErrInsecure) {
		t.Errorf("plain http off loopback: %v", err)
	}
	insecure := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	if _, err := NewClient(DemoURL, testClientToken, testAccessToken, testClientName, WithHTTPClient(insecure)); !errors.Is(err, ErrConfig) || !errors.Is(err, transport.ErrInsecure) {
		t.Errorf("InsecureSkipVerify: %v", err)
	}
	for _, d := range []time.Duration{0, -time.Second} {
		if _, err := NewClient(DemoURL, testClientToken, testAccessToken, testClientName, WithTimeout(d)); !errors.Is(err, ErrConfig) {
			t.Errorf("WithTimeout(%v): %v", d, err)
		}
	}
	// A caller's client without a timeout gets the default, never "forever".
	c, err := NewClient(DemoURL, testClientToken, testAccessToken, testClientName, WithHTTPClient(&http.Client{}))
	if err != nil || c.httpClient.Timeout != DefaultTimeout {
		t.Errorf("caller's client: timeout %v, %v", c.httpClient.Timeout, err)
	}
}

func TestSilentServerEndsByTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := hostileClient(t, srv.URL, WithTimeout(50*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a safety net only
	defer cancel()
	_, err := c.Configuration.Get(ctx)
	var ne interface{ Timeout() bool }
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if ctx.Err() != nil {
		t.Error("only the safety net ended the request")
	}
}

func TestEndlessBodyEndsInClearError(t *testing.T) {
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write([]byte(`{"Enterprise":{"Name":"`))
		chunk := []byte(strings.Repeat("a", 32<<10))
		for r.Context().Err() == nil {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c := hostileClient(t, srv.URL)
	_, err := c.Configuration.Get(context.Background())
	if !errors.Is(err, transport.ErrTooLarge) || !strings.Contains(err.Error(), fmt.Sprintf("larger than %d bytes", maxBody)) {
		t.Fatalf("err = %v, want ErrTooLarge naming the cap", err)
	}
}

// docs returns n documents as JSON list items, made once per n.
var docs = func() func(n int) []byte {
	var mu sync.Mutex
	made := map[int][]byte{}
	return func(n int) []byte {
		mu.Lock()
		defer mu.Unlock()
		if b, ok := made[n]; ok {
			return b
		}
		var b bytes.Buffer
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"Id":"d-%d","CustomerId":"c-1","Type":"Passport","Number":"N%d"}`, i, i)
		}
		made[n] = b.Bytes()
		return made[n]
	}
}()

// endlessPages answers every documents getAll with a full page and a fresh
// cursor: a listing that never ends. It counts the pages it served.
func endlessPages(t testing.TB, served *atomic.Int64) *httptest.Server {
	return endlessListing(t, served, "IdentityDocuments", func(w io.Writer, _ int64, count int) { w.Write(docs(count)) })
}

// endlessListing answers every getAll with a page of the count asked for,
// under field, as items writes them for page n, and a fresh cursor. It
// counts the pages it served.
func endlessListing(t testing.TB, served *atomic.Int64, field string, items func(w io.Writer, n int64, count int)) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Limitation Limitation }
		if err := decodeJSON(r.Body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n := served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{%q:[`, field)
		items(w, n, req.Limitation.Count)
		fmt.Fprintf(w, `],"Cursor":"cursor-%d"}`, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func TestEndlessPagesStopAtTheCap(t *testing.T) {
	tests := []struct {
		name             string
		pages, items     int
		wantPages        int64
		wantDocs         int
		wantWhat         string
		wantErrSubstring string
	}{
		{"pages", 5, 1000, 5, 10, "pages", "passed 5 pages"},
		{"items", 1000, 7, 4, 6, "items", "passed 7 items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var served atomic.Int64
			srv := endlessPages(t, &served)
			c := hostileClient(t, srv.URL, WithPageCount(2), WithListLimits(tt.pages, tt.items))
			docs, err := c.Documents.List(context.Background(), DocumentListOptions{CustomerIDs: []string{"c-1"}})
			var le *ListLimitError
			if !errors.Is(err, ErrListTooLong) || !errors.As(err, &le) || le.What != tt.wantWhat ||
				!strings.Contains(err.Error(), tt.wantErrSubstring) || !strings.Contains(err.Error(), "WithListLimits") {
				t.Fatalf("err = %v, want a ListLimitError on %s", err, tt.wantWhat)
			}
			if retry.Transient(err) {
				t.Error("a listing past its cap is classed transient")
			}
			if served.Load() != tt.wantPages || len(docs) != tt.wantDocs {
				t.Errorf("served %d pages, returned %d documents; want %d, %d", served.Load(), len(docs), tt.wantPages, tt.wantDocs)
			}
		})
	}
	if _, err := NewClient(DemoURL, testClientToken, testAccessToken, testClientName, WithListLimits(0, 10)); !errors.Is(err, ErrConfig) {
		t.Errorf("WithListLimits(0, 10): %v", err)
	}
}

const envPagesChild = "SIGNET_MEWS_ENDLESS_PAGES_URL"

// TestEndlessPagesPeakRSS lists an endless listing with the default limits
// in a child process and reads the child's peak RSS.
func TestEndlessPagesPeakRSS(t *testing.T) {
	if u := os.Getenv(envPagesChild); u != "" {
		c := hostileClient(t, u)
		docs, err := c.Documents.List(context.Background(), DocumentListOptions{CustomerIDs: []string{"c-1"}})
		if !errors.Is(err, ErrListTooLong) || len(docs) != DefaultMaxListItems {
			t.Fatalf("err = %v, %d documents", err, len(docs))
		}
		return
	}
	var served atomic.Int64
	srv := endlessPages(t, &served)
	peak := transporttest.PeakRSS(t, "TestEndlessPagesPeakRSS", envPagesChild+"="+srv.URL)
	t.Logf("endless listing, default limits: %d pages served, client peak RSS %.1f MiB", served.Load(), float64(peak)/(1<<20))
	if served.Load() != DefaultMaxListItems/MaxPageCount+1 {
		t.Errorf("served %d pages, want %d", served.Load(), DefaultMaxListItems/MaxPageCount+1)
	}
	transporttest.CheckRSS(t, peak, 150<<20, 600<<20)
}

// TestAPIErrorMessageScrubbedForLogs: a Mews refusal whose Message echoes
// the guest's document number and name, with a line break and a long tail.
// Staff still get the Message as sent; the error string, which is what
// reaches a log, has neither value, no line break, and at most 200
// characters of the Message.
func TestAPIErrorMessageScrubbedForLogs(t *testing.T) {
	const number, name = "P9081726", "Virtanen"
	redact.RegisterPersonal(name) // as the kiosk does with the guest's name
	defer redact.ForgetPersonal(name)
	message := "Customer " + name + " already has document " + number + "\nlevel=ERROR msg=forged " + strings.Repeat("x", 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]string{"Message": message, "RequestId": "req-1\nforged"})
	}))
	defer srv.Close()
	c := hostileClient(t, srv.URL)
	_, err := c.Documents.Add(context.Background(), []Document{{CustomerID: "c-1", Type: Passport, Number: number}})
	if got, ok := UserMessage(err); !ok || got != message {
		t.Errorf("UserMessage = %q, %v; want the Message as sent, for staff", got, ok)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Error("mews refused", "error", err) // a plain logger, no redaction of its own
	for _, out := range []string{err.Error(), fmt.Sprintf("%v", err), buf.String()} {
		if strings.Contains(out, number) || strings.Contains(out, name) {
			t.Errorf("personal data in %q", out)
		}
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("line break in the error string: %q", msg)
	}
	if n := strings.Count(msg, "x"); n == 0 || n > MaxMessageInError {
		t.Errorf("error string carries %d characters of the tail, want 1–%d", n, MaxMessageInError)
	}
	if !strings.Contains(msg, "403") || !strings.Contains(msg, "…") {
		t.Errorf("error string %q", msg)
	}
}

// TestEndlessCustomersStopAtTheCap: Customers.Find pages through its own
// loop; the client's cursor guard caps it all the same.
func TestEndlessCustomersStopAtTheCap(t *testing.T) {
	tests := []struct {
		name         string
		pages, items int
		wantPages    int64
		wantWhat     string
	}{
		{"pages", 5, 1000, 5, "pages"},
		{"items", 1000, 7, 4, "items"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var served atomic.Int64
			srv := endlessListing(t, &served, "Customers", func(w io.Writer, n int64, count int) {
				for i := range count {
					if i > 0 {
						fmt.Fprint(w, ",")
					}
					fmt.Fprintf(w, `{"Id":"c-%d-%d","LastName":"L"}`, n, i)
				}
			})
			c := hostileClient(t, srv.URL, WithPageCount(2), WithListLimits(tt.pages, tt.items))
			_, err := c.Customers.Find(context.Background(), CustomerFilter{Emails: []string{"guest@example.com"}})
			var le *ListLimitError
			if !errors.Is(err, ErrListTooLong) || !errors.As(err, &le) || le.What != tt.wantWhat || le.Op != "customers/getAll" {
				t.Fatalf("err = %v, want a ListLimitError on %s", err, tt.wantWhat)
			}
			if served.Load() != tt.wantPages {
				t.Errorf("served %d pages, want %d", served.Load(), tt.wantPages)
			}
			// A new listing starts afresh: the cap is per listing.
			served.Store(0)
			_, err = c.Customers.Find(context.Background(), CustomerFilter{Emails: []string{"guest@example.com"}})
			if !errors.Is(err, ErrListTooLong) || served.Load() != tt.wantPages {
				t.Errorf("second listing: %v after %d pages", err, served.Load())
			}
		})
	}
}
