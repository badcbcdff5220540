package outbox

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// On-disk item format, version 2. Everything before the nonce is the header:
// it is stored in clear so that Stats can be served without decrypting, holds
// no personal data (a random id, the kind, times, an error code), and is
// authenticated as GCM additional data, so that changing any byte of it makes
// the item unreadable rather than misfiled.
//
//	off  len  field
//	0    4    magic "SGOB"
//	4    1    format version (1)
//	5    1    state: 0 queued, 1 dead
//	6    4    key id: the first 4 bytes of SHA-256("signet-outbox-key-id" ‖ key)
//	10   16   item id (random; the file is named after its hex form)
//	26   8    created, Unix nanoseconds, big-endian
//	34   8    failed, Unix nanoseconds: when the item was refused (dead
//	          items) or its last attempt failed (queued items); 0 if never
//	42   2    attempts: failed delivery attempts so far, big-endian
//	44   1    n = length of kind
//	45   n    kind
//	     1    m = length of error code
//	     m    error code: the refusal (dead) or the last failure (queued)
//	     12   GCM nonce (random)
//	     …    ciphertext of the payload, then the 16-byte GCM tag
//
// Version 1 had no attempts field (the kind's length is at offset 42); it
// is still read, and an item is written again as version 2 whenever it
// changes.
const (
	magic         = "SGOB"
	formatVersion = 2
	idLen         = 16
	nonceLen      = 12
	tagLen        = 16
	// fixedHeader is the longest fixed part of a header (version 2).
	fixedHeader   = 45
	fixedHeaderV1 = 43
	// MaxKindLen bounds a Kind's length.
	MaxKindLen = 64
	maxCodeLen = 64
)

const (
	stateQueued byte = 0
	stateDead   byte = 1
)

// Errors of the item format. A file that fails with one of them is
// quarantined; none of them is ever fatal to the queue.
var (
	// ErrCorrupt means the bytes are not an outbox item: wrong magic, torn,
	// truncated, or tampered with.
	ErrCorrupt = errors.New("outbox: corrupt item")
	// ErrVersion means the item was written by a format this build does not read.
	ErrVersion = errors.New("outbox: unknown item format version")
	// ErrOtherKey means the item was sealed with a different key.
	ErrOtherKey = errors.New("outbox: item sealed with another key")
)

// itemID is an item's random identity; its hex form names the file.
type itemID [idLen]byte

func (id itemID) String() string { return hex.EncodeToString(id[:]) }

func newItemID() (itemID, error) {
	var id itemID
	if _, err := rand.Read(id[:]); err != nil {
		return id, fmt.Errorf("outbox: random id: %w", err)
	}
	return id, nil
}

// parseItemID reads the hex form of an id.
func parseItemID(s string) (itemID, bool) {
	var id itemID
	if len(s) != 2*idLen {
		return id, false
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, false
	}
	// Only the canonical lower-case form names a file.
	return id, hex.EncodeToString(id[:]) == s
}

// header is the clear, authenticated part of an item.
type header struct {
	state   byte
	keyID   [4]byte
	id      itemID
	created time.Time
	failed  time.Time
	// attempts counts failed delivery attempts, across restarts.
	attempts uint16
	kind     Kind
	code     string
}

func (h *header) marshal() []byte {
	b := make([]byte, 0, fixedHeader+len(h.kind)+1+len(h.code))
	b = append(b, magic...)
	b = append(b, formatVersion, h.state)
	b = append(b, h.keyID[:]...)
	b = append(b, h.id[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(h.created.UnixNano()))
	var failed int64
	if !h.failed.IsZero() {
		failed = h.failed.UnixNano()
	}
	b = binary.BigEndian.AppendUint64(b, uint64(failed))
	b = binary.BigEndian.AppendUint16(b, h.attempts)
	b = append(b, byte(len(h.kind)))
	b = append(b, h.kind...)
	b = append(b, byte(len(h.code)))
	b = append(b, h.code...)
	return b
}

// parseHeader reads a header and returns it with its length in b.
func parseHeader(b []byte) (header, int, error) {
	var h header
	if len(b) < fixedHeaderV1 || string(b[:4]) != magic {
		return h, 0, ErrCorrupt
	}
	off := fixedHeaderV1
	switch b[4] {
	case 1:
	case formatVersion:
		if len(b) < fixedHeader {
			return h, 0, ErrCorrupt
		}
		h.attempts = binary.BigEndian.Uint16(b[42:44])
		off = fixedHeader
	default:
		return h, 0, fmt.Errorf("%w %d", ErrVersion, b[4])
	}
	h.state = b[5]
	if h.state != stateQueued && h.state != stateDead {
		return h, 0, ErrCorrupt
	}
	copy(h.keyID[:], b[6:10])
	copy(h.id[:], b[10:26])
	h.created = time.Unix(0, int64(binary.BigEndian.Uint64(b[26:34])))
	if f := int64(binary.BigEndian.Uint64(b[34:42])); f != 0 {
		h.failed = time.Unix(0, f)
	}
	n := int(b[off-1])
	if n == 0 || n > MaxKindLen || len(b) < off+n+1 {
		return h, 0, ErrCorrupt
	}
	h.kind = Kind(b[off : off+n])
	if h.kind.Validate() != nil {
		return h, 0, ErrCorrupt
	}
	off += n
	m := int(b[off])
	off++
	if m > maxCodeLen || len(b) < off+m {
		return h, 0, ErrCorrupt
	}
	h.code = string(b[off : off+m])
	if !printableASCII(h.code) {
		return h, 0, ErrCorrupt
	}
	off += m
	return h, off, nil
}

// seal returns the whole file: header, nonce, ciphertext and tag.
func seal(aead cipher.AEAD, h *header, payload []byte) ([]byte, error) {
	hb := h.marshal()
	out := make([]byte, len(hb), len(hb)+nonceLen+len(payload)+tagLen)
	copy(out, hb)
	nonce := out[len(hb) : len(hb)+nonceLen]
	out = out[:len(hb)+nonceLen]
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("outbox: random nonce: %w", err)
	}
	return aead.Seal(out, nonce, payload, hb), nil
}

// open authenticates a file and returns its header and plaintext payload.
func open(aead cipher.AEAD, keyID [4]byte, b []byte) (header, []byte, error) {
	h, n, err := parseHeader(b)
	if err != nil {
		return h, nil, err
	}
	if h.keyID != keyID {
		return h, nil, ErrOtherKey
	}
	if len(b) < n+nonceLen+tagLen {
		return h, nil, ErrCorrupt
	}
	nonce := b[n : n+nonceLen]
	plain, err := aead.Open(nil, nonce, b[n+nonceLen:], b[:n])
	if err != nil {
		return h, nil, ErrCorrupt
	}
	return h, plain, nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// sanitizeCode makes an error code fit the header: printable ASCII, bounded.
// Codes come from Verdict and never carry personal data; this only keeps a
// careless one from breaking the format.
func sanitizeCode(s string) string {
	b := make([]byte, 0, min(len(s), maxCodeLen))
	for i := 0; i < len(s) && len(b) < maxCodeLen; i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}
