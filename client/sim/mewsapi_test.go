package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/fakeclock"
)

func newMewsTest(t *testing.T) (*mewsSim, *httptest.Server, *fakeclock.Clock) {
	t.Helper()
	m, srv, clk, _ := newMewsServer(t)
	return m, srv, clk
}

// newMewsServer runs the whole simulator (fault middleware included) on a
// fake clock.
func newMewsServer(t *testing.T) (*mewsSim, *httptest.Server, *fakeclock.Clock, *Server) {
	t.Helper()
	clk := fakeclock.New(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	s := New(WithClock(clk.Now))
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s.mews, srv, clk, s
}

// post sends body (with the simulator's tokens unless body sets them) and
// returns the status, the decoded answer and the response.
func mewsPost(t *testing.T, srv *httptest.Server, op string, body map[string]any) (int, map[string]any, *http.Response) {
	t.Helper()
	full := map[string]any{"ClientToken": demodata.MewsClientToken, "AccessToken": demodata.MewsAccessToken, "Client": "test 1.0"}
	for k, v := range body {
		if v == nil {
			delete(full, k)
			continue
		}
		full[k] = v
	}
	b, _ := json.Marshal(full)
	resp, err := http.Post(srv.URL+mewsPrefix+op, "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s answered %d with non-JSON %q", op, resp.StatusCode, data)
		}
	}
	return resp.StatusCode, out, resp
}

func mewsLim(n int) map[string]any { return map[string]any{"Count": n} }

func mewsMany(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

func mewsNewDocs(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"CustomerId": demodata.People[0].MewsCustomerID, "Type": "Passport", "Number": fmt.Sprint("P", i)}
	}
	return out
}

func TestMewsErrors(t *testing.T) {
	_, srv, _ := newMewsTest(t)
	cust := []string{demodata.People[0].MewsCustomerID}
	tests := []struct {
		name    string
		op      string
		body    map[string]any
		status  int
		message string
	}{
		{"wrong access token", "configuration/get", map[string]any{"AccessToken": "nope"}, 401, "Invalid ClientToken or AccessToken."},
		{"wrong client token", "configuration/get", map[string]any{"ClientToken": "nope"}, 401, "Invalid ClientToken or AccessToken."},
		{"no client", "configuration/get", map[string]any{"Client": nil}, 400, "Invalid Client"},
		{"language without culture", "configuration/get", map[string]any{"LanguageCode": "en-US"}, 400, "Invalid LanguageCode"},
		{"wrong case", "identitydocuments/getAll", nil, 404, "Not found"},
		{"trailing slash", "identityDocuments/getAll/", nil, 404, "Not found"},
		{"no customers", "identityDocuments/getAll", map[string]any{"Limitation": mewsLim(10)}, 400, "Invalid CustomerIds"},
		{"101 customers", "identityDocuments/getAll", map[string]any{"CustomerIds": mewsMany("c", 101), "Limitation": mewsLim(10)}, 400, "Invalid CustomerIds"},
		{"101 document ids", "identityDocuments/getAll", map[string]any{"CustomerIds": cust, "IdentityDocumentIds": mewsMany("d", 101), "Limitation": mewsLim(10)}, 400, "Invalid IdentityDocumentIds"},
		{"1001 chains", "identityDocuments/getAll", map[string]any{"CustomerIds": cust, "ChainIds": mewsMany("x", 1001), "Limitation": mewsLim(10)}, 400, "Invalid ChainIds"},
		{"no limitation", "identityDocuments/getAll", map[string]any{"CustomerIds": cust}, 400, "Invalid Limitation"},
		{"count 1001", "identityDocuments/getAll", map[string]any{"CustomerIds": cust, "Limitation": mewsLim(1001)}, 400, "Invalid Limitation"},
		{"count 0", "identityDocuments/getAll", map[string]any{"CustomerIds": cust, "Limitation": mewsLim(0)}, 400, "Invalid Limitation"},
		{"bad cursor", "identityDocuments/getAll", map[string]any{"CustomerIds": cust, "Limitation": map[string]any{"Count": 5, "Cursor": "zz"}}, 400, "Invalid Cursor"},
		{"wrong type", "identityDocuments/getAll", map[string]any{"CustomerIds": "x", "Limitation": mewsLim(5)}, 400, "Invalid CustomerIds"},
		{"11 adds", "identityDocuments/add", map[string]any{"IdentityDocuments": mewsNewDocs(11)}, 400, "Invalid IdentityDocuments"},
		{"0 adds", "identityDocuments/add", map[string]any{"IdentityDocuments": mewsNewDocs(0)}, 400, "Invalid IdentityDocuments"},
		{"unknown customer", "identityDocuments/add", map[string]any{"IdentityDocuments": []map[string]any{{"CustomerId": "x", "Type": "Passport", "Number": "1"}}}, 400, "Invalid CustomerId"},
		{"unknown type", "identityDocuments/add", map[string]any{"IdentityDocuments": []map[string]any{{"CustomerId": cust[0], "Type": "Badge", "Number": "1"}}}, 400, "Invalid Type"},
		{"no number", "identityDocuments/add", map[string]any{"IdentityDocuments": []map[string]any{{"CustomerId": cust[0], "Type": "Passport"}}}, 400, "Invalid Number"},
		{"empty number required", "identityDocuments/add", map[string]any{"IdentityDocuments": []map[string]any{{"CustomerId": cust[0], "Type": "Passport", "Number": ""}}}, 403, "The identity document number is required."},
		{"bad date", "identityDocuments/add", map[string]any{"IdentityDocuments": []map[string]any{{"CustomerId": cust[0], "Type": "Passport", "Number": "1", "ExpirationDate": "24/10/2040"}}}, 400, "Invalid ExpirationDate"},
		{"11 updates", "identityDocuments/update", map[string]any{"IdentityDocuments": make([]map[string]any, 11)}, 400, "Invalid IdentityDocuments"},
		{"update unknown id", "identityDocuments/update", map[string]any{"IdentityDocuments": []map[string]any{{"Id": "x"}}}, 400, "Invalid Id"},
		{"101 deletes", "identityDocuments/delete", map[string]any{"IdentityDocumentIds": mewsMany("d", 101)}, 400, "Invalid IdentityDocumentIds"},
		{"11 clears", "identityDocuments/clear", map[string]any{"CustomerIds": mewsMany("c", 11)}, 400, "Invalid CustomerIds"},
		{"customers without extent", "customers/getAll", map[string]any{"Emails": []string{"a"}, "Limitation": mewsLim(5)}, 400, "Invalid Extent"},
		{"customers without limitation", "customers/getAll", map[string]any{"Extent": map[string]any{"Customers": true}}, 400, "Invalid Limitation"},
		{"customers 1001 emails", "customers/getAll", map[string]any{"Extent": map[string]any{"Customers": true}, "Emails": mewsMany("e", 1001), "Limitation": mewsLim(5)}, 400, "Invalid Emails"},
		{"search without name", "customers/search", nil, 400, "Invalid Name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out, resp := mewsPost(t, srv, tt.op, tt.body)
			if status != tt.status || out["Message"] != tt.message {
				t.Fatalf("got %d %v, want %d %q", status, out["Message"], tt.status, tt.message)
			}
			rid := resp.Header.Get("Request-Id")
			if rid == "" || out["RequestId"] != rid {
				t.Errorf("RequestId %v, header %q", out["RequestId"], rid)
			}
		})
	}
	resp, err := http.Post(srv.URL+mewsPrefix+"configuration/get", "application/json", strings.NewReader("{not json"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("invalid JSON: %d", resp.StatusCode)
	}
}

func TestMewsPagingNewestFirst(t *testing.T) {
	m, srv, _ := newMewsTest(t)
	for range 3 {
		if st, out, _ := mewsPost(t, srv, "identityDocuments/add", map[string]any{"IdentityDocuments": mewsNewDocs(10)}); st != 200 {
			t.Fatalf("add: %d %v", st, out)
		}
	}
	var want []string
	for i := len(m.docs) - 1; i >= 0; i-- {
		want = append(want, m.docs[i].ID)
	}
	var got []string
	var pages []int
	cursor := any(nil)
	for {
		l := map[string]any{"Count": 12}
		if cursor != nil {
			l["Cursor"] = cursor
		}
		st, out, _ := mewsPost(t, srv, "identityDocuments/getAll", map[string]any{"CustomerIds": []string{demodata.People[0].MewsCustomerID}, "Limitation": l})
		if st != 200 {
			t.Fatalf("getAll: %d %v", st, out)
		}
		docs := out["IdentityDocuments"].([]any)
		pages = append(pages, len(docs))
		for _, d := range docs {
			got = append(got, d.(map[string]any)["Id"].(string))
		}
		if out["Cursor"] == nil || len(docs) < 12 {
			break
		}
		if out["Cursor"] != got[len(got)-1] {
			t.Errorf("cursor %v is not the oldest item returned", out["Cursor"])
		}
		cursor = out["Cursor"]
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want newest first +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{12, 12, 6}, pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestMewsRateLimit(t *testing.T) {
	m, srv, clk := newMewsTest(t)
	for i := range MewsRateLimit {
		if st, _, _ := mewsPost(t, srv, "configuration/get", nil); st != 200 {
			t.Fatalf("request %d: %d", i+1, st)
		}
		clk.Sleep(context.Background(), 100*time.Millisecond)
	}
	st, out, resp := mewsPost(t, srv, "configuration/get", nil)
	// The first request was 20 s ago: it leaves the window in 10 s.
	if st != 429 || resp.Header.Get("Retry-After") != "10" || out["Message"] == nil {
		t.Fatalf("201st: %d Retry-After %q %v", st, resp.Header.Get("Retry-After"), out)
	}
	// Another access token has its own window.
	if st, _, _ := mewsPost(t, srv, "configuration/get", map[string]any{"AccessToken": "other"}); st != 401 {
		t.Errorf("other token: %d, want 401 (not 429)", st)
	}
	clk.Sleep(context.Background(), 10*time.Second)
	if st, _, _ := mewsPost(t, srv, "configuration/get", nil); st != 200 {
		t.Errorf("after the window slid: %d", st)
	}
	if m.limited != 1 {
		t.Errorf("limited = %d", m.limited)
	}
}

func TestMewsUpdateValues(t *testing.T) {
	_, srv, _ := newMewsTest(t)
	_, out, _ := mewsPost(t, srv, "identityDocuments/add", map[string]any{"IdentityDocuments": []map[string]any{{
		"CustomerId": demodata.People[1].MewsCustomerID, "Type": "IdentityCard", "Number": "NL1",
		"ExpirationDate": "2031-02-03", "IssuingCountryCode": "NL", "IssuingCity": "Utrecht"}}})
	doc := out["IdentityDocuments"].([]any)[0].(map[string]any)
	if doc["ExpirationDate"] != "2031-02-03T00:00:00Z" {
		t.Errorf("date written as %v", doc["ExpirationDate"])
	}
	st, out, _ := mewsPost(t, srv, "identityDocuments/update", map[string]any{"IdentityDocuments": []map[string]any{{
		"Id": doc["Id"], "Number": map[string]any{"Value": "NL2"}, "IssuingCity": map[string]any{"Value": nil},
		"IssuingCountryCode": nil}}})
	if st != 200 {
		t.Fatalf("update: %d %v", st, out)
	}
	got := out["IdentityDocuments"].([]any)[0].(map[string]any)
	if got["Number"] != "NL2" || got["IssuingCity"] != nil || got["IssuingCountryCode"] != "NL" || got["Type"] != "IdentityCard" {
		t.Errorf("updated = %v", got)
	}
	st, out, _ = mewsPost(t, srv, "identityDocuments/update", map[string]any{"IdentityDocuments": []map[string]any{{
		"Id": doc["Id"], "Type": map[string]any{"Value": nil}}}})
	if st != 400 || out["Message"] != "Invalid Type" {
		t.Errorf("clearing Type: %d %v", st, out)
	}
	if st, _, _ := mewsPost(t, srv, "identityDocuments/delete", map[string]any{"IdentityDocumentIds": []any{doc["Id"]}}); st != 200 {
		t.Errorf("delete: %d", st)
	}
}

func TestMewsCustomers(t *testing.T) {
	_, srv, _ := newMewsTest(t)
	for _, p := range demodata.People {
		st, out, _ := mewsPost(t, srv, "customers/getAll", map[string]any{"Extent": map[string]any{"Customers": true},
			"Emails": []string{strings.ToUpper(p.Email)}, "Limitation": mewsLim(10)})
		cs, _ := out["Customers"].([]any)
		if st != 200 || len(cs) != 1 || cs[0].(map[string]any)["Id"] != p.MewsCustomerID || cs[0].(map[string]any)["Email"] != p.Email {
			t.Errorf("%s: %d %v", p.Email, st, out)
		}
	}
	st, out, _ := mewsPost(t, srv, "customers/search", map[string]any{"Name": "garcía"})
	if cs := out["Customers"].([]any); st != 200 || len(cs) != 1 {
		t.Errorf("search: %d %v", st, out)
	}
	st, out, _ = mewsPost(t, srv, "configuration/get", nil)
	if st != 200 || out["IsIdentityDocumentNumberRequired"] != true || out["Enterprise"].(map[string]any)["ChainId"] != MewsChainID ||
		out["Enterprise"].(map[string]any)["TimeZoneIdentifier"] != MewsTimeZone {
		t.Errorf("configuration: %d %v", st, out)
	}
}

func TestMewsMinimal(t *testing.T) {
	_, srv, _ := newMewsTest(t)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+mewsPrefix+"identityDocuments/clear",
		strings.NewReader(fmt.Sprintf(`{"ClientToken":%q,"AccessToken":%q,"Client":"t","CustomerIds":["x"]}`, demodata.MewsClientToken, demodata.MewsAccessToken)))
	req.Header.Set("Prefer", "return=minimal")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("status %d, want 204", resp.StatusCode)
	}
}

// TestMewsThousandCallsNoLimit runs 1,000 calls through the client against
// the simulator's 200-per-30-seconds limit with one fake clock: the client's
// own limiter (180 per 30 s) keeps every call under the limit, and the
// waits take no real time.
func TestMewsThousandCallsNoLimit(t *testing.T) {
	m, srv, clk := newMewsTest(t)
	c, err := mews.NewClient(srv.URL, demodata.MewsClientToken, demodata.MewsAccessToken, "Signet test",
		mews.WithClock(clk), mews.WithRetryPolicy(&retry.Policy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	start, realStart := clk.Now(), time.Now()
	for i := range 1000 {
		if _, err := c.Documents.List(context.Background(), mews.DocumentListOptions{CustomerIDs: []string{demodata.People[0].MewsCustomerID}}); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if m.limited != 0 || m.requests != 1000 {
		t.Errorf("429s = %d, requests = %d", m.limited, m.requests)
	}
	if took := clk.Now().Sub(start); took < 5*mews.RateWindow || took > 6*mews.RateWindow {
		t.Errorf("fake time taken = %v, want 5 windows of 30 s", took)
	}
	if real := time.Since(realStart); real > 20*time.Second {
		t.Errorf("real time %v: waits were not fake", real)
	}
	t.Logf("1000 calls: %d fake waits, %v fake time, %v real", len(clk.Sleeps()), clk.Now().Sub(start), time.Since(realStart))
}

// TestMewsClientEndToEnd drives every client operation against the simulator.
func TestMewsClientEndToEnd(t *testing.T) {
	m, srv, clk := newMewsTest(t)
	ctx := context.Background()
	c, err := mews.NewClient(srv.URL, demodata.MewsClientToken, demodata.MewsAccessToken, "Signet test", mews.WithClock(clk))
	if err != nil {
		t.Fatal(err)
	}
	anna := demodata.People[0]
	found, err := c.Customers.Find(ctx, mews.CustomerFilter{Emails: []string{anna.Email}})
	if err != nil || len(found) != 1 || found[0].ID != anna.MewsCustomerID {
		t.Fatalf("Find = %v, %v", found, err)
	}
	var docs []mews.Document
	for i := range 25 {
		docs = append(docs, mews.Document{CustomerID: anna.MewsCustomerID, Type: mews.Passport, Number: fmt.Sprint("P", i),
			ExpirationDate: mews.Date{Year: 2034, Month: 12, Day: 15}})
	}
	created, err := c.Documents.Add(ctx, docs)
	if err != nil || len(created) != 25 {
		t.Fatalf("Add = %d, %v", len(created), err)
	}
	list, err := c.Documents.List(ctx, mews.DocumentListOptions{CustomerIDs: []string{anna.MewsCustomerID}, Count: 7})
	if err != nil || len(list) != 25 || list[0].ID != created[24].ID {
		t.Fatalf("List = %d (newest %v), %v", len(list), list[0], err)
	}
	upd, err := c.Documents.Update(ctx, []mews.DocumentUpdate{{ID: created[0].ID, IssuingCity: mews.Set("Malmö"), ExpirationDate: mews.Clear[mews.Date]()}})
	if err != nil || upd[0].IssuingCity != "Malmö" || !upd[0].ExpirationDate.IsZero() || upd[0].Number != "P0" {
		t.Fatalf("Update = %v %+v, %v", upd, upd, err)
	}
	var ids []string
	for _, d := range created[:5] {
		ids = append(ids, d.ID)
	}
	if err := c.Documents.Delete(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if err := c.Documents.Clear(ctx, []string{anna.MewsCustomerID}); err != nil {
		t.Fatal(err)
	}
	if len(m.docs) != 0 {
		t.Errorf("%d documents left", len(m.docs))
	}
	_, err = c.Documents.Add(ctx, []mews.Document{{CustomerID: anna.MewsCustomerID, Type: mews.Passport}})
	if msg, ok := mews.UserMessage(err); !ok || msg == "" {
		t.Errorf("empty number: %v", err)
	}
	bad, _ := mews.NewClient(srv.URL, "wrong", "wrong-token", "Signet test", mews.WithClock(clk))
	if _, err := bad.Configuration.Get(ctx); !mews.IsUnauthorized(err) || errors.Is(err, retry.ErrGaveUp) {
		t.Errorf("wrong tokens: %v", err)
	}
}

// TestMewsFaults checks the shared fault middleware reaches the Mews routes
// and that the client survives it: a dropped add is recovered by reading
// first (no duplicates), 500s and 429s are retried.
func TestMewsFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults Faults
	}{
		{"dropped connection", Faults{DropRate: 1, Limit: 1}},
		{"500", Faults{ErrorRate: 1, Limit: 2}},
		{"429 seconds", Faults{RateLimitRate: 1, Limit: 1, RetryAfter: 2 * time.Second}},
		{"429 date", Faults{RateLimitRate: 1, Limit: 1, RetryAfter: 3 * time.Second, RetryAfterDate: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, srv, clk, s := newMewsServer(t)
			c, err := mews.NewClient(srv.URL, demodata.MewsClientToken, demodata.MewsAccessToken, "Signet test", mews.WithClock(clk),
				mews.WithRetryPolicy(&retry.Policy{Jitter: func(time.Duration) time.Duration { return 0 }}))
			if err != nil {
				t.Fatal(err)
			}
			s.SetFaults(tt.faults)
			docs := []mews.Document{{CustomerID: demodata.People[2].MewsCustomerID, Type: mews.IdentityCard, Number: "ES1"},
				{CustomerID: demodata.People[2].MewsCustomerID, Type: mews.Passport, Number: "ES2"}}
			created, err := c.Documents.Add(context.Background(), docs)
			if err != nil {
				t.Fatal(err)
			}
			if got := s.MewsDocuments(); len(got) != 2 || len(created) != 2 || created[0].Number != "ES1" {
				t.Errorf("stored %d, created %+v", len(got), created)
			}
			if s.Injected() != tt.faults.Limit {
				t.Errorf("injected %d faults, want %d", s.Injected(), tt.faults.Limit)
			}
		})
	}
}

func TestMewsServerHelpers(t *testing.T) {
	_, srv, _, s := newMewsServer(t)
	s.SetMewsNumberRequired(false)
	st, out, _ := mewsPost(t, srv, "identityDocuments/add", map[string]any{"IdentityDocuments": []map[string]any{
		{"CustomerId": demodata.People[1].MewsCustomerID, "Type": "IdentityCard", "Number": ""}}})
	if st != 200 || len(s.MewsDocuments()) != 1 {
		t.Fatalf("empty number where not required: %d %v", st, out)
	}
	_, cfg, _ := mewsPost(t, srv, "configuration/get", nil)
	if cfg["IsIdentityDocumentNumberRequired"] != false {
		t.Errorf("configuration = %v", cfg)
	}
	s.ResetMews()
	if len(s.MewsDocuments()) != 0 || s.MewsRateLimited() != 0 || s.MewsURL() != "" {
		t.Error("ResetMews")
	}
}

// FuzzMewsRequest feeds arbitrary bodies to every Mews operation: the
// simulator answers each with JSON and a status, and never panics.
func FuzzMewsRequest(f *testing.F) {
	env := fmt.Sprintf(`"ClientToken":%q,"AccessToken":%q,"Client":"f"`, demodata.MewsClientToken, demodata.MewsAccessToken)
	f.Add("identityDocuments/getAll", `{`+env+`,"CustomerIds":["35d4b117-4e60-44a3-9580-c582117eff98"],"Limitation":{"Count":5,"Cursor":null}}`)
	f.Add("identityDocuments/add", `{`+env+`,"IdentityDocuments":[{"CustomerId":"35d4b117-4e60-44a3-9580-c582117eff98","Type":"Passport","Number":"1","ExpirationDate":"2040-01-01"}]}`)
	f.Add("identityDocuments/update", `{`+env+`,"IdentityDocuments":[null,{"Id":"x","Type":{"Value":null}}]}`)
	f.Add("identityDocuments/delete", `{`+env+`,"IdentityDocumentIds":[1]}`)
	f.Add("identityDocuments/clear", `{`+env+`,"CustomerIds":null}`)
	f.Add("customers/getAll", `{`+env+`,"Extent":{"Customers":true},"Emails":["anna.eriksson@example.com"],"Limitation":{"Count":1}}`)
	f.Add("customers/search", `{`+env+`,"Name":"a"}`)
	f.Add("configuration/get", `[]`)
	m := newMewsSim(nil)
	f.Fuzz(func(t *testing.T, op, body string) {
		r := httptest.NewRequest(http.MethodPost, mewsPrefix, strings.NewReader(body))
		r.URL.Path = mewsPrefix + op
		w := httptest.NewRecorder()
		m.ServeHTTP(w, r)
		if w.Code != http.StatusNoContent && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s answered %d with invalid JSON %q", op, w.Code, w.Body.String())
		}
		if w.Header().Get("Request-Id") == "" {
			t.Fatal("no Request-Id header")
		}
		m.mu.Lock()
		m.rate = map[string][]time.Time{} // stay under the rate limit
		m.mu.Unlock()
	})
}
