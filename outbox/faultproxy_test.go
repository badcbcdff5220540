package outbox

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
)

// faultProxy sits in front of the simulator. It adds the one fault the
// simulator does not make, a connection cut in the middle of the upload
// (the simulator drops connections after reading the request), and it
// watches Retry-After: a request that arrives before the wait the last 429
// asked for is a violation.
type faultProxy struct {
	next http.Handler
	// cutEvery cuts the upload of every n-th request carrying a body, up to
	// cutLimit times; 0 cuts nothing.
	cutEvery, cutLimit int
	// loseAdds makes the simulator create the first n Mews documents, then
	// loses each answer by cutting the connection: Mews add has no
	// idempotency key, so only MewsDeliverer's look before adding keeps a
	// second copy out.
	loseAdds int

	mu         sync.Mutex
	n          int
	cuts       int
	lost       int
	limited    int       // 429 answers seen
	hold       time.Time // no request is allowed before this
	violations []time.Duration
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	p.mu.Lock()
	if early := p.hold.Sub(now); early > 0 {
		p.violations = append(p.violations, early)
	}
	p.n++
	cut := p.cutEvery > 0 && r.ContentLength != 0 && p.n%p.cutEvery == 0 && p.cuts < p.cutLimit
	if cut {
		p.cuts++
	}
	p.mu.Unlock()

	if cut {
		// Take part of the body, then close the connection under the client.
		io.CopyN(io.Discard, r.Body, 300)
		if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
			c.Close()
			return
		}
		panic(http.ErrAbortHandler)
	}
	if strings.HasSuffix(r.URL.Path, "/identityDocuments/add") {
		p.mu.Lock()
		lose := p.lost < p.loseAdds
		if lose {
			p.lost++
		}
		p.mu.Unlock()
		if lose {
			p.next.ServeHTTP(httptest.NewRecorder(), r)
			if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
				c.Close()
				return
			}
			panic(http.ErrAbortHandler)
		}
	}
	rec := &statusRecorder{ResponseWriter: w}
	p.next.ServeHTTP(rec, r)
	if rec.status == http.StatusTooManyRequests {
		// The hold is reckoned from the instant the header is read at: a
		// second time.Now() a moment later (a goroutine descheduled on a
		// loaded machine) moved it past the header's date, and a client
		// that came exactly on time was called 2 ms early in a CI run.
		now := time.Now()
		if d, ok := retry.ParseRetryAfter(w.Header(), now); ok {
			p.mu.Lock()
			p.limited++
			p.hold = now.Add(d)
			p.mu.Unlock()
		}
	}
}

func (p *faultProxy) report() (cuts, lost, limited int, violations []time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts, p.lost, p.limited, append([]time.Duration(nil), p.violations...)
}

// statusRecorder notes the status and lets the simulator hijack the
// connection for its own dropped-connection fault.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return s.ResponseWriter.(http.Hijacker).Hijack()
}
