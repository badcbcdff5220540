// Package assets holds what Signet embeds: the app icon, the translations of
// every guest- and staff-facing sentence, and fonts. It exposes plain bytes and
// file systems; package app wraps them as Fyne resources (only app imports Fyne).
package assets

import (
	"embed"
	"io/fs"
)

//go:generate go run ./internal/icongen -out icon.png

// IconPNG is the application icon, 1024×1024.
//
//go:embed icon.png
var IconPNG []byte

//go:embed i18n/*.json
var i18nFS embed.FS

// Translations returns the translation files, one JSON object per language
// named <code>.json, mapping message keys to sentences.
func Translations() fs.FS {
	sub, err := fs.Sub(i18nFS, "i18n")
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}
