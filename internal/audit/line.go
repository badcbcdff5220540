package audit

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// MaxLine caps one line of the journal. A move-in's line is under 2 KiB;
// a longer line is not one of ours and is refused before it is parsed.
const MaxLine = 16 << 10

// Line types.
const (
	TypeMoveIn     = "move_in"
	TypeCheckpoint = "checkpoint"
)

// Digest is a SHA-256 sum, written as 64 lower-case hex digits.
type Digest [sha256.Size]byte

// Sum returns the SHA-256 of b: of the signature PNG, an ID image or the
// agreement text exactly as sent or shown.
func Sum(b []byte) Digest { return sha256.Sum256(b) }

// String is the hex form.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// IsZero reports whether d is all zeros (not set).
func (d Digest) IsZero() bool { return d == Digest{} }

// MarshalText implements encoding.TextMarshaler.
func (d Digest) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler: exactly 64 hex digits.
func (d *Digest) UnmarshalText(b []byte) error {
	if len(b) != 2*sha256.Size {
		return errors.New("not a SHA-256 (64 hex digits)")
	}
	var out Digest
	if _, err := hex.Decode(out[:], b); err != nil {
		return errors.New("not a SHA-256 (64 hex digits)")
	}
	*d = out
	return nil
}

// File is a file sent to StoRegister: its SHA-256 and the reference
// StoRegister returned ("" while it waits in the outbox).
type File struct {
	SHA256 Digest `json:"sha256"`
	Ref    string `json:"storegister_ref,omitempty"`
}

// Image is one ID image sent: its side ("front", "back") and file.
type Image struct {
	Side string `json:"side"`
	File
}

// MRZ is what the machine-readable zone check found: whether one was
// read, whether its check digits held, and its format (TD1, TD2, TD3).
// Never its text.
type MRZ struct {
	Read   bool   `json:"read"`
	Valid  bool   `json:"valid"`
	Format string `json:"format,omitempty"`
}

// Record is one parsed line of the journal: a move-in or a checkpoint.
// Field order is the order written.
type Record struct {
	Seq  int64     `json:"seq"`
	Type string    `json:"type"`
	Time time.Time `json:"time"`

	// Move-in fields.
	Booking   string  `json:"booking,omitempty"`
	Signature *File   `json:"signature,omitempty"`
	Images    []Image `json:"images,omitempty"`
	MewsRef   string  `json:"mews_ref,omitempty"`
	Agreement *Digest `json:"agreement_sha256,omitempty"`
	MRZ       *MRZ    `json:"mrz,omitempty"`
	Queued    bool    `json:"queued,omitempty"`

	// Checkpoint fields: the lines up to Seq were pruned; Anchor is the
	// hash of the last of them, which the next line's Prev names;
	// PrunedBefore is the retention cut-off.
	Anchor       *Digest    `json:"anchor,omitempty"`
	PrunedBefore *time.Time `json:"pruned_before,omitempty"`

	// Prev is the SHA-256 of the previous line (its bytes without the
	// newline); all zeros on the very first line.
	Prev Digest `json:"prev"`
	// Sig is the ed25519 signature of the line without its sig field.
	Sig []byte `json:"sig,omitzero"`
}

// sigSuffix opens the last field of every line.
var sigSuffix = []byte(`,"sig":"`)

// sign marshals r (without its signature), signs it, and returns the line
// without its newline.
func sign(r *Record, key ed25519.PrivateKey) ([]byte, error) {
	body, err := marshalBody(r)
	if err != nil {
		return nil, err
	}
	sig := ed25519.Sign(key, body)
	line := make([]byte, 0, len(body)+len(sigSuffix)+base64.StdEncoding.EncodedLen(len(sig))+2)
	line = append(line, body[:len(body)-1]...)
	line = append(line, sigSuffix...)
	line = base64.StdEncoding.AppendEncode(line, sig)
	line = append(line, '"', '}')
	r.Sig = sig
	return line, nil
}

// marshalBody is r as JSON without the sig field (omitted while nil):
// the signed bytes.
func marshalBody(r *Record) ([]byte, error) {
	cp := *r
	cp.Sig = nil
	return json.Marshal(&cp)
}

// ParseLine parses one line (without its newline) and checks its form:
// size, strict JSON with known fields only, the sig as the last field, the
// type's fields. It does not check the signature or the chain (Verify
// does). It returns the record and the signed bytes.
func ParseLine(line []byte) (Record, []byte, error) {
	var r Record
	if len(line) > MaxLine {
		return r, nil, fmt.Errorf("longer than %d bytes", MaxLine)
	}
	i := bytes.LastIndex(line, sigSuffix)
	if i < 0 || !bytes.HasSuffix(line, []byte(`"}`)) {
		return r, nil, errors.New(`does not end with its "sig" field`)
	}
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	if err := d.Decode(&r); err != nil {
		return r, nil, fmt.Errorf("not a journal line: %s", jsonReason(err))
	}
	if d.More() {
		return r, nil, errors.New("more than one JSON value on the line")
	}
	if len(r.Sig) != ed25519.SignatureSize {
		return r, nil, errors.New("the signature is not 64 bytes")
	}
	body := make([]byte, 0, i+1)
	body = append(append(body, line[:i]...), '}')
	if err := r.check(); err != nil {
		return r, nil, err
	}
	return r, body, nil
}

// jsonReason names what is wrong without quoting the line.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("JSON syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %s has the wrong type", te.Field)
	}
	return "malformed JSON"
}

// check validates the fields of r for its type.
func (r *Record) check() error {
	if r.Seq < 1 {
		return fmt.Errorf("seq %d is not positive", r.Seq)
	}
	if r.Time.IsZero() {
		return errors.New("no time")
	}
	switch r.Type {
	case TypeMoveIn:
		if r.Anchor != nil || r.PrunedBefore != nil {
			return errors.New("a move-in carries checkpoint fields")
		}
		e := Entry{BookingID: r.Booking, MewsRef: r.MewsRef, Images: r.Images, Queued: r.Queued}
		if r.Signature != nil {
			e.Signature = *r.Signature
		}
		if r.Agreement != nil {
			e.Agreement = *r.Agreement
		}
		if r.MRZ != nil {
			e.MRZ = *r.MRZ
		}
		if r.Signature == nil || r.Agreement == nil || r.MRZ == nil {
			return errors.New("a move-in lacks its signature, agreement or mrz field")
		}
		return e.validate()
	case TypeCheckpoint:
		if r.Anchor == nil || r.PrunedBefore == nil {
			return errors.New("a checkpoint lacks its anchor or pruned_before")
		}
		if r.Booking != "" || r.Signature != nil || r.Images != nil || r.MewsRef != "" || r.Agreement != nil || r.MRZ != nil || r.Queued {
			return errors.New("a checkpoint carries move-in fields")
		}
		return nil
	}
	return fmt.Errorf("unknown type %q", clip(r.Type))
}

func clip(s string) string {
	if len(s) > 20 {
		return s[:20] + "…"
	}
	return s
}

// hashLine is the chain's hash of a line: SHA-256 of its bytes without
// the newline.
func hashLine(line []byte) Digest { return sha256.Sum256(line) }
