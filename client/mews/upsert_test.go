package mews_test

import (
	"context"
	"testing"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/demodata"
)

func TestUpsertAgainstSimulator(t *testing.T) {
	srv := sim.New()
	if _, err := srv.Start(context.Background(), "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := mews.NewClient(srv.URL(), demodata.MewsClientToken, demodata.MewsAccessToken, "test")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cust := demodata.People[2].MewsCustomerID
	exp, _ := mews.ParseDate("2031-05-30")
	d := mews.Document{CustomerID: cust, Type: mews.DocumentType("Visa"), Number: "V1234567", ExpirationDate: exp}

	first, updated, err := c.Documents.Upsert(ctx, d)
	if err != nil || updated || first.ID == "" {
		t.Fatalf("first upsert: %+v updated=%v err=%v", first, updated, err)
	}
	again, updated, err := c.Documents.Upsert(ctx, d)
	if err != nil || !updated || again.ID != first.ID {
		t.Fatalf("repeat: %+v updated=%v err=%v", again, updated, err)
	}
	d.Number = "V7654321"
	d.IssuingCountryCode = "SE"
	changed, updated, err := c.Documents.Upsert(ctx, d)
	if err != nil || !updated || changed.ID != first.ID || changed.Number != "V7654321" || changed.IssuingCountryCode != "SE" {
		t.Fatalf("update: %+v updated=%v err=%v", changed, updated, err)
	}
	all, err := c.Documents.List(ctx, mews.DocumentListOptions{CustomerIDs: []string{cust}, Types: []mews.DocumentType{"Visa"}})
	if err != nil || len(all) != 1 {
		t.Fatalf("the customer has %d visas, want 1 (err %v)", len(all), err)
	}
	if _, _, err := c.Documents.Upsert(ctx, mews.Document{Type: "Visa"}); err == nil {
		t.Error("upsert without a customer was sent")
	}
}
