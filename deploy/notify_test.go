package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSessionHandsTheNotifySocketToTheKioskOnly: with Type=notify and
// NotifyAccess=all, the display server must not see NOTIFY_SOCKET (Xorg
// would say READY=1 before the kiosk's window is up), the kiosk must, and
// the kiosk must not see systemd's WATCHDOG_PID (it names the session
// script, the service's main process).
func TestSessionHandsTheNotifySocketToTheKioskOnly(t *testing.T) {
	session := filepath.Join(repoRoot(t), "deploy/session/signet-session")
	fk := newSessionFakes(t)
	log := fk.log
	fakes := map[string]string{
		// xinit runs the X server (here: records its environment) and the client.
		"xinit":  "#!/bin/sh\necho \"server NOTIFY_SOCKET=${NOTIFY_SOCKET:-}\" >>" + log + "\n\"$1\" \"$2\"\n",
		"xset":   "#!/bin/sh\n",
		"signet": "#!/bin/sh\necho \"kiosk NOTIFY_SOCKET=${NOTIFY_SOCKET:-} WATCHDOG_PID=${WATCHDOG_PID:-} WATCHDOG_USEC=${WATCHDOG_USEC:-}\" >>" + log + "\n",
	}
	fk.write(t, fakes)
	env := fk.env("NOTIFY_SOCKET=/run/systemd/notify", "WATCHDOG_PID=4242", "WATCHDOG_USEC=30000000")
	if out, err := runErr(t, env, session); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	b, _ := os.ReadFile(log)
	got := string(b)
	for _, want := range []string{"server NOTIFY_SOCKET=\n", "kiosk NOTIFY_SOCKET=/run/systemd/notify WATCHDOG_PID= WATCHDOG_USEC=30000000\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in:\n%s", want, got)
		}
	}
}

// sessionFakes is a directory for running the session script with fake
// programs in place of xinit, xset and signet: bin holds them, and log is
// the file they append what they saw to.
type sessionFakes struct{ dir, bin, log string }

func newSessionFakes(t *testing.T) sessionFakes {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	return sessionFakes{dir: dir, bin: bin, log: filepath.Join(dir, "log")}
}

// write writes the fake programs, each a name and its shell script.
func (fk sessionFakes) write(t *testing.T, fakes map[string]string) {
	t.Helper()
	for name, content := range fakes {
		if err := os.WriteFile(filepath.Join(fk.bin, name), []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// env is the session's environment: the fakes first on PATH, the
// directory as systemd's RUNTIME_DIRECTORY, the fake signet as SIGNET_BIN,
// and extra.
func (fk sessionFakes) env(extra ...string) []string {
	return append([]string{
		"PATH=" + fk.bin + ":/usr/bin:/bin",
		"RUNTIME_DIRECTORY=" + fk.dir,
		"SIGNET_BIN=" + filepath.Join(fk.bin, "signet"),
	}, extra...)
}
