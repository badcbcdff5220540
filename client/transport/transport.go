// Package transport is the one HTTP policy every outgoing client of Signet
// uses (client/mews, client/storegister, and internal/connect, which builds
// them from the configuration):
//
//   - no redirect is ever followed: a 3xx answer becomes a *RedirectError,
//     so credentials and personal data in a request never reach a host the
//     configuration does not name;
//   - TLS certificates are always verified (a transport with
//     InsecureSkipVerify is refused) and TLS 1.2 is the minimum;
//   - plain http is allowed only to loopback hosts (the simulator);
//   - every request has a timeout, and the response headers one of their
//     own; a zero or negative setting falls back to the default, it never
//     means "wait forever";
//   - a response body is capped: reading past the cap fails with a
//     *TooLargeError instead of growing memory.
//
// NewClient builds an *http.Client with the policy; Secure applies it to a
// client supplied by a caller (tests, the outbox's own transport). Errors of
// the policy are permanent for package retry: trying again cannot help.
package transport

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied to zero or negative Options.
const (
	// DefaultTimeout bounds a whole exchange: connecting, sending, and
	// reading the response body.
	DefaultTimeout = 30 * time.Second
	// DefaultResponseHeaderTimeout bounds the wait for the response headers
	// once the request is sent.
	DefaultResponseHeaderTimeout = 20 * time.Second
	// DefaultMaxResponseBytes caps a response body.
	DefaultMaxResponseBytes = 16 << 20

	dialTimeout         = 10 * time.Second
	tlsHandshakeTimeout = 10 * time.Second
	idleConnTimeout     = 90 * time.Second
	// redirectDrain is how much of a refused redirect's body is read so the
	// connection can be reused.
	redirectDrain = 4 << 10
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrRedirect matches every *RedirectError.
	ErrRedirect = errors.New("transport: redirect refused")
	// ErrInsecure matches a refused plain-http address or TLS setting.
	ErrInsecure = errors.New("transport: insecure connection refused")
	// ErrTooLarge matches every *TooLargeError.
	ErrTooLarge = errors.New("transport: response too large")
)

// Options are the settings of the policy. The zero value is the defaults.
type Options struct {
	// Timeout bounds each request, response body included. Zero or
	// negative means DefaultTimeout.
	Timeout time.Duration
	// ResponseHeaderTimeout bounds the wait for the response headers. Zero
	// or negative means DefaultResponseHeaderTimeout (or Timeout if shorter).
	ResponseHeaderTimeout time.Duration
	// MaxResponseBytes caps each response body. Zero or negative means
	// DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// RootCAs, when set, replaces the system's roots (a private CA, tests).
	RootCAs *x509.CertPool
	// Observer, when set, is told of every request's end (metrics). Secure
	// keeps the observer of a client it has already secured.
	Observer Observer
}

// Observer is told of the end of every request sent through the policy:
// the status (0 without a response), the error of the round trip (nil
// when headers arrived) and the time until the response headers. It must
// be quick, must not block, and must not keep req.
type Observer interface {
	ObserveRequest(req *http.Request, status int, err error, took time.Duration)
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

func (o Options) headerTimeout() time.Duration {
	d := o.ResponseHeaderTimeout
	if d <= 0 {
		d = DefaultResponseHeaderTimeout
	}
	return min(d, o.timeout())
}

func (o Options) maxBytes() int64 {
	if o.MaxResponseBytes <= 0 {
		return DefaultMaxResponseBytes
	}
	return o.MaxResponseBytes
}

// NewClient returns an *http.Client that applies the policy with o.
func NewClient(o Options) *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       idleConnTimeout,
		TLSHandshakeTimeout:   tlsHandshakeTimeout,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: o.headerTimeout(),
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: o.RootCAs},
	}
	return &http.Client{
		Transport:     &roundTripper{next: tr, max: o.maxBytes(), obs: o.Observer},
		CheckRedirect: refuseRedirect,
		Timeout:       o.timeout(),
	}
}

// Secure returns a copy of hc (nil means a new client) with the policy
// applied: its transport wrapped so that redirects, plain http to other
// hosts and endless bodies are refused, and a timeout set when hc has none.
// hc's transport is checked: one that skips certificate verification or
// allows TLS older than 1.2 is refused. Options.RootCAs is not used here.
// hc's transport itself is used as it is (so its owner can still close its
// idle connections); the client's Timeout bounds the wait for headers.
func Secure(hc *http.Client, o Options) (*http.Client, error) {
	if hc == nil {
		return NewClient(o), nil
	}
	if rt, ok := hc.Transport.(*roundTripper); ok && hc.CheckRedirect != nil {
		// Already secured: keep it, but apply this caller's cap.
		cp := *hc
		obs := rt.obs
		if o.Observer != nil {
			obs = o.Observer
		}
		cp.Transport = &roundTripper{next: rt.next, max: o.maxBytes(), obs: obs}
		if cp.Timeout <= 0 {
			cp.Timeout = o.timeout()
		}
		return &cp, nil
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	if t, ok := next.(*http.Transport); ok {
		if err := CheckTLS(t.TLSClientConfig); err != nil {
			return nil, err
		}
	}
	cp := *hc
	cp.Transport = &roundTripper{next: next, max: o.maxBytes(), obs: o.Observer}
	cp.CheckRedirect = refuseRedirect
	if cp.Timeout <= 0 {
		cp.Timeout = o.timeout()
	}
	return &cp, nil
}

// CheckTLS refuses a TLS configuration that skips certificate verification
// or allows a version older than TLS 1.2. nil is the defaults and passes.
func CheckTLS(c *tls.Config) error {
	if c == nil {
		return nil
	}
	if c.InsecureSkipVerify {
		return fmt.Errorf("%w: TLS certificate verification cannot be turned off", ErrInsecure)
	}
	if c.MinVersion != 0 && c.MinVersion < tls.VersionTLS12 {
		return fmt.Errorf("%w: TLS older than 1.2 is not allowed", ErrInsecure)
	}
	return nil
}

// CheckURL accepts https, and plain http only to a loopback host.
func CheckURL(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w: plain http to %s: use https (plain http is only for loopback, such as the simulator)", ErrInsecure, u.Hostname())
	}
	return fmt.Errorf("%w: scheme %q is not https", ErrInsecure, u.Scheme)
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// refuseRedirect is the CheckRedirect of every client. The round tripper
// already turns a 3xx into an error, so it is only a second lock.
func refuseRedirect(req *http.Request, via []*http.Request) error {
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return &RedirectError{Status: status}
}

// RedirectError is a 3xx answer, which is never followed. It names neither
// the Location nor anything else the server sent.
type RedirectError struct {
	Status int
}

func (e *RedirectError) Error() string {
	s := "a redirect"
	if e.Status != 0 {
		s = fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	}
	return "the server answered " + s + ", and redirects are never followed: " +
		"the configured address is probably wrong or has moved; check its scheme, host and path"
}

// Is makes errors.Is(err, ErrRedirect) true.
func (e *RedirectError) Is(target error) bool { return target == ErrRedirect }

// Transient is false: the same address will redirect again.
func (e *RedirectError) Transient() bool { return false }

// TooLargeError is a response body longer than the cap.
type TooLargeError struct {
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("response larger than %d bytes: refused; the server is not answering as the API does", e.Limit)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// Transient is false.
func (e *TooLargeError) Transient() bool { return false }

// insecureError is a refused URL; permanent for package retry.
type insecureError struct{ err error }

func (e *insecureError) Error() string   { return e.err.Error() }
func (e *insecureError) Unwrap() error   { return e.err }
func (e *insecureError) Transient() bool { return false }

// roundTripper applies the policy around next.
type roundTripper struct {
	next http.RoundTripper
	max  int64
	obs  Observer // nil: not observed
}

func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if rt.obs == nil {
		return rt.roundTrip(req)
	}
	start := time.Now()
	resp, err := rt.roundTrip(req)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	} else {
		var re *RedirectError
		if errors.As(err, &re) {
			status = re.Status
		}
	}
	rt.obs.ObserveRequest(req, status, err, time.Since(start))
	return resp, err
}

func (rt *roundTripper) roundTrip(req *http.Request) (*http.Response, error) {
	if err := CheckURL(req.URL); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, &insecureError{err}
	}
	resp, err := rt.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, redirectDrain))
		resp.Body.Close()
		return nil, &RedirectError{Status: resp.StatusCode}
	}
	if resp.ContentLength > rt.max {
		resp.Body.Close()
		return nil, &TooLargeError{Limit: rt.max}
	}
	resp.Body = &capped{rc: resp.Body, left: rt.max, limit: rt.max}
	return resp, nil
}

// CloseIdleConnections closes the idle connections of the wrapped transport.
func (rt *roundTripper) CloseIdleConnections() {
	if c, ok := rt.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// capped reads at most limit bytes and fails, rather than stops, past them.
type capped struct {
	rc    io.ReadCloser
	left  int64
	limit int64
	err   error
}

func (c *capped) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.left <= 0 {
		var one [1]byte
		n, err := c.rc.Read(one[:])
		if n > 0 {
			c.err = &TooLargeError{Limit: c.limit}
			return 0, c.err
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *capped) Close() error { return c.rc.Close() }
