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

func TestPersonalValuesScrubbed(t *testing.T) {
	redact.RegisterPersonal("Eriksson", "X1234567Z", "anna@example.com", "Åsa", "A")
	got := redact.String("Customer ERIKSSON has document x1234567z, e-mail anna@example.com; ÅSA. Erikssonville stays, so does Ålsa")
	for _, leak := range []string{"ERIKSSON", "x1234567z", "anna@example.com", "ÅSA"} {
		if strings.Contains(got, leak) {
			t.Errorf("%q survived: %s", leak, got)
		}
	}
	if !strings.Contains(got, "Erikssonville") || !strings.Contains(got, "Ålsa") || strings.Count(got, redact.PersonalMask) != 4 {
		t.Errorf("scrubbed more or less than the whole words: %s", got)
	}
	// The log handler scrubs them too, in messages and in string attributes.
	var buf bytes.Buffer
	redact.NewLogger(&buf, "info", "text").Info("mews said: Eriksson", "error", errors.New("409: x1234567z exists"))
	if out := buf.String(); strings.Contains(out, "Eriksson") || strings.Contains(out, "x1234567z") {
		t.Errorf("log line: %s", out)
	}
	redact.ForgetPersonal("eriksson")
	if got := redact.String("Eriksson"); got != "Eriksson" {
		t.Errorf("forgotten value still scrubbed: %q", got)
	}
}

func TestPersonalValuesBounded(t *testing.T) {
	redact.RegisterPersonal("Firstvalue")
	for i := range redact.MaxPersonal {
		redact.RegisterPersonal(fmt.Sprintf("value-%d", i))
	}
	if got := redact.String("Firstvalue value-7"); got != "Firstvalue "+redact.PersonalMask {
		t.Errorf("after %d more values: %q, want the oldest forgotten, the newer kept", redact.MaxPersonal, got)
	}
	for i := range redact.MaxPersonal {
		redact.ForgetPersonal(fmt.Sprintf("value-%d", i))
	}
}

func TestLine(t *testing.T) {
	redact.RegisterPersonal("Lindqvist")
	long := strings.Repeat("é", 300)
	got := redact.Line("Lindqvist\nfake log line\x1b[31m "+long, 200)
	if strings.Contains(got, "Lindqvist") || strings.ContainsAny(got, "\n\x1b") {
		t.Errorf("Line = %q", got)
	}
	if n := len([]rune(got)); n != 200 || !strings.HasSuffix(got, "…") {
		t.Errorf("Line is %d characters (%q…), want 200 ending in …", n, got[:20])
	}
	if got := redact.Line("short", 200); got != "short" {
		t.Errorf("Line(short) = %q", got)
	}
	redact.ForgetPersonal("Lindqvist")
}

// FuzzLine feeds outside text (a server's message) to Line: it never
// panics, never returns a registered value, a control character or more
// than the asked length.
func FuzzLine(f *testing.F) {
	redact.RegisterPersonal("Nieminen", "Ω12345")
	f.Add("Customer Nieminen\nhas ω12345", 200)
	f.Add("\xff\xfe Nieminen\x00", 5)
	f.Add(strings.Repeat("NIEMINEN ", 40), 1)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 1 || max > 1000 {
			max = 200
		}
		got := redact.Line(s, max)
		if n := len([]rune(got)); n > max {
			t.Errorf("%d characters, max %d", n, max)
		}
		if strings.ContainsAny(got, "\n\r\x00\x1b") {
			t.Errorf("control character in %q", got)
		}
		if full := redact.Line(s+" NIEMINEN", 0); !strings.HasSuffix(full, " "+redact.PersonalMask) {
			t.Errorf("registered value survived in %q", full)
		}
	})
}
