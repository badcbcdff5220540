// Package audit keeps the kiosk's tamper-evident record of completed
// move-ins: an append-only journal of one JSON line per move-in in the
// state directory (audit/journal.jsonl, 0600).
//
// A line holds the time, the booking id, StoRegister's and Mews's
// references, the SHA-256 of the signature PNG, of each ID image and of the
// agreement text shown, the MRZ check's result and format, and the
// SHA-256 of the previous line. Never a name, a document number or an
// image: the Entry type has no field that could hold one, and references
// are checked to be short identifiers.
//
// Every line is also signed with ed25519 (audit/key, 0600, made on first
// use; its public half in audit/key.pub). The chain finds a line changed
// or removed in the middle; the signature names the line that was changed
// (a line's own bytes fail its signature), and lets retention prune old
// lines: the pruned head is replaced by one signed checkpoint line whose
// anchor is the hash of the last pruned line, so Verify still checks the
// rest. ed25519 rather than an HMAC because checking needs only the
// public key: an operator can keep a copy of audit/key.pub off the kiosk
// and verify a journal with it (`signet audit verify --pub FILE`) without
// holding anything that could sign.
//
// What the chain cannot show: lines cut from the end of the file (compare
// the last seq with the kiosk's metrics or a copy), or a journal rewritten
// whole by someone holding audit/key.
package audit

import (
	"bufio"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/internal/bounded"
)

// Files, under the state directory.
const (
	Dir         = "audit"
	JournalFile = "journal.jsonl"
	KeyFile     = "key"
	PubFile     = "key.pub"
)

// Errors.
var (
	// ErrNoKey: a journal exists but its signing key is gone; a new key
	// would make every old line fail, so the kiosk does not make one.
	ErrNoKey = errors.New("audit: the journal's signing key is missing")
	// ErrBadEntry: an Entry that cannot be written (a field not in its form).
	ErrBadEntry = errors.New("audit: bad entry")
)

// Entry is what the kiosk records for one completed move-in. Digests are
// audit.Sum of the bytes exactly as sent (signature PNG, each ID image)
// or shown (the agreement text).
type Entry struct {
	// Time of completion; zero means now.
	Time time.Time
	// BookingID is StoRegister's booking id (a GUID).
	BookingID string
	// Signature is the signature PNG's digest and the reference
	// StoRegister returned for it ("" while it waits in the outbox).
	Signature File
	// Images are the ID images sent, one per side, with their references.
	Images []Image
	// MewsRef is the id of the Mews identity document added or updated;
	// "" when Mews is not used or the record waits.
	MewsRef string
	// Agreement is the digest of the agreement text shown to the guest.
	Agreement Digest
	// MRZ is the machine-readable zone check.
	MRZ MRZ
	// Queued is set when part of the move-in waits in the outbox.
	Queued bool
}

// validate refuses any field not in its expected form, so nothing else
// (a name, a number) can be written through it.
func (e Entry) validate() error {
	bad := func(f string, a ...any) error { return fmt.Errorf("%w: %s", ErrBadEntry, fmt.Sprintf(f, a...)) }
	if !isRef(e.BookingID) {
		return bad("booking id is not an identifier")
	}
	if e.Signature.SHA256.IsZero() {
		return bad("no signature digest")
	}
	if e.Signature.Ref != "" && !isRef(e.Signature.Ref) {
		return bad("signature reference is not an identifier")
	}
	if len(e.Images) > 4 {
		return bad("%d images, at most 4", len(e.Images))
	}
	for i, im := range e.Images {
		if im.Side != "front" && im.Side != "back" {
			return bad("image %d: side is not front or back", i+1)
		}
		if im.SHA256.IsZero() {
			return bad("image %d: no digest", i+1)
		}
		if im.Ref != "" && !isRef(im.Ref) {
			return bad("image %d: reference is not an identifier", i+1)
		}
	}
	if e.MewsRef != "" && !isRef(e.MewsRef) {
		return bad("mews reference is not an identifier")
	}
	if e.Agreement.IsZero() {
		return bad("no agreement digest")
	}
	switch e.MRZ.Format {
	case "", "TD1", "TD2", "TD3":
	default:
		return bad("mrz format is not TD1, TD2 or TD3")
	}
	if !e.MRZ.Read && (e.MRZ.Valid || e.MRZ.Format != "") {
		return bad("mrz not read but valid or formatted")
	}
	return nil
}

// isRef accepts a short identifier: letters, digits, '-', '_', '.', ':'.
// A GUID passes; a name with a space or a document number longer than 64
// characters does not (and a reference is never built from either).
func isRef(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

// Options tune Open.
type Options struct {
	// KeepDays is how long a line is kept (audit.keep_days); 0 keeps all.
	KeepDays int
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Logger; nil discards.
	Logger *slog.Logger
}

// Journal is the open journal. Its methods are safe for concurrent use;
// one process at a time may hold it (the kiosk).
type Journal struct {
	mu        sync.Mutex
	dir       string
	f         *os.File
	key       ed25519.PrivateKey
	opts      Options
	lastSeq   int64
	lastHash  Digest // what the next line's prev must be
	lastTime  time.Time
	lastPrune time.Time
	closed    bool
}

// Open opens (creating if needed) the journal in stateDir/audit, with its
// signing key, repairs a last line cut short by a crash (it is removed
// and logged), and prunes lines older than KeepDays.
func Open(stateDir string, opts Options) (*Journal, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	dir := filepath.Join(stateDir, Dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	path := filepath.Join(dir, JournalFile)
	_, statErr := os.Stat(path)
	exists := statErr == nil
	key, err := loadKey(dir, !exists)
	if err != nil {
		return nil, err
	}
	j := &Journal{dir: dir, key: key, opts: opts}
	if err := j.scan(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("audit: %w", err)
	}
	j.f = f
	if _, err := j.Prune(); err != nil {
		opts.Logger.Error("audit journal not pruned", "err", err)
	}
	return j, nil
}

// Path returns the journal's file.
func (j *Journal) Path() string { return filepath.Join(j.dir, JournalFile) }

// scan reads the existing journal for its last seq and hash. A last line
// without its newline (a crash while writing) is cut off. A journal that
// does not verify is still appended to (the break stays visible to
// Verify), and the problem is logged.
func (j *Journal) scan(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	var off, good int64
	for {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errNoNewline) {
			j.opts.Logger.Warn("audit journal: the last line was cut short (a crash while writing); removed", "line_bytes", len(line))
			if err := f.Truncate(good); err != nil {
				return fmt.Errorf("audit: %w", err)
			}
			break
		}
		if err != nil {
			return fmt.Errorf("audit: read %s: %w", path, err)
		}
		off += int64(len(line)) + 1
		good = off
		r, _, perr := ParseLine(line)
		if perr != nil {
			// Keep chaining from the bytes as they are.
			j.lastSeq++
			j.lastHash = hashLine(line)
			continue
		}
		j.lastSeq = r.Seq
		j.lastTime = r.Time
		if r.Type == TypeCheckpoint {
			j.lastHash = *r.Anchor
		} else {
			j.lastHash = hashLine(line)
		}
	}
	if _, err := VerifyFile(path, j.key.Public().(ed25519.PublicKey)); err != nil {
		j.opts.Logger.Error("audit journal does not verify; new lines are still added", "err", err)
	}
	return nil
}

var errNoNewline = errors.New("line without newline")

// readLine returns the next line without its newline; a line over MaxLine
// is read through (not kept) and returned cut, so Verify names it.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) <= MaxLine+1 {
			buf = append(buf, chunk...)
		} else if len(buf) <= MaxLine {
			buf = append(buf, chunk[:MaxLine+1-len(buf)]...)
		}
		switch {
		case err == nil:
			if buf[len(buf)-1] == '\n' {
				return buf[:len(buf)-1], nil
			}
			return buf, nil // cut at MaxLine+1: too long
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(buf) == 0 {
				return nil, io.EOF
			}
			return buf, errNoNewline
		default:
			return nil, err
		}
	}
}

// Append writes one move-in line and syncs it to disk. An entry not in
// its form is refused with ErrBadEntry and nothing is written.
func (j *Journal) Append(e Entry) error {
	if err := e.validate(); err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return errors.New("audit: journal closed")
	}
	now := j.opts.Now()
	if now.Sub(j.lastPrune) > 24*time.Hour {
		if _, err := j.pruneLocked(now); err != nil {
			j.opts.Logger.Error("audit journal not pruned", "err", err)
		}
	}
	t := e.Time
	if t.IsZero() {
		t = now
	}
	sig := e.Signature
	agreement, mrz := e.Agreement, e.MRZ
	r := Record{Seq: j.lastSeq + 1, Type: TypeMoveIn, Time: t.UTC().Truncate(time.Second),
		Booking: e.BookingID, Signature: &sig, Images: e.Images, MewsRef: e.MewsRef,
		Agreement: &agreement, MRZ: &mrz, Queued: e.Queued, Prev: j.lastHash}
	line, err := sign(&r, j.key)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if _, err := j.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("audit: write: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("audit: sync: %w", err)
	}
	j.lastSeq, j.lastHash, j.lastTime = r.Seq, hashLine(line), r.Time
	return nil
}

// LastSeq is the seq of the last line (0 for an empty journal).
func (j *Journal) LastSeq() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.lastSeq
}

// Prune removes the move-ins older than KeepDays and puts one signed
// checkpoint line in their place; it returns how many lines went. Open
// calls it, and Append once a day.
func (j *Journal) Prune() (int, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.pruneLocked(j.opts.Now())
}

func (j *Journal) pruneLocked(now time.Time) (int, error) {
	j.lastPrune = now
	if j.opts.KeepDays <= 0 {
		return 0, nil
	}
	cutoff := now.Add(-time.Duration(j.opts.KeepDays) * 24 * time.Hour).UTC().Truncate(time.Second)
	path := j.Path()
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	var (
		pruned   int
		anchor   Digest
		seq      int64
		rest     []byte // the lines kept, verbatim
		keepFrom bool
	)
	for {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, err
		}
		if !keepFrom {
			r, _, perr := ParseLine(line)
			if perr == nil && r.Type == TypeCheckpoint {
				anchor, seq = *r.Anchor, r.Seq
				continue // replaced by the new checkpoint
			}
			if perr == nil && r.Time.Before(cutoff) {
				anchor, seq = hashLine(line), r.Seq
				pruned++
				continue
			}
			keepFrom = true
		}
		rest = append(append(rest, line...), '\n')
	}
	if pruned == 0 {
		return 0, nil
	}
	r := Record{Seq: seq, Type: TypeCheckpoint, Time: now.UTC().Truncate(time.Second), Anchor: &anchor, PrunedBefore: &cutoff}
	cp, err := sign(&r, j.key)
	if err != nil {
		return 0, err
	}
	data := append(append(cp, '\n'), rest...)
	if err := writeAtomic(j.dir, JournalFile, data); err != nil {
		return 0, err
	}
	// Append to the new file from now on.
	nf, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return 0, err
	}
	if j.f != nil {
		j.f.Close()
	}
	j.f = nf
	if len(rest) == 0 {
		j.lastHash = anchor
	}
	j.opts.Logger.Info("audit journal pruned", "lines", pruned, "before", cutoff.Format(time.DateOnly))
	return pruned, nil
}

// writeAtomic replaces dir/name with data (0600) through a synced
// temporary file and a rename, so a crash leaves the old or the new file.
func writeAtomic(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Close closes the journal; safe twice.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return nil
	}
	j.closed = true
	return j.f.Close()
}

// loadKey reads dir/key, or makes it (and key.pub) when create is set.
func loadKey(dir string, create bool) (ed25519.PrivateKey, error) {
	path := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		seed, derr := hex.DecodeString(strings.TrimSpace(string(b)))
		if derr != nil || len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("audit: %s is not an ed25519 key (64 hex digits)", path)
		}
		key := ed25519.NewKeyFromSeed(seed)
		// Restore a lost public half.
		if _, err := os.Stat(filepath.Join(dir, PubFile)); errors.Is(err, os.ErrNotExist) {
			_ = writeAtomic(dir, PubFile, []byte(hex.EncodeToString(key.Public().(ed25519.PublicKey))+"\n"))
		}
		return key, nil
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("audit: %w", err)
	case !create:
		return nil, fmt.Errorf("%w (%s): restore it from a backup; `signet audit verify --pub` checks the journal with a copy of %s", ErrNoKey, path, PubFile)
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if err := writeAtomic(dir, KeyFile, []byte(hex.EncodeToString(key.Seed())+"\n")); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if err := writeAtomic(dir, PubFile, []byte(hex.EncodeToString(pub)+"\n")); err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return key, nil
}

// LoadPublicKey reads a key.pub file (64 hex digits).
func LoadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := bounded.ReadFile(path, 1<<10)
	if err != nil {
		return nil, err
	}
	k, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("audit: %s is not an ed25519 public key (64 hex digits)", path)
	}
	return ed25519.PublicKey(k), nil
}
