package outbox

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// The crash test runs the queue in a child process (this test binary again,
// running TestCrashChild) and kills it with SIGKILL at random moments while
// it enqueues and delivers to the simulator, which runs on loopback in the
// parent so that what it stored survives every kill. After the last restart
// every accepted item must be stored, or dead if the simulator refuses it
// for good. Duplicates are allowed only where the API has no idempotency and
// nothing to check against (StoRegister uploads: a kill between the
// simulator's answer and the file's removal sends the item again); they are
// counted and reported. Mews add has no idempotency key either, but
// MewsDeliverer looks before it adds, so Mews must hold every document once.

const (
	envCrashDir  = "SIGNET_OUTBOX_CRASH_DIR"
	envCrashURL  = "SIGNET_OUTBOX_CRASH_URL"
	envCrashKey  = "SIGNET_OUTBOX_CRASH_KEY"
	envCrashTodo = "SIGNET_OUTBOX_CRASH_TODO"
)

// unknownBooking is a well-formed booking id the simulator does not know.
const unknownBooking = "00000000-0000-4000-8000-000000000000"

// crashRefused is true for the sequence numbers the simulator refuses for good.
func crashRefused(seq int) bool { return seq%41 == 7 }

// crashEnqueue queues item seq: a signature, a document image or a Mews
// document, each recognisable in the simulator's store by its content.
func crashEnqueue(t testing.TB, o *Outbox, seq int) (string, error) {
	ctx := context.Background()
	p := demodata.People[seq%len(demodata.People)]
	switch {
	case crashRefused(seq):
		return o.EnqueueSignature(ctx, SignaturePayload{BookingID: unknownBooking, PNG: uniquePNG(t, seq)})
	case seq%3 == 0:
		return o.EnqueueSignature(ctx, SignaturePayload{BookingID: p.BookingID, PNG: uniquePNG(t, seq)})
	case seq%3 == 1:
		return o.EnqueueIdentityDocument(ctx, IdentityDocumentPayload{BookingID: p.BookingID,
			TypeID: demodata.DocumentTypes[0].ID, Filename: "front.png", ContentType: "image/png", Image: uniquePNG(t, seq)})
	default:
		return o.EnqueueMewsDocument(ctx, MewsIdentityDocumentPayload{Add: &mews.Document{
			CustomerID: p.MewsCustomerID, Type: mews.Passport, Number: crashNumber(seq), IssuingCountryCode: "SE"}})
	}
}

func crashNumber(seq int) string { return fmt.Sprintf("CR%07d", seq) }

// statusError is a failed POST, for fake deliverers.
type statusError struct {
	status int
	code   string
}

func (e *statusError) Error() string { return fmt.Sprintf("fake server: status %d", e.status) }

func (e *statusError) Transient() bool {
	return e.status >= 500 || e.status == http.StatusTooManyRequests
}

func (e *statusError) Code() string {
	if e.code != "" {
		return e.code
	}
	return "http_" + strconv.Itoa(e.status)
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
	url := os.Getenv(envCrashURL)
	// Our own transport, so its idle connections can be closed at the end
	// (goleak checks the child too).
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	sto, err := storegister.NewClient(url+sim.StoRegisterPrefix, demodata.StoRegisterAPIKey,
		storegister.WithRetry(&retry.Policy{MaxAttempts: 1}), storegister.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	mc, err := mews.NewClient(url, demodata.MewsClientToken, demodata.MewsAccessToken, "Signet crash test",
		mews.WithRetryPolicy(&retry.Policy{MaxAttempts: 1}), mews.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	router := NewRouter(sto, mc)

	settled := make(chan struct{}, 1)
	onEvent := func(ev Event) {
		if ev.Type == Delivered || ev.Type == Dead {
			select {
			case settled <- struct{}{}:
			default:
			}
		}
	}
	o, err := Open(dir, Options{
		Key: key, Deliverer: router, OnEvent: onEvent, Workers: 2,
		Backoff: &retry.Policy{Base: time.Millisecond, Cap: 20 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	o.Start()
	for _, f := range strings.Fields(os.Getenv(envCrashTodo)) {
		seq, _ := strconv.Atoi(f)
		id, err := crashEnqueue(t, o, seq)
		if err != nil {
			t.Fatal(err)
		}
		// Printed only once Enqueue returned: the item is accepted.
		fmt.Printf("accepted %d %s\n", seq, id)
	}
	timeout := time.After(60 * time.Second)
	for o.Stats().Depth > 0 {
		select {
		case <-settled:
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
	const n = 240
	const kills = 12
	s := sim.New(sim.WithSeed(3), sim.WithFaults(sim.Faults{ErrorRate: 0.1}))
	// conns counts the simulator's open connections, so that a restart
	// can wait until it has answered everything a killed child had sent
	// (below): the kernel closes a dead process's sockets, and the server
	// closes its side once it has read, and answered, what came before.
	var conns atomic.Int32
	ts := httptest.NewUnstartedServer(s.Handler())
	ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			conns.Add(1)
		case http.StateClosed, http.StateHijacked:
			conns.Add(-1)
		}
	}
	ts.Start()
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
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
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
			// Early rounds mostly die while enqueueing, later ones while delivering.
			timer = time.AfterFunc(time.Duration(20+rand.IntN(400))*time.Millisecond, func() {
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
			case len(f) > 0 && f[0] == "drained":
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
			continue // finished before the kill: run the final round
		}
		killed++
		// systemd starts the kiosk again RestartSec (5 s) after it died:
		// the requests it had sent are answered by then. Restarting at once
		// let a Mews add the dead child had sent land after the new child
		// had looked for it (Mews has no idempotency key), a second copy no
		// look can prevent. The simulator has answered all the dead child
		// sent once its connections are all closed (a quiet 100 ms, as
		// before, only made that likely).
		for settle := time.Now().Add(10 * time.Second); conns.Load() > 0; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(settle) {
				t.Fatalf("the simulator still holds %d connections of a child killed 10 s ago", conns.Load())
			}
		}
	}
	if last != "drained depth=0 quarantined=0" {
		t.Errorf("last child said %q", last)
	}
	if files, _ := os.ReadDir(filepath.Join(dir, queueDir)); len(files) != 0 {
		t.Errorf("%d files left in the queue", len(files))
	}

	sigs, docs, mdocs := s.Signatures(), s.Documents(), s.MewsDocuments()
	count := func(seq int) int {
		n := 0
		want := uniquePNG(t, seq)
		for _, g := range sigs {
			if bytes.Equal(g.PNG, want) {
				n++
			}
		}
		for _, g := range docs {
			if bytes.Equal(g.Data, want) {
				n++
			}
		}
		for _, g := range mdocs {
			if g.Number == crashNumber(seq) {
				n++
			}
		}
		return n
	}
	var lost, stoDups, mewsDups, reenqueued int
	for seq := 0; seq < n; seq++ {
		ids := accepted[seq]
		if len(ids) == 0 {
			t.Errorf("seq %d never accepted", seq)
			continue
		}
		reenqueued += len(ids) - 1
		c := count(seq)
		switch {
		case crashRefused(seq):
			for _, id := range ids {
				if dead[id] != "NO_RECORDS_FOUND" {
					lost++
					t.Errorf("seq %d item %s: refused but not dead (%q)", seq, id, dead[id])
				}
			}
			if c != 0 {
				t.Errorf("seq %d: refused, yet stored %d times", seq, c)
			}
		case c == 0:
			lost++
			t.Errorf("seq %d (items %v): accepted, never stored", seq, ids)
		case c > 1 && seq%3 == 2:
			mewsDups += c - 1
			t.Errorf("seq %d: Mews holds %d copies; the look before adding should keep it to one", seq, c)
		case c > 1:
			stoDups += c - 1
		}
	}
	t.Logf("crash test: %d items, %d SIGKILLs, %d simulator requests (%d failed on purpose); lost %d; "+
		"StoRegister duplicates %d, Mews duplicates %d; %d items enqueued again after a write nobody was told of",
		n, killed, s.Requests(), s.Injected(), lost, stoDups, mewsDups, reenqueued)
}
