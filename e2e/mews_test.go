package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/demodata"
)

// startMewsSim starts the shared simulator on loopback for this test and
// returns its Mews platform address.
func startMewsSim(t *testing.T) string {
	t.Helper()
	_, url := startSim(t)
	return url
}

// mewsEnv points the binary at a Mews simulator with the given tokens.
func mewsEnv(url, clientToken, accessToken string) []string {
	return []string{
		"SIGNET_MEWS_URL=" + url,
		"SIGNET_MEWS_CLIENT_TOKEN=" + clientToken,
		"SIGNET_MEWS_ACCESS_TOKEN=" + accessToken,
	}
}

// mewsDoc is a document as the commands print it.
type mewsDoc struct {
	Id, CustomerId, Type, Number, ExpirationDate, IssuingCountryCode, IssuingCity string
}

func decodeJSON[T any](t *testing.T, what, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s printed non-JSON: %v\n%s", what, err, s)
	}
	return v
}

func TestMewsCommands(t *testing.T) {
	url := startMewsSim(t)
	env := mewsEnv(url, demodata.MewsClientToken, demodata.MewsAccessToken)
	anna, jan := demodata.People[0], demodata.People[1]

	// customers find: each way.
	for _, args := range [][]string{
		{"--email", anna.Email}, {"--last-name", anna.LastName}, {"--name", "Anna Maria"},
	} {
		r := signet(t, env, append([]string{"mews", "customers", "find"}, args...)...)
		if r.Code != 0 {
			t.Fatalf("customers find %v: exit %d\n%s", args, r.Code, r.Output())
		}
		cs := decodeJSON[[]struct{ Id, Email string }](t, "customers find", r.Stdout)
		if len(cs) != 1 || cs[0].Id != anna.MewsCustomerID || cs[0].Email != anna.Email {
			t.Errorf("customers find %v = %+v", args, cs)
		}
	}

	// docs add, then list.
	r := signet(t, env, "mews", "docs", "add", "--customer", anna.MewsCustomerID, "--type", "IdentityCard",
		"--number", demodata.CardNumber, "--expires", demodata.CardExpiry, "--country", "se", "--city", "Malmö")
	if r.Code != 0 {
		t.Fatalf("docs add: exit %d\n%s", r.Code, r.Output())
	}
	added := decodeJSON[mewsDoc](t, "docs add", r.Stdout)
	if added.Id == "" || added.Number != demodata.CardNumber || added.ExpirationDate != demodata.CardExpiry+"T00:00:00Z" || added.IssuingCountryCode != "SE" {
		t.Errorf("docs add = %+v", added)
	}

	file := writeFile(t, "docs.json", `[
		{"CustomerId":"`+jan.MewsCustomerID+`","Type":"Passport","Number":"NP1234567","ExpirationDate":"2030-01-31"},
		{"CustomerId":"`+jan.MewsCustomerID+`","Type":"DriversLicense","Number":"DL99","IssuingCountryCode":"NL","SomeFutureField":true}]`)
	r = signet(t, env, "mews", "docs", "import", "--file", file)
	if r.Code != 0 {
		t.Fatalf("docs import: exit %d\n%s", r.Code, r.Output())
	}
	if imported := decodeJSON[[]mewsDoc](t, "docs import", r.Stdout); len(imported) != 2 || imported[1].Number != "DL99" {
		t.Errorf("docs import = %+v", imported)
	}

	r = signet(t, env, "mews", "docs", "list", "--customer", anna.MewsCustomerID, "--customer", jan.MewsCustomerID)
	if r.Code != 0 {
		t.Fatalf("docs list: exit %d\n%s", r.Code, r.Output())
	}
	if list := decodeJSON[[]mewsDoc](t, "docs list", r.Stdout); len(list) != 3 {
		t.Errorf("docs list = %+v", list)
	}
	r = signet(t, env, "mews", "docs", "list", "--customer", jan.MewsCustomerID, "--type", "Passport")
	if list := decodeJSON[[]mewsDoc](t, "docs list --type", r.Stdout); r.Code != 0 || len(list) != 1 || list[0].Type != "Passport" {
		t.Errorf("docs list --type: exit %d %+v", r.Code, list)
	}

	// docs update: set one field, clear another by each of its names.
	r = signet(t, env, "mews", "docs", "update", "--id", added.Id, "--number", "D99999999", "--clear", "city")
	if r.Code != 0 {
		t.Fatalf("docs update: exit %d\n%s", r.Code, r.Output())
	}
	if u := decodeJSON[mewsDoc](t, "docs update", r.Stdout); u.Number != "D99999999" || u.IssuingCity != "" || u.IssuingCountryCode != "SE" {
		t.Errorf("docs update = %+v", u)
	}
	r = signet(t, env, "mews", "docs", "update", "--id", added.Id, "--clear", "IssuingCountryCode")
	if u := decodeJSON[mewsDoc](t, "docs update --clear", r.Stdout); r.Code != 0 || u.IssuingCountryCode != "" {
		t.Errorf("docs update --clear IssuingCountryCode: exit %d %+v", r.Code, u)
	}

	// docs delete and clear.
	if r = signet(t, env, "mews", "docs", "delete", "--id", added.Id); r.Code != 0 {
		t.Fatalf("docs delete: exit %d\n%s", r.Code, r.Output())
	}
	if r = signet(t, env, "mews", "docs", "clear", "--customer", jan.MewsCustomerID); r.Code != 0 {
		t.Fatalf("docs clear: exit %d\n%s", r.Code, r.Output())
	}
	r = signet(t, env, "mews", "docs", "list", "--customer", anna.MewsCustomerID, "--customer", jan.MewsCustomerID)
	if r.Code != 0 || strings.TrimSpace(r.Stdout) != "[]" {
		t.Errorf("docs list after delete and clear: exit %d %q", r.Code, r.Stdout)
	}
}

func TestMewsExitCodes(t *testing.T) {
	url := startMewsSim(t)
	good := mewsEnv(url, demodata.MewsClientToken, demodata.MewsAccessToken)
	const wrongAccess = "wrong-access-token-31415926"
	wrong := mewsEnv(url, demodata.MewsClientToken, wrongAccess)
	anna := demodata.People[0]

	// A server that always fails: transient failures until the client gives up.
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Request-Id", "down")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(down.Close)

	tests := []struct {
		name string
		env  []string
		args []string
		code int
		want string // in stderr
	}{
		{"wrong tokens are refused", wrong, []string{"mews", "customers", "find", "--email", anna.Email}, 1, "401"},
		{"business rule refused", good, []string{"mews", "docs", "add", "--customer", anna.MewsCustomerID, "--type", "Passport", "--number", ""}, 1, "number is required"},
		{"unknown customer refused", good, []string{"mews", "docs", "add", "--customer", "00000000-0000-0000-0000-000000000000", "--type", "Passport", "--number", "1"}, 1, "Invalid CustomerId"},
		{"unknown document refused", good, []string{"mews", "docs", "delete", "--id", "00000000-0000-0000-0000-000000000000"}, 1, "Invalid IdentityDocumentIds"},
		{"usage: no flags", good, []string{"mews", "docs", "list"}, 2, "--customer"},
		{"usage: bad type", good, []string{"mews", "docs", "add", "--customer", "c", "--type", "Badge", "--number", "1"}, 2, "not one of"},
		{"usage: clear Type", good, []string{"mews", "docs", "update", "--id", "x", "--clear", "Type"}, 2, "cannot be cleared"},
		{"usage: bad date", good, []string{"mews", "docs", "update", "--id", "x", "--expires", "tomorrow"}, 2, "--expires"},
		{"usage: not configured", nil, []string{"mews", "docs", "clear", "--customer", "c"}, 2, "not configured"},
		{"configuration: plain http off loopback", mewsEnv("http://mews.example.com", "a", "b"), []string{"mews", "docs", "clear", "--customer", "c"}, 2, "mews.platform_url"},
		{"gave up on 5xx", mewsEnv(down.URL, "ct-down-1234", "at-down-1234"), []string{"mews", "docs", "clear", "--customer", "c"}, 3, "gave up"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := signet(t, tt.env, tt.args...)
			if r.Code != tt.code || !strings.Contains(r.Stderr, tt.want) {
				t.Errorf("exit %d (want %d), stderr lacks %q:\n%s", r.Code, tt.code, tt.want, r.Output())
			}
			for _, s := range []string{demodata.MewsAccessToken, demodata.MewsClientToken, wrongAccess} {
				if strings.Contains(r.Output(), s) {
					t.Errorf("a token was printed:\n%s", r.Output())
				}
			}
		})
	}
}
