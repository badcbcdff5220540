package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

const bobPIN = "731904"

// staffAccounts are two people with their own PINs: "Morning Desk" has
// testPIN, "Bob" bobPIN.
func staffAccounts(t *testing.T) []config.StaffAccount {
	return []config.StaffAccount{
		{Name: "Morning Desk", PINHash: redact.Secret(hashOf(t, testPIN))},
		{Name: "Bob", PINHash: redact.Secret(hashOf(t, bobPIN))},
	}
}

// Issue 20: each person's PIN opens the kiosk's console as them, the log
// names them (never the PIN); a locked account says so in the staff's
// language; the logins are counted.
func TestStaffAccountsAtTheKiosk(t *testing.T) {
	dir, clock := t.TempDir(), newWallClock()
	// Bob's account is locked already (five wrong PINs at a desk).
	l, err := staffauth.OpenAccountLockout(dir, "Bob", clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	for range staffauth.DefaultMaxFailures {
		l.Fail()
	}
	counts := &appLogins{Recorder: metrics.Nop, n: map[string]int{}}
	r := newStaffRig(t, rigOptions{accounts: staffAccounts(t), stateDir: dir, clock: clock,
		deps: func(d *StaffDeps) { d.Metrics = counts }})
	k := r.k
	onUI(k, func() { k.SetLanguage("de") })
	tapNth(t, k, "Personal", 0, false)
	typeDE := func(pin string) {
		for _, d := range pin {
			tapNth(t, k, string(d), 0, false)
		}
		tapNth(t, k, "Entsperren", 0, false)
		waitStaff(t, k, "the PIN check", func(c *staffView) bool { return !c.s.Checking })
	}
	typeDE(bobPIN)
	if staffOf(k).s.Open || !shows(k, "Zu viele falsche PINs für dieses Konto") {
		t.Fatal("Bob's locked account opened, or is not said to be locked in German")
	}
	typeDE(testPIN)
	waitStaff(t, k, "the morning desk's session", func(c *staffView) bool { return c.s.Open && c.s.Account.Name == "Morning Desk" })
	log := r.log.String()
	if !strings.Contains(lineOf(log, "staff console unlocked"), `staff="Morning Desk"`) {
		t.Errorf("the unlock does not name the morning desk:\n%s", log)
	}
	if strings.Contains(log, testPIN) || strings.Contains(log, bobPIN) {
		t.Error("a PIN reached the log")
	}
	if counts.get("locked") != 1 || counts.get("success") != 1 {
		t.Errorf("logins counted %v", counts.n)
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

type appLogins struct {
	metrics.Recorder
	n map[string]int // written on the UI goroutine, read after waitStaff
}

func (a *appLogins) StaffLogin(result string) { a.n[result]++ }
func (a *appLogins) get(result string) (n int) {
	onUI(nil, func() { n = a.n[result] })
	return n
}

// The health screen shows the last capture attempts' scores and which
// languages see the agreement in English for want of their own text.
func TestStaffHealthCapturesAndAgreement(t *testing.T) {
	terms := t.TempDir()
	if err := os.WriteFile(filepath.Join(terms, "en.md"), []byte("# Agreement\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(terms, "fr.md"), []byte("# Contrat\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 3, 9, 41, 7, 0, time.UTC)
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN),
		configure: func(c *config.Config) { c.Kiosk.TermsDir = terms },
		deps: func(d *StaffDeps) {
			d.Captures = func() []metrics.Capture {
				return []metrics.Capture{{Time: at, Side: "front", Result: "accepted", Scores: metrics.Scores{Sharpness: 312, Glare: 0.25, Framing: 0.82}}}
			}
		}})
	k := r.k
	unlock(t, k, testPIN)
	tapNth(t, k, "Health", 0, false)
	if !shows(k, "09:41:07 front accepted      312  0.25  0.82") {
		t.Error("the health screen lacks the capture's scores")
	}
	if !shows(k, "no text in es, de, nl: guests see English (add es.md, de.md, nl.md to "+terms+")") {
		t.Error("the health screen does not say which languages fall back to English")
	}
}
