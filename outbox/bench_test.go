package outbox

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
)

// BenchmarkDrain10k drains 10,000 queued items (2 KiB each) through a
// deliverer that fails 20 % of attempts transiently, and reports the drain
// rate, the peak Go heap sampled while draining and the process's peak RSS.
// Enqueueing is timed apart (enqueue-items/s): each one is two fsyncs.
func BenchmarkDrain10k(b *testing.B) {
	const n = 10000
	payload := make([]byte, 2048)
	b.ReportAllocs()
	var drain, enq time.Duration
	var peak uint64
	var failures atomic.Int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		var delivered atomic.Int64
		done := make(chan struct{})
		d := DeliverFunc(func(ctx context.Context, it Item) error {
			if rand.IntN(5) == 0 {
				failures.Add(1)
				return &statusError{status: 503}
			}
			return nil
		})
		onEvent := func(ev Event) {
			if ev.Type == Delivered && delivered.Add(1) == n {
				close(done)
			}
		}
		o, err := Open(b.TempDir(), Options{
			Key: testKey(b), Deliverer: d, OnEvent: onEvent, MaxItems: n, Workers: 2,
			Backoff: &retry.Policy{Base: time.Millisecond, Cap: 10 * time.Millisecond},
		})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for j := 0; j < n; j++ {
			if _, err := o.Enqueue(context.Background(), "bench.item", payload); err != nil {
				b.Fatal(err)
			}
		}
		enq += time.Since(start)
		runtime.GC()
		stop := make(chan struct{})
		sampled := make(chan uint64)
		go func() {
			var ms runtime.MemStats
			var max uint64
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				runtime.ReadMemStats(&ms)
				max = maxU(max, ms.HeapAlloc)
				select {
				case <-stop:
					sampled <- max
					return
				case <-t.C:
				}
			}
		}()
		b.StartTimer()
		start = time.Now()
		o.Start()
		<-done
		drain += time.Since(start)
		b.StopTimer()
		close(stop)
		peak = maxU(peak, <-sampled)
		if s := o.Stats(); s.Depth != 0 || s.Delivered != n {
			b.Fatalf("not drained: %+v", s)
		}
		o.Close()
	}
	b.ReportMetric(float64(n*b.N)/drain.Seconds(), "items/s")
	b.ReportMetric(float64(n*b.N)/enq.Seconds(), "enqueue-items/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	if mb, ok := peakRSSMB(); ok {
		b.ReportMetric(mb, "peak-RSS-MB")
	}
	b.ReportMetric(float64(failures.Load())/float64(b.N), "failures/op")
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
