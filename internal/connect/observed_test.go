package connect_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/connect"
	"github.com/signet-kiosk/signet/internal/demodata"
)

type seen struct {
	mu    sync.Mutex
	paths []string
	codes []int
}

func (s *seen) ObserveRequest(req *http.Request, status int, err error, _ time.Duration) {
	s.mu.Lock()
	s.paths = append(s.paths, req.URL.Path)
	s.codes = append(s.codes, status)
	s.mu.Unlock()
}

func TestObservedClientsReportEachRequest(t *testing.T) {
	srv := sim.New()
	if _, err := srv.Start(context.Background(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg := config.Default()
	cfg.StoRegister.BaseURL, cfg.StoRegister.APIKey = srv.StoRegisterURL(), demodata.StoRegisterAPIKey
	cfg.Mews.PlatformURL, cfg.Mews.ClientToken, cfg.Mews.AccessToken = srv.URL(), demodata.MewsClientToken, demodata.MewsAccessToken
	var s seen
	sr, err := connect.StoRegisterObserved(cfg, nil, "test", &s)
	if err != nil {
		t.Fatal(err)
	}
	mc, err := connect.MewsObserved(cfg, nil, "test", &s)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := sr.IdentityDocumentTypes(ctx, demodata.People[0].BookingID); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.Configuration.Get(ctx); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.paths) != 2 || s.codes[0] != 200 || s.codes[1] != 200 {
		t.Errorf("observed %v %v, want two requests answered 200", s.paths, s.codes)
	}
}
