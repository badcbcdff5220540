package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kiosk.done_message is read from the file, per language, with English
// for a language it does not name and nothing when it is absent.
func TestDoneMessage(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.toml")
	file := "[kiosk.done_message]\nen = \"Your access code is at the front desk\"\nde = \"Ihr Zugangscode liegt am Empfang\"\n"
	if err := os.WriteFile(p, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(p, true, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"en": "Your access code is at the front desk",
		"de": "Ihr Zugangscode liegt am Empfang",
		"fr": "Your access code is at the front desk",
	} {
		if got := c.Kiosk.DoneMessageIn(lang); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := Default().Kiosk.DoneMessageIn("fr"); got != "" {
		t.Errorf("no message configured, yet %q", got)
	}
	only := Default()
	only.Kiosk.DoneMessage = map[string]string{"nl": "Uw code ligt bij de balie"}
	if got := only.Kiosk.DoneMessageIn("fr"); got != "" {
		t.Errorf("fr with only nl set: %q, want nothing", got)
	}
}

func TestDoneMessageRefused(t *testing.T) {
	for _, tt := range []struct {
		name, lang, msg, key, also string
	}{
		{"unknown language", "it", "Il codice è alla reception", "kiosk.done_message.it", "not one of"},
		{"too long", "en", strings.Repeat("a", maxDoneMessage+1), "kiosk.done_message.en", "at most"},
		{"line break", "fr", "Votre code\nest à l'accueil", "kiosk.done_message.fr", "control character"},
		{"not UTF-8", "de", "Empfang \xff", "kiosk.done_message.de", "UTF-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.Kiosk.DoneMessage = map[string]string{tt.lang: tt.msg}
			namesKey(t, c.Validate(), tt.key, tt.also)
		})
	}
	c := Default()
	c.Kiosk.DoneMessage = map[string]string{"en": "Your access code is at the front desk", "es": "Su código está en recepción"}
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}
