package outbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/signet-kiosk/signet/client/mews"
)

// MewsDeliverer writes queued identity documents to Mews
// (KindMewsIdentityDocument).
//
// Mews `add` has no idempotency key, and the queue delivers at least once:
// a crash after Mews created the document but before the item was removed
// would add it again. So before every add the deliverer reads the
// customer's documents of that type and treats an identical one (same
// type, number, expiry and issuing country) as already delivered. `update`
// is safe to repeat and is sent as is.
type MewsDeliverer struct {
	Client *mews.Client
}

// Deliver adds or updates the item's document.
func (d MewsDeliverer) Deliver(ctx context.Context, it Item) error {
	var p MewsIdentityDocumentPayload
	if err := decodePayload(it, &p); err != nil {
		return err
	}
	if err := p.check(); err != nil {
		return err
	}
	if p.Update != nil {
		_, err := d.Client.Documents.Update(ctx, []mews.DocumentUpdate{*p.Update})
		return err
	}
	if p.Upsert != nil {
		_, _, err := d.Client.Documents.Upsert(ctx, *p.Upsert)
		return err
	}
	doc := *p.Add
	have, err := d.Client.Documents.List(ctx, mews.DocumentListOptions{
		CustomerIDs: []string{doc.CustomerID}, Types: []mews.DocumentType{doc.Type}})
	if err != nil {
		return err
	}
	for _, h := range have {
		if sameMewsDocument(doc, h) {
			return nil
		}
	}
	_, err = d.Client.Documents.Add(ctx, []mews.Document{doc})
	return err
}

func sameMewsDocument(a, b mews.Document) bool {
	return a.CustomerID == b.CustomerID && a.Type == b.Type && a.Number == b.Number &&
		a.ExpirationDate == b.ExpirationDate && a.IssuingCountryCode == b.IssuingCountryCode
}

// Classify reads Mews errors: 408, 429 and 5xx are transient (429 with its
// Retry-After), and so is 401, since it means the kiosk's tokens are wrong
// or expired, which staff can mend without the guest; any other refusal
// (400 bad input, 403 a business rule, 404, 409, 413) is permanent. Input
// the client refuses before sending is permanent too.
func (MewsDeliverer) Classify(err error) Verdict {
	var ae *mews.APIError
	if errors.As(err, &ae) {
		v := Verdict{Class: Permanent, Code: fmt.Sprintf("mews_%d", ae.Status), RetryAfter: ae.RetryAfter()}
		if ae.Transient() || ae.Status == http.StatusUnauthorized {
			v.Class = Transient
		}
		return v
	}
	if errors.Is(err, mews.ErrInvalidInput) || errors.Is(err, mews.ErrClearType) {
		return Verdict{Class: Permanent, Code: "mews_invalid_input"}
	}
	if errors.Is(err, ErrBadPayload) {
		return Verdict{Class: Permanent, Code: "bad_payload"}
	}
	return ClassifyError(err)
}
