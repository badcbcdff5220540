// Package connect builds the API clients and opens the outbox from the
// configuration: the one place the kiosk, its command line and the
// self-test get them from, so they all send the same user agent, timeouts,
// auth style and rate limit, and open the same queue with the same key.
//
// Both clients send every request through the one HTTP policy of package
// client/transport (no redirects, verified TLS, http only to loopback,
// timeouts, body caps). A timeout that is zero or negative is not passed
// on: the client's default applies, never "wait forever".
package connect

import (
	"errors"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/outbox"
)

// ErrNotConfigured means the API has no address or credentials set.
var ErrNotConfigured = errors.New("connect: not configured")

// StoRegister returns the booking API client configured in cfg.
func StoRegister(cfg *config.Config, log *slog.Logger, version string) (*storegister.Client, error) {
	return StoRegisterObserved(cfg, log, version, nil)
}

// StoRegisterObserved is StoRegister with every request told to obs
// (the kiosk's metrics); nil obs observes nothing.
func StoRegisterObserved(cfg *config.Config, log *slog.Logger, version string, obs transport.Observer) (*storegister.Client, error) {
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
	if obs != nil {
		opts = append(opts, storegister.WithHTTPClient(transport.NewClient(transport.Options{Timeout: sc.Timeout.D(), Observer: obs})))
	}
	return storegister.NewClient(sc.BaseURL, sc.APIKey, opts...)
}

// Mews returns the Mews client configured in cfg.
func Mews(cfg *config.Config, log *slog.Logger, version string) (*mews.Client, error) {
	return MewsObserved(cfg, log, version, nil)
}

// MewsObserved is Mews with every request told to obs (the kiosk's
// metrics); nil obs observes nothing.
func MewsObserved(cfg *config.Config, log *slog.Logger, version string, obs transport.Observer) (*mews.Client, error) {
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
	if obs != nil {
		opts = append(opts, mews.WithHTTPClient(transport.NewClient(transport.Options{Timeout: m.Timeout.D(), Observer: obs})))
	}
	return mews.NewClient(m.PlatformURL, m.ClientToken, m.AccessToken, strings.TrimSpace(m.Client+" "+versionOr(version)), opts...)
}

// Outbox opens the queue in the configured state directory with the
// configured key (or the key file there) and bounds; opts gives the rest
// (deliverer, logger, …). It refuses, with a *outbox.KeyError, a queue
// whose items the key cannot open. getenv tells whether the key came from
// SIGNET_OUTBOX_KEY or from the file, for messages; it may be nil.
func Outbox(cfg *config.Config, getenv func(string) string, opts outbox.Options) (*outbox.Outbox, error) {
	return outbox.OpenIn(cfg.StateDirOrDefault(), cfg.Outbox.Key, outboxOptions(cfg, getenv, opts))
}

// OutboxExisting opens the configured queue for the operator's tools, as
// outbox.OpenExisting: nil and no error when there is none, and never a
// new key.
func OutboxExisting(cfg *config.Config, getenv func(string) string, opts outbox.Options) (*outbox.Outbox, error) {
	return outbox.OpenExisting(cfg.StateDirOrDefault(), cfg.Outbox.Key, outboxOptions(cfg, getenv, opts))
}

func outboxOptions(cfg *config.Config, getenv func(string) string, opts outbox.Options) outbox.Options {
	opts.KeySource = outboxKeySource(cfg, getenv)
	opts.MaxItems = cfg.Outbox.MaxItems
	opts.MaxBytes = int64(cfg.Outbox.MaxMB) << 20
	opts.MaxAge = cfg.Outbox.MaxAge.D()
	return opts
}

// outboxKeySource names where the configuration's outbox key comes from,
// as a phrase for messages: "the key in SIGNET_OUTBOX_KEY", "the key in
// outbox.key of FILE" or "the key file PATH".
func outboxKeySource(cfg *config.Config, getenv func(string) string) string {
	switch {
	case !cfg.Outbox.Key.IsZero() && getenv != nil && getenv(config.EnvOutboxKey) != "":
		return "the key in " + config.EnvOutboxKey
	case !cfg.Outbox.Key.IsZero() && cfg.Path != "":
		return "the key in outbox.key of " + cfg.Path
	case !cfg.Outbox.Key.IsZero():
		return "the configured outbox.key"
	default:
		return "the key file " + filepath.Join(cfg.StateDirOrDefault(), outbox.KeyFile)
	}
}

func versionOr(v string) string {
	if v == "" {
		return "dev"
	}
	return v
}
