package config

import (
	"fmt"
	"strings"

	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

// MaxStaffAccounts bounds [[staff.accounts]]: each has a lockout file that
// the kiosk opens at start.
const MaxStaffAccounts = 100

// StaffAccount is one [[staff.accounts]] table, written by `signet config
// add-staff`: a person's name and the argon2id hash of their own PIN.
type StaffAccount struct {
	Name    string        `toml:"name"`
	PINHash redact.Secret `toml:"pin_hash"`
}

// AuthAccounts returns every staff account, for staffauth.OpenAccountGate:
// the single PIN of earlier versions ([staff] pin_hash), when set, as the
// account staffauth.DefaultAccountName, then staff.accounts in order. This
// is how that PIN is migrated: from the first start on it is an account,
// without the file being rewritten (the kiosk reads the file, it never
// writes it); `signet config add-staff` and `remove-staff` move it into
// [[staff.accounts]] when they next write the file. The error is the first
// invalid account; Validate names them all.
func (s Staff) AuthAccounts() ([]staffauth.Account, error) {
	var out []staffauth.Account
	if h := s.PINHash.Reveal(); h != "" {
		a, err := staffauth.NewAccount(staffauth.DefaultAccountName, h)
		if err != nil {
			return nil, &Error{Key: "staff.pin_hash", Reason: staffReason(err)}
		}
		out = append(out, a)
	}
	for i, sa := range s.Accounts {
		a, err := staffauth.NewAccount(sa.Name, sa.PINHash.Reveal())
		if err != nil {
			key := fmt.Sprintf("staff.accounts[%d].pin_hash", i)
			if staffauth.ValidName(sa.Name) != nil {
				key = fmt.Sprintf("staff.accounts[%d].name", i)
			}
			return nil, &Error{Key: key, Reason: staffReason(err)}
		}
		out = append(out, a)
	}
	return out, nil
}

// staffReason is a staffauth error without its package prefix; like it,
// it never quotes a name or a hash.
func staffReason(err error) string {
	r := strings.TrimPrefix(err.Error(), staffauth.ErrBadHash.Error()+": ")
	return strings.TrimPrefix(r, "staffauth: ")
}

// validateAccounts checks [[staff.accounts]]: names valid and different
// ignoring case (also from the single PIN's "staff"), every hash readable.
// Errors name accounts by their index, never by name or hash.
func (s Staff) validateAccounts() Errors {
	var es Errors
	bad := func(key, reason string) { es = append(es, &Error{Key: key, Reason: reason}) }
	if len(s.Accounts) > MaxStaffAccounts {
		bad("staff.accounts", fmt.Sprintf("%d accounts; at most %d", len(s.Accounts), MaxStaffAccounts))
		return es
	}
	for i, a := range s.Accounts {
		key := fmt.Sprintf("staff.accounts[%d]", i)
		if err := staffauth.ValidName(a.Name); err != nil {
			bad(key+".name", "must be 1 to 40 printable characters, without spaces at either end")
		} else {
			if !s.PINHash.IsZero() && staffauth.SameName(a.Name, staffauth.DefaultAccountName) {
				bad("staff.pin_hash", fmt.Sprintf("the single PIN is the account named %q, and %s has that name too: "+
					"remove one of them (`signet config remove-staff --name %s` removes both)",
					staffauth.DefaultAccountName, key, staffauth.DefaultAccountName))
			}
			for j := range i {
				if staffauth.SameName(a.Name, s.Accounts[j].Name) {
					bad(key+".name", fmt.Sprintf("the same as staff.accounts[%d].name (names are compared ignoring case)", j))
					break
				}
			}
		}
		switch h := a.PINHash.Reveal(); {
		case h == "":
			bad(key+".pin_hash", "missing: set this account's PIN with `signet config set-pin --name` and its name")
		default:
			if _, err := staffauth.Parse(h); err != nil {
				bad(key+".pin_hash", staffReason(err)+": set this account's PIN again with `signet config set-pin --name` and its name")
			}
		}
	}
	return es
}

// accountHashes are the account PIN hashes, for redact.Register.
func (s Staff) accountHashes() []string {
	hs := make([]string, 0, len(s.Accounts))
	for _, a := range s.Accounts {
		hs = append(hs, a.PINHash.Reveal())
	}
	return hs
}

// accountSecretKeys are the dotted keys of the account hashes that are
// set, for ExposedSecrets.
func (s Staff) accountSecretKeys() []string {
	var keys []string
	for i, a := range s.Accounts {
		if !a.PINHash.IsZero() {
			keys = append(keys, fmt.Sprintf("staff.accounts[%d].pin_hash", i))
		}
	}
	return keys
}
