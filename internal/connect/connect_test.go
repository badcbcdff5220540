package connect_test

import (
	"errors"
	"strings"
	"testing"

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
