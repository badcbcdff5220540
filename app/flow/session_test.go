package flow

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/redact"
)

var booking = &storegister.Booking{ID: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
	Tenant: storegister.Tenant{FirstName: "Anna Maria", LastName: "Eriksson", Email: "anna@example.com"}}

var idCard = DocType{ID: "1c7b2d7f-2a1f-4d9f-8e2b-3c4d5e6f7081", Name: "Identity card", Sides: []string{"front", "back"}}

// agreementSHA is the digest of an agreement text the tests "show".
const agreementSHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

// walk takes a session from attract to submit with an identity card.
func walk(t *testing.T) (*Session, [][]byte) {
	t.Helper()
	s := New()
	s.Start()
	s.SetBooking(booking, []DocType{idCard})
	must(t, s.ConfirmBooking())
	must(t, s.ChooseType(idCard))
	imgs := [][]byte{bytes.Repeat([]byte{0xAA}, 64), bytes.Repeat([]byte{0xBB}, 64)}
	must(t, s.AddCapture(Capture{JPEG: imgs[0], Filename: "identity-card-front.jpg", ContentType: "image/jpeg"}))
	if side, i := s.Side(); side != "back" || i != 1 || s.Step() != StepCapture {
		t.Fatalf("after front: side %q %d, step %v", side, i, s.Step())
	}
	must(t, s.AddCapture(Capture{JPEG: imgs[1], Filename: "identity-card-back.jpg", ContentType: "image/jpeg"}))
	must(t, s.SetDetails(Details{Type: "IdentityCard", Number: "D23145890", Expiry: "2034-12-15", IssuingCountry: "UT"}, "cust-1"))
	must(t, s.SetAgreement(agreementSHA))
	must(t, s.SetSignature([]byte("\x89PNG signature")))
	if s.Step() != StepSubmit {
		t.Fatalf("step %v, want submit", s.Step())
	}
	return s, imgs
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestTransitions(t *testing.T) {
	s, _ := walk(t)
	want := []Step{StepSignature, StepDetails, StepCapture, StepCapture, StepDocumentType, StepConfirmBooking, StepFindBooking, StepAttract}
	s.step = StepSignature
	for i, w := range want {
		if s.Step() != w {
			t.Fatalf("back #%d: step %v, want %v", i, s.Step(), w)
		}
		s.Back()
	}
	if s.Booking != nil || s.Captures() != nil {
		t.Error("backing out to attract kept data")
	}
}

func TestStepsRefuseOutOfOrder(t *testing.T) {
	s := New()
	if s.ConfirmBooking() == nil || s.ChooseType(idCard) == nil || s.AddCapture(Capture{JPEG: []byte{1}}) == nil ||
		s.SetDetails(Details{Type: "Passport"}, "") == nil || s.SkipDetails("x") == nil || s.SetSignature([]byte{1}) == nil {
		t.Error("a step accepted input on the attract screen")
	}
	if _, err := s.Submission(); !errors.Is(err, ErrNotReady) {
		t.Errorf("Submission on attract: %v", err)
	}
	s.Start()
	s.SetBooking(booking, nil)
	must(t, s.ConfirmBooking())
	must(t, s.ChooseType(DocType{ID: "x", Name: "Passport"}))
	if err := s.AddCapture(Capture{}); err == nil {
		t.Error("empty photo accepted")
	}
	must(t, s.AddCapture(Capture{JPEG: []byte{1}}))
	if s.Step() != StepDetails {
		t.Errorf("one-sided type: step %v after one photo", s.Step())
	}
	if err := s.SetDetails(Details{}, ""); err == nil {
		t.Error("details without a type accepted")
	}
	must(t, s.SkipDetails("mews.skip.not_configured"))
	if s.MewsSkip != "mews.skip.not_configured" || s.Step() != StepSignature {
		t.Errorf("skip: %q %v", s.MewsSkip, s.Step())
	}
	if err := s.SetSignature(nil); err == nil {
		t.Error("empty signature accepted")
	}
}

func TestResetWipes(t *testing.T) {
	s, imgs := walk(t)
	s.Reset()
	for _, img := range imgs {
		if !bytes.Equal(img, make([]byte, len(img))) {
			t.Errorf("image buffer not overwritten: % x", img[:4])
		}
	}
	if s.Step() != StepAttract || s.Booking != nil || s.Details != (Details{}) || s.MewsCustomerID != "" || s.signature != nil {
		t.Errorf("reset left %+v", s)
	}
}

// fakeBooking records what it receives; block, when set, holds SaveSignature
// until the context ends, like a slow network.
type fakeBooking struct {
	mu      sync.Mutex
	images  [][]byte
	sigs    [][]byte
	fail    error // returned by SaveIdentityDocument when set
	block   bool
	started chan struct{}
}

func (f *fakeBooking) Booking(context.Context, string) (*storegister.Booking, error) {
	return booking, nil
}
func (f *fakeBooking) IdentityDocumentTypes(context.Context, string) ([]storegister.DocumentType, error) {
	return nil, nil
}
func (f *fakeBooking) SaveIdentityDocument(ctx context.Context, _ string, d storegister.IdentityDocument) (string, error) {
	if f.fail != nil {
		return "", f.fail
	}
	b, _ := io.ReadAll(d.Body)
	d.Progress(int64(len(b)))
	f.mu.Lock()
	defer f.mu.Unlock()
	f.images = append(f.images, b)
	return "img-ref", nil
}
func (f *fakeBooking) SaveSignature(ctx context.Context, _ string, png []byte) (string, error) {
	if f.block {
		close(f.started)
		<-ctx.Done()
		return "", ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sigs = append(f.sigs, bytes.Clone(png))
	return "sig-ref", nil
}

type fakeQueue struct{ got []Pending }

func (q *fakeQueue) Enqueue(ctx context.Context, p Pending) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	q.got = append(q.got, p)
	return nil
}

type fakeMews struct{ recorded []Details }

func (m *fakeMews) FindCustomerByEmail(context.Context, string) (string, error) { return "cust-1", nil }
func (m *fakeMews) Record(_ context.Context, _ string, d Details) (string, bool, error) {
	m.recorded = append(m.recorded, d)
	return "doc-1", false, nil
}

func TestSubmitSendsEverything(t *testing.T) {
	s, _ := walk(t)
	sub, err := s.Submission()
	must(t, err)
	fb, fm := &fakeBooking{}, &fakeMews{}
	sig, front := sub.Signature, sub.Captures[0].JPEG
	var last Progress
	res, err := sub.Run(context.Background(), Services{Booking: fb, Mews: fm}, func(p Progress) { last = p })
	must(t, err)
	if len(fb.images) != 2 || len(fb.sigs) != 1 || len(fm.recorded) != 1 || fm.recorded[0].Number != "D23145890" {
		t.Fatalf("sent %d images, %d signatures, mews %v", len(fb.images), len(fb.sigs), fm.recorded)
	}
	if res.SignatureRef != "sig-ref" || len(res.ImageRefs) != 2 || res.MewsID != "doc-1" || len(res.Queued) != 0 {
		t.Errorf("result %+v", res)
	}
	if last.Index != last.Count {
		t.Errorf("last progress %+v is not complete", last)
	}
	if sig[0] != 0 || front[0] != 0 {
		t.Error("submission buffers not wiped after Run")
	}
}

func TestSubmitPermanentRefusal(t *testing.T) {
	s, _ := walk(t)
	sub, _ := s.Submission()
	apiErr := &storegister.APIError{HTTPStatus: 200, Codes: []storegister.Code{storegister.CodeInvalidDocumentFileData}}
	q := &fakeQueue{}
	_, err := sub.Run(context.Background(), Services{Booking: &fakeBooking{fail: apiErr}, Queue: q}, nil)
	var pe *PermanentError
	if !errors.As(err, &pe) || pe.Key != "error.storegister.INVALID_DOCUMENT_FILE_DATA" {
		t.Fatalf("err = %v", err)
	}
	if len(q.got) != 0 {
		t.Errorf("a refused submission was queued: %d parts", len(q.got))
	}
}

// An idle reset while the signature is uploading: the upload is cancelled,
// the parts not yet confirmed go to the queue, and the session keeps nothing.
func TestIdleResetDuringUpload(t *testing.T) {
	s, imgs := walk(t)
	sub, err := s.Submission()
	must(t, err)
	s.Reset() // the guest's session is wiped at once...
	if s.Booking != nil || s.Captures() != nil || s.signature != nil {
		t.Fatal("session kept personal data after reset")
	}
	if imgs[0][0] != 0xAA {
		t.Fatal("reset wiped data the submission owns")
	}
	fb := &fakeBooking{block: true, started: make(chan struct{})}
	q := &fakeQueue{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var res Result
	go func() {
		var err error
		res, err = sub.Run(ctx, Services{Booking: fb, Mews: &fakeMews{}, Queue: q}, nil)
		done <- err
	}()
	<-fb.started
	cancel() // ...and the reset cancels the work in flight.
	if err := <-done; err != nil {
		t.Fatalf("Run after cancel: %v", err)
	}
	if len(fb.images) != 2 {
		t.Errorf("images confirmed before the reset: %d", len(fb.images))
	}
	var parts []Part
	for _, p := range q.got {
		parts = append(parts, p.Part)
	}
	if len(parts) != 2 || parts[0] != PartSignature || parts[1] != PartMews {
		t.Fatalf("queued %v, want signature then mews", parts)
	}
	if string(q.got[0].Signature) != "\x89PNG signature" || q.got[1].Details.Number != "D23145890" {
		t.Error("queued parts lost their data")
	}
	if len(res.Queued) != 2 {
		t.Errorf("result.Queued = %v", res.Queued)
	}
}

func TestSubmitNotKeptWithoutQueue(t *testing.T) {
	s, _ := walk(t)
	sub, _ := s.Submission()
	_, err := sub.Run(context.Background(), Services{Booking: &fakeBooking{fail: io.ErrUnexpectedEOF}}, nil)
	if !errors.Is(err, ErrNotKept) {
		t.Fatalf("err = %v, want ErrNotKept", err)
	}
}

func TestMaskName(t *testing.T) {
	if got := MaskName(redact.Personal("Anna Maria"), redact.Personal("Eriksson")); got != "A*** M*** E***" {
		t.Errorf("MaskName = %q", got)
	}
	if got := MaskName(redact.Personal("Sofía"), redact.Personal("")); got != "S***" {
		t.Errorf("MaskName = %q", got)
	}
}

func TestNormalizeBookingID(t *testing.T) {
	const want = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	for _, in := range []string{want, "7C9E6679742540DE944BE07FC1F90AE7", " 7c9e6679 7425 40de 944b e07fc1f90ae7 ",
		"https://book.example.com/move-in?booking=" + want, "{7C9E6679-7425-40DE-944B-E07FC1F90AE7}"} {
		if got, ok := NormalizeBookingID(in); !ok || got != want {
			t.Errorf("NormalizeBookingID(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "7c9e6679-7425-40de-944b", "7c9e6679-7425-40de-944b-e07fc1f90ae7a", "hello"} {
		if got, ok := NormalizeBookingID(in); ok {
			t.Errorf("NormalizeBookingID(%q) = %q, want none", in, got)
		}
	}
}

func FuzzNormalizeBookingID(f *testing.F) {
	f.Add("https://book.example.com/move-in?booking=7c9e6679-7425-40de-944b-e07fc1f90ae7")
	f.Add("7C9E6679742540DE944BE07FC1F90AE7")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeBookingID(s)
		if ok {
			if again, ok2 := NormalizeBookingID(got); !ok2 || again != got || len(got) != 36 {
				t.Fatalf("%q → %q → %q", s, got, again)
			}
		}
	})
}

// TestPersonalValuesScrubbedWhileTheGuestIsThere: while a guest is at the
// kiosk, a server message that echoes their name, e-mail or document number
// is scrubbed before it can reach a log; once the session is reset, the
// kiosk no longer holds those values.
func TestPersonalValuesScrubbedWhileTheGuestIsThere(t *testing.T) {
	msg := "Customer Maria Eriksson (anna@example.com) already has document D23145890."
	s, _ := walk(t)
	got := redact.String(msg)
	for _, v := range []string{"Maria", "Eriksson", "anna@example.com", "D23145890"} {
		if bytes.Contains([]byte(got), []byte(v)) {
			t.Errorf("%q left in %q", v, got)
		}
	}
	if !bytes.Contains([]byte(got), []byte("already has document")) {
		t.Errorf("scrubbed too much: %q", got)
	}
	s.Reset()
	if got := redact.String(msg); got != msg {
		t.Errorf("after Reset the values are still registered: %q", got)
	}
}

// TestSubmissionCarriesTheAgreement: the digest of the agreement shown
// travels with the submission into its result and into the queued
// signature; a signature without one is not submitted.
func TestSubmissionCarriesTheAgreement(t *testing.T) {
	s, imgs := walk(t)
	front, back := sha256.Sum256(imgs[0]), sha256.Sum256(imgs[1])
	sig := sha256.Sum256([]byte("\x89PNG signature"))
	s.SetZone(Zone{Read: true, Valid: true, Format: "TD1"})
	sub, err := s.Submission()
	must(t, err)
	if sub.Agreement != agreementSHA {
		t.Fatalf("submission agreement %q", sub.Agreement)
	}
	q := &fakeQueue{}
	res, err := sub.Run(context.Background(), Services{Booking: &fakeBooking{fail: errors.New("connection refused")}, Queue: q}, nil)
	must(t, err)
	want := Digests{Signature: sig, Agreement: agreementSHA,
		Images: []ImageDigest{{Side: "front", SHA256: front}, {Side: "back", SHA256: back}}}
	if d := cmp.Diff(want, res.Digests); d != "" {
		t.Errorf("digests (-want +got):\n%s", d)
	}
	if res.Zone != (Zone{Read: true, Valid: true, Format: "TD1"}) {
		t.Errorf("zone %+v", res.Zone)
	}
	var queuedSig *Pending
	for i, p := range q.got {
		if p.Part == PartSignature {
			queuedSig = &q.got[i]
		}
	}
	if queuedSig == nil || queuedSig.Agreement != agreementSHA {
		t.Errorf("queued signature %+v does not carry the agreement", queuedSig)
	}

	s2 := New()
	s2.Start()
	s2.SetBooking(booking, nil)
	must(t, s2.ConfirmBooking())
	must(t, s2.ChooseType(DocType{ID: "x", Name: "Passport"}))
	must(t, s2.AddCapture(Capture{JPEG: []byte{1}}))
	must(t, s2.SkipDetails("x"))
	if err := s2.SetAgreement("not a digest"); err == nil {
		t.Error("a malformed agreement digest accepted")
	}
	must(t, s2.SetSignature([]byte{1}))
	if _, err := s2.Submission(); !errors.Is(err, ErrNotReady) {
		t.Errorf("submission without an agreement shown: %v", err)
	}
}
