package idscan

import (
	"testing"

	"github.com/signet-kiosk/signet/assets"
)

// TestEveryKeyHasASentence: every hint and every reason to refuse a frame
// has a sentence in each of the kiosk's languages.
func TestEveryKeyHasASentence(t *testing.T) {
	keys := []string{}
	for _, h := range AllHints {
		keys = append(keys, string(h))
	}
	for _, a := range AllAbsences {
		keys = append(keys, string(a))
	}
	for _, lang := range assets.Languages {
		m, err := assets.Sentences(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if m[k] == "" {
				t.Errorf("%s.json has no %q", lang, k)
			}
		}
	}
}
