package camera

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/signet-kiosk/signet/capture/frame"
)

// errNoFrame means "nothing this time, ask again" (EAGAIN, a quiet second).
var errNoFrame = errors.New("camera: no frame yet")

// badFrame wraps a frame that did not convert; a run of them is fatal.
type badFrame struct{ err error }

func (e *badFrame) Error() string { return "camera: bad frame: " + e.err.Error() }
func (e *badFrame) Unwrap() error { return e.err }

// maxBadFrames consecutive bad frames make the stream fail.
const maxBadFrames = 30

// DropCounter is implemented by the cameras Open returns: Dropped counts the
// frames dropped because they did not convert (a corrupt or truncated MJPEG
// frame), since the camera was opened. A dropped frame is never delivered
// and leaves a gap in Seq.
type DropCounter interface {
	Dropped() uint64
}

// source is a device or a generator driven by the capture goroutine only.
type source interface {
	// open starts streaming.
	open(ctx context.Context) (Info, error)
	// next waits for the next frame. It returns errNoFrame to be called
	// again, a *badFrame for a frame that did not convert, and any other
	// error when the stream is broken.
	next(ctx context.Context, pool *frame.Pool) (*frame.Frame, error)
	// close stops streaming and releases the device; safe after a failed
	// open.
	close() error
}

type stream struct {
	frames  chan *frame.Frame
	events  chan Event
	info    atomic.Pointer[Info]
	dropped atomic.Uint64
	src     source
	onFrame func()
	cancel  context.CancelFunc
	done    chan struct{}
	once    sync.Once
}

func start(ctx context.Context, src source, info Info, opts Options) *stream {
	ctx, cancel := context.WithCancel(ctx)
	s := &stream{
		frames:  make(chan *frame.Frame, 1),
		events:  make(chan Event, 8),
		src:     src,
		onFrame: opts.OnFrame,
		cancel:  cancel,
		done:    make(chan struct{}),
	}
	s.info.Store(&info)
	s.emit(Event{Kind: EventOpened, Info: info})
	go s.run(ctx, opts)
	return s
}

func (s *stream) Frames() <-chan *frame.Frame { return s.frames }
func (s *stream) Events() <-chan Event        { return s.events }
func (s *stream) Info() Info                  { return *s.info.Load() }
func (s *stream) Dropped() uint64             { return s.dropped.Load() }

func (s *stream) Close() error {
	s.once.Do(s.cancel)
	<-s.done
	return nil
}

func (s *stream) emit(e Event) {
	select {
	case s.events <- e:
	default:
	}
}

// deliver offers f without queueing: a frame the consumer has not taken yet
// is replaced (and released) by the newer one.
func (s *stream) deliver(f *frame.Frame) {
	select {
	case s.frames <- f:
		return
	default:
	}
	select {
	case old := <-s.frames:
		old.Release()
	default:
	}
	select {
	case s.frames <- f:
	default:
		f.Release()
	}
}

func (s *stream) run(ctx context.Context, opts Options) {
	log := opts.logger()
	defer close(s.done)
	defer close(s.events)
	defer close(s.frames)
	var seq uint64
	for {
		err := s.pump(ctx, opts.Pool, &seq)
		_ = s.src.close()
		if ctx.Err() != nil {
			return
		}
		log.Warn("camera lost", "camera", s.Info().Name, "err", err)
		s.emit(Event{Kind: EventLost, Info: s.Info(), Err: err})
		// Reopen with backoff until it works or ctx ends.
		for attempt := 1; ; attempt++ {
			if !wait(ctx, opts.backoff(attempt)) {
				return
			}
			info, err := s.src.open(ctx)
			if err == nil {
				s.info.Store(&info)
				log.Info("camera reopened", "camera", info.Name)
				s.emit(Event{Kind: EventOpened, Info: info})
				break
			}
			_ = s.src.close()
			if ctx.Err() != nil {
				return
			}
			s.emit(Event{Kind: EventRetryFailed, Info: s.Info(), Err: err})
		}
	}
}

// pump streams until the source breaks or ctx ends.
func (s *stream) pump(ctx context.Context, pool *frame.Pool, seq *uint64) error {
	bad := 0
	for ctx.Err() == nil {
		f, err := s.src.next(ctx, pool)
		var bf *badFrame
		switch {
		case err == nil:
			bad = 0
			*seq++
			f.Seq = *seq
			if f.Time.IsZero() {
				f.Time = time.Now()
			}
			if s.onFrame != nil {
				s.onFrame()
			}
			s.deliver(f)
		case errors.Is(err, errNoFrame):
		case errors.As(err, &bf):
			*seq++ // a lost frame
			s.dropped.Add(1)
			if bad++; bad >= maxBadFrames {
				return err
			}
		default:
			return err
		}
	}
	return ctx.Err()
}

// wait waits for d or ctx; it reports whether ctx is still live.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
