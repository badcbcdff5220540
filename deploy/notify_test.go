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
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "log")
	fakes := map[string]string{
		// xinit runs the X server (here: records its environment) and the client.
		"xinit":  "#!/bin/sh\necho \"server NOTIFY_SOCKET=${NOTIFY_SOCKET:-}\" >>" + log + "\n\"$1\" \"$2\"\n",
		"xset":   "#!/bin/sh\n",
		"signet": "#!/bin/sh\necho \"kiosk NOTIFY_SOCKET=${NOTIFY_SOCKET:-} WATCHDOG_PID=${WATCHDOG_PID:-} WATCHDOG_USEC=${WATCHDOG_USEC:-}\" >>" + log + "\n",
	}
	for name, content := range fakes {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{
		"PATH=" + bin + ":/usr/bin:/bin",
		"RUNTIME_DIRECTORY=" + dir,
		"SIGNET_BIN=" + filepath.Join(bin, "signet"),
		"NOTIFY_SOCKET=/run/systemd/notify",
		"WATCHDOG_PID=4242",
		"WATCHDOG_USEC=30000000",
	}
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
