package i18n_test

import (
	"regexp"
	"sort"
	"testing"
	"testing/fstest"

	"github.com/signet-kiosk/signet/app/i18n"
	"github.com/signet-kiosk/signet/assets"
)

// The kiosk promises these five languages (design.md).
var required = []string{"de", "en", "es", "fr", "nl"}

func TestEveryKeyInEveryLanguage(t *testing.T) {
	c, err := i18n.Load(assets.Translations())
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Languages(); len(got) != len(required) {
		t.Fatalf("languages = %v, want %v", got, required)
	}
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	en := c.Keys("en")
	for _, lang := range required {
		keys := map[string]bool{}
		for _, k := range c.Keys(lang) {
			keys[k] = true
		}
		for _, k := range en {
			if !keys[k] {
				t.Errorf("%s.json lacks %q", lang, k)
				continue
			}
			want := placeholder.FindAllString(c.Lookup("en", k), -1)
			got := placeholder.FindAllString(c.Lookup(lang, k), -1)
			sort.Strings(want)
			sort.Strings(got)
			if len(want) != len(got) {
				t.Errorf("%s.json %q has placeholders %v, English has %v", lang, k, got, want)
			}
			if c.Lookup(lang, k) == "" {
				t.Errorf("%s.json %q is empty", lang, k)
			}
		}
		for k := range keys {
			if c.Lookup("en", k) == k && !contains(en, k) {
				t.Errorf("%s.json has %q, which English lacks", lang, k)
			}
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestTranslatorFallbackAndArgs(t *testing.T) {
	fsys := fstest.MapFS{
		"en.json": {Data: []byte(`{"hi":"Hello {name}","only_en":"English only"}`)},
		"fr.json": {Data: []byte(`{"hi":"Bonjour {name}"}`)},
	}
	c, err := i18n.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	tr := i18n.NewTranslator(c, "fr")
	if got := tr.T("hi", "name", "Anna"); got != "Bonjour Anna" {
		t.Errorf("T = %q", got)
	}
	if got := tr.T("only_en"); got != "English only" {
		t.Errorf("fallback = %q", got)
	}
	if got := tr.T("missing.key"); got != "missing.key" {
		t.Errorf("missing = %q", got)
	}
	if tr.SetLanguage("xx") || tr.Language() != "fr" {
		t.Errorf("unknown language switched to %q", tr.Language())
	}
	if _, err := i18n.Load(fstest.MapFS{"fr.json": {Data: []byte(`{}`)}}); err == nil {
		t.Error("catalog without English loaded")
	}
	if _, err := i18n.Load(fstest.MapFS{"en.json": {Data: []byte(`{`)}}); err == nil {
		t.Error("broken JSON loaded")
	}
}
