package camera_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/signet-kiosk/signet/capture/camera"
)

// OnFrame is called once for each frame captured, before delivery: frames
// the consumer never takes (replaced by newer ones) are counted too.
func TestOnFrameCountsEveryCapturedFrame(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int64
	cam, err := camera.Open(ctx, "file:testdata/demo_640x360.mjpeg?fps=100", camera.Options{OnFrame: func() { n.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	var last uint64
	for range 5 {
		f := <-cam.Frames()
		last = f.Seq
		f.Release()
	}
	cam.Close()
	if got := n.Load(); got < int64(last) || got < 5 {
		t.Errorf("OnFrame called %d times; frame %d was delivered", got, last)
	}
}
