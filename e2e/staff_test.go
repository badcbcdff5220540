package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

// TestSetPIN sets the staff PIN into an existing file and a new one, and
// refuses two different PINs without touching the file.
func TestSetPIN(t *testing.T) {
	const pin = "482915"
	before := "# front desk kiosk\n[kiosk]\nidle_timeout = \"90s\"\n\n[staff]\nidle_timeout = \"3m\"\n"
	path := writeFile(t, "config.toml", before)

	r := signetIn(t, []byte(pin+"\n"+pin+"\n"), nil, "--config", path, "config", "set-pin")
	if r.Code != 0 {
		t.Fatalf("set-pin exit %d: %s", r.Code, r.Output())
	}
	if strings.Contains(r.Output(), pin) {
		t.Errorf("set-pin printed the PIN: %s", r.Output())
	}
	b, _ := os.ReadFile(path)
	for _, keep := range []string{"# front desk kiosk", `idle_timeout = "90s"`, `idle_timeout = "3m"`} {
		if !strings.Contains(string(b), keep) {
			t.Errorf("set-pin lost %q:\n%s", keep, b)
		}
	}
	m := regexp.MustCompile(`pin_hash = "(\$argon2id\$v=19\$m=65536,t=3,p=2\$[^"]+)"`).FindStringSubmatch(string(b))
	if m == nil || strings.Contains(string(b), pin) {
		t.Fatalf("no argon2id pin_hash (or the PIN itself) in:\n%s", b)
	}
	if ok, err := staffauth.Verify(pin, m[1]); !ok || err != nil {
		t.Errorf("the written hash does not verify the PIN: %v", err)
	}
	if r := signet(t, nil, "--config", path, "config", "check"); r.Code != 0 {
		t.Errorf("config check after set-pin: exit %d: %s", r.Code, r.Output())
	}
	if r := signet(t, nil, "--config", path, "config", "show"); strings.Contains(r.Output(), m[1]) {
		t.Errorf("config show prints the PIN hash")
	}

	// Two different PINs: refused, file unchanged.
	r = signetIn(t, []byte("1234\n4321\n"), nil, "--config", path, "config", "set-pin")
	if r.Code != 2 || !strings.Contains(r.Stderr, "differ") {
		t.Errorf("different PINs: exit %d: %s", r.Code, r.Output())
	}
	if b2, _ := os.ReadFile(path); string(b2) != string(b) {
		t.Error("a refused set-pin changed the file")
	}

	// A new file in a new directory is created 0600.
	fresh := filepath.Join(t.TempDir(), "etc", "signet.toml")
	if r := signetIn(t, []byte("2468\n2468\n"), nil, "--config", fresh, "config", "set-pin"); r.Code != 0 {
		t.Fatalf("set-pin on a new file: exit %d: %s", r.Code, r.Output())
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("new config file: %v %v", fi.Mode(), err)
	}
}

// TestSelftest runs signet selftest against the simulator: every check
// passes with the right configuration; wrong tokens and no PIN fail it,
// and no token is printed.
func TestSelftest(t *testing.T) {
	s := sim.New()
	url, err := s.Start(t.Context(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	hash, err := staffauth.HashWith("2580", staffauth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	cfg := writeFile(t, "config.toml", "[staff]\npin_hash = \""+hash+"\"\n")
	env := []string{
		"SIGNET_MEWS_URL=" + url,
		"SIGNET_MEWS_CLIENT_TOKEN=" + demodata.MewsClientToken,
		"SIGNET_MEWS_ACCESS_TOKEN=" + demodata.MewsAccessToken,
		"SIGNET_STOREGISTER_URL=" + s.StoRegisterURL(),
		"SIGNET_STOREGISTER_API_KEY=" + demodata.StoRegisterAPIKey,
		"SIGNET_STOREGISTER_TEST_BOOKING=" + demodata.People[0].BookingID,
	}
	r := signet(t, env, "--config", cfg, "selftest", "--camera", "synthetic", "--timeout", "15s")
	if r.Code != 0 {
		t.Fatalf("selftest exit %d:\n%s", r.Code, r.Output())
	}
	flat := strings.Join(strings.Fields(r.Stdout), " ")
	for _, want := range []string{"CHECK RESULT TIME DETAIL", "configuration ok", "staff PIN ok", "mews configuration/get ok",
		"storegister document types ok", "camera ok", "fps measured", "all 5 checks passed"} {
		if !strings.Contains(flat, want) {
			t.Errorf("selftest output lacks %q:\n%s", want, r.Stdout)
		}
	}

	bad := append([]string{}, env...)
	bad[2] = "SIGNET_MEWS_ACCESS_TOKEN=wrong-access-token-e2e-0001"
	bad[4] = "SIGNET_STOREGISTER_API_KEY=wrong-storegister-key-e2e-0001"
	empty := writeFile(t, "empty.toml", "")
	r = signet(t, bad, "--config", empty, "selftest", "--camera", "synthetic", "--timeout", "15s")
	if r.Code != 1 {
		t.Errorf("selftest with wrong tokens: exit %d, want 1:\n%s", r.Code, r.Output())
	}
	if n := strings.Count(r.Stdout, "FAIL"); n != 3 {
		t.Errorf("%d failed rows, want 3 (PIN, Mews, StoRegister):\n%s", n, r.Stdout)
	}
	for _, secret := range []string{"wrong-access-token-e2e-0001", "wrong-storegister-key-e2e-0001",
		demodata.MewsClientToken, demodata.MewsAccessToken, demodata.StoRegisterAPIKey} {
		if strings.Contains(r.Output(), secret) {
			t.Errorf("selftest printed a token")
		}
	}
}
