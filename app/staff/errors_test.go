package staff

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/redact"
)

func TestErrorRing(t *testing.T) {
	ring := NewErrorRing(3)
	var buf bytes.Buffer
	log := slog.New(ring.Handler(redact.NewLogger(&buf, "info", "text").Handler())).With("component", "test")
	redact.Register("ring-secret-token-123")
	log.Debug("not kept, not printed")
	log.Info("kept nowhere but the log")
	log.Warn("lookup failed", "email", "someone@example.com", "err", errors.New("boom with ring-secret-token-123"))
	for i := range 3 {
		log.Error(fmt.Sprintf("failure %d", i))
	}
	got := ring.Recent()
	if len(got) != 3 || got[0].What != "failure 0" || got[2].What != "failure 2" {
		t.Fatalf("ring holds %+v", got)
	}
	ring2 := NewErrorRing(0)
	slog.New(ring2.Handler(redact.NewLogger(&buf, "error", "text").Handler())).
		Warn("lookup failed", "email", "someone@example.com", "err", errors.New("boom with ring-secret-token-123"))
	r := ring2.Recent()
	if len(r) != 1 {
		t.Fatalf("a warning below the log's level was not kept: %+v", r)
	}
	if w := r[0].What; !strings.HasPrefix(w, "lookup failed: boom") || strings.Contains(w, "someone@") || strings.Contains(w, "ring-secret-token-123") {
		t.Errorf("kept %q", w)
	}
	if strings.Contains(buf.String(), "not kept") {
		t.Error("a debug line reached an info log")
	}
}
