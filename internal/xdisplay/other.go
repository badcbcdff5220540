//go:build !linux || !cgo

package xdisplay

// Monitors returns ErrUnsupported: this build cannot ask X.
func Monitors() ([]Monitor, error) { return nil, ErrUnsupported }

// Place returns ErrUnsupported: this build cannot ask X.
func Place(uintptr, Monitor) error { return ErrUnsupported }
