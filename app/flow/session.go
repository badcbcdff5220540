// Package flow is the guest's move-in as a state machine in plain Go: the
// steps, what each requires, back and next, and the wipe on reset. The screens
// in package app render a Session and call its methods; tests drive it
// without a window.
package flow

import (
	"errors"
	"fmt"
	"strings"

	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/redact"
)

// Step is a screen of the guest flow.
type Step int

// The steps, in order.
const (
	StepAttract Step = iota
	StepFindBooking
	StepConfirmBooking
	StepDocumentType
	StepCapture
	StepDetails
	StepSignature
	StepSubmit
	StepDone
)

var stepNames = [...]string{"attract", "find-booking", "confirm-booking", "document-type", "capture", "details", "signature", "submit", "done"}

func (s Step) String() string {
	if s < 0 || int(s) >= len(stepNames) {
		return fmt.Sprintf("step(%d)", int(s))
	}
	return stepNames[s]
}

// ErrNotReady is returned by Next when the current step's requirement is not met.
var ErrNotReady = errors.New("flow: this step is not complete")

// DocType is a StoRegister document type with the sides to capture.
type DocType struct {
	ID    string
	Name  string
	Sides []string // "front", "back"
}

// Capture is one side of the document, ready for upload.
type Capture struct {
	Side        string
	JPEG        []byte
	Filename    string
	ContentType string
}

// Details are the document's fields for Mews.
type Details struct {
	Type           string // Mews type: Passport, IdentityCard, DriversLicense, Visa
	Number         string
	Expiry         string // YYYY-MM-DD
	IssuingCountry string // ISO 3166-1 alpha-2
	// Holder is the document's holder as its machine-readable zone reads
	// them; zero when no zone was read. The Mews customer is looked for by
	// this name and birth date when the booking's e-mail finds none.
	Holder Holder
}

// Holder is a document holder's name and birth date, read from the
// machine-readable zone. Personal data: never logged.
type Holder struct {
	Surname    string
	GivenNames string
	BirthDate  string // YYYY-MM-DD
}

// Session is one guest's visit. Methods are called from the UI goroutine.
type Session struct {
	step Step

	Booking  *storegister.Booking
	DocTypes []DocType

	docType  *DocType
	captures []Capture
	side     int

	// Details for Mews; MewsCustomerID empty with MewsSkip set when the
	// step is skipped (Mews not configured, no matching customer).
	Details        Details
	MewsCustomerID string
	MewsSkip       string // translation key of the reason, kept for staff
	// EmailLookupFailed says the lookup by the tenant's e-mail failed
	// (Mews unreachable or refusing), rather than finding no customer.
	EmailLookupFailed bool
	detailsDone       bool

	signature []byte
	// agreement is the SHA-256 (hex) of the agreement text shown when the
	// guest signed: the version they accepted.
	agreement string
	// zone is what the document's machine-readable zone check found.
	zone Zone
}

// Zone is the result of the machine-readable zone check, for the move-in
// record: whether one was read, whether every check digit held, and its
// format ("TD1", "TD2", "TD3"). No field of the zone itself.
type Zone struct {
	Read, Valid bool
	Format      string
}

// New returns a session on the attract screen.
func New() *Session { return &Session{} }

// Step returns the current step.
func (s *Session) Step() Step { return s.step }

// Start leaves the attract screen.
func (s *Session) Start() { s.step = StepFindBooking }

// SetBooking records the booking found and its document types; the flow
// moves on to the confirmation.
func (s *Session) SetBooking(b *storegister.Booking, types []DocType) {
	s.Booking, s.DocTypes = b, types
	redact.RegisterPersonal(s.personal()...)
	s.step = StepConfirmBooking
}

// ConfirmBooking accepts the booking shown.
func (s *Session) ConfirmBooking() error {
	if s.step != StepConfirmBooking || s.Booking == nil {
		return ErrNotReady
	}
	s.step = StepDocumentType
	return nil
}

// ChooseType picks the document type and starts capturing its first side.
func (s *Session) ChooseType(t DocType) error {
	if s.step != StepDocumentType {
		return ErrNotReady
	}
	if len(t.Sides) == 0 {
		t.Sides = []string{"front"}
	}
	wipeCaptures(s.captures)
	s.docType, s.captures, s.side = &t, make([]Capture, len(t.Sides)), 0
	s.step = StepCapture
	return nil
}

// DocType returns the chosen type, or nil.
func (s *Session) DocType() *DocType { return s.docType }

// Side returns the side being captured ("front", "back") and its index.
func (s *Session) Side() (string, int) {
	if s.docType == nil || s.side >= len(s.docType.Sides) {
		return "", s.side
	}
	return s.docType.Sides[s.side], s.side
}

// Captures returns the sides captured so far.
func (s *Session) Captures() []Capture { return s.captures }

// AddCapture stores the accepted photo of the current side and moves to the
// next side, or to the details step after the last one.
func (s *Session) AddCapture(c Capture) error {
	if s.step != StepCapture || s.docType == nil || s.side >= len(s.captures) {
		return ErrNotReady
	}
	if len(c.JPEG) == 0 {
		return fmt.Errorf("flow: empty photo")
	}
	wipe(s.captures[s.side].JPEG)
	c.Side = s.docType.Sides[s.side]
	s.captures[s.side] = c
	s.side++
	if s.side == len(s.captures) {
		s.step = StepDetails
	}
	return nil
}

// SetDetails records the document's details for Mews.
func (s *Session) SetDetails(d Details, customerID string) error {
	if s.step != StepDetails {
		return ErrNotReady
	}
	if strings.TrimSpace(d.Type) == "" {
		return fmt.Errorf("flow: document type missing")
	}
	s.Details, s.MewsCustomerID, s.MewsSkip, s.detailsDone = d, customerID, "", true
	redact.RegisterPersonal(s.personal()...)
	s.step = StepSignature
	return nil
}

// SkipDetails passes the details step, keeping why for staff.
func (s *Session) SkipDetails(reasonKey string) error {
	if s.step != StepDetails {
		return ErrNotReady
	}
	s.Details, s.MewsCustomerID, s.MewsSkip, s.detailsDone = Details{}, "", reasonKey, true
	s.step = StepSignature
	return nil
}

// SetSignature stores the signature PNG and moves to submit.
func (s *Session) SetSignature(png []byte) error {
	if s.step != StepSignature {
		return ErrNotReady
	}
	if len(png) == 0 {
		return fmt.Errorf("flow: empty signature")
	}
	wipe(s.signature)
	s.signature = png
	s.step = StepSubmit
	return nil
}

// SetAgreement records the SHA-256 (lower-case hex, as terms.Text.SHA256)
// of the agreement text the guest is shown on the signature step; the
// submission carries it, so the version accepted is known.
func (s *Session) SetAgreement(sha256Hex string) error {
	if s.step != StepSignature {
		return ErrNotReady
	}
	if !isSHA256Hex(sha256Hex) {
		return fmt.Errorf("flow: agreement digest %q is not a SHA-256", sha256Hex)
	}
	s.agreement = sha256Hex
	return nil
}

// Agreement returns the agreement digest recorded, or "".
func (s *Session) Agreement() string { return s.agreement }

// SetZone records what the machine-readable zone check found (the last
// read that passed, or Zone{} for none).
func (s *Session) SetZone(z Zone) { s.zone = z }

func isSHA256Hex(h string) bool {
	if len(h) != 64 {
		return false
	}
	for _, c := range h {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Back returns to the previous step. From capture it steps back a side
// first; from the first side, to the type choice.
func (s *Session) Back() {
	switch s.step {
	case StepFindBooking:
		s.Reset()
	case StepConfirmBooking:
		s.Booking, s.DocTypes = nil, nil
		s.step = StepFindBooking
	case StepDocumentType:
		s.step = StepConfirmBooking
	case StepCapture:
		if s.side > 0 {
			s.side--
			wipe(s.captures[s.side].JPEG)
			s.captures[s.side] = Capture{}
			return
		}
		s.step = StepDocumentType
	case StepDetails:
		s.side = len(s.captures) - 1
		wipe(s.captures[s.side].JPEG)
		s.captures[s.side] = Capture{}
		s.step = StepCapture
	case StepSignature:
		s.detailsDone = false
		s.step = StepDetails
	}
}

// Submission hands the session's data over to a submission and moves to the
// submit step. The submission owns the data from then on: a reset of the
// session while it runs does not touch it.
func (s *Session) Submission() (*Submission, error) {
	if s.step != StepSubmit || s.Booking == nil || s.docType == nil || s.signature == nil || !s.detailsDone || s.agreement == "" {
		return nil, ErrNotReady
	}
	for _, c := range s.captures {
		if len(c.JPEG) == 0 {
			return nil, ErrNotReady
		}
	}
	t := s.Booking.Tenant
	sub := &Submission{
		BookingID:         s.Booking.ID,
		TypeID:            s.docType.ID,
		Captures:          s.captures,
		Signature:         s.signature,
		Details:           s.Details,
		MewsCustomerID:    s.MewsCustomerID,
		Tenant:            Name{First: t.FirstName.Reveal(), Last: t.LastName.Reveal()},
		TenantHasEmail:    strings.TrimSpace(t.Email.Reveal()) != "",
		EmailLookupFailed: s.EmailLookupFailed,
		Agreement:         s.agreement,
		Zone:              s.zone,
	}
	// The session lets go of the data without wiping it: it is the submission's now.
	s.captures, s.signature = nil, nil
	return sub, nil
}

// Done moves to the done step.
func (s *Session) Done() { s.step = StepDone }

// Reset wipes everything personal and returns to the attract screen. Image
// and signature buffers are overwritten, not just dropped.
func (s *Session) Reset() {
	redact.ForgetPersonal(s.personal()...)
	wipeCaptures(s.captures)
	wipe(s.signature)
	*s = Session{}
}

// personal lists the guest's personal values the session holds. While the
// guest is at the kiosk they are registered with redact, so a server's
// message that echoes one (a Mews error naming the customer) is scrubbed
// before it reaches a log; Reset forgets them.
func (s *Session) personal() []string {
	var out, names []string
	if b := s.Booking; b != nil {
		t := b.Tenant
		names = append(names, t.FirstName.Reveal(), t.LastName.Reveal())
		out = append(out, t.Email.Reveal(), t.Phone.Reveal(), t.Address.Reveal(), t.City.Reveal(), t.PostalCode.Reveal())
	}
	d := s.Details
	names = append(names, d.Holder.Surname, d.Holder.GivenNames)
	out = append(out, d.Number, d.Holder.BirthDate)
	for _, n := range names {
		// The whole name and each word of it: a message may say "Maria" alone.
		out = append(out, n)
		if w := strings.Fields(n); len(w) > 1 {
			out = append(out, w...)
		}
	}
	return out
}

func wipeCaptures(cs []Capture) {
	for i := range cs {
		wipe(cs[i].JPEG)
		cs[i] = Capture{}
	}
}

func wipe(b []byte) { clear(b) }

// MaskName shows a name as its initials followed by stars: "J*** D***".
func MaskName(parts ...redact.Personal) string {
	var out []string
	for _, p := range parts {
		for _, w := range strings.Fields(p.Reveal()) {
			r := []rune(w)
			out = append(out, string(r[0])+"***")
		}
	}
	return strings.Join(out, " ")
}

// NormalizeBookingID accepts a booking reference as typed or scanned — a
// GUID with or without dashes, any case, or a URL containing one — and
// returns the canonical lower-case dashed GUID.
func NormalizeBookingID(s string) (string, bool) {
	hex := make([]byte, 0, 32)
	best := ""
	flush := func() {
		if len(hex) == 32 && best == "" {
			h := string(hex)
			best = h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
		}
		hex = hex[:0]
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f'):
			if len(hex) < 33 {
				hex = append(hex, byte(r))
			}
		case r == '-' || r == ' ':
			// separators inside a GUID
		default:
			flush()
		}
	}
	flush()
	return best, best != ""
}
