package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Paths served; every other path answers 404.
const (
	PathMetrics = "/metrics"
	PathHealth  = "/healthz"
)

// Handler serves /metrics and /healthz, GET and HEAD only.
func (m *Metrics) Handler(log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	prom := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:            promLogger{log},
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: 4,
		Timeout:             10 * time.Second,
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		switch r.URL.Path {
		case PathMetrics:
			prom.ServeHTTP(w, r)
		case PathHealth:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			if err := m.healthErr(); err != nil {
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, "unhealthy: "+oneLine(err.Error())+"\n")
				return
			}
			io.WriteString(w, "ok\n")
		default:
			http.NotFound(w, r)
		}
	})
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

type promLogger struct{ log *slog.Logger }

func (l promLogger) Println(v ...any) { l.log.Warn("metrics: " + fmt.Sprint(v...)) }

// Server is the running HTTP endpoint.
type Server struct {
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
}

// Serve listens on addr (`[metrics] listen`) and serves Handler until ctx
// ends or Close is called. The listener is bound before Serve returns, so
// an address in use is reported here, not later.
func (m *Metrics) Serve(ctx context.Context, addr string, log *slog.Logger) (*Server, error) {
	if addr == "" {
		return nil, errors.New("metrics: no listen address")
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen on %s: %w", addr, err)
	}
	s := &Server{ln: ln, done: make(chan struct{}), srv: &http.Server{
		Handler:           m.Handler(log),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    8 << 10,
		ErrorLog:          slog.NewLogLogger(discardIfNil(log).Handler(), slog.LevelDebug),
	}}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && log != nil {
			log.Error("metrics endpoint stopped", "err", err)
		}
	}()
	stop := context.AfterFunc(ctx, func() { _ = s.Close() })
	go func() { <-s.done; stop() }()
	return s, nil
}

func discardIfNil(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}

// Addr is the address listened on (with the port chosen for ":0").
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server and waits for it; safe twice.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	<-s.done
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.srv.Close()
	}
	return err
}
