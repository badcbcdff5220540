package audit

import (
	"bufio"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// BrokenError is a journal that does not verify: Line (1-based) is the
// first line that is wrong, and Reason says how. It never quotes the line.
type BrokenError struct {
	Line   int
	Reason string
}

func (e *BrokenError) Error() string { return fmt.Sprintf("audit: line %d: %s", e.Line, e.Reason) }

// Summary describes a journal that verified.
type Summary struct {
	Lines    int   `json:"lines"`
	MoveIns  int   `json:"move_ins"`
	FirstSeq int64 `json:"first_seq,omitempty"`
	LastSeq  int64 `json:"last_seq,omitempty"`
	// Pruned is the number of lines a checkpoint stands for (0 without).
	Pruned int64 `json:"pruned,omitempty"`
	// Last is the time of the last move-in (zero without).
	Last time.Time `json:"last_move_in,omitzero"`
}

// Verify reads a journal and checks every line: its form, its signature
// with pub, its seq and its prev (the hash of the line before, or the
// checkpoint's anchor). It stops at the first broken line and returns a
// *BrokenError naming it. An empty journal verifies.
func Verify(rd io.Reader, pub ed25519.PublicKey) (Summary, error) {
	var s Summary
	br := bufio.NewReaderSize(rd, 64<<10)
	var (
		prevHash Digest
		prevSeq  int64
	)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) {
			return s, nil
		}
		broken := func(f string, a ...any) (Summary, error) {
			return s, &BrokenError{Line: n, Reason: fmt.Sprintf(f, a...)}
		}
		if errors.Is(err, errNoNewline) {
			return broken("cut short: no newline at the end (a crash while writing, or a cut file)")
		}
		if err != nil {
			return s, err
		}
		r, body, err := ParseLine(line)
		if err != nil {
			return broken("%v", err)
		}
		if !ed25519.Verify(pub, body, r.Sig) {
			return broken("the signature does not match: this line was changed, or signed with another key")
		}
		switch {
		case r.Type == TypeCheckpoint && n != 1:
			return broken("a checkpoint after the first line")
		case r.Type == TypeCheckpoint:
			s.Pruned = r.Seq
			prevHash, prevSeq = *r.Anchor, r.Seq
		case n == 1 && (r.Seq != 1 || !r.Prev.IsZero()):
			return broken("the journal starts at seq %d without a checkpoint: lines before it were removed", r.Seq)
		case r.Seq != prevSeq+1:
			return broken("seq %d follows %d: a line is missing or out of place", r.Seq, prevSeq)
		case r.Prev != prevHash && n == 2 && s.Pruned > 0:
			return broken("prev does not match the checkpoint's anchor: a line after the checkpoint was removed or changed")
		case r.Prev != prevHash:
			return broken("prev does not match the hash of line %d: line %d was changed, or a line was removed", n-1, n-1)
		}
		if r.Type == TypeMoveIn {
			prevHash, prevSeq = hashLine(line), r.Seq
			s.MoveIns++
			s.Last = r.Time
			if s.FirstSeq == 0 {
				s.FirstSeq = r.Seq
			}
		}
		s.LastSeq = r.Seq
		s.Lines++
	}
}

// VerifyFile verifies the journal at path; a missing file verifies as
// empty.
func VerifyFile(path string, pub ed25519.PublicKey) (Summary, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return Summary{}, nil
	}
	if err != nil {
		return Summary{}, err
	}
	defer f.Close()
	return Verify(f, pub)
}

// Paths returns the journal's and the public key's paths under stateDir.
func Paths(stateDir string) (journal, pub string) {
	return filepath.Join(stateDir, Dir, JournalFile), filepath.Join(stateDir, Dir, PubFile)
}

// Find returns the move-ins of booking in the journal at path, oldest
// first, each with its line number. Lines that do not parse are skipped
// (Verify reports them).
func Find(path, booking string) ([]Found, error) {
	var out []Found
	err := eachMoveIn(path, func(f Found) {
		if equalFoldASCII(f.Booking, booking) {
			out = append(out, f)
		}
	})
	return out, err
}

// Found is a record and its line number.
type Found struct {
	Line int `json:"line"`
	Record
}

// Last returns the last move-in of the journal at path (nil when none).
func Last(path string) (*Found, error) {
	var last Found
	err := eachMoveIn(path, func(f Found) { last = f })
	if last.Line == 0 {
		return nil, err
	}
	return &last, err
}

// eachMoveIn calls fn with each move-in of the journal at path, oldest
// first, and its line number, skipping lines that do not parse. A journal
// not yet written has none.
func eachMoveIn(path string, fn func(Found)) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if errors.Is(err, io.EOF) || errors.Is(err, errNoNewline) {
			return nil
		}
		if err != nil {
			return err
		}
		if r, _, err := ParseLine(line); err == nil && r.Type == TypeMoveIn {
			fn(Found{Line: n, Record: r})
		}
	}
}

// equalFoldASCII compares GUIDs case-insensitively.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
