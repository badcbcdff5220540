package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/internal/config"
)

const (
	cliMewsClient = "cli-mews-client-token-42"
	cliMewsAccess = "cli-mews-access-token-42"
)

// fakeMews answers each operation with a canned status and body, and keeps
// the request bodies.
type fakeMews struct {
	mu      sync.Mutex
	answers map[string]func(body map[string]any) (int, string)
	bodies  map[string][]map[string]any
}

func (f *fakeMews) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.URL.Path, "/api/connector/v1/")
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	f.mu.Lock()
	f.bodies[op] = append(f.bodies[op], body)
	a := f.answers[op]
	f.mu.Unlock()
	if a == nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	code, out := a(body)
	w.Header().Set("Request-Id", "rq")
	w.WriteHeader(code)
	fmt.Fprint(w, out)
}

func runMews(t *testing.T, url string, args ...string) (int, string, string) {
	t.Helper()
	vars := map[string]string{config.EnvMewsURL: url, config.EnvMewsClientToken: cliMewsClient, config.EnvMewsAccessToken: cliMewsAccess}
	return runWithConfig(t, "", vars, args...)
}

func TestMewsCommands(t *testing.T) {
	doc := `{"Id":"d1","CustomerId":"c1","Type":"Passport","Number":"P1","ExpirationDate":"2034-12-15T00:00:00Z"}`
	f := &fakeMews{bodies: map[string][]map[string]any{}, answers: map[string]func(map[string]any) (int, string){
		"customers/getAll": func(map[string]any) (int, string) {
			return 200, `{"Customers":[{"Id":"c1","LastName":"Eriksson","Email":"anna@example.com"}],"Cursor":null}`
		},
		"customers/search": func(map[string]any) (int, string) {
			return 200, `{"Customers":[{"Customer":{"Id":"c1","LastName":"Eriksson"},"Reservation":null}]}`
		},
		"identityDocuments/getAll": func(map[string]any) (int, string) {
			return 200, `{"IdentityDocuments":[` + doc + `],"Cursor":"d1"}`
		},
		"identityDocuments/add": func(b map[string]any) (int, string) {
			if b["IdentityDocuments"].([]any)[0].(map[string]any)["Number"] == "" {
				return 403, `{"Message":"The identity document number is required."}`
			}
			return 200, `{"IdentityDocuments":[` + doc + `]}`
		},
		"identityDocuments/update": func(map[string]any) (int, string) { return 200, `{"IdentityDocuments":[` + doc + `]}` },
		"identityDocuments/delete": func(map[string]any) (int, string) { return 200, `{}` },
		"identityDocuments/clear":  func(map[string]any) (int, string) { return 503, `{"Message":"down"}` },
	}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	importFile := filepath.Join(t.TempDir(), "docs.json")
	if err := os.WriteFile(importFile, []byte(`[{"CustomerId":"c1","Type":"Passport","Number":"P1"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	badImport := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(badImport, []byte(`{"not":"an array"}`), 0o600)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // substring of stdout
		wantErr  string // substring of stderr
	}{
		{"find by email", []string{"mews", "customers", "find", "--email", "anna@example.com"}, 0, `"Id": "c1"`, ""},
		{"find by last name", []string{"mews", "customers", "find", "--last-name", "Eriksson"}, 0, `"LastName": "Eriksson"`, ""},
		{"find by name", []string{"mews", "customers", "find", "--name", "Anna"}, 0, `"Id": "c1"`, ""},
		{"find needs one flag", []string{"mews", "customers", "find"}, 2, "", "exactly one"},
		{"find two flags", []string{"mews", "customers", "find", "--email", "a", "--name", "b"}, 2, "", "exactly one"},
		{"list", []string{"mews", "docs", "list", "--customer", "c1", "--type", "passport"}, 0, `"ExpirationDate": "2034-12-15T00:00:00Z"`, ""},
		{"list bad type", []string{"mews", "docs", "list", "--customer", "c1", "--type", "badge"}, 2, "", "not one of"},
		{"list no customer", []string{"mews", "docs", "list"}, 2, "", "--customer is required"},
		{"add", []string{"mews", "docs", "add", "--customer", "c1", "--type", "Passport", "--number", "P1", "--expires", "2034-12-15", "--country", "se"}, 0, `"Id": "d1"`, ""},
		{"add refused", []string{"mews", "docs", "add", "--customer", "c1", "--type", "Passport", "--number", ""}, 1, "", "number is required"},
		{"add bad date", []string{"mews", "docs", "add", "--customer", "c1", "--type", "Passport", "--number", "1", "--expires", "15/12/2034"}, 2, "", "--expires"},
		{"add missing number", []string{"mews", "docs", "add", "--customer", "c1", "--type", "Passport"}, 2, "", "required"},
		{"import", []string{"mews", "docs", "import", "--file", importFile}, 0, `"Number": "P1"`, ""},
		{"import not array", []string{"mews", "docs", "import", "--file", badImport}, 2, "", "not a JSON array"},
		{"import missing file", []string{"mews", "docs", "import", "--file", "/nonexistent/x.json"}, 2, "", "import"},
		{"update", []string{"mews", "docs", "update", "--id", "d1", "--city", "Lund", "--clear", "IssuanceDate", "--clear", "support-number"}, 0, `"Id": "d1"`, ""},
		{"update clear type", []string{"mews", "docs", "update", "--id", "d1", "--clear", "type"}, 2, "", "Type cannot be cleared"},
		{"update clear unknown", []string{"mews", "docs", "update", "--id", "d1", "--clear", "colour"}, 2, "", "not a document field"},
		{"update conflict", []string{"mews", "docs", "update", "--id", "d1", "--city", "X", "--clear", "IssuingCity"}, 2, "", "conflicts"},
		{"update nothing", []string{"mews", "docs", "update", "--id", "d1"}, 2, "", "nothing to change"},
		{"delete", []string{"mews", "docs", "delete", "--id", "d1", "--id", "d2"}, 0, "", ""},
		{"clear gives up", []string{"mews", "docs", "clear", "--customer", "c1"}, 3, "", "gave up"},
		{"unknown flag", []string{"mews", "docs", "delete", "--bogus"}, 2, "", "bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runMews(t, srv.URL, tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) || !strings.Contains(errs, tt.wantErr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.wantCode, out, errs)
			}
			for _, s := range []string{cliMewsClient, cliMewsAccess} {
				if strings.Contains(out+errs, s) {
					t.Errorf("a token was printed: %s%s", out, errs)
				}
			}
		})
	}
	up := f.bodies["identityDocuments/update"][0]["IdentityDocuments"].([]any)[0]
	want := map[string]any{"Id": "d1", "IssuingCity": map[string]any{"Value": "Lund"},
		"IssuanceDate": map[string]any{"Value": nil}, "IdentityDocumentSupportNumber": map[string]any{"Value": nil}}
	if diff := cmp.Diff(want, up); diff != "" {
		t.Errorf("update body (-want +got):\n%s", diff)
	}
	add := f.bodies["identityDocuments/add"][0]["IdentityDocuments"].([]any)[0].(map[string]any)
	if add["IssuingCountryCode"] != "SE" || add["ExpirationDate"] != "2034-12-15T00:00:00Z" {
		t.Errorf("add body = %v", add)
	}
}

func TestMewsNotConfigured(t *testing.T) {
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), Commands(Kiosk{}), []string{"mews", "docs", "delete", "--id", "x"}, env)
	if code != ExitUsage || !strings.Contains(errb.String(), "not configured") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
}
