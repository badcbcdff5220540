package outbox

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/redact"
)

// snapshot maps every file under dir (relative path) to its bytes.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || fi.Name() == "lock" {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestWrongKeyRefuses: a start with another key refuses, names the key's
// source and the number of items, and changes nothing; the right key then
// delivers every item, none quarantined.
func TestWrongKeyRefuses(t *testing.T) {
	refuse := true
	h := newHarness(t, func(it Item) error {
		if refuse && it.Kind == "test.refused" {
			return permanentErr("NO_RECORDS_FOUND")
		}
		return nil
	}, nil)
	h.enqueue("test.refused", "x")
	h.o.Start()
	h.ev.wait(t, Dead)
	h.o.Close()
	h.open(func(o *Options) { o.Deliverer = nil })
	ids := []string{h.enqueue("test.a", "1"), h.enqueue("test.b", "2"), h.enqueue("test.c", "3")}
	h.o.Close()
	before := snapshot(t, h.dir)

	wrong := testKey(t)
	for range 3 { // and again: a refusal leaves nothing to trip over
		// Even a day later on the queue's clock, nothing expires or moves.
		h.clock.Advance(25 * time.Hour)
		_, err := Open(h.dir, Options{Key: wrong, KeySource: "the key in SIGNET_OUTBOX_KEY", Clock: h.clock})
		var ke *KeyError
		if !errors.As(err, &ke) || !errors.Is(err, ErrKeyMismatch) {
			t.Fatalf("Open with another key: %v", err)
		}
		if ke.Waiting != 4 || ke.Total != 4 {
			t.Errorf("KeyError counts %d of %d, want 4 of 4", ke.Waiting, ke.Total)
		}
		msg := err.Error()
		for _, want := range []string{"4 items", "SIGNET_OUTBOX_KEY", h.dir, "nothing was changed", "Start again with the key"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message lacks %q: %s", want, msg)
			}
		}
		if after := snapshot(t, h.dir); !sameFiles(before, after) {
			t.Fatalf("a refused start changed the queue:\nbefore %v\nafter  %v", keys(before), keys(after))
		}
	}
	// The lock was released: the right key opens the queue at once. The
	// clock is set back (not expired) to show that nothing was lost.
	h.clock.Advance(-75 * time.Hour)
	refuse = false
	h.open(nil)
	s := h.o.Stats()
	if s.Depth != 3 || len(s.Dead) != 1 || s.Quarantined != 0 {
		t.Fatalf("after the right key: %+v", s)
	}
	h.o.Start()
	got := map[string]bool{}
	for range ids {
		got[h.ev.wait(t, Delivered).ID] = true
	}
	for _, id := range ids {
		if !got[id] {
			t.Errorf("%s not delivered", id)
		}
	}
}

func keys(m map[string]string) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}

// TestKeySourceNamed: the refusal names where the wrong key came from:
// the source the wiring gives, else the configured key or the key file.
func TestKeySourceNamed(t *testing.T) {
	state := t.TempDir()
	o, err := OpenIn(state, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Enqueue(t.Context(), "test.x", []byte("x")); err != nil {
		t.Fatal(err)
	}
	o.Close()
	other := redact.Secret(strings.Repeat("ab", 32))
	for _, tc := range []struct {
		source string
		want   string
	}{
		{"the key in SIGNET_OUTBOX_KEY", "the key in SIGNET_OUTBOX_KEY"},
		{"", "the configured key"},
	} {
		_, err := OpenIn(state, other, Options{KeySource: tc.source})
		if !errors.Is(err, ErrKeyMismatch) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "1 item ") {
			t.Errorf("source %q: %v", tc.source, err)
		}
		if strings.Contains(err.Error(), other.Reveal()) {
			t.Errorf("the message shows the key: %v", err)
		}
	}
}

// TestMissingKeyFileNotRegenerated: with items waiting, a deleted key file
// is a refusal naming the file, and no new key appears; putting the file
// back delivers them.
func TestMissingKeyFileNotRegenerated(t *testing.T) {
	state := t.TempDir()
	o, err := OpenIn(state, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := o.Enqueue(t.Context(), "test.x", []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	o.Close()
	keyPath := filepath.Join(state, KeyFile)
	saved, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(keyPath); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		_, err = OpenIn(state, "", Options{})
		var ke *KeyError
		if !errors.As(err, &ke) || !ke.Missing || ke.Waiting != 2 {
			t.Fatalf("missing key file: %v", err)
		}
		if !strings.Contains(err.Error(), keyPath) || !strings.Contains(err.Error(), "2 items") || !strings.Contains(err.Error(), "no new key was made") {
			t.Errorf("message: %v", err)
		}
		if _, err := os.Stat(keyPath); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a key file was made: %v", err)
		}
	}
	if err := os.WriteFile(keyPath, saved, 0o600); err != nil {
		t.Fatal(err)
	}
	ev := newEvents()
	d := newFakeDeliverer(nil)
	o, err = OpenIn(state, "", Options{Deliverer: d, OnEvent: ev.on})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	o.Start()
	ev.wait(t, Delivered)
	ev.wait(t, Delivered)
	// With the queue empty, a lost key file may be replaced.
	o.Close()
	os.Remove(keyPath)
	o, err = OpenIn(state, "", Options{})
	if err != nil {
		t.Fatalf("empty queue, no key file: %v", err)
	}
	o.Close()
}

// TestItemsListAttemptsAcrossRestarts: the operator's list shows state,
// attempts and the last error, kept across a restart, and nothing personal.
func TestItemsListAttemptsAcrossRestarts(t *testing.T) {
	const personal = "ERIKSSON ANNA L898902C36"
	h := newHarness(t, func(it Item) error {
		if it.Kind == "test.dead" {
			return permanentErr("INVALID_PARAM_SIGNATURE")
		}
		return transientErr("http_503")
	}, nil)
	q := h.enqueue("test.queued", personal)
	h.o.Start()
	h.ev.wait(t, Retrying)
	h.clock.BlockUntil(t, 1)
	h.clock.Advance(time.Minute)
	h.ev.wait(t, Retrying)
	h.clock.BlockUntil(t, 1)
	d := h.enqueue("test.dead", personal)
	h.ev.wait(t, Dead)
	h.clock.Advance(time.Hour)
	h.reopen(func(o *Options) { o.Deliverer = nil })
	items := h.o.Items()
	if len(items) != 2 {
		t.Fatalf("items = %+v", items)
	}
	byID := map[string]ItemInfo{}
	for _, it := range items {
		byID[it.ID] = it
		if s := fmt.Sprintf("%+v", it); strings.Contains(s, "ERIKSSON") || strings.Contains(s, "L898902C36") {
			t.Errorf("personal data in %s", s)
		}
	}
	if it := byID[q]; it.State != StateQueued || it.Attempts < 2 || it.LastError != "http_503" || it.Kind != "test.queued" ||
		it.Age < time.Hour || it.LastFailed.IsZero() {
		t.Errorf("queued item: %+v", it)
	}
	if it := byID[d]; it.State != StateDead || it.Attempts != 1 || it.LastError != "INVALID_PARAM_SIGNATURE" {
		t.Errorf("dead item: %+v", it)
	}
	// Retry of the dead item keeps its record; discard removes the queued one.
	if err := h.o.Requeue(d); err != nil {
		t.Fatal(err)
	}
	if err := h.o.Discard(q); err != nil {
		t.Fatal(err)
	}
	items = h.o.Items()
	if len(items) != 1 || items[0].ID != d || items[0].State != StateQueued || items[0].Attempts != 1 {
		t.Errorf("after retry and discard: %+v", items)
	}
	if got := files(t, filepath.Join(h.dir, queueDir)); len(got) != 1 || got[0] != d+itemExt {
		t.Errorf("queue dir = %v", got)
	}
}

// quarantineAs puts an item file into quarantine/ the way an earlier build
// set aside items of another key, stamped at the queue clock's time.
func quarantineAs(t *testing.T, dir string, at time.Time, sub string, data []byte, id string) string {
	t.Helper()
	name := fmt.Sprintf("%s-%s-%s%s", at.UTC().Format(quarantineStamp), sub, id, itemExt)
	if err := os.MkdirAll(filepath.Join(dir, quarantineDir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, quarantineDir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

// moveToQuarantine takes a closed queue's item out of sub into quarantine/.
func moveToQuarantine(t *testing.T, h *harness, sub, id string) string {
	t.Helper()
	p := filepath.Join(h.dir, sub, id+itemExt)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	return quarantineAs(t, h.dir, h.clock.Now(), sub, b, id)
}

func TestRestore(t *testing.T) {
	h := newHarness(t, func(it Item) error {
		if it.Kind == "test.dead" {
			return permanentErr("NO_RECORDS_FOUND")
		}
		return nil
	}, func(o *Options) { o.Deliverer = nil })
	// "old" is accepted now and set aside 22 h later.
	old := h.enqueue("test.old", "o")
	h.o.Close()
	h.clock.Advance(22 * time.Hour)
	moveToQuarantine(t, h, queueDir, old)
	h.open(nil)
	dead := h.enqueue("test.dead", "d")
	h.o.Start()
	h.ev.wait(t, Dead)
	h.o.Close()
	h.open(func(o *Options) { o.Deliverer = nil })
	good := h.enqueue("test.good", "g")
	h.o.Close()
	moveToQuarantine(t, h, queueDir, good)
	moveToQuarantine(t, h, deadDir, dead)
	// An hour later "old" is past MaxAge; the others, and every quarantined
	// file, are not.
	h.clock.Advance(time.Hour + time.Second)
	// One sealed with another key, and one torn.
	other := newHarness(t, nil, nil)
	foreign := other.enqueue("test.other", "f")
	other.o.Close()
	fb, _ := os.ReadFile(filepath.Join(other.dir, queueDir, foreign+itemExt))
	quarantineAs(t, h.dir, h.clock.Now(), queueDir, fb, foreign)
	torn, _ := newItemID()
	gb := []byte("SGOB\x02 not an item at all, just bytes long enough to pass the first check")
	quarantineAs(t, h.dir, h.clock.Now(), queueDir, gb, torn.String())

	h.open(nil)
	states := map[string]ItemInfo{}
	for _, it := range h.o.Items() {
		states[it.ID] = it
	}
	for id, want := range map[string]bool{good: true, dead: true, foreign: false, torn.String(): false} {
		if it := states[id]; it.State != StateQuarantined || it.Restorable != want {
			t.Errorf("%s listed as %+v, want quarantined, restorable %v", id, it, want)
		}
	}
	if states[foreign].LastError != "other_key" || states[torn.String()].LastError != "corrupt" {
		t.Errorf("reasons: %q %q", states[foreign].LastError, states[torn.String()].LastError)
	}

	if err := h.o.Restore(good); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if err := h.o.Restore(dead); err != nil {
		t.Fatalf("restore dead: %v", err)
	}
	if err := h.o.Restore(good); !errors.Is(err, ErrNotRestorable) {
		t.Errorf("second restore: %v", err)
	}
	for id, want := range map[string]string{foreign: "another key", torn.String(): "corrupt", old: "older than"} {
		err := h.o.Restore(id)
		if !errors.Is(err, ErrNotRestorable) || !strings.Contains(err.Error(), want) {
			t.Errorf("restore %s: %v, want %q", id, err, want)
		}
	}
	if err := h.o.Restore(strings.Repeat("0", 32)); !errors.Is(err, ErrNotFound) {
		t.Errorf("restore of nothing: %v", err)
	}
	s := h.o.Stats()
	if s.Depth != 1 || len(s.Dead) != 1 || s.Dead[0].ID != dead || s.Dead[0].Code != "NO_RECORDS_FOUND" || s.Quarantined != 3 {
		t.Errorf("after restore: %+v", s)
	}
	h.o.Start()
	if ev := h.ev.wait(t, Delivered); ev.ID != good {
		t.Errorf("delivered %s", ev.ID)
	}
	// Discard clears quarantined files too.
	if err := h.o.Discard(torn.String()); err != nil {
		t.Fatal(err)
	}
	if h.o.Stats().Quarantined != 2 {
		t.Errorf("quarantined after discard: %d", h.o.Stats().Quarantined)
	}
}

// TestQuarantineExpiresOnQueueClock: a quarantined file's age is read from
// its name, on the queue's clock, not from the file system's time.
func TestQuarantineExpiresOnQueueClock(t *testing.T) {
	h := newHarness(t, nil, nil)
	h.o.Close()
	id1, _ := newItemID()
	id2, _ := newItemID()
	quarantineAs(t, h.dir, h.clock.Now().Add(-DefaultMaxAge-time.Minute), queueDir, []byte("x"), id1.String())
	fresh := quarantineAs(t, h.dir, h.clock.Now().Add(-time.Minute), queueDir, []byte("y"), id2.String())
	// The fresh one has an ancient file time; it stays.
	ancient := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	os.Chtimes(filepath.Join(h.dir, quarantineDir, fresh), ancient, ancient)
	h.open(nil)
	if got := files(t, filepath.Join(h.dir, quarantineDir)); len(got) != 1 || got[0] != fresh {
		t.Errorf("quarantine = %v, want only %s", got, fresh)
	}
}

// TestKeepForeign: the operator's view opens a queue of another key,
// lists its items and can discard them; it never quarantines them.
func TestKeepForeign(t *testing.T) {
	h := newHarness(t, nil, nil)
	id := h.enqueue("test.x", "x")
	h.o.Close()
	before := snapshot(t, h.dir)
	o, err := Open(h.dir, Options{Key: testKey(t), KeepForeign: true, Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	items := o.Items()
	if len(items) != 1 || items[0].ID != id || items[0].State != StateOtherKey || items[0].Kind != "test.x" {
		t.Fatalf("items = %+v", items)
	}
	if err := o.Restore(id); !errors.Is(err, ErrNotRestorable) {
		t.Errorf("restore of a waiting item: %v", err)
	}
	o.Close()
	if after := snapshot(t, h.dir); !sameFiles(before, after) {
		t.Fatal("KeepForeign changed the queue")
	}
	o, err = Open(h.dir, Options{Key: testKey(t), KeepForeign: true, Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Discard(id); err != nil {
		t.Fatal(err)
	}
	o.Close()
	o, err = Open(h.dir, Options{Key: testKey(t), Clock: h.clock})
	if err != nil {
		t.Fatalf("after discarding the foreign item: %v", err)
	}
	o.Close()
}

// TestFormatV1StillRead: items written before the attempts field was added
// are read and delivered.
func TestFormatV1StillRead(t *testing.T) {
	h := newHarness(t, nil, nil)
	h.o.Close()
	aead, _ := h.key.aead()
	id, _ := newItemID()
	hb := []byte(magic)
	hb = append(hb, 1, stateQueued)
	kid := h.key.id()
	hb = append(hb, kid[:]...)
	hb = append(hb, id[:]...)
	hb = binary.BigEndian.AppendUint64(hb, uint64(h.clock.Now().UnixNano()))
	hb = binary.BigEndian.AppendUint64(hb, 0)
	hb = append(hb, 6)
	hb = append(hb, "test.1"...)
	hb = append(hb, 0)
	nonce := make([]byte, nonceLen)
	data := aead.Seal(append(bytes.Clone(hb), nonce...), nonce, []byte("v1 payload"), hb)
	if err := os.WriteFile(filepath.Join(h.dir, queueDir, id.String()+itemExt), data, 0o600); err != nil {
		t.Fatal(err)
	}
	h.open(nil)
	if s := h.o.Stats(); s.Depth != 1 || s.Quarantined != 0 {
		t.Fatalf("v1 item: %+v", s)
	}
	h.o.Start()
	if ev := h.ev.wait(t, Delivered); ev.ID != id.String() || ev.Kind != "test.1" {
		t.Errorf("delivered %+v", ev)
	}
}

// The restore crash test runs Restore in a child process (this test binary
// again, running TestRestoreCrashChild) that kills itself with SIGKILL at a
// step of Restore; the parent then reopens the queue and checks that the
// item is in exactly one place and is delivered once.
const (
	envRestoreDir  = "SIGNET_OUTBOX_RESTORE_DIR"
	envRestoreKey  = "SIGNET_OUTBOX_RESTORE_KEY"
	envRestoreID   = "SIGNET_OUTBOX_RESTORE_ID"
	envRestoreStep = "SIGNET_OUTBOX_RESTORE_STEP"
)

func TestRestoreCrashChild(t *testing.T) {
	dir := os.Getenv(envRestoreDir)
	if dir == "" {
		t.Skip("run by TestRestoreCrash")
	}
	kb, _ := hex.DecodeString(os.Getenv(envRestoreKey))
	var k Key
	copy(k[:], kb)
	o, err := Open(dir, Options{Key: k, Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	step := os.Getenv(envRestoreStep)
	restoreHook = func(s string) {
		if s == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}
	if err := o.Restore(os.Getenv(envRestoreID)); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("no step %q in Restore", step)
}

func TestRestoreCrash(t *testing.T) {
	for _, step := range []string{"checked", "renamed"} {
		t.Run(step, func(t *testing.T) {
			h := newHarness(t, nil, nil)
			id := h.enqueue("test.restore", "r")
			h.o.Close()
			moveToQuarantine(t, h, queueDir, id)

			cmd := exec.Command(os.Args[0], "-test.run=^TestRestoreCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), envRestoreDir+"="+h.dir, envRestoreKey+"="+hex.EncodeToString(h.key[:]),
				envRestoreID+"="+id, envRestoreStep+"="+step)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed at %s: %v\n%s", step, err, out)
			}

			h.open(nil)
			queued := files(t, filepath.Join(h.dir, queueDir))
			quarantined := files(t, filepath.Join(h.dir, quarantineDir))
			inQueue := len(queued) == 1 && queued[0] == id+itemExt
			switch {
			case step == "checked" && (len(queued) != 0 || len(quarantined) != 1):
				t.Fatalf("killed before the move: queue %v, quarantine %v", queued, quarantined)
			case step == "renamed" && (!inQueue || len(quarantined) != 0):
				t.Fatalf("killed after the move: queue %v, quarantine %v", queued, quarantined)
			}
			s := h.o.Stats()
			if s.Depth+s.Quarantined != 1 {
				t.Fatalf("after the crash: %+v", s)
			}
			if !inQueue {
				if err := h.o.Restore(id); err != nil {
					t.Fatalf("restore after the crash: %v", err)
				}
			}
			h.o.Start()
			if ev := h.ev.wait(t, Delivered); ev.ID != id {
				t.Errorf("delivered %s", ev.ID)
			}
			if n := h.d.count(id); n != 1 {
				t.Errorf("delivered %d times", n)
			}
		})
	}
}

// TestReplacedByOtherKeyNotQuarantined: an item replaced while the queue
// runs by one sealed with another key stays in place, and the next start
// refuses until its key is given.
func TestReplacedByOtherKeyNotQuarantined(t *testing.T) {
	h := newHarness(t, nil, nil)
	id := h.enqueue("test.swap", "x")
	pid, _ := parseItemID(id)
	other := testKey(t)
	b := sealed(t, other, header{state: stateQueued, keyID: other.id(), id: pid, created: h.clock.Now(), kind: "test.swap"}, []byte("y"))
	if err := os.WriteFile(filepath.Join(h.dir, queueDir, id+itemExt), b, 0o600); err != nil {
		t.Fatal(err)
	}
	h.o.Start()
	mark := h.enqueue("test.after", "z")
	if ev := h.ev.wait(t, Delivered); ev.ID != mark {
		t.Fatalf("delivered %s", ev.ID)
	}
	if s := h.o.Stats(); s.Quarantined != 0 || s.Depth != 0 {
		t.Errorf("stats = %+v", s)
	}
	h.o.Close()
	if got := files(t, filepath.Join(h.dir, queueDir)); len(got) != 1 || got[0] != id+itemExt {
		t.Errorf("queue = %v", got)
	}
	if _, err := Open(h.dir, h.options()); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("reopen: %v", err)
	}
}
