package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/outbox"
)

// TestStaffHealthShowsNeedsStaff queues a Mews record whose customer
// cannot be chosen, through the kiosk's own flow.OutboxQueue into a real,
// encrypted outbox delivering to the simulated Mews: it is parked with a
// needs_staff code, and the health screen says so, in every language,
// within the screen.
func TestStaffHealthShowsNeedsStaff(t *testing.T) {
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN)})
	key, err := outbox.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	dead := make(chan outbox.Event, 4)
	ob, err := outbox.Open(t.TempDir(), outbox.Options{Key: key,
		Deliverer: outbox.Router{outbox.KindMewsNeedsStaff: outbox.MewsDeliverer{Client: r.mc}},
		OnEvent: func(ev outbox.Event) {
			if ev.Type == outbox.Dead {
				dead <- ev
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ob.Close() })
	ob.Start()
	anna := demodata.People[0]
	err = flow.OutboxQueue{Outbox: ob}.Enqueue(context.Background(), flow.Pending{Part: flow.PartMewsStaff, BookingID: anna.BookingID,
		Details: flow.Details{Type: "IdentityCard", Number: demodata.CardNumber,
			Holder: flow.Holder{Surname: "ERIKSSON", GivenNames: "ANNA MARIA", BirthDate: "1999-01-01"}},
		Person: flow.Person{Names: []flow.Name{{First: "ANNA MARIA", Last: "ERIKSSON"}}, BirthDate: "1999-01-01"},
		Tried:  "booking has no e-mail"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-dead:
		if ev.Kind != outbox.KindMewsNeedsStaff || ev.Code != outbox.CodeNeedsStaffNoCustomer {
			t.Fatalf("dead event %+v", ev)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the record was not parked for staff")
	}
	k := r.k
	c := staffOf(k)
	max := fyne.NewSize(1280, 800)
	for _, lang := range []string{"en", "fr", "es", "de", "nl"} {
		onUI(k, func() {
			k.opts.Staff.Outbox = ob
			k.tr.SetLanguage(lang)
			c.s.Open = true
			c.s.Health = staff.NewHealth(staff.Probe{Done: true, Err: errors.New("x")}, staff.Probe{Done: true, Err: errors.New("y")})
			if got := c.healthScreen().MinSize(); got.Width > max.Width || got.Height > max.Height {
				t.Errorf("%s health screen needs %v, more than %v", lang, got, max)
			}
			c.redraw()
		})
		want := strings.SplitN(k.tr.T("staff.health.needs_staff", "n", 1), ":", 2)[0]
		if !shows(k, want) {
			t.Errorf("%s: health screen lacks %q", lang, want)
		}
	}
	onUI(k, func() { c.s.StopHealth(); c.s.Open = false })
	if files := ob.Stats().Dead; len(files) != 1 || !outbox.NeedsStaff(files[0].Code) {
		t.Errorf("dead items %+v", files)
	}
}
