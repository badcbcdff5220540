package camera

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/frame"
	"github.com/signet-kiosk/signet/capture/imagecheck"
)

// pacer paces generated frames at a fixed rate.
type pacer struct {
	period time.Duration
	t      *time.Ticker
}

func (p *pacer) start() {
	if p.t == nil {
		p.t = time.NewTicker(p.period)
	}
}

func (p *pacer) stop() {
	if p.t != nil {
		p.t.Stop()
		p.t = nil
	}
}

// wait blocks until the next tick or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-p.t.C:
		return nil
	}
}

// next is a paced source's next: it waits for the tick, then makes the
// frame.
func (p *pacer) next(ctx context.Context, pool *frame.Pool, produce func(*frame.Pool) (*frame.Frame, error)) (*frame.Frame, error) {
	if err := p.wait(ctx); err != nil {
		return nil, err
	}
	return produce(pool)
}

// close is a paced source's close.
func (p *pacer) close() error {
	p.stop()
	return nil
}

func period(fps float64) time.Duration {
	return time.Duration(float64(time.Second) / fps)
}

// synthSource renders the synthetic scene.
type synthSource struct {
	fps   float64
	size  image.Point
	seed  int64
	r     *synthetic.Renderer
	scene atomic.Pointer[synthetic.Scene]
	cur   *synthetic.Scene
	n     int64 // frames since the scene started
	pace  pacer
}

func newSynthetic(s Spec, opts *Options) (*synthSource, error) {
	src := &synthSource{fps: s.FPS, size: s.Size, seed: s.Seed}
	if src.fps == 0 {
		src.fps = opts.FPS
	}
	if src.fps <= 0 {
		src.fps = 15
	}
	if src.size == (image.Point{}) {
		src.size = image.Pt(1280, 720)
	}
	sc, err := synthetic.SceneNamed(s.Scene)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSpec, err)
	}
	src.scene.Store(&sc)
	src.pace.period = period(src.fps)
	return src, nil
}

func (s *synthSource) setScene(sc synthetic.Scene) { s.scene.Store(&sc) }

func (s *synthSource) open(context.Context) (Info, error) {
	if s.r == nil {
		r, err := synthetic.NewRenderer(s.size.X, s.size.Y, s.seed)
		if err != nil {
			return Info{}, err
		}
		s.r = r
	}
	s.pace.start()
	return Info{Name: "synthetic", Format: frame.FormatRGBA, Size: s.size, FPS: s.fps}, nil
}

// render draws the current frame (the first call draws the scene's start).
func (s *synthSource) render(pool *frame.Pool) (*frame.Frame, error) {
	if sc := s.scene.Load(); sc != s.cur {
		s.cur, s.n = sc, 0
	}
	t := time.Duration(float64(s.n) / s.fps * float64(time.Second))
	s.n++
	cond, _ := s.cur.At(t)
	return pool.DrawRGBA(s.size.X, s.size.Y, func(img *image.RGBA) { s.r.Render(img, cond, t) })
}

func (s *synthSource) next(ctx context.Context, pool *frame.Pool) (*frame.Frame, error) {
	return s.pace.next(ctx, pool, s.render)
}

func (s *synthSource) close() error { return s.pace.close() }

// maxRecording caps the size of a file: recording loaded into memory.
const maxRecording = 512 << 20

// replaySource loops over a recording.
type replaySource struct {
	spec   Spec
	fps    float64
	frames [][]byte
	i      int
	pace   pacer
}

func newReplay(s Spec, opts *Options) *replaySource {
	r := &replaySource{spec: s, fps: s.FPS}
	if r.fps == 0 {
		r.fps = opts.FPS
	}
	if r.fps <= 0 {
		r.fps = 30
	}
	r.pace.period = period(r.fps)
	return r
}

func (r *replaySource) open(context.Context) (Info, error) {
	if r.frames == nil {
		if err := r.load(); err != nil {
			return Info{}, err
		}
	}
	info := Info{Name: "file:" + r.spec.Path, Format: r.spec.Format, Size: r.spec.Size, FPS: r.fps}
	if r.spec.Format == frame.FormatMJPEG {
		f, err := frame.NewPool(1).FromJPEG(r.frames[0])
		if err != nil {
			return Info{}, fmt.Errorf("camera: %s: first frame: %w", r.spec.Path, err)
		}
		w, h := f.Size()
		f.Release()
		info.Size = image.Pt(w, h)
	}
	r.i = 0
	r.pace.start()
	return info, nil
}

func (r *replaySource) load() error {
	f, err := os.Open(r.spec.Path)
	if err != nil {
		return fmt.Errorf("camera: open recording: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRecording+1))
	if err != nil {
		return fmt.Errorf("camera: read recording: %w", err)
	}
	if len(data) > maxRecording {
		return fmt.Errorf("%w: larger than %d MiB", ErrBadRecording, maxRecording>>20)
	}
	switch r.spec.Format {
	case frame.FormatYUYV:
		n := r.spec.Size.X * r.spec.Size.Y * 2
		if n <= 0 || len(data) < n || len(data)%n != 0 {
			return fmt.Errorf("%w: %d bytes is not a whole number of %dx%d YUYV frames",
				ErrBadRecording, len(data), r.spec.Size.X, r.spec.Size.Y)
		}
		for o := 0; o < len(data); o += n {
			r.frames = append(r.frames, data[o:o+n:o+n])
		}
	default:
		fr, err := SplitMJPEG(data)
		if err != nil {
			return err
		}
		// A recording comes from outside: each frame's header is checked
		// before any is decoded, so a small file cannot ask for gigabytes.
		// Other header faults are left to the decoder (a bad frame).
		for i, b := range fr {
			if _, _, err := imagecheck.DecodeConfig(bytes.NewReader(b)); errors.Is(err, imagecheck.ErrTooLarge) {
				return fmt.Errorf("%w: frame %d: %w", ErrBadRecording, i+1, err)
			}
		}
		r.frames = fr
	}
	return nil
}

func (r *replaySource) frame(pool *frame.Pool) (*frame.Frame, error) {
	b := r.frames[r.i]
	r.i = (r.i + 1) % len(r.frames)
	var f *frame.Frame
	var err error
	if r.spec.Format == frame.FormatYUYV {
		f, err = pool.FromYUYV(b, r.spec.Size.X, r.spec.Size.Y)
	} else {
		f, err = pool.FromJPEG(b)
	}
	if err != nil {
		return nil, &badFrame{err}
	}
	return f, nil
}

func (r *replaySource) next(ctx context.Context, pool *frame.Pool) (*frame.Frame, error) {
	return r.pace.next(ctx, pool, r.frame)
}

func (r *replaySource) close() error { return r.pace.close() }

// SplitMJPEG splits a stream of concatenated JPEGs into frames (each from
// SOI to EOI). Bytes between frames are skipped; a stream with no complete
// frame is an error.
func SplitMJPEG(data []byte) ([][]byte, error) {
	var frames [][]byte
	i := 0
	for {
		// Find SOI.
		for i+1 < len(data) && !(data[i] == 0xff && data[i+1] == 0xd8) {
			i++
		}
		if i+1 >= len(data) {
			break
		}
		end, ok := jpegEnd(data, i)
		if !ok {
			break
		}
		frames = append(frames, data[i:end:end])
		i = end
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("%w: no complete JPEG frame", ErrBadRecording)
	}
	return frames, nil
}

// jpegEnd returns the offset just past the EOI of the JPEG starting at
// start: marker segments are skipped by length; entropy-coded data ends at
// the first marker other than a stuffed 0xFF00 or a restart marker.
func jpegEnd(b []byte, start int) (int, bool) {
	i := start + 2
	for i+1 < len(b) {
		if b[i] != 0xff {
			return 0, false
		}
		m := b[i+1]
		switch {
		case m == 0xff: // fill byte
			i++
			continue
		case m == 0xd9:
			return i + 2, true
		case m == 0x01 || (m >= 0xd0 && m <= 0xd7):
			i += 2
			continue
		}
		if i+3 >= len(b) {
			return 0, false
		}
		n := int(b[i+2])<<8 | int(b[i+3])
		if n < 2 {
			return 0, false
		}
		i += 2 + n
		if m == 0xda {
			// Entropy-coded data up to the next real marker.
			for i+1 < len(b) {
				if b[i] == 0xff && b[i+1] != 0 && (b[i+1] < 0xd0 || b[i+1] > 0xd7) {
					break
				}
				i++
			}
		}
	}
	return 0, false
}
