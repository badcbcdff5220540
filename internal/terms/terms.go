// Package terms serves the storage agreement and facility rules a guest
// reads before signing: Markdown, one file per language, from the
// operator's directory (kiosk.terms_dir) or, when none is set, the sample
// built into the binary (assets/terms).
//
// The text is bytes shown as they are, not parsed here; the loader bounds
// their size, refuses what is not UTF-8 text, and fingerprints exactly what
// it returns, so that the submission can record which version the guest
// accepted. The caller shows Text.Markdown and records Text.SHA256 from the
// same Text.
package terms

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/signet-kiosk/signet/assets"
	"github.com/signet-kiosk/signet/internal/bounded"
)

// Fallback is the language shown when the guest's language has no text.
const Fallback = "en"

// MaxFileSize caps one agreement file: a long agreement is some 20 KiB, so
// anything near the cap is not one (a wrong path, a PDF renamed).
const MaxFileSize = 256 << 10

// SourceBuiltIn is Text.Source for the sample built into the binary.
const SourceBuiltIn = "built-in sample"

// Errors, matched with errors.Is.
var (
	// ErrLanguage means the language code is not two lower-case letters.
	ErrLanguage = errors.New("terms: not a language code")
	// ErrNoFallback means the operator's directory has no en.md.
	ErrNoFallback = errors.New("terms: no English text")
	// ErrTooLarge means a file is over MaxFileSize.
	ErrTooLarge = errors.New("terms: file too large")
	// ErrNotText means a file is empty, not UTF-8, or holds NUL bytes.
	ErrNotText = errors.New("terms: not UTF-8 text")
)

// Text is one agreement as shown to a guest.
type Text struct {
	// Markdown is the text, exactly as shown (a leading UTF-8 byte-order
	// mark is the only thing removed from the file).
	Markdown string
	// SHA256 is the lower-case hex SHA-256 of Markdown's bytes.
	SHA256 string
	// Lang is the language of the text served; Requested the one asked for.
	Lang, Requested string
	// FellBack is true when Requested had no text and English is served:
	// the staff health view says so.
	FellBack bool
	// Source is the file read, or SourceBuiltIn.
	Source string
}

// Load returns the agreement in lang: from operatorDir/<lang>.md when
// operatorDir is set, else the built-in sample. A missing language falls
// back to English (FellBack). An operator directory without en.md is an
// error rather than a silent return to the sample, which is not the
// facility's contract.
func Load(operatorDir, lang string) (Text, error) {
	if !validLang(lang) {
		return Text{}, fmt.Errorf("%w: %q", ErrLanguage, lang)
	}
	src := Source(operatorDir)
	served := lang
	b, where, err := src.read(lang)
	if errors.Is(err, fs.ErrNotExist) && lang != Fallback {
		served = Fallback
		b, where, err = src.read(Fallback)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return Text{}, fmt.Errorf("%w: %s has no %s.md, which is shown for every language without its own file",
			ErrNoFallback, src.name(), Fallback)
	}
	if err != nil {
		return Text{}, err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	sum := sha256.Sum256(b)
	return Text{Markdown: string(b), SHA256: hex.EncodeToString(sum[:]), Lang: served, Requested: lang,
		FellBack: served != lang, Source: where}, nil
}

// Missing lists the languages of langs that have no text of their own in
// operatorDir (or the built-in sample), and so are shown in English; and
// the first error met reading the directory, such as no en.md.
func Missing(operatorDir string, langs []string) ([]string, error) {
	var miss []string
	for _, l := range langs {
		t, err := Load(operatorDir, l)
		if err != nil {
			return miss, err
		}
		if t.FellBack {
			miss = append(miss, l)
		}
	}
	return miss, nil
}

// Source is where texts are read from: an operator directory, or "" for
// the built-in sample.
type Source string

func (s Source) name() string {
	if s == "" {
		return SourceBuiltIn
	}
	return string(s)
}

// read returns lang's file, checked, and where it came from.
func (s Source) read(lang string) ([]byte, string, error) {
	name := lang + ".md"
	if s == "" {
		b, err := fs.ReadFile(assets.Terms(), name)
		if err != nil {
			return nil, "", err
		}
		return b, SourceBuiltIn, check(b, SourceBuiltIn+" "+name)
	}
	p := filepath.Join(string(s), name)
	b, err := readFile(p)
	if err != nil {
		return nil, p, err
	}
	return b, p, check(b, p)
}

// readFile reads a regular file of at most MaxFileSize bytes.
func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("terms: cannot open %s: %w", p, unwrapPath(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("terms: %s: %w", p, unwrapPath(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrNotText, p)
	}
	b, err := bounded.Read(f, p, MaxFileSize)
	if errors.Is(err, bounded.ErrTooLarge) {
		return nil, fmt.Errorf("%w: %s is over %d KiB; an agreement is a few pages of text", ErrTooLarge, p, MaxFileSize>>10)
	}
	if err != nil {
		return nil, fmt.Errorf("terms: read %s: %w", p, unwrapPath(err))
	}
	return b, nil
}

// check refuses what the reader could not show as text.
func check(b []byte, where string) error {
	if len(bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")))) == 0 {
		return fmt.Errorf("%w: %s is empty", ErrNotText, where)
	}
	if !utf8.Valid(b) {
		off := 0
		for off < len(b) {
			r, n := utf8.DecodeRune(b[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return fmt.Errorf("%w: %s is not UTF-8 (at byte %d): save it as UTF-8", ErrNotText, where, off)
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return fmt.Errorf("%w: %s holds a NUL byte at %d: not a text file", ErrNotText, where, i)
	}
	return nil
}

// validLang accepts two lower-case ASCII letters, so that a code can never
// name another path.
func validLang(l string) bool {
	return len(l) == 2 && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' && l[1] <= 'z'
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
