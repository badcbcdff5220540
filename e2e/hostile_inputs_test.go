package e2e

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/imagecheck/imagechecktest"
	"github.com/signet-kiosk/signet/capture/signature/signaturetest"
	"github.com/signet-kiosk/signet/internal/proctest"
)

// Issue 15, section 4, against the built binary: each hostile input ends in
// a clear refusal (exit 2) with a bounded peak RSS, read from the kernel
// (getrusage's Maxrss of the command, through the launcher of
// measure_test.go so that it counts the command's own memory and not this
// test process's).

// hostileRun is how one run of the binary ended.
type hostileRun struct {
	result
	PeakRSSMB float64
	Wall      time.Duration
}

// runMeasured runs signet with args through the launcher and returns how
// it ended, its wall time and its peak RSS.
func runMeasured(t *testing.T, args ...string) hostileRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rd, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"--", bin}, args...)...)
	cmd.Env = append(baseEnv(t), measureEnv+"=1")
	cmd.ExtraFiles = []*os.File{wr}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err = cmd.Run()
	wr.Close()
	r := hostileRun{result: result{Stdout: out.String(), Stderr: errb.String()}, Wall: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("signet %s: %v", strings.Join(args, " "), err)
	}
	if r.Code == 125 {
		t.Fatalf("signet %s did not run: %s", strings.Join(args, " "), r.Stderr)
	}
	report, _ := io.ReadAll(rd)
	kib, err := strconv.ParseInt(strings.TrimSpace(string(report)), 10, 64)
	if err != nil {
		t.Fatalf("no peak RSS from the launcher (%q): %v", report, err)
	}
	r.PeakRSSMB = float64(kib) / 1024
	return r
}

func TestHostileImageToMRZRead(t *testing.T) {
	png := writeBytes(t, "bomb.png", imagechecktest.BlankPNG(20000, 20000))
	r := runMeasured(t, "mrz", "read", "--image", png)
	t.Logf("signet mrz read --image (valid 20000×20000 PNG): exit %d in %v, peak RSS ≤ %.1f MB", r.Code, r.Wall.Round(time.Millisecond), r.PeakRSSMB)
	if r.Code != 2 || !strings.Contains(r.Stderr, "image 20000×20000 is larger than 24 MP") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	if r.PeakRSSMB > 300 {
		t.Errorf("peak RSS %.1f MB, want ≤ 300 MB", r.PeakRSSMB)
	}

	// The largest image accepted (24 MP) is read within the same bound:
	// the limit is what keeps mrz read's memory bounded.
	largest := writeBytes(t, "largest.png", imagechecktest.BlankPNG(6000, 4000))
	r = runMeasured(t, "mrz", "read", "--image", largest)
	t.Logf("signet mrz read --image (blank 6000×4000 PNG, the largest accepted): exit %d in %v, peak RSS ≤ %.1f MB", r.Code, r.Wall.Round(time.Millisecond), r.PeakRSSMB)
	if r.Code != 1 || !strings.Contains(r.Stderr, "no machine-readable zone") {
		t.Errorf("exit %d, stderr %q; want 1, none found", r.Code, r.Stderr)
	}
	if r.PeakRSSMB > 300 {
		t.Errorf("peak RSS %.1f MB, want ≤ 300 MB", r.PeakRSSMB)
	}
}

func TestHostileImportFromDevZero(t *testing.T) {
	r := runMeasured(t, "mews", "docs", "import", "--file", "/dev/zero")
	t.Logf("signet mews docs import --file /dev/zero: exit %d in %v, peak RSS ≤ %.1f MB", r.Code, r.Wall.Round(time.Millisecond), r.PeakRSSMB)
	if r.Code != 2 || !strings.Contains(r.Stderr, "larger than 8 MiB") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	if r.PeakRSSMB > 100 {
		t.Errorf("peak RSS %.1f MB, want ≤ 100 MB", r.PeakRSSMB)
	}
}

// signaturePoints writes vector data at the importer's limits with a pen
// pen units wide (0: the default pen) and returns its path.
func signaturePoints(t *testing.T, pen float64) string {
	t.Helper()
	return writeBytes(t, "points.json", signaturetest.AtImporterLimits(t, pen))
}

func TestHostileSignatureRender(t *testing.T) {
	out := filepath.Join(t.TempDir(), "sig.png")
	r := runMeasured(t, "signature", "render", "--points", signaturePoints(t, 100), "--out", out, "--width", "4000")
	t.Logf("signet signature render (1000×100 points, 100-unit pen, --width 4000): exit %d in %v, peak RSS ≤ %.1f MB",
		r.Code, r.Wall.Round(time.Millisecond), r.PeakRSSMB)
	if r.Code != 2 || !strings.Contains(r.Stderr, "too costly") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a PNG was written")
	}

	// What is not refused ends within a second of SIGTERM or SIGINT.
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(bin, "signature", "render", "--points", signaturePoints(t, 0), "--out", out, "--width", "4000")
		cmd.Env = baseEnv(t)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The whole run takes 2.0–2.4 s of CPU here: signal it halfway.
		proctest.WaitCPU(t, cmd.Process.Pid, time.Second)
		sent := time.Now()
		_ = cmd.Process.Signal(sig)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		took := time.Since(sent)
		t.Logf("signet signature render (default pen, --width 4000): %v to exit %d in %v", sig, cmd.ProcessState.ExitCode(), took.Round(time.Millisecond))
		if took > time.Second || cmd.ProcessState.ExitCode() != 3 {
			t.Errorf("%v: exit %d after %v, stderr %q; want 3 within 1 s", sig, cmd.ProcessState.ExitCode(), took, errb.String())
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: a PNG was written", sig)
		}
	}
}
