package outbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/retry"
)

// fakeMews answers the three identity-document operations the deliverer uses.
type fakeMews struct {
	mu       sync.Mutex
	have     []mews.Document
	calls    []string
	failWith int // status for add/update, 0 for success
	header   http.Header
}

func (f *fakeMews) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.URL.Path, "/api/connector/v1/")
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, op)
	w.Header().Set("Content-Type", "application/json")
	if op != "identityDocuments/getAll" && f.failWith != 0 {
		for k, v := range f.header {
			w.Header()[k] = v
		}
		w.WriteHeader(f.failWith)
		io.WriteString(w, `{"Message":"refused"}`)
		return
	}
	switch op {
	case "identityDocuments/getAll":
		json.NewEncoder(w).Encode(map[string]any{"IdentityDocuments": f.have, "Cursor": nil})
	case "identityDocuments/add":
		var req struct{ IdentityDocuments []mews.Document }
		json.Unmarshal(body, &req)
		for i := range req.IdentityDocuments {
			req.IdentityDocuments[i].ID = "doc-new"
		}
		f.have = append(f.have, req.IdentityDocuments...)
		json.NewEncoder(w).Encode(map[string]any{"IdentityDocuments": req.IdentityDocuments})
	case "identityDocuments/update":
		json.NewEncoder(w).Encode(map[string]any{"IdentityDocuments": []mews.Document{{ID: "doc-1", CustomerID: "c", Type: mews.Passport}}})
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func TestMewsDeliverer(t *testing.T) {
	exp, _ := mews.ParseDate("2031-05-01")
	doc := mews.Document{CustomerID: "35d4b117-4e60-44a3-9580-c582117eff98", Type: mews.Passport, Number: "L898902C3", ExpirationDate: exp, IssuingCountryCode: "NL"}
	existing := doc
	existing.ID = "doc-1"
	upd := mews.DocumentUpdate{ID: "doc-1", IssuingCity: mews.Set("Utrecht")}
	tests := []struct {
		name      string
		payload   MewsIdentityDocumentPayload
		raw       string
		have      []mews.Document
		failWith  int
		header    http.Header
		wantCalls string
		wantErr   bool
		want      Verdict
	}{
		{name: "add new", payload: MewsIdentityDocumentPayload{Add: &doc}, wantCalls: "identityDocuments/getAll identityDocuments/add"},
		{name: "add already there", payload: MewsIdentityDocumentPayload{Add: &doc}, have: []mews.Document{existing}, wantCalls: "identityDocuments/getAll"},
		{name: "update", payload: MewsIdentityDocumentPayload{Update: &upd}, wantCalls: "identityDocuments/update"},
		{name: "business rule", payload: MewsIdentityDocumentPayload{Add: &doc}, failWith: 403, wantErr: true,
			wantCalls: "identityDocuments/getAll identityDocuments/add", want: Verdict{Class: Permanent, Code: "mews_403"}},
		{name: "rate limited", payload: MewsIdentityDocumentPayload{Update: &upd}, failWith: 429, header: http.Header{"Retry-After": {"7"}}, wantErr: true,
			wantCalls: "identityDocuments/update", want: Verdict{Class: Transient, Code: "mews_429", RetryAfter: 7 * time.Second}},
		{name: "tokens wrong", payload: MewsIdentityDocumentPayload{Update: &upd}, failWith: 401, wantErr: true,
			wantCalls: "identityDocuments/update", want: Verdict{Class: Transient, Code: "mews_401"}},
		{name: "server fault", payload: MewsIdentityDocumentPayload{Update: &upd}, failWith: 502, wantErr: true,
			wantCalls: "identityDocuments/update", want: Verdict{Class: Transient, Code: "mews_502"}},
		{name: "neither add nor update", wantErr: true, want: Verdict{Class: Permanent, Code: "bad_payload"}},
		{name: "not JSON", raw: "L898902C3 {", wantErr: true, want: Verdict{Class: Permanent, Code: "bad_payload"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fm := &fakeMews{have: tc.have, failWith: tc.failWith, header: tc.header}
			srv := httptest.NewServer(fm)
			defer srv.Close()
			c, err := mews.NewClient(srv.URL, "client-token", "access-token", "Signet test",
				mews.WithRetryPolicy(&retry.Policy{MaxAttempts: 1}))
			if err != nil {
				t.Fatal(err)
			}
			payload := []byte(tc.raw)
			if tc.raw == "" {
				payload, _ = json.Marshal(tc.payload)
			}
			d := MewsDeliverer{Client: c}
			err = d.Deliver(context.Background(), Item{ID: "x", Kind: KindMewsIdentityDocument, Payload: payload})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				if got := d.Classify(err); got != tc.want {
					t.Errorf("verdict = %+v, want %+v", got, tc.want)
				}
				if strings.Contains(err.Error(), "L898902C3") {
					t.Errorf("document number in error %q", err)
				}
			}
			if got := strings.Join(fm.calls, " "); got != tc.wantCalls {
				t.Errorf("calls = %q, want %q", got, tc.wantCalls)
			}
		})
	}
}

// Two items of one document (one a kiosk wrote before it died without
// telling the guest, the other the guest's retry) delivered at once by two
// workers make one Mews document: the look and the add are one step. The
// server holds the first look until a second arrives, or 300 ms; without
// the one step, both looks see nothing and both add (a crash test run
// found two copies this way).
func TestMewsDelivererConcurrentAddsMakeOne(t *testing.T) {
	doc := mews.Document{CustomerID: "35d4b117-4e60-44a3-9580-c582117eff98", Type: mews.Passport, Number: "L898902C3"}
	fm := &fakeMews{}
	var mu sync.Mutex
	looks := 0
	second := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "identityDocuments/getAll") {
			mu.Lock()
			looks++
			n := looks
			mu.Unlock()
			if n == 2 {
				close(second)
			} else if n == 1 {
				select {
				case <-second:
				case <-time.After(300 * time.Millisecond):
				}
			}
		}
		fm.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := mews.NewClient(srv.URL, "client-token", "access-token", "Signet test", mews.WithRetryPolicy(&retry.Policy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(MewsIdentityDocumentPayload{Add: &doc})
	d := MewsDeliverer{Client: c}
	var wg sync.WaitGroup
	for _, id := range []string{"a", "b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.Deliver(context.Background(), Item{ID: id, Kind: KindMewsIdentityDocument, Payload: payload}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	fm.mu.Lock()
	defer fm.mu.Unlock()
	if n := strings.Count(strings.Join(fm.calls, " "), "identityDocuments/add"); n != 1 || len(fm.have) != 1 {
		t.Errorf("%d adds, Mews holds %d documents; want one (calls %v)", n, len(fm.have), fm.calls)
	}
}
