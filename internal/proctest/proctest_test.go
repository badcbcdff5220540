package proctest

import (
	"os"
	"testing"
	"time"
)

func TestCPUTimeOfThisProcess(t *testing.T) {
	before, running, err := cpuTime(os.Getpid())
	if err != nil || !running {
		t.Fatalf("this process: running %v, %v", running, err)
	}
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
	}
	WaitCPU(t, os.Getpid(), before+10*time.Millisecond)
	if _, _, err := cpuTime(-1); err == nil {
		t.Error("no error for a process that cannot exist")
	}
}
