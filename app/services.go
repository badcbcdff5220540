package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/outbox"
)

// MewsRecorder records a guest's document in Mews: flow.IdentityRecorder
// over the Mews client.
type MewsRecorder struct {
	Client *mews.Client
}

var _ flow.IdentityRecorder = MewsRecorder{}

// FindCustomerByEmail implements flow.IdentityRecorder: the customer whose
// email is the booking tenant's, or "" when none or several match (an
// ambiguous match is not guessed at; staff sort it out).
func (r MewsRecorder) FindCustomerByEmail(ctx context.Context, email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", nil
	}
	cs, err := r.Client.Customers.Find(ctx, mews.CustomerFilter{Emails: []string{email}})
	if err != nil {
		return "", err
	}
	var match []mews.Customer
	for _, c := range cs {
		if strings.EqualFold(c.Email, email) {
			match = append(match, c)
		}
	}
	if len(match) != 1 {
		return "", nil
	}
	return match[0].ID, nil
}

// Record implements flow.IdentityRecorder: update the customer's document
// of the same type when there is one, else add a new one.
func (r MewsRecorder) Record(ctx context.Context, customerID string, d flow.Details) (string, bool, error) {
	typ := mews.DocumentType(d.Type)
	var expiry mews.Date
	if d.Expiry != "" {
		var err error
		if expiry, err = mews.ParseDate(d.Expiry); err != nil {
			return "", false, fmt.Errorf("app: expiry: %w", err)
		}
	}
	existing, err := r.Client.Documents.List(ctx, mews.DocumentListOptions{
		CustomerIDs: []string{customerID}, Types: []mews.DocumentType{typ}})
	if err != nil {
		return "", false, err
	}
	if len(existing) > 0 {
		u := mews.DocumentUpdate{ID: existing[0].ID, Number: mews.Set(d.Number)}
		if !expiry.IsZero() {
			u.ExpirationDate = mews.Set(expiry)
		}
		if d.IssuingCountry != "" {
			u.IssuingCountryCode = mews.Set(d.IssuingCountry)
		}
		out, err := r.Client.Documents.Update(ctx, []mews.DocumentUpdate{u})
		if err != nil {
			return "", false, err
		}
		if len(out) > 0 {
			return out[0].ID, true, nil
		}
		return existing[0].ID, true, nil
	}
	out, err := r.Client.Documents.Add(ctx, []mews.Document{{CustomerID: customerID, Type: typ,
		Number: d.Number, ExpirationDate: expiry, IssuingCountryCode: d.IssuingCountry}})
	if err != nil {
		return "", false, err
	}
	if len(out) == 0 {
		return "", false, fmt.Errorf("app: mews added no document")
	}
	return out[0].ID, false, nil
}

// OutboxQueue keeps a submission's unsent parts in the encrypted outbox:
// flow.Queue over package outbox.
type OutboxQueue struct {
	Outbox *outbox.Outbox
}

var _ flow.Queue = OutboxQueue{}

// Enqueue implements flow.Queue. A Mews part is queued as an add: the
// outbox's deliverer skips it when the customer already has an identical
// document, since the API has no idempotency key.
func (q OutboxQueue) Enqueue(ctx context.Context, p flow.Pending) error {
	var err error
	switch p.Part {
	case flow.PartImage:
		_, err = q.Outbox.EnqueueIdentityDocument(ctx, outbox.IdentityDocumentPayload{BookingID: p.BookingID,
			TypeID: p.TypeID, Filename: p.Capture.Filename, ContentType: p.Capture.ContentType, Image: p.Capture.JPEG})
	case flow.PartSignature:
		_, err = q.Outbox.EnqueueSignature(ctx, outbox.SignaturePayload{BookingID: p.BookingID, PNG: p.Signature})
	case flow.PartMews:
		doc := mews.Document{CustomerID: p.MewsCustomerID, Type: mews.DocumentType(p.Details.Type),
			Number: p.Details.Number, IssuingCountryCode: p.Details.IssuingCountry}
		if p.Details.Expiry != "" {
			if doc.ExpirationDate, err = mews.ParseDate(p.Details.Expiry); err != nil {
				return fmt.Errorf("app: expiry: %w", err)
			}
		}
		_, err = q.Outbox.EnqueueMewsDocument(ctx, outbox.MewsIdentityDocumentPayload{Add: &doc})
	default:
		err = fmt.Errorf("app: unknown part %q", p.Part)
	}
	return err
}
