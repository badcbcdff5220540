package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The command line's side of issue 15: silent under C locales, exit 2 for
// local file errors and for settings that cannot work, and a root context
// that SIGINT and SIGTERM end.

// TestSilentUnderCLocales: no subcommand prints anything on stderr under
// LANG=C or C.UTF-8 (Fyne's "Error parsing user locale C" included), beyond
// a failing command's own "signet: …" line.
func TestSilentUnderCLocales(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.png")
	badTimeout := writeFile(t, "timeout.toml", "[storegister]\ntimeout = 5\n")
	cmds := []struct {
		args []string
		code int
	}{
		{[]string{"version"}, 0},
		{[]string{"--help"}, 0},
		{[]string{"config", "check"}, 0},
		{[]string{"config", "show"}, 0},
		{[]string{"mrz", "parse", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"}, 0},
		{[]string{"mrz", "read", "--image", missing}, 2},
		{[]string{"--config", badTimeout, "config", "check"}, 2},
		{[]string{"sim", "--error-rate", "NaN"}, 2},
		{[]string{"no-such-command"}, 2},
	}
	for _, locale := range []string{"LANG=C", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"} {
		for _, c := range cmds {
			r := signet(t, []string{locale}, c.args...)
			name := locale + " signet " + strings.Join(c.args, " ")
			if r.Code != c.code {
				t.Errorf("%s: exit %d, want %d\n%s", name, r.Code, c.code, r.Output())
				continue
			}
			if strings.Contains(r.Stderr, "Fyne") || strings.Contains(r.Stderr, "locale") {
				t.Errorf("%s: stderr mentions the locale:\n%s", name, r.Stderr)
			}
			switch {
			case c.code == 0 && r.Stderr != "":
				t.Errorf("%s: stderr is not empty:\n%s", name, r.Stderr)
			case c.code != 0 && c.args[0] != "no-such-command":
				if lines := strings.Split(strings.TrimSuffix(r.Stderr, "\n"), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "signet: ") {
					t.Errorf("%s: stderr is not the command's one error line:\n%s", name, r.Stderr)
				}
			}
		}
	}
}

// TestLocalFileErrorsExit2: a missing or unreadable local file is the
// operator's to fix (exit 2), never "refused by the remote side" (exit 1).
func TestLocalFileErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	for _, args := range [][]string{
		{"--config", missing, "config", "check"},
		{"mrz", "read", "--image", missing},
		{"mrz", "read", "--image", dir},
		{"signature", "render", "--points", missing, "--out", filepath.Join(dir, "sig.png")},
		{"cameras", "snapshot", "--camera", "file:" + missing, "--out", filepath.Join(dir, "snap.png")},
	} {
		r := signet(t, nil, args...)
		if r.Code != 2 || !strings.HasPrefix(r.Stderr, "signet: ") {
			t.Errorf("signet %s: exit %d, want 2\n%s", strings.Join(args, " "), r.Code, r.Output())
		}
	}
}

// TestConfigCheckSettingsThatCannotWork runs the binary's config check on
// durations and sizes that cannot work, and on a readable file with a secret.
func TestConfigCheckSettingsThatCannotWork(t *testing.T) {
	mewsEnv := []string{"SIGNET_MEWS_CLIENT_TOKEN=" + envClient, "SIGNET_MEWS_ACCESS_TOKEN=" + envAccess}
	for _, tt := range []struct{ file, key string }{
		{"[mews]\nplatform_url = \"https://api.mews-demo.com\"\ntimeout = \"0s\"\n", "mews.timeout"},
		{"[mews]\nplatform_url = \"https://api.mews-demo.com\"\ntimeout = 5\n", "mews.timeout"},
		{"[storegister]\ntimeout = \"-1s\"\n", "storegister.timeout"},
		{"[kiosk]\nidle_countdown = 0\n", "kiosk.idle_countdown"},
		{"[outbox]\nmax_items = 0\n", "outbox.max_items"},
	} {
		r := signet(t, mewsEnv, "--config", writeFile(t, "c.toml", tt.file), "config", "check")
		if r.Code != 2 || !strings.Contains(r.Stderr, tt.key) || r.Stdout != "" {
			t.Errorf("%q: exit %d, want 2 naming %s\n%s", tt.file, r.Code, tt.key, r.Output())
		}
		if strings.Contains(tt.key, "timeout") && !strings.Contains(r.Stderr, `"30s"`) {
			t.Errorf("%q: no example duration:\n%s", tt.file, r.Stderr)
		}
	}

	p := writeFile(t, "config.toml", "[storegister]\nbase_url = \"https://api.example.com\"\napi_key = \""+envKey+"\"\n")
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	r := signet(t, nil, "--config", p, "config", "check")
	if r.Code != 0 || !strings.Contains(r.Stderr, "warning") || !strings.Contains(r.Stderr, p) ||
		!strings.Contains(r.Stderr, "storegister.api_key") {
		t.Errorf("secret in a 0644 file: exit %d, want 0 and a warning naming the file\n%s", r.Code, r.Output())
	}
	assertNoSecrets(t, "config check", r.Output())
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := signet(t, nil, "--config", p, "config", "check"); r.Code != 0 || r.Stderr != "" {
		t.Errorf("secret in a 0600 file: exit %d\n%s", r.Code, r.Output())
	}
}

// TestSignalsEndTheCommand: SIGTERM and SIGINT cancel the root context, so
// `signet sim`, which runs until its context ends, stops at once and
// cleanly. The time from the signal to the exit is logged.
func TestSignalsEndTheCommand(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "sim", "--addr", "127.0.0.1:0")
			cmd.Env = baseEnv(t)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			for sc.Scan() && !strings.HasPrefix(sc.Text(), "signet sim: listening on ") {
			}
			sent := time.Now()
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var rest strings.Builder
			for sc.Scan() {
				rest.WriteString(sc.Text() + "\n")
			}
			err = cmd.Wait()
			took := time.Since(sent)
			t.Logf("%v to exit: %v", sig, took)
			if err != nil || !strings.Contains(rest.String(), "signet sim: stopped") {
				t.Errorf("after %v: %v\nstdout: %s\nstderr: %s", sig, err, rest.String(), stderr.String())
			}
			if took > 5*time.Second {
				t.Errorf("%v took %v to end the command", sig, took)
			}
		})
	}
}
