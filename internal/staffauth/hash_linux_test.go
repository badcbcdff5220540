//go:build linux

package staffauth

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// absurdHash asks for 1 GiB × 64 passes: checking a PIN against it took
// 197 s and 1 GiB before Parse had limits.
const absurdHash = "$argon2id$v=19$m=1048576,t=64,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"

// An absurd hash string is refused before any hashing. The check runs in a
// fresh child process (this test binary) whose peak RSS is read from the
// kernel: a few MB, where hashing would take 1 GiB.
func TestVerifyAbsurdHashBoundedRSS(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestVerifyAbsurdHashChild$")
	cmd.Env = append(os.Environ(), "SIGNET_STAFFAUTH_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	peakMB := float64(ru.Maxrss) / 1024
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
}
