package mews

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/internal/fakeclock"
	"github.com/signet-kiosk/signet/internal/redact"
)

const (
	testClientToken = "test-client-token-0123456789"
	testAccessToken = "test-access-token-9876543210"
	testClientName  = "Signet 1.0.0-test"
	basePath        = "/platform"
)

func newFakeClock() *fakeclock.Clock {
	return fakeclock.New(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
}

// setup starts a test server mounted under a non-empty base path and returns
// a client for it with a fake clock and a retry policy without jitter.
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux, *fakeclock.Clock) {
	t.Helper()
	mux := http.NewServeMux()
	api := http.NewServeMux()
	api.Handle(basePath+"/", http.StripPrefix(basePath, mux))
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s", r.URL.Path)
		http.Error(w, "outside base path", http.StatusBadRequest)
	})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	clk := newFakeClock()
	all := append([]Option{
		WithClock(clk),
		WithRetryPolicy(&retry.Policy{Base: 100 * time.Millisecond, Cap: time.Second, Jitter: func(n time.Duration) time.Duration { return n / 2 }}),
	}, opts...)
	c, err := NewClient(srv.URL+basePath+"/", testClientToken, testAccessToken, testClientName, all...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c, mux, clk
}

// decodeBody reads a request body as a map and checks the envelope.
func decodeBody(t *testing.T, r *http.Request) map[string]any {
	t.Helper()
	if r.Method != http.MethodPost {
		t.Errorf("method = %s, want POST", r.Method)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var m map[string]any
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		t.Fatalf("request body: %v", err)
	}
	if m["ClientToken"] != testClientToken || m["AccessToken"] != testAccessToken || m["Client"] != testClientName {
		t.Errorf("envelope = %v %v %v, want the tokens and client name in the body", m["ClientToken"] != nil, m["AccessToken"] != nil, m["Client"])
	}
	return m
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", "req-test")
	_ = json.NewEncoder(w).Encode(v)
}

func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%04d", prefix, i)
	}
	return out
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		name                string
		url, ct, at, client string
		opts                []Option
		wantErr             bool
	}{
		{name: "ok", url: DemoURL, ct: "c", at: "a", client: "Signet 1.0"},
		{name: "production", url: ProductionURL, ct: "c", at: "a", client: "Signet 1.0"},
		{name: "language pair", url: DemoURL, ct: "c", at: "a", client: "S", opts: []Option{WithLanguage("en-US", "en-US")}},
		{name: "language alone", url: DemoURL, ct: "c", at: "a", client: "S", opts: []Option{WithLanguage("en-US", "")}, wantErr: true},
		{name: "culture alone", url: DemoURL, ct: "c", at: "a", client: "S", opts: []Option{WithLanguage("", "en-US")}, wantErr: true},
		{name: "no url", url: "", ct: "c", at: "a", client: "S", wantErr: true},
		{name: "ftp", url: "ftp://x", ct: "c", at: "a", client: "S", wantErr: true},
		{name: "userinfo", url: "https://u:p@x", ct: "c", at: "a", client: "S", wantErr: true},
		{name: "no client token", url: DemoURL, at: "a", client: "S", wantErr: true},
		{name: "no access token", url: DemoURL, ct: "c", client: "S", wantErr: true},
		{name: "no client name", url: DemoURL, ct: "c", at: "a", client: " ", wantErr: true},
		{name: "rate limit 0", url: DemoURL, ct: "c", at: "a", client: "S", opts: []Option{WithRateLimit(0)}, wantErr: true},
		{name: "rate limit 201", url: DemoURL, ct: "c", at: "a", client: "S", opts: []Option{WithRateLimit(201)}, wantErr: true},
		{name: "page 1001", url: DemoURL, ct: "c", at: "a", client: "S", opts: []Option{WithPageCount(1001)}, wantErr: true},
		{name: "nil http client", url: DemoURL, ct: "c", at: "a", client: "S", opts: []Option{WithHTTPClient(nil)}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.url, redact.Secret(tt.ct), redact.Secret(tt.at), tt.client, tt.opts...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewClient error = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrConfig) {
				t.Errorf("error %v does not wrap ErrConfig", err)
			}
			if err == nil && c.Documents == nil {
				t.Error("Documents service is nil")
			}
		})
	}
}

func TestEnvelope(t *testing.T) {
	c, mux, _ := setup(t, WithLanguage("en-US", "en-GB"), WithChainID("chain-1"))
	mux.HandleFunc("/api/connector/v1/identityDocuments/delete", func(w http.ResponseWriter, r *http.Request) {
		m := decodeBody(t, r)
		want := map[string]any{
			"ClientToken": testClientToken, "AccessToken": testAccessToken, "Client": testClientName,
			"LanguageCode": "en-US", "CultureCode": "en-GB", "ChainId": "chain-1",
			"IdentityDocumentIds": []any{"d1"},
		}
		if diff := cmp.Diff(want, m); diff != "" {
			t.Errorf("body (-want +got):\n%s", diff)
		}
		if r.URL.RawQuery != "" || r.Header.Get("Authorization") != "" {
			t.Error("tokens must travel only in the body")
		}
		writeJSON(w, struct{}{})
	})
	if err := c.Documents.Delete(context.Background(), []string{"d1"}); err != nil {
		t.Fatal(err)
	}
}

func TestBatching(t *testing.T) {
	tests := []struct {
		name  string
		op    string
		field string
		run   func(c *Client) error
		want  []int
	}{
		{name: "25 adds", op: "identityDocuments/add", field: "IdentityDocuments", want: []int{10, 10, 5},
			run: func(c *Client) error {
				docs := make([]Document, 25)
				for i := range docs {
					docs[i] = Document{CustomerID: "c1", Type: Passport, Number: fmt.Sprint(i)}
				}
				got, err := c.Documents.Add(context.Background(), docs)
				if err == nil && len(got) != 25 {
					err = fmt.Errorf("%d created", len(got))
				}
				return err
			}},
		{name: "250 deletes", op: "identityDocuments/delete", field: "IdentityDocumentIds", want: []int{100, 100, 50},
			run: func(c *Client) error { return c.Documents.Delete(context.Background(), ids("d", 250)) }},
		{name: "25 clears", op: "identityDocuments/clear", field: "CustomerIds", want: []int{10, 10, 5},
			run: func(c *Client) error { return c.Documents.Clear(context.Background(), ids("c", 25)) }},
		{name: "11 updates", op: "identityDocuments/update", field: "IdentityDocuments", want: []int{10, 1},
			run: func(c *Client) error {
				us := make([]DocumentUpdate, 11)
				for i := range us {
					us[i] = DocumentUpdate{ID: fmt.Sprint(i), Number: Set("N")}
				}
				_, err := c.Documents.Update(context.Background(), us)
				return err
			}},
		{name: "no adds", op: "identityDocuments/add", field: "IdentityDocuments",
			run: func(c *Client) error { _, err := c.Documents.Add(context.Background(), nil); return err }},
		{name: "no deletes", op: "identityDocuments/delete", field: "IdentityDocumentIds",
			run: func(c *Client) error { return c.Documents.Delete(context.Background(), nil) }},
		{name: "no clears", op: "identityDocuments/clear", field: "CustomerIds",
			run: func(c *Client) error { return c.Documents.Clear(context.Background(), []string{}) }},
		{name: "no updates", op: "identityDocuments/update", field: "IdentityDocuments",
			run: func(c *Client) error { _, err := c.Documents.Update(context.Background(), nil); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			var got []int
			mux.HandleFunc("/api/connector/v1/"+tt.op, func(w http.ResponseWriter, r *http.Request) {
				m := decodeBody(t, r)
				items := m[tt.field].([]any)
				got = append(got, len(items))
				if tt.field != "IdentityDocuments" {
					writeJSON(w, struct{}{})
					return
				}
				var out []map[string]any
				for i, it := range items {
					d := it.(map[string]any)
					if d["Id"] == nil {
						d["Id"] = fmt.Sprintf("new-%d-%d", len(got), i)
					}
					if d["CustomerId"] == nil {
						d["CustomerId"], d["Type"], d["Number"] = "c1", "Passport", "N" // an update echoes a full document
					}
					out = append(out, d)
				}
				writeJSON(w, map[string]any{"IdentityDocuments": out})
			})
			if err := tt.run(c); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("batch sizes (-want +got):\n%s", diff)
			}
		})
	}
}

// docServer answers identityDocuments/getAll from a list of n documents per
// customer, newest first, with cursor paging; it records each request.
type docServer struct {
	t        *testing.T
	mu       sync.Mutex
	perCust  int
	requests []map[string]any
	fail     func(n int, m map[string]any) int // status to fail request n with, or 0
}

func (s *docServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := decodeBody(s.t, r)
	s.mu.Lock()
	s.requests = append(s.requests, m)
	n := len(s.requests)
	s.mu.Unlock()
	if s.fail != nil {
		if code := s.fail(n, m); code != 0 {
			w.Header().Set("Request-Id", fmt.Sprintf("req-%d", n))
			w.WriteHeader(code)
			fmt.Fprintf(w, `{"Message":"failed %d"}`, code)
			return
		}
	}
	lim := m["Limitation"].(map[string]any)
	count := int(lim["Count"].(float64))
	var all []Document
	for _, c := range strs(m["CustomerIds"]) {
		for i := s.perCust - 1; i >= 0; i-- { // newest first
			all = append(all, Document{ID: fmt.Sprintf("%s/%05d", c, i), CustomerID: c, Type: Passport, Number: "N"})
		}
	}
	start := 0
	if cur, ok := lim["Cursor"].(string); ok {
		for i, d := range all {
			if d.ID == cur {
				start = i + 1
			}
		}
	}
	end := min(start+count, len(all))
	page := all[start:end]
	var cursor *string
	if len(page) > 0 {
		cursor = &page[len(page)-1].ID
	}
	writeJSON(w, map[string]any{"IdentityDocuments": page, "Cursor": cursor})
}

func TestGetAllChunksAndPages(t *testing.T) {
	tests := []struct {
		name        string
		customers   int
		perCustomer int
		count       int
		wantCalls   []int // CustomerIds per call
		wantCounts  []int // Limitation.Count per call
		wantDocs    int
	}{
		{name: "150 customers, 2 chunks", customers: 150, perCustomer: 1, wantCalls: []int{100, 50}, wantCounts: []int{1000, 1000}, wantDocs: 150},
		{name: "2500 documents, 3 pages", customers: 1, perCustomer: 2500, wantCalls: []int{1, 1, 1}, wantCounts: []int{1000, 1000, 1000}, wantDocs: 2500},
		{name: "exact page then empty", customers: 1, perCustomer: 20, count: 10, wantCalls: []int{1, 1, 1}, wantCounts: []int{10, 10, 10}, wantDocs: 20},
		{name: "no customers sends nothing", customers: 0, perCustomer: 5, wantDocs: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			srv := &docServer{t: t, perCust: tt.perCustomer}
			mux.Handle("/api/connector/v1/identityDocuments/getAll", srv)
			var got int
			seen := map[string]bool{}
			for d, err := range c.Documents.GetAll(context.Background(), DocumentListOptions{CustomerIDs: ids("cust", tt.customers), Count: tt.count}) {
				if err != nil {
					t.Fatal(err)
				}
				if seen[d.ID] {
					t.Fatalf("document %s yielded twice", d.ID)
				}
				seen[d.ID] = true
				got++
			}
			if got != tt.wantDocs {
				t.Errorf("documents = %d, want %d", got, tt.wantDocs)
			}
			var calls, counts []int
			for _, m := range srv.requests {
				calls = append(calls, len(m["CustomerIds"].([]any)))
				counts = append(counts, int(m["Limitation"].(map[string]any)["Count"].(float64)))
			}
			if diff := cmp.Diff(tt.wantCalls, calls); diff != "" {
				t.Errorf("CustomerIds per call (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantCounts, counts); diff != "" {
				t.Errorf("Limitation.Count per call (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetAllFilters(t *testing.T) {
	c, mux, _ := setup(t)
	var bodies []map[string]any
	mux.HandleFunc("/api/connector/v1/identityDocuments/getAll", func(w http.ResponseWriter, r *http.Request) {
		bodies = append(bodies, decodeBody(t, r))
		writeJSON(w, map[string]any{"IdentityDocuments": []any{}, "Cursor": nil})
	})
	opts := DocumentListOptions{CustomerIDs: ids("c", 3), IdentityDocumentIDs: ids("d", 150), Types: []DocumentType{Passport, "Unknown"}, ChainIDs: []string{"ch"}}
	if _, err := c.Documents.List(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if len(bodies) != 2 {
		t.Fatalf("calls = %d, want 2 (150 document ids in chunks of 100)", len(bodies))
	}
	b := bodies[1]
	if got := len(b["IdentityDocumentIds"].([]any)); got != 50 {
		t.Errorf("second chunk has %d ids", got)
	}
	if diff := cmp.Diff([]any{"Passport", "Unknown"}, b["Types"]); diff != "" {
		t.Errorf("Types (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]any{"ch"}, b["ChainIds"]); diff != "" {
		t.Errorf("ChainIds (-want +got):\n%s", diff)
	}
	if _, ok := b["Limitation"].(map[string]any)["Cursor"]; ok {
		t.Error("first page must not send a cursor")
	}
	_, err := c.Documents.List(context.Background(), DocumentListOptions{CustomerIDs: []string{"c"}, ChainIDs: ids("ch", 1001)})
	if !errors.Is(err, ErrInvalidInput) {
		t.Errorf("1001 chain ids: err = %v", err)
	}
}

func TestGetAllShrinksPageOn408(t *testing.T) {
	c, mux, clk := setup(t)
	srv := &docServer{t: t, perCust: 1200, fail: func(n int, m map[string]any) int {
		if int(m["Limitation"].(map[string]any)["Count"].(float64)) > 250 {
			return http.StatusRequestTimeout
		}
		return 0
	}}
	mux.Handle("/api/connector/v1/identityDocuments/getAll", srv)
	docs, err := c.Documents.List(context.Background(), DocumentListOptions{CustomerIDs: []string{"c"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1200 {
		t.Errorf("documents = %d, want 1200", len(docs))
	}
	var counts []int
	for _, m := range srv.requests {
		counts = append(counts, int(m["Limitation"].(map[string]any)["Count"].(float64)))
	}
	want := []int{1000, 500, 250, 250, 250, 250, 250}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("Limitation.Count per call (-want +got):\n%s", diff)
	}
	if len(clk.Sleeps()) != 2 {
		t.Errorf("waits = %v, want 2 backoffs", clk.Sleeps())
	}
}

func TestRetryAfter(t *testing.T) {
	tests := []struct {
		name     string
		header   func(now time.Time) string
		wantWait time.Duration
	}{
		{name: "seconds", header: func(time.Time) string { return "7" }, wantWait: 7 * time.Second},
		{name: "http date", header: func(now time.Time) string { return now.Add(12 * time.Second).Format(http.TimeFormat) }, wantWait: 12 * time.Second},
		{name: "absent: backoff with jitter", header: func(time.Time) string { return "" }, wantWait: 50 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, clk := setup(t)
			calls := 0
			mux.HandleFunc("/api/connector/v1/identityDocuments/clear", func(w http.ResponseWriter, r *http.Request) {
				decodeBody(t, r)
				calls++
				if calls == 1 {
					if h := tt.header(clk.Now()); h != "" {
						w.Header().Set("Retry-After", h)
					}
					w.WriteHeader(http.StatusTooManyRequests)
					fmt.Fprint(w, `{"Message":"Too many requests","RequestId":"r429"}`)
					return
				}
				writeJSON(w, struct{}{})
			})
			if err := c.Documents.Clear(context.Background(), []string{"c1"}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]time.Duration{tt.wantWait}, clk.Sleeps()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGivesUp(t *testing.T) {
	c, mux, clk := setup(t)
	mux.HandleFunc("/api/connector/v1/identityDocuments/delete", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	err := c.Documents.Delete(context.Background(), []string{"x"})
	if !errors.Is(err, retry.ErrGaveUp) || !IsServerError(err) {
		t.Fatalf("err = %v, want a gave-up 5xx", err)
	}
	if got := len(clk.Sleeps()); got != retry.DefaultMaxAttempts-1 {
		t.Errorf("waits = %d", got)
	}
}

func TestAPIErrors(t *testing.T) {
	tests := []struct {
		status    int
		body      string
		header    string
		pred      func(error) bool
		wantMsg   string
		wantReqID string
	}{
		{400, `{"Message":"Invalid CustomerIds","RequestId":"b1"}`, "h1", IsBadRequest, "Invalid CustomerIds", "b1"},
		{401, `{"Message":"Invalid AccessToken"}`, "h2", IsUnauthorized, "Invalid AccessToken", "h2"},
		{403, `{"Message":"The document number is required.","RequestId":"b3","Details":{"x":1}}`, "", IsForbidden, "The document number is required.", "b3"},
		{404, ``, "h4", IsNotFound, "", "h4"},
		{408, `not json`, "h5", IsRequestTimeout, "", "h5"},
		{409, `{"Message":null,"RequestId":null}`, "h6", IsConflict, "", "h6"},
		{413, `{}`, "", IsTooLarge, "", ""},
		{429, `{"Message":"Slow down"}`, "", IsRateLimited, "Slow down", ""},
		{500, `{"Message":"Oops"}`, "", IsServerError, "Oops", ""},
		{503, ``, "", IsServerError, "", ""},
	}
	preds := []func(error) bool{IsBadRequest, IsUnauthorized, IsForbidden, IsNotFound, IsRequestTimeout, IsConflict, IsTooLarge, IsRateLimited, IsServerError}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			rec := httptest.NewRecorder()
			if tt.header != "" {
				rec.Header().Set("Request-Id", tt.header)
			}
			rec.WriteHeader(tt.status)
			rec.WriteString(tt.body)
			err := CheckResponse(rec.Result(), time.Now())
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, not an *APIError", err)
			}
			if ae.Status != tt.status || ae.Message != tt.wantMsg || ae.RequestID != tt.wantReqID {
				t.Errorf("got %d %q %q, want %d %q %q", ae.Status, ae.Message, ae.RequestID, tt.status, tt.wantMsg, tt.wantReqID)
			}
			matches := 0
			for _, p := range preds {
				if p(err) {
					matches++
				}
			}
			if !tt.pred(fmt.Errorf("wrapped: %w", err)) || matches != 1 {
				t.Errorf("predicates: own %v, %d match", tt.pred(err), matches)
			}
			msg, ok := UserMessage(err)
			if ok != (tt.status == 403) || (ok && msg != tt.wantMsg) {
				t.Errorf("UserMessage = %q, %v", msg, ok)
			}
		})
	}
	if CheckResponse(&http.Response{StatusCode: 204, Body: http.NoBody}, time.Now()) != nil {
		t.Error("204 is not an error")
	}
}

func TestSecretsStayOut(t *testing.T) {
	var logs bytes.Buffer
	logger := redact.NewLogger(&logs, "debug", "text")
	c, mux, _ := setup(t, WithLogger(logger))
	mux.HandleFunc("/api/connector/v1/configuration/get", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Request-Id", "r401")
		w.WriteHeader(http.StatusUnauthorized)
		// A server that echoes the request back must not leak it through the error.
		fmt.Fprintf(w, `{"Message":%q}`, string(body))
	})
	_, err := c.Configuration.Get(context.Background())
	if !IsUnauthorized(err) {
		t.Fatalf("err = %v", err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v %#v", err, c), logs.String()} {
		if strings.Contains(s, testClientToken) || strings.Contains(s, testAccessToken) {
			t.Errorf("a token leaked: %s", s)
		}
	}
	if !strings.Contains(logs.String(), "r401") {
		t.Errorf("log lacks the request id: %s", logs.String())
	}
}

func TestUpdateRefusesClearingType(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Error("nothing may be sent") })
	_, err := c.Documents.Update(context.Background(), []DocumentUpdate{{ID: "a"}, {ID: "b", Type: Clear[DocumentType]()}})
	if !errors.Is(err, ErrClearType) {
		t.Errorf("err = %v", err)
	}
	var u DocumentUpdate
	if !errors.Is(u.ClearField("Type"), ErrClearType) || u.ClearField("Bogus") == nil || u.ClearField("IssuingCity") != nil {
		t.Error("ClearField")
	}
	if !u.IssuingCity.IsClear() {
		t.Error("IssuingCity not cleared")
	}
	if _, err := c.Documents.Update(context.Background(), []DocumentUpdate{{}}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("no id: err = %v", err)
	}
	if _, err := c.Documents.Add(context.Background(), []Document{{Type: Passport}}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("no customer: err = %v", err)
	}
	if _, err := c.Documents.Add(context.Background(), []Document{{CustomerID: "c"}}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("no type: err = %v", err)
	}
}

func TestCustomers(t *testing.T) {
	c, mux, _ := setup(t)
	var find map[string]any
	mux.HandleFunc("/api/connector/v1/customers/getAll", func(w http.ResponseWriter, r *http.Request) {
		find = decodeBody(t, r)
		writeJSON(w, map[string]any{"Customers": []map[string]any{{"Id": "c1", "FirstName": "Anna", "LastName": "Eriksson", "Email": "a@example.com", "BirthDate": "1974-08-12"}}, "Cursor": "c1"})
	})
	mux.HandleFunc("/api/connector/v1/customers/search", func(w http.ResponseWriter, r *http.Request) {
		m := decodeBody(t, r)
		if m["Name"] != "Eriksson" {
			t.Errorf("Name = %v", m["Name"])
		}
		fmt.Fprint(w, `{"Customers":[{"Customer":{"Id":"c1","LastName":"Eriksson"},"Reservation":null},{"Customer":{"Id":"c2","LastName":"Eriksson"},"Reservation":{"Id":"r"}}]}`)
	})
	got, err := c.Customers.Find(context.Background(), CustomerFilter{Emails: []string{"a@example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Customer{{ID: "c1", FirstName: "Anna", LastName: "Eriksson", Email: "a@example.com", BirthDate: Date{1974, 8, 12}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Find (-want +got):\n%s", diff)
	}
	if find["Extent"].(map[string]any)["Customers"] != true || find["Limitation"] == nil {
		t.Errorf("Extent/Limitation missing: %v", find)
	}
	if fmt.Sprint(got[0]) != "mews.Customer{Id:c1}" {
		t.Errorf("a customer prints personal data: %v", got[0])
	}
	res, err := c.Customers.Search(context.Background(), " Eriksson ")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Reservation != nil || string(res[1].Reservation) != `{"Id":"r"}` {
		t.Errorf("Search = %+v", res)
	}
	if _, err := c.Customers.Find(context.Background(), CustomerFilter{}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("empty filter: %v", err)
	}
	if _, err := c.Customers.Search(context.Background(), ""); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("empty name: %v", err)
	}
}

func TestConfigurationCached(t *testing.T) {
	c, mux, _ := setup(t)
	calls := 0
	mux.HandleFunc("/api/connector/v1/configuration/get", func(w http.ResponseWriter, r *http.Request) {
		decodeBody(t, r)
		calls++
		if calls == 1 {
			w.WriteHeader(http.StatusBadGateway) // not cached, retried
			return
		}
		fmt.Fprint(w, `{"IsIdentityDocumentNumberRequired":true,"Enterprise":{"Id":"e","ChainId":"ch","TimeZoneIdentifier":"Europe/Stockholm","Other":1},"NowUtc":"x"}`)
	})
	for range 3 {
		cfg, err := c.Configuration.Get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := &Configuration{IsIdentityDocumentNumberRequired: true, Enterprise: Enterprise{ID: "e", ChainID: "ch", TimeZoneIdentifier: "Europe/Stockholm"}}
		if diff := cmp.Diff(want, cfg); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	if calls != 2 {
		t.Errorf("calls = %d, want 2 (one failure, then cached)", calls)
	}
}

func TestLogsNoBodies(t *testing.T) {
	var logs bytes.Buffer
	c, mux, _ := setup(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	mux.HandleFunc("/api/connector/v1/identityDocuments/add", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"IdentityDocuments":[{"Id":"d","CustomerId":"c","Type":"Passport","Number":"SECRETNUM1"}]}`)
	})
	if _, err := c.Documents.Add(context.Background(), []Document{{CustomerID: "c", Type: Passport, Number: "SECRETNUM1"}}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "SECRETNUM1") || !strings.Contains(logs.String(), "identityDocuments/add") {
		t.Errorf("log = %s", logs.String())
	}
}

func TestInputLimits(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("sent %s", r.URL.Path) })
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() error
	}{
		{"page count 1001", func() error {
			_, err := c.Documents.List(ctx, DocumentListOptions{CustomerIDs: []string{"c"}, Count: 1001})
			return err
		}},
		{"page count -1", func() error {
			_, err := c.Documents.List(ctx, DocumentListOptions{CustomerIDs: []string{"c"}, Count: -1})
			return err
		}},
		{"1001 emails", func() error { _, err := c.Customers.Find(ctx, CustomerFilter{Emails: ids("e", 1001)}); return err }},
		{"1001 last names", func() error { _, err := c.Customers.Find(ctx, CustomerFilter{LastNames: ids("n", 1001)}); return err }},
		{"1001 customer ids", func() error { _, err := c.Customers.Find(ctx, CustomerFilter{CustomerIDs: ids("c", 1001)}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); !errors.Is(err, ErrInvalidInput) {
				t.Errorf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
	if c.limiter.n != DefaultRateLimit || c.pageCount != MaxPageCount {
		t.Errorf("defaults: limit %d, page %d", c.limiter.n, c.pageCount)
	}
}
