package staffauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/signet-kiosk/signet/internal/redact"
)

func TestValidName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"staff", true}, {"Anna", true}, {"Zoë Müller-Smith", true}, {"desk 2", true}, {"李", true},
		{strings.Repeat("é", MaxNameLength), true},
		{"", false}, {" anna", false}, {"anna ", false}, {"an\tna", false}, {"an\nna", false},
		{"an\u00a0na", false}, {"an\x00na", false}, {"\xff", false}, {"a\u202eb", false},
		{strings.Repeat("a", MaxNameLength+1), false},
	} {
		err := ValidName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("ValidName(%q) = %v, want ok %v", tc.name, err, tc.ok)
		}
		if err != nil && (!errors.Is(err, ErrBadName) || (tc.name != "" && strings.Contains(err.Error(), tc.name))) {
			t.Errorf("ValidName(%q): error %v does not wrap ErrBadName or quotes the name", tc.name, err)
		}
	}
}

func TestSameName(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"Anna", "anna", true}, {"ANNA", "aNnA", true}, {"k", "\u212a", true}, // Kelvin sign
		{"Straße", "STRASSE", false}, // simple folding only, as strings.EqualFold
		{"anna", "anna2", false}, {"Zoë", "ZOË", true},
	} {
		if got := SameName(tc.a, tc.b); got != tc.same || got != strings.EqualFold(tc.a, tc.b) {
			t.Errorf("SameName(%q, %q) = %v, want %v (EqualFold %v)", tc.a, tc.b, got, tc.same, strings.EqualFold(tc.a, tc.b))
		}
		if (AccountStateFile(tc.a) == AccountStateFile(tc.b)) != tc.same {
			t.Errorf("state files of %q and %q: same %v, want %v", tc.a, tc.b, !tc.same, tc.same)
		}
	}
	if f := AccountStateFile("a/../b"); strings.ContainsAny(f, `/\`) || !strings.HasPrefix(f, "staff-lockout-") {
		t.Errorf("state file name %q", f)
	}
}

// mustAccounts makes accounts name=PIN sharing one salt, as the CLI does.
func mustAccounts(t testing.TB, p Params, pairs ...string) []Account {
	t.Helper()
	var accts []Account
	for i := 0; i < len(pairs); i += 2 {
		h, err := HashFor(pairs[i+1], p, accts)
		if err != nil {
			t.Fatal(err)
		}
		a, err := NewAccount(pairs[i], h)
		if err != nil {
			t.Fatal(err)
		}
		accts = append(accts, a)
	}
	return accts
}

func TestAccountPrintsNoHash(t *testing.T) {
	a := mustAccounts(t, cheap, "Anna", "482915")[0]
	p, _ := Parse(a.Hash())
	salt := strings.Split(a.Hash(), "$")[4]
	var logs bytes.Buffer
	lg := slog.New(slog.NewJSONHandler(&logs, nil))
	lg.Info("x", "staff", a)
	lg.Info("y", a.Attr())
	lg.Info("z", slog.Any("acct", a))
	js, _ := json.Marshal(a)
	out := fmt.Sprintf("%v %+v %#v %s %q", a, a, a, a, a) + logs.String() + string(js)
	for _, secret := range []string{a.Hash(), salt, string(p.Key), "argon2id"} {
		if strings.Contains(out, secret) {
			t.Fatalf("printing an account shows its hash: %s", out)
		}
	}
	if !strings.Contains(logs.String(), `"staff":"Anna"`) || strings.Count(out, "Anna") < 8 {
		t.Errorf("the name is not what is printed: %s", out)
	}
}

func TestNewAccountRefuses(t *testing.T) {
	good, _ := HashWith("2580", cheap)
	if _, err := NewAccount(" x", good); !errors.Is(err, ErrBadName) {
		t.Errorf("bad name: %v", err)
	}
	if _, err := NewAccount("x", "$argon2id$v=19$m=1048576,t=64,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"); !errors.Is(err, ErrBadHash) {
		t.Errorf("absurd hash: %v", err)
	}
	if _, err := OpenAccountGate(AccountGateOptions{StateDir: t.TempDir(), Accounts: []Account{{Name: "x"}}}); !errors.Is(err, ErrBadHash) {
		t.Errorf("account not made by NewAccount: %v", err)
	}
	accts := mustAccounts(t, cheap, "anna", "1111", "bob", "2222")
	dup, _ := NewAccount("ANNA", accts[1].Hash())
	if _, err := OpenAccountGate(AccountGateOptions{StateDir: t.TempDir(), Accounts: append(accts, dup)}); !errors.Is(err, ErrDuplicateName) {
		t.Errorf("duplicate name: %v", err)
	}
}

// HashFor shares the salt of accounts with the same parameters, including
// a migrated single PIN hashed with its own; FindPIN finds a PIN's owner.
func TestHashForSharesSalt(t *testing.T) {
	legacyHash, _ := HashWith("482915", cheap)
	legacy, _ := NewAccount(DefaultAccountName, legacyHash)
	accts := []Account{legacy}
	for i, pin := range []string{"1111", "2222", "3333"} {
		h, err := HashFor(pin, cheap, accts)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := NewAccount(fmt.Sprint("p", i), h)
		accts = append(accts, a)
	}
	if g := groupAccounts(accts); len(g) != 1 || len(g[0].members) != 4 {
		t.Fatalf("%d groups, want one of 4", len(g))
	}
	other := Params{Memory: 128, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h, _ := HashFor("4444", other, accts)
	a, _ := NewAccount("other", h)
	if g := groupAccounts(append(accts, a)); len(g) != 2 {
		t.Errorf("other parameters: %d groups, want 2", len(g))
	}
	accts = append(accts, a)
	for pin, want := range map[string]string{"482915": DefaultAccountName, "2222": "p1", "4444": "other"} {
		got, ok := FindPIN(pin, accts)
		if !ok || got.Name != want || got.Hash() != "" {
			t.Errorf("FindPIN(%s) = %q %v, want %q", pin, got.Name, ok, want)
		}
	}
	if _, ok := FindPIN("9999", accts); ok {
		t.Error("FindPIN found an unknown PIN")
	}
	if _, ok := FindPIN("12", accts); ok {
		t.Error("FindPIN found a PIN of the wrong shape")
	}
}

func openGate(t *testing.T, dir string, clk *fakeNow, accts []Account) *AccountGate {
	t.Helper()
	g, err := OpenAccountGate(AccountGateOptions{StateDir: dir, Accounts: accts, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// noSecret fails when an error shows a PIN, a hash or a name.
func noSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			t.Fatalf("error %q shows %q", err, s)
		}
	}
}

func TestAccountGateCheck(t *testing.T) {
	dir, clk := t.TempDir(), newClock()
	accts := mustAccounts(t, cheap, "staff", "482915", "Anna", "1111", "Bob", "22222")
	g := openGate(t, dir, clk, accts)
	if !g.Configured() || g.DemoPINAccepted() || fmt.Sprint(g.Names()) != "[staff Anna Bob]" {
		t.Fatalf("configured %v, demo %v, names %v", g.Configured(), g.DemoPINAccepted(), g.Names())
	}
	secrets := []string{"482915", "1111", "22222", "Anna", "Bob", accts[0].Hash(), accts[1].Hash()}
	for pin, want := range map[string]string{"482915": "staff", "1111": "Anna", "22222": "Bob"} {
		a, err := g.Check(pin)
		if err != nil || a.Name != want || a.Hash() != "" {
			t.Errorf("Check(%s) = %q %v, want %q", pin, a.Name, err, want)
		}
	}
	// Wrong PINs, of any shape, count against the terminal only: nobody
	// can be named.
	for i := 1; i <= DefaultMaxFailures; i++ {
		a, err := g.Check([]string{"000000", "12ab", "", strings.Repeat("9", 100), "0000"}[i-1])
		noSecret(t, err, secrets...)
		want := ErrWrongPIN
		if i == DefaultMaxFailures {
			want = ErrLocked
		}
		if !errors.Is(err, want) || a.Name != "" {
			t.Fatalf("wrong PIN %d: %q %v, want %v", i, a.Name, err, want)
		}
	}
	for _, a := range accts {
		if _, _, left := g.Lockout(a.Name).Status(); left != DefaultMaxFailures {
			t.Errorf("%s: %d attempts left after wrong PINs without a name", a.Name, left)
		}
	}
	// The terminal is locked for everyone, even with a right PIN, also
	// after a restart.
	if _, err := openGate(t, dir, clk, accts).Check("1111"); !errors.Is(err, ErrLocked) || errors.Is(err, ErrAccountLocked) {
		t.Fatalf("right PIN while the terminal is locked: %v", err)
	}
	if _, err := g.CheckAs("bob", "22222"); !errors.Is(err, ErrLocked) {
		t.Fatalf("CheckAs while the terminal is locked: %v", err)
	}
	clk.Add(DefaultLockFor)
	if a, err := g.Check("22222"); err != nil || a.Name != "Bob" {
		t.Fatalf("after the lock: %q %v", a.Name, err)
	}
	if _, _, left := g.Terminal().Status(); left != DefaultMaxFailures {
		t.Errorf("a right PIN left %d attempts, want %d", left, DefaultMaxFailures)
	}
	if _, err := g.CheckAs("nobody", "1111"); !errors.Is(err, ErrNoAccount) {
		t.Errorf("CheckAs an unknown name: %v", err)
	}
	if a, err := g.CheckAs("ANNA", "1111"); err != nil || a.Name != "Anna" {
		t.Errorf("CheckAs ignoring case: %q %v", a.Name, err)
	}
	// Bob's PIN given as Anna's is wrong.
	if _, err := g.CheckAs("Anna", "22222"); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("another account's PIN: %v", err)
	}
	for _, name := range []string{"staff", "Anna", "Bob"} {
		b, _ := os.ReadFile(filepath.Join(dir, AccountStateFile(name)))
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("lockout state of %s holds %q: %s", name, s, b)
			}
		}
	}
}

// Wrong PINs given with a name count against that account, and a right
// PIN of someone else (which resets the terminal) does not reset them.
// Each account's locks escalate on their own and survive a restart.
func TestAccountGatePerAccountLockout(t *testing.T) {
	dir, clk := t.TempDir(), newClock()
	accts := mustAccounts(t, cheap, "Anna", "1111", "Bob", "2222")
	open := func() *AccountGate { return openGate(t, dir, clk, accts) }
	// lockAnna gives four wrong PINs as Anna, lets Bob in (the terminal's
	// count starts again), then one more: Anna is locked, the terminal
	// and Bob are not.
	lockAnna := func(round int) time.Duration {
		t.Helper()
		for i := 1; i < DefaultMaxFailures; i++ {
			if _, err := open().CheckAs("anna", "9999"); !errors.Is(err, ErrWrongPIN) {
				t.Fatalf("round %d, wrong PIN %d: %v", round, i, err)
			}
		}
		if a, err := open().Check("2222"); err != nil || a.Name != "Bob" {
			t.Fatalf("round %d: Bob: %q %v", round, a.Name, err)
		}
		g := open()
		if _, err := g.CheckAs("Anna", "9999"); !errors.Is(err, ErrAccountLocked) || !errors.Is(err, ErrLocked) {
			t.Fatalf("round %d, fifth wrong PIN for Anna: %v, want ErrAccountLocked", round, err)
		}
		if locked, _, left := g.Terminal().Status(); locked || left != DefaultMaxFailures-1 {
			t.Fatalf("round %d: terminal locked %v, %d left", round, locked, left)
		}
		locked, left, _ := g.Lockout("anna").Status()
		if !locked {
			t.Fatalf("round %d: Anna not locked", round)
		}
		return left
	}
	for round, want := range []time.Duration{5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour} {
		if got := lockAnna(round + 1); got != want {
			t.Fatalf("lock %d of Anna lasts %v, want %v", round+1, got, want)
		}
		g := open() // a restart keeps it
		// Anna's right PIN is refused, with or without her name; Bob gets in.
		if _, err := g.Check("1111"); !errors.Is(err, ErrAccountLocked) {
			t.Fatalf("Anna's PIN while she is locked: %v", err)
		}
		if _, err := g.CheckAs("Anna", "1111"); !errors.Is(err, ErrAccountLocked) {
			t.Fatalf("Anna's PIN with her name while she is locked: %v", err)
		}
		if a, err := g.CheckAs("Bob", "2222"); err != nil || a.Name != "Bob" {
			t.Fatalf("Bob while Anna is locked: %q %v", a.Name, err)
		}
		if st, err := ReadLockStatus(dir, "ANNA", clk.Now()); err != nil || !st.Locked || st.Left != want || st.Locks != round+1 {
			t.Fatalf("ReadLockStatus: %+v %v", st, err)
		}
		clk.Add(want - time.Second)
		if _, err := open().Check("1111"); !errors.Is(err, ErrAccountLocked) {
			t.Fatalf("1s before the end of lock %d: %v", round+1, err)
		}
		clk.Add(time.Second)
	}
	// After a lock ends, a right PIN starts Anna's count again.
	if a, err := open().Check("1111"); err != nil || a.Name != "Anna" {
		t.Fatalf("Anna after her lock: %q %v", a.Name, err)
	}
	if got := lockAnna(9); got != 5*time.Minute {
		t.Errorf("after a right PIN Anna's lock lasts %v, want 5m", got)
	}
}

func TestAccountGateNoAccountAndDemo(t *testing.T) {
	dir, clk := t.TempDir(), newClock()
	g := openGate(t, dir, clk, nil)
	if _, err := g.Check(DemoPIN); !errors.Is(err, ErrNoPIN) || g.Configured() {
		t.Errorf("no account, not demo: %v", err)
	}
	if _, err := g.CheckAs("staff", DemoPIN); !errors.Is(err, ErrNoPIN) {
		t.Errorf("CheckAs, no account: %v", err)
	}
	g, _ = OpenAccountGate(AccountGateOptions{StateDir: dir, Demo: true, Now: clk.Now})
	if a, err := g.Check(DemoPIN); err != nil || a.Name != DemoAccountName || !g.DemoPINAccepted() {
		t.Errorf("demo PIN: %q %v", a.Name, err)
	}
	if a, err := g.CheckAs("Demo", DemoPIN); err != nil || a.Name != DemoAccountName {
		t.Errorf("demo PIN as demo: %q %v", a.Name, err)
	}
	if _, err := g.Check("1234"); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("demo, wrong PIN: %v", err)
	}
	// An account wins over the demo PIN.
	g, _ = OpenAccountGate(AccountGateOptions{StateDir: dir, Demo: true, Now: clk.Now,
		Accounts: mustAccounts(t, cheap, "Anna", "9999")})
	if _, err := g.Check(DemoPIN); !errors.Is(err, ErrWrongPIN) || g.DemoPINAccepted() {
		t.Errorf("account set, demo PIN: %v", err)
	}
	g, err := OpenAccountGate(AccountGateOptions{})
	if err == nil || g.Configured() {
		t.Errorf("no state directory: %v, configured %v", err, g.Configured())
	}
}

// ReadLockStatus reports without writing, so list-staff run as root
// leaves the kiosk's files as they were.
func TestReadLockStatusWritesNothing(t *testing.T) {
	dir, clk := t.TempDir(), newClock()
	l, _ := OpenAccountLockout(dir, "Anna", clk.Now)
	for range DefaultMaxFailures {
		l.Fail()
	}
	path := filepath.Join(dir, AccountStateFile("Anna"))
	before, _ := os.ReadFile(path)
	clk.Add(DefaultLockFor + time.Minute) // the lock has ended; Status would rewrite
	st, err := ReadLockStatus(dir, "anna", clk.Now())
	if err != nil || st.Locked || st.Locks != 1 || st.Failures != 0 {
		t.Errorf("after the lock: %+v %v", st, err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Errorf("ReadLockStatus rewrote the file:\n%s\n%s", before, after)
	}
	if st, err := ReadLockStatus(dir, "Bob", clk.Now()); err != nil || st != (LockStatus{}) {
		t.Errorf("no file: %+v %v", st, err)
	}
	os.WriteFile(path, []byte("{garbage"), 0o600)
	if _, err := ReadLockStatus(dir, "Anna", clk.Now()); err == nil {
		t.Error("garbage state: no error")
	}
	if err := RemoveAccountLockout(dir, "ANNA"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state file still there: %v", err)
	}
	if err := RemoveAccountLockout(dir, "Anna"); err != nil {
		t.Errorf("removing twice: %v", err)
	}
}

// FuzzAccountName: any bytes as a name are refused or make an account
// whose name is printable, bounded and has a safe state file.
func FuzzAccountName(f *testing.F) {
	h, _ := HashWith("2580", cheap)
	for _, s := range []string{"staff", "Zoë", " a", "a\x00", "\xff\xfe", "\u212a", strings.Repeat("x", 41), "../../etc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		a, err := NewAccount(name, h)
		file := AccountStateFile(name)
		if !strings.HasPrefix(file, "staff-lockout-") || strings.ContainsAny(file, `/\`) || len(file) != len("staff-lockout-")+16+len(".json") {
			t.Fatalf("state file %q", file)
		}
		if SameName(name, foldName(name)) != true || foldName(foldName(name)) != foldName(name) {
			t.Fatalf("folding %q is not stable", name)
		}
		if err != nil {
			if !errors.Is(err, ErrBadName) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if n := utf8.RuneCountInString(a.Name); n < 1 || n > MaxNameLength || !utf8.ValidString(a.Name) {
			t.Fatalf("accepted %q", name)
		}
		for _, r := range a.Name {
			if !unicode.IsPrint(r) {
				t.Fatalf("accepted %q with %U", name, r)
			}
		}
	})
}

// FuzzLockState: any bytes in a lockout file open (failing closed when
// unreadable) and read back the same through both readers, never a panic.
func FuzzLockState(f *testing.F) {
	f.Add([]byte(`{"failures":3}`))
	f.Add([]byte(`{"failures":5,"locks":2,"locked_until":"2026-11-23T20:10:00Z"}`))
	f.Add([]byte(`{"failures":-1}`))
	f.Add([]byte(`{"locked_until":"9999-12-31T23:59:59Z","locks":99999999999}`))
	f.Add([]byte("{garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		clk := newClock()
		os.WriteFile(filepath.Join(dir, AccountStateFile("x")), b, 0o600)
		st, rerr := ReadLockStatus(dir, "x", clk.Now())
		l, err := OpenAccountLockout(dir, "x", clk.Now)
		if err != nil {
			t.Fatal(err)
		}
		locked, left, _ := l.Status()
		if rerr == nil && (st.Locked != locked || st.Left != left) {
			t.Fatalf("ReadLockStatus %+v, Status %v %v", st, locked, left)
		}
		if rerr != nil && !locked {
			t.Fatal("an unreadable state did not lock")
		}
		if left < 0 || left > 4*time.Hour {
			t.Fatalf("lock of %v", left)
		}
	})
}

// BenchmarkAccountGateCheck: a PIN typed at the kiosk against 1 and 20
// accounts with the real parameters. Accounts made by the CLI share one
// salt, so 20 cost what one does; "20-own-salts" is what 20 separately
// salted hashes would cost per attempt.
func BenchmarkAccountGateCheck(b *testing.B) {
	mk := func(n int, shared bool) []Account {
		var accts []Account
		for i := range n {
			pin := fmt.Sprintf("%06d", 100000+i)
			var h string
			var err error
			if shared {
				h, err = HashFor(pin, DefaultParams, accts)
			} else {
				h, err = HashWith(pin, DefaultParams)
			}
			if err != nil {
				b.Fatal(err)
			}
			a, _ := NewAccount(fmt.Sprint("staff", i), h)
			accts = append(accts, a)
		}
		return accts
	}
	for _, bc := range []struct {
		name   string
		n      int
		shared bool
	}{{"accounts=1", 1, true}, {"accounts=20", 20, true}, {"accounts=20-own-salts", 20, false}} {
		b.Run(bc.name, func(b *testing.B) {
			g, err := OpenAccountGate(AccountGateOptions{StateDir: b.TempDir(), Accounts: mk(bc.n, bc.shared)})
			if err != nil {
				b.Fatal(err)
			}
			pin := fmt.Sprintf("%06d", 100000+bc.n-1) // the last account's
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.Check(pin); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The account's log attribute passes Signet's redacting logger as the
// name (its key is not one the logger blanks), and the hash never does.
func TestAccountAttrThroughRedactingLogger(t *testing.T) {
	a := mustAccounts(t, cheap, "Anna", "482915")[0]
	var buf bytes.Buffer
	lg := redact.NewLogger(&buf, "info", "json")
	lg.Info("identity document updated", a.Attr())
	lg.Info("identity document updated", slog.Any(LogKey, a))
	if strings.Count(buf.String(), `"staff":"Anna"`) != 2 {
		t.Errorf("log lines do not name the account:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), "argon2id") || strings.Contains(buf.String(), "482915") {
		t.Errorf("log shows the hash or PIN:\n%s", buf.String())
	}
}
