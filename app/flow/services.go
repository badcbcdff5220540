package flow

import (
	"context"
	"fmt"
	"strings"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/outbox"
)

// MewsRecorder records a guest's document in Mews: IdentityRecorder
// over the Mews client.
type MewsRecorder struct {
	Client *mews.Client
}

var (
	_ IdentityRecorder = MewsRecorder{}
	_ PersonFinder     = MewsRecorder{}
)

// FindCustomerByPerson implements PersonFinder: the one customer whose
// name and birth date match exactly (mews Customers.FindPerson).
func (r MewsRecorder) FindCustomerByPerson(ctx context.Context, p Person) (string, string, error) {
	q, err := mewsPerson(p)
	if err != nil {
		return "", "birth date unreadable, no lookup by name", nil
	}
	c, ok, m, err := r.Client.Customers.FindPerson(ctx, q)
	if err != nil || !ok {
		return "", m.String(), err
	}
	return c.ID, m.String(), nil
}

func mewsPerson(p Person) (mews.PersonQuery, error) {
	var q mews.PersonQuery
	for _, n := range p.Names {
		q.Names = append(q.Names, mews.PersonName{FirstName: n.First, LastName: n.Last})
	}
	if p.BirthDate == "" {
		return q, nil
	}
	var err error
	q.BirthDate, err = mews.ParseDate(p.BirthDate)
	return q, err
}

// FindCustomerByEmail implements IdentityRecorder: the customer whose
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

// Record implements IdentityRecorder: update the customer's document
// of the same type when there is one, else add it (mews Documents.Upsert,
// which the outbox uses too when this has to wait).
func (r MewsRecorder) Record(ctx context.Context, customerID string, d Details) (string, bool, error) {
	doc, err := mewsDocument(customerID, d)
	if err != nil {
		return "", false, err
	}
	out, updated, err := r.Client.Documents.Upsert(ctx, doc)
	if err != nil {
		return "", false, err
	}
	return out.ID, updated, nil
}

// mewsDocument is the guest's details as a Mews document.
func mewsDocument(customerID string, d Details) (mews.Document, error) {
	doc := mews.Document{CustomerID: customerID, Type: mews.DocumentType(d.Type), Number: d.Number,
		IssuingCountryCode: d.IssuingCountry}
	if d.Expiry != "" {
		var err error
		if doc.ExpirationDate, err = mews.ParseDate(d.Expiry); err != nil {
			return doc, fmt.Errorf("flow: expiry: %w", err)
		}
	}
	return doc, nil
}

// OutboxQueue keeps a submission's unsent parts in the encrypted outbox:
// Queue over package outbox.
type OutboxQueue struct {
	Outbox *outbox.Outbox
}

var _ Queue = OutboxQueue{}

// Enqueue implements Queue. A Mews part is queued as an upsert, the
// same write Record makes.
func (q OutboxQueue) Enqueue(ctx context.Context, p Pending) error {
	var err error
	switch p.Part {
	case PartImage:
		_, err = q.Outbox.EnqueueIdentityDocument(ctx, outbox.IdentityDocumentPayload{BookingID: p.BookingID,
			TypeID: p.TypeID, Filename: p.Capture.Filename, ContentType: p.Capture.ContentType, Image: p.Capture.JPEG})
	case PartSignature:
		_, err = q.Outbox.EnqueueSignature(ctx, outbox.SignaturePayload{BookingID: p.BookingID, PNG: p.Signature,
			AgreementSHA256: p.Agreement})
	case PartMews:
		var doc mews.Document
		if doc, err = mewsDocument(p.MewsCustomerID, p.Details); err != nil {
			return err
		}
		_, err = q.Outbox.EnqueueMewsDocument(ctx, outbox.MewsIdentityDocumentPayload{Upsert: &doc})
	case PartMewsStaff:
		var doc mews.Document
		if doc, err = mewsDocument("", p.Details); err != nil {
			return err
		}
		person, _ := mewsPerson(p.Person) // an unreadable birth date leaves it for staff
		_, err = q.Outbox.EnqueueMewsNeedsStaff(ctx, outbox.MewsNeedsStaffPayload{BookingID: p.BookingID,
			Document: doc, Person: person, Tried: p.Tried})
	default:
		err = fmt.Errorf("flow: unknown part %q", p.Part)
	}
	return err
}
