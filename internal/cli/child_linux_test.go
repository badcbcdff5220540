//go:build linux

package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The hostile-input tests run a command in a child process, this test
// binary re-entered through TestCLIChild, so that its peak RSS can be read
// from the kernel and it can be sent signals. The child runs the command
// through Run, as main does. Its peak RSS is VmHWM from its own /proc/self/status, read
// after the command returns and written to a file: getrusage's Maxrss of a
// child on Linux starts from the parent's RSS at fork, so it would measure
// the test process, not the command.

const (
	childEnv    = "SIGNET_CLI_CHILD_ARGS"
	childRSSEnv = "SIGNET_CLI_CHILD_RSS_FILE"
)

func TestCLIChild(t *testing.T) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		t.Skip("the child process of the hostile-input tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		os.Exit(99)
	}
	code := Run("test", Commands(Kiosk{}), args) // as main does
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				_ = os.WriteFile(os.Getenv(childRSSEnv), []byte(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))), 0o600)
			}
		}
	}
	os.Exit(code)
}

// child is a started child process running one command.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	rssFile        string
}

// startChild starts `signet args...` as a child with a private HOME and
// stdin as its standard input.
func startChild(t *testing.T, stdin []byte, args ...string) *child {
	t.Helper()
	raw, _ := json.Marshal(args)
	home := t.TempDir()
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^TestCLIChild$"), rssFile: filepath.Join(t.TempDir(), "vmhwm")}
	c.cmd.Env = []string{
		childEnv + "=" + string(raw),
		childRSSEnv + "=" + c.rssFile,
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".state"),
		"LANG=C.UTF-8",
	}
	c.cmd.Stdin = bytes.NewReader(stdin)
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			_ = c.cmd.Process.Kill()
			_ = c.cmd.Wait()
		}
	})
	return c
}

// childResult is how a child ended.
type childResult struct {
	Code      int
	Stdout    string
	Stderr    string
	PeakRSSMB float64 // the child's VmHWM when the command returned
	Wall      time.Duration
}

// wait waits up to limit for the child to end; past it the child is killed
// and the test fails.
func (c *child) wait(t *testing.T, limit time.Duration) childResult {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(limit):
		_ = c.cmd.Process.Kill()
		<-done
		t.Fatalf("%v still running after %v; killed. stderr: %s", c.cmd.Args, limit, c.stderr.String())
	}
	r := childResult{Code: c.cmd.ProcessState.ExitCode(), Stdout: c.stdout.String(), Stderr: c.stderr.String(), Wall: time.Since(start)}
	b, err := os.ReadFile(c.rssFile)
	if err != nil {
		t.Fatalf("the child did not report its peak RSS: %v; stderr %s", err, r.Stderr)
	}
	kib, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		t.Fatal(err)
	}
	r.PeakRSSMB = kib / 1024
	return r
}

// runChild runs `signet args...` to its end (at most two minutes).
func runChild(t *testing.T, stdin []byte, args ...string) childResult {
	t.Helper()
	return startChild(t, stdin, args...).wait(t, 2*time.Minute)
}
