package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

type staffRun struct {
	code        int
	out, errOut string
}

func (r staffRun) all() string { return r.out + r.errOut }

// runStaff runs a command against the file at path with stdin and
// SIGNET_STATE_DIR=state.
func runStaff(t *testing.T, path, state, stdin string, args ...string) staffRun {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(stdin), Version: "test",
		Getenv: func(k string) string {
			if k == config.EnvStateDir {
				return state
			}
			return ""
		}}
	code := Main(context.Background(), Commands(Kiosk{}), append([]string{"--config", path}, args...), env)
	return staffRun{code, out.String(), errb.String()}
}

// secrets collects every PIN and hash a test used, to assert that no
// output or error shows one.
type secrets []string

func (s *secrets) add(v ...string) { *s = append(*s, v...) }

func (s secrets) hashesIn(t *testing.T, path string) {
	t.Helper()
	c := loadConfig(t, path)
	for _, a := range c.Staff.Accounts {
		h := a.PINHash.Reveal()
		s.add(h, strings.Split(h, "$")[4], strings.Split(h, "$")[5])
	}
}

func (s secrets) check(t *testing.T, what string, r staffRun) {
	t.Helper()
	for _, v := range s {
		if v != "" && strings.Contains(r.all(), v) {
			t.Fatalf("%s shows a PIN or hash %q:\n%s", what, v, r.all())
		}
	}
	if strings.Contains(r.all(), "argon2id$") {
		t.Fatalf("%s shows a hash:\n%s", what, r.all())
	}
}

func loadConfig(t *testing.T, path string) *config.Config {
	t.Helper()
	c, err := config.Load(path, true, func(string) string { return "" })
	if err != nil {
		b, _ := os.ReadFile(path)
		t.Fatalf("config does not load: %v\n%s", err, b)
	}
	return c
}

// gateFor opens a gate on the accounts of the file at path.
func gateFor(t *testing.T, path string) *staffauth.AccountGate {
	t.Helper()
	accts, err := loadConfig(t, path).Staff.AuthAccounts()
	if err != nil {
		t.Fatal(err)
	}
	g, err := staffauth.OpenAccountGate(staffauth.AccountGateOptions{StateDir: t.TempDir(), Accounts: accts})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func wantPINs(t *testing.T, path string, pins map[string]string) {
	t.Helper()
	g := gateFor(t, path)
	if len(g.Names()) != len(pins) {
		t.Errorf("accounts %v, want %d", g.Names(), len(pins))
	}
	for pin, name := range pins {
		if a, err := g.Check(pin); err != nil || a.Name != name {
			t.Errorf("PIN of %s: %q %v", name, a.Name, err)
		}
	}
}

// The single PIN of earlier versions, then accounts added, changed and
// removed through the commands, with PINs on standard input. Every other
// line of the file stays; no output shows a PIN or a hash.
func TestStaffAccountCommands(t *testing.T) {
	cheapHash(t)
	dir, state := t.TempDir(), t.TempDir()
	path := filepath.Join(dir, "config.toml")
	legacy, _ := staffauth.HashWith("482915", pinParams)
	before := "# front desk kiosk\n[kiosk]\nidle_timeout = \"90s\"\n\n[staff] # console\npin_hash = \"" + legacy +
		"\"\nidle_timeout = \"3m\"\n\n# logging\n[log]\nlevel = \"debug\"\n"
	os.WriteFile(path, []byte(before), 0o640)
	var sec secrets
	sec.add("482915", "1111", "2222", "3333", "4444", "6666", legacy, strings.Split(legacy, "$")[4])
	run := func(stdin string, wantCode int, args ...string) staffRun {
		t.Helper()
		r := runStaff(t, path, state, stdin, args...)
		if r.code != wantCode {
			t.Fatalf("%v: exit %d, want %d:\n%s", args, r.code, wantCode, r.all())
		}
		sec.check(t, strings.Join(args, " "), r)
		return r
	}
	unchanged := func(what string, want []byte) {
		t.Helper()
		if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
			t.Fatalf("%s changed the file:\n%s", what, got)
		}
	}

	r := run("", 0, "config", "list-staff")
	if !strings.Contains(r.out, "staff") || !strings.Contains(r.out, "1 accounts") || !strings.Contains(r.out, state) {
		t.Errorf("list-staff of the single PIN:\n%s", r.out)
	}
	wantPINs(t, path, map[string]string{"482915": "staff"})

	// The first account added moves the single PIN among the accounts,
	// with its hash as it was.
	r = run("1111\n1111\n", 0, "config", "add-staff", "--name", "Anna")
	if !strings.Contains(r.out, `"Anna" added`) {
		t.Errorf("add-staff said: %s", r.out)
	}
	b, _ := os.ReadFile(path)
	for _, keep := range []string{"# front desk kiosk", "idle_timeout = \"90s\"", "[staff] # console", "idle_timeout = \"3m\"",
		"# logging\n[log]\nlevel = \"debug\"", "[[staff.accounts]]\nname = \"staff\"\npin_hash = \"" + legacy + "\""} {
		if !strings.Contains(string(b), keep) {
			t.Errorf("%q lost:\n%s", keep, b)
		}
	}
	c := loadConfig(t, path)
	if !c.Staff.PINHash.IsZero() || len(c.Staff.Accounts) != 2 {
		t.Fatalf("after add-staff: pin_hash %v, %d accounts\n%s", !c.Staff.PINHash.IsZero(), len(c.Staff.Accounts), b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	// Anna's hash shares the single PIN's salt: one argon2id per attempt.
	if strings.Split(c.Staff.Accounts[1].PINHash.Reveal(), "$")[4] != strings.Split(legacy, "$")[4] {
		t.Error("the new account's hash has its own salt")
	}
	wantPINs(t, path, map[string]string{"482915": "staff", "1111": "Anna"})
	sec.hashesIn(t, path)

	// Refused: the same name in another case, someone else's PIN.
	b, _ = os.ReadFile(path)
	r = run("2222\n2222\n", ExitUsage, "config", "add-staff", "--name", "ANNA")
	if !strings.Contains(r.errOut, "has this name already") {
		t.Errorf("same name: %s", r.errOut)
	}
	r = run("1111\n1111\n", ExitUsage, "config", "add-staff", "--name", "Bob")
	if !strings.Contains(r.errOut, "another staff account has this PIN") {
		t.Errorf("a PIN in use: %s", r.errOut)
	}
	r = run("482915\n482915\n", ExitUsage, "config", "add-staff", "--name", "Bob")
	unchanged("refused add-staff", b)

	run("2222\n2222\n", 0, "config", "add-staff", "--name", "Bob")
	sec.hashesIn(t, path)
	wantPINs(t, path, map[string]string{"482915": "staff", "1111": "Anna", "2222": "Bob"})

	// set-pin: without a name the account "staff", now among the accounts.
	run("3333\n3333\n", 0, "config", "set-pin")
	run("4444\n4444\n", 0, "config", "set-pin", "--name", "bob")
	sec.hashesIn(t, path)
	wantPINs(t, path, map[string]string{"3333": "staff", "1111": "Anna", "4444": "Bob"})
	if _, err := gateFor(t, path).Check("482915"); !errors.Is(err, staffauth.ErrWrongPIN) {
		t.Errorf("the old single PIN still opens: %v", err)
	}
	b, _ = os.ReadFile(path)
	r = run("5555\n5555\n", ExitUsage, "config", "set-pin", "--name", "Carol")
	if !strings.Contains(r.errOut, "add-staff") {
		t.Errorf("set-pin of an unknown account: %s", r.errOut)
	}
	run("1111\n1111\n", ExitUsage, "config", "set-pin", "--name", "Bob") // Anna's PIN
	unchanged("refused set-pin", b)

	// remove-staff deletes the account's lockout state too.
	l, _ := staffauth.OpenAccountLockout(state, "Anna", nil)
	l.Fail()
	run("", 0, "config", "remove-staff", "--name", "anna")
	if _, err := os.Stat(filepath.Join(state, staffauth.AccountStateFile("Anna"))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Anna's lockout state is still there: %v", err)
	}
	wantPINs(t, path, map[string]string{"3333": "staff", "4444": "Bob"})
	b, _ = os.ReadFile(path)
	run("", ExitUsage, "config", "remove-staff", "--name", "Anna")
	run("", ExitUsage, "config", "remove-staff")
	unchanged("refused remove-staff", b)
	run("", 0, "config", "remove-staff", "--name", "STAFF")
	wantPINs(t, path, map[string]string{"4444": "Bob"})
	// set-pin without a name makes the account "staff" again, among the
	// accounts.
	r = run("6666\n6666\n", 0, "config", "set-pin")
	if !strings.Contains(r.out, `account "staff" set`) {
		t.Errorf("set-pin said: %s", r.out)
	}
	sec.hashesIn(t, path)
	wantPINs(t, path, map[string]string{"4444": "Bob", "6666": "staff"})
	run("", 0, "config", "remove-staff", "--name", "staff")
	r = run("", 0, "config", "remove-staff", "--name", "Bob")
	if !strings.Contains(r.errOut, "no staff account is left") {
		t.Errorf("removing the last account: %s", r.errOut)
	}
	c = loadConfig(t, path)
	if len(c.Staff.Accounts) != 0 || !c.Staff.PINHash.IsZero() || c.Staff.IdleTimeout.D() != 3*time.Minute || c.Log.Level != "debug" {
		t.Errorf("after removing all: %+v", c.Staff)
	}
	b, _ = os.ReadFile(path)
	if strings.Contains(string(b), "argon2id") || strings.Contains(string(b), "\n\n\n") {
		t.Errorf("file after removing every account:\n%s", b)
	}
}

// In a file without accounts, set-pin keeps writing [staff] pin_hash (the
// account "staff"), which older versions read too.
func TestSetPINKeepsSinglePIN(t *testing.T) {
	cheapHash(t)
	path := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(path, []byte("[staff]\npin_hash = \"x\"\n"), 0o600)
	r := runStaff(t, path, t.TempDir(), "2468\n2468\n", "config", "set-pin", "--name", "Staff")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.all())
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "accounts") || !strings.HasPrefix(string(b), "[staff]\npin_hash = \"$argon2id$") {
		t.Errorf("file:\n%s", b)
	}
	wantPINs(t, path, map[string]string{"2468": "staff"})
}

func TestAddStaffRefuses(t *testing.T) {
	cheapHash(t)
	for _, tc := range []struct{ name, before, stdin, want string }{
		{"no name", "", "1234\n1234\n", "--name"},
		{"space", "", "1234\n1234\n", "--name"},
		{"tab", "", "1234\n1234\n", "--name"},
		{"long", "", "1234\n1234\n", "--name"},
		{"differ", "", "1234\n4321\n", "differ"},
		{"short", "", "123\n123\n", "4 to 12 digits"},
		{"letters", "", "12ab\n12ab\n", "4 to 12 digits"},
		{"one line", "", "1234\n", "twice"},
		{"bad toml", "[staff\npin_hash = 1\n", "1234\n1234\n", "not valid TOML"},
		{"inline accounts", "[staff]\naccounts = [ { name = \"x\", pin_hash = \"y\" } ]\n", "1234\n1234\n", "by hand"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if tc.before != "" {
				os.WriteFile(path, []byte(tc.before), 0o600)
			}
			name := map[string]string{"no name": "", "space": " Anna", "tab": "An\tna", "long": strings.Repeat("x", 41)}[tc.name]
			if _, bad := map[string]bool{"no name": true, "space": true, "tab": true, "long": true}[tc.name]; !bad {
				name = "Anna"
			}
			r := runStaff(t, path, t.TempDir(), tc.stdin, "config", "add-staff", "--name", name)
			if r.code != ExitUsage || !strings.Contains(r.errOut, tc.want) {
				t.Fatalf("exit %d, want %d with %q:\n%s", r.code, ExitUsage, tc.want, r.all())
			}
			if b, _ := os.ReadFile(path); string(b) != tc.before {
				t.Errorf("file changed:\n%s", b)
			}
			if pin := strings.SplitN(tc.stdin, "\n", 2)[0]; strings.Contains(r.all(), pin) {
				t.Errorf("output shows the PIN: %s", r.all())
			}
		})
	}
}

// list-staff shows each account's lockout, as the kiosk keeps it, and the
// terminal's, without writing to the state directory.
func TestListStaffLocks(t *testing.T) {
	cheapHash(t)
	now := time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC)
	old := staffNow
	staffNow = func() time.Time { return now }
	t.Cleanup(func() { staffNow = old })
	path, state := filepath.Join(t.TempDir(), "config.toml"), t.TempDir()
	for _, p := range [][2]string{{"Anna", "1111"}, {"Bob", "2222"}, {"Zoë Müller", "3333"}} {
		if r := runStaff(t, path, state, p[1]+"\n"+p[1]+"\n", "config", "add-staff", "--name", p[0]); r.code != 0 {
			t.Fatal(r.all())
		}
	}
	clock := func() time.Time { return now.Add(-2 * time.Minute) }
	g, err := staffauth.OpenAccountGate(staffauth.AccountGateOptions{StateDir: state, Now: clock, Accounts: func() []staffauth.Account {
		a, _ := loadConfig(t, path).Staff.AuthAccounts()
		return a
	}()})
	if err != nil {
		t.Fatal(err)
	}
	// Four wrong PINs as Anna, Bob signs in (the terminal's count starts
	// again, Anna's does not), a fifth as Anna locks her; one wrong as Bob.
	for range staffauth.DefaultMaxFailures - 1 {
		g.CheckAs("Anna", "9999")
	}
	if _, err := g.Check("2222"); err != nil {
		t.Fatal(err)
	}
	g.CheckAs("Anna", "9999")
	g.CheckAs("Bob", "9999")
	snapshot := func() map[string]string {
		m := map[string]string{}
		es, _ := os.ReadDir(state)
		for _, e := range es {
			b, _ := os.ReadFile(filepath.Join(state, e.Name()))
			m[e.Name()] = string(b)
		}
		return m
	}
	before := snapshot()
	r := runStaff(t, path, state, "", "config", "list-staff")
	if r.code != 0 {
		t.Fatal(r.all())
	}
	flat := strings.Join(strings.Fields(r.out), " ")
	for _, want := range []string{
		"ACCOUNT PIN LOCKOUT Anna set locked for 3m0s more (lock 1 since the last right PIN)",
		"Bob set 1 wrong PIN(s); locks after 5",
		"Zoë Müller set open",
		"(this terminal, any PIN) 2 wrong PIN(s); locks after 5",
		"3 accounts in " + path,
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("list-staff lacks %q:\n%s", want, r.out)
		}
	}
	var sec secrets
	sec.add("1111", "2222", "3333")
	sec.hashesIn(t, path)
	sec.check(t, "list-staff", r)
	if fmt.Sprint(snapshot()) != fmt.Sprint(before) {
		t.Error("list-staff changed the state directory")
	}
}

func TestStaffCommandsListed(t *testing.T) {
	var out bytes.Buffer
	Main(context.Background(), Commands(Kiosk{}), []string{"help"}, &Env{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }})
	for _, c := range []string{"config add-staff --name NAME", "config remove-staff --name NAME", "config list-staff", "config set-pin [--name NAME]"} {
		if !strings.Contains(out.String(), c) {
			t.Errorf("help lacks %q", c)
		}
	}
}

func TestWithStaffAccountsLayouts(t *testing.T) {
	list := []config.StaffAccount{{Name: "Anna", PINHash: "H1"}, {Name: `Bo "B" \`, PINHash: "H2"}}
	const block = "[[staff.accounts]]\nname = \"Anna\"\npin_hash = \"H1\"\n\n[[staff.accounts]]\nname = \"Bo \\\"B\\\" \\\\\"\npin_hash = \"H2\"\n"
	for _, tc := range []struct{ name, old, want string }{
		{"empty", "", block},
		{"no staff table", "[log]\nlevel = \"debug\"\n", "[log]\nlevel = \"debug\"\n\n" + block},
		{"staff table", "[staff]\nidle_timeout = \"3m\"\n\n# logs\n[log]\nlevel = \"debug\"\n",
			"[staff]\nidle_timeout = \"3m\"\n\n" + block + "\n# logs\n[log]\nlevel = \"debug\"\n"},
		{"commented keys stay in [staff]", "[staff]\n#pin_hash = \"\"   # by set-pin\n#idle_timeout = \"2m0s\"\n\n[log]\n# env\nlevel = \"debug\"\n",
			"[staff]\n#pin_hash = \"\"   # by set-pin\n#idle_timeout = \"2m0s\"\n\n" + block + "\n[log]\n# env\nlevel = \"debug\"\n"},
		{"staff table last", "[log]\nlevel = \"debug\"\n[staff]\nidle_timeout = \"3m\"\n# end\n\n",
			"[log]\nlevel = \"debug\"\n[staff]\nidle_timeout = \"3m\"\n# end\n\n" + block + "\n"},
		{"single PIN", "[staff]\npin_hash = \"OLD\"\nidle_timeout = \"3m\"\n",
			"[staff]\nidle_timeout = \"3m\"\n\n" + block},
		{"dotted single PIN", "staff.pin_hash = \"OLD\"\n[log]\nlevel = \"debug\"\n",
			"[log]\nlevel = \"debug\"\n\n" + block},
		{"accounts replaced in place", "[staff]\n\n[[staff.accounts]] # first\nname = \"x\"\npin_hash = \"y\"\n\n[[ staff.accounts ]]\nname = \"z\"\npin_hash = \"w\"\n# logs\n[log]\nlevel = \"debug\"\n",
			"[staff]\n\n" + block + "\n# logs\n[log]\nlevel = \"debug\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := withStaffAccounts([]byte(tc.old), list)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
	// Removing every account leaves no trace of them.
	got, err := withStaffAccounts([]byte("[staff]\nidle_timeout = \"3m\"\n\n"+block+"\n[log]\nlevel = \"debug\"\n"), nil)
	if err != nil || string(got) != "[staff]\nidle_timeout = \"3m\"\n\n[log]\nlevel = \"debug\"\n" {
		t.Errorf("removing all: %v\n%s", err, got)
	}
	for _, bad := range []string{
		"[staff]\naccounts = [{name = \"x\", pin_hash = \"y\"}]\n",
		"[[staff.accounts]]\nname = \"\"\"a\n[log]\n\"\"\"\n",
		"staff = { pin_hash = \"x\" }\n",
	} {
		if _, err := withStaffAccounts([]byte(bad), list); err == nil {
			t.Errorf("no error for a layout it cannot edit:\n%s", bad)
		}
	}
}

// FuzzWithStaffAccounts: whatever the file holds, the editor returns an
// error or a file with exactly the accounts asked for and every other
// setting unchanged (sameButAccounts, checked here again), never a panic.
func FuzzWithStaffAccounts(f *testing.F) {
	f.Add("[staff]\npin_hash = \"OLD\"\nidle_timeout = \"3m\"\n", "Anna")
	f.Add("[[staff.accounts]]\nname = \"x\"\npin_hash = \"y\"\n[log]\nlevel = 1\n", "Zoë")
	f.Add("staff.pin_hash = 'x'\n[staff.accounts]\n", `a"\`)
	f.Add("[[staff.accounts]]\n[[staff.accounts]]\nname = '''\n[x]\n'''\n", "b")
	f.Add("# c\n\n\n[staff]\n\n\n", "")
	f.Fuzz(func(t *testing.T, old, name string) {
		var list []config.StaffAccount
		if name != "" {
			list = append(list, config.StaffAccount{Name: name, PINHash: redact.Secret("H")}, config.StaffAccount{Name: "two", PINHash: "H2"})
		}
		got, err := withStaffAccounts([]byte(old), list)
		if err != nil {
			return
		}
		var doc struct {
			Staff struct {
				PINHash  string                `toml:"pin_hash"`
				Accounts []config.StaffAccount `toml:"accounts"`
			} `toml:"staff"`
		}
		if err := toml.Unmarshal(got, &doc); err != nil {
			t.Fatalf("result is not TOML: %v\n%s", err, got)
		}
		if doc.Staff.PINHash != "" || fmt.Sprint(doc.Staff.Accounts) != fmt.Sprint(list) {
			t.Fatalf("accounts %v, want %v\n%s", doc.Staff.Accounts, list, got)
		}
		if err := sameButAccounts([]byte(old), got, list); err != nil {
			t.Fatal(err)
		}
	})
}

// selftest counts the accounts: a file with accounts and no single PIN
// passes its staff check; one without either fails it.
func TestSelftestCountsAccounts(t *testing.T) {
	cheapHash(t)
	path := filepath.Join(t.TempDir(), "config.toml")
	r := runStaff(t, path, t.TempDir(), "", "selftest", "--camera", "none")
	if flat := strings.Join(strings.Fields(r.out), " "); !strings.Contains(flat, "staff PIN FAIL") {
		t.Errorf("no account: %s", r.all())
	}
	if r := runStaff(t, path, t.TempDir(), "1111\n1111\n", "config", "add-staff", "--name", "Anna"); r.code != 0 {
		t.Fatal(r.all())
	}
	r = runStaff(t, path, t.TempDir(), "", "selftest", "--camera", "none")
	if flat := strings.Join(strings.Fields(r.out), " "); !strings.Contains(flat, "staff PIN ok - set (1 accounts)") {
		t.Errorf("one account: %s", r.all())
	}
}
