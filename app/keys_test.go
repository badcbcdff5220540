package app

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/signet-kiosk/signet/app/i18n"
	"github.com/signet-kiosk/signet/assets"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/client/storegister"
)

// TestEveryKeyTranslated checks that every message key the kiosk can show
// has a sentence in every language: the literal keys in the code, and the
// families built at run time (hints, API error codes, types, sides).
func TestEveryKeyTranslated(t *testing.T) {
	cat, err := i18n.Load(assets.Translations())
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, h := range idscan.AllHints {
		keys[string(h)] = true
	}
	for _, k := range storegister.TranslationKeys() {
		keys[k] = true
	}
	for _, m := range mewsTypes {
		keys["mews.type."+m] = true
	}
	for _, s := range []string{"front", "back"} {
		keys["capture.side."+s] = true
	}
	// The screens translate literal keys; the staff logic names its
	// sentences with calls of note, which the staff screens translate.
	lit := regexp.MustCompile(`(?:tr\.T|note)\("([a-z_.]+[a-z_])"`)
	files, _ := filepath.Glob("*.go")
	staffFiles, _ := filepath.Glob(filepath.Join("staff", "*.go"))
	for _, f := range append(files, staffFiles...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllSubmatch(b, -1) {
			keys[string(m[1])] = true
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	for key := range keys {
		for _, lang := range []string{"en", "fr", "es", "de", "nl"} {
			if got := cat.Lookup(lang, key); got == key {
				t.Errorf("%s has no %q", lang, key)
			} else if lang != "en" && got == cat.Lookup("en", key) && len(got) > 12 {
				// A long sentence identical to English is an untranslated copy.
				t.Errorf("%s %q is the English sentence", lang, key)
			}
		}
	}
}
