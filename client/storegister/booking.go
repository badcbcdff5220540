package storegister

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path"
	"strings"

	"github.com/signet-kiosk/signet/internal/redact"
)

// Booking is a booking as the activity-quotation preview returns it.
//
// The preview's field names are not documented. UnmarshalJSON reads them
// leniently: StoRegister's own vocabulary (contactBookInfo or contactBook
// with emailId or email and phoneNumber, propertyInfo, storageInfo with a
// numeric size, moveInDate as a date or an RFC 3339 time) and the generic
// one (tenant, property, unit) alike, with keys in any case; fields it does
// not know are ignored. What is absent stays empty, and Missing names it.
// Personal data prints masked.
type Booking struct {
	ID       string   `json:"id"`
	Status   string   `json:"status"`
	Tenant   Tenant   `json:"tenant"`
	Property Property `json:"property"`
	Unit     Unit     `json:"unit"`
	// MoveInDate is the move-in date as YYYY-MM-DD, whether the server
	// wrote a date or a time ("2026-12-01T00:00:00Z"); a value that is not
	// a date is kept as sent (and Missing names it). Screens format MoveIn.
	MoveInDate string          `json:"moveInDate"`
	Quote      json.RawMessage `json:"quote,omitempty"`
}

// Tenant is the person who booked. Reveal the fields to show them to the
// tenant; they never reach a log.
type Tenant struct {
	// ID is StoRegister's contact id, when the preview gives it.
	ID         string          `json:"id,omitempty"`
	FirstName  redact.Personal `json:"firstName"`
	LastName   redact.Personal `json:"lastName"`
	Email      redact.Personal `json:"email"`
	Phone      redact.Personal `json:"phone"`
	Address    redact.Personal `json:"address,omitempty"`
	City       redact.Personal `json:"city,omitempty"`
	PostalCode redact.Personal `json:"postalCode,omitempty"`
}

// Property is the storage site.
type Property struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name"`
	Address string `json:"address"`
}

// Unit is the storage unit booked.
type Unit struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	// Size is the unit's size as text: "5 m²" as sent, or a number sent as
	// a number ("12.5"), without a unit since StoRegister names none.
	Size string `json:"size"`
}

// DocumentType is an identity document type the booking accepts.
type DocumentType struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func bookingPath(bookingID, rest string) string {
	return "v1/booking/" + bookingID + "/" + rest
}

// getBooking checks bookingID and GETs rest under the booking, as op;
// it returns the envelope's data.
func (c *Client) getBooking(ctx context.Context, op, bookingID, rest string) (json.RawMessage, error) {
	if err := checkID("booking id", bookingID); err != nil {
		return nil, err
	}
	env, err := c.call(ctx, &request{op: op, method: http.MethodGet, path: bookingPath(bookingID, rest)})
	if err != nil {
		return nil, err
	}
	return env.Data, nil
}

// Booking returns the booking bookingID with its tenant, property, unit and
// move-in date.
//
// StoRegister API docs: https://storegister.com/resources/api/booking/ (activity quotation preview)
func (c *Client) Booking(ctx context.Context, bookingID string) (*Booking, error) {
	const op = "get booking"
	data, err := c.getBooking(ctx, op, bookingID, "activity-quotation/preview")
	if err != nil {
		return nil, err
	}
	var b Booking
	if err := json.Unmarshal(data, &b); err != nil || bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil, fmt.Errorf("storegister: %s: %w: data is not a booking", op, ErrMalformedResponse)
	}
	// The path's id is the booking activity id every later call needs; the
	// preview's own "id" may name another record (the booking info).
	b.ID = bookingID
	if miss := b.Missing(); len(miss) > 0 {
		c.noteMissing(ctx, miss)
	}
	return &b, nil
}

// IdentityDocumentTypes lists the identity document types bookingID accepts.
//
// StoRegister API docs: https://storegister.com/resources/api/booking/ (identity document types)
func (c *Client) IdentityDocumentTypes(ctx context.Context, bookingID string) ([]DocumentType, error) {
	const op = "list identity document types"
	data, err := c.getBooking(ctx, op, bookingID, "identity-document/save/")
	if err != nil {
		return nil, err
	}
	var ts []DocumentType
	if err := json.Unmarshal(data, &ts); err != nil {
		return nil, fmt.Errorf("storegister: %s: %w: data is not a list of types", op, ErrMalformedResponse)
	}
	if ts == nil {
		ts = []DocumentType{}
	}
	return ts, nil
}

// SaveSignature saves the tenant's signature, a PNG image, for the move-in
// and returns StoRegister's reference id. The image is sent as raw base64
// (no data: prefix). Input that is not a PNG gives ErrNotPNG and nothing is
// sent. StoRegister deletes the signature at move-in or within a day.
//
// StoRegister API docs: https://storegister.com/resources/api/booking/save-booking-document
func (c *Client) SaveSignature(ctx context.Context, bookingID string, pngData []byte) (string, error) {
	if err := checkID("booking id", bookingID); err != nil {
		return "", err
	}
	if _, err := png.DecodeConfig(bytes.NewReader(pngData)); err != nil {
		return "", ErrNotPNG
	}
	body, err := json.Marshal(struct {
		Signature string `json:"signature"`
	}{base64.StdEncoding.EncodeToString(pngData)})
	if err != nil {
		return "", fmt.Errorf("storegister: save signature: %w", err)
	}
	const op = "save signature"
	env, err := c.call(ctx, &request{op: op, method: http.MethodPost,
		path: bookingPath(bookingID, "document/save"), body: bytesBody(body, "application/json")})
	if err != nil {
		return "", err
	}
	return referenceID(op, env.Data)
}

// IdentityDocument is one image of an identity document to upload.
type IdentityDocument struct {
	// TypeID is the document type's id, from IdentityDocumentTypes.
	TypeID string
	// Filename is sent in the part's Content-Disposition, e.g. "front.jpg".
	// Only its base name is used. Empty means "document" plus an extension
	// matching ContentType.
	Filename string
	// ContentType is the image's type, e.g. "image/jpeg". Empty means
	// detected from the first 512 bytes.
	ContentType string
	// Body is the image. It is streamed, never held in memory whole. When it
	// is an io.Seeker the upload is retried after transient failures (from
	// the position it had when the call began); otherwise it is tried once.
	Body io.Reader
	// Progress, when set, is called with the number of image bytes sent so
	// far, from the goroutine that writes the request body.
	Progress func(sent int64)
}

// SaveIdentityDocument uploads one image of the tenant's identity document
// as multipart/form-data (field documentTypeInfoId, file part
// identityDocuments) and returns StoRegister's reference id. The body is
// streamed through a pipe, so memory does not grow with the image's size.
//
// StoRegister API docs: https://storegister.com/resources/api/booking/save-booking-identity-document
func (c *Client) SaveIdentityDocument(ctx context.Context, bookingID string, doc IdentityDocument) (string, error) {
	if err := checkID("booking id", bookingID); err != nil {
		return "", err
	}
	if err := checkID("document type id", doc.TypeID); err != nil {
		return "", err
	}
	if doc.Body == nil {
		return "", fmt.Errorf("%w: no body", ErrInvalidDocument)
	}
	if doc.ContentType != "" {
		if _, _, err := mime.ParseMediaType(doc.ContentType); err != nil || strings.ContainsAny(doc.ContentType, "\r\n") {
			return "", fmt.Errorf("%w: content type %q", ErrInvalidDocument, doc.ContentType)
		}
	}
	name := path.Base(strings.ReplaceAll(doc.Filename, "\\", "/"))
	if doc.Filename == "" || name == "." || name == "/" {
		name = ""
	}
	if strings.ContainsAny(name, "\r\n\x00") {
		return "", fmt.Errorf("%w: filename contains control characters", ErrInvalidDocument)
	}

	var start int64
	seeker, canSeek := doc.Body.(io.Seeker)
	if canSeek {
		var err error
		if start, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			canSeek = false
		}
	}
	up := &upload{doc: doc, name: name, wait: canSeek}
	tries := 0
	r := &request{
		op: "save identity document", method: http.MethodPost,
		path: bookingPath(bookingID, "identity-document/save/"),
		once: !canSeek,
		size: func() (int64, error) {
			if !canSeek {
				return -1, nil
			}
			return up.measure(seeker, start)
		},
		body: func(ctx context.Context) (io.Reader, string, error) {
			tries++
			if tries > 1 {
				if _, err := seeker.Seek(start, io.SeekStart); err != nil {
					return nil, "", fmt.Errorf("storegister: save identity document: rewind body: %w", err)
				}
			}
			return up.start(ctx)
		},
		done: up.stop,
	}
	env, err := c.call(ctx, r)
	if err != nil {
		return "", err
	}
	return referenceID(r.op, env.Data)
}

// upload streams one multipart body through a pipe.
type upload struct {
	doc  IdentityDocument
	name string
	wait bool
	// boundary and ctype, once measure has fixed them, make every attempt
	// write exactly the bytes it counted.
	boundary, ctype string
	pr              *io.PipeReader
	// unhook stops closing pr when the attempt's context ends.
	unhook func() bool
	done   chan struct{}
}

func (u *upload) start(ctx context.Context) (io.Reader, string, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	if u.boundary != "" {
		if err := mw.SetBoundary(u.boundary); err != nil {
			return nil, "", err
		}
	}
	u.pr, u.done = pr, make(chan struct{})
	go func() {
		defer close(u.done)
		pw.CloseWithError(u.write(mw))
	}()
	// The transport may be stuck reading the pipe while the body's own Read
	// blocks; ending the attempt must unblock it.
	u.unhook = context.AfterFunc(ctx, func() { pr.CloseWithError(ctx.Err()) })
	return pr, mw.FormDataContentType(), nil
}

// stop ends the writer goroutine of the last attempt. For a seekable body
// (the only kind tried twice) it waits for the goroutine, so two attempts
// never read the body at once and no goroutine outlives the call. A
// non-seekable body whose Read blocks (a pipe) may hold the goroutine until
// that Read returns; it is not waited for, so cancelling still returns at once.
func (u *upload) stop() {
	if u.pr == nil {
		return
	}
	u.unhook()
	u.pr.CloseWithError(io.ErrClosedPipe)
	if u.wait {
		<-u.done
	}
	u.pr = nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

// measure returns the length of the body the next attempt sends, without
// reading the document through: the multipart envelope around an empty
// part, counted, plus the document's bytes from start to its end. It fixes
// the boundary and the sniffed content type for the attempts, and leaves
// the document at start.
func (u *upload) measure(seeker io.Seeker, start int64) (int64, error) {
	end, err := seeker.Seek(0, io.SeekEnd)
	if err == nil && u.ctype == "" && u.doc.ContentType == "" {
		_, err = seeker.Seek(start, io.SeekStart)
		if err == nil {
			head := make([]byte, 512)
			n, _ := io.ReadFull(u.doc.Body, head)
			u.ctype = sniff(head[:n])
		}
	}
	if err == nil {
		_, err = seeker.Seek(start, io.SeekStart)
	}
	if err != nil {
		return 0, fmt.Errorf("storegister: save identity document: measure body: %w", err)
	}
	var n countingWriter
	mw := multipart.NewWriter(&n)
	if u.boundary == "" {
		u.boundary = mw.Boundary()
	}
	if err := mw.SetBoundary(u.boundary); err != nil {
		return 0, err
	}
	if err := u.writeParts(mw, strings.NewReader(""), u.ctype); err != nil {
		return 0, err
	}
	return int64(n) + end - start, nil
}

// countingWriter counts what is written to it.
type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

// sniff is the content type of a document that begins with head.
func sniff(head []byte) string {
	ctype := http.DetectContentType(head)
	if i := strings.IndexByte(ctype, ';'); i >= 0 {
		ctype = ctype[:i]
	}
	return ctype
}

func (u *upload) write(mw *multipart.Writer) error {
	br := bufio.NewReaderSize(u.doc.Body, 512)
	ctype := u.ctype
	if ctype == "" {
		head, _ := br.Peek(512)
		ctype = sniff(head)
	}
	var src io.Reader = br
	if u.doc.Progress != nil {
		src = &progressReader{r: br, fn: u.doc.Progress}
	}
	return u.writeParts(mw, src, ctype)
}

// writeParts writes the type field and the document part with body.
func (u *upload) writeParts(mw *multipart.Writer, body io.Reader, ctype string) error {
	if err := mw.WriteField("documentTypeInfoId", u.doc.TypeID); err != nil {
		return err
	}
	if u.doc.ContentType != "" {
		ctype = u.doc.ContentType
	}
	name := u.name
	if name == "" {
		name = "document" + extension(ctype)
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="identityDocuments"; filename="`+quoteEscaper.Replace(name)+`"`)
	h.Set("Content-Type", ctype)
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, body); err != nil {
		return err
	}
	return mw.Close()
}

func extension(ctype string) string {
	switch ctype {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "application/pdf":
		return ".pdf"
	}
	return ""
}

// progressReader reports the bytes read so far after each read.
type progressReader struct {
	r  io.Reader
	n  int64
	fn func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.n += int64(n)
		p.fn(p.n)
	}
	return n, err
}

// referenceID reads the id StoRegister returns in data: a string (the
// documented form), or an object with an id field.
func referenceID(op string, data json.RawMessage) (string, error) {
	var s string
	if json.Unmarshal(data, &s) == nil && s != "" {
		return cleanRef(op, s)
	}
	var o map[string]json.RawMessage
	if json.Unmarshal(data, &o) == nil {
		for _, k := range []string{"id", "referenceId", "documentId", "Id"} {
			if json.Unmarshal(o[k], &s) == nil && s != "" {
				return cleanRef(op, s)
			}
		}
	}
	return "", fmt.Errorf("storegister: %s: %w: no reference id in data", op, ErrMalformedResponse)
}

func cleanRef(op, s string) (string, error) {
	if c := cleanToken(s); c == s {
		return s, nil
	}
	return "", fmt.Errorf("storegister: %s: %w: reference id is not a plain token", op, ErrMalformedResponse)
}
