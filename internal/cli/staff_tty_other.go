//go:build !linux

package cli

import (
	"errors"
	"os"
)

// isTerminal is false where the kiosk does not run: the PIN is read as
// lines from standard input.
func isTerminal(*os.File) bool { return false }

func noEcho(*os.File) (func(), error) { return nil, errors.New("no terminal support") }
