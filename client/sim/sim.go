// Package sim is one HTTP server that imitates both vendor APIs Signet talks
// to — StoRegister (under StoRegisterPrefix) and Mews (its own paths) — for
// demo mode, for tests, and for integrators without credentials.
//
// It enforces what the vendor docs document, keeps what it received so tests
// and the demo can inspect it, and injects faults (latency, 500s, 429s with
// Retry-After, dropped connections, succeeded:false answers) at rates that
// tests and `signet sim` flags set at runtime. Faults are drawn from a
// seeded random source, so a run is reproducible.
package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/redact"
)

// StoRegisterPrefix is the path under which StoRegister is served: a
// client's base URL is the server's URL followed by this prefix.
const StoRegisterPrefix = "/storegister"

// DefaultMaxUpload caps an uploaded identity document image.
const DefaultMaxUpload = 20 << 20

// Server is the simulator. Its methods are safe for concurrent use.
type Server struct {
	logger    *slog.Logger
	apiKey    string
	maxUpload int64
	now       func() time.Time
	seed      uint64

	mu       sync.Mutex
	rng      *rand.Rand
	faults   Faults
	injected int
	requests int
	bookings map[string]demodata.Person
	sigs     []Signature
	docs     []Document
	mews     *mewsSim   // the Mews Connector API's own state (mews.go)
	vocab    Vocabulary // the booking preview's field names (storegister.go)

	handler http.Handler

	srvMu sync.Mutex
	srv   *http.Server
	url   string
}

// Signature is a signature the simulator accepted.
type Signature struct {
	BookingID   string
	ReferenceID string
	PNG         []byte // the decoded PNG file
	Width       int
	Height      int
	At          time.Time
}

// Document is an identity document image the simulator accepted.
type Document struct {
	BookingID   string
	ReferenceID string
	TypeID      string
	TypeName    string
	Filename    string
	ContentType string
	Data        []byte
	Width       int
	Height      int
	At          time.Time
}

// Option configures a Server.
type Option func(*Server)

// WithSeed seeds the random source of faults and reference ids (default 1).
func WithSeed(seed uint64) Option { return func(s *Server) { s.seed = seed } }

// WithAPIKey sets the StoRegister key the simulator accepts (default
// demodata.StoRegisterAPIKey).
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithLogger logs each request (method, path, status, fault) through l.
func WithLogger(l *slog.Logger) Option {
	return func(s *Server) {
		if l != nil {
			s.logger = slog.New(redact.NewHandler(l.Handler()))
		}
	}
}

// WithFaults sets the initial faults. Faults that do not Validate are a
// programming error: New panics. Check faults from outside with
// Faults.Validate first, as `signet sim` does.
func WithFaults(f Faults) Option {
	return func(s *Server) {
		if err := f.Validate(); err != nil {
			panic(err)
		}
		s.faults = f
	}
}

// WithMaxUpload caps an uploaded image (default DefaultMaxUpload).
func WithMaxUpload(n int64) Option {
	return func(s *Server) {
		if n > 0 {
			s.maxUpload = n
		}
	}
}

// WithClock sets the clock used for timestamps and Retry-After dates.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// New returns a simulator seeded with demodata's bookings and document types.
func New(opts ...Option) *Server {
	s := &Server{
		logger:    redact.Discard(),
		apiKey:    demodata.StoRegisterAPIKey,
		maxUpload: DefaultMaxUpload,
		now:       time.Now,
		seed:      1,
	}
	for _, o := range opts {
		o(s)
	}
	s.rng = rand.New(rand.NewPCG(s.seed, s.seed^0x5eed))
	s.bookings = map[string]demodata.Person{}
	for _, p := range demodata.People {
		s.bookings[p.BookingID] = p
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "Signet API simulator\nStoRegister: %s/v1/booking/…\n", StoRegisterPrefix)
	})
	s.mountStoRegister(mux)
	s.mountMews(mux)
	s.handler = s.withFaults(mux)
	return s
}

// Handler returns the simulator's HTTP handler: every route, faults included.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on addr (such as "127.0.0.1:0") and serves until Close or
// until ctx ends. It returns the server's base URL, e.g. "http://127.0.0.1:8787".
func (s *Server) Start(ctx context.Context, addr string) (string, error) {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv != nil {
		return "", errors.New("sim: already started")
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sim: listen: %w", err)
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.srv, s.url = srv, "http://"+ln.Addr().String()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logger.Error("sim: serve", "error", err)
		}
	}()
	stop := context.AfterFunc(ctx, func() { s.Close() })
	srv.RegisterOnShutdown(func() { stop() })
	return s.url, nil
}

// URL returns the base URL after Start, else "".
func (s *Server) URL() string {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	return s.url
}

// StoRegisterURL returns the StoRegister base URL after Start, else "".
func (s *Server) StoRegisterURL() string {
	if u := s.URL(); u != "" {
		return u + StoRegisterPrefix
	}
	return ""
}

// Close stops the server started by Start, waiting briefly for requests in
// flight. It is safe to call twice.
func (s *Server) Close() error {
	s.srvMu.Lock()
	srv := s.srv
	s.srvMu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return srv.Close()
	}
	return nil
}

// SetFaults replaces the faults; they apply to the next request. Faults
// that do not Validate are refused with its error, and the current ones
// stay.
func (s *Server) SetFaults(f Faults) error {
	if err := f.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults, s.injected = f, 0
	return nil
}

// Faults returns the current faults.
func (s *Server) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// Injected returns how many faults have been injected since the last
// SetFaults or Reset.
func (s *Server) Injected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.injected
}

// Requests returns how many API requests arrived since the last Reset.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Signatures returns copies of the signatures received, oldest first.
func (s *Server) Signatures() []Signature {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copies(s.sigs, func(v *Signature) *[]byte { return &v.PNG })
}

// Documents returns copies of the identity document images received, oldest first.
func (s *Server) Documents() []Document {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copies(s.docs, func(v *Document) *[]byte { return &v.Data })
}

// copies returns a copy of items whose bytes (the field data names) are
// each item's own, so a caller cannot change what the simulator holds.
func copies[T any](items []T, data func(*T) *[]byte) []T {
	out := make([]T, len(items))
	for i, v := range items {
		b := data(&v)
		*b = append([]byte(nil), *b...)
		out[i] = v
	}
	return out
}

// Reset forgets what both APIs received (ResetMews included), clears the
// faults and the counters, and reseeds the random source, for the next test.
func (s *Server) Reset() {
	s.mu.Lock()
	s.sigs, s.docs = nil, nil
	s.faults, s.injected, s.requests = Faults{}, 0, 0
	s.rng = rand.New(rand.NewPCG(s.seed, s.seed^0x5eed))
	s.mu.Unlock()
	s.ResetMews()
}

// guid returns a random GUID in the vendor's upper-case style; s.mu held.
func (s *Server) guid() string {
	a, b := s.rng.Uint64(), s.rng.Uint64()
	a = a&^(0xf<<12) | 0x4<<12 // version 4
	b = b&^(0x3<<62) | 0x2<<62 // variant 10
	return fmt.Sprintf("%08X-%04X-%04X-%04X-%012X", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// drain reads what is left of a request body, bounded, so an early answer
// reaches the client rather than a reset connection.
func drain(r *http.Request, max int64) {
	io.Copy(io.Discard, io.LimitReader(r.Body, max))
}
