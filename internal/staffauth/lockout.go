package staffauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Lockout defaults: five wrong PINs lock entry for five minutes; each
// further lock before a right PIN lasts longer (15 min, 1 h, then 4 h each),
// so that slow guessing gets about five tries every four hours.
const (
	DefaultMaxFailures = 5
	DefaultLockFor     = 5 * time.Minute
	// StateFile is the lockout's file in the state directory.
	StateFile = "staff-lockout.json"
)

// DefaultLockSteps are the lengths of the first, second, third and every
// later lock in a row. Only a right PIN starts the row again.
var DefaultLockSteps = []time.Duration{DefaultLockFor, 15 * time.Minute, time.Hour, 4 * time.Hour}

var (
	// ErrLocked is returned while entry is locked after too many wrong PINs.
	ErrLocked = errors.New("staffauth: locked after too many wrong PINs")
	// ErrWrongPIN is returned for a wrong PIN.
	ErrWrongPIN = errors.New("staffauth: wrong PIN")
	// ErrNoPIN is returned when no PIN is configured (and no demo PIN applies).
	ErrNoPIN = errors.New("staffauth: no staff PIN is set; run `signet config set-pin`")
)

// lockState is what is kept on disk: no PIN, no hash, only counts and times.
type lockState struct {
	// Failures counts wrong PINs since the last lock ended (or the last
	// right PIN).
	Failures int `json:"failures"`
	// Locks counts the locks imposed since the last right PIN; it picks the
	// length of the next one.
	Locks       int       `json:"locks,omitempty"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

// Lockout counts wrong PINs and locks entry after MaxFailures of them. The
// n-th lock since the last right PIN lasts LockSteps[n-1], the last step
// repeating. Its state is written atomically (temporary file, fsync, rename)
// to a file in the state directory after every change, and read back by
// OpenLockout, so a restart keeps a lock, and its escalation, in force. It
// is safe for concurrent use.
type Lockout struct {
	MaxFailures int
	// LockSteps are the lengths of successive locks (DefaultLockSteps).
	LockSteps []time.Duration

	path string
	now  func() time.Time

	mu sync.Mutex
	st lockState
}

// OpenLockout reads the lockout state kept in dir (none yet is a clean
// state). now is the clock; nil is time.Now. A state file that cannot be
// read fails closed: entry is locked for the first step from now, and the
// next lock is the second step.
func OpenLockout(dir string, now func() time.Time) (*Lockout, error) {
	if dir == "" {
		return nil, errors.New("staffauth: no state directory for the lockout")
	}
	return openLockoutAt(filepath.Join(dir, StateFile), now)
}

// openLockoutAt is OpenLockout for the state file at path.
func openLockoutAt(path string, now func() time.Time) (*Lockout, error) {
	if now == nil {
		now = time.Now
	}
	l := &Lockout{MaxFailures: DefaultMaxFailures, LockSteps: DefaultLockSteps, now: now, path: path}
	b, err := os.ReadFile(l.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return l, nil
	case err == nil && json.Unmarshal(b, &l.st) == nil && l.st.Failures >= 0 && l.st.Locks >= 0:
	default:
		l.st = lockState{Failures: l.MaxFailures, Locks: 1, LockedUntil: now().Add(l.step(1))}
		if werr := l.saveLocked(); werr != nil {
			return l, werr
		}
	}
	return l, nil
}

// step is the length of the n-th lock (n ≥ 1).
func (l *Lockout) step(n int) time.Duration {
	steps := l.LockSteps
	if len(steps) == 0 {
		steps = DefaultLockSteps
	}
	return steps[min(max(n, 1), len(steps))-1]
}

// Path is the state file.
func (l *Lockout) Path() string { return l.path }

// Status reports whether entry is locked now, for how much longer, and how
// many attempts are left before the next lock.
func (l *Lockout) Status() (locked bool, left time.Duration, attempts int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.expireLocked(now)
	if !l.st.LockedUntil.IsZero() {
		return true, l.st.LockedUntil.Sub(now), 0
	}
	return false, 0, l.MaxFailures - l.st.Failures
}

// NextLock is how long the next lock will last if the attempts left run out.
func (l *Lockout) NextLock() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.step(l.st.Locks + 1)
}

// expireLocked ends a lock whose time has passed, keeping the count of locks
// so the next one is longer, and shortens one that reaches further than its
// own length (the clock was set back).
func (l *Lockout) expireLocked(now time.Time) {
	if st := l.settle(l.st, now); st != l.st {
		l.st = st
		_ = l.saveLocked()
	}
}

// settle is st as it stands at now: a lock whose time has passed is over
// (its count kept), and one reaching further than its own length is cut
// to it.
func (l *Lockout) settle(st lockState, now time.Time) lockState {
	if st.LockedUntil.IsZero() {
		return st
	}
	if !now.Before(st.LockedUntil) {
		return lockState{Locks: st.Locks}
	}
	if d := l.step(st.Locks); st.LockedUntil.Sub(now) > d {
		st.LockedUntil = now.Add(d)
	}
	return st
}

// Fail records a wrong PIN and reports whether entry is now locked.
func (l *Lockout) Fail() (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.expireLocked(now)
	if !l.st.LockedUntil.IsZero() {
		return true, nil
	}
	l.st.Failures++
	if l.st.Failures >= l.MaxFailures {
		l.st.Locks++
		l.st.LockedUntil = now.Add(l.step(l.st.Locks))
	}
	return !l.st.LockedUntil.IsZero(), l.saveLocked()
}

// Succeed clears the count of wrong PINs and of locks after a right one.
func (l *Lockout) Succeed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.st == (lockState{}) {
		return nil
	}
	l.st = lockState{}
	return l.saveLocked()
}

func (l *Lockout) saveLocked() error {
	b, err := json.Marshal(l.st)
	if err != nil {
		return err
	}
	return writeFileAtomic(l.path, b, 0o600)
}

// writeFileAtomic replaces path with data: a temporary file beside it,
// synced, renamed over it, and the directory synced.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("staffauth: %w", err)
	}
	f, err := os.CreateTemp(dir, ".staff-*.tmp")
	if err != nil {
		return fmt.Errorf("staffauth: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return fmt.Errorf("staffauth: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("staffauth: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("staffauth: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("staffauth: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("staffauth: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// DemoPIN is accepted in demo mode when no PIN hash is configured.
const DemoPIN = "2580"

// Gate checks PINs against the one configured hash under the lockout: the
// single PIN of earlier versions. It is kept, unchanged, for its callers;
// AccountGate checks every staff account, the single PIN among them
// (config.Staff.AuthAccounts), and says who signed in.
type Gate struct {
	// Hash is the configured hash string; "" when none is set.
	Hash string
	// Demo accepts DemoPIN when Hash is empty.
	Demo bool
	// Lockout counts wrong PINs; nil means no lockout (tests only).
	Lockout *Lockout
}

// Configured reports whether a PIN can open the gate at all.
func (g *Gate) Configured() bool { return g.Hash != "" || g.Demo }

// Check returns nil when pin opens the gate; ErrNoPIN, ErrLocked or
// ErrWrongPIN otherwise. While locked, even the right PIN is refused and
// not checked. A malformed configured hash is an error wrapping ErrBadHash.
func (g *Gate) Check(pin string) error {
	if !g.Configured() {
		return ErrNoPIN
	}
	if g.Lockout != nil {
		if locked, _, _ := g.Lockout.Status(); locked {
			return ErrLocked
		}
	}
	var ok bool
	if g.Hash == "" {
		ok = subtleEqual(pin, DemoPIN)
	} else {
		var err error
		if ok, err = Verify(pin, g.Hash); err != nil {
			return err
		}
	}
	if g.Lockout == nil {
		if ok {
			return nil
		}
		return ErrWrongPIN
	}
	// A state file that cannot be written still leaves the count right in
	// memory; entry is neither refused nor opened because of the disk.
	if ok {
		_ = g.Lockout.Succeed()
		return nil
	}
	if locked, _ := g.Lockout.Fail(); locked {
		return ErrLocked
	}
	return ErrWrongPIN
}

func subtleEqual(a, b string) bool {
	// The demo PIN is public; a plain comparison would do, but keep one
	// code path shape for both.
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
}
