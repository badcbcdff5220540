package staffauth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Staff accounts: each person has a name and their own PIN, stored as an
// argon2id hash. The single PIN of earlier versions becomes the account
// named DefaultAccountName.
const (
	// DefaultAccountName is the account that the single PIN of earlier
	// versions ([staff] pin_hash) becomes, and the one `signet config
	// set-pin` sets when given no name.
	DefaultAccountName = "staff"
	// DemoAccountName is the account that DemoPIN opens in demo mode.
	DemoAccountName = "demo"
	// MaxNameLength is the longest account name, in characters.
	MaxNameLength = 40
	// LogKey is the log attribute that names the account that did
	// something (Account.Attr).
	LogKey = "staff"
)

var (
	// ErrBadName is returned for a name that is not 1–40 printable
	// characters without spaces at either end. It never quotes the name.
	ErrBadName = errors.New("staffauth: an account name is 1 to 40 printable characters, without spaces at either end")
	// ErrDuplicateName is returned when two accounts have the same name,
	// compared ignoring case.
	ErrDuplicateName = errors.New("staffauth: two accounts have the same name (names are compared ignoring case)")
	// ErrNoAccount is returned by CheckAs for a name that has no account.
	ErrNoAccount = errors.New("staffauth: no staff account has this name")
	// ErrAccountLocked is returned while one account is locked after too
	// many wrong PINs given with its name. It wraps ErrLocked, so callers
	// that only know ErrLocked treat it as a lock.
	ErrAccountLocked = fmt.Errorf("%w (this account)", ErrLocked)
)

// ValidName returns ErrBadName unless name is 1–40 printable characters
// (Unicode letters, marks, digits, punctuation, symbols and the ASCII
// space), without a space at either end.
func ValidName(name string) error {
	if !utf8.ValidString(name) {
		return ErrBadName
	}
	if n := utf8.RuneCountInString(name); n < 1 || n > MaxNameLength {
		return ErrBadName
	}
	if strings.TrimSpace(name) != name {
		return ErrBadName
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return ErrBadName
		}
	}
	return nil
}

// SameName reports whether two account names are the same, ignoring case
// (Unicode simple case folding, as strings.EqualFold).
func SameName(a, b string) bool { return foldName(a) == foldName(b) }

// foldName maps every rune to the smallest rune of its case-folding orbit,
// so two names that strings.EqualFold calls equal map to the same string.
func foldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// Account is one staff member: a name and the argon2id hash of their PIN.
// Printed or logged it shows its name only (String, GoString, LogValue);
// the accounts the gates return carry no hash at all.
type Account struct {
	// Name identifies the person in the console and in log lines.
	Name string

	hash   string
	parsed *Parsed
}

// NewAccount checks name (ErrBadName) and hash (an error wrapping
// ErrBadHash; neither error quotes its input).
func NewAccount(name, hash string) (Account, error) {
	if err := ValidName(name); err != nil {
		return Account{}, err
	}
	p, err := Parse(hash)
	if err != nil {
		return Account{}, err
	}
	return Account{Name: name, hash: hash, parsed: p}, nil
}

// Hash is the account's PIN hash as stored ("" for an account a gate
// returned). For writing the configuration, never for display.
func (a Account) Hash() string { return a.hash }

// String is the account's name.
func (a Account) String() string { return a.Name }

// GoString shows the name only, so %#v cannot print the hash.
func (a Account) GoString() string { return fmt.Sprintf("staffauth.Account{Name: %q}", a.Name) }

// LogValue logs the account as its name.
func (a Account) LogValue() slog.Value { return slog.StringValue(a.Name) }

// Attr is the log attribute naming the account: slog.String("staff",
// a.Name). Every change made from the console logs it.
func (a Account) Attr() slog.Attr { return slog.String(LogKey, a.Name) }

// identity is the account as gates return it: its name, nothing else.
func (a Account) identity() Account { return Account{Name: a.Name} }

// keyGroup is the accounts whose hashes share argon2id parameters and
// salt: one argon2id computation of a typed PIN checks all of them.
type keyGroup struct {
	params  Params
	salt    []byte
	members []int // indexes into the account list
}

// groupAccounts groups accounts by parameters and salt, in order of first
// appearance.
func groupAccounts(accounts []Account) []keyGroup {
	var groups []keyGroup
	for i, a := range accounts {
		found := false
		for g := range groups {
			if groups[g].params == a.parsed.Params && subtle.ConstantTimeCompare(groups[g].salt, a.parsed.Salt) == 1 {
				groups[g].members = append(groups[g].members, i)
				found = true
				break
			}
		}
		if !found {
			groups = append(groups, keyGroup{params: a.parsed.Params, salt: a.parsed.Salt, members: []int{i}})
		}
	}
	return groups
}

// matchPIN returns the index of the account whose PIN pin is, or -1. It
// computes argon2id once per group and compares the result with every
// member's key, without stopping at a match, so its time depends on the
// number of groups (one for accounts that Signet hashed) and not on which
// account, if any, matched.
func matchPIN(pin string, accounts []Account, groups []keyGroup) int {
	found := -1
	if ValidPIN(pin) != nil {
		return found // no account's PIN has this shape: nothing to hash
	}
	for _, g := range groups {
		key := argon2.IDKey([]byte(pin), g.salt, g.params.Time, g.params.Memory, g.params.Threads, g.params.KeyLen)
		for _, i := range g.members {
			if subtle.ConstantTimeCompare(key, accounts[i].parsed.Key) == 1 && found < 0 {
				found = i
			}
		}
	}
	return found
}

// FindPIN reports which of accounts has pin as its PIN, at the cost of one
// argon2id computation per group of accounts sharing parameters and salt.
// `signet config add-staff` refuses a PIN that another account has, since
// a PIN alone must name one person.
func FindPIN(pin string, accounts []Account) (Account, bool) {
	for _, a := range accounts {
		if a.parsed == nil {
			return Account{}, false
		}
	}
	i := matchPIN(pin, accounts, groupAccounts(accounts))
	if i < 0 {
		return Account{}, false
	}
	return accounts[i].identity(), true
}

// HashFor hashes pin for a new or changed account beside accounts: with
// parameters p and the salt that the accounts hashed with p share (the
// largest such group), so that a PIN typed at the gate still costs one
// argon2id computation however many accounts there are. With no account
// hashed with p, the salt is new and random.
//
// A salt shared across one kiosk's accounts lets someone holding the file
// test a guess against every account at once; a 4–12 digit PIN's hash
// never resisted an offline search for long anyway, and the file is
// readable by root only. What the shared salt buys is a PIN check whose
// time does not grow with the number of staff.
func HashFor(pin string, p Params, accounts []Account) (string, error) {
	var best *keyGroup
	for _, a := range accounts {
		if a.parsed == nil {
			return "", fmt.Errorf("%w: account not made by NewAccount", ErrBadHash)
		}
	}
	groups := groupAccounts(accounts)
	for g := range groups {
		if groups[g].params == p && (best == nil || len(groups[g].members) > len(best.members)) {
			best = &groups[g]
		}
	}
	if best == nil {
		return HashWith(pin, p)
	}
	return hashWithSalt(pin, p, best.salt)
}

// AccountStateFile is the name, in the state directory, of the lockout
// state of the account called name: a hash of its case-folded name, so any
// name makes a safe file name and names differing only in case share one.
func AccountStateFile(name string) string {
	sum := sha256.Sum256([]byte(foldName(name)))
	return "staff-lockout-" + hex.EncodeToString(sum[:8]) + ".json"
}

// OpenAccountLockout is OpenLockout for the account called name: its own
// state file (AccountStateFile) in dir.
func OpenAccountLockout(dir, name string, now func() time.Time) (*Lockout, error) {
	if dir == "" {
		return nil, errors.New("staffauth: no state directory for the lockout")
	}
	return openLockoutAt(filepath.Join(dir, AccountStateFile(name)), now)
}

// RemoveAccountLockout deletes the lockout state of the account called
// name, when an account is removed; none is not an error.
func RemoveAccountLockout(dir, name string) error {
	err := os.Remove(filepath.Join(dir, AccountStateFile(name)))
	if err == nil || errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return fmt.Errorf("staffauth: %w", err)
}

// LockStatus is a lockout's state at one moment, for reports.
type LockStatus struct {
	Locked bool
	// Left is how long the lock still lasts.
	Left time.Duration
	// Failures counts the wrong PINs since the last lock ended or the last
	// right PIN.
	Failures int
	// Locks counts the locks since the last right PIN.
	Locks int
}

// ReadLockStatus reads the lockout state of the account called name (""
// for the terminal's, StateFile) from dir as it stands at now, without
// writing anything: `signet config list-staff` may run as another user
// than the kiosk, and a file it rewrote would be that user's. A missing
// file is a clean state; a file that cannot be read is an error (the
// kiosk would lock that account, failing closed).
func ReadLockStatus(dir, name string, now time.Time) (LockStatus, error) {
	file := StateFile
	if name != "" {
		file = AccountStateFile(name)
	}
	b, err := os.ReadFile(filepath.Join(dir, file))
	if errors.Is(err, os.ErrNotExist) {
		return LockStatus{}, nil
	}
	if err != nil {
		return LockStatus{}, fmt.Errorf("staffauth: lockout state: %w", err)
	}
	var st lockState
	if json.Unmarshal(b, &st) != nil || st.Failures < 0 || st.Locks < 0 {
		return LockStatus{}, errors.New("staffauth: lockout state unreadable; the kiosk locks this entry until the first lock time passes")
	}
	l := &Lockout{MaxFailures: DefaultMaxFailures, LockSteps: DefaultLockSteps}
	st = l.settle(st, now)
	s := LockStatus{Failures: st.Failures, Locks: st.Locks}
	if !st.LockedUntil.IsZero() {
		s.Locked, s.Left = true, st.LockedUntil.Sub(now)
	}
	return s, nil
}

// AccountGateOptions configure OpenAccountGate.
type AccountGateOptions struct {
	// StateDir holds the lockout state: the terminal's (StateFile, as for
	// Gate) and one file per account (AccountStateFile).
	StateDir string
	// Accounts are the staff accounts, made by NewAccount; their names
	// must differ ignoring case.
	Accounts []Account
	// Demo accepts DemoPIN as the account DemoAccountName when there is no
	// account.
	Demo bool
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// AccountGate checks PINs against every staff account, under a lockout of
// the terminal and one per account. Its accounts are fixed when it is
// opened. It is safe for concurrent use.
//
// Check takes a PIN alone (the kiosk's PIN pad): the right PIN names its
// account; a wrong one cannot be put down to anyone, so it counts against
// the terminal only. CheckAs takes a name and a PIN (staff pick their name
// first, as at a desk): a wrong PIN counts against that account and the
// terminal. A lock of either refuses entry, even with the right PIN.
type AccountGate struct {
	accounts []Account
	groups   []keyGroup
	locks    []*Lockout // per account, same index
	terminal *Lockout
	demo     bool
}

// OpenAccountGate checks the accounts and opens the lockouts in the state
// directory. A name given twice is ErrDuplicateName; an account not made
// by NewAccount wraps ErrBadHash; a lockout that cannot be opened is its
// error (the console should stay locked).
func OpenAccountGate(o AccountGateOptions) (*AccountGate, error) {
	g := &AccountGate{demo: o.Demo && len(o.Accounts) == 0}
	seen := make(map[string]bool, len(o.Accounts))
	for _, a := range o.Accounts {
		if a.parsed == nil {
			return nil, fmt.Errorf("%w: account not made by NewAccount", ErrBadHash)
		}
		k := foldName(a.Name)
		if seen[k] {
			return nil, ErrDuplicateName
		}
		seen[k] = true
	}
	g.accounts = append([]Account(nil), o.Accounts...)
	g.groups = groupAccounts(g.accounts)
	var err error
	if g.terminal, err = OpenLockout(o.StateDir, o.Now); err != nil {
		return nil, err
	}
	for _, a := range g.accounts {
		l, err := OpenAccountLockout(o.StateDir, a.Name, o.Now)
		if err != nil {
			return nil, err
		}
		g.locks = append(g.locks, l)
	}
	return g, nil
}

// Configured reports whether any PIN can open the gate; a nil gate (one
// that could not be opened) is not.
func (g *AccountGate) Configured() bool { return g != nil && (len(g.accounts) > 0 || g.demo) }

// DemoPINAccepted reports whether DemoPIN opens the gate (demo mode, no
// account): the PIN pad may then show it.
func (g *AccountGate) DemoPINAccepted() bool { return g.demo }

// Names lists the account names in their configured order (DemoAccountName
// alone in demo mode), for a desk's name picker.
func (g *AccountGate) Names() []string {
	if g.demo {
		return []string{DemoAccountName}
	}
	names := make([]string, len(g.accounts))
	for i, a := range g.accounts {
		names[i] = a.Name
	}
	return names
}

// Terminal is the lockout of this terminal: every wrong PIN counts here.
func (g *AccountGate) Terminal() *Lockout { return g.terminal }

// Lockout is the lockout of the account called name (ignoring case), or
// nil when there is none.
func (g *AccountGate) Lockout(name string) *Lockout {
	if i := g.index(name); i >= 0 {
		return g.locks[i]
	}
	return nil
}

func (g *AccountGate) index(name string) int {
	k := foldName(name)
	for i, a := range g.accounts {
		if foldName(a.Name) == k {
			return i
		}
	}
	return -1
}

// Check returns the account whose PIN pin is. Otherwise: ErrNoPIN when no
// account exists (and not demo); ErrLocked while the terminal is locked
// (the PIN is then not checked); ErrAccountLocked when pin is the PIN of
// an account that is locked; ErrWrongPIN, or ErrLocked when this wrong PIN
// locked the terminal. Its time depends on the number of groups of
// accounts sharing a salt, not on the number of accounts or which matched.
func (g *AccountGate) Check(pin string) (Account, error) {
	if !g.Configured() {
		return Account{}, ErrNoPIN
	}
	if locked, _, _ := g.terminal.Status(); locked {
		return Account{}, ErrLocked
	}
	if g.demo {
		if subtleEqual(pin, DemoPIN) {
			_ = g.terminal.Succeed()
			return Account{Name: DemoAccountName}, nil
		}
		return Account{}, g.failTerminal()
	}
	i := matchPIN(pin, g.accounts, g.groups)
	if i < 0 {
		return Account{}, g.failTerminal()
	}
	// The right PIN of a locked account: refused, and not counted. Saying
	// so tells nothing a guesser would not learn from being let in.
	if locked, _, _ := g.locks[i].Status(); locked {
		return Account{}, ErrAccountLocked
	}
	// A state file that cannot be written leaves the count right in
	// memory; entry is neither refused nor opened because of the disk.
	_ = g.terminal.Succeed()
	_ = g.locks[i].Succeed()
	return g.accounts[i].identity(), nil
}

// CheckAs checks pin as the PIN of the account called name (ignoring
// case) and returns that account. Otherwise: ErrNoPIN, ErrNoAccount (the
// names are no secret: a desk lists them), ErrLocked while the terminal is
// locked, ErrAccountLocked while this account is; ErrWrongPIN, counted
// against both, or the lock it caused.
func (g *AccountGate) CheckAs(name, pin string) (Account, error) {
	if !g.Configured() {
		return Account{}, ErrNoPIN
	}
	if g.demo {
		if !SameName(name, DemoAccountName) {
			return Account{}, ErrNoAccount
		}
		return g.Check(pin)
	}
	i := g.index(name)
	if i < 0 {
		return Account{}, ErrNoAccount
	}
	if locked, _, _ := g.terminal.Status(); locked {
		return Account{}, ErrLocked
	}
	if locked, _, _ := g.locks[i].Status(); locked {
		return Account{}, ErrAccountLocked
	}
	a := g.accounts[i]
	one := []keyGroup{{params: a.parsed.Params, salt: a.parsed.Salt, members: []int{i}}}
	if matchPIN(pin, g.accounts, one) == i {
		_ = g.terminal.Succeed()
		_ = g.locks[i].Succeed()
		return a.identity(), nil
	}
	accountLocked, _ := g.locks[i].Fail()
	terminalLocked, _ := g.terminal.Fail()
	switch {
	case terminalLocked:
		return Account{}, ErrLocked
	case accountLocked:
		return Account{}, ErrAccountLocked
	}
	return Account{}, ErrWrongPIN
}

func (g *AccountGate) failTerminal() error {
	if locked, _ := g.terminal.Fail(); locked {
		return ErrLocked
	}
	return ErrWrongPIN
}
