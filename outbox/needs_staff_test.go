package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// TestMewsNeedsStaff runs needs-staff items through a real outbox against
// the simulated Mews: the one whose holder matches a customer exactly is
// delivered to that customer; the others are parked, encrypted, with a
// needs_staff code for the health view.
func TestMewsNeedsStaff(t *testing.T) {
	s := sim.New()
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	mc, err := mews.NewClient(srv.URL, demodata.MewsClientToken, demodata.MewsAccessToken, "Signet test",
		mews.WithRetryPolicy(&retry.Policy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, nil, func(o *Options) {
		o.Deliverer = Router{KindMewsNeedsStaff: MewsDeliverer{Client: mc}}
	})
	anna := demodata.People[0]
	birth, _ := mews.ParseDate(anna.BirthDate)
	wrong, _ := mews.ParseDate("1975-08-12")
	doc := mews.Document{CustomerID: "ignored", Type: mews.IdentityCard, Number: "D23145890", IssuingCountryCode: "SE"}
	mrz := []mews.PersonName{{FirstName: "ANNA MARIA", LastName: "ERIKSSON"}}
	enqueue := func(p mews.PersonQuery) string {
		t.Helper()
		id, err := h.o.EnqueueMewsNeedsStaff(context.Background(), MewsNeedsStaffPayload{BookingID: anna.BookingID,
			Document: doc, Person: p, Tried: "customers/getAll by e-mail: no single customer"})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	okID := enqueue(mews.PersonQuery{Names: mrz, BirthDate: birth})
	noCustomer := enqueue(mews.PersonQuery{Names: mrz, BirthDate: wrong})
	noIdentity := enqueue(mews.PersonQuery{})
	h.o.Start()
	delivered := h.ev.wait(t, Delivered)
	deadCodes := map[string]string{}
	for i := 0; i < 2; i++ {
		ev := h.ev.wait(t, Dead)
		deadCodes[ev.ID] = ev.Code
	}
	if delivered.ID != okID {
		t.Errorf("delivered %s, want %s", delivered.ID, okID)
	}
	if deadCodes[noCustomer] != CodeNeedsStaffNoCustomer || deadCodes[noIdentity] != CodeNeedsStaffNoIdentity {
		t.Errorf("dead codes %v", deadCodes)
	}
	var found int
	for _, d := range s.MewsDocuments() {
		if d.Number == "D23145890" {
			found++
			if d.CustomerID != anna.MewsCustomerID {
				t.Errorf("document went to customer %s, want %s", d.CustomerID, anna.MewsCustomerID)
			}
		}
	}
	if found != 1 {
		t.Errorf("%d documents in Mews, want 1: %+v", found, s.MewsDocuments())
	}
	st := h.o.Stats()
	if len(st.Dead) != 2 {
		t.Fatalf("dead %+v", st.Dead)
	}
	for _, d := range st.Dead {
		if d.Kind != KindMewsNeedsStaff || !NeedsStaff(d.Code) {
			t.Errorf("dead item %+v", d)
		}
	}
	// Parked items are sealed like every item: nothing personal in clear.
	err = filepath.WalkDir(h.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, v := range []string{"ERIKSSON", "D23145890", anna.BookingID} {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%q in clear in %s", v, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if NeedsStaff("mews_403") || !NeedsStaff(CodeNeedsStaffAmbiguous) {
		t.Error("NeedsStaff")
	}
}

func TestMewsNeedsStaffPayloadChecks(t *testing.T) {
	h := newHarness(t, nil, nil)
	if _, err := h.o.EnqueueMewsNeedsStaff(context.Background(), MewsNeedsStaffPayload{}); err == nil {
		t.Error("a record without a document type was queued")
	}
	d := MewsDeliverer{}
	raw, _ := json.Marshal(MewsNeedsStaffPayload{})
	err := d.Deliver(context.Background(), Item{ID: "x", Kind: KindMewsNeedsStaff, Payload: raw})
	if v := d.Classify(err); v.Class != Permanent || v.Code != "bad_payload" {
		t.Errorf("verdict %+v for %v", v, err)
	}
	err = d.Deliver(context.Background(), Item{ID: "x", Kind: KindMewsNeedsStaff, Payload: []byte("ERIKSSON {")})
	if v := d.Classify(err); v.Class != Permanent || v.Code != "bad_payload" || bytes.Contains([]byte(err.Error()), []byte("ERIKSSON")) {
		t.Errorf("verdict %+v for %v", v, err)
	}
}
