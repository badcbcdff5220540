package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/signet-kiosk/signet/internal/redact"
)

// EnvNotifyWebhook overrides notify.webhook. A webhook address often holds
// its own secret (a chat service's token in the path), so it belongs in the
// environment file like the API keys.
const EnvNotifyWebhook = "SIGNET_NOTIFY_WEBHOOK"

// Defaults of the guest-help settings.
const (
	// DefaultStaffWait is how long a "Call staff" keeps the guest's session
	// when nobody answers.
	DefaultStaffWait = Duration(10 * time.Minute)
	// DefaultNotifyTimeout bounds one webhook call or hook command.
	DefaultNotifyTimeout = Duration(10 * time.Second)
)

// Bounds of the guest-help settings.
const (
	maxStaffWait     = time.Hour
	maxNotifyTimeout = 2 * time.Minute
)

// Notify is the hook run when a guest calls staff: a webhook, a command, or
// both. Neither carries personal data (see internal/notify).
type Notify struct {
	// Webhook receives a POST of a small JSON object. https, or http only to
	// loopback; never redirected.
	Webhook redact.Secret `toml:"webhook"`
	// Command is an argv (no shell) run with the event in its environment.
	Command []string `toml:"command"`
	// Timeout bounds each webhook call and each command.
	Timeout Duration `toml:"timeout"`
}

// Enabled reports whether a webhook or a command is configured.
func (n Notify) Enabled() bool { return !n.Webhook.IsZero() || len(n.Command) > 0 }

// maxSizeUnit bounds kiosk.size_unit: a unit, not a sentence.
const maxSizeUnit = 16

// validateGuest checks the settings of the guest's agreement and of staff
// help: kiosk.terms_dir, kiosk.staff_wait, kiosk.size_unit and [notify].
func (c *Config) validateGuest() Errors {
	var es Errors
	bad := func(key, reason string) { es = append(es, &Error{Key: key, Reason: reason}) }

	if d := c.Kiosk.TermsDir; d != "" {
		switch fi, err := os.Stat(d); {
		case !filepath.IsAbs(d):
			bad("kiosk.terms_dir", fmt.Sprintf("%q is not an absolute path such as /etc/signet/terms", d))
		case err != nil:
			bad("kiosk.terms_dir", fmt.Sprintf("cannot open %s: %v", d, unwrapPath(err)))
		case !fi.IsDir():
			bad("kiosk.terms_dir", fmt.Sprintf("%s is not a directory", d))
		default:
			if _, err := os.Stat(filepath.Join(d, "en.md")); err != nil {
				bad("kiosk.terms_dir", fmt.Sprintf("%s has no en.md: English is shown when a language's file is missing, so it is required", d))
			}
		}
	}
	if u := c.Kiosk.SizeUnit; len(u) > maxSizeUnit || strings.ContainsFunc(u, unicode.IsControl) || strings.TrimSpace(u) != u {
		bad("kiosk.size_unit", fmt.Sprintf("%q is not a short unit such as \"m²\" (at most %d bytes, no spaces around it)", u, maxSizeUnit))
	}
	if w := c.Kiosk.StaffWait.D(); w > maxStaffWait {
		bad("kiosk.staff_wait", fmt.Sprintf("%v is over %v: a guest's session would stay open unattended", w, maxStaffWait))
	}
	if h := c.Notify.Webhook.Reveal(); h != "" {
		if r := checkWebhook(h); r != "" {
			bad("notify.webhook", r)
		}
	}
	if cmd := c.Notify.Command; len(cmd) > 0 {
		if cmd[0] == "" || !filepath.IsAbs(cmd[0]) {
			bad("notify.command", fmt.Sprintf("%q is not an absolute path to a program, such as /usr/local/bin/page-staff", cmd[0]))
		}
	}
	if d := c.Notify.Timeout.D(); d > maxNotifyTimeout {
		bad("notify.timeout", fmt.Sprintf("%v is over %v", d, maxNotifyTimeout))
	}
	es = append(es, c.validateDone()...)
	return es
}

// checkWebhook is checkURL without echoing the address, whose path may be
// the webhook's secret.
func checkWebhook(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "not an http(s) URL such as https://hooks.example.com/kiosk (set " + EnvNotifyWebhook + ")"
	}
	if u.User != nil {
		return "must not carry a user name or password in the URL"
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return fmt.Sprintf("plain http to %s is not allowed: use https (http is only for loopback)", u.Hostname())
	}
	return ""
}
