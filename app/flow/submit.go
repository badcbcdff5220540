package flow

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/client/storegister"
)

// BookingService is what the flow needs from StoRegister;
// *storegister.Client satisfies it.
type BookingService interface {
	Booking(ctx context.Context, bookingID string) (*storegister.Booking, error)
	IdentityDocumentTypes(ctx context.Context, bookingID string) ([]storegister.DocumentType, error)
	SaveIdentityDocument(ctx context.Context, bookingID string, doc storegister.IdentityDocument) (string, error)
	SaveSignature(ctx context.Context, bookingID string, png []byte) (string, error)
}

// IdentityRecorder records the document in the property-management system.
type IdentityRecorder interface {
	// FindCustomerByEmail returns the id of the customer with that email,
	// or "" when there is none.
	FindCustomerByEmail(ctx context.Context, email string) (string, error)
	// Record adds the document to the customer, or updates the customer's
	// document of the same type; it returns the document id.
	Record(ctx context.Context, customerID string, d Details) (id string, updated bool, err error)
}

// PersonFinder finds the Mews customer by the document holder's name and
// birth date, when the booking's e-mail found none (or there was none).
// An IdentityRecorder may implement it; MewsRecorder does.
type PersonFinder interface {
	// FindCustomerByPerson returns the id of the one customer whose name
	// and birth date match p exactly, or "" when none or several do. tried
	// says which lookups were made and how many candidates each returned,
	// without personal data, for the log.
	FindCustomerByPerson(ctx context.Context, p Person) (id, tried string, err error)
}

// Name is a person's first and last name. Personal data: never logged.
type Name struct{ First, Last string }

// Person is who a Mews customer is looked for as: the names known for them
// (the document's, then the booking's) and the document's birth date.
type Person struct {
	Names     []Name
	BirthDate string // YYYY-MM-DD
}

// Part names one piece of a submission, for the outbox and for progress.
type Part string

// The parts of a submission, in the order they are sent.
const (
	PartImage     Part = "storegister.identity-document"
	PartSignature Part = "storegister.signature"
	PartMews      Part = "mews.identity-document"
	// PartMewsStaff is the Mews record when no customer could be chosen:
	// it is kept, encrypted, for staff to attach to the right customer.
	PartMewsStaff Part = "mews.needs-staff"
)

// Pending is a part that could not be sent now and is handed to the queue.
type Pending struct {
	Part      Part
	BookingID string
	TypeID    string
	Capture   Capture // PartImage
	Signature []byte  // PartSignature
	// Agreement is the SHA-256 (hex) of the agreement text shown with the
	// signature (PartSignature).
	Agreement      string
	Details        Details // PartMews, PartMewsStaff
	MewsCustomerID string
	// Person and Tried are for PartMewsStaff: who the customer is (for a
	// later lookup by staff or a retry) and what the kiosk tried.
	Person Person
	Tried  string
}

// Queue keeps parts that could not be sent yet and sends them later.
type Queue interface {
	Enqueue(ctx context.Context, p Pending) error
}

// Services are the submission's remote sides. Mews and Queue may be nil.
type Services struct {
	Booking BookingService
	Mews    IdentityRecorder
	Queue   Queue
}

// Progress reports a submission's advance: part Index of Count, and for an
// image the bytes sent of Total.
type Progress struct {
	Part        Part
	Index       int
	Count       int
	Sent, Total int64
}

// Result is what the guest is shown on the done screen, and staff in the log.
type Result struct {
	// BookingID is the booking the move-in was for.
	BookingID    string
	ImageRefs    []string
	SignatureRef string
	MewsID       string
	MewsUpdated  bool
	// Queued lists the parts handed to the outbox, to be sent later.
	Queued []Part
	// MewsProblem is the reason the Mews record was not made, for staff
	// (a 403 message as Mews wrote it); the guest's move-in is unaffected.
	MewsProblem string
	// MewsLookup says how the Mews customer was looked for when the
	// session did not bring one (which lookups, how many candidates), and
	// MewsNeedsStaff that none could be chosen, so the record was queued
	// for staff. Neither holds personal data.
	MewsLookup     string
	MewsNeedsStaff bool
	// Digests are the SHA-256 of what was submitted, for the move-in
	// record (internal/audit): never the bytes themselves.
	Digests Digests
	// Zone is the machine-readable zone check of the document.
	Zone Zone
}

// Digests fingerprint a submission: the signature PNG and each ID image as
// sent, and the agreement text shown (hex, as terms.Text.SHA256).
type Digests struct {
	Signature [sha256.Size]byte
	Images    []ImageDigest
	Agreement string
}

// ImageDigest is the SHA-256 of one side's image.
type ImageDigest struct {
	Side   string
	SHA256 [sha256.Size]byte
}

// PermanentError is a refusal the guest cannot fix by waiting: the kiosk
// shows the sentence for Key and asks them to see staff.
type PermanentError struct {
	Key string // translation key of the sentence
	Err error
}

func (e *PermanentError) Error() string { return "flow: refused: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// ErrNotKept means a part could neither be sent nor queued.
var ErrNotKept = errors.New("flow: submission could not be sent or kept")

// Submission is the data of one accepted move-in, owned by whoever runs it.
type Submission struct {
	BookingID      string
	TypeID         string
	Captures       []Capture
	Signature      []byte
	Details        Details
	MewsCustomerID string
	// Tenant is the booking's tenant name; TenantHasEmail says whether the
	// booking carried an e-mail (the customer is looked for by it first).
	Tenant         Name
	TenantHasEmail bool
	// EmailLookupFailed: the lookup by e-mail failed rather than finding
	// no single customer.
	EmailLookupFailed bool
	// Agreement is the SHA-256 (hex) of the agreement text the guest was
	// shown when signing; it travels with the signature, also through the
	// outbox.
	Agreement string
	// Zone is the machine-readable zone check, for the move-in record.
	Zone Zone

	needsStaff bool // no customer could be chosen: queue PartMewsStaff
	tried      string
}

// resolveTimeout bounds looking for the Mews customer by name and birth date.
const resolveTimeout = 20 * time.Second

// enqueueTimeout bounds the local write of queued parts after the request
// context has ended (an idle reset cancels the upload, not the hand-off).
const enqueueTimeout = 10 * time.Second

// Run sends the images, then the signature, then the Mews record. A
// permanent refusal stops it with a *PermanentError. A transient failure or
// a cancelled ctx (an idle reset) hands every part not yet confirmed to the
// queue, so nothing accepted is lost; only if that fails too is ErrNotKept
// returned. Run wipes the submission's buffers before it returns.
func (sub *Submission) Run(ctx context.Context, svc Services, progress func(Progress)) (Result, error) {
	defer sub.Wipe()
	res := Result{BookingID: sub.BookingID, Digests: sub.digests(), Zone: sub.Zone}
	if progress == nil {
		progress = func(Progress) {}
	}
	if svc.Mews != nil && sub.MewsCustomerID == "" && sub.Details.Type != "" {
		sub.resolve(ctx, svc)
		res.MewsLookup, res.MewsNeedsStaff = sub.tried, sub.needsStaff
	}
	mews := sub.MewsCustomerID != "" && svc.Mews != nil
	count := len(sub.Captures) + 1
	if mews || sub.needsStaff {
		count++
	}

	for i, c := range sub.Captures {
		total := int64(len(c.JPEG))
		progress(Progress{Part: PartImage, Index: i, Count: count, Total: total})
		ref, err := svc.Booking.SaveIdentityDocument(ctx, sub.BookingID, storegister.IdentityDocument{
			TypeID: sub.TypeID, Filename: c.Filename, ContentType: c.ContentType,
			Body: bytes.NewReader(c.JPEG),
			Progress: func(sent int64) {
				progress(Progress{Part: PartImage, Index: i, Count: count, Sent: sent, Total: total})
			},
		})
		if err != nil {
			return res, sub.fail(ctx, svc, &res, err, i)
		}
		res.ImageRefs = append(res.ImageRefs, ref)
	}

	progress(Progress{Part: PartSignature, Index: len(sub.Captures), Count: count})
	ref, err := svc.Booking.SaveSignature(ctx, sub.BookingID, sub.Signature)
	if err != nil {
		return res, sub.fail(ctx, svc, &res, err, len(sub.Captures))
	}
	res.SignatureRef = ref

	if mews {
		progress(Progress{Part: PartMews, Index: count - 1, Count: count})
		id, updated, err := svc.Mews.Record(ctx, sub.MewsCustomerID, sub.Details)
		switch {
		case err == nil:
			res.MewsID, res.MewsUpdated = id, updated
		case isPermanent(err):
			// StoRegister has everything; Mews refused. Staff see why.
			res.MewsProblem = err.Error()
		default:
			if qerr := sub.queue(ctx, svc, &res, []Pending{sub.mewsPending()}); qerr != nil {
				res.MewsProblem = err.Error()
			}
		}
	}
	if sub.needsStaff {
		progress(Progress{Part: PartMewsStaff, Index: count - 1, Count: count})
		if qerr := sub.queue(ctx, svc, &res, []Pending{sub.staffPending()}); qerr != nil {
			res.MewsProblem = "no Mews customer could be chosen, and the record could not be kept for staff: " + qerr.Error()
		}
	}
	progress(Progress{Part: PartMews, Index: count, Count: count})
	return res, nil
}

// resolve looks for the Mews customer by the holder's name and birth date
// (the booking had no e-mail, or no single customer had it). On success it
// sets MewsCustomerID; otherwise the record is for staff. Either way tried
// says what happened.
func (sub *Submission) resolve(ctx context.Context, svc Services) {
	email := "booking has no e-mail, so no lookup by e-mail"
	switch {
	case sub.EmailLookupFailed:
		email = "customers/getAll by e-mail failed (Mews unreachable or refusing)"
	case sub.TenantHasEmail:
		email = "customers/getAll by e-mail: no single customer"
	}
	sub.needsStaff = true
	pf, ok := svc.Mews.(PersonFinder)
	p := sub.person()
	switch {
	case !ok:
		sub.tried = email + "; lookup by name and birth date not available"
		return
	case p.BirthDate == "" || len(p.Names) == 0:
		sub.tried = email + "; no name and birth date read from the document, so no lookup by them"
		return
	}
	rctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	id, tried, err := pf.FindCustomerByPerson(rctx, p)
	sub.tried = email + "; " + tried
	switch {
	case err != nil && isPermanent(err):
		sub.tried += "; lookup refused by Mews"
	case err != nil:
		sub.tried += "; lookup failed (Mews unreachable or busy)"
	case id == "":
		sub.tried += "; no single exact match"
	default:
		sub.MewsCustomerID, sub.needsStaff = id, false
		sub.tried += "; customer chosen by name and birth date"
	}
}

// person is who the customer is looked for as: the document holder's name,
// then the booking's, with the document's birth date.
func (sub *Submission) person() Person {
	var p Person
	h := sub.Details.Holder
	if strings.TrimSpace(h.Surname) != "" {
		p.Names = append(p.Names, Name{First: h.GivenNames, Last: h.Surname})
	}
	if strings.TrimSpace(sub.Tenant.Last) != "" {
		p.Names = append(p.Names, sub.Tenant)
	}
	p.BirthDate = h.BirthDate
	return p
}

// digests fingerprints the signature and images before they are sent
// (Run wipes them afterwards).
func (sub *Submission) digests() Digests {
	d := Digests{Signature: sha256.Sum256(sub.Signature), Agreement: sub.Agreement}
	for _, c := range sub.Captures {
		d.Images = append(d.Images, ImageDigest{Side: c.Side, SHA256: sha256.Sum256(c.JPEG)})
	}
	return d
}

func (sub *Submission) staffPending() Pending {
	return Pending{Part: PartMewsStaff, BookingID: sub.BookingID, Details: sub.Details, Person: sub.person(), Tried: sub.tried}
}

// fail handles a StoRegister error at part index from (images first, then
// the signature at len(Captures)).
func (sub *Submission) fail(ctx context.Context, svc Services, res *Result, err error, from int) error {
	if isPermanent(err) && ctx.Err() == nil {
		return &PermanentError{Key: storegister.TranslationKey(err), Err: err}
	}
	var pend []Pending
	for i := from; i < len(sub.Captures); i++ {
		pend = append(pend, Pending{Part: PartImage, BookingID: sub.BookingID, TypeID: sub.TypeID, Capture: clone(sub.Captures[i])})
	}
	if from <= len(sub.Captures) {
		pend = append(pend, Pending{Part: PartSignature, BookingID: sub.BookingID, Signature: bytes.Clone(sub.Signature),
			Agreement: sub.Agreement})
	}
	switch {
	case sub.MewsCustomerID != "" && svc.Mews != nil:
		pend = append(pend, sub.mewsPending())
	case sub.needsStaff && svc.Mews != nil:
		pend = append(pend, sub.staffPending())
	}
	if qerr := sub.queue(ctx, svc, res, pend); qerr != nil {
		return fmt.Errorf("%w: %v; %v", ErrNotKept, err, qerr)
	}
	return nil
}

func (sub *Submission) mewsPending() Pending {
	return Pending{Part: PartMews, BookingID: sub.BookingID, Details: sub.Details, MewsCustomerID: sub.MewsCustomerID}
}

func (sub *Submission) queue(ctx context.Context, svc Services, res *Result, pend []Pending) error {
	if svc.Queue == nil {
		return errors.New("no outbox configured")
	}
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), enqueueTimeout)
	defer cancel()
	for _, p := range pend {
		if err := svc.Queue.Enqueue(qctx, p); err != nil {
			return err
		}
		res.Queued = append(res.Queued, p.Part)
	}
	return nil
}

// Wipe overwrites the images and the signature.
func (sub *Submission) Wipe() {
	wipeCaptures(sub.Captures)
	wipe(sub.Signature)
	sub.Details = Details{}
}

func clone(c Capture) Capture { c.JPEG = bytes.Clone(c.JPEG); return c }

// isPermanent reports whether err is a refusal that retrying will not fix.
func isPermanent(err error) bool {
	var p interface{ Permanent() bool }
	if errors.As(err, &p) {
		return p.Permanent()
	}
	var t interface{ Transient() bool }
	if errors.As(err, &t) {
		return !t.Transient()
	}
	return false // unknown: treat as transient, so the part is queued, not lost
}
