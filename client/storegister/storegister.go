// Package storegister is a client for the StoRegister booking API: it reads a
// booking and its identity document types, and saves the tenant's signature
// and identity document images for the move-in.
//
// Vendor documentation: https://storegister.com/resources/api/booking/ .
// Where it is silent Signet decided: the key goes in an X-API-Key header by
// default (AuthAuthorization sends the sample's literal
// "Authorization: X-API-Key <key>"); succeeded != true is a failure whatever
// the HTTP status and a non-2xx a failure whatever the body; the errors list
// is read in every shape (see DecodeEnvelope).
//
// Transport: every request goes through the one HTTP policy of package
// transport: a redirect is never followed (the key would go with it), TLS is
// verified, plain http goes only to loopback, each attempt has a timeout
// (WithTimeout) and bodies are capped (WithMaxResponseBytes).
//
// Uploads always carry a Content-Length, never a chunked body, since not
// every server or proxy in front of one accepts chunked requests. The
// multipart body is still streamed: for a body that can seek (a file, a
// bytes.Reader) it is produced once to count its bytes and once to send
// them; a body that cannot seek is held in memory, up to 16 MiB.
//
// Retries: GETs and the signature are resent after transient failures; a
// signature whose answer was lost may thus be saved twice (the vendor does
// not say what a second save does; the simulator keeps both). An identity
// document is resent only when its Body can seek.
//
// Every method takes a context first, checks ids as GUIDs before anything is
// sent, retries transient failures with the shared policy of package retry,
// and returns an *APIError when StoRegister refuses. The API key never
// appears in a log line or an error string.
package storegister

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/internal/redact"
)

// Defaults.
const (
	DefaultUserAgent = "Signet/dev"
	DefaultTimeout   = 30 * time.Second
	// DefaultMaxResponseBytes caps a response body the client reads.
	DefaultMaxResponseBytes = 1 << 20
	// maxErrorBody caps the body read from a failed response.
	maxErrorBody = 64 << 10
	// MaxUnsizedUpload caps an upload whose body cannot seek: it is held in
	// memory to learn its length.
	MaxUnsizedUpload = 16 << 20
)

// AuthStyle is how the API key is sent.
type AuthStyle int

const (
	// AuthXAPIKey sends "X-API-Key: <key>" (the default).
	AuthXAPIKey AuthStyle = iota
	// AuthAuthorization sends "Authorization: X-API-Key <key>", as the
	// vendor's sample headers literally read.
	AuthAuthorization
)

// ParseAuthStyle maps the configuration value ("x-api-key", "authorization")
// to an AuthStyle.
func ParseAuthStyle(s string) (AuthStyle, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "x-api-key":
		return AuthXAPIKey, nil
	case "authorization":
		return AuthAuthorization, nil
	}
	return 0, fmt.Errorf("storegister: auth style %q is not x-api-key or authorization", s)
}

// Client talks to one StoRegister installation. It is safe for concurrent use.
type Client struct {
	baseURL *url.URL
	// apiKey is behind a pointer so that printing a Client with %+v shows an
	// address, not the key (fmt cannot call Secret's Format on an
	// unexported field).
	apiKey    *redact.Secret
	http      *http.Client
	userAgent string
	logger    *slog.Logger
	retry     *retry.Policy
	auth      AuthStyle
	timeout   time.Duration
	maxBody   int64
}

// Option configures a Client. Options validate their argument and make
// NewClient fail on a bad one.
type Option func(*Client) error

// WithHTTPClient uses hc for every request (its Timeout, if any, still
// applies; none means WithTimeout's). Package transport's policy is applied
// to it, and a transport that skips TLS verification makes NewClient fail.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("storegister: nil http client")
		}
		c.http = hc
		return nil
	}
}

// WithTimeout bounds each attempt (request and response body); the retry
// policy decides how many attempts there are.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("storegister: timeout %v is not positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithUserAgent sets the User-Agent, normally "Signet/<version>".
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if ua == "" || strings.ContainsAny(ua, "\r\n") {
			return fmt.Errorf("storegister: invalid user agent %q", ua)
		}
		c.userAgent = ua
		return nil
	}
}

// WithLogger logs requests at debug level and retries at warn level through
// l, wrapped in a redacting handler. The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("storegister: nil logger")
		}
		c.logger = slog.New(redact.NewHandler(l.Handler()))
		return nil
	}
}

// WithRetry replaces the retry policy (default retry.Default()).
// A policy with MaxAttempts 1 disables retrying.
func WithRetry(p *retry.Policy) Option {
	return func(c *Client) error {
		if p == nil {
			return errors.New("storegister: nil retry policy")
		}
		c.retry = p
		return nil
	}
}

// WithAuthStyle chooses how the API key is sent.
func WithAuthStyle(s AuthStyle) Option {
	return func(c *Client) error {
		if s != AuthXAPIKey && s != AuthAuthorization {
			return fmt.Errorf("storegister: unknown auth style %d", s)
		}
		c.auth = s
		return nil
	}
}

// WithMaxResponseBytes caps the size of a successful response body.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n < 1024 {
			return fmt.Errorf("storegister: response cap %d is below 1024 bytes", n)
		}
		c.maxBody = n
		return nil
	}
}

// NewClient returns a client for the API at baseURL (scheme, host and an
// optional path prefix; https, or plain http to loopback only) authenticated
// by apiKey. The key is registered with package redact so it is scrubbed
// from any text that is logged.
func NewClient(baseURL string, apiKey redact.Secret, opts ...Option) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("storegister: base URL %q is not an http(s) URL", redact.String(baseURL))
	}
	if u.User != nil {
		return nil, errors.New("storegister: base URL must not carry credentials")
	}
	if err := transport.CheckURL(u); err != nil {
		return nil, fmt.Errorf("storegister: base URL: %w", err)
	}
	if apiKey.IsZero() {
		return nil, errors.New("storegister: missing API key")
	}
	if strings.ContainsAny(apiKey.Reveal(), "\r\n") {
		return nil, errors.New("storegister: API key contains a line break")
	}
	redact.Register(apiKey.Reveal())
	u.RawQuery, u.Fragment = "", ""
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	c := &Client{
		baseURL:   u,
		apiKey:    &apiKey,
		userAgent: DefaultUserAgent,
		logger:    redact.Discard(),
		retry:     retry.Default(),
		timeout:   DefaultTimeout,
		maxBody:   DefaultMaxResponseBytes,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	// One transport policy for every client (see package transport): above
	// all, never follow a redirect, which would carry X-API-Key to whatever
	// host the Location names. The cap lets checkResponse see one byte past
	// its own limit and report ErrResponseTooLarge itself.
	topts := transport.Options{Timeout: c.timeout, MaxResponseBytes: max(c.maxBody, maxErrorBody) + 1}
	if c.http == nil {
		c.http = transport.NewClient(topts)
	} else {
		hc, err := transport.Secure(c.http, topts)
		if err != nil {
			return nil, fmt.Errorf("storegister: %w", err)
		}
		c.http = hc
	}
	return c, nil
}

// String describes the client without its key.
func (c *Client) String() string { return "storegister.Client(" + c.baseURL.String() + ")" }

// BaseURL returns the API's base URL, always ending in a slash.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// ValidID reports whether s is a GUID in its canonical 8-4-4-4-12 hex form
// (either case), the form StoRegister uses for booking and type ids.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch i {
		case 8, 13, 18, 23:
			if ch != '-' {
				return false
			}
		default:
			if !('0' <= ch && ch <= '9' || 'a' <= ch && ch <= 'f' || 'A' <= ch && ch <= 'F') {
				return false
			}
		}
	}
	return true
}

func checkID(what, id string) error {
	if !ValidID(id) {
		// The id is echoed only when short and printable: it came from a
		// guest (a typed code, a QR code) and may be anything.
		if len(id) <= 40 && cleanToken(id) == id {
			return fmt.Errorf("%w: %s %q is not a GUID", ErrInvalidID, what, id)
		}
		return fmt.Errorf("%w: %s is not a GUID", ErrInvalidID, what)
	}
	return nil
}

// request describes one API call; body, when set, is called once per attempt.
type request struct {
	op     string
	method string
	path   string // relative to the base URL, no leading slash
	body   func(ctx context.Context) (io.Reader, string, error)
	// done, when set, is called after each attempt to release what body made.
	done func()
	// once marks a body that cannot be sent twice.
	once bool
	// size, when set, returns the length of the body the next call of body
	// makes, or -1 when it cannot tell; then the body is counted.
	size func() (int64, error)
}

// newRequest builds the HTTP request of one attempt.
func (c *Client) newRequest(ctx context.Context, r *request) (*http.Request, error) {
	rel, err := url.Parse(r.path)
	if err != nil || rel.IsAbs() || strings.HasPrefix(r.path, "/") {
		return nil, fmt.Errorf("storegister: bad request path %q", r.path)
	}
	u := c.baseURL.ResolveReference(rel)
	var body io.Reader
	ctype := ""
	size := int64(-1)
	if r.body != nil {
		body, ctype, size, err = c.sizedBody(ctx, r)
		if err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("storegister: %s: %w", r.op, err)
	}
	if size >= 0 {
		// Never chunked: see the package documentation.
		req.ContentLength = size
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	switch c.auth {
	case AuthAuthorization:
		req.Header.Set("Authorization", "X-API-Key "+c.apiKey.Reveal())
	default:
		req.Header.Set("X-API-Key", c.apiKey.Reveal())
	}
	return req, nil
}

// sizedBody returns r's body with its length, so that the request carries a
// Content-Length. A body of known length (bytes) is returned as it is, with
// -1 to let net/http read the length itself; a body whose request can tell
// its size (a seekable upload: the envelope is counted, the file is not
// read) is streamed with it; any other body is held in memory, up to
// MaxUnsizedUpload.
func (c *Client) sizedBody(ctx context.Context, r *request) (io.Reader, string, int64, error) {
	known := int64(-1)
	if r.size != nil {
		// Before body: measuring may move the source, which body then reads.
		var err error
		if known, err = r.size(); err != nil {
			return nil, "", 0, err
		}
	}
	body, ctype, err := r.body(ctx)
	if err != nil {
		return nil, "", 0, err
	}
	switch body.(type) {
	case *bytes.Reader, *bytes.Buffer, *strings.Reader:
		return body, ctype, -1, nil
	}
	if known >= 0 {
		return body, ctype, known, nil
	}
	b, err := io.ReadAll(io.LimitReader(body, MaxUnsizedUpload+1))
	if err != nil {
		return nil, "", 0, fmt.Errorf("storegister: %s: read body: %w", r.op, err)
	}
	if len(b) > MaxUnsizedUpload {
		return nil, "", 0, fmt.Errorf("%w: a body that cannot seek is held in memory to learn its length, "+
			"and this one is over %d MiB: pass a file or a bytes.Reader", ErrInvalidDocument, MaxUnsizedUpload>>20)
	}
	return bytes.NewReader(b), ctype, int64(len(b)), nil
}

// call runs r with retries and returns the successful envelope's data.
func (c *Client) call(ctx context.Context, r *request) (*Envelope, error) {
	policy := c.retry
	if r.once {
		p := *policy
		p.MaxAttempts = 1
		policy = &p
	}
	var env *Envelope
	attempt := 0
	err := policy.Do(ctx, func(ctx context.Context) error {
		attempt++
		var err error
		env, err = c.attempt(ctx, r, attempt)
		return err
	})
	if err != nil {
		return nil, err
	}
	return env, nil
}

// attempt sends r once.
func (c *Client) attempt(ctx context.Context, r *request, n int) (*Envelope, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if r.done != nil {
		defer r.done()
	}
	req, err := c.newRequest(actx, r)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.logger.LogAttrs(ctx, slog.LevelDebug, "storegister request failed", slog.String("op", r.op),
			slog.Int("attempt", n), slog.Duration("elapsed", time.Since(start)), slog.String("error", redact.Error(err)))
		return nil, c.netError(ctx, actx, r.op, err)
	}
	defer resp.Body.Close()
	env, err := c.checkResponse(ctx, actx, r.op, resp)
	c.logger.LogAttrs(ctx, slog.LevelDebug, "storegister request", slog.String("op", r.op),
		slog.String("method", r.method), slog.Int("status", resp.StatusCode), slog.Int("attempt", n),
		slog.Duration("elapsed", time.Since(start)), slog.Bool("ok", err == nil))
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Transient() {
			c.logger.LogAttrs(ctx, slog.LevelWarn, "storegister transient failure", slog.String("op", r.op),
				slog.Int("attempt", n), slog.String("error", ae.Error()))
		}
		return nil, err
	}
	return env, nil
}

// netError wraps a transport error. A deadline of the attempt alone (not the
// caller's) is reported as a transient timeout: the attempt's context, or
// the HTTP client's own Timeout, which may fire a moment before it.
func (c *Client) netError(ctx, actx context.Context, op string, err error) error {
	var ne net.Error
	if ctx.Err() == nil && (actx.Err() != nil || errors.As(err, &ne) && ne.Timeout()) {
		err = &attemptTimeout{d: c.timeout, err: err}
	}
	return &NetError{Op: op, Err: err}
}

type attemptTimeout struct {
	d   time.Duration
	err error
}

func (e *attemptTimeout) Error() string   { return fmt.Sprintf("no answer within %v", e.d) }
func (e *attemptTimeout) Unwrap() error   { return e.err }
func (e *attemptTimeout) Transient() bool { return true }

// checkResponse reads resp through a size cap and turns every failure into a
// typed error: a non-2xx status whatever the body, an envelope whose
// succeeded is not true whatever the status.
func (c *Client) checkResponse(ctx, actx context.Context, op string, resp *http.Response) (*Envelope, error) {
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := int64(maxErrorBody)
	if ok {
		limit = c.maxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, c.netError(ctx, actx, op, err)
	}
	tooLarge := int64(len(body)) > limit
	if tooLarge {
		body = body[:limit]
	}
	if !ok {
		ae := &APIError{Op: op, HTTPStatus: resp.StatusCode}
		if env, err := DecodeEnvelope(body); err == nil {
			ae.Status, ae.Codes = env.Status, env.Codes
			if len(env.Messages) > 0 {
				ae.Message = env.Messages[0]
			}
		}
		if d, ok := retry.ParseRetryAfter(resp.Header, c.retry.Clock()); ok {
			ae.retryAfter = d
			if d == 0 {
				ae.retryAfter = time.Millisecond
			}
		}
		return nil, ae
	}
	if tooLarge {
		return nil, fmt.Errorf("%w: %s: over %d bytes", ErrResponseTooLarge, op, limit)
	}
	env, err := DecodeEnvelope(body)
	if err != nil {
		return nil, fmt.Errorf("storegister: %s: %w", op, err)
	}
	if !env.Succeeded {
		ae := &APIError{Op: op, HTTPStatus: resp.StatusCode, Status: env.Status, Codes: env.Codes}
		if len(env.Messages) > 0 {
			ae.Message = env.Messages[0]
		}
		return nil, ae
	}
	return env, nil
}

// bytesBody returns a body func for a fixed payload, replayable on retries.
func bytesBody(b []byte, ctype string) func(context.Context) (io.Reader, string, error) {
	return func(context.Context) (io.Reader, string, error) { return bytes.NewReader(b), ctype, nil }
}
