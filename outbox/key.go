package outbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/signet-kiosk/signet/internal/aeskey"
	"github.com/signet-kiosk/signet/internal/redact"
)

// KeyFile is the name of the generated key inside the state directory.
const KeyFile = "outbox.key"

// ErrBadKey means a configured key is not 32 bytes written as 64 hex digits
// or as base64. The message never contains the key.
var ErrBadKey = errors.New("outbox: key must be 32 bytes, written as 64 hex digits or base64")

// Key is an AES-256 key. It prints as a mask, never its bytes.
type Key [32]byte

// String returns redact.SecretMask.
func (Key) String() string { return redact.SecretMask }

// GoString returns redact.SecretMask.
func (Key) GoString() string { return redact.SecretMask }

// Format makes every verb print the mask.
func (k Key) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.String()) }

// ParseKey reads a key written as 64 hex digits or as standard or URL-safe
// base64 (padded or not) of 32 bytes. Surrounding white space is ignored.
func ParseKey(s string) (Key, error) {
	k, err := aeskey.Parse(s)
	if err != nil {
		return Key(k), ErrBadKey
	}
	return Key(k), nil
}

// NewKey returns a fresh random key.
func NewKey() (Key, error) {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		return k, fmt.Errorf("outbox: random key: %w", err)
	}
	return k, nil
}

// LoadKey returns the outbox key: the configured one (SIGNET_OUTBOX_KEY or
// outbox.key, passed in as configured) when set, otherwise the key stored in
// stateDir/outbox.key, generating it with mode 0600 on first use. The
// returned bool reports whether a key was generated now. A key is never
// generated while sealed items wait in stateDir/outbox: a missing key file
// is then a *KeyError (errors.Is ErrKeyMismatch) with Missing set.
//
// A stored key file that others may read is tightened to 0600; the returned
// error names the file, never its content.
func LoadKey(stateDir string, configured redact.Secret) (Key, bool, error) {
	if !configured.IsZero() {
		k, err := ParseKey(configured.Reveal())
		return k, false, err
	}
	if stateDir == "" {
		return Key{}, false, errors.New("outbox: no key configured and no state directory to keep one in")
	}
	path := filepath.Join(stateDir, KeyFile)
	k, err := readKeyFile(path)
	if err == nil {
		return k, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return Key{}, false, err
	}
	// A new key would strand every item sealed with the lost one: never
	// make one while any is waiting.
	if n, _ := scanSealed(filepath.Join(stateDir, Dir), nil); n > 0 {
		return Key{}, false, &KeyError{Source: "the key file " + path, Dir: filepath.Join(stateDir, Dir),
			Waiting: n, Total: n, Missing: true}
	}
	if err := os.MkdirAll(stateDir, 0o700); err != nil {
		return Key{}, false, fmt.Errorf("outbox: state directory: %w", err)
	}
	k, err = NewKey()
	if err != nil {
		return Key{}, false, err
	}
	// Write a temporary file, make it durable, then link it into place: a
	// link fails if another process won the race, in which case its key is
	// the one to use. A crash leaves either no key file or a whole one.
	tmp, err := os.CreateTemp(stateDir, ".outbox-key-*")
	if err != nil {
		return Key{}, false, fmt.Errorf("outbox: write key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return Key{}, false, fmt.Errorf("outbox: write key: %w", err)
	}
	if _, err := tmp.WriteString(hex.EncodeToString(k[:]) + "\n"); err != nil {
		tmp.Close()
		return Key{}, false, fmt.Errorf("outbox: write key: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return Key{}, false, fmt.Errorf("outbox: write key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Key{}, false, fmt.Errorf("outbox: write key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			k, err := readKeyFile(path)
			return k, false, err
		}
		return Key{}, false, fmt.Errorf("outbox: write key: %w", err)
	}
	if err := syncDir(stateDir); err != nil {
		return Key{}, false, err
	}
	return k, true, nil
}

func readKeyFile(path string) (Key, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return Key{}, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return Key{}, fmt.Errorf("outbox: key file %s is readable by others and cannot be restricted: %w", path, err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return Key{}, err
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return Key{}, fmt.Errorf("outbox: key file %s: %w", path, err)
	}
	return k, nil
}

// id returns the key's 4-byte fingerprint, written into every item so that
// an item sealed with another key is told apart from a corrupt one.
func (k Key) id() [4]byte {
	h := sha256.New()
	h.Write([]byte("signet-outbox-key-id"))
	h.Write(k[:])
	var id [4]byte
	copy(id[:], h.Sum(nil))
	return id
}

func (k Key) aead() (cipher.AEAD, error) {
	b, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, fmt.Errorf("outbox: cipher: %w", err)
	}
	return cipher.NewGCM(b)
}
