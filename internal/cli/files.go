package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/signet-kiosk/signet/internal/bounded"
)

// Local files the commands read are capped, and files they write that may
// hold personal data (an image, a signature) are private. Both go through
// the two helpers here.

// readLimited reads all of r, refusing more than limit bytes. name is what
// the error calls the input. At most limit+1 bytes are ever held.
func readLimited(r io.Reader, name string, limit int64) ([]byte, error) {
	b, err := bounded.Read(r, name, limit)
	if errors.Is(err, bounded.ErrTooLarge) {
		return nil, fmt.Errorf("%w; this command reads at most that much", err)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return b, nil
}

// readFileLimited reads the file at path, or stdin when path is "-", up to
// limit bytes. Its errors are the operator's to fix: callers exit 2.
func readFileLimited(path string, stdin io.Reader, limit int64) ([]byte, error) {
	if path == "-" {
		return readLimited(stdin, "standard input", limit)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, path, limit)
}

// writeFilePrivate replaces path with data, atomically and privately: the
// data goes to a temporary file (mode 0600) in the same directory, is
// synced, and is renamed over path, so a reader sees the old file or the
// whole new one, and an existing file of another mode is replaced by a 0600
// one. Every command that writes personal data to a file uses it.
func writeFilePrivate(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	// CreateTemp makes the file 0600; Chmod says so whatever the umask.
	if err = f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err = f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	} else if serr != nil && !errors.Is(serr, os.ErrNotExist) {
		return serr
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// Make the rename itself durable; a directory that cannot be synced
	// (some file systems) does not undo the write.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
