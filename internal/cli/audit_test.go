package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/audit"
)

// runIn runs signet with a configuration whose state directory is dir,
// plus extra TOML.
func runIn(t *testing.T, dir, extra string, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	body := "state_dir = \"" + dir + "\"\n" + extra
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Version: "test",
		Getenv: func(k string) string { return vars[k] }}
	code := Main(context.Background(), Commands(Kiosk{}), append([]string{"--config", path}, args...), env)
	return code, out.String(), errb.String()
}

const (
	auditBooking1 = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	auditBooking2 = "5b7c9a10-0d4e-4c2f-8f4a-7b1e2d3c4f50"
)

// writeJournal records two move-ins in dir's journal; the first one's
// signature PNG holds sigPNG.
func writeJournal(t *testing.T, dir string, sigPNG []byte) {
	t.Helper()
	j, err := audit.Open(dir, audit.Options{KeepDays: 400})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	for i, b := range []string{auditBooking1, auditBooking2} {
		e := audit.Entry{BookingID: b, Signature: audit.File{SHA256: audit.Sum(append(sigPNG, byte(i))), Ref: "sig-ref"},
			Images:    []audit.Image{{Side: "front", File: audit.File{SHA256: audit.Sum([]byte("front")), Ref: "img-ref"}}},
			Agreement: audit.Sum([]byte("terms")), MRZ: audit.MRZ{Read: true, Valid: true, Format: "TD3"}}
		if i == 0 {
			e.Signature.SHA256 = audit.Sum(sigPNG)
		}
		if err := j.Append(e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditVerifyAndShow(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := runIn(t, dir, "", nil, "audit", "verify"); code != 0 || !strings.Contains(out, "no journal yet") {
		t.Fatalf("no journal: exit %d %q %q", code, out, errs)
	}
	png := []byte("\x89PNG the signature as sent")
	writeJournal(t, dir, png)

	code, out, errs := runIn(t, dir, "", nil, "audit", "verify")
	if code != 0 || !strings.Contains(out, "intact: 2 move-ins") {
		t.Fatalf("verify: exit %d %q %q", code, out, errs)
	}

	code, out, _ = runIn(t, dir, "", nil, "audit", "show", "--booking", strings.ToUpper(auditBooking1))
	var rec map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rec) != nil || rec["booking"] != auditBooking1 || rec["line"] != 1.0 {
		t.Fatalf("show: exit %d %s", code, out)
	}
	held := filepath.Join(t.TempDir(), "sig.png")
	os.WriteFile(held, png, 0o600)
	if code, out, _ := runIn(t, dir, "", nil, "audit", "show", "--booking", auditBooking1, "--check", held); code != 0 || !strings.Contains(out, `"matches": "signature"`) {
		t.Errorf("--check the signature: exit %d %s", code, out)
	}
	os.WriteFile(held, append(png, '!'), 0o600)
	if code, out, _ := runIn(t, dir, "", nil, "audit", "show", "--booking", auditBooking1, "--check", held); code != 1 || strings.Contains(out, "matches") {
		t.Errorf("--check another file: exit %d %s", code, out)
	}
	if code, _, _ := runIn(t, dir, "", nil, "audit", "show", "--booking", "a1b2c3d4-e5f6-4789-8abc-def012345678"); code != 1 {
		t.Errorf("unknown booking: exit %d", code)
	}
	if code, _, _ := runIn(t, dir, "", nil, "audit", "show"); code != ExitUsage {
		t.Errorf("no --booking: exit %d", code)
	}

	// Any byte of line 1 changed: exit 1, naming line 1.
	path, _ := audit.Paths(dir)
	data, _ := os.ReadFile(path)
	bad := bytes.Replace(data, []byte(`"format":"TD3"`), []byte(`"format":"TD1"`), 1)
	os.WriteFile(path, bad, 0o600)
	code, out, errs = runIn(t, dir, "", nil, "audit", "verify")
	if code != 1 || !strings.Contains(errs, "line 1 is broken") {
		t.Errorf("changed line 1: exit %d %q %q", code, out, errs)
	}
	// show still prints, and warns.
	if code, _, errs := runIn(t, dir, "", nil, "audit", "show", "--booking", auditBooking2); code != 0 || !strings.Contains(errs, "does not verify") {
		t.Errorf("show on a broken journal: exit %d %q", code, errs)
	}
	// Verified with a public key kept elsewhere: another key fails.
	other := filepath.Join(t.TempDir(), "key.pub")
	os.WriteFile(other, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	os.WriteFile(path, data, 0o600)
	if code, _, errs := runIn(t, dir, "", nil, "audit", "verify", "--pub", other); code != 1 || !strings.Contains(errs, "line 1") {
		t.Errorf("another public key: exit %d %q", code, errs)
	}
	if code, _, _ := runIn(t, dir, "", nil, "audit", "verify", "--journal", filepath.Join(dir, "nope.jsonl")); code != ExitUsage {
		t.Errorf("missing --journal file: exit %d", code)
	}
}

func TestAuditVerifyAfterPruning(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Now().AddDate(0, 0, -100)
	clk := t0
	j, err := audit.Open(dir, audit.Options{KeepDays: 30, Now: func() time.Time { return clk }})
	if err != nil {
		t.Fatal(err)
	}
	e := audit.Entry{BookingID: auditBooking1, Signature: audit.File{SHA256: audit.Sum([]byte("s"))},
		Agreement: audit.Sum([]byte("t"))}
	j.Append(e)
	clk = t0.AddDate(0, 0, 90)
	j.Append(e)
	j.Close() // the second Append pruned the first line (a day had passed)
	code, out, errs := runIn(t, dir, "", nil, "audit", "verify")
	if code != 0 || !strings.Contains(out, "1 older lines pruned behind a signed checkpoint") {
		t.Errorf("exit %d %q %q", code, out, errs)
	}
}
