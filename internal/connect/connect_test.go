package connect_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/connect"
)

func TestNotConfigured(t *testing.T) {
	cfg := config.Default()
	if _, err := connect.StoRegister(cfg, nil, "1.0"); !errors.Is(err, connect.ErrNotConfigured) || !strings.Contains(err.Error(), config.EnvStoRegisterKey) {
		t.Errorf("StoRegister: %v", err)
	}
	if _, err := connect.Mews(cfg, nil, "1.0"); !errors.Is(err, connect.ErrNotConfigured) || !strings.Contains(err.Error(), config.EnvMewsAccessToken) {
		t.Errorf("Mews: %v", err)
	}
}

func TestConfigured(t *testing.T) {
	cfg := config.Default()
	cfg.StoRegister.BaseURL, cfg.StoRegister.APIKey = "https://api.example.com", "key-1234"
	cfg.Mews.PlatformURL, cfg.Mews.ClientToken, cfg.Mews.AccessToken = "https://api.mews-demo.com", "client-1234", "access-1234"
	cfg.Mews.LanguageCode, cfg.Mews.CultureCode = "en-US", "en-US"
	if _, err := connect.StoRegister(cfg, nil, ""); err != nil {
		t.Errorf("StoRegister: %v", err)
	}
	if _, err := connect.Mews(cfg, nil, ""); err != nil {
		t.Errorf("Mews: %v", err)
	}
	cfg.StoRegister.AuthStyle = "bearer"
	if _, err := connect.StoRegister(cfg, nil, ""); err == nil {
		t.Error("an unknown auth style was accepted")
	}
}

// TestClientsRefuseRedirects builds both clients from a configuration (with
// zero and negative timeouts, which must fall back to a default) against a
// server that redirects every request to a sink: the sink receives nothing.
func TestClientsRefuseRedirects(t *testing.T) {
	var sunk atomic.Int32
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sunk.Add(1)
		io.Copy(io.Discard, r.Body)
	}))
	defer sink.Close()
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		http.Redirect(w, r, sink.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer src.Close()
	for _, d := range []time.Duration{0, -time.Second, 5 * time.Second} {
		cfg := config.Default()
		cfg.StoRegister.BaseURL, cfg.StoRegister.APIKey = src.URL, "key-1234"
		cfg.Mews.PlatformURL, cfg.Mews.ClientToken, cfg.Mews.AccessToken = src.URL, "client-1234", "access-1234"
		cfg.StoRegister.Timeout, cfg.Mews.Timeout = config.Duration(d), config.Duration(d)
		sc, err := connect.StoRegister(cfg, nil, "")
		if err != nil {
			t.Fatalf("timeout %v: StoRegister: %v", d, err)
		}
		if _, err := sc.Booking(context.Background(), "7c9e6679-7425-40de-944b-e07fc1f90ae7"); !errors.Is(err, transport.ErrRedirect) {
			t.Errorf("timeout %v: StoRegister: %v, want ErrRedirect", d, err)
		}
		mc, err := connect.Mews(cfg, nil, "")
		if err != nil {
			t.Fatalf("timeout %v: Mews: %v", d, err)
		}
		if _, err := mc.Configuration.Get(context.Background()); !errors.Is(err, transport.ErrRedirect) {
			t.Errorf("timeout %v: Mews: %v, want ErrRedirect", d, err)
		}
	}
	if n := sunk.Load(); n != 0 {
		t.Errorf("the sink received %d requests", n)
	}
}
