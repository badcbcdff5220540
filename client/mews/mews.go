// Package mews is a client for the parts of the Mews Connector API that Signet
// uses: identity documents, finding a customer, and the enterprise
// configuration.
//
// Every call is a POST of a JSON body that carries the client token, the
// access token and the client name, as the Connector API requires. The
// client limits itself to a sliding window of requests per access token
// (180 per 30 seconds by default, under the API's 200), so the kiosk never
// causes a 429, and retries transient failures through the shared policy of
// package retry.
//
// Tokens never reach a log line or an error string; request and response
// bodies are not logged.
//
// Every request goes through the one HTTP policy of package transport: a
// redirect is never followed (the tokens and the guest's document would go
// with it), TLS is verified, plain http goes only to loopback, each attempt
// has a timeout (WithTimeout, default 30 s) and a response body is capped at
// 16 MiB.
//
// A listing (DocumentsService.GetAll and List, CustomersService.Find) is
// capped too, so a server whose pages never end cannot hold the kiosk or
// fill its memory: at most DefaultMaxListPages pages (10 000) and
// DefaultMaxListItems items (100 000) per listing, far above any real
// customer's documents; past either the listing stops with an error
// matching ErrListTooLong. WithListLimits changes both. Every paged request
// is checked by following its cursor chain, whatever loop sends it.
//
// Reference: https://docs.mews.com/connector-api
package mews

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/internal/redact"
)

// Platform addresses of the two public Mews environments.
const (
	// DemoURL is the public demo environment: never send real data there.
	DemoURL = "https://api.mews-demo.com"
	// ProductionURL is the production environment.
	ProductionURL = "https://api.mews.com"
)

// apiPrefix is the path of every Connector API operation under the platform address.
const apiPrefix = "/api/connector/v1/"

// Limits of the Connector API, from the operation reference pages.
const (
	MaxGetAllIDs     = 100  // CustomerIds and IdentityDocumentIds per getAll call
	MaxGetAllChains  = 1000 // ChainIds per getAll call
	MaxPageCount     = 1000 // Limitation.Count
	MaxAddBatch      = 10   // identityDocuments/add
	MaxUpdateBatch   = 10   // identityDocuments/update
	MaxDeleteBatch   = 100  // identityDocuments/delete
	MaxClearBatch    = 10   // identityDocuments/clear
	MaxCustomerIDs   = 1000 // filters of customers/getAll
	DefaultRateLimit = 180  // client-side requests per access token per RateWindow
	// APIRateLimit is what the Connector API allows per access token per RateWindow.
	APIRateLimit = 200
)

// Default caps of one listing; see WithListLimits.
const (
	DefaultMaxListPages = 10_000
	DefaultMaxListItems = 100_000
)

// RateWindow is the sliding window of the Connector API's rate limit.
const RateWindow = 30 * time.Second

// maxBody caps how much of a response is read (through package transport,
// which fails past it): a full page of 1000 documents is well under a
// megabyte; error bodies are capped much lower.
const (
	maxBody      = 16 << 20
	maxErrorBody = 64 << 10
)

// DefaultTimeout bounds each attempt when WithTimeout is not given.
const DefaultTimeout = 30 * time.Second

// Sentinel errors.
var (
	// ErrConfig is wrapped by every error NewClient returns for a bad setting.
	ErrConfig = errors.New("mews: invalid configuration")
	// ErrClearType is returned by Update when asked to clear a document's
	// Type, which the API refuses; nothing is sent.
	ErrClearType = errors.New("mews: a document's Type cannot be cleared")
	// ErrInvalidInput is wrapped by errors for input the client refuses
	// before sending (a missing customer id, too many chain ids).
	ErrInvalidInput = errors.New("mews: invalid input")
	// ErrListTooLong matches every *ListLimitError: a listing passed its
	// cap of pages or items (WithListLimits).
	ErrListTooLong = errors.New("mews: listing too long")
)

// Clock tells the time and waits. The limiter and the retry policy use it;
// tests pass a fake whose Sleep advances the fake time and returns at once.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx ends, returning ctx.Err() in that case.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time                                   { return time.Now() }
func (realClock) Sleep(ctx context.Context, d time.Duration) error { return retry.Wait(ctx, d) }

// Client talks to one Mews platform with one pair of tokens. It is safe for
// concurrent use.
type Client struct {
	baseURL     *url.URL
	clientToken redact.Secret
	accessToken redact.Secret
	clientName  string
	language    string
	culture     string
	chainID     string

	httpClient *http.Client
	timeout    time.Duration
	logger     *slog.Logger
	policy     *retry.Policy
	clock      Clock
	limiter    *Limiter
	rateLimit  int
	pageCount  int
	maxPages   int
	maxItems   int

	cfgMu sync.Mutex
	cfg   *Configuration

	cursors cursorGuard

	// Documents are the identity-document operations.
	Documents *DocumentsService
	// Customers finds customers.
	Customers *CustomersService
	// Configuration reads the enterprise configuration.
	Configuration *ConfigurationService
}

type service struct{ client *Client }

// Option configures a Client in NewClient.
type Option func(*Client) error

// WithHTTPClient sets the HTTP client (its Timeout bounds each attempt;
// none means WithTimeout's). Package transport's policy is applied to it:
// redirects are never followed, plain http goes only to loopback, bodies are
// capped; a transport that skips TLS verification makes NewClient fail.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return fmt.Errorf("%w: nil http client", ErrConfig)
		}
		c.httpClient = hc
		return nil
	}
}

// WithTimeout bounds each attempt, response body included (default 30 s).
// It must be positive.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("%w: timeout %v is not positive", ErrConfig, d)
		}
		c.timeout = d
		return nil
	}
}

// WithLanguage sets LanguageCode and CultureCode (e.g. "en-US", "en-US"),
// which the API takes both or neither.
func WithLanguage(languageCode, cultureCode string) Option {
	return func(c *Client) error {
		if (languageCode == "") != (cultureCode == "") {
			return fmt.Errorf("%w: language code and culture code go together: set both or neither", ErrConfig)
		}
		c.language, c.culture = languageCode, cultureCode
		return nil
	}
}

// WithChainID sets the ChainId sent with every write, required with a
// Portfolio Access Token and ignored by the API otherwise.
func WithChainID(id string) Option {
	return func(c *Client) error { c.chainID = id; return nil }
}

// WithLogger sets the logger for one line per request (operation, status,
// duration, request id); never tokens, never bodies. The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrConfig)
		}
		c.logger = l
		return nil
	}
}

// WithRetryPolicy sets the retry policy; nil disables retrying. The default
// is retry.Default(). The client's Clock fills in Sleep and Now when unset.
func WithRetryPolicy(p *retry.Policy) Option {
	return func(c *Client) error {
		if p == nil {
			p = &retry.Policy{MaxAttempts: 1}
		}
		cp := *p
		c.policy = &cp
		return nil
	}
}

// WithRateLimit sets the client-side limit of requests per access token in
// a sliding 30-second window (1–200; default 180).
func WithRateLimit(n int) Option {
	return func(c *Client) error {
		if n < 1 || n > APIRateLimit {
			return fmt.Errorf("%w: rate limit %d outside 1–%d requests per 30 s", ErrConfig, n, APIRateLimit)
		}
		c.rateLimit = n
		return nil
	}
}

// WithLimiter shares one limiter between clients that use the same access
// token; it overrides WithRateLimit. Without it each client has its own, so
// a process should make one client per access token and share it.
func WithLimiter(l *Limiter) Option {
	return func(c *Client) error {
		if l == nil {
			return fmt.Errorf("%w: nil limiter", ErrConfig)
		}
		c.limiter = l
		return nil
	}
}

// WithClock sets the clock of the limiter and the retry waits.
func WithClock(clk Clock) Option {
	return func(c *Client) error {
		if clk == nil {
			return fmt.Errorf("%w: nil clock", ErrConfig)
		}
		c.clock = clk
		return nil
	}
}

// WithPageCount sets Limitation.Count for get-all calls (1–1000; default 1000).
func WithPageCount(n int) Option {
	return func(c *Client) error {
		if n < 1 || n > MaxPageCount {
			return fmt.Errorf("%w: page count %d outside 1–%d", ErrConfig, n, MaxPageCount)
		}
		c.pageCount = n
		return nil
	}
}

// WithListLimits caps one listing (a GetAll or List call) at pages pages
// and items items, both at least 1 (defaults DefaultMaxListPages and
// DefaultMaxListItems). Past either the listing ends with a *ListLimitError.
func WithListLimits(pages, items int) Option {
	return func(c *Client) error {
		if pages < 1 || items < 1 {
			return fmt.Errorf("%w: listing limits %d pages, %d items: both must be at least 1", ErrConfig, pages, items)
		}
		c.maxPages, c.maxItems = pages, items
		return nil
	}
}

// NewClient returns a client for the platform at platformURL (DemoURL,
// ProductionURL, or a simulator) with the given tokens. clientName is sent as
// "Client", the application's name and version ("Signet 1.0.0"). The tokens
// are registered with package redact so that no log line can print them.
func NewClient(platformURL string, clientToken, accessToken redact.Secret, clientName string, opts ...Option) (*Client, error) {
	u, err := url.Parse(platformURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%w: platform address %q is not an http(s) URL", ErrConfig, redact.String(platformURL))
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: platform address must not carry credentials", ErrConfig)
	}
	if err := transport.CheckURL(u); err != nil {
		return nil, fmt.Errorf("%w: platform address: %w", ErrConfig, err)
	}
	if clientToken.IsZero() {
		return nil, fmt.Errorf("%w: missing client token", ErrConfig)
	}
	if accessToken.IsZero() {
		return nil, fmt.Errorf("%w: missing access token", ErrConfig)
	}
	if strings.TrimSpace(clientName) == "" {
		return nil, fmt.Errorf("%w: missing client name", ErrConfig)
	}
	redact.Register(clientToken.Reveal(), accessToken.Reveal())
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	c := &Client{
		baseURL:     u,
		clientToken: clientToken,
		accessToken: accessToken,
		clientName:  clientName,
		timeout:     DefaultTimeout,
		logger:      redact.Discard(),
		policy:      retry.Default(),
		clock:       realClock{},
		rateLimit:   DefaultRateLimit,
		pageCount:   MaxPageCount,
		maxPages:    DefaultMaxListPages,
		maxItems:    DefaultMaxListItems,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	// One transport policy for every client: see package transport.
	topts := transport.Options{Timeout: c.timeout, MaxResponseBytes: maxBody}
	if c.httpClient == nil {
		c.httpClient = transport.NewClient(topts)
	} else {
		hc, err := transport.Secure(c.httpClient, topts)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		c.httpClient = hc
	}
	if c.policy.Sleep == nil {
		c.policy.Sleep = c.clock.Sleep
	}
	if c.policy.Now == nil {
		c.policy.Now = c.clock.Now
	}
	if c.limiter == nil {
		c.limiter = NewLimiter(c.rateLimit, RateWindow, c.clock)
	}
	s := service{client: c}
	c.Documents = (*DocumentsService)(&s)
	c.Customers = (*CustomersService)(&s)
	c.Configuration = (*ConfigurationService)(&s)
	return c, nil
}

// envelope is the part of every request body that identifies the caller.
type envelope struct {
	ClientToken  string
	AccessToken  string
	Client       string
	LanguageCode string `json:",omitempty"`
	CultureCode  string `json:",omitempty"`
}

func (c *Client) envelope() envelope {
	return envelope{
		ClientToken:  c.clientToken.Reveal(),
		AccessToken:  c.accessToken.Reveal(),
		Client:       c.clientName,
		LanguageCode: c.language,
		CultureCode:  c.culture,
	}
}

// Limitation is the paging parameter of get-all operations.
type Limitation struct {
	Count  int
	Cursor *string `json:",omitempty"`
}

// call makes one attempt of operation op ("identityDocuments/getAll"): it waits
// for the limiter, POSTs body, and decodes a 200 into out (nil to discard).
// Failures are *APIError for an error status, or the transport's error.
func (c *Client) call(ctx context.Context, op string, body, out any) error {
	lim, paged := pagingOf(body)
	var pos listPos
	if paged {
		var err error
		if pos, err = c.guardBefore(op, lim); err != nil {
			return err
		}
	}
	if err := c.limiter.Wait(ctx); err != nil {
		return fmt.Errorf("mews: %s: %w", op, err)
	}
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("mews: %s: encode request: %w", op, err)
	}
	u := *c.baseURL
	u.Path += apiPrefix + op
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("mews: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	start := c.clock.Now()
	resp, err := c.httpClient.Do(req)
	if err != nil {
		c.logger.LogAttrs(ctx, slog.LevelWarn, "mews request failed", slog.String("op", op), slog.String("error", redact.Error(err)))
		return fmt.Errorf("mews: %s: %w", op, scrubURLError(err))
	}
	defer resp.Body.Close()
	c.logger.LogAttrs(ctx, slog.LevelDebug, "mews request", slog.String("op", op), slog.Int("status", resp.StatusCode),
		slog.Duration("took", c.clock.Now().Sub(start)), slog.String("request_id", resp.Header.Get("Request-Id")))
	if err := CheckResponse(resp, c.policy.Clock()); err != nil {
		var ae *APIError
		if errors.As(err, &ae) {
			ae.Op = op
		}
		return err
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := decodeJSON(resp.Body, out); err != nil {
		return fmt.Errorf("mews: %s: decode response: %w", op, err)
	}
	if paged {
		return c.guardAfter(op, lim, pos, out)
	}
	return nil
}

// ListLimitError ends a listing that passed its cap of pages or items.
type ListLimitError struct {
	Op    string // the operation, such as "identityDocuments/getAll"
	What  string // "pages" or "items"
	Limit int
}

func (e *ListLimitError) Error() string {
	return fmt.Sprintf("mews: %s: the listing passed %d %s and was stopped: the server may be repeating itself; "+
		"if the listing really is that long, raise the limit (WithListLimits)", e.Op, e.Limit, e.What)
}

// Is makes errors.Is(err, ErrListTooLong) true.
func (e *ListLimitError) Is(target error) bool { return target == ErrListTooLong }

// Transient is false: asking again gives the same endless listing.
func (e *ListLimitError) Transient() bool { return false }

// cursorGuard caps every paged operation, whichever loop drives it
// (Customers.Find too), by following its cursor chain: the position of a
// listing (pages and items so far) is remembered under the cursor that
// continues it. A request without a cursor starts a listing.
type cursorGuard struct {
	mu   sync.Mutex
	seen map[string]listPos
}

type listPos struct{ pages, items int }

// maxTrackedCursors bounds the guard's memory: listings abandoned midway
// leave an entry behind; past this many, the guard starts afresh.
const maxTrackedCursors = 256

func cursorKey(op, cursor string) string { return op + "\x00" + cursor }

// before returns the position of the listing a request continues, and an
// error when that listing has used up its pages.
func (c *Client) guardBefore(op string, lim Limitation) (listPos, error) {
	var pos listPos
	if lim.Cursor != nil {
		c.cursors.mu.Lock()
		pos = c.cursors.seen[cursorKey(op, *lim.Cursor)]
		c.cursors.mu.Unlock()
	}
	if pos.pages >= c.maxPages {
		return pos, &ListLimitError{Op: op, What: "pages", Limit: c.maxPages}
	}
	return pos, nil
}

// guardAfter records a page received and fails when the listing's items
// pass their cap.
func (c *Client) guardAfter(op string, lim Limitation, pos listPos, out any) error {
	items, next := pageOf(out)
	pos.pages++
	pos.items += items
	if pos.items > c.maxItems {
		return &ListLimitError{Op: op, What: "items", Limit: c.maxItems}
	}
	c.cursors.mu.Lock()
	defer c.cursors.mu.Unlock()
	if lim.Cursor != nil {
		delete(c.cursors.seen, cursorKey(op, *lim.Cursor))
	}
	if next != "" {
		if c.cursors.seen == nil || len(c.cursors.seen) >= maxTrackedCursors {
			c.cursors.seen = map[string]listPos{}
		}
		c.cursors.seen[cursorKey(op, next)] = pos
	}
	return nil
}

var limitationType = reflect.TypeFor[Limitation]()

// pagingOf returns the Limitation of a request body, if it has one.
func pagingOf(body any) (Limitation, bool) {
	v := reflect.ValueOf(body)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return Limitation{}, false
	}
	f := v.FieldByName("Limitation")
	if !f.IsValid() || f.Type() != limitationType {
		return Limitation{}, false
	}
	return f.Interface().(Limitation), true
}

// pageOf returns the number of items of a decoded page (the length of its
// first list) and its next cursor ("" when none).
func pageOf(out any) (int, string) {
	v := reflect.ValueOf(out)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return 0, ""
	}
	items, cursor := -1, ""
	for i := range v.NumField() {
		f := v.Field(i)
		if items < 0 && f.Kind() == reflect.Slice && v.Type().Field(i).IsExported() {
			items = f.Len()
		}
	}
	if f := v.FieldByName("Cursor"); f.IsValid() && f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.String {
		cursor = f.Elem().String()
	}
	return max(items, 0), cursor
}

// listing counts the pages and items of one listing against the caps.
type listing struct {
	op                 string
	pages, items       int
	maxPages, maxItems int
}

func (c *Client) listing(op string) *listing {
	return &listing{op: op, maxPages: c.maxPages, maxItems: c.maxItems}
}

// next is called before a page is asked for: it fails when the cap of
// pages is reached, since a further page is then known to exist.
func (l *listing) next() error {
	if l.pages >= l.maxPages {
		return &ListLimitError{Op: l.op, What: "pages", Limit: l.maxPages}
	}
	return nil
}

// got records a page of n items; it fails when the items pass their cap.
func (l *listing) got(n int) error {
	l.pages++
	l.items += n
	if l.items > l.maxItems {
		return &ListLimitError{Op: l.op, What: "items", Limit: l.maxItems}
	}
	return nil
}

// decodeJSON decodes exactly one JSON value from r into out.
func decodeJSON(r io.Reader, out any) error {
	dec := json.NewDecoder(r)
	if err := dec.Decode(out); err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

// scrubURLError keeps the transport error but drops the URL's query, which
// never carries a token here but could in a misconfigured address.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery, u.User = "", nil
			ue.URL = u.String()
		}
	}
	return err
}

// do runs one operation under the retry policy; every failure is retried
// when retry.Transient says so.
func (c *Client) do(ctx context.Context, op string, body, out any) error {
	return c.policy.Do(ctx, func(ctx context.Context) error {
		return c.call(ctx, op, body, out)
	})
}

// String describes the client without its tokens.
func (c *Client) String() string {
	return fmt.Sprintf("mews.Client{platform: %s, client: %q}", c.baseURL.Redacted(), c.clientName)
}

// GoString is String, so %#v cannot print the tokens either.
func (c *Client) GoString() string { return c.String() }
