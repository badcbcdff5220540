// Package connect builds the API clients from the configuration: the one
// place the kiosk, its command line and the self-test get them from, so they
// all send the same user agent, timeouts, auth style and rate limit.
//
// Both clients send every request through the one HTTP policy of package
// client/transport (no redirects, verified TLS, http only to loopback,
// timeouts, body caps). A timeout that is zero or negative is not passed
// on: the client's default applies, never "wait forever".
package connect

import (
	"errors"
	"log/slog"
	"strings"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/config"
)

// ErrNotConfigured means the API has no address or credentials set.
var ErrNotConfigured = errors.New("connect: not configured")

// StoRegister returns the booking API client configured in cfg.
func StoRegister(cfg *config.Config, log *slog.Logger, version string) (*storegister.Client, error) {
	if !cfg.StoRegisterEnabled() {
		return nil, errors.Join(ErrNotConfigured, errors.New(
			"storegister: set storegister.base_url (or "+config.EnvStoRegisterURL+") and "+config.EnvStoRegisterKey))
	}
	sc := cfg.StoRegister
	style, err := storegister.ParseAuthStyle(sc.AuthStyle)
	if err != nil {
		return nil, err
	}
	opts := []storegister.Option{
		storegister.WithUserAgent("Signet/" + versionOr(version)),
		storegister.WithAuthStyle(style),
	}
	if log != nil {
		opts = append(opts, storegister.WithLogger(log))
	}
	if sc.Timeout.D() > 0 {
		opts = append(opts, storegister.WithTimeout(sc.Timeout.D()))
	}
	return storegister.NewClient(sc.BaseURL, sc.APIKey, opts...)
}

// Mews returns the Mews client configured in cfg.
func Mews(cfg *config.Config, log *slog.Logger, version string) (*mews.Client, error) {
	if !cfg.MewsEnabled() {
		return nil, errors.Join(ErrNotConfigured, errors.New("mews: set mews.platform_url, mews.client_token and mews.access_token (or "+
			config.EnvMewsURL+", "+config.EnvMewsClientToken+", "+config.EnvMewsAccessToken+")"))
	}
	m := cfg.Mews
	var opts []mews.Option
	if m.Timeout.D() > 0 {
		opts = append(opts, mews.WithTimeout(m.Timeout.D()))
	}
	if log != nil {
		opts = append(opts, mews.WithLogger(log))
	}
	if m.LanguageCode != "" || m.CultureCode != "" {
		opts = append(opts, mews.WithLanguage(m.LanguageCode, m.CultureCode))
	}
	if m.ChainID != "" {
		opts = append(opts, mews.WithChainID(m.ChainID))
	}
	if m.RateLimit != 0 {
		opts = append(opts, mews.WithRateLimit(m.RateLimit))
	}
	return mews.NewClient(m.PlatformURL, m.ClientToken, m.AccessToken, strings.TrimSpace(m.Client+" "+versionOr(version)), opts...)
}

func versionOr(v string) string {
	if v == "" {
		return "dev"
	}
	return v
}
