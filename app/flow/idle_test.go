package flow_test

import (
	"testing"
	"time"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/flow/flowtest"
)

func TestIdleWarnsThenExpires(t *testing.T) {
	c := &flowtest.Clock{}
	i := flow.NewIdle(c, 60*time.Second, 15*time.Second)
	var warns []int
	expired := 0
	i.OnWarn = func(n int) { warns = append(warns, n) }
	i.OnExpire = func() { expired++ }
	i.Start()
	c.Advance(59 * time.Second)
	if len(warns) != 0 {
		t.Fatalf("warned after 59 s: %v", warns)
	}
	c.Advance(time.Second)
	if len(warns) != 1 || warns[0] != 15 || !i.Warning() {
		t.Fatalf("after 60 s: %v", warns)
	}
	c.Advance(13 * time.Second)
	if expired != 0 || warns[len(warns)-1] != 2 {
		t.Fatalf("after 73 s: warns %v expired %d", warns, expired)
	}
	c.Advance(2 * time.Second)
	if expired != 1 {
		t.Fatalf("not expired at 75 s: warns %v", warns)
	}
	c.Advance(time.Hour)
	if expired != 1 {
		t.Errorf("expired %d times", expired)
	}
}

func TestIdleTouchResets(t *testing.T) {
	c := &flowtest.Clock{}
	i := flow.NewIdle(c, 60*time.Second, 15*time.Second)
	resumed, expired := 0, 0
	i.OnResume = func() { resumed++ }
	i.OnExpire = func() { expired++ }
	i.Start()
	c.Advance(50 * time.Second)
	i.Touch()
	c.Advance(50 * time.Second)
	if i.Warning() {
		t.Fatal("touch did not restart the wait")
	}
	c.Advance(15 * time.Second) // 65 s after the touch: counting down
	if !i.Warning() {
		t.Fatal("no countdown 65 s after the touch")
	}
	i.Touch()
	if resumed != 1 || i.Warning() {
		t.Fatalf("resumed %d, warning %v", resumed, i.Warning())
	}
	c.Advance(30 * time.Second)
	i.Stop()
	c.Advance(time.Hour)
	if expired != 0 {
		t.Errorf("expired after Stop")
	}
	i.Touch() // stopped: no effect
	c.Advance(time.Hour)
	if expired != 0 {
		t.Errorf("Touch re-armed a stopped watcher")
	}
}
