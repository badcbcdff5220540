package camera

import (
	"testing"

	"go.uber.org/goleak"
)

// Every camera's goroutine ends when it is closed or its context cancelled.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
