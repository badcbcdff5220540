package flow

import (
	"context"
	"sync"
	"testing"
	"time"
)

// A result is handed back and the screen redrawn; a result that comes
// after Drop is handed over but not run.
func TestJobs(t *testing.T) {
	var mu sync.Mutex // the UI goroutine, as the app's tests hold it
	redraws, handoffs := 0, 0
	j := &Jobs{Changed: func() { redraws++ }}
	j.Do = func(f func()) { mu.Lock(); defer mu.Unlock(); handoffs++; f() }
	got := make(chan string, 2)
	release := make(chan struct{})

	mu.Lock()
	j.Go(context.Background(), func(context.Context) func() {
		<-release
		return func() { got <- "first" }
	})
	if !j.Busy() || redraws != 1 {
		t.Fatalf("busy %v, %d redraws after Go", j.Busy(), redraws)
	}
	j.Drop()
	if j.Busy() {
		t.Error("busy after Drop")
	}
	j.Go(context.Background(), func(context.Context) func() { return func() { got <- "second" } })
	mu.Unlock()
	if s := <-got; s != "second" {
		t.Fatalf("got %q", s)
	}
	close(release)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		mu.Lock()
		n := handoffs
		mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dropped job was never handed over")
		}
	}
	mu.Lock()
	defer mu.Unlock()
	select {
	case s := <-got:
		t.Errorf("a dropped job's result ran: %q", s)
	default:
	}
	if j.Busy() || redraws != 3 {
		t.Errorf("busy %v, %d redraws after every job ended; want 3 (two starts, one result)", j.Busy(), redraws)
	}
}
