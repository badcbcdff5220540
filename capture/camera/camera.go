// Package camera opens the kiosk's camera from a spec and streams frames
// from one goroutine that owns the device.
//
// Specs (the configuration key camera.device, environment SIGNET_CAMERA):
//
//	auto                          the first V4L2 capture device; the synthetic camera if Options.Demo and none is found
//	/dev/videoN                   a V4L2 device (github.com/blackjack/webcam)
//	synthetic[:seed=N,scene=NAME,size=WxH,fps=F]
//	                              the generated scene of package synthetic (default: seed 1, scene demo, 1280x720, 15 fps)
//	file:PATH[?format=yuyv&size=WxH&fps=F]
//	                              a recording replayed in a loop: concatenated JPEGs (MJPEG, the default) or raw YUYV
//
// # Frames
//
// [Camera.Frames] delivers *frame.Frame values (package capture/frame). The
// receiver owns each frame and must call its Release when done; see that
// package for sharing a frame between goroutines. Delivery never queues: the
// channel holds at most one frame, and a newer frame replaces one the
// consumer has not taken yet (the older is released), so a slow consumer
// always gets the latest frame and never builds up lag. Frame.Seq numbers
// captured frames, so gaps show drops.
//
// # Device handling
//
// For V4L2 the format is chosen by [ChooseFormat] (MJPEG at the largest
// discrete size from 1280×720 to 1920×1080 with at least 15 fps, else YUYV),
// 4 buffers are requested, and each buffer is copied or converted and
// re-queued at once (GetFrame → convert → ReleaseFrame), so no frame
// outlives its buffer. "No frame yet" (EAGAIN) and a quiet second are
// normal; an unplugged device (ENODEV), any other error, or no frame for
// Options.StallAfter seconds closes the device, reports an [Event] of kind
// [EventLost] and reopens it with backoff. Cancelling the context given to
// [Open] (or calling Close) stops streaming, closes the device and then
// closes both channels.
package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/frame"
)

// Errors.
var (
	// ErrBadSpec is returned for a camera spec that does not parse.
	ErrBadSpec = errors.New("camera: bad spec")
	// ErrNoDevice is returned by auto when no capture device exists.
	ErrNoDevice = errors.New("camera: no capture device")
	// ErrUnsupported is returned for V4L2 on platforms without it.
	ErrUnsupported = errors.New("camera: V4L2 is not supported on this platform")
	// ErrNoFormat is returned when a device offers neither MJPEG nor YUYV.
	ErrNoFormat = errors.New("camera: no usable pixel format")
	// ErrStalled is reported when a device delivers no frame for a while.
	ErrStalled = errors.New("camera: no frames")
	// ErrBadRecording is returned for a file: recording that holds no frame.
	ErrBadRecording = errors.New("camera: bad recording")
)

// Camera is an open, streaming camera.
type Camera interface {
	// Frames delivers frames; the receiver must Release each. It is closed
	// when the camera stops.
	Frames() <-chan *frame.Frame
	// Events reports state changes (lost, reopened). Events that nobody
	// reads are dropped. It is closed when the camera stops.
	Events() <-chan Event
	// Info describes the current stream.
	Info() Info
	// Close stops streaming, closes the device and waits for the capture
	// goroutine to end. It is safe to call twice.
	Close() error
}

// SceneSetter is implemented by the synthetic camera: demo mode switches
// its scene (for example to the QR sheet on the booking-code screen).
type SceneSetter interface {
	SetScene(synthetic.Scene)
}

// Info describes a stream.
type Info struct {
	Name   string       // device name or spec
	Format frame.Format // source pixel format
	Size   image.Point  // full-resolution size
	FPS    float64      // nominal frame rate (0 if unknown)
}

// EventKind is what happened to the stream.
type EventKind int

// Event kinds.
const (
	// EventOpened: the device was (re)opened and streams; Info is set.
	EventOpened EventKind = iota + 1
	// EventLost: the stream failed (Err) and the device was closed; a
	// reopen follows after a backoff.
	EventLost
	// EventRetryFailed: a reopen attempt failed (Err); another follows.
	EventRetryFailed
)

// String names the kind.
func (k EventKind) String() string {
	switch k {
	case EventOpened:
		return "opened"
	case EventLost:
		return "lost"
	case EventRetryFailed:
		return "retry failed"
	}
	return "unknown"
}

// Event is a change of the stream's state.
type Event struct {
	Kind EventKind
	Info Info
	Err  error
}

// Options tune Open. The zero value is usable.
type Options struct {
	// Logger gets device errors; nil discards.
	Logger *slog.Logger
	// Demo lets auto fall back to the synthetic camera.
	Demo bool
	// FPS is the frame rate of synthetic and file: cameras when their spec
	// does not say (default 15 synthetic, 30 file).
	FPS float64
	// Pool recycles frames; nil makes one of 4.
	Pool *frame.Pool
	// Backoff is the wait before reopen attempt n (1, 2, …); nil is
	// exponential from 250 ms to 5 s.
	Backoff func(attempt int) time.Duration
	// StallAfter is how many consecutive one-second waits without a frame
	// count as a stall (default 5).
	StallAfter int
	// OnFrame, when set, is called by the capture goroutine once for each
	// frame captured, before delivery (the kiosk's frame counter). It must
	// be quick and must not block.
	OnFrame func()

	// openDevice replaces webcam.Open in tests.
	openDevice func(path string) (device, error)
	// listDevices replaces the /dev/video* glob in tests.
	listDevices func() []string
}

func (o *Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

func (o *Options) backoff(n int) time.Duration {
	if o.Backoff != nil {
		return o.Backoff(n)
	}
	d := 250 * time.Millisecond << min(n-1, 5)
	return min(d, 5*time.Second)
}

// Kind is the kind of camera a spec names.
type Kind int

// Spec kinds.
const (
	KindAuto Kind = iota + 1
	KindDevice
	KindSynthetic
	KindFile
)

// Spec is a parsed camera spec.
type Spec struct {
	Kind Kind
	Path string // device path or file path
	// Synthetic and file options; zero means default.
	Seed   int64
	Scene  string
	Size   image.Point
	FPS    float64
	Format frame.Format // file: FormatMJPEG or FormatYUYV
}

// String returns the spec in its textual form.
func (s Spec) String() string {
	switch s.Kind {
	case KindAuto:
		return "auto"
	case KindDevice:
		return s.Path
	case KindSynthetic:
		return "synthetic"
	case KindFile:
		return "file:" + s.Path
	}
	return "?"
}

// ParseSpec parses a camera spec (see the package doc).
func ParseSpec(spec string) (Spec, error) {
	spec = strings.TrimSpace(spec)
	switch {
	case spec == "" || spec == "auto":
		return Spec{Kind: KindAuto}, nil
	case strings.HasPrefix(spec, "/dev/"):
		return Spec{Kind: KindDevice, Path: spec}, nil
	case spec == "synthetic" || strings.HasPrefix(spec, "synthetic:"):
		s := Spec{Kind: KindSynthetic, Seed: 1}
		rest := strings.TrimPrefix(strings.TrimPrefix(spec, "synthetic"), ":")
		if rest == "" {
			return s, nil
		}
		for _, kv := range strings.Split(rest, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return Spec{}, fmt.Errorf("%w: %q: want key=value", ErrBadSpec, kv)
			}
			if err := s.set(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
				return Spec{}, err
			}
		}
		if _, err := synthetic.SceneNamed(s.Scene); err != nil {
			return Spec{}, fmt.Errorf("%w: %v", ErrBadSpec, err)
		}
		return s, nil
	case strings.HasPrefix(spec, "file:"):
		s := Spec{Kind: KindFile, Format: frame.FormatMJPEG}
		path, query, _ := strings.Cut(strings.TrimPrefix(spec, "file:"), "?")
		if path == "" {
			return Spec{}, fmt.Errorf("%w: file: needs a path", ErrBadSpec)
		}
		s.Path = path
		q, err := url.ParseQuery(query)
		if err != nil {
			return Spec{}, fmt.Errorf("%w: %v", ErrBadSpec, err)
		}
		for k, vs := range q {
			if err := s.set(k, vs[len(vs)-1]); err != nil {
				return Spec{}, err
			}
		}
		if s.Format == frame.FormatYUYV && (s.Size.X <= 0 || s.Size.Y <= 0) {
			return Spec{}, fmt.Errorf("%w: format=yuyv needs size=WxH", ErrBadSpec)
		}
		return s, nil
	}
	return Spec{}, fmt.Errorf("%w: %q (want auto, /dev/videoN, synthetic or file:PATH)", ErrBadSpec, spec)
}

func (s *Spec) set(k, v string) error {
	bad := func(err error) error { return fmt.Errorf("%w: %s=%q: %v", ErrBadSpec, k, v, err) }
	switch k {
	case "seed":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return bad(err)
		}
		s.Seed = n
	case "scene":
		s.Scene = v
	case "size":
		ws, hs, ok := strings.Cut(strings.ToLower(v), "x")
		w, err1 := strconv.Atoi(ws)
		h, err2 := strconv.Atoi(hs)
		if !ok || err1 != nil || err2 != nil || w < 16 || h < 16 || w > 8192 || h > 8192 || w%2 != 0 {
			return bad(errors.New("want WxH, even width, 16…8192"))
		}
		s.Size = image.Pt(w, h)
	case "fps":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 1000 {
			return bad(errors.New("want 0 < fps ≤ 1000"))
		}
		s.FPS = f
	case "format":
		switch strings.ToLower(v) {
		case "mjpeg", "mjpg", "jpeg":
			s.Format = frame.FormatMJPEG
		case "yuyv", "yuy2":
			s.Format = frame.FormatYUYV
		default:
			return bad(errors.New("want mjpeg or yuyv"))
		}
	default:
		return fmt.Errorf("%w: unknown option %q", ErrBadSpec, k)
	}
	return nil
}

// Open opens the camera named by spec and starts streaming. The first open
// happens before Open returns, so a missing device is an error here; later
// failures are events and reopen attempts. Cancelling ctx stops the camera.
func Open(ctx context.Context, spec string, opts Options) (Camera, error) {
	s, err := ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	src, err := newSource(s, &opts)
	if err != nil {
		return nil, err
	}
	if opts.Pool == nil {
		opts.Pool = frame.NewPool(4)
	}
	info, err := src.open(ctx)
	if err != nil {
		return nil, err
	}
	st := start(ctx, src, info, opts)
	if syn, ok := src.(*synthSource); ok {
		return &syntheticCamera{stream: st, src: syn}, nil
	}
	return st, nil
}

// syntheticCamera is a stream that can switch scenes.
type syntheticCamera struct {
	*stream
	src *synthSource
}

// SetScene switches the scene from the next frame on; its clock restarts.
func (c *syntheticCamera) SetScene(sc synthetic.Scene) { c.src.setScene(sc) }

// newSource resolves a spec to a frame source.
func newSource(s Spec, opts *Options) (source, error) {
	switch s.Kind {
	case KindAuto:
		if p := firstDevice(opts); p != "" {
			return newV4L2(p, opts), nil
		}
		if opts.Demo {
			return newSynthetic(Spec{Kind: KindSynthetic, Seed: 1}, opts)
		}
		return nil, ErrNoDevice
	case KindDevice:
		return newV4L2(s.Path, opts), nil
	case KindSynthetic:
		return newSynthetic(s, opts)
	case KindFile:
		return newReplay(s, opts), nil
	}
	return nil, ErrBadSpec
}
