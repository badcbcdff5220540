//go:build !unix

package outbox

import "io"

type noLock struct{}

func (noLock) Close() error { return nil }

// lockDir does nothing where flock is not available.
func lockDir(string) (io.Closer, error) { return noLock{}, nil }

// checkOwner does nothing where file ownership is not checked.
func checkOwner(string) error { return nil }
