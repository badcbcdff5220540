package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/capture/imagecheck"
	"github.com/signet-kiosk/signet/internal/config"
)

func TestExitCode(t *testing.T) {
	dir := t.TempDir()
	_, openErr := os.Open(filepath.Join(dir, "missing.png"))
	renameErr := os.Rename(filepath.Join(dir, "missing"), filepath.Join(dir, "other"))
	_, readErr := os.ReadFile(dir) // a directory: "is a directory"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, dialErr := net.Dial("tcp", addr) // connection refused: not a file
	if openErr == nil || renameErr == nil || readErr == nil || dialErr == nil {
		t.Fatal("setup: an operation that should fail did not")
	}
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"none", nil, ExitOK},
		{"help", flag.ErrHelp, ExitOK},
		{"plain", errors.New("booking not found"), ExitRefused},
		{"refused", Refused(errors.New("401")), ExitRefused},
		{"network", fmt.Errorf("booking show: %w", dialErr), ExitRefused},
		{"usage", Usagef("--booking is required"), ExitUsage},
		{"gave up", GaveUp(errors.New("timeout")), ExitGaveUp},
		{"missing file", fmt.Errorf("signature render: %w", openErr), ExitUsage},
		{"missing file called refused", Refused(fmt.Errorf("x: %w", openErr)), ExitUsage},
		{"rename", fmt.Errorf("write: %w", renameErr), ExitUsage},
		{"unreadable", readErr, ExitUsage},
		{"marked", LocalFile(errors.New("out.png is a directory")), ExitUsage},
		{"too large", fmt.Errorf("import: %w", &FileTooLargeError{Path: "/dev/zero", Limit: 8 << 20}), ExitUsage},
		{"image too large", fmt.Errorf("mrz read: %w", imagecheck.CheckSize(20000, 20000)), ExitUsage},
		{"gave up on a file stays 3", GaveUp(openErr), ExitGaveUp},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("%s: ExitCode(%v) = %d, want %d", tt.name, tt.err, got, tt.want)
		}
	}
	if !errors.Is(imagecheck.CheckSize(20000, 20000), imagecheck.ErrTooLarge) {
		t.Fatal("setup: CheckSize(20000, 20000) is not a size refusal")
	}
}

// TestMainLocalFileExit2 runs commands through Main: a local file that is
// missing exits 2 and says which.
func TestMainLocalFileExit2(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nothing-here")
	for _, args := range [][]string{
		{"--config", missing, "config", "check"},
		{"--config", missing, "version"}, // needs no configuration: exits 0
		{"mrz", "read", "--image", missing},
	} {
		code, _, stderr := runCLI(t, args...)
		want := ExitUsage
		if args[2] == "version" {
			want = ExitOK
		}
		if code != want || (want != ExitOK && !strings.Contains(stderr, missing)) {
			t.Errorf("%v: exit %d, stderr %q; want %d naming the file", args, code, stderr, want)
		}
	}
}

func runCheckCmd(t *testing.T, path string, vars map[string]string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""),
		Getenv: func(k string) string { return vars[k] }, Version: "test"}
	code := Main(context.Background(), Commands(Kiosk{}), []string{"--config", path, "config", "check"}, env)
	return code, out.String(), errb.String()
}

func TestConfigCheckRefusesDurationsThatCannotWork(t *testing.T) {
	for _, tt := range []struct{ file, key string }{
		{"[mews]\nplatform_url = \"https://api.mews-demo.com\"\ntimeout = \"0s\"\n", "mews.timeout"},
		{"[storegister]\ntimeout = 5\n", "storegister.timeout"},
		{"[kiosk]\nidle_timeout = \"-30s\"\n", "kiosk.idle_timeout"},
		{"[scan]\nsteady_for = 0\n", "scan.steady_for"},
		{"[outbox]\nmax_mb = 0\n", "outbox.max_mb"},
		{"[storegister]\nmax_image_kb = -1\n", "storegister.max_image_kb"},
	} {
		p := filepath.Join(t.TempDir(), "c.toml")
		if err := os.WriteFile(p, []byte(tt.file), 0o600); err != nil {
			t.Fatal(err)
		}
		vars := map[string]string{config.EnvMewsClientToken: "c-token", config.EnvMewsAccessToken: "a-token"}
		code, out, stderr := runCheckCmd(t, p, vars)
		if code != ExitUsage || !strings.Contains(stderr, "config: "+tt.key+": ") || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 naming %s", tt.key, code, out, stderr, tt.key)
		}
		if strings.Contains(tt.key, "timeout") || strings.Contains(tt.key, "steady") {
			if !strings.Contains(stderr, `"30s"`) {
				t.Errorf("%s: no example duration in %q", tt.key, stderr)
			}
		}
	}
}

func TestConfigCheckWarnsAboutReadableSecrets(t *testing.T) {
	const secret = "sk_file_4b1d9e0c77a2"
	withSecret := "[storegister]\nbase_url = \"https://api.example.com\"\napi_key = \"" + secret + "\"\n"
	noSecret := "[storegister]\nbase_url = \"https://api.example.com\"\n"
	envKey := map[string]string{config.EnvStoRegisterKey: "sk_env_81f0a2"}
	for _, tt := range []struct {
		name    string
		content string
		mode    os.FileMode
		vars    map[string]string
		warn    bool
	}{
		{"secret in a 0644 file", withSecret, 0o644, nil, true},
		{"secret in a 0640 file", withSecret, 0o640, nil, true},
		{"secret in a 0600 file", withSecret, 0o600, nil, false},
		{"secret in the environment, 0644 file", noSecret, 0o644, envKey, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(p, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(p, tt.mode); err != nil {
				t.Fatal(err)
			}
			code, out, stderr := runCheckCmd(t, p, tt.vars)
			if code != ExitOK || !strings.Contains(out, "configuration OK") {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
			}
			if strings.Contains(out+stderr, secret) {
				t.Errorf("the secret was printed: %q %q", out, stderr)
			}
			warned := strings.Contains(stderr, "warning") && strings.Contains(stderr, p) &&
				strings.Contains(stderr, "storegister.api_key") && strings.Contains(stderr, "chmod 600")
			if warned != tt.warn || (!tt.warn && stderr != "") {
				t.Errorf("stderr %q; want a warning naming the file and key: %v", stderr, tt.warn)
			}
		})
	}
}
