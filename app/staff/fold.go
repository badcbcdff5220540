package staff

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold is s as staff type it on a keyboard without accents: lower case,
// every mark taken off its letter ("Müller" → "muller", "Sofía" →
// "sofia"), and the few letters that are not a letter plus a mark written
// as they usually are without them ("ß" → "ss", "Ø" → "o").
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if t, ok := plainLetters[r]; ok {
			b.WriteString(t)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plainLetters are the Latin letters that do not decompose into a letter
// and marks.
var plainLetters = map[rune]string{
	'ß': "ss", 'ø': "o", 'æ': "ae", 'œ': "oe", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i", 'ħ': "h",
}

// markless are the letters that no Latin alphabet staff are likely to
// meet writes with a mark; consonants are the letters that carry one in
// a few alphabets only (ç, ñ, š…); vowels often carry one.
const (
	markless   = "bfmpqvx"
	consonants = "bcdfghjklmnpqrstvwxz"
)

// marklessKey is what a name that q may spell without its accents most
// likely contains as q has it: the longest run of markless letters in q,
// folded, or else its longest run of consonants; "" when q has neither.
func marklessKey(q string) string {
	if k := longestRun(Fold(q), markless); k != "" {
		return k
	}
	return longestRun(Fold(q), consonants)
}

func longestRun(s, of string) string {
	best, run := "", ""
	for _, r := range s {
		if !strings.ContainsRune(of, r) {
			run = ""
			continue
		}
		run += string(r)
		if len(run) > len(best) {
			best = run
		}
	}
	return best
}

// nameMatches reports whether the customer's full name contains q,
// ignoring case and accents.
func nameMatches(first, last, q string) bool {
	return strings.Contains(Fold(first+" "+last), Fold(strings.Join(strings.Fields(q), " ")))
}
