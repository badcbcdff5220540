package camera

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/blackjack/webcam"

	"github.com/signet-kiosk/signet/capture/frame"
)

// step is what the fake device does on the next WaitForFrame/GetFrame.
type step int

const (
	stepFrame   step = iota // a frame whose luma is the step's value
	stepEAGAIN              // poll says ready, dequeue says EAGAIN
	stepTimeout             // WaitForFrame times out
	stepENODEV              // unplugged: dequeue fails with ENODEV
)

type action struct {
	kind step
	y    byte // luma of the frame
}

// fakeDevice behaves like *webcam.Webcam over a scripted driver: buffers
// are poisoned when re-queued or unmapped, so a frame that aliased one
// would change (and -race would see the write).
type fakeDevice struct {
	t       *testing.T
	formats map[webcam.PixelFormat]string
	sizes   map[webcam.PixelFormat][]webcam.FrameSize
	fps     uint32
	script  chan action

	busy      atomic.Int32
	mu        sync.Mutex
	w, h      uint32
	pixel     webcam.PixelFormat
	bufCount  uint32
	bufs      [][]byte
	queued    []bool
	streaming bool
	closed    bool
	pending   *action
}

func newFake(t *testing.T, script chan action) *fakeDevice {
	return &fakeDevice{
		t:      t,
		script: script,
		fps:    30,
		formats: map[webcam.PixelFormat]string{
			webcam.PixelFormat(PixelYUYV): "YUYV 4:2:2",
		},
		sizes: map[webcam.PixelFormat][]webcam.FrameSize{
			webcam.PixelFormat(PixelYUYV): {
				{MinWidth: 640, MaxWidth: 640, MinHeight: 480, MaxHeight: 480},
				{MinWidth: 64, MaxWidth: 64, MinHeight: 48, MaxHeight: 48},
			},
		},
	}
}

// enter checks that only one goroutine uses the device at a time.
func (d *fakeDevice) enter() func() {
	if d.busy.Add(1) != 1 {
		d.t.Error("device used by two goroutines at once")
	}
	return func() { d.busy.Add(-1) }
}

func (d *fakeDevice) GetName() (string, error) { return "Fake Cam", nil }
func (d *fakeDevice) GetSupportedFormats() map[webcam.PixelFormat]string {
	return d.formats
}
func (d *fakeDevice) GetSupportedFrameSizes(p webcam.PixelFormat) []webcam.FrameSize {
	return d.sizes[p]
}
func (d *fakeDevice) GetSupportedFramerates(webcam.PixelFormat, uint32, uint32) []webcam.FrameRate {
	return []webcam.FrameRate{{MinNumerator: 1, MaxNumerator: 1, MinDenominator: d.fps, MaxDenominator: d.fps}}
}
func (d *fakeDevice) SetImageFormat(p webcam.PixelFormat, w, h uint32) (webcam.PixelFormat, uint32, uint32, error) {
	defer d.enter()()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.pixel, d.w, d.h = p, w, h
	return p, w, h, nil
}
func (d *fakeDevice) SetFramerate(float32) error { return nil }
func (d *fakeDevice) SetBufferCount(n uint32) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.streaming {
		return errors.New("streaming")
	}
	d.bufCount = n
	return nil
}
func (d *fakeDevice) StartStreaming() error {
	defer d.enter()()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.bufCount == 0 || d.bufCount > 32 {
		d.t.Errorf("buffer count %d", d.bufCount)
	}
	d.bufs = make([][]byte, d.bufCount)
	d.queued = make([]bool, d.bufCount)
	for i := range d.bufs {
		d.bufs[i] = make([]byte, d.w*d.h*2)
		d.queued[i] = true
	}
	d.streaming = true
	return nil
}
func (d *fakeDevice) WaitForFrame(timeout uint32) error {
	defer d.enter()()
	if timeout == 0 || timeout > 2 {
		d.t.Errorf("WaitForFrame(%d): the timeout is in seconds", timeout)
	}
	select {
	case a := <-d.script:
		if a.kind == stepTimeout {
			return new(webcam.Timeout)
		}
		d.mu.Lock()
		d.pending = &a
		d.mu.Unlock()
		return nil
	case <-time.After(2 * time.Millisecond):
		return new(webcam.Timeout)
	}
}
func (d *fakeDevice) GetFrame() ([]byte, uint32, error) {
	defer d.enter()()
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.pending
	d.pending = nil
	if a == nil || a.kind == stepEAGAIN {
		return nil, 0, syscall.EAGAIN
	}
	if a.kind == stepENODEV || !d.streaming {
		return nil, 0, syscall.ENODEV
	}
	for i, q := range d.queued {
		if q {
			d.queued[i] = false
			b := d.bufs[i]
			for j := 0; j < len(b); j += 2 {
				b[j], b[j+1] = a.y, 128
			}
			return b, uint32(i), nil
		}
	}
	return nil, 0, syscall.EAGAIN
}
func (d *fakeDevice) ReleaseFrame(i uint32) error {
	defer d.enter()()
	d.mu.Lock()
	defer d.mu.Unlock()
	if int(i) >= len(d.queued) || d.queued[i] {
		d.t.Errorf("ReleaseFrame(%d) of a buffer not dequeued", i)
		return syscall.EINVAL
	}
	poison(d.bufs[i])
	d.queued[i] = true
	return nil
}
func (d *fakeDevice) StopStreaming() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.streaming {
		return errors.New("not streaming")
	}
	d.streaming = false
	for _, b := range d.bufs {
		poison(b)
	}
	return nil
}
func (d *fakeDevice) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	return nil
}

func (d *fakeDevice) isClosed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed && !d.streaming
}

func poison(b []byte) {
	for i := range b {
		b[i] = 0xEE
	}
}

// rig opens a fake camera; opens returns each device opened so far.
type rig struct {
	mu      sync.Mutex
	devs    []*fakeDevice
	script  chan action
	failing atomic.Int32 // open failures to inject
}

func newRig(t *testing.T) (*rig, Options) {
	r := &rig{script: make(chan action)}
	opts := Options{
		Backoff:     func(int) time.Duration { return time.Millisecond },
		StallAfter:  1000,
		listDevices: func() []string { return []string{"/dev/video0"} },
		openDevice: func(string) (device, error) {
			if r.failing.Load() > 0 {
				r.failing.Add(-1)
				return nil, syscall.ENOENT
			}
			d := newFake(t, r.script)
			r.mu.Lock()
			r.devs = append(r.devs, d)
			r.mu.Unlock()
			return d, nil
		},
	}
	return r, opts
}

func (r *rig) opened() []*fakeDevice {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*fakeDevice(nil), r.devs...)
}

func recvFrame(t *testing.T, c Camera) *frame.Frame {
	t.Helper()
	select {
	case f, ok := <-c.Frames():
		if !ok {
			t.Fatal("frames closed")
		}
		return f
	case <-time.After(5 * time.Second):
		t.Fatal("no frame")
	}
	return nil
}

func recvEvent(t *testing.T, c Camera, kind EventKind) Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case e := <-c.Events():
			if e.Kind == kind {
				return e
			}
		case <-timeout:
			t.Fatalf("no %v event", kind)
		}
	}
}

func checkLuma(t *testing.T, f *frame.Frame, y byte) {
	t.Helper()
	l := f.Luma()
	for _, v := range []byte{l.Pix[0], l.Pix[len(l.Pix)/2], l.Pix[len(l.Pix)-1]} {
		if v != y {
			t.Fatalf("frame %d luma %#x, want %#x (a released buffer leaked into the frame?)", f.Seq, v, y)
		}
	}
}

// openRig opens the rig's /dev/video0 with opts; the camera is closed and
// its context cancelled when the test ends.
func openRig(t *testing.T, opts Options) Camera {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	cam, err := Open(ctx, "/dev/video0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cam.Close() })
	return cam
}

func TestV4L2StreamsAndSkipsTransientErrors(t *testing.T) {
	r, opts := newRig(t)
	cam := openRig(t, opts)
	if info := cam.Info(); info.Size.X != 640 || info.Format != frame.FormatYUYV || info.Name != "Fake Cam" {
		t.Fatalf("info %+v", info)
	}
	dev := r.opened()[0]
	if dev.bufCount != bufferCount {
		t.Errorf("buffer count %d, want %d", dev.bufCount, bufferCount)
	}
	var held []*frame.Frame
	for i, a := range []action{{kind: stepFrame, y: 10}, {kind: stepEAGAIN}, {kind: stepTimeout}, {kind: stepFrame, y: 20}, {kind: stepFrame, y: 30}} {
		r.script <- a
		if a.kind == stepFrame {
			f := recvFrame(t, cam)
			checkLuma(t, f, a.y)
			held = append(held, f)
			_ = i
		}
	}
	// Frames we still hold survived their buffers being re-queued and
	// overwritten.
	for i, f := range held {
		checkLuma(t, f, byte(10*(i+1)))
		f.Release()
	}
}

func TestV4L2UnplugAndReopen(t *testing.T) {
	r, opts := newRig(t)
	cam := openRig(t, opts)
	recvEvent(t, cam, EventOpened)
	r.script <- action{kind: stepFrame, y: 1}
	f := recvFrame(t, cam)
	r.failing.Store(2) // the first two reopen attempts find no device
	r.script <- action{kind: stepENODEV}
	lost := recvEvent(t, cam, EventLost)
	if !errors.Is(lost.Err, syscall.ENODEV) {
		t.Errorf("lost: %v, want ENODEV", lost.Err)
	}
	if !r.opened()[0].isClosed() {
		t.Error("unplugged device not closed")
	}
	if e := recvEvent(t, cam, EventRetryFailed); !errors.Is(e.Err, syscall.ENOENT) {
		t.Errorf("retry: %v", e.Err)
	}
	recvEvent(t, cam, EventOpened)
	r.script <- action{kind: stepFrame, y: 2}
	g := recvFrame(t, cam)
	checkLuma(t, f, 1) // the frame from before the unplug is intact
	checkLuma(t, g, 2)
	if g.Seq <= f.Seq {
		t.Errorf("seq %d after %d", g.Seq, f.Seq)
	}
	f.Release()
	g.Release()
	if n := len(r.opened()); n != 2 {
		t.Errorf("%d devices opened, want 2", n)
	}
}

func TestV4L2Stall(t *testing.T) {
	_, opts := newRig(t)
	opts.StallAfter = 3
	cam := openRig(t, opts)
	if e := recvEvent(t, cam, EventLost); !errors.Is(e.Err, ErrStalled) {
		t.Errorf("lost: %v, want ErrStalled", e.Err)
	}
	recvEvent(t, cam, EventOpened)
}

func TestV4L2CancelClosesDevice(t *testing.T) {
	r, opts := newRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	cam, err := Open(ctx, "/dev/video0", opts)
	if err != nil {
		t.Fatal(err)
	}
	r.script <- action{kind: stepFrame, y: 5}
	f := recvFrame(t, cam)
	cancel()
	for range cam.Frames() {
		t.Error("frame after cancel")
	}
	for range cam.Events() {
	}
	if !r.opened()[0].isClosed() {
		t.Error("device not closed after cancel")
	}
	checkLuma(t, f, 5) // buffers were unmapped (poisoned); the frame is ours
	f.Release()
	if err := cam.Close(); err != nil {
		t.Fatal(err)
	}
	_ = cam.Close() // twice is fine
}

func TestV4L2OpenFails(t *testing.T) {
	r, opts := newRig(t)
	r.failing.Store(1)
	if _, err := Open(context.Background(), "/dev/video0", opts); !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("err = %v", err)
	}
	opts.openDevice = func(string) (device, error) {
		d := newFake(t, nil)
		d.formats = map[webcam.PixelFormat]string{0x34324742: "BGR24"}
		return d, nil
	}
	if _, err := Open(context.Background(), "/dev/video0", opts); !errors.Is(err, ErrNoFormat) {
		t.Fatalf("err = %v, want ErrNoFormat", err)
	}
}

// A consumer that does not keep up gets the newest frame, never a queue.
func TestSlowConsumerDropsFrames(t *testing.T) {
	r, opts := newRig(t)
	cam := openRig(t, opts)
	for y := byte(1); y <= 5; y++ {
		r.script <- action{kind: stepFrame, y: y}
	}
	// Make sure the fifth frame was delivered: one more script step is
	// taken only after it.
	r.script <- action{kind: stepTimeout}
	f := recvFrame(t, cam)
	if f.Seq != 5 {
		t.Errorf("got frame %d, want the newest (5)", f.Seq)
	}
	checkLuma(t, f, 5)
	f.Release()
}

func TestAutoPicksDeviceOrSynthetic(t *testing.T) {
	_, opts := newRig(t)
	cam, err := Open(context.Background(), "auto", opts)
	if err != nil {
		t.Fatal(err)
	}
	if cam.Info().Name != "Fake Cam" {
		t.Errorf("auto opened %q", cam.Info().Name)
	}
	cam.Close()

	opts.listDevices = func() []string { return nil }
	if _, err := Open(context.Background(), "auto", opts); !errors.Is(err, ErrNoDevice) {
		t.Errorf("no device: err = %v", err)
	}
	opts.Demo = true
	cam, err = Open(context.Background(), "auto", opts)
	if err != nil {
		t.Fatal(err)
	}
	if cam.Info().Name != "synthetic" {
		t.Errorf("demo auto opened %q", cam.Info().Name)
	}
	cam.Close()
}

func TestList(t *testing.T) {
	_, opts := newRig(t)
	devs, err := list(context.Background(), &opts)
	if err != nil || len(devs) != 1 {
		t.Fatalf("list = %v, %v", devs, err)
	}
	d := devs[0]
	if d.Name != "Fake Cam" || len(d.Formats) != 1 || d.Formats[0].Sizes[0].W != 640 || d.Formats[0].Sizes[0].MaxFPS() != 30 {
		t.Errorf("list = %+v", d)
	}
}
