package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsAreValid(t *testing.T) {
	c, err := config.Load("", false, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.StoRegisterEnabled() || c.MewsEnabled() {
		t.Error("defaults enable an API")
	}
}

func TestEnvOverridesFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.toml")
	os.WriteFile(p, []byte("[storegister]\nbase_url = \"https://file.example\"\napi_key = \"from-file-key\"\n[camera]\ndevice = \"/dev/video0\"\n"), 0o600)
	c, err := config.Load(p, true, env(map[string]string{
		config.EnvStoRegisterURL: "https://env.example", config.EnvCamera: "synthetic",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.StoRegister.BaseURL != "https://env.example" || c.StoRegister.APIKey.Reveal() != "from-file-key" || c.Camera.Device != "synthetic" {
		t.Errorf("got %+v / %v", c.StoRegister, c.Camera)
	}
	if c.Path != p {
		t.Errorf("Path = %q", c.Path)
	}
}

func TestValidateNamesEveryBadKey(t *testing.T) {
	c := config.Default()
	c.StoRegister.BaseURL = "http://10.0.0.5/api"
	c.Mews.PlatformURL = "ftp://mews"
	c.Kiosk.Languages = []string{"en", "xx"}
	c.Scan.JPEGQuality = 5
	c.Outbox.MaxAge = config.Duration(48 * 3600e9)
	err := c.Validate()
	var es config.Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, key := range []string{"storegister.base_url", "storegister.api_key", "mews.platform_url",
		"mews.client_token", "mews.access_token", "kiosk.languages", "scan.jpeg_quality", "outbox.max_age"} {
		if !strings.Contains(msg, key) {
			t.Errorf("error does not name %s:\n%s", key, msg)
		}
	}
}

func TestLoopbackHTTPAllowed(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8787", "http://localhost:1/", "http://[::1]:9/"} {
		c := config.Default()
		c.StoRegister.BaseURL, c.StoRegister.APIKey = u, "k"
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func TestMaskedHidesSecrets(t *testing.T) {
	c := config.Default()
	c.StoRegister.APIKey = "unregistered-secret-value"
	c.Mews.AccessToken = "another-secret-value"
	b, err := c.Masked()
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); strings.Contains(s, "secret-value") || !strings.Contains(s, "[secret]") {
		t.Errorf("Masked:\n%s", s)
	}
	if c.StoRegister.APIKey.Reveal() != "unregistered-secret-value" {
		t.Error("Masked changed the original")
	}
}

func TestOutboxKeyFormat(t *testing.T) {
	for key, ok := range map[string]bool{
		"":                       true,
		strings.Repeat("ab", 32): true,
		"q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=": true,
		"too-short":              false,
		strings.Repeat("ab", 16): false,
	} {
		c := config.Default()
		c.Outbox.Key = redact.Secret(key)
		err := c.Validate()
		if (err == nil) != ok {
			t.Errorf("key %q: %v", key, err)
		}
		if err != nil && strings.Contains(err.Error(), key) {
			t.Errorf("the error repeats the key: %v", err)
		}
	}
}

// TestPINHashChecked: config check refuses a PIN hash that could not be
// checked, or whose parameters would make one check cost minutes and
// gigabytes, naming the key and never repeating the hash.
func TestPINHashChecked(t *testing.T) {
	good, err := staffauth.HashWith("482915", staffauth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	salt := "c2FsdHNhbHRzYWx0c2FsdA"
	key := "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	for hash, ok := range map[string]bool{
		"":   true,
		good: true,
		"$argon2id$v=19$m=1048576,t=64,p=1$" + salt + "$" + key: false,
		"$argon2id$v=19$m=65536,t=3,p=4096$" + salt + "$" + key: false,
		"not-a-hash": false,
	} {
		c := config.Default()
		c.Staff.PINHash = redact.Secret(hash)
		err := c.Validate()
		if (err == nil) != ok {
			t.Errorf("hash %q: %v", hash, err)
		}
		if err != nil && (!strings.Contains(err.Error(), "staff.pin_hash") || strings.Contains(err.Error(), key)) {
			t.Errorf("the error must name the key and not repeat the hash: %v", err)
		}
	}
}
