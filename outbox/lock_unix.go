//go:build unix

package outbox

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// lockDir takes an exclusive lock on dir for this process: two processes
// delivering the same queue would send everything twice. The kernel drops
// the lock when the process dies, so a crash never leaves it stale.
func lockDir(dir string) (io.Closer, error) {
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("outbox: lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("outbox: lock: %w", err)
	}
	return f, nil
}

// checkOwner refuses a queue directory owned by another user than this
// process's: files it wrote there (a retried item, a lock) would be
// unreadable to the kiosk's user.
func checkOwner(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == os.Geteuid() {
		return nil
	}
	return fmt.Errorf("%w: %s belongs to user id %d and this process runs as user id %d; run the command as its owner (e.g. `sudo -u signet signet outbox …`)",
		ErrOwner, dir, st.Uid, os.Geteuid())
}
