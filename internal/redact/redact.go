// Package redact keeps secrets and personal data out of logs and error strings.
//
// It offers three layers, used together:
//
//   - the Secret and Personal string types, which print as a placeholder through
//     fmt, slog and encoding/json, so a value that is typed right cannot leak;
//   - Handler, a slog.Handler wrapper that blanks attributes whose key names a
//     sensitive field (api_key, token, pin, email, number, ...), whatever their type;
//   - a process-wide set of known secret values (Register) that Handler and
//     String scrub from every message and string attribute, so a secret that
//     slipped into an error string from a library is still caught;
//   - a process-wide set of known personal values (RegisterPersonal: a
//     guest's name, e-mail, document number) scrubbed the same way, so a
//     server message that echoes them (Mews's Message) reaches no log;
//   - Line, which makes text from outside fit for one log line: scrubbed,
//     without control characters, and cut to a length.
package redact

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Placeholders printed instead of the hidden value.
const (
	SecretMask   = "[secret]"
	PersonalMask = "[personal]"
)

// Secret is a credential: an API key, token or PIN. It prints as SecretMask.
type Secret string

// Reveal returns the value itself, for the one place that must send it.
func (s Secret) Reveal() string { return string(s) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s == "" }

func (s Secret) String() string   { return mask(string(s), SecretMask) }
func (s Secret) GoString() string { return s.String() }

// Format makes every verb, %v %s %q %x alike, print the mask.
func (s Secret) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes the mask, never the value.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalText writes the mask, never the value (TOML and other text encoders).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the value (config files and environment).
func (s *Secret) UnmarshalText(b []byte) error { *s = Secret(b); return nil }

// Personal is personal data: a name, email, document number. It prints as PersonalMask.
type Personal string

// Reveal returns the value itself, for display to its owner or for sending to an API.
func (p Personal) Reveal() string { return string(p) }

func (p Personal) String() string                { return mask(string(p), PersonalMask) }
func (p Personal) GoString() string              { return p.String() }
func (p Personal) Format(f fmt.State, _ rune)    { fmt.Fprint(f, p.String()) }
func (p Personal) LogValue() slog.Value          { return slog.StringValue(p.String()) }
func (p Personal) MarshalText() ([]byte, error)  { return []byte(p.String()), nil }
func (p *Personal) UnmarshalText(b []byte) error { *p = Personal(b); return nil }

func mask(v, m string) string {
	if v == "" {
		return ""
	}
	return m
}

// sensitiveKeys are attribute-key fragments whose values are always blanked.
var sensitiveKeys = []string{
	"key", "token", "secret", "password", "passwd", "pin", "authorization", "auth",
	"name", "email", "phone", "number", "birth", "signature", "image", "photo", "address", "mrz",
}

// SensitiveKey reports whether a log attribute or field named key must be blanked.
// The match is on lower-cased fragments, so "ApiKey", "access_token" and
// "tenant.email" are all sensitive.
func SensitiveKey(key string) bool {
	k := strings.ToLower(key)
	for _, s := range sensitiveKeys {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// keyAllow lists keys that contain a sensitive fragment but are harmless.
var keyAllow = map[string]bool{
	"keys": true, "hostname": true, "filename_ext": true, "typename": true, "kind": true,
}

var (
	mu      sync.RWMutex
	secrets []string
	// personal holds registered personal values, oldest first, with their
	// lower-case forms for a quick check.
	personal      []string
	personalLower []string
)

// MaxPersonal is how many personal values are remembered; registering more
// forgets the oldest, so a kiosk running for months does not grow.
const MaxPersonal = 1024

// Register adds values that must never be printed, such as the API key read
// from the environment. Values shorter than 4 bytes are ignored: scrubbing them
// would mangle ordinary text while protecting nothing.
func Register(values ...string) {
	mu.Lock()
	defer mu.Unlock()
	for _, v := range values {
		if len(v) < 4 {
			continue
		}
		dup := false
		for _, s := range secrets {
			dup = dup || s == v
		}
		if !dup {
			secrets = append(secrets, v)
		}
	}
}

// RegisterPersonal adds personal values (a guest's name, e-mail, document
// number) that String replaces with PersonalMask wherever they stand as a
// whole word, in any letter case. Values shorter than 2 bytes are ignored.
// At most MaxPersonal values are kept; the oldest go first.
func RegisterPersonal(values ...string) {
	mu.Lock()
	defer mu.Unlock()
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len(v) < 2 {
			continue
		}
		lv := strings.ToLower(v)
		dup := false
		for _, p := range personalLower {
			dup = dup || p == lv
		}
		if dup {
			continue
		}
		if len(personal) >= MaxPersonal {
			personal, personalLower = personal[1:], personalLower[1:]
		}
		personal, personalLower = append(personal, v), append(personalLower, lv)
	}
}

// ForgetPersonal removes personal values registered before, once they are
// no longer handled (the guest's session ended).
func ForgetPersonal(values ...string) {
	mu.Lock()
	defer mu.Unlock()
	for _, v := range values {
		lv := strings.ToLower(strings.TrimSpace(v))
		for i := 0; i < len(personalLower); i++ {
			if personalLower[i] == lv {
				personal = append(personal[:i:i], personal[i+1:]...)
				personalLower = append(personalLower[:i:i], personalLower[i+1:]...)
				i--
			}
		}
	}
}

// String returns s with every registered secret value replaced by
// SecretMask and every registered personal value by PersonalMask.
func String(s string) string {
	mu.RLock()
	defer mu.RUnlock()
	for _, v := range secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, SecretMask)
		}
	}
	if len(personal) == 0 {
		return s
	}
	ls := strings.ToLower(s)
	// Longer values first, so "Anna Maria" goes before "Anna" can split it.
	var hits []string
	for i, lv := range personalLower {
		if strings.Contains(ls, lv) {
			hits = append(hits, personal[i])
		}
	}
	for len(hits) > 0 {
		k := 0
		for i := range hits {
			if len(hits[i]) > len(hits[k]) {
				k = i
			}
		}
		s = replaceWord(s, hits[k], PersonalMask)
		hits = append(hits[:k], hits[k+1:]...)
	}
	return s
}

// replaceWord replaces every occurrence of v in s, in any letter case, that
// stands as a whole word (no letter or digit right before or after it).
func replaceWord(s, v, mask string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+len(v) <= len(s); {
		if strings.EqualFold(s[i:i+len(v)], v) && boundary(s, i, i+len(v)) {
			b.WriteString(s[last:i])
			b.WriteString(mask)
			i += len(v)
			last = i
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func boundary(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// Line makes text from outside (a server's message) fit for a log line:
// scrubbed by String, control characters replaced by spaces, and cut to at
// most max characters, the cut marked with "…".
func Line(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, String(s))
	if max > 0 && utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max-1 {
				return s[:i] + "…"
			}
			n++
		}
	}
	return s
}

// Error returns err's message scrubbed by String; nil gives "".
func Error(err error) string {
	if err == nil {
		return ""
	}
	return String(err.Error())
}

// Handler wraps a slog.Handler and redacts every record that passes through it.
type Handler struct {
	next slog.Handler
}

// NewHandler returns a Handler that redacts records before next sees them.
func NewHandler(next slog.Handler) *Handler { return &Handler{next: next} }

// Enabled implements slog.Handler.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle implements slog.Handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, String(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(Attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = Attr(a)
	}
	return &Handler{next: h.next.WithAttrs(clean)}
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name)}
}

// Attr returns a with its value blanked when its key is sensitive, and with
// registered secrets scrubbed from string values otherwise. Groups are walked.
func Attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		g := v.Group()
		clean := make([]slog.Attr, len(g))
		for i, ga := range g {
			clean[i] = Attr(ga)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(clean...)}
	}
	if SensitiveKey(a.Key) && !keyAllow[strings.ToLower(a.Key)] {
		if v.Kind() == slog.KindString && v.String() == "" {
			return slog.String(a.Key, "")
		}
		return slog.String(a.Key, "[redacted]")
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, String(v.String()))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, Error(err))
		}
		return slog.String(a.Key, String(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// NewLogger returns a slog.Logger writing to w through a Handler, in "text"
// or "json" format at level ("debug", "info", "warn", "error"). Every logger in
// Signet is made here or wraps its handler with NewHandler.
func NewLogger(w io.Writer, level, format string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: l}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(NewHandler(h))
}

// Discard is a logger that prints nothing, the default for library packages.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
