package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/signet-kiosk/signet/client/mews"
)

// The payloads of the kiosk's kinds. They are JSON inside the encrypted item;
// byte fields travel as base64. They hold personal data and never leave an
// encrypted item except to be sent.

// SignaturePayload is a StoRegister "save signature" (KindSignature).
type SignaturePayload struct {
	BookingID string `json:"booking_id"`
	// PNG is the signature image.
	PNG []byte `json:"png"`
	// AgreementSHA256 is the SHA-256 (hex) of the agreement text the guest
	// accepted by signing. Items queued before it existed have none ("").
	AgreementSHA256 string `json:"agreement_sha256,omitempty"`
}

// IdentityDocumentPayload is one image of an identity document for
// StoRegister (KindIdentityDocument).
type IdentityDocumentPayload struct {
	BookingID string `json:"booking_id"`
	// TypeID is the StoRegister document type id.
	TypeID      string `json:"type_id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Image       []byte `json:"image"`
}

// MewsIdentityDocumentPayload is one Mews identity-document write
// (KindMewsIdentityDocument): exactly one of Add, Update and Upsert is set.
// Upsert is what the kiosk queues for a guest: update the customer's
// document of that type, or add it (mews.DocumentsService.Upsert).
type MewsIdentityDocumentPayload struct {
	Add    *mews.Document       `json:"add,omitempty"`
	Update *mews.DocumentUpdate `json:"update,omitempty"`
	Upsert *mews.Document       `json:"upsert,omitempty"`
}

// ErrBadPayload means an item's payload does not decode as its kind says:
// it can never be delivered and goes to the dead-letter list.
var ErrBadPayload = errors.New("outbox: payload does not match its kind")

func (p *MewsIdentityDocumentPayload) check() error {
	n := 0
	for _, set := range []bool{p.Add != nil, p.Update != nil, p.Upsert != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("%w: a Mews write needs exactly one of add, update and upsert", ErrBadPayload)
	}
	return nil
}

// EnqueueSignature queues a signature for StoRegister.
func (o *Outbox) EnqueueSignature(ctx context.Context, p SignaturePayload) (string, error) {
	if p.BookingID == "" || len(p.PNG) == 0 {
		return "", fmt.Errorf("%w: a signature needs a booking id and an image", ErrBadPayload)
	}
	return o.enqueueJSON(ctx, KindSignature, p)
}

// EnqueueIdentityDocument queues one identity-document image for StoRegister.
func (o *Outbox) EnqueueIdentityDocument(ctx context.Context, p IdentityDocumentPayload) (string, error) {
	if p.BookingID == "" || p.TypeID == "" || len(p.Image) == 0 {
		return "", fmt.Errorf("%w: a document needs a booking id, a type id and an image", ErrBadPayload)
	}
	return o.enqueueJSON(ctx, KindIdentityDocument, p)
}

// EnqueueMewsDocument queues a Mews identity-document add or update.
func (o *Outbox) EnqueueMewsDocument(ctx context.Context, p MewsIdentityDocumentPayload) (string, error) {
	if err := p.check(); err != nil {
		return "", err
	}
	return o.enqueueJSON(ctx, KindMewsIdentityDocument, p)
}

func (o *Outbox) enqueueJSON(ctx context.Context, kind Kind, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("outbox: encode %s: %w", kind, err)
	}
	defer clear(b)
	return o.Enqueue(ctx, kind, b)
}

// decodePayload reads an item's payload into v.
func decodePayload(it Item, v any) error {
	if err := json.Unmarshal(it.Payload, v); err != nil {
		// The JSON error may quote payload bytes: keep only the fact.
		return fmt.Errorf("%w (%s)", ErrBadPayload, it.Kind)
	}
	return nil
}

// permanentError marks a failure no retry can mend, with its code.
type permanentError struct {
	code string
	err  error
}

func (e *permanentError) Error() string   { return e.err.Error() }
func (e *permanentError) Unwrap() error   { return e.err }
func (e *permanentError) Transient() bool { return false }
func (e *permanentError) Code() string    { return e.code }
