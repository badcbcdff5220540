package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
)

// Kind names what an item is and so which Deliverer sends it, such as
// KindSignature. It is stored in clear: never put personal data in it.
// A kind is 1–64 characters of a–z, 0–9, '.', '-' and '_'.
type Kind string

// Validate reports whether k is a well-formed kind.
func (k Kind) Validate() error {
	if len(k) == 0 || len(k) > MaxKindLen {
		return fmt.Errorf("outbox: kind must be 1–%d characters", MaxKindLen)
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return fmt.Errorf("outbox: kind %q: only a–z, 0–9, '.', '-' and '_' are allowed", string(k))
		}
	}
	return nil
}

// The kinds the kiosk queues.
const (
	// KindSignature is a StoRegister "save signature" (SignaturePayload).
	KindSignature Kind = "storegister.signature"
	// KindIdentityDocument is a StoRegister identity-document upload
	// (IdentityDocumentPayload).
	KindIdentityDocument Kind = "storegister.identity-document"
	// KindMewsIdentityDocument is a Mews identity document add or update
	// (MewsIdentityDocumentPayload).
	KindMewsIdentityDocument Kind = "mews.identity-document"
)

// Item is one submission waiting to be sent. Payload is opaque to the queue:
// it is encrypted on disk and handed back as it was given.
type Item struct {
	// ID is random and names the file; it says nothing about the guest.
	ID      string
	Kind    Kind
	Created time.Time
	// Attempt counts delivery attempts in this process, this one included.
	Attempt int
	Payload []byte
}

// Class says what a failed delivery means for the item.
type Class int

const (
	// Transient failures are retried with backoff: network errors, timeouts,
	// 429, 5xx, a transient refusal code.
	Transient Class = iota
	// Permanent failures move the item to the dead-letter list at once.
	Permanent
)

func (c Class) String() string {
	if c == Permanent {
		return "permanent"
	}
	return "transient"
}

// Verdict is a Deliverer's reading of a delivery error.
type Verdict struct {
	Class Class
	// Code is short and free of personal data ("INVALID_PARAM_SIGNATURE",
	// "http_503", "timeout"): it is stored with a dead item and shown to staff.
	Code string
	// RetryAfter is the server's requested wait, or 0. The queue waits at
	// least this long before delivering anything through this Deliverer again.
	RetryAfter time.Duration
}

// Deliverer sends items to where they belong. Deliver must return nil only
// when the remote side has confirmed the item, which the queue then deletes.
// It may be called again for an item that was in fact delivered (after a
// crash, or a timeout whose request reached the server): at least once.
type Deliverer interface {
	Deliver(ctx context.Context, it Item) error
	// Classify reads an error that Deliver returned.
	Classify(err error) Verdict
}

// Coder is implemented by errors that carry a short, non-personal code, such
// as an API's refusal code. ClassifyError uses it for Verdict.Code.
type Coder interface{ Code() string }

// ErrUnknownKind is returned by Router for a kind it has no route for: such
// an item can never be delivered by this build and goes to the dead list.
var ErrUnknownKind = errors.New("outbox: no deliverer for this kind")

// ClassifyError is the shared classification, on the policy of package
// retry: an error is transient when retry.Transient says so, or when it is
// the expiry of a delivery's own deadline; anything else is permanent. The
// code comes from a Coder in the chain, else from the kind of failure.
func ClassifyError(err error) Verdict {
	v := Verdict{Class: Permanent, Code: "error"}
	switch {
	case err == nil:
		return Verdict{}
	case errors.Is(err, context.DeadlineExceeded):
		v = Verdict{Class: Transient, Code: "timeout"}
	case retry.Transient(err):
		v = Verdict{Class: Transient, Code: "transient"}
	}
	switch {
	case errors.Is(err, ErrUnknownKind):
		v = Verdict{Class: Permanent, Code: "unknown_kind"}
	case errors.Is(err, ErrBadPayload):
		v = Verdict{Class: Permanent, Code: "bad_payload"}
	}
	var c Coder
	if errors.As(err, &c) && c.Code() != "" {
		v.Code = c.Code()
	}
	if d, ok := retry.RetryAfter(err); ok {
		v.RetryAfter = d
	}
	return v
}

// Router sends each item to the Deliverer registered for its kind.
type Router map[Kind]Deliverer

// Deliver hands it to its kind's Deliverer, or returns ErrUnknownKind. A
// route's error comes back carrying that route's Verdict.
func (r Router) Deliver(ctx context.Context, it Item) error {
	d, ok := r[it.Kind]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownKind, string(it.Kind))
	}
	err := d.Deliver(ctx, it)
	if err == nil {
		return nil
	}
	return &routedError{err: err, v: d.Classify(err)}
}

// Classify returns the Verdict of the route that failed, else ClassifyError's.
func (r Router) Classify(err error) Verdict {
	var re *routedError
	if errors.As(err, &re) {
		return re.v
	}
	return ClassifyError(err)
}

type routedError struct {
	err error
	v   Verdict
}

func (e *routedError) Error() string { return e.err.Error() }
func (e *routedError) Unwrap() error { return e.err }

// DeliverFunc adapts a function to a Deliverer classified by ClassifyError.
type DeliverFunc func(ctx context.Context, it Item) error

// Deliver calls f.
func (f DeliverFunc) Deliver(ctx context.Context, it Item) error { return f(ctx, it) }

// Classify uses ClassifyError.
func (f DeliverFunc) Classify(err error) Verdict { return ClassifyError(err) }
