package staffauth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeNow is a settable clock.
type fakeNow struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeNow) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeNow) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock() *fakeNow { return &fakeNow{t: time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)} }

// reopenableGate returns a function that opens the gate of PIN 482915
// on clk's time, its lockout kept in dir: each call is the gate after a
// restart.
func reopenableGate(t *testing.T, dir string, clk *fakeNow) func() *Gate {
	hash, _ := HashWith("482915", cheap)
	return func() *Gate {
		l, err := OpenLockout(dir, clk.Now)
		if err != nil {
			t.Fatal(err)
		}
		return &Gate{Hash: hash, Lockout: l}
	}
}

func TestGateLocksAfterFiveAndSurvivesRestart(t *testing.T) {
	dir, clk := t.TempDir(), newClock()
	open := reopenableGate(t, dir, clk)
	g := open()
	for i := 1; i <= 4; i++ {
		if err := g.Check("000000"); !errors.Is(err, ErrWrongPIN) {
			t.Fatalf("wrong PIN %d: %v", i, err)
		}
	}
	if _, _, left := g.Lockout.Status(); left != 1 {
		t.Fatalf("attempts left %d, want 1", left)
	}
	// A restart in the middle keeps the count.
	g = open()
	if err := g.Check("111111"); !errors.Is(err, ErrLocked) {
		t.Fatalf("fifth wrong PIN: %v, want ErrLocked", err)
	}
	// Restart: still locked, even for the right PIN.
	g = open()
	if err := g.Check("482915"); !errors.Is(err, ErrLocked) {
		t.Fatalf("right PIN while locked after restart: %v", err)
	}
	locked, left, _ := g.Lockout.Status()
	if !locked || left != 5*time.Minute {
		t.Fatalf("status %v %v, want locked for 5m", locked, left)
	}
	clk.Add(4*time.Minute + 59*time.Second)
	if err := open().Check("482915"); !errors.Is(err, ErrLocked) {
		t.Fatalf("at 4m59s: %v", err)
	}
	clk.Add(time.Second)
	g = open()
	if err := g.Check("482915"); err != nil {
		t.Fatalf("right PIN after the lock: %v", err)
	}
	if _, _, left := g.Lockout.Status(); left != 5 {
		t.Errorf("attempts after success %d, want 5", left)
	}
	b, _ := os.ReadFile(filepath.Join(dir, StateFile))
	if strings.Contains(string(b), "482915") || strings.Contains(string(b), "argon") {
		t.Errorf("state file holds the PIN or hash: %s", b)
	}
	fi, _ := os.Stat(filepath.Join(dir, StateFile))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v", fi.Mode())
	}
}

func TestLockoutCorruptFileFailsClosed(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, StateFile), []byte("{garbage"), 0o600)
	clk := newClock()
	l, err := OpenLockout(dir, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	if locked, _, _ := l.Status(); !locked {
		t.Fatal("corrupt state file did not lock")
	}
	clk.Add(DefaultLockFor)
	if locked, _, _ := l.Status(); locked {
		t.Fatal("still locked after the lock time")
	}
}

func TestLockoutClockSetBack(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	l, _ := OpenLockout(dir, clk.Now)
	for range DefaultMaxFailures {
		l.Fail()
	}
	clk.Add(-time.Hour)
	_, left, _ := l.Status()
	if left > DefaultLockFor {
		t.Errorf("lock of %v after the clock went back", left)
	}
}

func TestGateNoPINAndDemo(t *testing.T) {
	l, _ := OpenLockout(t.TempDir(), newClock().Now)
	g := &Gate{Lockout: l}
	if err := g.Check("2580"); !errors.Is(err, ErrNoPIN) {
		t.Errorf("no PIN, not demo: %v", err)
	}
	g.Demo = true
	if err := g.Check("2580"); err != nil {
		t.Errorf("demo PIN: %v", err)
	}
	if err := g.Check("1234"); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("demo, wrong PIN: %v", err)
	}
	// A configured hash wins over the demo PIN.
	g.Hash, _ = HashWith("9999", cheap)
	if err := g.Check("2580"); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("hash set, demo PIN: %v", err)
	}
	g.Hash = "$argon2id$broken"
	if err := g.Check("9999"); !errors.Is(err, ErrBadHash) {
		t.Errorf("broken hash: %v", err)
	}
}

// lockRound enters five wrong PINs and returns how long the lock lasts.
func lockRound(t *testing.T, g *Gate) time.Duration {
	t.Helper()
	for i := 1; i <= DefaultMaxFailures; i++ {
		err := g.Check("000000")
		want := ErrWrongPIN
		if i == DefaultMaxFailures {
			want = ErrLocked
		}
		if !errors.Is(err, want) {
			t.Fatalf("wrong PIN %d: %v, want %v", i, err, want)
		}
	}
	locked, left, _ := g.Lockout.Status()
	if !locked {
		t.Fatal("not locked after five wrong PINs")
	}
	return left
}

func TestLockoutEscalatesAndResetsOnlyOnRightPIN(t *testing.T) {
	dir, clk := t.TempDir(), newClock()
	open := reopenableGate(t, dir, clk)
	want := []time.Duration{5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour, 4 * time.Hour}
	for i, w := range want {
		// A restart between rounds keeps the escalation.
		g := open()
		if next := g.Lockout.NextLock(); next != w {
			t.Errorf("round %d: NextLock %v, want %v", i+1, next, w)
		}
		if got := lockRound(t, g); got != w {
			t.Fatalf("lock %d lasts %v, want %v", i+1, got, w)
		}
		// One second before the end: still locked, even for the right PIN.
		clk.Add(w - time.Second)
		if err := open().Check("482915"); !errors.Is(err, ErrLocked) {
			t.Fatalf("lock %d, 1s before its end: %v", i+1, err)
		}
		clk.Add(time.Second)
		if locked, _, attempts := open().Lockout.Status(); locked || attempts != DefaultMaxFailures {
			t.Fatalf("after lock %d: locked %v, attempts %d", i+1, locked, attempts)
		}
	}
	// Five guesses per four hours, at most, from here on: the lock did not
	// reset by waiting. A right PIN resets it.
	g := open()
	if err := g.Check("482915"); err != nil {
		t.Fatalf("right PIN: %v", err)
	}
	if got := lockRound(t, open()); got != 5*time.Minute {
		t.Fatalf("after a right PIN the lock lasts %v, want 5m", got)
	}
}

func TestLockoutEscalatedClockSetBack(t *testing.T) {
	dir := t.TempDir()
	clk := newClock()
	l, _ := OpenLockout(dir, clk.Now)
	g := &Gate{Demo: true, Lockout: l}
	lockRound(t, g)
	clk.Add(5 * time.Minute)
	lockRound(t, g) // 15 min
	clk.Add(-24 * time.Hour)
	if _, left, _ := l.Status(); left != 15*time.Minute {
		t.Errorf("after the clock went back a day the lock has %v left, want 15m", left)
	}
}
