package mews

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestDateForms(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: `"2040-10-24"`, want: Date{2040, 10, 24}},
		{in: `"2040-10-24T00:00:00Z"`, want: Date{2040, 10, 24}},
		{in: `"2040-10-24T00:00:00+02:00"`, want: Date{2040, 10, 24}},
		{in: `"2040-10-24T23:30:00-05:00"`, want: Date{2040, 10, 24}},
		{in: `"2040-10-24T00:00:00.1234567Z"`, want: Date{2040, 10, 24}},
		{in: `"2040-10-24T00:00:00"`, want: Date{2040, 10, 24}},
		{in: `null`, want: Date{}},
		{in: `""`, want: Date{}},
		{in: `"24.10.2040"`, wantErr: true},
		{in: `"2040-13-01"`, wantErr: true},
		{in: `"2040-10-24Tnonsense"`, wantErr: true},
		{in: `20401024`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var d Date
			err := json.Unmarshal([]byte(tt.in), &d)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrBadDate) {
					t.Errorf("err %v does not wrap ErrBadDate", err)
				}
				return
			}
			if d != tt.want {
				t.Errorf("got %v, want %v", d, tt.want)
			}
		})
	}
	b, _ := json.Marshal(Date{2040, 10, 24})
	if string(b) != `"2040-10-24T00:00:00Z"` {
		t.Errorf("encoded as %s", b)
	}
	if b, _ := json.Marshal(Date{}); string(b) != "null" {
		t.Errorf("zero date encoded as %s", b)
	}
	if _, err := json.Marshal(Date{Year: 10000, Month: 1, Day: 1}); err == nil {
		t.Error("year 10000 encoded")
	}
	if Date.String(Date{2040, 1, 2}) != "2040-01-02" || (Date{}).String() != "" {
		t.Error("String")
	}
}

func TestDocumentRoundTrip(t *testing.T) {
	in := `{"Id":"e8a72a69","CustomerId":"fadd5bb6","Type":"ResidencePermit","Number":"M1234567",` +
		`"ExpirationDate":"2040-10-24","IssuanceDate":"2024-10-24T00:00:00Z","IssuingCountryCode":"ES",` +
		`"IssuingCountrySubdivisionCode":"ES-M","IssuingCity":"Madrid","IdentityDocumentSupportNumber":"S-1",` +
		`"IsVerified":false,"FutureField":{"nested":[1,2,3]},"AnotherNew":"x"}`
	var d Document
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	f := false
	want := Document{ID: "e8a72a69", CustomerID: "fadd5bb6", Type: "ResidencePermit", Number: "M1234567",
		ExpirationDate: Date{2040, 10, 24}, IssuanceDate: Date{2024, 10, 24}, IssuingCountryCode: "ES",
		IssuingCountrySubdivisionCode: "ES-M", IssuingCity: "Madrid", IdentityDocumentSupportNumber: "S-1",
		IsVerified: &f, Extra: map[string]json.RawMessage{"FutureField": json.RawMessage(`{"nested":[1,2,3]}`), "AnotherNew": json.RawMessage(`"x"`)}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("decode (-want +got):\n%s", diff)
	}
	if d.Type.Known() {
		t.Error("ResidencePermit is not a known type, and must be kept anyway")
	}
	out, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	wantOut := `{"Id":"e8a72a69","CustomerId":"fadd5bb6","Type":"ResidencePermit","Number":"M1234567",` +
		`"ExpirationDate":"2040-10-24T00:00:00Z","IssuanceDate":"2024-10-24T00:00:00Z","IssuingCountryCode":"ES",` +
		`"IssuingCountrySubdivisionCode":"ES-M","IssuingCity":"Madrid","IdentityDocumentSupportNumber":"S-1",` +
		`"IsVerified":false,"AnotherNew":"x","FutureField":{"nested":[1,2,3]}}`
	if string(out) != wantOut {
		t.Errorf("encode:\n got %s\nwant %s", out, wantOut)
	}
	var again Document
	if err := json.Unmarshal(out, &again); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, again); diff != "" {
		t.Errorf("second round (-first +second):\n%s", diff)
	}
	// The documentation's own example decodes.
	var page documentsPage
	ex := `{"IdentityDocuments":[{"Id":"e8a72a69-c20b-4278-b699-ab0400a32ecc","CustomerId":"fadd5bb6-b428-45d5-94f8-fd0d89fece6d","Type":"Passport","Number":"M1234567","ExpirationDate":"2040-10-24T00:00:00Z","IssuanceDate":"2024-10-24T00:00:00Z","IssuingCountryCode":"CZ","IssuingCity":"Prague","IdentityDocumentSupportNumber":"S-123456"}],"Cursor":"cbe8a32e-3eb7-4226-baf4-69455a0eeaf4"}`
	if err := json.Unmarshal([]byte(ex), &page); err != nil || len(page.IdentityDocuments) != 1 || page.IdentityDocuments[0].Extra != nil {
		t.Errorf("doc example: %v %+v", err, page)
	}
}

func TestDocumentPrintsNoNumber(t *testing.T) {
	d := Document{ID: "i", CustomerID: "c", Type: Passport, Number: "X1234567"}
	for _, s := range []string{fmt.Sprint(d), fmt.Sprintf("%+v", d), fmt.Sprintf("%#v", d), fmt.Sprintf("%v", []Document{d})} {
		if strings.Contains(s, "X1234567") {
			t.Errorf("number printed: %s", s)
		}
	}
}

// TestUpdateBodies compares the exact request body of update values with
// golden files in testdata/ (go test -run TestUpdateBodies -update rewrites them).
func TestUpdateBodies(t *testing.T) {
	tests := []struct {
		name string
		u    DocumentUpdate
	}{
		{name: "unchanged", u: DocumentUpdate{ID: "e8a72a69-c20b-4278-b699-ab0400a32ecc"}},
		{name: "set_all", u: DocumentUpdate{ID: "e8a72a69-c20b-4278-b699-ab0400a32ecc",
			Type: Set(Passport), Number: Set("123456789"), ExpirationDate: Set(Date{2040, 11, 20}),
			IssuanceDate: Set(Date{2020, 11, 20}), IssuingCountryCode: Set("CZ"), IssuingCountrySubdivisionCode: Set("CZ-10"),
			IssuingCity: Set("Prague"), IdentityDocumentSupportNumber: Set("S-123456")}},
		{name: "clear_all", u: DocumentUpdate{ID: "e8a72a69-c20b-4278-b699-ab0400a32ecc",
			Number: Clear[string](), ExpirationDate: Clear[Date](), IssuanceDate: Clear[Date](),
			IssuingCountryCode: Clear[string](), IssuingCountrySubdivisionCode: Clear[string](),
			IssuingCity: Clear[string](), IdentityDocumentSupportNumber: Clear[string]()}},
		{name: "mixed", u: DocumentUpdate{ID: "e8a72a69-c20b-4278-b699-ab0400a32ecc",
			Number: Set(""), ExpirationDate: Set(Date{2034, 12, 15}), IssuingCity: Clear[string](),
			IssuingCountryCode: Unchanged[string]()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t, WithChainID("3fa85f64-5717-4562-b3fc-2c963f66afa6"))
			var got []byte
			mux.HandleFunc("/api/connector/v1/identityDocuments/update", func(w http.ResponseWriter, r *http.Request) {
				var raw json.RawMessage
				if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
					t.Fatal(err)
				}
				got, _ = json.MarshalIndent(raw, "", "  ")
				got = append(got, '\n')
				fmt.Fprint(w, `{"IdentityDocuments":[{"Id":"e8a72a69-c20b-4278-b699-ab0400a32ecc","CustomerId":"c","Type":"Passport","Number":"1"}]}`)
			})
			docs, err := c.Documents.Update(context.Background(), []DocumentUpdate{tt.u})
			if err != nil || len(docs) != 1 {
				t.Fatalf("Update = %v, %v", docs, err)
			}
			golden := filepath.Join("testdata", "update_"+tt.name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			// The three states read back as written.
			var back struct{ IdentityDocuments []DocumentUpdate }
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.u, back.IdentityDocuments[0], cmp.AllowUnexported(Update[string]{}, Update[Date]{}, Update[DocumentType]{})); diff != "" {
				t.Errorf("read back (-want +got):\n%s", diff)
			}
		})
	}
}

// store is a tiny in-memory identityDocuments endpoint for the add tests.
type store struct {
	mu    sync.Mutex
	docs  []Document
	next  int
	reads int
}

func (s *store) handle(t *testing.T, mux *http.ServeMux, addHook func(n int, w http.ResponseWriter) (drop bool)) {
	adds := 0
	mux.HandleFunc("/api/connector/v1/identityDocuments/add", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ IdentityDocuments []Document }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		adds++
		n := adds
		var created []Document
		for _, d := range req.IdentityDocuments {
			s.next++
			d.ID = fmt.Sprintf("doc-%03d", s.next)
			s.docs = append(s.docs, d)
			created = append(created, d)
		}
		s.mu.Unlock()
		if addHook != nil && addHook(n, w) {
			return
		}
		writeJSON(w, map[string]any{"IdentityDocuments": created})
	})
	mux.HandleFunc("/api/connector/v1/identityDocuments/getAll", func(w http.ResponseWriter, r *http.Request) {
		m := decodeBody(t, r)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.reads++
		var out []Document
		for i := len(s.docs) - 1; i >= 0; i-- {
			for _, c := range strs(m["CustomerIds"]) {
				if s.docs[i].CustomerID == c {
					out = append(out, s.docs[i])
				}
			}
		}
		writeJSON(w, map[string]any{"IdentityDocuments": out, "Cursor": nil})
	})
}

// hangUp drops the connection without an answer: the client cannot know
// whether the documents were created.
func hangUp(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
}

func TestAddAmbiguousFailureMakesNoDuplicates(t *testing.T) {
	tests := []struct {
		name string
		hook func(t *testing.T) func(n int, w http.ResponseWriter) bool
	}{
		{name: "connection dropped after create", hook: func(t *testing.T) func(int, http.ResponseWriter) bool {
			return func(n int, w http.ResponseWriter) bool {
				if n == 1 {
					hangUp(t, w)
					return true
				}
				return false
			}
		}},
		{name: "502 after create", hook: func(t *testing.T) func(int, http.ResponseWriter) bool {
			return func(n int, w http.ResponseWriter) bool {
				if n == 1 {
					w.WriteHeader(http.StatusBadGateway)
					return true
				}
				return false
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			s := &store{}
			s.handle(t, mux, tt.hook(t))
			in := []Document{
				{CustomerID: "c1", Type: Passport, Number: "P1"},
				{CustomerID: "c2", Type: IdentityCard, Number: "I2"},
			}
			got, err := c.Documents.Add(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.docs) != 2 {
				t.Fatalf("server holds %d documents, want 2 (no duplicates)", len(s.docs))
			}
			if len(got) != 2 || got[0].ID != "doc-001" || got[1].ID != "doc-002" || got[1].Number != "I2" {
				t.Errorf("created = %+v", got)
			}
		})
	}
}

func TestAddResendsOnlyMissing(t *testing.T) {
	c, mux, _ := setup(t)
	s := &store{}
	// The first attempt creates only the first document, then fails.
	s.handle(t, mux, func(n int, w http.ResponseWriter) bool {
		if n == 1 {
			s.docs = s.docs[:len(s.docs)-1]
			w.WriteHeader(http.StatusInternalServerError)
			return true
		}
		return false
	})
	got, err := c.Documents.Add(context.Background(), []Document{
		{CustomerID: "c1", Type: Passport, Number: "P1"},
		{CustomerID: "c1", Type: Passport, Number: "P2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var nums []string
	for _, d := range s.docs {
		nums = append(nums, d.Number)
	}
	if diff := cmp.Diff([]string{"P1", "P2"}, nums); diff != "" {
		t.Errorf("server documents (-want +got):\n%s", diff)
	}
	if len(got) != 2 || got[0].Number != "P1" || got[1].Number != "P2" {
		t.Errorf("created = %+v", got)
	}
}

func TestAddNotRetriedOnRefusal(t *testing.T) {
	c, mux, _ := setup(t)
	calls := 0
	mux.HandleFunc("/api/connector/v1/identityDocuments/add", func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"Message":"Number is required."}`)
	})
	_, err := c.Documents.Add(context.Background(), []Document{{CustomerID: "c", Type: Passport}})
	if msg, ok := UserMessage(err); !ok || msg != "Number is required." || calls != 1 {
		t.Errorf("err = %v, calls = %d", err, calls)
	}
}

func TestLimiter(t *testing.T) {
	clk := newFakeClock()
	l := NewLimiter(180, RateWindow, clk)
	ctx := context.Background()
	for range 180 {
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(clk.Sleeps()) != 0 || l.InWindow() != 180 {
		t.Fatalf("waited %v with %d in window", clk.Sleeps(), l.InWindow())
	}
	if err := l.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{RateWindow}, clk.Sleeps()); diff != "" {
		t.Errorf("181st request waits (-want +got):\n%s", diff)
	}
	// A sliding window: requests spread over time free slots one by one.
	clk2 := newFakeClock()
	l2 := NewLimiter(3, 10*time.Second, clk2)
	var at []time.Duration
	start := clk2.Now()
	for range 7 {
		if err := l2.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		at = append(at, clk2.Now().Sub(start))
		_ = clk2.Sleep(ctx, time.Second)
	}
	want := []time.Duration{0, 1 * time.Second, 2 * time.Second, 10 * time.Second, 11 * time.Second, 12 * time.Second, 20 * time.Second}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Errorf("admission times (-want +got):\n%s", diff)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := l2.Wait(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestClientSharesLimiter(t *testing.T) {
	c, mux, clk := setup(t, WithRateLimit(5))
	mux.HandleFunc("/api/connector/v1/identityDocuments/delete", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, struct{}{}) })
	if err := c.Documents.Delete(context.Background(), ids("d", 700)); err != nil {
		t.Fatal(err)
	}
	// 7 calls at 5 per 30 s: the sixth waits for the window to slide once.
	if diff := cmp.Diff([]time.Duration{RateWindow}, clk.Sleeps()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func FuzzDecodeDocuments(f *testing.F) {
	f.Add([]byte(`{"IdentityDocuments":[{"Id":"a","CustomerId":"b","Type":"Passport","Number":"1","ExpirationDate":"2040-10-24T00:00:00Z","IssuanceDate":"2024-10-24","X":[1]}],"Cursor":"a"}`))
	f.Add([]byte(`{"IdentityDocuments":[],"Cursor":null}`))
	f.Add([]byte(`{"IdentityDocuments":[{"Type":"NewKind","IsVerified":true,"ExpirationDate":null}]}`))
	f.Add([]byte(`{"IdentityDocuments":[{"ExpirationDate":"2040-10-24T00:00:00+14:00","id":"lower"}]}`))
	f.Add([]byte(`{"Message":"Invalid CustomerIds","RequestId":"x"}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var page documentsPage
		if err := decodeJSON(strings.NewReader(string(data)), &page); err != nil {
			return
		}
		for _, d := range page.IdentityDocuments {
			b, err := json.Marshal(d)
			if err != nil {
				continue // an out-of-range year, for instance, is refused on the way out
			}
			var again Document
			if err := json.Unmarshal(b, &again); err != nil {
				t.Fatalf("re-decode %s: %v", b, err)
			}
			b2, err := json.Marshal(again)
			if err != nil || string(b) != string(b2) {
				t.Fatalf("not stable:\n%s\n%s (%v)", b, b2, err)
			}
		}
	})
}

func FuzzCheckResponse(f *testing.F) {
	f.Add(400, []byte(`{"Message":"Invalid JSON","RequestId":"r","Details":null}`), "5")
	f.Add(429, []byte(``), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(503, []byte(`{"Message":123}`), "-1")
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		if status < 100 || status > 999 {
			return
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {retryAfter}},
			Body: readCloser{bufio.NewReader(strings.NewReader(string(body)))}}
		err := CheckResponse(resp, time.Now())
		if (status >= 200 && status < 300) != (err == nil) {
			t.Fatalf("status %d: err = %v", status, err)
		}
		if err != nil {
			_ = err.Error()
		}
	})
}

type readCloser struct{ *bufio.Reader }

func (readCloser) Close() error { return nil }

func BenchmarkDecodePage(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"IdentityDocuments":[`)
	for i := range 1000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"Id":"e8a72a69-c20b-4278-b699-%012d","CustomerId":"fadd5bb6-b428-45d5-94f8-fd0d89fece6d","Type":"Passport","Number":"M1234567","ExpirationDate":"2040-10-24T00:00:00Z","IssuanceDate":"2024-10-24T00:00:00Z","IssuingCountryCode":"CZ","IssuingCity":"Prague","IdentityDocumentSupportNumber":"S-123456","IsVerified":true}`, i)
	}
	sb.WriteString(`],"Cursor":"x"}`)
	data := sb.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var page documentsPage
		if err := json.Unmarshal([]byte(data), &page); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLimiterWait(b *testing.B) {
	l := NewLimiter(200, RateWindow, nil)
	ctx := context.Background()
	clk := newFakeClock()
	l.clock = clk
	b.ReportAllocs()
	for b.Loop() {
		_ = l.Wait(ctx)
	}
}

func TestReadsRetryNetworkErrors(t *testing.T) {
	c, mux, _ := setup(t)
	calls := 0
	mux.HandleFunc("/api/connector/v1/identityDocuments/getAll", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			hangUp(t, w)
			return
		}
		fmt.Fprint(w, `{"IdentityDocuments":[{"Id":"d","CustomerId":"c","Type":"Visa","Number":"V"}],"Cursor":null}`)
	})
	docs, err := c.Documents.List(context.Background(), DocumentListOptions{CustomerIDs: []string{"c"}})
	if err != nil || len(docs) != 1 || calls != 2 {
		t.Errorf("List = %v, %v after %d calls", docs, err, calls)
	}
}

func TestAdd429ResendsWithoutReading(t *testing.T) {
	c, mux, clk := setup(t)
	s := &store{}
	s.handle(t, mux, func(n int, w http.ResponseWriter) bool {
		if n == 1 {
			s.docs = s.docs[:0] // refused: nothing was created
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}
		return false
	})
	got, err := c.Documents.Add(context.Background(), []Document{{CustomerID: "c1", Type: Visa, Number: "V1"}})
	if err != nil || len(got) != 1 || len(s.docs) != 1 || s.reads != 0 {
		t.Errorf("Add = %v, %v; server has %d; reads %d", got, err, len(s.docs), s.reads)
	}
	if diff := cmp.Diff([]time.Duration{3 * time.Second}, clk.Sleeps()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestWithLimiterShared(t *testing.T) {
	clk := newFakeClock()
	l := NewLimiter(2, RateWindow, clk)
	c1, mux, _ := setup(t, WithLimiter(l), WithClock(clk))
	mux.HandleFunc("/api/connector/v1/identityDocuments/delete", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{}`) })
	c2, err := NewClient(c1.baseURL.String(), testClientToken, testAccessToken, testClientName, WithLimiter(l), WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Client{c1, c2, c1} {
		if err := c.Documents.Delete(context.Background(), []string{"x"}); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]time.Duration{RateWindow}, clk.Sleeps()); diff != "" {
		t.Errorf("two clients share one window (-want +got):\n%s", diff)
	}
}
