package redact_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/internal/redact"
)

func TestSecretNeverPrints(t *testing.T) {
	s := redact.Secret("hunter2-api-key")
	p := redact.Personal("Anna Eriksson")
	for _, got := range []string{
		fmt.Sprint(s), fmt.Sprintf("%v %s %q %x %#v %+v", s, s, s, s, s, s), s.String(),
		fmt.Sprint(p), fmt.Sprintf("%v %s %q %#v", p, p, p, p),
		fmt.Sprintf("%+v", struct {
			Key  redact.Secret
			Name redact.Personal
		}{s, p}),
	} {
		if strings.Contains(got, "hunter2") || strings.Contains(got, "Anna") {
			t.Errorf("printed the value: %q", got)
		}
	}
	b, _ := json.Marshal(struct{ K redact.Secret }{s})
	if strings.Contains(string(b), "hunter2") {
		t.Errorf("JSON printed the value: %s", b)
	}
	if s.Reveal() != "hunter2-api-key" || p.Reveal() != "Anna Eriksson" {
		t.Error("Reveal lost the value")
	}
	if redact.Secret("").String() != "" {
		t.Error("an empty secret should print empty, so `config show` tells set from unset")
	}
}

func TestLoggerRedacts(t *testing.T) {
	const key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
	redact.Register(key, "ab") // the short value is ignored: it would mangle text
	for _, format := range []string{"text", "json"} {
		for _, level := range []string{"debug", "info", "error"} {
			var buf bytes.Buffer
			log := redact.NewLogger(&buf, level, format)
			log.Debug("calling api with "+key, "url", "https://x/?k="+key)
			log.Info("request", "api_key", "plain-text-key", "Authorization", "X-API-Key "+key,
				"email", "anna@example.com", "documentNumber", "D23145890", "status", 200)
			log.Error("failed", "err", errors.New("401 for key "+key), slog.Group("tenant",
				slog.String("firstName", "Anna"), slog.String("city", "Utopia "+key)))
			log.With("access_token", "tok-123456").WithGroup("g").Warn("x", "n", 1)
			out := buf.String()
			for _, leak := range []string{key, "plain-text-key", "anna@example.com", "D23145890", "Anna", "tok-123456"} {
				if strings.Contains(out, leak) {
					t.Errorf("%s/%s: log contains %q:\n%s", format, level, leak, out)
				}
			}
			if level == "info" && !strings.Contains(out, "200") {
				t.Errorf("%s: harmless attribute lost:\n%s", format, out)
			}
		}
	}
	if got := redact.String("ab cab"); got != "ab cab" {
		t.Errorf("short value scrubbed: %q", got)
	}
}

func TestSensitiveKey(t *testing.T) {
	for k, want := range map[string]bool{
		"api_key": true, "ApiKey": true, "access_token": true, "PIN": true, "lastName": true,
		"email": true, "Number": true, "status": false, "attempt": false, "lang": false, "url": false,
	} {
		if got := redact.SensitiveKey(k); got != want {
			t.Errorf("SensitiveKey(%q) = %v, want %v", k, got, want)
		}
	}
}
