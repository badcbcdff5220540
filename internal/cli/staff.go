package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/signet-kiosk/signet/internal/staffauth"
)

// pinParams are the argon2id parameters of new PIN hashes; tests use cheap
// ones.
var pinParams = staffauth.DefaultParams

// runSetPIN sets the PIN of one account. The account "staff" of a file
// that has no [[staff.accounts]] is the single PIN of earlier versions,
// and stays [staff] pin_hash as before, byte for byte; any other account,
// or any file that has accounts, is written as [[staff.accounts]]
// (staffaccounts.go).
func runSetPIN(_ context.Context, env *Env, args []string) error {
	const cmd = "config set-pin"
	fs := env.FlagSet(cmd, "[--name NAME]")
	name := fs.String("name", staffauth.DefaultAccountName, "the staff account whose PIN to set: one that exists, or "+staffauth.DefaultAccountName)
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	path := env.ConfigPath
	if path == "" {
		return Usagef("%s: no configuration file: give --config FILE", cmd)
	}
	f, err := readStaffFile(cmd, path)
	if err != nil {
		return err
	}
	if len(f.accounts) > 0 || !staffauth.SameName(*name, staffauth.DefaultAccountName) {
		return f.setAccountPIN(env, *name)
	}
	pin, err := readNewPIN(env, cmd, *name)
	if err != nil {
		return err
	}
	hash, err := staffauth.HashWith(pin, pinParams)
	if err != nil {
		return Usagef("%s: %w", cmd, err)
	}
	if err := setPINHash(path, hash); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "staff PIN set: its argon2id hash is in [staff] pin_hash of %s (the account %q); restart signet to use it\n",
		path, staffauth.DefaultAccountName)
	return nil
}

// readNewPIN asks for the PIN of the account name twice: without echo on
// a terminal, else as two lines of standard input. cmd prefixes errors.
func readNewPIN(env *Env, cmd, name string) (string, error) {
	var first, second string
	if f, ok := env.Stdin.(*os.File); ok && isTerminal(f) {
		restore, err := noEcho(f)
		if err != nil {
			return "", fmt.Errorf("%s: terminal: %w", cmd, err)
		}
		defer restore()
		r := bufio.NewReader(f)
		fmt.Fprintf(env.Stderr, "New PIN for the staff account %q (4–12 digits): ", name)
		first, err = readLine(r, cmd)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", err
		}
		if err := staffauth.ValidPIN(first); err != nil {
			return "", Usagef("%s: %w", cmd, err)
		}
		fmt.Fprint(env.Stderr, "Repeat the PIN: ")
		second, err = readLine(r, cmd)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", err
		}
	} else {
		if env.Stdin == nil {
			return "", Usagef("%s: no standard input to read the PIN from", cmd)
		}
		r := bufio.NewReader(io.LimitReader(env.Stdin, 1024))
		var err error
		if first, err = readLine(r, cmd); err != nil {
			return "", err
		}
		if second, err = readLine(r, cmd); err != nil {
			return "", err
		}
	}
	if err := staffauth.ValidPIN(first); err != nil {
		return "", Usagef("%s: %w", cmd, err)
	}
	if first != second {
		return "", Usagef("%s: the two PINs differ; nothing was changed", cmd)
	}
	return first, nil
}

func readLine(r *bufio.Reader, cmd string) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", Usagef("%s: give the PIN twice, one per line, on standard input", cmd)
		}
		return "", fmt.Errorf("%s: read: %w", cmd, err)
	}
	return strings.TrimSpace(line), nil
}

var (
	tableHeader  = regexp.MustCompile(`^\s*\[`)
	staffHeader  = regexp.MustCompile(`^\s*\[\s*staff\s*\]\s*(#.*)?$`)
	pinHashLine  = regexp.MustCompile(`^\s*pin_hash\s*=`)
	dottedPINKey = regexp.MustCompile(`^\s*staff\s*\.\s*pin_hash\s*=`)
)

// setPINHash writes hash as [staff] pin_hash into the TOML file at path,
// creating it (mode 0600) when missing and keeping every other line as it
// was. The result is checked by parsing it back; the file is replaced
// atomically.
func setPINHash(path, hash string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Usagef("config set-pin: cannot read %s: %w", path, unwrapPathErr(err))
	}
	var probe map[string]any
	if err := toml.Unmarshal(old, &probe); err != nil {
		return Usagef("config set-pin: %s is not valid TOML; fix it first", path)
	}
	updated := withPINHash(old, hash)
	var check struct {
		Staff struct {
			PINHash string `toml:"pin_hash"`
		} `toml:"staff"`
	}
	if err := toml.Unmarshal(updated, &check); err != nil || check.Staff.PINHash != hash {
		return Usagef("config set-pin: could not place pin_hash in %s; set [staff] pin_hash by hand", path)
	}
	mode := os.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm() &^ 0o077 // a PIN hash is not for other users
	}
	if err := writeAtomic(path, updated, mode); err != nil {
		return fmt.Errorf("config set-pin: %w", err)
	}
	return nil
}

// withPINHash returns the file with pin_hash set in its [staff] table.
func withPINHash(old []byte, hash string) []byte {
	line := fmt.Sprintf("pin_hash = %q", hash)
	lines := strings.Split(string(old), "\n")
	// A top-level dotted key staff.pin_hash before any table.
	for i, l := range lines {
		if tableHeader.MatchString(l) {
			break
		}
		if dottedPINKey.MatchString(l) {
			lines[i] = "staff." + line
			return []byte(strings.Join(lines, "\n"))
		}
	}
	start := -1
	for i, l := range lines {
		if staffHeader.MatchString(l) {
			start = i
			break
		}
	}
	if start < 0 {
		var b bytes.Buffer
		b.Write(old)
		if len(old) > 0 && !bytes.HasSuffix(old, []byte("\n")) {
			b.WriteByte('\n')
		}
		if len(old) > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("[staff]\n" + line + "\n")
		return b.Bytes()
	}
	end := len(lines)
	for i := start + 1; i < len(lines); i++ {
		if tableHeader.MatchString(lines[i]) {
			end = i
			break
		}
	}
	for i := start + 1; i < end; i++ {
		if pinHashLine.MatchString(lines[i]) {
			lines[i] = line
			return []byte(strings.Join(lines, "\n"))
		}
	}
	out := append([]string{}, lines[:start+1]...)
	out = append(out, line)
	out = append(out, lines[start+1:]...)
	return []byte(strings.Join(out, "\n"))
}

// writeAtomic replaces path with data through a synced temporary file.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".config-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
