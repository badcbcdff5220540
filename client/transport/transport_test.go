package transport_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/client/transport/transporttest"
)

const secret = "tok-3c1f9a7e5b"

// sink counts every request it receives; a test fails if it sees one.
func sink(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.Copy(io.Discard, r.Body)
	}))
	t.Cleanup(s.Close)
	return s, &hits
}

// redirector answers every request with status and a Location naming to.
func redirector(t *testing.T, status int, to string) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", to+"/steal?token="+secret)
		w.WriteHeader(status)
		fmt.Fprint(w, "moved")
	}))
	t.Cleanup(s.Close)
	return s
}

func TestRedirectNeverFollowed(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			snk, hits := sink(t)
			src := redirector(t, status, snk.URL)
			for name, hc := range map[string]*http.Client{
				"NewClient": transport.NewClient(transport.Options{}),
				"Secure":    mustSecure(t, &http.Client{}),
			} {
				resp, err := hc.Post(src.URL+"/api", "application/json", strings.NewReader(`{"AccessToken":"`+secret+`"}`))
				if err == nil {
					resp.Body.Close()
					t.Fatalf("%s: got %d, want an error", name, resp.StatusCode)
				}
				if !errors.Is(err, transport.ErrRedirect) {
					t.Errorf("%s: err = %v, want ErrRedirect", name, err)
				}
				msg := err.Error()
				if !strings.Contains(msg, fmt.Sprint(status)) || !strings.Contains(msg, "configured address") {
					t.Errorf("%s: message does not name the status and the cause: %s", name, msg)
				}
				if strings.Contains(msg, secret) || strings.Contains(msg, "steal") || strings.Contains(msg, snk.URL) {
					t.Errorf("%s: message echoes the Location: %s", name, msg)
				}
				if retry.Transient(err) {
					t.Errorf("%s: a redirect is classed transient", name)
				}
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("the sink received %d requests", n)
			}
		})
	}
}

func mustSecure(t *testing.T, hc *http.Client) *http.Client {
	t.Helper()
	c, err := transport.Secure(hc, transport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// countingRT records whether anything was sent.
type countingRT struct{ n atomic.Int32 }

func (c *countingRT) RoundTrip(*http.Request) (*http.Response, error) {
	c.n.Add(1)
	return nil, errors.New("must not be called")
}

func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://api.mews.com/x", true},
		{"http://127.0.0.1:8080/x", true},
		{"http://127.3.4.5/x", true},
		{"http://[::1]:9/x", true},
		{"http://localhost:9/x", true},
		{"http://LOCALHOST/x", true},
		{"http://api.mews.com/x", false},
		{"http://10.0.0.1/x", false},
		{"http://localhost.evil.example/x", false},
		{"ftp://127.0.0.1/x", false},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.url)
		if err := transport.CheckURL(u); (err == nil) != tt.want {
			t.Errorf("CheckURL(%s) = %v, want ok %v", tt.url, err, tt.want)
		}
	}
	rt := &countingRT{}
	hc := mustSecure(t, &http.Client{Transport: rt})
	_, err := hc.Get("http://api.example.com/bookings")
	if !errors.Is(err, transport.ErrInsecure) || retry.Transient(err) {
		t.Errorf("plain http to a remote host: err = %v, want permanent ErrInsecure", err)
	}
	if rt.n.Load() != 0 {
		t.Error("the request was sent")
	}
}

func TestTLSVerification(t *testing.T) {
	for _, cfg := range []*tls.Config{{InsecureSkipVerify: true}, {MinVersion: tls.VersionTLS10}, {MinVersion: tls.VersionTLS11}} {
		_, err := transport.Secure(&http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}, transport.Options{})
		if !errors.Is(err, transport.ErrInsecure) {
			t.Errorf("Secure with %+v: err = %v, want ErrInsecure", cfg, err)
		}
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	// The test server's certificate is self-signed: without trusting it, refused.
	hc := transport.NewClient(transport.Options{})
	if resp, err := hc.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Fatal("an unverified certificate was accepted")
	}
	hc.CloseIdleConnections()
	pool := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	hc = transport.NewClient(transport.Options{RootCAs: pool})
	resp, err := hc.Get(srv.URL)
	if err != nil {
		t.Fatalf("with the server's CA trusted: %v", err)
	}
	resp.Body.Close()
	if resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Errorf("TLS state %+v", resp.TLS)
	}
	hc.CloseIdleConnections()
}

func TestZeroSettingsFallBackToDefaults(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		hc := transport.NewClient(transport.Options{Timeout: d, ResponseHeaderTimeout: d, MaxResponseBytes: int64(d)})
		if hc.Timeout != transport.DefaultTimeout {
			t.Errorf("Timeout %v: client timeout %v", d, hc.Timeout)
		}
		sc := mustSecure(t, &http.Client{Timeout: d})
		if sc.Timeout != transport.DefaultTimeout {
			t.Errorf("Secure, Timeout %v: client timeout %v", d, sc.Timeout)
		}
	}
	if hc := mustSecure(t, &http.Client{Timeout: time.Second}); hc.Timeout != time.Second {
		t.Errorf("a caller's timeout was replaced: %v", hc.Timeout)
	}
}

// silent never answers until the client goes away.
func silent(t *testing.T) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	t.Cleanup(s.Close)
	return s
}

func TestSilentServerEndsByTimeout(t *testing.T) {
	srv := silent(t)
	tests := map[string]transport.Options{
		"request timeout": {Timeout: 50 * time.Millisecond},
		"header timeout":  {Timeout: time.Minute, ResponseHeaderTimeout: 50 * time.Millisecond},
	}
	for name, o := range tests {
		t.Run(name, func(t *testing.T) {
			hc := transport.NewClient(o)
			defer hc.CloseIdleConnections()
			// The context is only a safety net: the policy must end it first.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			_, err := hc.Do(req)
			var ne interface{ Timeout() bool }
			if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
				t.Fatalf("err = %v, want a timeout", err)
			}
			if ctx.Err() != nil {
				t.Error("only the safety net ended the request")
			}
		})
	}
}

// endless sends a body that never ends, until the client hangs up. It
// reports the bytes it managed to write.
func endless(t testing.TB, sent *atomic.Int64) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(`{"Id":"x"},`, 3000))
		w.Write([]byte(`{"Items":[`))
		for r.Context().Err() == nil {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func TestEndlessBodyEndsInClearError(t *testing.T) {
	var sent atomic.Int64
	srv := endless(t, &sent)
	const limit = 1 << 20
	hc := transport.NewClient(transport.Options{MaxResponseBytes: limit})
	defer hc.CloseIdleConnections()
	resp, err := hc.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if !errors.Is(err, transport.ErrTooLarge) || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Fatalf("err = %v, want ErrTooLarge naming the cap", err)
	}
	if n != limit {
		t.Errorf("read %d bytes, want exactly the cap %d", n, limit)
	}
	if retry.Transient(err) {
		t.Error("too large is classed transient")
	}
}

func TestDeclaredLengthOverCapRefusedUpFront(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "99999999")
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	hc := transport.NewClient(transport.Options{MaxResponseBytes: 1024})
	defer hc.CloseIdleConnections()
	_, err := hc.Get(srv.URL)
	if !errors.Is(err, transport.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

const envRSSChild = "SIGNET_TRANSPORT_RSS_CHILD_URL"

// TestEndlessBodyPeakRSS reads an endless body through the default cap in a
// child process and checks the child's peak RSS stays bounded.
func TestEndlessBodyPeakRSS(t *testing.T) {
	if u := os.Getenv(envRSSChild); u != "" {
		hc := transport.NewClient(transport.Options{})
		resp, err := hc.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if !errors.Is(err, transport.ErrTooLarge) {
			t.Fatalf("err = %v after %d bytes", err, len(b))
		}
		return
	}
	var sent atomic.Int64
	srv := endless(t, &sent)
	peak := transporttest.PeakRSS(t, "TestEndlessBodyPeakRSS", envRSSChild+"="+srv.URL)
	t.Logf("endless body through the default %d MiB cap: server sent %.1f MiB, client peak RSS %.1f MiB",
		transport.DefaultMaxResponseBytes>>20, float64(sent.Load())/(1<<20), float64(peak)/(1<<20))
	// io.ReadAll of 16 MiB plus the runtime.
	transporttest.CheckRSS(t, peak, 100<<20, 400<<20)
}
