// Package proctest watches child processes for tests, through Linux's
// /proc: the hostile-input tests of the command line and of the built
// binary signal a command once it is busy, not before.
package proctest

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// WaitCPU waits until process pid has used at least d of CPU time, and
// fails t when the process ends first or has not used it within a minute.
func WaitCPU(t testing.TB, pid int, d time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		used, running, err := cpuTime(pid)
		if err != nil {
			t.Fatal(err)
		}
		if !running {
			t.Fatal("the process ended before it was busy")
		}
		if used >= d {
			return
		}
	}
	t.Fatal("the process did not use the CPU in a minute")
}

// cpuTime reads the user and system CPU time process pid has used, and
// whether it is still running (not a zombie).
func cpuTime(pid int) (used time.Duration, running bool, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false, err
	}
	// Fields after the command's closing parenthesis: the state is the
	// 1st, utime the 12th, stime the 13th, in clock ticks (100 per second
	// on Linux).
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, false, fmt.Errorf("proctest: /proc/%d/stat has %d fields after the name", pid, len(f))
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond, f[0] != "Z", nil
}
