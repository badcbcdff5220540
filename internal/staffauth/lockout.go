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

// Lockout defaults: five wrong PINs lock entry for five minutes.
const (
	DefaultMaxFailures = 5
	DefaultLockFor     = 5 * time.Minute
	// StateFile is the lockout's file in the state directory.
	StateFile = "staff-lockout.json"
)

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
	Failures    int       `json:"failures"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

// Lockout counts wrong PINs and locks entry after MaxFailures of them for
// LockFor. Its state is written atomically (temporary file, fsync, rename)
// to a file in the state directory after every change, and read back by
// OpenLockout, so a restart keeps a lock in force. It is safe for
// concurrent use.
type Lockout struct {
	MaxFailures int
	LockFor     time.Duration

	path string
	now  func() time.Time

	mu sync.Mutex
	st lockState
}

// OpenLockout reads the lockout state kept in dir (none yet is a clean
// state). now is the clock; nil is time.Now. A state file that cannot be
// read fails closed: entry is locked for LockFor from now.
func OpenLockout(dir string, now func() time.Time) (*Lockout, error) {
	if now == nil {
		now = time.Now
	}
	l := &Lockout{MaxFailures: DefaultMaxFailures, LockFor: DefaultLockFor, now: now}
	if dir == "" {
		return nil, errors.New("staffauth: no state directory for the lockout")
	}
	l.path = filepath.Join(dir, StateFile)
	b, err := os.ReadFile(l.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return l, nil
	case err == nil && json.Unmarshal(b, &l.st) == nil && l.st.Failures >= 0:
	default:
		l.st = lockState{Failures: l.MaxFailures, LockedUntil: now().Add(l.LockFor)}
		if werr := l.saveLocked(); werr != nil {
			return l, werr
		}
	}
	return l, nil
}

// Path is the state file.
func (l *Lockout) Path() string { return l.path }

// Status reports whether entry is locked now, for how much longer, and how
// many attempts are left before the next lock.
func (l *Lockout) Status() (locked bool, left time.Duration, attempts int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expireLocked()
	if !l.st.LockedUntil.IsZero() {
		return true, l.st.LockedUntil.Sub(l.now()), 0
	}
	return false, 0, l.MaxFailures - l.st.Failures
}

// expireLocked ends a lock whose time has passed, and shortens one that
// reaches further than LockFor (the clock was set back).
func (l *Lockout) expireLocked() {
	if l.st.LockedUntil.IsZero() {
		return
	}
	now := l.now()
	if !now.Before(l.st.LockedUntil) {
		l.st = lockState{}
		_ = l.saveLocked()
		return
	}
	if l.st.LockedUntil.Sub(now) > l.LockFor {
		l.st.LockedUntil = now.Add(l.LockFor)
		_ = l.saveLocked()
	}
}

// Fail records a wrong PIN and reports whether entry is now locked.
func (l *Lockout) Fail() (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expireLocked()
	if !l.st.LockedUntil.IsZero() {
		return true, nil
	}
	l.st.Failures++
	if l.st.Failures >= l.MaxFailures {
		l.st.LockedUntil = l.now().Add(l.LockFor)
	}
	return !l.st.LockedUntil.IsZero(), l.saveLocked()
}

// Succeed clears the count of wrong PINs after a right one.
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

// Gate checks PINs against the configured hash under the lockout.
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
