package flow_test

import (
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
)

func TestStaffCallExpiresAfterWait(t *testing.T) {
	c := &flowtest.Clock{}
	call := flow.NewStaffCall(c, 10*time.Minute)
	expired := 0
	call.OnExpire = func() { expired++ }
	if !call.Start() || call.Start() {
		t.Fatal("Start: want true, then false while waiting")
	}
	since, ok := call.Waiting()
	if !ok || !since.Equal(c.Now()) {
		t.Fatalf("waiting %v since %v", ok, since)
	}
	c.Advance(10*time.Minute - time.Second)
	if expired != 0 {
		t.Fatal("expired before the wait")
	}
	c.Advance(time.Second)
	if _, ok := call.Waiting(); expired != 1 || ok {
		t.Fatalf("after the wait: expired %d, waiting %v", expired, ok)
	}
	if _, ok := call.End(); ok {
		t.Error("End after expiry reports a call")
	}
}

func TestStaffCallEnded(t *testing.T) {
	c := &flowtest.Clock{}
	call := flow.NewStaffCall(c, 0) // the default wait
	expired := 0
	call.OnExpire = func() { expired++ }
	call.Start()
	c.Advance(3 * time.Minute)
	waited, ok := call.End()
	if !ok || waited != 3*time.Minute {
		t.Fatalf("End: %v %v", waited, ok)
	}
	c.Advance(time.Hour)
	if expired != 0 {
		t.Error("an ended call expired")
	}
	// A new call waits its own full time.
	call.Start()
	c.Advance(flow.DefaultStaffWait - time.Second)
	if expired != 0 {
		t.Fatal("a second call expired early")
	}
	c.Advance(time.Second)
	if expired != 1 {
		t.Errorf("second call expired %d times", expired)
	}
}
