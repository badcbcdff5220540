package outbox

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
)

type harness struct {
	t     *testing.T
	dir   string
	key   Key
	clock *fakeClock
	d     *fakeDeliverer
	ev    *events
	o     *Outbox
}

func newHarness(t *testing.T, fail func(Item) error, tweak func(*Options)) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), key: testKey(t), clock: newFakeClock(), d: newFakeDeliverer(fail), ev: newEvents()}
	h.open(tweak)
	return h
}

func (h *harness) options() Options {
	return Options{
		Key:       h.key,
		Deliverer: h.d,
		Clock:     h.clock,
		OnEvent:   h.ev.on,
		// Deterministic backoff: the full exponential step, no jitter.
		Backoff: &retry.Policy{Base: time.Second, Cap: time.Minute, Jitter: func(d time.Duration) time.Duration { return d - 1 }},
	}
}

func (h *harness) open(tweak func(*Options)) {
	h.t.Helper()
	opts := h.options()
	if tweak != nil {
		tweak(&opts)
	}
	o, err := Open(h.dir, opts)
	if err != nil {
		h.t.Fatal(err)
	}
	h.o = o
	h.t.Cleanup(func() { o.Close() })
}

func (h *harness) reopen(tweak func(*Options)) {
	h.t.Helper()
	h.o.Close()
	h.open(tweak)
}

func (h *harness) enqueue(kind Kind, payload string) string {
	h.t.Helper()
	id, err := h.o.Enqueue(context.Background(), kind, []byte(payload))
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

func files(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

func TestDeliverOnce(t *testing.T) {
	h := newHarness(t, nil, nil)
	id := h.enqueue("test.ok", "hello")
	if got := files(t, filepath.Join(h.dir, queueDir)); len(got) != 1 || got[0] != id+itemExt {
		t.Fatalf("queue dir = %v, want [%s.item]", got, id)
	}
	h.o.Start()
	ev := h.ev.wait(t, Delivered)
	if ev.ID != id || ev.Kind != "test.ok" || ev.Attempt != 1 {
		t.Errorf("delivered event = %+v", ev)
	}
	if n := h.d.count(id); n != 1 {
		t.Errorf("delivered %d times, want 1", n)
	}
	if got := files(t, filepath.Join(h.dir, queueDir)); len(got) != 0 {
		t.Errorf("queue dir after delivery = %v", got)
	}
	s := h.o.Stats()
	if s.Depth != 0 || s.Delivered != 1 || s.Bytes != 0 {
		t.Errorf("stats = %+v", s)
	}
}

func TestTransientThenDelivered(t *testing.T) {
	fails := 3
	h := newHarness(t, func(it Item) error {
		if it.Attempt <= fails {
			return transientErr("http_503")
		}
		return nil
	}, nil)
	id := h.enqueue("test.flaky", "x")
	h.o.Start()
	for attempt := 1; attempt <= fails; attempt++ {
		ev := h.ev.wait(t, Retrying)
		// Backoff is base·2^(n-1) minus the jitter's 1 ns.
		want := time.Second<<(attempt-1) - 1
		if ev.Attempt != attempt || ev.Code != "http_503" || ev.Wait != want {
			t.Fatalf("retry %d: event = %+v, want wait %v", attempt, ev, want)
		}
		h.clock.BlockUntil(t, 1)
		if n := h.d.count(id); n != 0 {
			t.Fatal("delivered early")
		}
		h.clock.Advance(ev.Wait)
	}
	h.ev.wait(t, Delivered)
	if s := h.o.Stats(); s.Retries != uint64(fails) || s.LastCode != "http_503" || s.Depth != 0 {
		t.Errorf("stats = %+v", s)
	}
}

func TestRetryAfterHoldsEverything(t *testing.T) {
	first := true
	h := newHarness(t, func(it Item) error {
		if first {
			first = false
			return &verdictError{Verdict{Class: Transient, Code: "http_429", RetryAfter: 30 * time.Second}}
		}
		return nil
	}, nil)
	h.enqueue("test.a", "a")
	h.o.Start()
	ev := h.ev.wait(t, Retrying)
	if ev.Wait != 30*time.Second {
		t.Errorf("wait = %v, want the server's 30s", ev.Wait)
	}
	if s := h.o.Stats(); !s.PausedUntil.Equal(h.clock.Now().Add(30 * time.Second)) {
		t.Errorf("PausedUntil = %v", s.PausedUntil)
	}
	// A new item must wait for the pause too.
	h.enqueue("test.b", "b")
	h.ev.wait(t, Enqueued)
	h.clock.BlockUntil(t, 1)
	h.clock.Advance(29 * time.Second)
	h.clock.BlockUntil(t, 1)
	if n := h.d.attemptCount(); n != 1 {
		t.Fatalf("attempts during the pause: %d, want 1", n)
	}
	h.clock.Advance(time.Second)
	h.ev.wait(t, Delivered)
	h.ev.wait(t, Delivered)
}

func TestPermanentGoesDead(t *testing.T) {
	h := newHarness(t, func(it Item) error { return permanentErr("INVALID_PARAM_SIGNATURE") }, nil)
	id := h.enqueue(KindSignature, "refused")
	h.o.Start()
	ev := h.ev.wait(t, Dead)
	if ev.ID != id || ev.Code != "INVALID_PARAM_SIGNATURE" {
		t.Errorf("dead event = %+v", ev)
	}
	check := func() {
		t.Helper()
		s := h.o.Stats()
		if s.Depth != 0 || len(s.Dead) != 1 {
			t.Fatalf("stats = %+v", s)
		}
		d := s.Dead[0]
		if d.ID != id || d.Kind != KindSignature || d.Code != "INVALID_PARAM_SIGNATURE" || !d.Created.Equal(h.clock.Now()) || !d.Failed.Equal(h.clock.Now()) {
			t.Errorf("dead item = %+v", d)
		}
		if s.Bytes == 0 {
			t.Error("dead items must count in Bytes")
		}
	}
	check()
	if got := files(t, filepath.Join(h.dir, deadDir)); len(got) != 1 {
		t.Errorf("dead dir = %v", got)
	}
	h.reopen(nil)
	check()
	if err := h.o.Discard(id); err != nil {
		t.Fatal(err)
	}
	if err := h.o.Requeue(id); !errors.Is(err, ErrNotFound) {
		t.Errorf("requeue of a discarded item: %v", err)
	}
	if s := h.o.Stats(); len(s.Dead) != 0 || s.Bytes != 0 || len(s.Removed) != 1 || s.Removed[0].Reason != "discarded" {
		t.Errorf("after discard: %+v", s)
	}
	if err := h.o.Discard(id); !errors.Is(err, ErrNotFound) {
		t.Errorf("second discard: %v", err)
	}
}

func TestRequeue(t *testing.T) {
	refuse := true
	h := newHarness(t, func(it Item) error {
		if refuse {
			return permanentErr("NO_RECORDS_FOUND")
		}
		return nil
	}, nil)
	id := h.enqueue(KindIdentityDocument, "doc")
	h.o.Start()
	h.ev.wait(t, Dead)
	h.o.Close()
	refuse = false
	h.open(nil)
	if err := h.o.Requeue(id); err != nil {
		t.Fatal(err)
	}
	if s := h.o.Stats(); s.Depth != 1 || len(s.Dead) != 0 {
		t.Fatalf("after requeue: %+v", s)
	}
	if got := files(t, filepath.Join(h.dir, deadDir)); len(got) != 0 {
		t.Errorf("dead dir = %v", got)
	}
	h.o.Start()
	if ev := h.ev.wait(t, Delivered); ev.ID != id {
		t.Errorf("delivered %s", ev.ID)
	}
	if err := h.o.Requeue("nonsense"); !errors.Is(err, ErrNotFound) {
		t.Errorf("requeue nonsense: %v", err)
	}
}

func TestExpiry(t *testing.T) {
	h := newHarness(t, func(Item) error { return transientErr("down") }, func(o *Options) {
		o.Backoff = &retry.Policy{Base: time.Hour, Cap: time.Hour, Jitter: func(d time.Duration) time.Duration { return d - 1 }}
	})
	id := h.enqueue("test.old", "old")
	h.o.Start()
	h.ev.wait(t, Retrying)
	for i := 0; i < 23; i++ {
		h.clock.BlockUntil(t, 1)
		h.clock.Advance(time.Hour)
		h.ev.wait(t, Retrying)
	}
	h.clock.BlockUntil(t, 1)
	h.clock.Advance(2 * time.Minute)
	ev := h.ev.wait(t, Expired)
	if ev.ID != id || ev.Kind != "test.old" {
		t.Errorf("expired event = %+v", ev)
	}
	s := h.o.Stats()
	if s.Depth != 0 || s.RemovedTotal != 1 || len(s.Removed) != 1 || s.Removed[0].Reason != "expired" {
		t.Errorf("stats = %+v", s)
	}
	if got := files(t, filepath.Join(h.dir, queueDir)); len(got) != 0 {
		t.Errorf("queue dir = %v", got)
	}
}

func TestDeadItemsExpire(t *testing.T) {
	h := newHarness(t, func(Item) error { return permanentErr("INVALID_PARAM_FILES") }, nil)
	id := h.enqueue(KindIdentityDocument, "doc")
	h.o.Start()
	h.ev.wait(t, Dead)
	h.clock.BlockUntil(t, 1)
	h.clock.Advance(23*time.Hour + 2*time.Minute)
	if ev := h.ev.wait(t, Expired); ev.ID != id {
		t.Errorf("expired %s, want %s", ev.ID, id)
	}
	if s := h.o.Stats(); len(s.Dead) != 0 || s.Bytes != 0 || s.RemovedTotal != 1 {
		t.Errorf("stats = %+v", s)
	}
	if got := files(t, filepath.Join(h.dir, deadDir)); len(got) != 0 {
		t.Errorf("dead dir = %v", got)
	}
}

func TestFull(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(*Options)
		n     int
	}{
		{"items", func(o *Options) { o.MaxItems = 3 }, 3},
		{"bytes", func(o *Options) { o.MaxBytes = 3 * 1200 }, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil, tc.tweak)
			for i := 0; i < tc.n; i++ {
				h.enqueue("test.fill", strings.Repeat("x", 1000))
			}
			_, err := h.o.Enqueue(context.Background(), "test.fill", bytes.Repeat([]byte("x"), 1000))
			var fe *FullError
			if !errors.Is(err, ErrFull) || !errors.As(err, &fe) {
				t.Fatalf("err = %v, want ErrFull", err)
			}
			if h.o.Stats().Depth != tc.n {
				t.Errorf("depth = %d", h.o.Stats().Depth)
			}
			// Delivering makes room again.
			h.o.Start()
			for i := 0; i < tc.n; i++ {
				h.ev.wait(t, Delivered)
			}
			h.enqueue("test.fill", "fits now")
		})
	}
}

func TestEnqueueRefuses(t *testing.T) {
	h := newHarness(t, nil, func(o *Options) { o.MaxItemBytes = 10 })
	ctx := context.Background()
	if _, err := h.o.Enqueue(ctx, "Bad Kind", nil); err == nil {
		t.Error("bad kind accepted")
	}
	if _, err := h.o.Enqueue(ctx, "test.big", make([]byte, 11)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.o.Enqueue(cctx, "test.x", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	h.o.Close()
	if _, err := h.o.Enqueue(ctx, "test.x", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("closed: %v", err)
	}
}

func TestSurvivesRestart(t *testing.T) {
	h := newHarness(t, nil, nil)
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, h.enqueue("test.keep", "item"))
	}
	h.reopen(nil)
	if d := h.o.Stats().Depth; d != 5 {
		t.Fatalf("depth after reopen = %d", d)
	}
	h.o.Start()
	for range ids {
		h.ev.wait(t, Delivered)
	}
	for _, id := range ids {
		if n := h.d.count(id); n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
}

func TestCloseInterruptsDelivery(t *testing.T) {
	started := make(chan struct{})
	h := newHarness(t, nil, nil)
	block := DeliverFunc(func(ctx context.Context, it Item) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	})
	h.reopen(func(o *Options) { o.Deliverer = block })
	id := h.enqueue("test.slow", "x")
	h.o.Start()
	<-started
	h.o.Close()
	h.o.Close() // twice is fine
	h.reopen(nil)
	s := h.o.Stats()
	if s.Depth != 1 || s.Retries != 0 {
		t.Fatalf("after an interrupted delivery: %+v", s)
	}
	h.o.Start()
	if ev := h.ev.wait(t, Delivered); ev.ID != id {
		t.Errorf("delivered %s, want %s", ev.ID, id)
	}
}

func TestOneProcessAtATime(t *testing.T) {
	h := newHarness(t, nil, nil)
	if _, err := Open(h.dir, h.options()); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	h.reopen(nil) // Close releases it
}

func TestUnknownKindGoesDead(t *testing.T) {
	h := newHarness(t, nil, func(o *Options) { o.Deliverer = Router{} })
	h.enqueue("test.nobody", "x")
	h.o.Start()
	if ev := h.ev.wait(t, Dead); ev.Code != "unknown_kind" {
		t.Errorf("code = %q", ev.Code)
	}
}

// TestCrashLeftovers builds by hand what a crash can leave: a torn temporary
// file, and an item both queued and dead (killed while burying it).
func TestCrashLeftovers(t *testing.T) {
	h := newHarness(t, func(Item) error { return permanentErr("NO_RECORDS_FOUND") }, nil)
	id := h.enqueue("test.both", "x")
	qpath := filepath.Join(h.dir, queueDir, id+itemExt)
	saved, err := os.ReadFile(qpath)
	if err != nil {
		t.Fatal(err)
	}
	h.o.Start()
	h.ev.wait(t, Dead)
	h.o.Close()
	if err := os.WriteFile(qpath, saved, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(h.dir, queueDir, tmpPrefix+"123"), saved[:20], 0o600); err != nil {
		t.Fatal(err)
	}
	h.open(nil)
	s := h.o.Stats()
	if s.Depth != 0 || len(s.Dead) != 1 || s.Quarantined != 0 {
		t.Errorf("stats = %+v", s)
	}
	if got := files(t, filepath.Join(h.dir, queueDir)); len(got) != 0 {
		t.Errorf("queue dir = %v", got)
	}
}

func TestQuarantine(t *testing.T) {
	h := newHarness(t, nil, nil)
	good := h.enqueue("test.good", "fine")
	// An item sealed with another key is not unreadable: it makes Open
	// refuse instead (TestWrongKeyRefuses).

	torn, _ := newItemID()
	b, _ := os.ReadFile(filepath.Join(h.dir, queueDir, good+itemExt))
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(h.dir, queueDir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(torn.String()+itemExt, b[:len(b)/2])
	renamed, _ := newItemID()
	write(renamed.String()+itemExt, b) // the id inside does not match the name
	write("notes.txt", []byte("hello"))
	write("../escape", nil)
	if err := os.Mkdir(filepath.Join(h.dir, queueDir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	h.reopen(nil)
	want := map[string]bool{"corrupt": true, "misplaced": true, "bad_name": true, "not_a_file": true}
	got := map[string]bool{}
	for len(got) < len(want) {
		got[h.ev.wait(t, Quarantined).Code] = true
	}
	for k := range want {
		if !got[k] {
			t.Errorf("no quarantine for %s", k)
		}
	}
	s := h.o.Stats()
	if s.Depth != 1 || s.Quarantined < 4 {
		t.Errorf("stats = %+v", s)
	}
	h.o.Start()
	if ev := h.ev.wait(t, Delivered); ev.ID != good {
		t.Errorf("delivered %s", ev.ID)
	}
}

// TestNothingInClear writes recognisable personal data through the queue,
// dead list included, and looks for it in every byte under the directory.
func TestNothingInClear(t *testing.T) {
	const secret = "ERIKSSON ANNA MARIA L898902C36"
	const booking = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
	h := newHarness(t, func(it Item) error {
		if !bytes.Contains(it.Payload, []byte(secret)) {
			t.Error("payload changed on the way")
		}
		return permanentErr("INVALID_CLIENT_INFO_DETAILS")
	}, nil)
	h.enqueue("test.personal", booking+" "+secret)
	h.enqueue("test.personal", booking+" "+secret)
	h.o.Start()
	h.ev.wait(t, Dead)
	h.ev.wait(t, Dead)
	h.enqueue("test.personal", booking+" "+secret)
	err := filepath.WalkDir(h.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(path, booking) || strings.Contains(path, "ERIKSSON") {
			t.Errorf("personal data in a file name: %s", path)
		}
		if d.IsDir() && path != h.dir {
			if fi, _ := d.Info(); fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s is open to others: %v", path, fi.Mode())
			}
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if fi, _ := d.Info(); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", path, fi.Mode())
		}
		for _, s := range []string{secret, "ERIKSSON", "L898902C36", booking} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%q in clear in %s", s, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOpenIn: the queue and a generated key (0600) in the state directory;
// a configured key that is not one is refused; the bounds are opts'.
func TestOpenIn(t *testing.T) {
	state := t.TempDir()
	o, err := OpenIn(state, "", Options{MaxItems: 7, MaxBytes: 3 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if s := o.Stats(); s.MaxItems != 7 || s.MaxBytes != 3<<20 {
		t.Errorf("bounds = %d items, %d bytes", s.MaxItems, s.MaxBytes)
	}
	if fi, err := os.Stat(filepath.Join(state, KeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("generated key: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(state, "outbox", queueDir)); err != nil {
		t.Error(err)
	}
	if _, err := OpenIn(t.TempDir(), "not a key", Options{}); !errors.Is(err, ErrBadKey) {
		t.Errorf("bad configured key: %v", err)
	}
}
