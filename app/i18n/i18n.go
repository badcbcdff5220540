// Package i18n is the kiosk's own translation layer. Fyne's lang package
// follows the OS locale and cannot switch at run time; a kiosk switches
// language per guest, so the catalog here is looked up on every render.
//
// Translations are flat JSON objects, one file per language (en.json, …),
// mapping message keys to sentences. A sentence may hold {name} placeholders,
// filled from the arguments passed to T.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

// Fallback is the language used for a key a translation lacks.
const Fallback = "en"

// Catalog holds every language's messages.
type Catalog struct {
	msgs map[string]map[string]string
}

// Load reads every <lang>.json in fsys.
func Load(fsys fs.FS) (*Catalog, error) {
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("i18n: read %s: %w", f, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", f, err)
		}
		c.msgs[strings.TrimSuffix(path.Base(f), ".json")] = m
	}
	if _, ok := c.msgs[Fallback]; !ok {
		return nil, fmt.Errorf("i18n: no %s.json", Fallback)
	}
	return c, nil
}

// Languages lists the language codes present, sorted.
func (c *Catalog) Languages() []string {
	ls := make([]string, 0, len(c.msgs))
	for l := range c.msgs {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	return ls
}

// Has reports whether lang is present.
func (c *Catalog) Has(lang string) bool { _, ok := c.msgs[lang]; return ok }

// Keys lists the keys of lang, sorted.
func (c *Catalog) Keys(lang string) []string {
	ks := make([]string, 0, len(c.msgs[lang]))
	for k := range c.msgs[lang] {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Lookup returns the sentence for key in lang, falling back to English, then
// to the key itself (so a missing key is visible, never a blank button).
func (c *Catalog) Lookup(lang, key string) string {
	if s, ok := c.msgs[lang][key]; ok {
		return s
	}
	if s, ok := c.msgs[Fallback][key]; ok {
		return s
	}
	return key
}

// Translator is the current language, shared by every screen.
type Translator struct {
	cat *Catalog

	mu   sync.RWMutex
	lang string
}

// NewTranslator starts in lang (or the fallback when lang is absent).
func NewTranslator(c *Catalog, lang string) *Translator {
	t := &Translator{cat: c, lang: Fallback}
	t.SetLanguage(lang)
	return t
}

// Catalog returns the catalog behind t.
func (t *Translator) Catalog() *Catalog { return t.cat }

// Language returns the current language code.
func (t *Translator) Language() string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.lang
}

// SetLanguage switches language; an unknown code is ignored and false returned.
func (t *Translator) SetLanguage(lang string) bool {
	if !t.cat.Has(lang) {
		return false
	}
	t.mu.Lock()
	t.lang = lang
	t.mu.Unlock()
	return true
}

// T translates key, replacing {name} placeholders with args given as
// alternating name, value pairs: T("done.ref", "ref", "ABC").
func (t *Translator) T(key string, args ...any) string {
	s := t.cat.Lookup(t.Language(), key)
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return s
}

// In translates key in a specific language without switching.
func (t *Translator) In(lang, key string) string { return t.cat.Lookup(lang, key) }
