//go:build linux

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// The hostile-input tests run a command in a child process, this test
// binary re-entered through TestCLIChild, so that its peak RSS can be read
// from the kernel (getrusage's Maxrss) and it can be sent signals. The child
// sets up its context as main does.

const childEnv = "SIGNET_CLI_CHILD_ARGS"

func TestCLIChild(t *testing.T) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		t.Skip("the child process of the hostile-input tests")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		os.Exit(99)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, args, NewEnv("test"))
	stop()
	os.Exit(code)
}

// child is a started child process running one command.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
}

// startChild starts `signet args...` as a child with a private HOME and
// stdin as its standard input.
func startChild(t *testing.T, stdin []byte, args ...string) *child {
	t.Helper()
	raw, _ := json.Marshal(args)
	home := t.TempDir()
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^TestCLIChild$")}
	c.cmd.Env = []string{
		childEnv + "=" + string(raw),
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
	PeakRSSMB float64 // getrusage Maxrss
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
	ru, _ := c.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r := childResult{Code: c.cmd.ProcessState.ExitCode(), Stdout: c.stdout.String(), Stderr: c.stderr.String(), Wall: time.Since(start)}
	if ru != nil {
		r.PeakRSSMB = float64(ru.Maxrss) / 1024 // Linux reports KiB
	}
	return r
}

// runChild runs `signet args...` to its end (at most two minutes).
func runChild(t *testing.T, stdin []byte, args ...string) childResult {
	t.Helper()
	return startChild(t, stdin, args...).wait(t, 2*time.Minute)
}
