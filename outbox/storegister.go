package outbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/storegister"
)

// NewRouter routes the kiosk's three kinds to their APIs. mc may be nil (Mews
// is optional): Mews items then have no route and go to the dead-letter
// list as "unknown_kind", which the staff console shows.
//
// The clients' own retries are for a guest who is waiting; in the
// background the queue does the retrying, so clients with a short retry
// policy (one or two attempts) suit it best.
func NewRouter(sto *storegister.Client, mc *mews.Client) Router {
	sd := StoRegisterDeliverer{Client: sto}
	r := Router{KindSignature: sd, KindIdentityDocument: sd}
	if mc != nil {
		r[KindMewsIdentityDocument] = MewsDeliverer{Client: mc}
	}
	return r
}

// StoRegisterDeliverer sends queued signatures (KindSignature) and
// identity-document images (KindIdentityDocument) to StoRegister. Saving a
// signature again replaces it, so redelivery after a crash is harmless.
type StoRegisterDeliverer struct {
	Client *storegister.Client
}

// Deliver saves the item's signature or document image.
func (d StoRegisterDeliverer) Deliver(ctx context.Context, it Item) error {
	switch it.Kind {
	case KindSignature:
		var p SignaturePayload
		if err := decodePayload(it, &p); err != nil {
			return err
		}
		_, err := d.Client.SaveSignature(ctx, p.BookingID, p.PNG)
		return err
	case KindIdentityDocument:
		var p IdentityDocumentPayload
		if err := decodePayload(it, &p); err != nil {
			return err
		}
		_, err := d.Client.SaveIdentityDocument(ctx, p.BookingID, storegister.IdentityDocument{
			TypeID: p.TypeID, Filename: p.Filename, ContentType: p.ContentType, Body: bytes.NewReader(p.Image)})
		return err
	}
	return fmt.Errorf("%w %q", ErrUnknownKind, string(it.Kind))
}

// Classify reads StoRegister errors. Validation codes (INVALID_*,
// NO_RECORDS_FOUND) are permanent and become the dead item's code; FAILED,
// SOMETHING_WENT_WRONG, 408, 429 (with Retry-After) and 5xx are transient.
// 401 and 403 stay transient: they mean the kiosk's API key is wrong, which
// staff can mend without the guest. Input the client refuses before sending
// (a bad id, not a PNG) is permanent.
func (StoRegisterDeliverer) Classify(err error) Verdict {
	var ae *storegister.APIError
	if errors.As(err, &ae) {
		v := Verdict{Class: Permanent, Code: fmt.Sprintf("storegister_%d", ae.HTTPStatus), RetryAfter: ae.RetryAfter()}
		for _, c := range ae.Codes {
			if c.Known() {
				v.Code = string(c)
				if !c.Transient() {
					break
				}
			}
		}
		if ae.Transient() || errors.Is(ae, storegister.ErrUnauthorized) {
			v.Class = Transient
		}
		return v
	}
	switch {
	case errors.Is(err, storegister.ErrInvalidID), errors.Is(err, storegister.ErrNotPNG),
		errors.Is(err, storegister.ErrInvalidDocument):
		return Verdict{Class: Permanent, Code: "invalid_input"}
	case errors.Is(err, storegister.ErrMalformedResponse), errors.Is(err, storegister.ErrResponseTooLarge):
		// The save may have happened; trying again is the safe side.
		return Verdict{Class: Transient, Code: "bad_response"}
	}
	return ClassifyError(err)
}
