package config

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDoneMessage bounds kiosk.done_message in characters: a sentence or
// two the guest reads on the Done screen, not a page.
const maxDoneMessage = 240

// DoneMessageIn is the operator's message for the Done screen in lang,
// falling back to English; "" when neither is set.
func (k Kiosk) DoneMessageIn(lang string) string {
	if m := strings.TrimSpace(k.DoneMessage[lang]); m != "" {
		return m
	}
	return strings.TrimSpace(k.DoneMessage["en"])
}

// validateDone checks kiosk.done_message: known languages, one short
// printable paragraph each.
func (c *Config) validateDone() Errors {
	var es Errors
	langs := make([]string, 0, len(c.Kiosk.DoneMessage))
	for l := range c.Kiosk.DoneMessage {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		m := c.Kiosk.DoneMessage[l]
		key := "kiosk.done_message." + l
		switch {
		case !knownLanguage(l):
			es = append(es, &Error{Key: key, Reason: fmt.Sprintf("%q is not one of en, fr, es, de, nl", l)})
		case !utf8.ValidString(m):
			es = append(es, &Error{Key: key, Reason: "not valid UTF-8"})
		case utf8.RuneCountInString(m) > maxDoneMessage:
			es = append(es, &Error{Key: key, Reason: fmt.Sprintf("%d characters, at most %d: the guest reads it at a glance", utf8.RuneCountInString(m), maxDoneMessage)})
		case strings.IndexFunc(m, unicode.IsControl) >= 0:
			es = append(es, &Error{Key: key, Reason: "holds a control character (a line break or tab): write one paragraph"})
		}
	}
	return es
}
