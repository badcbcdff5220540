// Package aeskey reads a 256-bit key as written by an operator: 64 hex
// digits, or standard or URL-safe base64 (padded or not) of 32 bytes. The
// configuration check and the outbox both read keys through it.
package aeskey

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// Size is the key length in bytes (AES-256).
const Size = 32

// ErrBadKey means the text is not a 32-byte key in any accepted form. It
// never repeats the text.
var ErrBadKey = errors.New("key must be 32 bytes written as 64 hex digits or base64")

// Parse reads s; surrounding white space is ignored.
func Parse(s string) ([Size]byte, error) {
	var k [Size]byte
	s = strings.TrimSpace(s)
	if len(s) == 2*Size {
		if _, err := hex.Decode(k[:], []byte(s)); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == Size {
			copy(k[:], b)
			return k, nil
		}
	}
	return k, ErrBadKey
}
