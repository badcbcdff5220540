package sim

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/demodata"
)

func TestFaultsValidate(t *testing.T) {
	bad := []float64{math.NaN(), math.Inf(1), math.Inf(-1), -0.1, 1.5}
	rates := map[string]func(*Faults) *float64{
		"drop-rate":       func(f *Faults) *float64 { return &f.DropRate },
		"error-rate":      func(f *Faults) *float64 { return &f.ErrorRate },
		"rate-limit-rate": func(f *Faults) *float64 { return &f.RateLimitRate },
		"fail-rate":       func(f *Faults) *float64 { return &f.FailRate },
	}
	for name, field := range rates {
		for _, v := range bad {
			var f Faults
			*field(&f) = v
			err := f.Validate()
			if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "0 to 1") {
				t.Errorf("%s = %v: err = %v", name, v, err)
			}
		}
		var f Faults
		*field(&f) = 1
		if err := f.Validate(); err != nil {
			t.Errorf("%s = 1: %v", name, err)
		}
	}
	for _, tt := range []struct {
		f    Faults
		want string
	}{
		{Faults{ErrorRate: 0.6, DropRate: 0.6}, "add up to"},
		{Faults{Latency: -time.Second}, "latency"},
		{Faults{RetryAfter: -time.Second}, "retry-after"},
		{Faults{Limit: -1}, "fault-limit"},
		{Faults{FailShape: "xml"}, "errors shape"},
	} {
		if err := tt.f.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v, want %q", tt.f, err, tt.want)
		}
	}
	ok := Faults{DropRate: 0.1, ErrorRate: 0.2, RateLimitRate: 0.3, FailRate: 0.4, Latency: time.Millisecond,
		RetryAfter: time.Second, Limit: 3, FailShape: ShapeKey}
	if err := ok.Validate(); err != nil {
		t.Errorf("%+v: %v", ok, err)
	}

	s := New(WithFaults(ok))
	if err := s.SetFaults(Faults{ErrorRate: math.NaN()}); err == nil {
		t.Error("SetFaults accepted a NaN rate")
	}
	if s.Faults() != ok {
		t.Errorf("a refused SetFaults changed the faults to %+v", s.Faults())
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("New accepted WithFaults of an infinite rate")
			}
		}()
		New(WithFaults(Faults{DropRate: math.Inf(1)}))
	}()
}

// signatureRequest is a signature upload for booking, as the client sends it.
func signatureRequest(t *testing.T, ctx context.Context, url string, png []byte) *http.Request {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"signature": base64.StdEncoding.EncodeToString(png)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+StoRegisterPrefix+"/v1/booking/"+booking+"/document/save", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", demodata.StoRegisterAPIKey)
	return req
}

// TestLatencyAfterTheBody: the latency comes after the request is read, so
// the body reaches the handler whole, and a client that gives up during the
// wait leaves nothing stored.
func TestLatencyAfterTheBody(t *testing.T) {
	png := encodePNG(t)

	t.Run("the body reaches the handler", func(t *testing.T) {
		s := New(WithFaults(Faults{Latency: 10 * time.Millisecond}))
		srv := httptest.NewServer(s.Handler())
		defer srv.Close()
		resp, err := http.DefaultClient.Do(signatureRequest(t, context.Background(), srv.URL, png))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		sigs := s.Signatures()
		if resp.StatusCode != http.StatusOK || len(sigs) != 1 || !bytes.Equal(sigs[0].PNG, png) {
			t.Fatalf("status %d, %d signatures stored", resp.StatusCode, len(sigs))
		}
	})

	t.Run("a client that gives up leaves nothing", func(t *testing.T) {
		const latency = 3 * time.Second // never waited out when the code is right
		s := New(WithFaults(Faults{Latency: latency}))
		done := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer close(done)
			s.Handler().ServeHTTP(w, r)
		}))
		defer srv.Close()
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := http.DefaultClient.Do(signatureRequest(t, ctx, srv.URL, png))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the client's deadline", err)
		}
		select {
		case <-done:
		case <-time.After(2 * latency):
			t.Fatal("the handler never returned")
		}
		if n := len(s.Signatures()); n != 0 {
			t.Errorf("%d signatures stored for a client that had left", n)
		}
		if d := time.Since(start); d >= latency {
			t.Errorf("the handler waited out the latency (%v) for a client that had left", d)
		}
	})
}
