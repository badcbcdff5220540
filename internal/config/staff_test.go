package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

var cheapStaff = staffauth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func staffHash(t testing.TB, pin string) string {
	t.Helper()
	h, err := staffauth.HashWith(pin, cheapStaff)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func loadStaff(t *testing.T, content string, mode os.FileMode) (*config.Config, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	return config.Load(p, true, func(string) string { return "" })
}

// A configuration with only the single PIN of earlier versions keeps
// working: its PIN opens the account named staff.
func TestSinglePINIsAnAccount(t *testing.T) {
	h := staffHash(t, "482915")
	c, err := loadStaff(t, "[staff]\npin_hash = \""+h+"\"\nidle_timeout = \"3m\"\n", 0o600)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := c.Staff.AuthAccounts()
	if err != nil || len(accts) != 1 || accts[0].Name != staffauth.DefaultAccountName {
		t.Fatalf("AuthAccounts = %v, %v", accts, err)
	}
	g, err := staffauth.OpenAccountGate(staffauth.AccountGateOptions{StateDir: t.TempDir(), Accounts: accts})
	if err != nil {
		t.Fatal(err)
	}
	if a, err := g.Check("482915"); err != nil || a.Name != "staff" {
		t.Errorf("the single PIN: %q %v", a.Name, err)
	}
	// With accounts beside it, it comes first.
	c, err = loadStaff(t, "[staff]\npin_hash = \""+h+"\"\n\n[[staff.accounts]]\nname = \"Anna\"\npin_hash = \""+
		staffHash(t, "1111")+"\"\n", 0o600)
	if err != nil {
		t.Fatal(err)
	}
	accts, _ = c.Staff.AuthAccounts()
	if fmt.Sprint(accts) != "[staff Anna]" {
		t.Errorf("accounts %v", accts)
	}
}

func TestStaffAccountsValidated(t *testing.T) {
	h1, h2 := staffHash(t, "1111"), staffHash(t, "2222")
	acct := func(name, hash string) string {
		return fmt.Sprintf("[[staff.accounts]]\nname = %q\npin_hash = %q\n", name, hash)
	}
	absurd := "$argon2id$v=19$m=1048576,t=64,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"
	var many strings.Builder
	for i := range config.MaxStaffAccounts + 1 {
		many.WriteString(acct(fmt.Sprint("p", i), h1))
	}
	for _, tc := range []struct {
		name, file string
		keys       []string // "" = valid
	}{
		{"two", acct("Anna", h1) + acct("Bob", h2), nil},
		{"same name other case", acct("Anna", h1) + acct("ANNA", h2), []string{"staff.accounts[1].name"}},
		{"bad name", acct(" Anna", h1) + acct("Bob\tX", h2), []string{"staff.accounts[0].name", "staff.accounts[1].name"}},
		{"long name", acct(strings.Repeat("x", 41), h1), []string{"staff.accounts[0].name"}},
		{"no hash", "[[staff.accounts]]\nname = \"Anna\"\n", []string{"staff.accounts[0].pin_hash"}},
		{"absurd hash", acct("Anna", absurd), []string{"staff.accounts[0].pin_hash"}},
		{"broken hash", acct("Anna", "$argon2id$x"), []string{"staff.accounts[0].pin_hash"}},
		{"single PIN and an account named staff", "[staff]\npin_hash = \"" + h1 + "\"\n" + acct("Staff", h2), []string{"staff.pin_hash"}},
		{"too many", many.String(), []string{"staff.accounts"}},
		{"unknown key", "[[staff.accounts]]\nname = \"Anna\"\npin = \"1111\"\n", []string{"staff.accounts.pin"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadStaff(t, tc.file, 0o600)
			if tc.keys == nil {
				if err != nil {
					t.Fatal(err)
				}
				if accts, err := c.Staff.AuthAccounts(); err != nil || len(accts) != 2 {
					t.Errorf("AuthAccounts = %v, %v", accts, err)
				}
				return
			}
			var es config.Errors
			var e1 *config.Error
			switch {
			case errors.As(err, &es):
			case errors.As(err, &e1):
				es = config.Errors{e1}
			default:
				t.Fatalf("error %v", err)
			}
			var got []string
			for _, e := range es {
				got = append(got, e.Key)
			}
			if !slices.Equal(got, tc.keys) {
				t.Errorf("keys %v, want %v (%v)", got, tc.keys, err)
			}
			for _, secret := range []string{h1, h2, absurd, "Anna", "Bob", "1111"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error shows %q: %v", secret, err)
				}
			}
		})
	}
}

// config show masks the account hashes (and leaves the loaded ones as
// they were); config check warns about a file others can read.
func TestStaffAccountsMasked(t *testing.T) {
	h1, h2 := staffHash(t, "1111"), staffHash(t, "2222")
	file := fmt.Sprintf("[[staff.accounts]]\nname = \"Anna\"\npin_hash = %q\n\n[[staff.accounts]]\nname = \"Bob\"\npin_hash = %q\n", h1, h2)
	p := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(p, []byte(file), 0o644)
	c, err := config.Load(p, true, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Masked()
	if err != nil {
		t.Fatal(err)
	}
	salt := strings.Split(h1, "$")[4]
	if strings.Contains(string(b), salt) || !strings.Contains(string(b), "Anna") {
		t.Errorf("config show:\n%s", b)
	}
	if c.Staff.Accounts[0].PINHash.Reveal() != h1 {
		t.Error("Masked changed the loaded configuration")
	}
	if got := redact.String("hash " + h2); strings.Contains(got, salt) || strings.Contains(got, strings.Split(h2, "$")[5]) {
		t.Errorf("account hash not registered with redact: %s", got)
	}
	keys, mode := config.ExposedSecrets(p)
	if !slices.Equal(keys, []string{"staff.accounts[0].pin_hash", "staff.accounts[1].pin_hash"}) || mode != 0o644 {
		t.Errorf("ExposedSecrets = %v %v", keys, mode)
	}
}

// FuzzLoadStaff: any bytes in the [staff] section load into accounts that
// a gate accepts, or an error naming a key; never a panic, never a hash
// in config show.
func FuzzLoadStaff(f *testing.F) {
	h := staffHash(f, "1111")
	f.Add("[staff]\npin_hash = \"" + h + "\"\n")
	f.Add("[[staff.accounts]]\nname = \"Anna\"\npin_hash = \"" + h + "\"\n[[staff.accounts]]\nname = \"anna\"\npin_hash = \"" + h + "\"\n")
	f.Add("[staff]\naccounts = [{name = \"x\", pin_hash = \"" + h + "\"}, {name = 3}]\n")
	f.Add("[[staff.accounts]]\nname = \"\\u0000\"\n[[staff.accounts]]\n")
	f.Add("staff.accounts = \"none\"\n")
	f.Add("[staff]\npin_hash = \"" + h + "\"\n[[staff.accounts]]\nname = \"STAFF\"\npin_hash = \"" + h + "\"\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		c := loadFuzzed(t, dir, content)
		if c == nil {
			return
		}
		accts, err := c.Staff.AuthAccounts()
		if err != nil {
			t.Fatalf("a valid configuration's accounts: %v", err)
		}
		if len(accts) > config.MaxStaffAccounts+1 {
			t.Fatalf("%d accounts", len(accts))
		}
		if _, err := staffauth.OpenAccountGate(staffauth.AccountGateOptions{StateDir: t.TempDir(), Accounts: accts,
			Now: func() time.Time { return time.Unix(0, 0) }}); err != nil {
			t.Fatalf("a valid configuration's accounts make no gate: %v", err)
		}
		b, err := c.Masked()
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range c.Staff.Accounts {
			if len(a.PINHash) >= 4 && strings.Contains(string(b), a.PINHash.Reveal()) {
				t.Fatalf("config show shows a hash:\n%s", b)
			}
		}
	})
}
