package idscan

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Side is one side of a document.
type Side string

// The sides.
const (
	SideFront Side = "front"
	SideBack  Side = "back"
)

// DocRule says how many sides a document type has: the first rule with a
// Match substring found in StoRegister's type name (case- and
// accent-insensitive) wins.
type DocRule struct {
	Match []string
	// Kind names the document in filenames ("identity-card").
	Kind  string
	Sides int
}

// DefaultDocRules recognise passports (one page) and identity cards,
// driving licences and residence permits (front and back) in English,
// French, Spanish, German and Dutch. Residence permits come before driving
// licences so that "permis de séjour" is not taken for "permis de conduire".
func DefaultDocRules() []DocRule {
	return []DocRule{
		{Match: []string{"passport", "passeport", "pasaporte", "reisepass", "paspoort", "passaporto"}, Kind: "passport", Sides: 1},
		{Match: []string{"residence", "residencia", "séjour", "aufenthalt", "verblijf"}, Kind: "residence-permit", Sides: 2},
		{Match: []string{"driving", "driver", "permis de conduire", "conducir", "führerschein", "rijbewijs"}, Kind: "driving-licence", Sides: 2},
		{Match: []string{"identity", "identité", "identidad", "ausweis", "identiteit", "id card"}, Kind: "identity-card", Sides: 2},
	}
}

// Document is a document type resolved to its sides.
type Document struct {
	// TypeName is StoRegister's name for the type.
	TypeName string
	Kind     string
	Sides    []Side
}

// Classify resolves StoRegister's type name with rules (DefaultDocRules
// when nil). An unknown type has two sides and a kind made from its name.
func Classify(typeName string, rules []DocRule) Document {
	if rules == nil {
		rules = DefaultDocRules()
	}
	key := fold(typeName)
	doc := Document{TypeName: typeName, Kind: slug(typeName), Sides: []Side{SideFront, SideBack}}
	for _, r := range rules {
		for _, m := range r.Match {
			if m = fold(m); m != "" && strings.Contains(key, m) {
				if k := slug(r.Kind); k != "" {
					doc.Kind = k
				}
				if r.Sides == 1 {
					doc.Sides = []Side{SideFront}
				}
				return doc
			}
		}
	}
	return doc
}

// Filename names one side's still, e.g. "identity-card-front.jpg".
func (d Document) Filename(s Side) string {
	k := d.Kind
	if k == "" {
		k = "document"
	}
	return k + "-" + string(s) + ".jpg"
}

// fold lower-cases s and strips accents, so that "Séjour" matches "sejour".
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if r == 'ß' {
			b.WriteString("ss")
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// slug keeps ASCII letters and digits of the folded name, joining runs of
// anything else with single dashes; at most 40 bytes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range fold(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= 40 {
				break
			}
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "document"
	}
	return b.String()
}
