//go:build linux

package staffauth

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// absurdHash asks for 1 GiB × 64 passes: checking a PIN against it took
// 197 s and 1 GiB before Parse had limits.
const absurdHash = "$argon2id$v=19$m=1048576,t=64,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"

// An absurd hash string is refused before any hashing. The check runs in a
// fresh child process (this test binary), which reports its own peak RSS
// (VmHWM; getrusage's Maxrss of a child would start from this process's
// RSS at the fork): a few MB, where hashing would take 1 GiB.
func TestVerifyAbsurdHashBoundedRSS(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestVerifyAbsurdHashChild$", "-test.v")
	cmd.Env = append(os.Environ(), "SIGNET_STAFFAUTH_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	_, after, ok := strings.Cut(string(out), "VmHWM=")
	kib, err := strconv.ParseFloat(strings.Fields(after + " x")[0], 64)
	if !ok || err != nil {
		t.Fatalf("the child did not report its peak RSS:\n%s", out)
	}
	peakMB := kib / 1024
	t.Logf("Verify against m=1048576,t=64,p=1 in a child: peak RSS %.1f MB", peakMB)
	if peakMB > 100 {
		t.Errorf("peak RSS %.1f MB, want ≤ 100 MB\n%s", peakMB, out)
	}
}

func TestVerifyAbsurdHashChild(t *testing.T) {
	if os.Getenv("SIGNET_STAFFAUTH_CHILD") == "" {
		t.Skip("the child process of TestVerifyAbsurdHashBoundedRSS")
	}
	ok, err := Verify("2580", absurdHash)
	if ok || !errors.Is(err, ErrBadHash) {
		t.Fatalf("Verify = %v, %v; want ErrBadHash", ok, err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			t.Logf("VmHWM=%s", strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
}
