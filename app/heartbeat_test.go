package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestUIScheduleRunsOnTheUIThread(t *testing.T) {
	test.NewTempApp(t)
	ran := make(chan struct{})
	UISchedule(func() { close(ran) })
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the scheduled tick never ran")
	}
}
