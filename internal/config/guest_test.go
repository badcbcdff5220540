package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/redact"
)

func TestGuestDefaults(t *testing.T) {
	c := Default()
	if c.Kiosk.StaffWait.D() != 10*time.Minute {
		t.Errorf("kiosk.staff_wait default = %v, want 10m", c.Kiosk.StaffWait.D())
	}
	if c.Notify.Enabled() {
		t.Error("a notification hook is enabled by default")
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestGuestSettingsRefused(t *testing.T) {
	dir := t.TempDir()
	noEnglish := filepath.Join(dir, "noen")
	os.Mkdir(noEnglish, 0o755)
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o600)
	const hookSecret = "T000/B000/XXXXsecretpath"
	tests := []struct {
		name string
		edit func(c *Config)
		key  string
		also string
	}{
		{"relative terms dir", func(c *Config) { c.Kiosk.TermsDir = "terms" }, "kiosk.terms_dir", "absolute"},
		{"missing terms dir", func(c *Config) { c.Kiosk.TermsDir = filepath.Join(dir, "nope") }, "kiosk.terms_dir", "cannot open"},
		{"terms dir is a file", func(c *Config) { c.Kiosk.TermsDir = file }, "kiosk.terms_dir", "not a directory"},
		{"terms dir without en.md", func(c *Config) { c.Kiosk.TermsDir = noEnglish }, "kiosk.terms_dir", "en.md"},
		{"size unit a sentence", func(c *Config) { c.Kiosk.SizeUnit = "square metres of storage" }, "kiosk.size_unit", "short unit"},
		{"size unit spaced", func(c *Config) { c.Kiosk.SizeUnit = " m²" }, "kiosk.size_unit", "no spaces"},
		{"size unit control", func(c *Config) { c.Kiosk.SizeUnit = "m\n2" }, "kiosk.size_unit", "short unit"},
		{"staff wait too long", func(c *Config) { c.Kiosk.StaffWait = Duration(2 * time.Hour) }, "kiosk.staff_wait", "unattended"},
		{"webhook plain http", func(c *Config) { c.Notify.Webhook = "http://hooks.example.com/" + hookSecret }, "notify.webhook", "use https"},
		{"webhook not a URL", func(c *Config) { c.Notify.Webhook = "hooks/" + hookSecret }, "notify.webhook", "https://"},
		{"webhook with password", func(c *Config) { c.Notify.Webhook = "https://u:p@hooks.example.com/" + hookSecret }, "notify.webhook", "password"},
		{"relative command", func(c *Config) { c.Notify.Command = []string{"page-staff"} }, "notify.command", "absolute"},
		{"empty command", func(c *Config) { c.Notify.Command = []string{""} }, "notify.command", "absolute"},
		{"long hook timeout", func(c *Config) { c.Notify.Timeout = Duration(5 * time.Minute) }, "notify.timeout", "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.edit(c)
			err := c.Validate()
			namesKey(t, err, tt.key, tt.also)
			if err != nil && strings.Contains(err.Error(), hookSecret) {
				t.Errorf("the error shows the webhook's path: %v", err)
			}
		})
	}
}

func TestGuestSettingsAccepted(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "en.md"), []byte("# Terms\n"), 0o644)
	c := Default()
	c.Kiosk.TermsDir = dir
	c.Notify.Webhook = "http://127.0.0.1:9/hook"
	c.Notify.Command = []string{"/usr/local/bin/page-staff", "--kiosk", "1"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if !c.Notify.Enabled() {
		t.Error("Enabled is false with a webhook and a command")
	}
}

func TestNotifyWebhookFromEnvIsSecret(t *testing.T) {
	const hook = "https://hooks.example.com/services/T000/B000/envsecretvalue123"
	p := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(p, []byte("[notify]\ncommand = [\"/bin/true\"]\n"), 0o600)
	c, err := Load(p, true, func(k string) string {
		if k == EnvNotifyWebhook {
			return hook
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Notify.Webhook.Reveal() != hook {
		t.Errorf("webhook = %q, want the environment's", c.Notify.Webhook.Reveal())
	}
	m, err := c.Masked()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(m), "envsecretvalue123") {
		t.Errorf("config show prints the webhook:\n%s", m)
	}
	if got := redact.String("posting to " + hook); strings.Contains(got, "envsecretvalue123") {
		t.Errorf("the webhook is not registered with redact: %q", got)
	}
}
