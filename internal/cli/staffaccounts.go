package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/signet-kiosk/signet/internal/bounded"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

// Staff accounts live in the configuration file, as [[staff.accounts]]
// tables of name and pin_hash, beside the rest of the file, which these
// commands keep line for line. The file is root's (0600) and the kiosk is
// handed a copy: so the operator manages the accounts where the single PIN
// always was, with the same tools, and the kiosk never writes it.

// staffFile is the staff part of a configuration file, read leniently: a
// file the kiosk would refuse for another reason can still have its
// accounts managed.
type staffFile struct {
	cmd, path string
	old       []byte
	// legacy is [staff] pin_hash: the account "staff" of earlier versions.
	legacy   string
	accounts []config.StaffAccount
	stateDir string
}

// readStaffFile reads the file at path (missing is empty).
func readStaffFile(cmd, path string) (*staffFile, error) {
	f := &staffFile{cmd: cmd, path: path}
	b, err := readBounded(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, Usagef("%s: cannot read %s: %w", cmd, path, unwrapPathErr(err))
	}
	f.old = b
	var doc struct {
		StateDir string `toml:"state_dir"`
		Staff    struct {
			PINHash  string                `toml:"pin_hash"`
			Accounts []config.StaffAccount `toml:"accounts"`
		} `toml:"staff"`
	}
	if err := toml.Unmarshal(b, &doc); err != nil {
		return nil, Usagef("%s: %s is not valid TOML, or its [staff] section is not as Signet writes it; `signet config check` says where", cmd, path)
	}
	f.legacy, f.accounts, f.stateDir = doc.Staff.PINHash, doc.Staff.Accounts, doc.StateDir
	return f, nil
}

// readBounded reads at most config.MaxFileSize bytes of a regular file.
func readBounded(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	b, err := bounded.Read(fh, "the file", config.MaxFileSize)
	if errors.Is(err, bounded.ErrTooLarge) {
		return nil, fmt.Errorf("larger than %d KiB: not a configuration file", config.MaxFileSize>>10)
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// all is every account: the single PIN first as "staff", then the tables.
func (f *staffFile) all() []config.StaffAccount {
	var out []config.StaffAccount
	if f.legacy != "" {
		out = append(out, config.StaffAccount{Name: staffauth.DefaultAccountName, PINHash: redact.Secret(f.legacy)})
	}
	return append(out, f.accounts...)
}

// find returns the index in all() of the account called name, or -1.
func (f *staffFile) find(name string) int {
	for i, a := range f.all() {
		if staffauth.SameName(a.Name, name) {
			return i
		}
	}
	return -1
}

// usable are the accounts of list whose name and hash are valid, for
// sharing a salt and finding a PIN; skip is left out.
func usable(list []config.StaffAccount, skip int) []staffauth.Account {
	var out []staffauth.Account
	for i, a := range list {
		if i == skip {
			continue
		}
		if acct, err := staffauth.NewAccount(a.Name, a.PINHash.Reveal()); err == nil {
			out = append(out, acct)
		}
	}
	return out
}

// newPIN reads the PIN of the account name twice and hashes it beside
// others (the salt they share), refusing a PIN one of them has: at the
// kiosk a PIN alone says who is signing in.
func (f *staffFile) newPIN(env *Env, name string, others []staffauth.Account) (string, error) {
	pin, err := readNewPIN(env, f.cmd, name)
	if err != nil {
		return "", err
	}
	if _, taken := staffauth.FindPIN(pin, others); taken {
		return "", Usagef("%s: another staff account has this PIN; choose another (at the kiosk a PIN alone says who signs in); nothing was changed", f.cmd)
	}
	hash, err := staffauth.HashFor(pin, pinParams, others)
	if err != nil {
		return "", Usagef("%s: %w", f.cmd, err)
	}
	return hash, nil
}

// write replaces the file's accounts with list, as [[staff.accounts]]
// tables; the single PIN, if any, moves among them (the file's migration).
func (f *staffFile) write(list []config.StaffAccount) error {
	updated, err := withStaffAccounts(f.old, list)
	if err != nil {
		return Usagef("%s: %v in %s; edit [staff] by hand (see docs/operating.md)", f.cmd, err, f.path)
	}
	mode := os.FileMode(0o600)
	if fi, err := os.Stat(f.path); err == nil {
		mode = fi.Mode().Perm() &^ 0o077 // PIN hashes are not for other users
	}
	if err := writeAtomic(f.path, updated, mode); err != nil {
		return fmt.Errorf("%s: %w", f.cmd, err)
	}
	return nil
}

// setAccountPIN is set-pin for a named account, or any account of a file
// that has [[staff.accounts]]. Only "staff" may be created this way.
func (f *staffFile) setAccountPIN(env *Env, name string) error {
	list := f.all()
	i := f.find(name)
	if i < 0 && !staffauth.SameName(name, staffauth.DefaultAccountName) {
		return Usagef("%s: no staff account has this name: add it with `signet config add-staff --name NAME`; `signet config list-staff` lists them", f.cmd)
	}
	hash, err := f.newPIN(env, name, usable(list, i))
	if err != nil {
		return err
	}
	if i < 0 {
		list = append(list, config.StaffAccount{Name: staffauth.DefaultAccountName, PINHash: redact.Secret(hash)})
		i = len(list) - 1
	} else {
		list[i].PINHash = redact.Secret(hash)
	}
	if err := f.write(list); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "PIN of the staff account %q set in %s; restart signet to use it\n", displayName(list, i), f.path)
	return nil
}

func runAddStaff(_ context.Context, env *Env, args []string) error {
	const cmd = "config add-staff"
	fs := env.FlagSet(cmd, "--name NAME")
	name := fs.String("name", "", "the person's name as staff will pick it and logs will show it: 1–40 printable characters")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if err := staffauth.ValidName(*name); err != nil {
		return Usagef("%s: --name: %s", cmd, strings.TrimPrefix(err.Error(), "staffauth: "))
	}
	if env.ConfigPath == "" {
		return Usagef("%s: no configuration file: give --config FILE", cmd)
	}
	f, err := readStaffFile(cmd, env.ConfigPath)
	if err != nil {
		return err
	}
	if f.find(*name) >= 0 {
		return Usagef("%s: a staff account has this name already (names are compared ignoring case): "+
			"change its PIN with `signet config set-pin --name NAME`, or remove it first; nothing was changed", cmd)
	}
	list := f.all()
	if len(list) >= config.MaxStaffAccounts {
		return Usagef("%s: there are %d staff accounts, the most Signet keeps; remove one first", cmd, len(list))
	}
	hash, err := f.newPIN(env, *name, usable(list, -1))
	if err != nil {
		return err
	}
	list = append(list, config.StaffAccount{Name: *name, PINHash: redact.Secret(hash)})
	if err := f.write(list); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "staff account %q added to %s (%d accounts); restart signet to use it\n", *name, f.path, len(list))
	return nil
}

func runRemoveStaff(_ context.Context, env *Env, args []string) error {
	const cmd = "config remove-staff"
	fs := env.FlagSet(cmd, "--name NAME")
	name := fs.String("name", "", "the account to remove (ignoring case)")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if *name == "" {
		return Usagef("%s: give --name NAME; `signet config list-staff` lists the accounts", cmd)
	}
	if env.ConfigPath == "" {
		return Usagef("%s: no configuration file: give --config FILE", cmd)
	}
	f, err := readStaffFile(cmd, env.ConfigPath)
	if err != nil {
		return err
	}
	if f.find(*name) < 0 {
		return Usagef("%s: no staff account has this name; `signet config list-staff` lists them", cmd)
	}
	var list []config.StaffAccount
	removed := ""
	for _, a := range f.all() {
		if staffauth.SameName(a.Name, *name) {
			removed = a.Name
			continue // every one of that name, the single PIN's "staff" included
		}
		list = append(list, a)
	}
	if err := f.write(list); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "staff account %q removed from %s; restart signet for it to take effect\n", removed, f.path)
	if err := staffauth.RemoveAccountLockout(f.stateDirectory(env), removed); err != nil {
		fmt.Fprintf(env.Stderr, "signet: note: its lockout state was not deleted: %v\n", unwrapPathErr(errors.Unwrap(err)))
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stderr, "signet: note: no staff account is left: the console stays locked until one is added with `signet config add-staff`")
	}
	return nil
}

// stateDirectory is where the kiosk keeps its lockout state: as Load
// would find it, without requiring the rest of the file to be valid.
func (f *staffFile) stateDirectory(env *Env) string {
	c := config.Default()
	c.StateDir = f.stateDir
	if d := env.Getenv(config.EnvStateDir); d != "" {
		c.StateDir = d
	}
	return c.StateDirOrDefault()
}

func runListStaff(_ context.Context, env *Env, args []string) error {
	const cmd = "config list-staff"
	if err := Parse(env.FlagSet(cmd, ""), args, false); err != nil {
		return err
	}
	if env.ConfigPath == "" {
		return Usagef("%s: no configuration file: give --config FILE", cmd)
	}
	f, err := readStaffFile(cmd, env.ConfigPath)
	if err != nil {
		return err
	}
	dir := f.stateDirectory(env)
	now := staffNow()
	list := f.all()
	tw := tabwriter.NewWriter(env.Stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tPIN\tLOCKOUT")
	for i, a := range list {
		pin := "set"
		if _, err := staffauth.Parse(a.PINHash.Reveal()); err != nil {
			pin = "unusable: set it again"
		}
		lock := "unknown"
		if staffauth.ValidName(a.Name) == nil {
			st, err := staffauth.ReadLockStatus(dir, a.Name, now)
			lock = lockText(st, err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", displayName(list, i), pin, lock)
	}
	st, err := staffauth.ReadLockStatus(dir, "", now)
	fmt.Fprintf(tw, "(this terminal, any PIN)\t\t%s\n", lockText(st, err))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d accounts in %s; lockout state in %s\n", len(list), f.path, dir)
	if len(list) == 0 {
		fmt.Fprintln(env.Stderr, "signet: note: no staff account: the console stays locked; add one with `signet config add-staff --name NAME`")
	}
	return nil
}

// displayName is the name of list[i] as it may be printed: a name that is
// not valid could hold terminal escapes, so it is shown by its key.
func displayName(list []config.StaffAccount, i int) string {
	if staffauth.ValidName(list[i].Name) == nil {
		return list[i].Name
	}
	return fmt.Sprintf("(invalid name, account %d)", i+1)
}

func lockText(st staffauth.LockStatus, err error) string {
	switch {
	case err != nil:
		return "state unreadable: the kiosk keeps it locked for " + staffauth.DefaultLockFor.String()
	case st.Locked:
		return fmt.Sprintf("locked for %s more (lock %d since the last right PIN)", st.Left.Round(time.Second), st.Locks)
	case st.Failures > 0:
		return fmt.Sprintf("%d wrong PIN(s); locks after %d", st.Failures, staffauth.DefaultMaxFailures)
	}
	return "open"
}

// staffNow is list-staff's clock; tests set it.
var staffNow = time.Now

var accountsHeader = regexp.MustCompile(`^\s*\[\[\s*staff\s*\.\s*accounts\s*\]\]\s*(#.*)?$`)

// withStaffAccounts returns the file old with list as its staff accounts:
// [staff] pin_hash and every [[staff.accounts]] table taken out, and list
// written as [[staff.accounts]] tables where the first of them stood, else
// at the end of the [staff] table, else at the end of the file. Every
// other line is kept as it was. The result is parsed back: it must hold
// exactly list as accounts, no pin_hash, and everything else the same as
// old; otherwise (a layout this line editor does not follow, such as an
// inline array of accounts) it is an error, and nothing is written. The
// error never quotes the file.
func withStaffAccounts(old []byte, list []config.StaffAccount) ([]byte, error) {
	lines := strings.Split(string(old), "\n")
	isBlank := func(l string) bool { return strings.TrimSpace(l) == "" }
	isContent := func(l string) bool { t := strings.TrimSpace(l); return t != "" && !strings.HasPrefix(t, "#") }

	var out []string
	insertAt := -1
	inStaff := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case accountsHeader.MatchString(l):
			// The table runs to the next header; comments and blank lines
			// after its last key belong to what follows.
			last := i
			for j := i + 1; j < len(lines) && !tableHeader.MatchString(lines[j]); j++ {
				if isContent(lines[j]) {
					last = j
				}
			}
			if insertAt < 0 {
				insertAt = len(out)
			}
			i = last
			// Do not leave two blank lines where the table was.
			for len(out) > 0 && isBlank(out[len(out)-1]) && i+1 < len(lines) && isBlank(lines[i+1]) {
				i++
			}
			inStaff = false
			continue
		case tableHeader.MatchString(l):
			inStaff = staffHeader.MatchString(l)
		case inStaff && pinHashLine.MatchString(l):
			continue
		case !inStaff && dottedPINKey.MatchString(l) && !headerBefore(lines, i):
			continue
		}
		out = append(out, l)
	}
	if insertAt < 0 {
		insertAt = endOfStaffTable(out)
	}
	var block []string
	for _, a := range list {
		if len(block) > 0 {
			block = append(block, "")
		}
		block = append(block, "[[staff.accounts]]", "name = "+tomlString(a.Name), "pin_hash = "+tomlString(a.PINHash.Reveal()))
	}
	if len(block) > 0 {
		if insertAt > 0 && !isBlank(out[insertAt-1]) {
			block = append([]string{""}, block...)
		}
		if insertAt < len(out) && !(insertAt == len(out)-1 && out[insertAt] == "") && !isBlank(out[insertAt]) {
			block = append(block, "")
		}
		if insertAt == len(out) {
			block = append(block, "") // the file ends with a newline
		}
		out = append(out[:insertAt], append(block, out[insertAt:]...)...)
	}
	updated := []byte(strings.Join(out, "\n"))
	if err := sameButAccounts(old, updated, list); err != nil {
		return nil, err
	}
	return updated, nil
}

// headerBefore reports whether a table header comes before line i: a
// dotted staff.pin_hash is top-level only before the first one.
func headerBefore(lines []string, i int) bool {
	for _, l := range lines[:i] {
		if tableHeader.MatchString(l) {
			return true
		}
	}
	return false
}

// endOfStaffTable is where accounts go in a file without any: at the end
// of the [staff] table, after its keys and comments (a commented-out key
// must stay in [staff], where uncommenting it puts it back) but before
// blank lines and a comment that sits right above the next header; else
// at the end (before the empty string that a final newline leaves).
func endOfStaffTable(lines []string) int {
	end := len(lines)
	if end > 0 && lines[end-1] == "" {
		end--
	}
	for i, l := range lines {
		if !staffHeader.MatchString(l) {
			continue
		}
		next := i + 1
		for next < end && !tableHeader.MatchString(lines[next]) {
			next++
		}
		k := next - 1
		if next < end { // a comment right above the next header is its own
			for k > i && strings.HasPrefix(strings.TrimSpace(lines[k]), "#") {
				k--
			}
		}
		for k > i && strings.TrimSpace(lines[k]) == "" {
			k--
		}
		return k + 1
	}
	return end
}

// sameButAccounts checks the edit: updated parses, its staff accounts are
// list with no pin_hash, and all else equals old.
func sameButAccounts(old, updated []byte, list []config.StaffAccount) error {
	var before, after map[string]any
	if err := toml.Unmarshal(old, &before); err != nil {
		return errors.New("the file is not valid TOML")
	}
	if err := toml.Unmarshal(updated, &after); err != nil {
		return errors.New("could not place the accounts")
	}
	for _, m := range []map[string]any{before, after} {
		if st, ok := m["staff"].(map[string]any); ok {
			delete(st, "pin_hash")
			delete(st, "accounts")
			if len(st) == 0 {
				delete(m, "staff")
			}
		}
	}
	if !reflect.DeepEqual(before, after) {
		return errors.New("could not place the accounts without changing other settings")
	}
	var got struct {
		Staff struct {
			PINHash  string                `toml:"pin_hash"`
			Accounts []config.StaffAccount `toml:"accounts"`
		} `toml:"staff"`
	}
	if err := toml.Unmarshal(updated, &got); err != nil || got.Staff.PINHash != "" || len(got.Staff.Accounts) != len(list) {
		return errors.New("could not place the accounts")
	}
	for i := range list {
		if got.Staff.Accounts[i] != list[i] {
			return errors.New("could not place the accounts")
		}
	}
	return nil
}

// tomlString is s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
