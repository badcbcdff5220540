package connect_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/connect"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/outbox"
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

// TestOutbox: the queue opens in the configured state directory with the
// configured bounds, and a refusal names where the wrong key came from,
// never the key.
func TestOutbox(t *testing.T) {
	cfg := config.Default()
	cfg.StateDir = t.TempDir()
	cfg.Outbox.MaxItems, cfg.Outbox.MaxMB = 7, 3
	o, err := connect.Outbox(cfg, nil, outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s := o.Stats(); s.MaxItems != 7 || s.MaxBytes != 3<<20 {
		t.Errorf("bounds = %d items, %d bytes", s.MaxItems, s.MaxBytes)
	}
	if _, err := os.Stat(filepath.Join(cfg.StateDir, outbox.Dir)); err != nil {
		t.Error(err)
	}
	if _, err := o.Enqueue(t.Context(), "test.x", []byte("x")); err != nil {
		t.Fatal(err)
	}
	o.Close()

	other := strings.Repeat("ab", 32)
	cfg.Path = "/etc/signet/signet.toml"
	cfg.Outbox.Key = redact.Secret(other)
	for _, tc := range []struct {
		env  string
		want string
	}{
		{other, "the key in SIGNET_OUTBOX_KEY"},
		{"", "the key in outbox.key of /etc/signet/signet.toml"},
	} {
		getenv := func(k string) string {
			if k == config.EnvOutboxKey {
				return tc.env
			}
			return ""
		}
		for name, open := range map[string]func(*config.Config, func(string) string, outbox.Options) (*outbox.Outbox, error){
			"Outbox": connect.Outbox, "OutboxExisting": connect.OutboxExisting} {
			_, err := open(cfg, getenv, outbox.Options{})
			if !errors.Is(err, outbox.ErrKeyMismatch) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "1 item ") {
				t.Errorf("%s, env %q: %v", name, tc.env, err)
			}
			if strings.Contains(err.Error(), other) {
				t.Errorf("the message shows the key: %v", err)
			}
		}
	}
}

// TestOutboxExistingNone: the operator's tools find no queue where none
// was made, and make none.
func TestOutboxExistingNone(t *testing.T) {
	cfg := config.Default()
	cfg.StateDir = t.TempDir()
	o, err := connect.OutboxExisting(cfg, nil, outbox.Options{})
	if o != nil || err != nil {
		t.Fatalf("no queue: %v, %v", o, err)
	}
	if des, _ := os.ReadDir(cfg.StateDir); len(des) != 0 {
		t.Errorf("made %d files", len(des))
	}
}
