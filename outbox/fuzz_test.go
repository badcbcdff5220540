package outbox

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fuzzKey is fixed so that seeds sealed with it stay meaningful across runs.
var fuzzKey = Key{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}

var fuzzID = itemID{0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}

func fuzzSeeds(f *testing.F) [][]byte {
	// The seeds are stamped with the fake clock's start, and FuzzQueueDir
	// runs the queue on that clock: an item's age never depends on the day
	// the test runs.
	created := newFakeClock().Now()
	good := sealed(f, fuzzKey, header{state: stateQueued, keyID: fuzzKey.id(), id: fuzzID, created: created, kind: KindSignature}, []byte("payload"))
	dead := sealed(f, fuzzKey, header{state: stateDead, keyID: fuzzKey.id(), id: fuzzID, created: created, failed: created, kind: "k", code: "X"}, nil)
	other := Key{9}
	foreign := sealed(f, other, header{state: stateQueued, keyID: other.id(), id: fuzzID, created: created, kind: "k"}, []byte("x"))
	return [][]byte{good, dead, foreign, good[:len(good)-1], good[:fixedHeader], []byte(magic), {}, bytes.Repeat([]byte{0xff}, 100)}
}

// FuzzOpenItem: the item parser never panics on outside bytes, and accepts
// nothing it did not seal (short of forging GCM).
func FuzzOpenItem(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	aead, err := fuzzKey.aead()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, p, err := open(aead, fuzzKey.id(), b)
		if err != nil {
			return
		}
		// Whatever opened must re-seal to an item that opens the same way.
		again, _, err := open(aead, fuzzKey.id(), sealed(t, fuzzKey, h, p))
		if err != nil || again.id != h.id || again.kind != h.kind {
			t.Fatalf("accepted item does not round-trip: %v", err)
		}
	})
}

// FuzzQueueDir puts arbitrary bytes, under names the queue would and would
// not write, into its directories; Open and the worker must neither fail
// nor panic, and must set aside what they cannot read.
func FuzzQueueDir(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		for sel := byte(0); sel < 4; sel++ {
			f.Add(sel, s)
		}
	}
	f.Fuzz(func(t *testing.T, sel byte, b []byte) {
		dir := t.TempDir()
		sub := []string{queueDir, deadDir}[sel&1]
		name := fuzzID.String() + itemExt
		switch sel >> 1 & 3 {
		case 1:
			name = "x" + name
		case 2:
			name = tmpPrefix + "1"
		case 3:
			if len(b) > 0 {
				name = safeName(string(b[:min(len(b), 20)])) + "_"
			}
		}
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, sub, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
		ev := newEvents()
		d := newFakeDeliverer(nil)
		o, err := Open(dir, Options{Key: fuzzKey, Deliverer: d, OnEvent: ev.on, MaxItemBytes: 1 << 16, Clock: newFakeClock()})
		if errors.Is(err, ErrKeyMismatch) {
			// Sealed with another key: refused, and left exactly as it was.
			if got, rerr := os.ReadFile(filepath.Join(dir, sub, name)); rerr != nil || !bytes.Equal(got, b) {
				t.Fatalf("refused queue changed its item: %v", rerr)
			}
			if des, _ := os.ReadDir(filepath.Join(dir, quarantineDir)); len(des) != 0 {
				t.Fatalf("refused queue quarantined %d files", len(des))
			}
			// The operator's view opens it and lists it.
			o, err := Open(dir, Options{Key: fuzzKey, KeepForeign: true, MaxItemBytes: 1 << 16, Clock: newFakeClock()})
			if err != nil {
				t.Fatalf("KeepForeign: %v", err)
			}
			defer o.Close()
			if items := o.Items(); len(items) != 1 || items[0].State != StateOtherKey {
				t.Fatalf("KeepForeign lists %+v", items)
			}
			return
		}
		if err != nil {
			t.Fatalf("Open failed on foreign bytes: %v", err)
		}
		defer o.Close()
		s := o.Stats()
		if s.Depth+len(s.Dead)+s.Quarantined > 1 {
			t.Fatalf("one file became %+v", s)
		}
		o.Start()
		if s.Depth == 1 {
			ev.wait(t, Delivered)
		}
		if _, err := o.Enqueue(context.Background(), "fuzz.after", []byte("still works")); err != nil {
			t.Fatalf("queue unusable after foreign bytes: %v", err)
		}
		ev.wait(t, Delivered)
	})
}
