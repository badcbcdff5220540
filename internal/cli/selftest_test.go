package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

// runSelftestCmd runs signet with a configuration file holding body.
func runSelftestCmd(t *testing.T, body string, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	return runWithConfig(t, body, vars, args...)
}

func simVars(t *testing.T) (*sim.Server, map[string]string) {
	srv := sim.New()
	if _, err := srv.Start(context.Background(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, map[string]string{
		config.EnvMewsURL: srv.URL(), config.EnvMewsClientToken: demodata.MewsClientToken,
		config.EnvMewsAccessToken: demodata.MewsAccessToken,
		config.EnvStoRegisterURL:  srv.StoRegisterURL(), config.EnvStoRegisterKey: demodata.StoRegisterAPIKey,
		config.EnvStoRegisterTestB: demodata.People[0].BookingID,
	}
}

func TestSelftest(t *testing.T) {
	_, vars := simVars(t)
	hash, _ := staffauth.HashWith("2580", staffauth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	code, out, errs := runSelftestCmd(t, "[staff]\npin_hash = \""+hash+"\"\n", vars, "selftest", "--camera", "synthetic", "--timeout", "10s")
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"CHECK RESULT TIME DETAIL", "configuration ok", "staff PIN ok", "mews configuration/get ok",
		"storegister document types ok", "camera ok", "fps measured", "all 5 checks passed"} {
		if !strings.Contains(flat, want) {
			t.Errorf("output lacks %q:\n%s%s", want, out, errs)
		}
	}
	for _, secret := range []string{demodata.MewsClientToken, demodata.MewsAccessToken, demodata.StoRegisterAPIKey} {
		if strings.Contains(out+errs, secret) {
			t.Errorf("output holds a token")
		}
	}
}

func TestSelftestFailures(t *testing.T) {
	srv, vars := simVars(t)
	vars[config.EnvMewsAccessToken] = "wrong-access-token-123456"
	srv.Close()
	code, out, errs := runSelftestCmd(t, "", vars, "selftest", "--camera", "file:/nonexistent.yuv", "--timeout", "2s")
	if code == 0 {
		t.Fatalf("exit 0 with everything down:\n%s", out)
	}
	for _, row := range []string{"mews configuration/get", "storegister document types", "camera"} {
		if !strings.Contains(out, row) {
			t.Errorf("no %s row:\n%s", row, out)
		}
	}
	if n := strings.Count(out, "FAIL"); n < 4 {
		t.Errorf("%d failures, want at least 4:\n%s", n, out)
	}
	if strings.Contains(out+errs, "wrong-access-token-123456") {
		t.Error("output holds the access token")
	}
}

func TestSelftestUsage(t *testing.T) {
	if code, _, _ := runSelftestCmd(t, "", nil, "selftest", "--timeout", "0s"); code != ExitUsage {
		t.Errorf("--timeout 0: exit %d", code)
	}
	if code, _, _ := runSelftestCmd(t, "", nil, "selftest", "extra"); code != ExitUsage {
		t.Errorf("extra argument: exit %d", code)
	}
}
