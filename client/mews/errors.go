package mews

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/internal/redact"
)

// MaxMessageInError is how many characters of the API's Message an error
// string carries (and so a log line or the outbox's last error).
const MaxMessageInError = 200

// APIError is an error status from the Connector API.
//
// For a 403 the Message is a business rule the API wants shown to the user
// (the staff console shows it as is, through UserMessage or the field).
// The Message may echo what was sent, a guest's name or document number:
// Error, which is what reaches a log, carries it only scrubbed of every
// registered secret and personal value (package redact), without control
// characters, and cut to MaxMessageInError characters.
type APIError struct {
	// Op is the operation, such as "identityDocuments/add".
	Op string
	// Status is the HTTP status code.
	Status int
	// Message is the API's explanation, such as "Invalid CustomerIds", as
	// sent: for the screen, never for a log (use Error).
	Message string
	// RequestID identifies the request for Mews support: from the body,
	// else from the Request-Id header.
	RequestID string
	// Details is the API's optional extra information, as sent.
	Details json.RawMessage
	// Wait is the server's Retry-After hint (0 when absent).
	Wait time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("mews: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d %s", e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(redact.Line(e.Message, MaxMessageInError))
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(redact.Line(e.RequestID, 64))
		b.WriteString(")")
	}
	return b.String()
}

// Transient tells package retry whether another attempt may succeed: 408,
// 429 and 5xx may; every other status will not.
func (e *APIError) Transient() bool {
	return e.Status == http.StatusRequestTimeout || e.Status == http.StatusTooManyRequests || e.Status >= 500
}

// RetryAfter is the server's Retry-After hint, for package retry.
func (e *APIError) RetryAfter() time.Duration { return e.Wait }

// CheckResponse returns nil for a 2xx response and an *APIError otherwise,
// read from the error body (capped) and the Request-Id and Retry-After
// headers. now resolves a Retry-After given as an HTTP date.
func CheckResponse(resp *http.Response, now time.Time) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	e := &APIError{Status: resp.StatusCode}
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var body struct {
		Message   *string
		RequestID *string `json:"RequestId"`
		Details   json.RawMessage
	}
	if json.Unmarshal(data, &body) == nil {
		if body.Message != nil {
			e.Message = *body.Message
		}
		if body.RequestID != nil {
			e.RequestID = *body.RequestID
		}
		if len(body.Details) > 0 && string(body.Details) != "null" {
			e.Details = body.Details
		}
	}
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("Request-Id")
	}
	if d, ok := retry.ParseRetryAfter(resp.Header, now); ok {
		e.Wait = d
	}
	return e
}

func statusIs(err error, match func(int) bool) bool {
	var e *APIError
	return errors.As(err, &e) && match(e.Status)
}

func status(code int) func(int) bool { return func(s int) bool { return s == code } }

// IsBadRequest reports a 400: bad input ("Invalid …").
func IsBadRequest(err error) bool { return statusIs(err, status(http.StatusBadRequest)) }

// IsUnauthorized reports a 401: wrong or expired tokens, or no permission.
func IsUnauthorized(err error) bool { return statusIs(err, status(http.StatusUnauthorized)) }

// IsForbidden reports a 403: a business rule failed; show the Message.
func IsForbidden(err error) bool { return statusIs(err, status(http.StatusForbidden)) }

// IsNotFound reports a 404: a wrong operation address.
func IsNotFound(err error) bool { return statusIs(err, status(http.StatusNotFound)) }

// IsRequestTimeout reports a 408: the request was too heavy; use smaller batches or pages.
func IsRequestTimeout(err error) bool { return statusIs(err, status(http.StatusRequestTimeout)) }

// IsConflict reports a 409: the data changed meanwhile; refresh.
func IsConflict(err error) bool { return statusIs(err, status(http.StatusConflict)) }

// IsTooLarge reports a 413: the request body was too large.
func IsTooLarge(err error) bool { return statusIs(err, status(http.StatusRequestEntityTooLarge)) }

// IsRateLimited reports a 429: too many requests.
func IsRateLimited(err error) bool { return statusIs(err, status(http.StatusTooManyRequests)) }

// IsServerError reports a 5xx: a fault on the Mews side.
func IsServerError(err error) bool {
	return statusIs(err, func(s int) bool { return s >= 500 && s < 600 })
}

// UserMessage returns the message to show a person for a 403 business-rule
// failure, and false for any other error.
func UserMessage(err error) (string, bool) {
	var e *APIError
	if errors.As(err, &e) && e.Status == http.StatusForbidden && e.Message != "" {
		return e.Message, true
	}
	return "", false
}
