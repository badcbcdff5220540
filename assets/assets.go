// Package assets holds what Signet embeds: the app icon, the translations of
// every guest- and staff-facing sentence, the OCR-B font that the MRZ
// reader and the synthetic camera share, and the sample storage agreement
// (terms/<lang>.md, served by internal/terms). It exposes plain bytes and file
// systems; package app wraps them as Fyne resources (only app imports Fyne).
package assets

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

//go:generate go run ./internal/icongen -out icon.png

// IconPNG is the application icon, 1024×1024.
//
//go:embed icon.png
var IconPNG []byte

// OCRB is OCR-B as packaged by Debian's fonts-ocr-b
// (/usr/share/fonts/opentype/ocr-b/OCRB.otf): Matthew Skala's 2012 font,
// released by him to the public domain, from Norbert Schwarz's METAFONT
// sources (1995, 2010), which he licensed as "you may freely use, modify
// and/or distribute this file, without limitation". It is stored converted
// to TrueType outlines (fontTools, cubic to quadratic within 1 unit),
// because x/image's CFF parser rejects the flex1 operator the original uses
// for '8' and '<'. Embedded so the binary needs no font package.
//
//go:embed fonts/ocrb.ttf
var OCRB []byte

//go:embed i18n/*.json
var i18nFS embed.FS

// Translations returns the translation files, one JSON object per language
// named <code>.json, mapping message keys to sentences.
func Translations() fs.FS { return sub(i18nFS, "i18n") }

// Languages are the codes of the languages every sentence is translated
// into, English first.
var Languages = []string{"en", "fr", "es", "de", "nl"}

// Sentences returns lang's translation file, decoded.
func Sentences(lang string) (map[string]string, error) {
	b, err := fs.ReadFile(i18nFS, "i18n/"+lang+".json")
	if err != nil {
		return nil, err
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("assets: %s.json: %w", lang, err)
	}
	return m, nil
}

//go:embed terms/*.md
var termsFS embed.FS

// Terms returns the built-in sample storage agreement and facility rules,
// one Markdown file per language named <code>.md. An operator replaces them
// (kiosk.terms_dir); internal/terms chooses between the two.
func Terms() fs.FS { return sub(termsFS, "terms") }

// sub is the embedded directory dir of fsys.
func sub(fsys embed.FS, dir string) fs.FS {
	s, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // the embedded directories are fixed at build time
	}
	return s
}
