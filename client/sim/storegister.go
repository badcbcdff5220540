package sim

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg" // decode uploaded JPEGs
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/capture/imagecheck"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// Property is the simulated storage site every booking belongs to.
var Property = struct{ Name, Address string }{"Signet Self Storage Harbourside", "1 Harbour Road, 12345 Utopia"}

// messages are the vendor's descriptions of each code, sent as "message".
var messages = map[string]string{
	"INVALID_PARAM_BOOKING_INFO_ID":       "Invalid booking ID.",
	"INVALID_PARAM_ACTIVITY_INFO_ID":      "Invalid activity ID.",
	"INVALID_ACTIVITY_INFO_DETAILS":       "Invalid activity details.",
	"INVALID_DOCUMENT_FILE_DATA":          "Invalid file to upload.",
	"INVALID_PARAM_FILES":                 "Invalid file to upload files.",
	"INVALID_PARAM_DOCUMENT_TYPE_INFO_ID": "Invalid document type id.",
	"INVALID_PARAM_SIGNATURE":             "Invalid signature.",
	"NO_RECORDS_FOUND":                    "There is no relevant information found.",
	"FAILED":                              "Unsuccessful API call.",
	"SOMETHING_WENT_WRONG":                "Technical glitch. Please contact administrator.",
}

func (s *Server) mountStoRegister(mux *http.ServeMux) {
	p := StoRegisterPrefix + "/v1/booking/{bookingId}/"
	mux.Handle("GET "+p+"activity-quotation/preview", s.storeg(s.getBooking))
	mux.Handle("GET "+p+"identity-document/save/{$}", s.storeg(s.getDocumentTypes))
	mux.Handle("POST "+p+"identity-document/save/{$}", s.storeg(s.saveDocument))
	mux.Handle("POST "+p+"document/save", s.storeg(s.saveSignature))
}

// storeg checks the key and the booking id, then calls h with the booking.
func (s *Server) storeg(h func(w http.ResponseWriter, r *http.Request, p demodata.Person)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("X-API-Key")
		if a, ok := strings.CutPrefix(r.Header.Get("Authorization"), "X-API-Key "); ok && key == "" {
			key = a
		}
		if key == "" || subtle.ConstantTimeCompare([]byte(key), []byte(s.apiKey)) != 1 {
			drain(r, 1<<20)
			writeEnvelope(w, http.StatusUnauthorized, false, "UNAUTHORIZED", nil, ShapeNull)
			return
		}
		id := r.PathValue("bookingId")
		if !storegister.ValidID(id) {
			drain(r, s.maxUpload)
			writeFailure(w, http.StatusBadRequest, ShapeObjects, "INVALID_PARAM_ACTIVITY_INFO_ID")
			return
		}
		s.mu.Lock()
		p, ok := s.bookings[strings.ToLower(id)]
		s.mu.Unlock()
		if !ok {
			drain(r, s.maxUpload)
			writeFailure(w, http.StatusNotFound, ShapeObjects, "NO_RECORDS_FOUND")
			return
		}
		h(w, r, p)
	})
}

// Vocabulary is the set of field names the simulated booking preview uses.
type Vocabulary string

const (
	// VocabularyStoRegister is StoRegister's own names (the default):
	// contactBookInfo with emailId and phoneNumber, propertyInfoId and
	// propertyInfo, storageInfoId and storageInfo with a numeric size, and
	// moveInDate as a time ("2026-11-24T00:00:00Z").
	VocabularyStoRegister Vocabulary = "storegister"
	// VocabularyGeneric is the generic names the kiosk first assumed:
	// tenant, property, unit (size "5 m²") and moveInDate as a date.
	VocabularyGeneric Vocabulary = "generic"
)

// Vocabularies lists the vocabularies, the default first.
var Vocabularies = []Vocabulary{VocabularyStoRegister, VocabularyGeneric}

// ParseVocabulary reads a Vocabulary by name ("" is VocabularyStoRegister).
func ParseVocabulary(name string) (Vocabulary, error) {
	switch v := Vocabulary(strings.ToLower(strings.TrimSpace(name))); v {
	case "":
		return VocabularyStoRegister, nil
	case VocabularyStoRegister, VocabularyGeneric:
		return v, nil
	}
	return "", fmt.Errorf("sim: vocabulary %q is not %q or %q", name, VocabularyStoRegister, VocabularyGeneric)
}

// WithVocabulary sets the booking preview's field names (default
// VocabularyStoRegister).
func WithVocabulary(v Vocabulary) Option { return func(s *Server) { s.vocab = v } }

// SetVocabulary changes the booking preview's field names at run time.
func (s *Server) SetVocabulary(v Vocabulary) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vocab = v
}

// SetBooking adds a booking, or replaces the one with p.BookingID, for tests
// and integrators (a tenant without an e-mail, say). p.MewsCustomerID is not
// used here: Mews customers are the simulator's own.
func (s *Server) SetBooking(p demodata.Person) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bookings[strings.ToLower(p.BookingID)] = p
}

// Stable ids of the simulated property and storage units (the vendor's
// vocabulary sends them).
const (
	simPropertyID = "5f0c2a51-8d3e-4b7a-9c61-2e4f8a9b0c1d"
	simGroupID    = "6a1d3b62-9e4f-4c8b-8d72-3f5a9b0c1d2e"
)

func (s *Server) getBooking(w http.ResponseWriter, r *http.Request, p demodata.Person) {
	unit, size := p.Unit, ""
	if i := strings.Index(p.Unit, " ("); i > 0 && strings.HasSuffix(p.Unit, ")") {
		unit, size = p.Unit[:i], p.Unit[i+2:len(p.Unit)-1]
	}
	m2, _ := strconv.Atoi(strings.Fields(size + " 0")[0])
	rent := float64(m2) * 9.5
	quote := map[string]any{
		"currency": "EUR", "billingPeriod": "MONTHLY", "monthlyRent": rent,
		"deposit": rent, "insurance": 4.5, "firstPayment": 2*rent + 4.5,
	}
	s.mu.Lock()
	vocab := s.vocab
	s.mu.Unlock()
	if vocab == VocabularyGeneric {
		writeEnvelope(w, http.StatusOK, true, "SUCCESS", map[string]any{
			"id":     p.BookingID,
			"status": "RESERVED",
			"tenant": map[string]any{
				"firstName": p.FirstName, "lastName": p.LastName, "email": p.Email, "phone": p.Phone,
			},
			"property":   map[string]any{"name": Property.Name, "address": Property.Address},
			"unit":       map[string]any{"name": unit, "size": size},
			"moveInDate": p.MoveIn,
			"quote":      quote,
		}, ShapeObjects)
		return
	}
	// StoRegister's own names, as its booking-activity pages use them. An
	// empty field is left out, as a tenant without an e-mail would be.
	contact := map[string]any{"id": derivedID(p.BookingID, "c")}
	for k, v := range map[string]string{"firstName": p.FirstName, "lastName": p.LastName,
		"emailId": p.Email, "phoneNumber": p.Phone} {
		if v != "" {
			contact[k] = v
		}
	}
	moveIn := p.MoveIn
	if t, err := time.Parse(time.DateOnly, p.MoveIn); err == nil {
		moveIn = t.Format(time.RFC3339)
	}
	data := map[string]any{
		"bookingInfoId":  derivedID(p.BookingID, "b"),
		"bookingStatus":  "RESERVED",
		"propertyInfoId": simPropertyID,
		"propertyInfo": map[string]any{"id": simPropertyID, "propertyName": Property.Name,
			"address": Property.Address},
		"storageInfoId":      derivedID(p.BookingID, "a"),
		"storageGroupInfoId": simGroupID,
		"storageInfo":        map[string]any{"id": derivedID(p.BookingID, "a"), "name": unit, "size": m2},
		"moveInDate":         moveIn,
		"quotes":             []any{quote},
	}
	if len(contact) > 1 {
		data["contactBookInfo"] = contact
	}
	writeEnvelope(w, http.StatusOK, true, "SUCCESS", data, ShapeObjects)
}

// derivedID is a GUID-shaped id derived from a booking id, stable across
// runs: the booking id with its first character replaced by tag's.
func derivedID(bookingID, tag string) string {
	if bookingID == "" {
		return ""
	}
	return tag + bookingID[1:]
}

func (s *Server) getDocumentTypes(w http.ResponseWriter, r *http.Request, _ demodata.Person) {
	out := make([]map[string]string, len(demodata.DocumentTypes))
	for i, t := range demodata.DocumentTypes {
		out[i] = map[string]string{"id": t.ID, "name": t.Name}
	}
	writeEnvelope(w, http.StatusOK, true, "SUCCESS", out, ShapeObjects)
}

func (s *Server) saveSignature(w http.ResponseWriter, r *http.Request, p demodata.Person) {
	var body struct {
		Signature string `json:"signature"`
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, s.maxUpload+1))
	if err != nil || int64(len(raw)) > s.maxUpload || json.Unmarshal(raw, &body) != nil || body.Signature == "" {
		writeFailure(w, http.StatusBadRequest, ShapeObjects, "INVALID_PARAM_SIGNATURE")
		return
	}
	pngData, err := base64.StdEncoding.DecodeString(body.Signature)
	if err != nil {
		writeFailure(w, http.StatusBadRequest, ShapeObjects, "INVALID_PARAM_SIGNATURE")
		return
	}
	img, _, err := imagecheck.Decode(pngData, "png") // size checked before decoding
	if err != nil {
		writeFailure(w, http.StatusBadRequest, ShapeObjects, "INVALID_PARAM_SIGNATURE")
		return
	}
	s.mu.Lock()
	ref := s.guid()
	s.sigs = append(s.sigs, Signature{BookingID: p.BookingID, ReferenceID: ref, PNG: pngData,
		Width: img.Bounds().Dx(), Height: img.Bounds().Dy(), At: s.now()})
	s.mu.Unlock()
	s.logger.Info("sim: storegister signature saved", "booking", p.BookingID, "ref", ref)
	writeEnvelope(w, http.StatusOK, true, "SUCCESS", ref, ShapeObjects)
}

func (s *Server) saveDocument(w http.ResponseWriter, r *http.Request, p demodata.Person) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		drain(r, s.maxUpload)
		writeFailure(w, http.StatusBadRequest, ShapeObjects, "INVALID_PARAM_FILES")
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		drain(r, s.maxUpload)
		writeFailure(w, http.StatusBadRequest, ShapeObjects, "INVALID_PARAM_FILES")
		return
	}
	var typeID, filename, ctype string
	var data []byte
	tooBig, gotFile := false, false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			drain(r, s.maxUpload)
			writeFailure(w, http.StatusBadRequest, ShapeObjects, "INVALID_PARAM_FILES")
			return
		}
		switch part.FormName() {
		case "documentTypeInfoId":
			b, _ := io.ReadAll(io.LimitReader(part, 256))
			typeID = strings.TrimSpace(string(b))
		case "identityDocuments":
			if gotFile { // one file per call, as the vendor's sample
				io.Copy(io.Discard, io.LimitReader(part, s.maxUpload+1))
				break
			}
			gotFile = true
			filename, ctype = part.FileName(), part.Header.Get("Content-Type")
			data, _ = io.ReadAll(io.LimitReader(part, s.maxUpload+1))
			if int64(len(data)) > s.maxUpload {
				tooBig, data = true, nil
			}
		default:
			io.Copy(io.Discard, io.LimitReader(part, s.maxUpload+1))
		}
		part.Close()
	}

	var codes []string
	typeName := ""
	for _, t := range demodata.DocumentTypes {
		if strings.EqualFold(t.ID, typeID) {
			typeName = t.Name
		}
	}
	if typeName == "" {
		codes = append(codes, "INVALID_PARAM_DOCUMENT_TYPE_INFO_ID")
	}
	var cfg image.Config
	switch {
	case !gotFile || (len(data) == 0 && !tooBig):
		codes = append(codes, "INVALID_PARAM_FILES")
	case tooBig:
		codes = append(codes, "INVALID_DOCUMENT_FILE_DATA")
	default:
		img, _, err := imagecheck.Decode(data) // size checked before decoding
		if err != nil {
			codes = append(codes, "INVALID_DOCUMENT_FILE_DATA")
		} else {
			cfg.Width, cfg.Height = img.Bounds().Dx(), img.Bounds().Dy()
		}
	}
	if len(codes) > 0 {
		writeFailure(w, http.StatusBadRequest, ShapeObjects, codes...)
		return
	}
	s.mu.Lock()
	ref := s.guid()
	s.docs = append(s.docs, Document{BookingID: p.BookingID, ReferenceID: ref, TypeID: strings.ToLower(typeID),
		TypeName: typeName, Filename: filename, ContentType: ctype, Data: data,
		Width: cfg.Width, Height: cfg.Height, At: s.now()})
	s.mu.Unlock()
	s.logger.Info("sim: storegister identity document saved", "booking", p.BookingID, "ref", ref, "type", typeName, "bytes", len(data))
	writeEnvelope(w, http.StatusOK, true, "SUCCESS", ref, ShapeObjects)
}

// writeFailure answers succeeded:false with codes written in shape.
func writeFailure(w http.ResponseWriter, status int, shape ErrorsShape, codes ...string) {
	writeEnvelope(w, status, false, "ERROR", codes, shape)
}

// writeEnvelope writes StoRegister's response envelope. On failure data is
// the list of codes, rendered in shape.
func writeEnvelope(w http.ResponseWriter, status int, ok bool, st string, data any, shape ErrorsShape) {
	env := map[string]any{"succeeded": ok, "status": st, "data": nil, "errors": nil}
	if ok {
		env["data"] = data
	} else if codes, _ := data.([]string); len(codes) > 0 {
		env["errors"] = renderErrors(shape, codes)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(env)
}

func renderErrors(shape ErrorsShape, codes []string) any {
	switch shape {
	case ShapeNull:
		return nil
	case ShapeStrings:
		return codes
	}
	field := "code"
	switch shape {
	case ShapeErrorCode:
		field = "errorCode"
	case ShapeKey:
		field = "key"
	}
	out := make([]map[string]string, len(codes))
	for i, c := range codes {
		m := messages[c]
		if m == "" {
			m = "Error."
		}
		out[i] = map[string]string{field: c, "message": m}
	}
	return out
}
