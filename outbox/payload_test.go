package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/signet-kiosk/signet/client/mews"
)

func TestEnqueueKinds(t *testing.T) {
	got := make(chan any, 3)
	router := Router{
		KindSignature: DeliverFunc(func(ctx context.Context, it Item) error {
			var p SignaturePayload
			err := decodePayload(it, &p)
			got <- p
			return err
		}),
		KindIdentityDocument: DeliverFunc(func(ctx context.Context, it Item) error {
			var p IdentityDocumentPayload
			err := decodePayload(it, &p)
			got <- p
			return err
		}),
		KindMewsIdentityDocument: DeliverFunc(func(ctx context.Context, it Item) error {
			var p MewsIdentityDocumentPayload
			err := decodePayload(it, &p)
			got <- p
			return err
		}),
	}
	h := newHarness(t, nil, func(o *Options) { o.Deliverer = router })
	ctx := context.Background()
	sig := SignaturePayload{BookingID: "b1", PNG: []byte("\x89PNG..."),
		AgreementSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	doc := IdentityDocumentPayload{BookingID: "b1", TypeID: "t1", Filename: "front.jpg", ContentType: "image/jpeg", Image: []byte{0xff, 0xd8}}
	md := MewsIdentityDocumentPayload{Add: &mews.Document{CustomerID: "c1", Type: mews.Passport, Number: "X1"}}
	if _, err := h.o.EnqueueSignature(ctx, sig); err != nil {
		t.Fatal(err)
	}
	if _, err := h.o.EnqueueIdentityDocument(ctx, doc); err != nil {
		t.Fatal(err)
	}
	if _, err := h.o.EnqueueMewsDocument(ctx, md); err != nil {
		t.Fatal(err)
	}
	h.o.Start()
	want := map[string]any{"sig": sig, "doc": doc, "mews": md}
	for range 3 {
		switch p := (<-got).(type) {
		case SignaturePayload:
			if d := cmp.Diff(want["sig"], p); d != "" {
				t.Errorf("signature (-want +got):\n%s", d)
			}
		case IdentityDocumentPayload:
			if d := cmp.Diff(want["doc"], p); d != "" {
				t.Errorf("document (-want +got):\n%s", d)
			}
		case MewsIdentityDocumentPayload:
			if p.Add == nil || p.Add.Number != "X1" || p.Update != nil {
				t.Errorf("mews payload = %+v", p)
			}
		}
	}

	bad := []func() error{
		func() error { _, err := h.o.EnqueueSignature(ctx, SignaturePayload{BookingID: "b1"}); return err },
		func() error {
			_, err := h.o.EnqueueIdentityDocument(ctx, IdentityDocumentPayload{Image: []byte{1}})
			return err
		},
		func() error { _, err := h.o.EnqueueMewsDocument(ctx, MewsIdentityDocumentPayload{}); return err },
		func() error {
			d := mews.Document{CustomerID: "c", Type: "Passport", Number: "P1"}
			_, err := h.o.EnqueueMewsDocument(ctx, MewsIdentityDocumentPayload{Add: &d, Upsert: &d})
			return err
		},
	}
	for i, f := range bad {
		if err := f(); !errors.Is(err, ErrBadPayload) {
			t.Errorf("bad payload %d: %v", i, err)
		}
	}
}

func TestRouterClassify(t *testing.T) {
	perm := DeliverFunc(func(context.Context, Item) error { return &permanentError{code: "NOPE", err: errors.New("no")} })
	r := Router{"a": perm, "b": MewsDeliverer{}}
	err := r.Deliver(context.Background(), Item{Kind: "a"})
	if v := r.Classify(err); v.Class != Permanent || v.Code != "NOPE" {
		t.Errorf("route a: %+v", v)
	}
	err = r.Deliver(context.Background(), Item{Kind: "b", Payload: []byte("{}")})
	if v := r.Classify(err); v.Class != Permanent || v.Code != "bad_payload" {
		t.Errorf("route b: %+v", v)
	}
	err = r.Deliver(context.Background(), Item{Kind: "zzz"})
	if v := r.Classify(err); v.Class != Permanent || v.Code != "unknown_kind" {
		t.Errorf("unknown: %+v", v)
	}
}

// TestSignatureWithoutAgreement: a signature queued before items carried
// the agreement's digest (its JSON has no agreement_sha256) still decodes,
// with an empty digest, and one with it keeps it.
func TestSignatureWithoutAgreement(t *testing.T) {
	got := make(chan SignaturePayload, 2)
	router := Router{KindSignature: DeliverFunc(func(ctx context.Context, it Item) error {
		var p SignaturePayload
		err := decodePayload(it, &p)
		got <- p
		return err
	})}
	h := newHarness(t, nil, func(o *Options) { o.Deliverer = router })
	ctx := context.Background()
	old := []byte(`{"booking_id":"b1","png":"iVBORw=="}`)
	if _, err := h.o.Enqueue(ctx, KindSignature, old); err != nil {
		t.Fatal(err)
	}
	h.o.Start()
	p := <-got
	if p.BookingID != "b1" || string(p.PNG) != "\x89PNG" || p.AgreementSHA256 != "" {
		t.Errorf("old item read as %+v", p)
	}
	b, err := json.Marshal(SignaturePayload{BookingID: "b1", PNG: []byte{1}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "agreement") {
		t.Errorf("an item without a digest is written with the field: %s", b)
	}
}
