// Package e2e tests the real signet binary from the outside: its commands,
// exit codes and output against the simulator, and its window under Xvfb.
// TestMain builds the binary once; each area's tests live in their own file.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// bin is the signet binary built for this test run.
var bin string

func TestMain(m *testing.M) {
	if os.Getenv(measureEnv) == "1" {
		os.Exit(launch())
	}
	dir, err := os.MkdirTemp("", "signet-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "signet")
	build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	build.Dir = repoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: building signet: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the module root: the directory above this file's.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// result is what one run of the binary printed and returned.
type result struct {
	Stdout, Stderr string
	Code           int
}

// Output is stdout and stderr together, for "appears nowhere" checks.
func (r result) Output() string { return r.Stdout + r.Stderr }

// baseEnv is a minimal, reproducible environment: no inherited SIGNET_*
// variable, a private HOME (so no user config is read), a UTF-8 locale.
func baseEnv(t *testing.T) []string {
	home := t.TempDir()
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".state"),
		"LANG=en_US.UTF-8",
	}
}

// signet runs the binary with args and extra environment ("K=V"), waiting up
// to a minute.
func signet(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return signetIn(t, nil, env, args...)
}

// signetIn is signet with standard input.
func signetIn(t *testing.T, stdin []byte, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(baseEnv(t), env...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{Stdout: out.String(), Stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("signet %s: %v", strings.Join(args, " "), err)
	}
	return r
}

// writeFile writes content to a new file in a temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// runSignet starts signet with args in the environment env, its output
// going to a log file (name.log) that a failing test prints. The process
// is stopped when the test ends. It returns the process and the log's path.
func runSignet(t *testing.T, name string, env []string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		cancel()
		logf.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s log:\n%s", name, b)
		}
	})
	return cmd, logPath
}
