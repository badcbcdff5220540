// Package bounded reads input from outside the program (files, pipes,
// request bodies) with a ceiling: at most max+1 bytes are ever held, and
// input longer than max is refused with ErrTooLarge rather than read on.
package bounded

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge is what Read and ReadFile return, wrapped in a *TooLarge,
// for input over the ceiling.
var ErrTooLarge = errors.New("too large")

// TooLarge says which input was over which ceiling.
type TooLarge struct {
	Name string // what the input is: a path, "standard input", …
	Max  int64
}

func (e *TooLarge) Error() string { return fmt.Sprintf("%s is larger than %s", e.Name, Size(e.Max)) }

// Is makes errors.Is(err, ErrTooLarge) hold.
func (e *TooLarge) Is(target error) bool { return target == ErrTooLarge }

// Read reads all of r, refusing more than max bytes; name is what the
// *TooLarge error calls the input.
func Read(r io.Reader, name string, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, &TooLarge{Name: name, Max: max}
	}
	return b, nil
}

// ReadFile reads the file at path, refusing more than max bytes.
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path, max)
}

// Size writes a byte count the way help texts and errors do: "16 MiB".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
