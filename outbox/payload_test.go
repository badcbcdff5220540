package outbox

import (
	"context"
	"errors"
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
	sig := SignaturePayload{BookingID: "b1", PNG: []byte("\x89PNG...")}
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
