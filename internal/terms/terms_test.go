package terms

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var langs = []string{"en", "fr", "es", "de", "nl"}

func TestBuiltInSampleInEveryLanguage(t *testing.T) {
	var shape string
	for _, l := range langs {
		txt, err := Load("", l)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if txt.Lang != l || txt.Requested != l || txt.FellBack || txt.Source != SourceBuiltIn {
			t.Errorf("%s: served %+v", l, txt)
		}
		sum := sha256.Sum256([]byte(txt.Markdown))
		if txt.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: SHA256 is not the hash of the text shown", l)
		}
		// Every translation has the same structure as the English: a
		// title, the sample note, the same sections with as many clauses.
		s := docShape(txt.Markdown)
		if l == "en" {
			shape = s
		} else if s != shape {
			t.Errorf("%s has a different structure from en:\n%s\nen:\n%s", l, s, shape)
		}
		if !strings.HasPrefix(txt.Markdown, "# ") {
			t.Errorf("%s does not start with a title", l)
		}
	}
	if strings.Count(shape, "##") != 7 {
		t.Errorf("the sample has %d sections, want 7:\n%s", strings.Count(shape, "##"), shape)
	}
}

// docShape is the outline of a Markdown text: headings, italic notes and
// the number of numbered clauses under each heading.
func docShape(md string) string {
	var b strings.Builder
	n := 0
	flush := func() {
		if n > 0 {
			b.WriteString(" " + strings.Repeat("1", n))
		}
		n = 0
	}
	clause := regexp.MustCompile(`^\d+\. `)
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "## "):
			flush()
			b.WriteString("\n##")
		case strings.HasPrefix(line, "# "):
			b.WriteString("#")
		case strings.HasPrefix(line, "*") && strings.HasSuffix(line, "*"):
			b.WriteString(" note")
		case clause.MatchString(line):
			n++
		}
	}
	flush()
	return b.String()
}

func TestSampleSaysItIsASample(t *testing.T) {
	words := map[string]string{"en": "sample", "fr": "modèle", "es": "modelo", "de": "Mustertext", "nl": "voorbeeldtekst"}
	for _, l := range langs {
		txt, _ := Load("", l)
		first := strings.SplitN(txt.Markdown, "\n## ", 2)[0]
		if !strings.Contains(first, words[l]) {
			t.Errorf("%s: the opening does not say it is a sample (%q)", l, words[l])
		}
	}
}

func TestBuiltInFallsBackToEnglish(t *testing.T) {
	txt, err := Load("", "it")
	if err != nil {
		t.Fatal(err)
	}
	en, _ := Load("", "en")
	if !txt.FellBack || txt.Lang != "en" || txt.Requested != "it" || txt.SHA256 != en.SHA256 {
		t.Errorf("it: %+v", txt)
	}
}

func TestLanguageCodeCannotNameAPath(t *testing.T) {
	for _, l := range []string{"", "e", "EN", "../en", "en/../../etc/passwd", "e.", "eng", "é"} {
		if _, err := Load(t.TempDir(), l); !errors.Is(err, ErrLanguage) {
			t.Errorf("%q: err %v, want ErrLanguage", l, err)
		}
	}
}

func write(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOperatorDirectory(t *testing.T) {
	dir := t.TempDir()
	enP := write(t, dir, "en.md", []byte("# Our agreement\n\n1. Be kind.\n"))
	frP := write(t, dir, "fr.md", []byte("\xef\xbb\xbf# Notre contrat\n\n1. Soyez aimable.\n"))

	fr, err := Load(dir, "fr")
	if err != nil {
		t.Fatal(err)
	}
	want := "# Notre contrat\n\n1. Soyez aimable.\n"
	sum := sha256.Sum256([]byte(want))
	if fr.Markdown != want || fr.SHA256 != hex.EncodeToString(sum[:]) || fr.Source != frP || fr.FellBack {
		t.Errorf("fr: %+v (the byte-order mark must go, and the hash be of what is shown)", fr)
	}

	de, err := Load(dir, "de")
	if err != nil {
		t.Fatal(err)
	}
	if !de.FellBack || de.Lang != "en" || de.Source != enP || !strings.Contains(de.Markdown, "Our agreement") {
		t.Errorf("de: %+v, want the operator's English", de)
	}

	miss, err := Missing(dir, langs)
	if err != nil || !slices.Equal(miss, []string{"es", "de", "nl"}) {
		t.Errorf("Missing = %v, %v", miss, err)
	}
	if miss, err := Missing("", langs); err != nil || len(miss) != 0 {
		t.Errorf("built-in Missing = %v, %v", miss, err)
	}

	// One changed byte, another hash: the record tells versions apart.
	write(t, dir, "en.md", []byte("# Our agreement\n\n1. Be kind!\n"))
	de2, _ := Load(dir, "de")
	if de2.SHA256 == de.SHA256 {
		t.Error("an edited text has the same hash")
	}
}

func TestOperatorDirectoryRefusals(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string][]byte
		lang    string
		want    error
		message string
	}{
		{"no English", map[string][]byte{"fr.md": []byte("# Contrat\n")}, "de", ErrNoFallback, "en.md"},
		{"no English, English asked", nil, "en", ErrNoFallback, "en.md"},
		{"too large", map[string][]byte{"en.md": []byte("# T\n" + strings.Repeat("x", MaxFileSize))}, "en", ErrTooLarge, "256 KiB"},
		{"Latin-1", map[string][]byte{"en.md": []byte("# Contrat\n\nR\xe8gles\n")}, "en", ErrNotText, "at byte 12"},
		{"NUL", map[string][]byte{"en.md": []byte("# T\n\x00\n")}, "en", ErrNotText, "NUL"},
		{"empty", map[string][]byte{"en.md": []byte(" \n\t\n")}, "en", ErrNotText, "empty"},
		{"only a BOM", map[string][]byte{"en.md": []byte("\xef\xbb\xbf\n")}, "en", ErrNotText, "empty"},
		{"bad language file, no silent fallback", map[string][]byte{"en.md": []byte("# T\n"), "fr.md": []byte("\xff")}, "fr", ErrNotText, "fr.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for n, b := range tt.files {
				write(t, dir, n, b)
			}
			_, err := Load(dir, tt.lang)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.message) {
				t.Errorf("err %v, want %v mentioning %q", err, tt.want, tt.message)
			}
		})
	}
}

func TestOperatorFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "en.md", []byte("# T\n"))
	if err := os.Mkdir(filepath.Join(dir, "fr.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir, "fr"); !errors.Is(err, ErrNotText) || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory named fr.md: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "de.md")); err != nil {
		t.Skip(err)
	}
	if _, err := Load(dir, "de"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("de.md → /dev/zero: %v", err)
	}
}
