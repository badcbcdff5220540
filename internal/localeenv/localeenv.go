// Package localeenv keeps a shell's C locale from reaching Fyne as a
// language tag. Importing it (main does, for its side effect) is all it takes.
//
// Fyne's lang package reads the user's languages in its init function,
// through github.com/jeandeaual/go-locale: the first set of LC_ALL,
// LC_MESSAGES and LANG, or LANGUAGE unless that locale is exactly "C" or
// "POSIX". A locale such as "C.UTF-8" comes out as the language "C", which
// is not a BCP 47 tag, and Fyne prints "Error parsing user locale C" on
// stderr before main runs, in every subcommand.
//
// The C locale asks for untranslated, that is English, messages. So when
// the languages go-locale would report include C or POSIX, init sets
// LANGUAGE to the rest of them, or to "en" when nothing is left. LANG and
// LC_* are left as they are: the character set (UTF-8) is unchanged, and
// gettext ignores LANGUAGE under a C locale, so child processes see no
// difference.
//
// Why this runs before Fyne's init: Go initialises packages one at a time,
// each step taking the first package, in import-path order, whose imports
// are all initialised (the spec's "Package initialization", Go 1.21 on;
// packages without init work count too). This package imports os and
// nothing else, so it is ready as soon as os is. Fyne's lang imports log,
// which imports os; "github.com/signet-kiosk/…" sorts before "log", so this
// package is initialised before log, and hence before lang. Importing
// anything more here (even strings) would void that argument. The e2e test
// TestSilentUnderCLocales checks the built binary;
// GODEBUG=inittrace=1 shows the order.
package localeenv

import "os"

func init() { Normalize(os.Getenv, os.Setenv) }

// Normalize applies the rule above through getenv and setenv (tests pass
// a map).
func Normalize(getenv func(string) string, setenv func(string, string) error) {
	locale := ""
	for _, name := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(name); locale != "" {
			break
		}
	}
	if locale == "" || locale == "C" || locale == "POSIX" {
		return // go-locale reports no language, which Fyne takes as English
	}
	list := getenv("LANGUAGE")
	if list == "" {
		list = locale
	}
	keep := ""
	dropped := false
	for start, i := 0, 0; i <= len(list); i++ {
		if i < len(list) && list[i] != ':' {
			continue
		}
		l := list[start:i]
		start = i + 1
		if isC(l) {
			dropped = true
			continue
		}
		if keep != "" {
			keep += ":"
		}
		keep += l
	}
	if !dropped {
		return
	}
	if keep == "" {
		keep = "en"
	}
	setenv("LANGUAGE", keep)
}

// isC reports whether a locale name is C or POSIX, with or without a
// character set or modifier ("C.UTF-8", "POSIX@euro"), or empty.
func isC(l string) bool {
	for i := 0; i < len(l); i++ {
		if l[i] == '.' || l[i] == '@' {
			l = l[:i]
			break
		}
	}
	return l == "" || l == "C" || l == "POSIX"
}
