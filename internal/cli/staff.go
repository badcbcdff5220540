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

var (
	configSetPINCmd = &Command{Name: "config set-pin", Args: "",
		Summary: "set the staff console's PIN (4–12 digits, asked twice; stored only as an argon2id hash)", Run: runSetPIN}
)

// hashPIN is staffauth.Hash; tests swap in cheap parameters.
var hashPIN = staffauth.Hash

func runSetPIN(_ context.Context, env *Env, args []string) error {
	if err := Parse(env.FlagSet("config set-pin", ""), args, false); err != nil {
		return err
	}
	path := env.ConfigPath
	if path == "" {
		return Usagef("config set-pin: no configuration file: give --config FILE")
	}
	pin, err := readNewPIN(env)
	if err != nil {
		return err
	}
	hash, err := hashPIN(pin)
	if err != nil {
		return Usagef("config set-pin: %w", err)
	}
	if err := setPINHash(path, hash); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "staff PIN set: its argon2id hash is in [staff] pin_hash of %s\n", path)
	return nil
}

// readNewPIN asks for the PIN twice: without echo on a terminal, else as
// two lines of standard input.
func readNewPIN(env *Env) (string, error) {
	var first, second string
	if f, ok := env.Stdin.(*os.File); ok && isTerminal(f) {
		restore, err := noEcho(f)
		if err != nil {
			return "", fmt.Errorf("config set-pin: terminal: %w", err)
		}
		defer restore()
		r := bufio.NewReader(f)
		fmt.Fprint(env.Stderr, "New staff PIN (4–12 digits): ")
		first, err = readLine(r)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", err
		}
		if err := staffauth.ValidPIN(first); err != nil {
			return "", Usagef("config set-pin: %w", err)
		}
		fmt.Fprint(env.Stderr, "Repeat the PIN: ")
		second, err = readLine(r)
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", err
		}
	} else {
		if env.Stdin == nil {
			return "", Usagef("config set-pin: no standard input to read the PIN from")
		}
		r := bufio.NewReader(io.LimitReader(env.Stdin, 1024))
		var err error
		if first, err = readLine(r); err != nil {
			return "", err
		}
		if second, err = readLine(r); err != nil {
			return "", err
		}
	}
	if err := staffauth.ValidPIN(first); err != nil {
		return "", Usagef("config set-pin: %w", err)
	}
	if first != second {
		return "", Usagef("config set-pin: the two PINs differ; nothing was changed")
	}
	return first, nil
}

func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", Usagef("config set-pin: give the PIN twice, one per line, on standard input")
		}
		return "", fmt.Errorf("config set-pin: read: %w", err)
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
