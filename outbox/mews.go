package outbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

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

// mewsAdds makes each look-then-add of a MewsDeliverer one step in the
// process (one queue a process: the queue's lock keeps others out).
var mewsAdds sync.Mutex

// KindMewsNeedsStaff is a guest's Mews identity document for which no
// customer could be chosen (MewsNeedsStaffPayload). MewsDeliverer looks
// for the customer once more by name and birth date; when it still finds
// no single exact match the item goes to the dead-letter list with a code
// starting "needs_staff", which the staff console's health view shows. Once
// staff have created or corrected the customer in Mews, a retry of the
// item delivers it.
const KindMewsNeedsStaff Kind = "mews.needs-staff"

// The codes a needs-staff item is parked with.
const (
	// CodeNeedsStaffNoCustomer: no customer has the holder's name and birth date.
	CodeNeedsStaffNoCustomer = "needs_staff_no_customer"
	// CodeNeedsStaffAmbiguous: several customers have them.
	CodeNeedsStaffAmbiguous = "needs_staff_ambiguous"
	// CodeNeedsStaffNoIdentity: no name and birth date were read from the
	// document, so only staff can tell who the guest is.
	CodeNeedsStaffNoIdentity = "needs_staff_no_identity"
)

// NeedsStaff reports whether a dead item's code means it waits for staff
// to choose the Mews customer.
func NeedsStaff(code string) bool { return strings.HasPrefix(code, "needs_staff") }

// MewsNeedsStaffPayload is a Mews identity document waiting for its
// customer (KindMewsNeedsStaff): the document without a CustomerID, who the
// guest is, and what the kiosk tried (no personal data in Tried).
type MewsNeedsStaffPayload struct {
	BookingID string           `json:"booking_id"`
	Document  mews.Document    `json:"document"`
	Person    mews.PersonQuery `json:"person"`
	Tried     string           `json:"tried"`
}

// EnqueueMewsNeedsStaff keeps a Mews record for staff, encrypted like every
// item.
func (o *Outbox) EnqueueMewsNeedsStaff(ctx context.Context, p MewsNeedsStaffPayload) (string, error) {
	if p.Document.Type == "" {
		return "", fmt.Errorf("%w: a Mews record needs a document type", ErrBadPayload)
	}
	p.Document.CustomerID = ""
	return o.enqueueJSON(ctx, KindMewsNeedsStaff, p)
}

// needsStaffError parks an item for staff with its code.
type needsStaffError struct{ code string }

func (e *needsStaffError) Error() string {
	return "outbox: no single Mews customer matches the guest (" + e.code + "); staff must choose the customer"
}

// Deliver adds or updates the item's document; for KindMewsNeedsStaff it
// first looks for the customer.
func (d MewsDeliverer) Deliver(ctx context.Context, it Item) error {
	if it.Kind == KindMewsNeedsStaff {
		return d.deliverNeedsStaff(ctx, it)
	}
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
	// The look and the add are one step: with more than one worker, two
	// items of the same document (one written by a kiosk that died before
	// telling the guest, and the one the guest's retry wrote) would each
	// look before the other added, and Mews would hold two copies.
	mewsAdds.Lock()
	defer mewsAdds.Unlock()
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

func (d MewsDeliverer) deliverNeedsStaff(ctx context.Context, it Item) error {
	var p MewsNeedsStaffPayload
	if err := decodePayload(it, &p); err != nil {
		return err
	}
	if p.Document.Type == "" {
		return fmt.Errorf("%w: a Mews record needs a document type", ErrBadPayload)
	}
	if p.Person.BirthDate.IsZero() || len(p.Person.Names) == 0 {
		return &needsStaffError{CodeNeedsStaffNoIdentity}
	}
	c, ok, m, err := d.Client.Customers.FindPerson(ctx, p.Person)
	switch {
	case err != nil:
		return err
	case !ok && m.Exact > 1:
		return &needsStaffError{CodeNeedsStaffAmbiguous}
	case !ok:
		return &needsStaffError{CodeNeedsStaffNoCustomer}
	}
	doc := p.Document
	doc.CustomerID = c.ID
	_, _, err = d.Client.Documents.Upsert(ctx, doc)
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
	var ns *needsStaffError
	if errors.As(err, &ns) {
		return Verdict{Class: Permanent, Code: ns.code}
	}
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
