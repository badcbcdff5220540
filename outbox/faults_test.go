package outbox

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// The fault suite runs the outbox against the simulator of both APIs while
// the simulator (and faultProxy in front of it) misbehaves, and checks that
// every item ends delivered exactly once to the simulator's store, or dead
// when the simulator refuses it for good; none is lost.

// uniquePNG is an image no other item of the run has: its size encodes n.
func uniquePNG(t testing.TB, n int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 16+n, 8))
	img.Set(n%16, 3, color.NRGBA{A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// faultItems is what one run enqueues.
type faultItems struct {
	sigs   map[string][]byte // item id -> PNG
	docs   map[string][]byte // item id -> image
	mews   map[string]string // item id -> document number
	refuse map[string]string // item id -> the dead code it must end with
}

func (f *faultItems) total() int { return len(f.sigs) + len(f.docs) + len(f.mews) + len(f.refuse) }

func enqueueFaultItems(t *testing.T, o *Outbox, n int) *faultItems {
	t.Helper()
	ctx := context.Background()
	f := &faultItems{sigs: map[string][]byte{}, docs: map[string][]byte{}, mews: map[string]string{}, refuse: map[string]string{}}
	must := func(id string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	for i := 0; i < n; i++ {
		p := demodata.People[i%len(demodata.People)]
		png := uniquePNG(t, i)
		f.sigs[must(o.EnqueueSignature(ctx, SignaturePayload{BookingID: p.BookingID, PNG: png}))] = png
		img := uniquePNG(t, 1000+i)
		f.docs[must(o.EnqueueIdentityDocument(ctx, IdentityDocumentPayload{BookingID: p.BookingID,
			TypeID: demodata.DocumentTypes[i%len(demodata.DocumentTypes)].ID, Filename: "front.png", ContentType: "image/png", Image: img}))] = img
		number := fmt.Sprintf("FS%07d", i)
		f.mews[must(o.EnqueueMewsDocument(ctx, MewsIdentityDocumentPayload{Add: &mews.Document{
			CustomerID: p.MewsCustomerID, Type: mews.Passport, Number: number, IssuingCountryCode: "SE"}}))] = number
	}
	// Refused for good: a booking StoRegister does not know, and a Mews
	// document without the number the enterprise requires.
	f.refuse[must(o.EnqueueSignature(ctx, SignaturePayload{BookingID: "00000000-0000-4000-8000-000000000000", PNG: uniquePNG(t, 5000)}))] = "NO_RECORDS_FOUND"
	f.refuse[must(o.EnqueueMewsDocument(ctx, MewsIdentityDocumentPayload{Add: &mews.Document{
		CustomerID: demodata.People[0].MewsCustomerID, Type: mews.IdentityCard}}))] = "mews_403"
	return f
}

func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("talks to the simulator for several seconds")
	}
	tests := []struct {
		name   string
		faults sim.Faults
		// cutEvery cuts every n-th upload halfway (faultProxy), up to 12 times.
		cutEvery int
		// loseAdds loses the answers to that many Mews adds (faultProxy).
		loseAdds int
		// lift clears the simulator's faults once this many attempts timed out.
		lift int
		// lateWrites: the simulator may still store a request whose client
		// has given up (its latency comes before it reads the body, so it
		// cannot see the client leave). StoRegister has no idempotency key
		// and no way to list uploads, so a second copy is then allowed,
		// counted and reported; Mews must still hold exactly one.
		lateWrites bool
	}{
		{name: "429 storm", faults: sim.Faults{RateLimitRate: 1, RetryAfter: time.Second, Limit: 3}},
		{name: "429 storm with Retry-After as a date", faults: sim.Faults{RateLimitRate: 1, RetryAfter: 2 * time.Second, RetryAfterDate: true, Limit: 2}},
		{name: "500s", faults: sim.Faults{ErrorRate: 0.5, Limit: 30}},
		{name: "latency beyond the deadline", faults: sim.Faults{Latency: 2 * time.Second}, lift: 3, lateWrites: true},
		{name: "dropped connections", faults: sim.Faults{DropRate: 0.3, Limit: 15}, cutEvery: 3},
		{name: "Mews answers lost after the add", loseAdds: 5},
		{name: "succeeded false", faults: sim.Faults{FailRate: 0.5, FailCode: "SOMETHING_WENT_WRONG", Limit: 20}},
		{name: "everything at once", faults: sim.Faults{DropRate: 0.1, ErrorRate: 0.1, RateLimitRate: 0.03,
			RetryAfter: time.Second, FailRate: 0.1, FailCode: "FAILED", Limit: 30}, cutEvery: 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := sim.New(sim.WithSeed(7))
			proxy := &faultProxy{next: s.Handler(), cutEvery: tc.cutEvery, cutLimit: 12, loseAdds: tc.loseAdds}
			ts := httptest.NewServer(proxy)
			defer ts.Close()
			once := storegister.WithRetry(&retry.Policy{MaxAttempts: 1})
			sto, err := storegister.NewClient(ts.URL+sim.StoRegisterPrefix, demodata.StoRegisterAPIKey, once)
			if err != nil {
				t.Fatal(err)
			}
			mc, err := mews.NewClient(ts.URL, demodata.MewsClientToken, demodata.MewsAccessToken, "Signet test",
				mews.WithRetryPolicy(&retry.Policy{MaxAttempts: 1}))
			if err != nil {
				t.Fatal(err)
			}
			router := NewRouter(sto, mc)

			var settled, timeouts atomic.Int64
			done := make(chan struct{})
			var total int64
			lifted := make(chan struct{})
			onEvent := func(ev Event) {
				switch ev.Type {
				case Delivered, Dead, Expired, Quarantined:
					if settled.Add(1) == atomic.LoadInt64(&total) {
						close(done)
					}
				case Retrying:
					if ev.Code == "timeout" && timeouts.Add(1) == int64(tc.lift) {
						close(lifted)
					}
				}
			}
			o, err := Open(t.TempDir(), Options{
				Key: testKey(t), Deliverer: router, OnEvent: onEvent,
				DeliverTimeout: 300 * time.Millisecond,
				Backoff:        &retry.Policy{Base: 10 * time.Millisecond, Cap: 100 * time.Millisecond},
			})
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			items := enqueueFaultItems(t, o, 8)
			atomic.StoreInt64(&total, int64(items.total()))
			s.SetFaults(tc.faults)
			o.Start()
			if tc.lift > 0 {
				select {
				case <-lifted:
				case <-time.After(20 * time.Second):
					t.Fatal("no delivery timed out")
				}
				s.SetFaults(sim.Faults{})
			}
			select {
			case <-done:
			case <-time.After(40 * time.Second):
				t.Fatalf("not settled: %+v", o.Stats())
			}
			injected := s.Injected()
			st := o.Stats()
			dups := checkFaultRun(t, s, items, st, tc.lateWrites)
			cuts, lost, limited, violations := proxy.report()
			if len(violations) > 0 {
				t.Errorf("Retry-After not honoured: %d requests came early, by %v", len(violations), violations)
			}
			if injected+cuts+lost+int(timeouts.Load()) == 0 {
				t.Error("no fault was injected: the test proves nothing")
			}
			t.Logf("%d items: %d delivered, %d dead; faults: %d from the simulator, %d uploads cut, %d answers lost, %d timeouts, %d answered 429; %d retries; %d StoRegister duplicates from late writes",
				items.total(), st.Delivered, len(st.Dead), injected, cuts, lost, timeouts.Load(), limited, st.Retries, dups)
		})
	}
}

// count is how many of items match.
func count[T any](items []T, match func(T) bool) int {
	n := 0
	for _, it := range items {
		if match(it) {
			n++
		}
	}
	return n
}

// checkFaultRun compares what the simulator stored with what was enqueued.
// With lateWrites, StoRegister may hold an item more than once; it returns
// how many extra copies it found.
func checkFaultRun(t *testing.T, s *sim.Server, items *faultItems, st Stats, lateWrites bool) (dups int) {
	t.Helper()
	stored := func(what, id string, n int) {
		t.Helper()
		switch {
		case n == 1:
		case n > 1 && lateWrites:
			dups += n - 1
		default:
			t.Errorf("%s %s stored %d times, want exactly once", what, id, n)
		}
	}
	if st.Depth != 0 {
		t.Errorf("%d items still queued", st.Depth)
	}
	sigs, docs, mdocs := s.Signatures(), s.Documents(), s.MewsDocuments()
	for id, want := range items.sigs {
		stored("signature", id, count(sigs, func(g sim.Signature) bool { return bytes.Equal(g.PNG, want) }))
	}
	for id, want := range items.docs {
		stored("document", id, count(docs, func(g sim.Document) bool { return bytes.Equal(g.Data, want) }))
	}
	for id, number := range items.mews {
		if n := count(mdocs, func(g sim.MewsDocument) bool { return g.Number == number }); n != 1 {
			t.Errorf("Mews document %s stored %d times, want exactly once", id, n)
		}
	}
	if want := len(items.sigs) + len(items.docs) + dups; len(sigs)+len(docs) != want {
		t.Errorf("StoRegister stored %d items, want %d", len(sigs)+len(docs), want)
	}
	if len(mdocs) != len(items.mews) {
		t.Errorf("Mews stored %d documents, want %d", len(mdocs), len(items.mews))
	}
	dead := map[string]string{}
	for _, d := range st.Dead {
		dead[d.ID] = d.Code
	}
	for id, code := range items.refuse {
		if dead[id] != code {
			t.Errorf("refused item %s: dead with %q, want %q", id, dead[id], code)
		}
	}
	if len(dead) != len(items.refuse) {
		t.Errorf("%d dead items, want %d: %+v", len(dead), len(items.refuse), st.Dead)
	}
	return dups
}
