// Package transporttest checks, for each API client, the guarantees that
// package transport gives every client: a redirect sends nothing on, and
// an endless answer costs bounded memory. Each client's tests call these
// with their own requests, so one probe serves both APIs.
package transporttest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/transport"
)

// Calls makes a client of base, through hc when hc is not nil (a caller's
// client) and through the client's own transport otherwise, and returns the
// error of each call it made with it.
type Calls func(t *testing.T, base string, hc *http.Client) []error

// Redirects points calls at a server that answers every request with a
// redirect (301, 302, 303, 307 and 308 in turn) whose Location is what
// location makes of a sink's URL and the request. It checks that nothing
// reaches the sink, that each call fails at once with transport.ErrRedirect
// (no retry), and that its error says what happened without echoing the
// Location or any of secrets.
func Redirects(t *testing.T, location func(sink string, r *http.Request) string, calls Calls, secrets ...string) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			var sunk, asked atomic.Int32
			sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sunk.Add(1)
				io.Copy(io.Discard, r.Body)
			}))
			defer sink.Close()
			src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				asked.Add(1)
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Location", location(sink.URL, r))
				w.WriteHeader(status)
			}))
			defer src.Close()
			made := 0
			for _, hc := range []*http.Client{nil, {}} {
				for _, err := range calls(t, src.URL, hc) {
					made++
					if !errors.Is(err, transport.ErrRedirect) || errors.Is(err, retry.ErrGaveUp) {
						t.Fatalf("err = %v, want ErrRedirect at once", err)
					}
					msg := fmt.Sprintf("%v %+v", err, err)
					for _, leak := range append([]string{sink.URL}, secrets...) {
						if strings.Contains(msg, leak) {
							t.Errorf("error echoes %q: %s", leak, msg)
						}
					}
					if !strings.Contains(msg, fmt.Sprint(status)) || !strings.Contains(msg, "configured address") {
						t.Errorf("error does not say what happened: %s", msg)
					}
				}
			}
			if n := sunk.Load(); n != 0 {
				t.Errorf("the sink received %d requests", n)
			}
			if n := asked.Load(); int(n) != made {
				t.Errorf("the redirecting server was asked %d times, want %d (once per call, no retry)", n, made)
			}
		})
	}
}

// PeakRSS runs the test named test of this test binary in a child process,
// with env (NAME=value) added to its environment, fails t when the child
// fails, and returns the child's peak RSS in bytes. In -short mode it skips
// t instead.
func PeakRSS(t *testing.T, test string, env ...string) int64 {
	t.Helper()
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024 // Linux: KiB
}

// CheckRSS fails t when peak exceeds bound bytes; under the race detector,
// whose shadow memory multiplies a process's footprint, raceBound applies.
func CheckRSS(t *testing.T, peak, bound, raceBound int64) {
	t.Helper()
	if raceEnabled {
		bound = raceBound
	}
	if peak > bound {
		t.Errorf("peak RSS %d bytes, want ≤ %d MiB", peak, bound>>20)
	}
}
