package storegister

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind: an upload's
// writer, a retry wait, a response reader.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
