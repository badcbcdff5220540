package staff

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app/flow/flowtest"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

const annaPIN, bobPIN = "482915", "731904"

func accounts(t *testing.T) []staffauth.Account {
	t.Helper()
	var out []staffauth.Account
	for name, pin := range map[string]string{"Anna Desk": annaPIN, "Bob": bobPIN} {
		a, err := staffauth.NewAccount(name, hashOf(t, pin))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func (r *rig) unlockAs(t *testing.T, name, pin string) {
	t.Helper()
	r.on(func() {
		for _, d := range pin {
			r.s.Press(string(d))
		}
		r.s.UnlockAs(name)
	})
	r.wait(t, "the PIN check", func(s *Session) bool { return !s.Checking })
}

// Each person's PIN opens the console as them; their name, never a PIN,
// is in the log of the unlock and of every Mews change; the logins are
// counted by result.
func TestAccountsNameWhoChanged(t *testing.T) {
	r := newAccountsRig(t, accounts(t), t.TempDir(), nil)
	r.unlock(t, bobPIN)
	if !r.s.Open || r.s.Account.Name != "Bob" {
		t.Fatalf("Bob's PIN: open %v as %q", r.s.Open, r.s.Account.Name)
	}
	anna := demodata.People[0]
	r.on(func() {
		r.s.Customer = &mews.Customer{ID: anna.MewsCustomerID}
		r.s.EditDocument(nil)
		f := r.s.Form
		f.Type, f.Number, f.Expiry = "Passport", "PB7654321", "2031-05-01"
		r.s.Save()
	})
	r.wait(t, "the added document", func(s *Session) bool { return !s.Busy() && s.Form == nil })
	docs, err := r.s.o.Mews.Documents.List(context.Background(), mews.DocumentListOptions{CustomerIDs: []string{anna.MewsCustomerID}})
	if err != nil || len(docs) != 1 {
		t.Fatalf("Mews holds %v, %v", docs, err)
	}
	r.on(func() { r.s.Delete(docs[0]) })
	r.wait(t, "the delete", func(s *Session) bool { return !s.Busy() })
	log := r.log.String()
	for _, line := range []string{"staff console unlocked", "staff added an identity document", "staff deleted an identity document"} {
		if !strings.Contains(log, line) || !strings.Contains(lineOf(log, line), "staff=Bob") {
			t.Errorf("%q is not logged with staff=Bob:\n%s", line, log)
		}
	}
	if strings.Contains(log, bobPIN) || strings.Contains(log, annaPIN) || strings.Contains(log, "PB7654321") {
		t.Error("a PIN or the document number reached the log")
	}
	r.on(func() { r.s.Lock("test") })
	if r.s.Account.Name != "" {
		t.Error("the account outlived the lock")
	}
	r.unlock(t, "000000")
	if r.met.count("success") != 1 || r.met.count("wrong_pin") != 1 {
		t.Errorf("logins counted %v", r.met.logins)
	}
}

func lineOf(log, containing string) string {
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, containing) {
			return l
		}
	}
	return ""
}

// Five wrong PINs for one name lock that account, not the others; the
// right PIN of the locked account is refused with its own sentence.
func TestAccountLockout(t *testing.T) {
	clock := &flowtest.Clock{}
	r := newAccountsRig(t, accounts(t), t.TempDir(), clock)
	for i := 0; i < 4; i++ {
		r.unlockAs(t, "Anna Desk", "000000")
		if r.s.Problem.Key != "staff.pin.wrong" {
			t.Fatalf("wrong PIN %d: %+v", i+1, r.s.Problem)
		}
	}
	// Bob signs in and out: the terminal's count starts again, Anna's not.
	r.unlockAs(t, "Bob", bobPIN)
	if !r.s.Open || r.s.Account.Name != "Bob" {
		t.Fatalf("Bob: open %v as %q (%+v)", r.s.Open, r.s.Account.Name, r.s.Problem)
	}
	r.on(func() { r.s.Lock("test") })
	r.unlockAs(t, "anna desk", "000000") // names ignore case
	if locked, left, _ := r.s.AccountLockout("Anna Desk"); !locked || left != 5*time.Minute {
		t.Fatalf("Anna after five wrong PINs: locked %v for %v", locked, left)
	}
	if r.s.Problem.Key != "staff.pin.account_locked" {
		t.Errorf("the locking PIN says %+v", r.s.Problem)
	}
	if locked, _, _ := r.s.Lockout(); locked {
		t.Error("the terminal is locked: Bob could not sign in")
	}
	r.unlock(t, annaPIN) // the PIN pad, right PIN, locked account
	if r.s.Open || r.s.Problem.Key != "staff.pin.account_locked" {
		t.Errorf("Anna's right PIN while locked: open %v, %+v", r.s.Open, r.s.Problem)
	}
	r.unlockAs(t, "Bob", bobPIN)
	if !r.s.Open {
		t.Fatalf("Bob is locked out by Anna's lock: %+v", r.s.Problem)
	}
	r.on(func() { r.s.Lock("test") })
	clock.Advance(5 * time.Minute)
	r.unlockAs(t, "Anna Desk", annaPIN)
	if !r.s.Open || r.s.Account.Name != "Anna Desk" {
		t.Errorf("Anna after the lock: open %v, %+v", r.s.Open, r.s.Problem)
	}
	if r.met.count("locked") != 2 {
		t.Errorf("locked entries counted %d, want 2", r.met.count("locked"))
	}
	if got := r.s.Names(); len(got) != 2 {
		t.Errorf("names %v", got)
	}
}
