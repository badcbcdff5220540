// Package stafftest helps tests of the staff side: a Mews client on the
// simulator that keeps the body of every request.
package stafftest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// Recorder keeps the body of every Mews request, by operation
// ("identityDocuments/update", say).
type Recorder struct {
	mu     sync.Mutex
	bodies map[string][][]byte
}

// RoundTrip implements http.RoundTripper over http.DefaultTransport.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(b))
		op := req.URL.Path[strings.Index(req.URL.Path, "/v1/")+4:]
		r.mu.Lock()
		if r.bodies == nil {
			r.bodies = map[string][][]byte{}
		}
		r.bodies[op] = append(r.bodies[op], b)
		r.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(req)
}

// Count is how many op requests were made.
func (r *Recorder) Count(op string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies[op])
}

// Last is the body of the last op request; the test fails without one.
func (r *Recorder) Last(t testing.TB, op string) []byte {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	bs := r.bodies[op]
	if len(bs) == 0 {
		t.Fatalf("no %s request", op)
	}
	return bs[len(bs)-1]
}

// Mews is a Mews client of srv that records its requests in rec and reads
// lists two items a page, so a list of three takes two pages.
func Mews(t testing.TB, srv *sim.Server, rec *Recorder, opts ...mews.Option) *mews.Client {
	t.Helper()
	opts = append([]mews.Option{mews.WithHTTPClient(&http.Client{Transport: rec}), mews.WithPageCount(2)}, opts...)
	mc, err := mews.NewClient(srv.URL(), demodata.MewsClientToken, demodata.MewsAccessToken, "Signet test", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return mc
}
