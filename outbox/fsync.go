package outbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tmpPrefix marks a file being written. One left behind was torn by a crash
// before its rename, so nobody was ever told it was accepted: Open removes it.
const tmpPrefix = ".tmp-"

// writeAtomic makes data the content of dir/name or leaves the old state:
// write a temporary file, fsync it, rename it into place, fsync the
// directory so that the rename itself survives a crash.
func writeAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return fmt.Errorf("outbox: write: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("outbox: write: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		return fail(err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("outbox: write: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("outbox: write: %w", err)
	}
	return syncDir(dir)
}

// removeDurable removes dir/name and makes the removal survive a crash.
func removeDurable(dir, name string) error {
	if err := os.Remove(filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("outbox: remove: %w", err)
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory, making renames and removals in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("outbox: sync directory: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("outbox: sync directory: %w", err)
	}
	return nil
}

func isTemp(name string) bool { return strings.HasPrefix(name, tmpPrefix) }
