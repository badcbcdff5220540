//go:build !linux || !cgo

package xdisplay

// Monitors returns ErrUnsupported: this build cannot ask X.
func Monitors() ([]Monitor, error) { return nil, ErrUnsupported }

// Place returns ErrUnsupported: this build cannot ask X.
func Place(uintptr, Monitor) error { return ErrUnsupported }

// Position returns ErrUnsupported: this build cannot ask X.
func Position(uintptr) (x, y int, err error) { return 0, 0, ErrUnsupported }

// Move returns ErrUnsupported: this build cannot ask X.
func Move(uintptr, int, int) error { return ErrUnsupported }
