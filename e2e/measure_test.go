package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// measureEnv, set to 1, makes this test binary a launcher: it runs the
// command after "--" and writes the command's peak RSS in KiB to file
// descriptor 3. The measurement needs a small process in between: Linux
// carries a process's peak RSS across exec, and a child started from this
// test process (hundreds of MB under -race, with its images) would begin
// its count at this process's peak. The launcher is a fresh exec of the
// test binary whose own peak, a few MB, is all its child inherits.
const measureEnv = "SIGNET_E2E_MEASURE"

// launch is the launcher's whole run; it returns the command's exit code
// (125 when the command could not be run at all).
func launch() int {
	i := slices.Index(os.Args, "--")
	if i < 0 || i+1 >= len(os.Args) {
		fmt.Fprintln(os.Stderr, "e2e launcher: no command after --")
		return 125
	}
	cmd := exec.Command(os.Args[i+1], os.Args[i+2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, measureEnv+"=") })
	// The command dies with the launcher, which the test's timeout kills.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		fmt.Fprintln(os.Stderr, "e2e launcher:", err)
		return 125
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		report := os.NewFile(3, "peak-rss")
		fmt.Fprintln(report, strconv.FormatInt(ru.Maxrss, 10))
		report.Close()
	}
	return cmd.ProcessState.ExitCode()
}
