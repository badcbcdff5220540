package cli

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/signet-kiosk/signet/internal/audit"
)

// maxCheckFile caps a file given to `audit show --check`: a signature or
// ID image is far smaller.
const maxCheckFile = 64 << 20

// auditPaths returns the journal and public key paths: the flags when
// given, else those in the configured state directory.
func auditPaths(env *Env, journal, pub string) (string, string, error) {
	if journal != "" && pub != "" {
		return journal, pub, nil
	}
	cfg, err := env.Config()
	if err != nil {
		return "", "", err
	}
	j, p := audit.Paths(cfg.StateDirOrDefault())
	if journal == "" {
		journal = j
	}
	if pub == "" {
		pub = p
	}
	return journal, pub, nil
}

func runAuditVerify(_ context.Context, env *Env, args []string) error {
	fs := env.FlagSet("audit verify", "[--journal FILE] [--pub FILE]")
	journal := fs.String("journal", "", "the journal to check (default: audit/journal.jsonl in the state directory)")
	pubPath := fs.String("pub", "", "the public key to check it with (default: audit/key.pub beside it); use a copy kept off the kiosk")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	jp, pp, err := auditPaths(env, *journal, *pubPath)
	if err != nil {
		return err
	}
	if _, err := os.Stat(jp); errors.Is(err, os.ErrNotExist) {
		if *journal != "" {
			return LocalFile(err)
		}
		fmt.Fprintf(env.Stdout, "no journal yet at %s: no move-in has been completed on this kiosk\n", jp)
		return nil
	}
	pub, err := audit.LoadPublicKey(pp)
	if err != nil {
		return LocalFile(fmt.Errorf("audit verify: %w: give the journal's public key with --pub", err))
	}
	s, err := audit.VerifyFile(jp, pub)
	var be *audit.BrokenError
	switch {
	case errors.As(err, &be):
		return Refused(fmt.Errorf("audit verify: %s: line %d is broken: %s", jp, be.Line, be.Reason))
	case err != nil:
		return LocalFile(err)
	}
	fmt.Fprintf(env.Stdout, "%s is intact: %d move-ins", jp, s.MoveIns)
	if s.LastSeq > 0 {
		fmt.Fprintf(env.Stdout, " (seq %d–%d)", max(s.FirstSeq, 1), s.LastSeq)
	}
	if s.Pruned > 0 {
		fmt.Fprintf(env.Stdout, "; %d older lines pruned behind a signed checkpoint", s.Pruned)
	}
	if !s.Last.IsZero() {
		fmt.Fprintf(env.Stdout, "; last move-in %s", s.Last.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(env.Stdout)
	return nil
}

// auditMatch is the answer of --check.
type auditMatch struct {
	File    string `json:"file"`
	SHA256  string `json:"sha256"`
	Matches string `json:"matches,omitempty"` // signature, image front, image back
	Line    int    `json:"line,omitempty"`
	Time    string `json:"time,omitempty"`
}

func runAuditShow(_ context.Context, env *Env, args []string) error {
	fs := env.FlagSet("audit show", "--booking ID [--check FILE] [--journal FILE]")
	booking := fs.String("booking", "", "the booking id (a GUID, any case)")
	check := fs.String("check", "", "a signature PNG or ID image you hold: say whether its SHA-256 is one the journal recorded for the booking")
	journal := fs.String("journal", "", "the journal to read (default: audit/journal.jsonl in the state directory)")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if *booking == "" {
		return Usagef("audit show: give --booking ID")
	}
	jp, pp, err := auditPaths(env, *journal, "")
	if err != nil {
		return err
	}
	found, err := audit.Find(jp, *booking)
	if err != nil {
		return LocalFile(err)
	}
	// Say so when the entries come from a journal that does not verify.
	if pub, perr := audit.LoadPublicKey(pp); perr == nil {
		if _, verr := audit.VerifyFile(jp, pub); verr != nil {
			fmt.Fprintf(env.Stderr, "warning: the journal does not verify (%v): run `signet audit verify`\n", verr)
		}
	}
	if len(found) == 0 {
		return Refused(fmt.Errorf("audit show: no completed move-in of booking %s in %s", *booking, jp))
	}
	if *check == "" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		for _, f := range found {
			if err := enc.Encode(f); err != nil {
				return err
			}
		}
		return nil
	}
	sum, err := fileSHA256(*check)
	if err != nil {
		return LocalFile(err)
	}
	m := auditMatch{File: *check, SHA256: sum.String()}
	for _, f := range found {
		if f.Signature != nil && f.Signature.SHA256 == sum {
			m.Matches, m.Line = "signature", f.Line
		}
		for _, im := range f.Images {
			if im.SHA256 == sum {
				m.Matches, m.Line = "image "+im.Side, f.Line
			}
		}
		if m.Matches != "" {
			m.Time = f.Time.UTC().Format(time.RFC3339)
			break
		}
	}
	if err := printJSON(env.Stdout, m); err != nil {
		return err
	}
	if m.Matches == "" {
		return Refused(fmt.Errorf("audit show: %s is not the signature or an ID image recorded for booking %s", *check, *booking))
	}
	return nil
}

func fileSHA256(path string) (audit.Digest, error) {
	var d audit.Digest
	f, err := os.Open(path)
	if err != nil {
		return d, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, maxCheckFile+1))
	if err != nil {
		return d, err
	}
	if n > maxCheckFile {
		return d, &FileTooLargeError{Path: path, Limit: maxCheckFile}
	}
	copy(d[:], h.Sum(nil))
	return d, nil
}

// auditJournalStatus verifies the configured journal for `signet status`.
func auditJournalStatus(stateDir string) (audit.Summary, *audit.Found, error) {
	jp, pp := audit.Paths(stateDir)
	if _, err := os.Stat(jp); errors.Is(err, os.ErrNotExist) {
		return audit.Summary{}, nil, nil
	}
	pub, err := audit.LoadPublicKey(pp)
	if err != nil {
		return audit.Summary{}, nil, err
	}
	s, err := audit.VerifyFile(jp, ed25519.PublicKey(pub))
	if err != nil {
		return s, nil, err
	}
	last, err := audit.Last(jp)
	return s, last, err
}
