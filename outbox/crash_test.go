package outbox

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
)

// The crash test runs the queue in a child process (this test binary again,
// running TestCrashChild) and kills it with SIGKILL at random moments while
// it enqueues and delivers to a loopback server that lives in the parent,
// so the server's record survives every kill. After the last restart every
// accepted item must have been delivered, or be dead if the server refuses
// it for good. Redeliveries (the kill fell between the server's answer and
// the file's removal) are allowed, counted and reported: the queue promises
// at least once, and Mews `add` has no idempotency key.

const (
	envCrashDir  = "SIGNET_OUTBOX_CRASH_DIR"
	envCrashURL  = "SIGNET_OUTBOX_CRASH_URL"
	envCrashKey  = "SIGNET_OUTBOX_CRASH_KEY"
	envCrashTodo = "SIGNET_OUTBOX_CRASH_TODO"
)

// crashRefused is true for the sequence numbers the server refuses for good.
func crashRefused(seq int) bool { return seq%41 == 7 }

// crashServer records deliveries by item id and by sequence number.
type crashServer struct {
	mu       sync.Mutex
	byID     map[string]int
	seqOf    map[string]int
	attempts int
}

func (s *crashServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client went away mid-upload
	}
	seq, err := strconv.Atoi(strings.TrimPrefix(string(body), "seq="))
	id := r.Header.Get("X-Outbox-Item")
	if err != nil || id == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.attempts++
	n := s.attempts
	s.seqOf[id] = seq
	s.mu.Unlock()
	// A little latency, so that kills land in the middle of deliveries.
	time.Sleep(time.Duration(rand.IntN(3)) * time.Millisecond)
	switch {
	case crashRefused(seq):
		w.Header().Set("X-Code", "INVALID_PARAM_SIGNATURE")
		w.WriteHeader(http.StatusBadRequest)
	case n%5 == 0:
		w.WriteHeader(http.StatusServiceUnavailable)
	default:
		s.mu.Lock()
		s.byID[id]++
		s.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}
}

// statusError is how the child's deliverer reports a failed POST.
type statusError struct {
	status int
	code   string
}

func (e *statusError) Error() string { return fmt.Sprintf("crash server: status %d", e.status) }
func (e *statusError) Transient() bool {
	return e.status >= 500 || e.status == http.StatusTooManyRequests
}
func (e *statusError) Code() string {
	if e.code != "" {
		return e.code
	}
	return "http_" + strconv.Itoa(e.status)
}

func postDeliverer(url string) DeliverFunc {
	return func(ctx context.Context, it Item) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(it.Payload))
		if err != nil {
			return err
		}
		req.Header.Set("X-Outbox-Item", it.ID)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return &statusError{status: resp.StatusCode, code: resp.Header.Get("X-Code")}
		}
		return nil
	}
}

// TestCrashChild is the child's side; it does nothing unless started by TestCrash.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(envCrashDir)
	if dir == "" {
		t.Skip("run by TestCrash")
	}
	kb, err := hex.DecodeString(os.Getenv(envCrashKey))
	if err != nil || len(kb) != 32 {
		t.Fatal("bad key")
	}
	var key Key
	copy(key[:], kb)
	drained := make(chan struct{}, 1)
	var o *Outbox
	onEvent := func(ev Event) {
		if ev.Type == Delivered || ev.Type == Dead {
			if s := o.Stats(); s.Depth == 0 {
				select {
				case drained <- struct{}{}:
				default:
				}
			}
		}
	}
	o, err = Open(dir, Options{
		Key: key, Deliverer: postDeliverer(os.Getenv(envCrashURL)), OnEvent: onEvent, Workers: 2,
		Backoff: &retry.Policy{Base: time.Millisecond, Cap: 20 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	fmt.Printf("open depth=%d dead=%d quarantined=%d\n", o.Stats().Depth, len(o.Stats().Dead), o.Stats().Quarantined)
	o.Start()
	for _, f := range strings.Fields(os.Getenv(envCrashTodo)) {
		id, err := o.Enqueue(context.Background(), "test.crash", []byte("seq="+f))
		if err != nil {
			t.Fatal(err)
		}
		// Printed only once Enqueue returned: the item is accepted.
		fmt.Printf("accepted %s %s\n", f, id)
	}
	timeout := time.After(60 * time.Second)
	for o.Stats().Depth > 0 {
		select {
		case <-drained:
		case <-timeout:
			t.Fatal("never drained")
		}
	}
	s := o.Stats()
	for _, d := range s.Dead {
		fmt.Printf("dead %s %s\n", d.ID, d.Code)
	}
	fmt.Printf("drained depth=%d quarantined=%d\n", s.Depth, s.Quarantined)
}

func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	const n = 300
	kills := 12
	srv := &crashServer{byID: map[string]int{}, seqOf: map[string]int{}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	dir := t.TempDir()
	key := testKey(t)

	accepted := map[int][]string{} // seq -> item ids acknowledged to the "guest"
	var dead map[string]string
	var last string
	killed := 0
	for round := 0; ; round++ {
		var todo []string
		for seq := 0; seq < n; seq++ {
			if len(accepted[seq]) == 0 {
				todo = append(todo, strconv.Itoa(seq))
			}
		}
		final := round >= kills
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
		cmd.Env = append(os.Environ(), envCrashDir+"="+dir, envCrashURL+"="+ts.URL,
			envCrashKey+"="+hex.EncodeToString(key[:]), envCrashTodo+"="+strings.Join(todo, " "))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var timer *time.Timer
		if !final {
			// Early rounds die while enqueueing, later ones while delivering.
			timer = time.AfterFunc(time.Duration(10+rand.IntN(400))*time.Millisecond, func() {
				cmd.Process.Signal(syscall.SIGKILL)
			})
		}
		dead = map[string]string{}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 3 && f[0] == "accepted":
				seq, _ := strconv.Atoi(f[1])
				accepted[seq] = append(accepted[seq], f[2])
			case len(f) == 3 && f[0] == "dead":
				dead[f[1]] = f[2]
			case len(f) > 0 && (f[0] == "drained" || f[0] == "open"):
				last = sc.Text()
			}
		}
		err = cmd.Wait()
		if timer != nil {
			timer.Stop()
		}
		if final {
			if err != nil {
				t.Fatalf("final run failed: %v", err)
			}
			break
		}
		if err == nil {
			// It finished before the kill: nothing left to crash, so stop.
			break
		}
		killed++
	}
	if last != "drained depth=0 quarantined=0" {
		t.Errorf("last child said %q", last)
	}

	srv.mu.Lock()
	defer srv.mu.Unlock()
	var lost, redelivered, reenqueued int
	for seq := 0; seq < n; seq++ {
		ids := accepted[seq]
		if len(ids) == 0 {
			t.Errorf("seq %d never accepted", seq)
			continue
		}
		if len(ids) > 1 {
			reenqueued += len(ids) - 1
		}
		for _, id := range ids {
			switch {
			case crashRefused(seq):
				if dead[id] != "INVALID_PARAM_SIGNATURE" {
					lost++
					t.Errorf("seq %d item %s: refused but not dead (%q)", seq, id, dead[id])
				}
			case srv.byID[id] == 0:
				lost++
				t.Errorf("seq %d item %s: accepted, never delivered", seq, id)
			case srv.byID[id] > 1:
				redelivered += srv.byID[id] - 1
			}
		}
	}
	// Items the child wrote but was killed before acknowledging: delivered
	// (or dead) too, though nobody was told they were accepted.
	unacked := 0
	for id, seq := range srv.seqOf {
		if !contains(accepted[seq], id) {
			unacked++
		}
	}
	files, _ := os.ReadDir(dir + "/" + queueDir)
	if len(files) != 0 {
		t.Errorf("%d files left in the queue", len(files))
	}
	t.Logf("crash test: %d items, %d SIGKILLs, %d server attempts; lost %d; redelivered %d (duplicates at the server), "+
		"%d unacknowledged writes delivered anyway, %d re-enqueued after an unacknowledged write",
		n, killed, srv.attempts, lost, redelivered, unacked, reenqueued)
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
