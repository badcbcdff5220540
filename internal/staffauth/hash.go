// Package staffauth guards the staff console: the PIN stored only as an
// argon2id hash in a self-describing string, a constant-time check, and a
// lockout after repeated wrong PINs that is kept on disk so a restart does
// not reset it.
package staffauth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PIN length limits.
const (
	MinPINLength = 4
	MaxPINLength = 12
)

var (
	// ErrBadPIN is returned for a PIN that is not 4–12 digits.
	ErrBadPIN = errors.New("staffauth: the PIN must be 4 to 12 digits")
	// ErrBadHash is wrapped by the error for a hash string that cannot be read.
	ErrBadHash = errors.New("staffauth: bad PIN hash")
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams follow RFC 9106's second recommendation scaled to a kiosk
// PC: 64 MiB, 3 passes, 2 lanes; about a tenth of a second per check.
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// Limits on what a hash string may ask for, so a tampered configuration
// cannot make a check take all the memory or minutes of CPU. A check at the
// limits costs at most 256 MiB and about as much work as five checks with
// DefaultParams (one GiB-pass: memory × passes); an absurd string such as
// m=1048576,t=64 (197 s and 1 GiB before these limits) is refused by Parse
// before any hashing.
const (
	maxMemory  = 256 << 10 // KiB: 256 MiB
	maxTime    = 16
	maxThreads = 16
	maxWork    = 1 << 20 // KiB × passes: 1 GiB-pass
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
)

// ValidPIN returns ErrBadPIN unless pin is 4–12 ASCII digits.
func ValidPIN(pin string) error {
	if len(pin) < MinPINLength || len(pin) > MaxPINLength {
		return ErrBadPIN
	}
	for i := 0; i < len(pin); i++ {
		if pin[i] < '0' || pin[i] > '9' {
			return ErrBadPIN
		}
	}
	return nil
}

// Hash returns pin's argon2id hash with DefaultParams and a random salt as
// "$argon2id$v=19$m=65536,t=3,p=2$SALT$HASH" (unpadded standard base64).
func Hash(pin string) (string, error) { return HashWith(pin, DefaultParams) }

// HashWith is Hash with explicit parameters (tests use cheap ones).
func HashWith(pin string, p Params) (string, error) {
	if err := ValidPIN(pin); err != nil {
		return "", err
	}
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("staffauth: salt: %w", err)
	}
	return hashWithSalt(pin, p, salt)
}

// hashWithSalt is HashWith with a given salt of p.SaltLen bytes.
func hashWithSalt(pin string, p Params, salt []byte) (string, error) {
	if err := ValidPIN(pin); err != nil {
		return "", err
	}
	if err := p.check(); err != nil {
		return "", err
	}
	if len(salt) != int(p.SaltLen) {
		return "", fmt.Errorf("%w: salt of %d bytes", ErrBadHash, len(salt))
	}
	key := argon2.IDKey([]byte(pin), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

func (p Params) check() error {
	switch {
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return fmt.Errorf("%w: memory %d KiB out of range", ErrBadHash, p.Memory)
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("%w: %d passes out of range", ErrBadHash, p.Time)
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("%w: %d lanes out of range", ErrBadHash, p.Threads)
	case uint64(p.Memory)*uint64(p.Time) > maxWork:
		return fmt.Errorf("%w: memory × passes above %d MiB", ErrBadHash, maxWork>>10)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("%w: salt of %d bytes", ErrBadHash, p.SaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("%w: hash of %d bytes", ErrBadHash, p.KeyLen)
	}
	return nil
}

// Parsed is a hash string taken apart.
type Parsed struct {
	Params Params
	Salt   []byte
	Key    []byte
}

// Parse reads a hash string written by Hash. It never panics, and refuses
// parameters beyond sane limits; its errors wrap ErrBadHash and never
// quote the string.
func Parse(s string) (*Parsed, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return nil, fmt.Errorf("%w: want $argon2id$v=19$m=…,t=…,p=…$salt$hash", ErrBadHash)
	}
	if parts[1] != "argon2id" {
		return nil, fmt.Errorf("%w: not an argon2id hash", ErrBadHash)
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, fmt.Errorf("%w: unsupported argon2 version", ErrBadHash)
	}
	var p Params
	seen := map[string]bool{}
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || seen[k] {
			return nil, fmt.Errorf("%w: bad parameters", ErrBadHash)
		}
		seen[k] = true
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("%w: a parameter is not a number", ErrBadHash)
		}
		switch k {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return nil, fmt.Errorf("%w: too many lanes", ErrBadHash)
			}
			p.Threads = uint8(n)
		default:
			return nil, fmt.Errorf("%w: unknown parameter", ErrBadHash)
		}
	}
	if len(seen) != 3 {
		return nil, fmt.Errorf("%w: want m, t and p", ErrBadHash)
	}
	b64 := base64.RawStdEncoding.Strict()
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return nil, fmt.Errorf("%w: salt is not base64", ErrBadHash)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return nil, fmt.Errorf("%w: hash is not base64", ErrBadHash)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return nil, err
	}
	return &Parsed{Params: p, Salt: salt, Key: key}, nil
}

// Verify reports whether pin matches the hash string, comparing in
// constant time. A malformed hash is an error, never a match.
func Verify(pin, encoded string) (bool, error) {
	h, err := Parse(encoded)
	if err != nil {
		return false, err
	}
	if len(pin) > MaxPINLength*4 { // do not hash arbitrarily long input
		return false, nil
	}
	got := argon2.IDKey([]byte(pin), h.Salt, h.Params.Time, h.Params.Memory, h.Params.Threads, h.Params.KeyLen)
	return subtle.ConstantTimeCompare(got, h.Key) == 1, nil
}
