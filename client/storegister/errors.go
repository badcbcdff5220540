package storegister

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/internal/redact"
)

// Sentinel errors. Each is matched with errors.Is.
var (
	// ErrInvalidID means a booking or document type id is not a GUID; no
	// request was sent.
	ErrInvalidID = errors.New("storegister: invalid id")
	// ErrNotPNG means the signature given to SaveSignature is not a PNG; no
	// request was sent.
	ErrNotPNG = errors.New("storegister: signature is not a PNG image")
	// ErrInvalidDocument means an identity document upload lacks a body or
	// has an unusable filename or content type; no request was sent.
	ErrInvalidDocument = errors.New("storegister: invalid identity document")
	// ErrResponseTooLarge means a response body exceeded the client's cap.
	ErrResponseTooLarge = errors.New("storegister: response body too large")
	// ErrMalformedResponse means a response was not the documented envelope.
	ErrMalformedResponse = errors.New("storegister: malformed response")
	// ErrUnauthorized matches an *APIError for HTTP 401 or 403: the API key
	// is wrong, missing or lacks the permission.
	ErrUnauthorized = errors.New("storegister: unauthorized")
)

// Code is an error code StoRegister puts in a response's errors list.
type Code string

// Every error code the vendor documents for the endpoints the kiosk uses.
// See https://storegister.com/resources/api/booking/ (save identity document,
// save signature).
const (
	CodeInvalidParamBookingInfoID      Code = "INVALID_PARAM_BOOKING_INFO_ID"
	CodeInvalidParamActivityInfoID     Code = "INVALID_PARAM_ACTIVITY_INFO_ID"
	CodeInvalidActivityInfoDetails     Code = "INVALID_ACTIVITY_INFO_DETAILS"
	CodeInvalidDocumentFileData        Code = "INVALID_DOCUMENT_FILE_DATA"
	CodeInvalidParamFiles              Code = "INVALID_PARAM_FILES"
	CodeInvalidParamDocumentTypeInfoID Code = "INVALID_PARAM_DOCUMENT_TYPE_INFO_ID"
	CodeInvalidParamSignature          Code = "INVALID_PARAM_SIGNATURE"
	CodeInvalidDocumentTypeResponse    Code = "INVALID_DOCUMENT_TYPE_RESPONSE"
	CodeInvalidClientInfoDetails       Code = "INVALID_CLIENT_INFO_DETAILS"
	CodeNoRecordsFound                 Code = "NO_RECORDS_FOUND"
	CodeFailed                         Code = "FAILED"
	CodeSomethingWentWrong             Code = "SOMETHING_WENT_WRONG"
)

// Codes lists every documented code, in the order of the constants.
var Codes = []Code{
	CodeInvalidParamBookingInfoID, CodeInvalidParamActivityInfoID, CodeInvalidActivityInfoDetails,
	CodeInvalidDocumentFileData, CodeInvalidParamFiles, CodeInvalidParamDocumentTypeInfoID,
	CodeInvalidParamSignature, CodeInvalidDocumentTypeResponse, CodeInvalidClientInfoDetails,
	CodeNoRecordsFound, CodeFailed, CodeSomethingWentWrong,
}

// Translation keys for failures that carry no documented code. Together with
// Code.TranslationKey they are every sentence the kiosk may need for a
// StoRegister failure; TranslationKeys lists them all.
const (
	KeyUnauthorized = "error.storegister.unauthorized" // 401/403
	KeyUnavailable  = "error.storegister.unavailable"  // 5xx, 429, network, gave up
	KeyUnknown      = "error.storegister.unknown"      // an undocumented code or none
)

// TranslationKeyPrefix starts every translation key of this package.
const TranslationKeyPrefix = "error.storegister."

// Known reports whether c is a documented code.
func (c Code) Known() bool {
	for _, k := range Codes {
		if c == k {
			return true
		}
	}
	return false
}

// Transient reports whether the code means "try again": FAILED and
// SOMETHING_WENT_WRONG. Validation codes (INVALID_*, NO_RECORDS_FOUND) are
// permanent and never retried.
func (c Code) Transient() bool { return c == CodeFailed || c == CodeSomethingWentWrong }

// TranslationKey returns the key of the sentence the kiosk shows for c, such
// as "error.storegister.INVALID_PARAM_SIGNATURE"; KeyUnknown for a code the
// vendor does not document.
func (c Code) TranslationKey() string {
	if !c.Known() {
		return KeyUnknown
	}
	return TranslationKeyPrefix + string(c)
}

// TranslationKeys returns every key TranslationKey can return, so the kiosk's
// tests can check that each has a translation in every language.
func TranslationKeys() []string {
	keys := make([]string, 0, len(Codes)+3)
	for _, c := range Codes {
		keys = append(keys, c.TranslationKey())
	}
	return append(keys, KeyUnauthorized, KeyUnavailable, KeyUnknown)
}

// APIError is a failure reported by StoRegister: a non-2xx status or an
// envelope whose succeeded is not true.
type APIError struct {
	Op         string // what the client was doing, e.g. "save signature"
	HTTPStatus int    // the HTTP status code
	Status     string // the envelope's status, e.g. "ERROR"; may be empty
	Codes      []Code // codes from the envelope's errors, in order
	Message    string // the first message in errors, scrubbed and shortened
	retryAfter time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("storegister: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	if e.Status != "" {
		b.WriteString(" ")
		b.WriteString(e.Status)
	}
	if len(e.Codes) > 0 {
		b.WriteString(": ")
		b.WriteString(e.CodeList())
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return redact.String(b.String())
}

// CodeList returns the codes joined by commas, for a command line's stderr.
func (e *APIError) CodeList() string {
	s := make([]string, len(e.Codes))
	for i, c := range e.Codes {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

// Is makes errors.Is(err, ErrUnauthorized) true for 401 and 403.
func (e *APIError) Is(target error) bool {
	return target == ErrUnauthorized && (e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden)
}

// Has reports whether the response carried code c.
func (e *APIError) Has(c Code) bool {
	for _, x := range e.Codes {
		if x == c {
			return true
		}
	}
	return false
}

// Transient reports whether trying again may succeed: 5xx, 429, 408, and the
// codes FAILED and SOMETHING_WENT_WRONG — unless a validation code came with
// them, which no retry will fix.
func (e *APIError) Transient() bool {
	for _, c := range e.Codes {
		if c.Known() && !c.Transient() {
			return false
		}
	}
	switch {
	case e.HTTPStatus == http.StatusTooManyRequests, e.HTTPStatus == http.StatusRequestTimeout, e.HTTPStatus >= 500:
		return true
	}
	for _, c := range e.Codes {
		if c.Transient() {
			return true
		}
	}
	return false
}

// Permanent reports whether the failure will repeat however often it is
// tried: the opposite of Transient.
func (e *APIError) Permanent() bool { return !e.Transient() }

// RetryAfter returns the wait the server asked for with Retry-After, or 0.
func (e *APIError) RetryAfter() time.Duration { return e.retryAfter }

// TranslationKey returns the key of the sentence the kiosk shows for this
// failure: the first documented permanent code's, else KeyUnauthorized for
// 401/403, else KeyUnavailable when it is transient, else the first code's
// (or KeyUnknown).
func (e *APIError) TranslationKey() string {
	for _, c := range e.Codes {
		if c.Known() && !c.Transient() {
			return c.TranslationKey()
		}
	}
	if errors.Is(e, ErrUnauthorized) {
		return KeyUnauthorized
	}
	if e.Transient() {
		return KeyUnavailable
	}
	if len(e.Codes) > 0 {
		return e.Codes[0].TranslationKey()
	}
	return KeyUnknown
}

// TranslationKey returns the sentence key for any error a method of this
// package returned: an *APIError's own, KeyUnavailable for network failures
// and for giving up, KeyUnknown otherwise.
func TranslationKey(err error) string {
	var ae *APIError
	if errors.As(err, &ae) && !errors.Is(err, retry.ErrGaveUp) {
		return ae.TranslationKey()
	}
	if errors.Is(err, retry.ErrGaveUp) || retry.Transient(err) {
		return KeyUnavailable
	}
	return KeyUnknown
}

// NetError is a transport failure: no usable HTTP response arrived. Its
// message is scrubbed of registered secrets.
type NetError struct {
	Op  string
	Err error
}

func (e *NetError) Error() string { return "storegister: " + e.Op + ": " + redact.Error(e.Err) }

// Unwrap returns the transport's error.
func (e *NetError) Unwrap() error { return e.Err }

// Transient reports whether the transport failure is worth another attempt.
func (e *NetError) Transient() bool { return retry.Transient(e.Err) }

// Envelope is the JSON wrapper of every StoRegister response.
type Envelope struct {
	Data      json.RawMessage // "data", raw; null when absent
	Succeeded bool            // "succeeded" is exactly true
	Status    string          // "status"
	Codes     []Code          // from "errors", whatever its shape
	Messages  []string        // from "errors", scrubbed
}

const (
	maxCodes      = 32
	maxCodeLen    = 64
	maxMessageLen = 200
)

// DecodeEnvelope parses a response body defensively. errors may be null, a
// list of strings, or a list of objects naming the code as "code",
// "errorCode" or "key" with an optional "message"; a lone string or object is
// accepted as a list of one. Any other JSON value for errors is ignored
// rather than failing the whole response. A body that is not a JSON object
// gives ErrMalformedResponse.
func DecodeEnvelope(body []byte) (*Envelope, error) {
	var raw struct {
		Data      json.RawMessage `json:"data"`
		Succeeded json.RawMessage `json:"succeeded"`
		Status    json.RawMessage `json:"status"`
		Errors    json.RawMessage `json:"errors"`
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, fmt.Errorf("%w: body is not a JSON object", ErrMalformedResponse)
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrMalformedResponse, shorten(err.Error()))
	}
	env := &Envelope{Data: raw.Data}
	var ok bool
	if json.Unmarshal(raw.Succeeded, &ok) == nil {
		env.Succeeded = ok
	}
	var status string
	if json.Unmarshal(raw.Status, &status) == nil {
		env.Status = cleanToken(status)
	}
	env.Codes, env.Messages = decodeErrors(raw.Errors)
	return env, nil
}

func decodeErrors(raw json.RawMessage) ([]Code, []string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var items []json.RawMessage
	switch raw[0] {
	case '[':
		if json.Unmarshal(raw, &items) != nil {
			return nil, nil
		}
	case '"', '{':
		items = []json.RawMessage{raw}
	default:
		return nil, nil
	}
	var codes []Code
	var msgs []string
	for _, it := range items {
		if len(codes) >= maxCodes {
			break
		}
		it = bytes.TrimSpace(it)
		if len(it) == 0 {
			continue
		}
		switch it[0] {
		case '"':
			var s string
			if json.Unmarshal(it, &s) == nil {
				if c := cleanToken(s); c != "" {
					codes = append(codes, Code(c))
				}
			}
		case '{':
			var o struct {
				Code      *string `json:"code"`
				ErrorCode *string `json:"errorCode"`
				Key       *string `json:"key"`
				Message   *string `json:"message"`
			}
			if json.Unmarshal(it, &o) != nil {
				continue
			}
			for _, p := range []*string{o.Code, o.ErrorCode, o.Key} {
				if p != nil {
					if c := cleanToken(*p); c != "" {
						codes = append(codes, Code(c))
						break
					}
				}
			}
			if o.Message != nil {
				if m := shorten(*o.Message); m != "" {
					msgs = append(msgs, m)
				}
			}
		}
	}
	return codes, msgs
}

// cleanToken keeps a code or status printable and short: codes reach logs,
// error strings and translation keys.
func cleanToken(s string) string {
	s = strings.TrimSpace(redact.String(s))
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= maxCodeLen {
			break
		}
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// shorten makes server text safe for an error string: registered secrets
// scrubbed, control characters dropped, at most maxMessageLen bytes.
func shorten(s string) string {
	s = redact.String(s)
	var b strings.Builder
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 || r == 0x7f {
			r = ' '
		}
		if b.Len()+utf8.RuneLen(r) > maxMessageLen {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}
