package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrorsShape is how a StoRegister failure writes its errors list; the
// vendor does not document it, so the client must read them all.
type ErrorsShape string

// The shapes the simulator can write.
const (
	ShapeObjects   ErrorsShape = "objects"   // [{"code": "X", "message": "…"}] (the default)
	ShapeStrings   ErrorsShape = "strings"   // ["X"]
	ShapeErrorCode ErrorsShape = "errorCode" // [{"errorCode": "X", "message": "…"}]
	ShapeKey       ErrorsShape = "key"       // [{"key": "X", "message": "…"}]
	ShapeNull      ErrorsShape = "null"      // null
)

// Shapes lists every ErrorsShape.
var Shapes = []ErrorsShape{ShapeObjects, ShapeStrings, ShapeErrorCode, ShapeKey, ShapeNull}

// ParseShape reads an ErrorsShape by name ("" is ShapeObjects).
func ParseShape(s string) (ErrorsShape, error) {
	if s == "" {
		return ShapeObjects, nil
	}
	for _, v := range Shapes {
		if strings.EqualFold(s, string(v)) {
			return v, nil
		}
	}
	return "", fmt.Errorf("sim: errors shape %q is not one of objects, strings, errorCode, key, null", s)
}

// Faults are the failures the simulator injects. Rates are fractions of
// requests (0 to 1); one random draw per request picks at most one fault, in
// the order drop, 500, 429, succeeded:false. Faults apply to every API route,
// Mews included, except FailRate, which only StoRegister answers can carry.
type Faults struct {
	// Latency is added before every API answer.
	Latency time.Duration
	// DropRate is the share of requests whose connection is closed after a
	// partial response (headers and half a body).
	DropRate float64
	// ErrorRate is the share answered 500 Internal Server Error.
	ErrorRate float64
	// RateLimitRate is the share answered 429 Too Many Requests.
	RateLimitRate float64
	// RetryAfter is the Retry-After sent with a 429; 0 means 1 s.
	RetryAfter time.Duration
	// RetryAfterDate sends Retry-After as an HTTP date instead of seconds.
	RetryAfterDate bool
	// FailRate is the share of StoRegister requests answered 200 with
	// succeeded:false and FailCode in the errors list.
	FailRate float64
	// FailCode is the code of those answers; "" means FAILED.
	FailCode string
	// FailShape is how their errors list is written; "" means ShapeObjects.
	FailShape ErrorsShape
	// Limit stops injecting after this many faults; 0 means no limit. With a
	// rate of 1 and Limit n, the first n requests fail and the rest succeed.
	Limit int
}

// Validate reports what makes f unusable: a rate that is not a finite
// number from 0 to 1 (NaN and ±Inf included), rates that add up to more
// than 1, or a negative Latency, RetryAfter or Limit. Every problem is
// named, by the flag of `signet sim` that sets it.
func (f Faults) Validate() error {
	var errs []error
	for _, r := range []struct {
		name string
		v    float64
	}{{"drop-rate", f.DropRate}, {"error-rate", f.ErrorRate}, {"rate-limit-rate", f.RateLimitRate}, {"fail-rate", f.FailRate}} {
		if math.IsNaN(r.v) || math.IsInf(r.v, 0) || r.v < 0 || r.v > 1 {
			errs = append(errs, fmt.Errorf("sim: %s %v is not a share of requests from 0 to 1 (such as 0.1)", r.name, r.v))
		}
	}
	if len(errs) == 0 {
		if sum := f.DropRate + f.ErrorRate + f.RateLimitRate + f.FailRate; sum > 1 {
			errs = append(errs, fmt.Errorf("sim: the fault rates add up to %v, over 1", sum))
		}
	}
	if f.Latency < 0 {
		errs = append(errs, fmt.Errorf("sim: latency %v is negative", f.Latency))
	}
	if f.RetryAfter < 0 {
		errs = append(errs, fmt.Errorf("sim: retry-after %v is negative", f.RetryAfter))
	}
	if f.Limit < 0 {
		errs = append(errs, fmt.Errorf("sim: fault-limit %d is negative", f.Limit))
	}
	if f.FailShape != "" {
		if _, err := ParseShape(string(f.FailShape)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

type faultKind int

const (
	faultNone faultKind = iota
	faultDrop
	fault500
	fault429
	faultFail
)

func (k faultKind) String() string {
	return [...]string{"", "drop", "500", "429", "succeeded:false"}[k]
}

// pick draws the fault for one request; s.mu held.
func (s *Server) pick(storeg bool) faultKind {
	f := s.faults
	if f.DropRate <= 0 && f.ErrorRate <= 0 && f.RateLimitRate <= 0 && (f.FailRate <= 0 || !storeg) {
		return faultNone
	}
	if f.Limit > 0 && s.injected >= f.Limit {
		return faultNone
	}
	x := s.rng.Float64()
	kind := faultNone
	for _, c := range []struct {
		rate float64
		kind faultKind
	}{{f.DropRate, faultDrop}, {f.ErrorRate, fault500}, {f.RateLimitRate, fault429}, {f.FailRate, faultFail}} {
		if c.rate <= 0 || (c.kind == faultFail && !storeg) {
			continue
		}
		if x < c.rate {
			kind = c.kind
			break
		}
		x -= c.rate
	}
	if kind != faultNone {
		s.injected++
	}
	return kind
}

// isAPI reports whether a path belongs to a simulated API (not the index page).
func isAPI(path string) bool {
	return strings.HasPrefix(path, StoRegisterPrefix+"/") || strings.HasPrefix(path, "/api/")
}

// withFaults is the middleware every route goes through.
func (s *Server) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isAPI(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		storeg := strings.HasPrefix(r.URL.Path, StoRegisterPrefix+"/")
		s.mu.Lock()
		s.requests++
		f := s.faults
		kind := s.pick(storeg)
		s.mu.Unlock()

		if f.Latency > 0 {
			// Read the request before the wait, as a server that is slow
			// to answer (not to read) does: the client's upload completes,
			// and net/http then watches the connection, so a client that
			// gives up during the wait ends r.Context() and nothing is
			// stored. The body is replayed to the handler; past the
			// largest upload, the rest is left to it.
			body, err := io.ReadAll(io.LimitReader(r.Body, s.maxUpload+1<<20))
			if err != nil {
				return // the client left during its upload
			}
			r.Body = replayBody{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if kind != faultNone {
			s.logger.Info("sim: fault", "method", r.Method, "path", r.URL.Path, "fault", kind.String())
			drain(r, s.maxUpload+1<<20)
		}
		switch kind {
		case faultDrop:
			dropConnection(w)
		case fault500:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintln(w, "simulated internal server error")
		case fault429:
			d := f.RetryAfter
			if d <= 0 {
				d = time.Second
			}
			if f.RetryAfterDate {
				w.Header().Set("Retry-After", s.now().Add(d).UTC().Format(http.TimeFormat))
			} else {
				w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprintln(w, "simulated rate limit")
		case faultFail:
			code := f.FailCode
			if code == "" {
				code = "FAILED"
			}
			writeFailure(w, http.StatusOK, f.FailShape, code)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// replayBody is a request body read ahead: the bytes read, then the rest,
// closed as the original.
type replayBody struct {
	io.Reader
	io.Closer
}

// dropConnection sends the start of a response and closes the connection.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"data\":\"4AF3E7")
	buf.Flush()
	conn.Close()
}
