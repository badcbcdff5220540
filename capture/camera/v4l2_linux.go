package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"path/filepath"
	"slices"
	"sort"
	"syscall"

	"github.com/blackjack/webcam"

	"github.com/signet-kiosk/signet/capture/frame"
)

// device is the part of *webcam.Webcam the camera uses; tests pass a fake.
type device interface {
	GetName() (string, error)
	GetSupportedFormats() map[webcam.PixelFormat]string
	GetSupportedFrameSizes(webcam.PixelFormat) []webcam.FrameSize
	GetSupportedFramerates(webcam.PixelFormat, uint32, uint32) []webcam.FrameRate
	SetImageFormat(webcam.PixelFormat, uint32, uint32) (webcam.PixelFormat, uint32, uint32, error)
	SetFramerate(float32) error
	SetBufferCount(uint32) error
	StartStreaming() error
	WaitForFrame(timeout uint32) error
	GetFrame() ([]byte, uint32, error)
	ReleaseFrame(index uint32) error
	StopStreaming() error
	Close() error
}

var _ device = (*webcam.Webcam)(nil)

// bufferCount is how many V4L2 buffers are requested: enough to keep the
// driver busy, few enough to keep latency and memory low (the library's
// default is 256).
const bufferCount = 4

func openWebcam(path string) (device, error) {
	w, err := webcam.Open(path)
	if err != nil {
		return nil, err
	}
	return w, nil
}

func (o *Options) open(path string) (device, error) {
	if o.openDevice != nil {
		return o.openDevice(path)
	}
	return openWebcam(path)
}

func (o *Options) devicePaths() []string {
	if o.listDevices != nil {
		return o.listDevices()
	}
	paths, _ := filepath.Glob("/dev/video*")
	sort.Slice(paths, func(i, j int) bool {
		if len(paths[i]) != len(paths[j]) {
			return len(paths[i]) < len(paths[j])
		}
		return paths[i] < paths[j]
	})
	return paths
}

// describe lists a device's formats, sizes and rates.
func describe(d device) []FormatDesc {
	var out []FormatDesc
	fm := d.GetSupportedFormats()
	pixels := make([]webcam.PixelFormat, 0, len(fm))
	for p := range fm {
		pixels = append(pixels, p)
	}
	slices.Sort(pixels)
	for _, p := range pixels {
		fd := FormatDesc{Pixel: uint32(p), Description: fm[p]}
		for _, fs := range d.GetSupportedFrameSizes(p) {
			sd := SizeDesc{W: int(fs.MaxWidth), H: int(fs.MaxHeight),
				Stepwise: fs.StepWidth != 0 || fs.StepHeight != 0 || fs.MinWidth != fs.MaxWidth}
			if !sd.Stepwise {
				for _, r := range d.GetSupportedFramerates(p, fs.MaxWidth, fs.MaxHeight) {
					// An interval: seconds per frame = numerator/denominator;
					// the fastest rate is the largest denominator over the
					// smallest numerator.
					if r.MinNumerator > 0 && r.MaxDenominator > 0 {
						sd.FPS = append(sd.FPS, float64(r.MaxDenominator)/float64(r.MinNumerator))
					}
				}
				sort.Sort(sort.Reverse(sort.Float64Slice(sd.FPS)))
			}
			fd.Sizes = append(fd.Sizes, sd)
		}
		sort.SliceStable(fd.Sizes, func(i, j int) bool { return fd.Sizes[i].W*fd.Sizes[i].H > fd.Sizes[j].W*fd.Sizes[j].H })
		out = append(out, fd)
	}
	return out
}

// firstDevice returns the first path that opens and offers a usable format.
func firstDevice(o *Options) string {
	for _, p := range o.devicePaths() {
		d, err := o.open(p)
		if err != nil {
			continue
		}
		_, err = ChooseFormat(describe(d))
		_ = d.Close()
		if err == nil {
			return p
		}
	}
	return ""
}

// List describes every V4L2 capture device (devices offering no format,
// such as metadata nodes, are left out).
func List(ctx context.Context) ([]DeviceInfo, error) {
	return list(ctx, &Options{})
}

func list(ctx context.Context, o *Options) ([]DeviceInfo, error) {
	var out []DeviceInfo
	for _, p := range o.devicePaths() {
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
		d, err := o.open(p)
		if err != nil {
			continue
		}
		info := DeviceInfo{Path: p, Formats: describe(d)}
		info.Name, _ = d.GetName()
		_ = d.Close()
		if len(info.Formats) > 0 {
			out = append(out, info)
		}
	}
	return out, nil
}

// v4l2Source streams from a V4L2 device.
type v4l2Source struct {
	path     string
	opts     *Options
	log      *slog.Logger
	dev      device
	choice   Choice
	quiet    int // consecutive one-second waits without a frame
	stallMax int
}

func newV4L2(path string, o *Options) *v4l2Source {
	s := &v4l2Source{path: path, opts: o, log: o.logger(), stallMax: o.StallAfter}
	if s.stallMax <= 0 {
		s.stallMax = 5
	}
	return s
}

func (s *v4l2Source) open(ctx context.Context) (Info, error) {
	if err := ctx.Err(); err != nil {
		return Info{}, err
	}
	d, err := s.opts.open(s.path)
	if err != nil {
		return Info{}, fmt.Errorf("camera: open %s: %w", s.path, err)
	}
	s.dev = d
	fail := func(step string, err error) (Info, error) {
		_ = s.close()
		return Info{}, fmt.Errorf("camera: %s %s: %w", step, s.path, err)
	}
	c, err := ChooseFormat(describe(d))
	if err != nil {
		return fail("choose format", err)
	}
	got, _, _, err := d.SetImageFormat(webcam.PixelFormat(c.Pixel), uint32(c.W), uint32(c.H))
	if err != nil {
		return fail("set format", err)
	}
	if uint32(got) != c.Pixel {
		return fail("set format", fmt.Errorf("driver chose %s instead of %s", FourCC(uint32(got)), FourCC(c.Pixel)))
	}
	if c.FPS > 0 {
		if err := d.SetFramerate(float32(c.FPS)); err != nil {
			s.log.Debug("camera: set frame rate", "camera", s.path, "err", err)
		}
	}
	if err := d.SetBufferCount(bufferCount); err != nil {
		return fail("set buffer count", err)
	}
	if err := d.StartStreaming(); err != nil {
		return fail("start streaming", err)
	}
	s.choice, s.quiet = c, 0
	name, _ := d.GetName()
	if name == "" {
		name = s.path
	}
	f := frame.FormatYUYV
	if c.Pixel == PixelMJPEG {
		f = frame.FormatMJPEG
	}
	return Info{Name: name, Format: f, Size: image.Pt(c.W, c.H), FPS: c.FPS}, nil
}

// transient reports errors that mean "no frame yet".
func transient(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR)
}

func (s *v4l2Source) next(ctx context.Context, pool *frame.Pool) (*frame.Frame, error) {
	if s.dev == nil {
		return nil, fmt.Errorf("camera: %s not open", s.path)
	}
	// WaitForFrame takes seconds: one second bounds how long a cancelled
	// context waits.
	if err := s.dev.WaitForFrame(1); err != nil {
		var to *webcam.Timeout
		switch {
		case errors.As(err, &to):
			if s.quiet++; s.quiet >= s.stallMax {
				return nil, fmt.Errorf("%w for %d s from %s", ErrStalled, s.quiet, s.path)
			}
			return nil, errNoFrame
		case transient(err):
			return nil, errNoFrame
		}
		return nil, fmt.Errorf("camera: wait %s: %w", s.path, err)
	}
	buf, idx, err := s.dev.GetFrame()
	if err != nil {
		if transient(err) {
			return nil, errNoFrame
		}
		return nil, fmt.Errorf("camera: dequeue %s: %w", s.path, err)
	}
	s.quiet = 0
	// Copy or convert, then give the buffer back before anything else.
	var f *frame.Frame
	var cerr error
	if len(buf) == 0 {
		cerr = errors.New("empty buffer")
	} else if s.choice.Pixel == PixelMJPEG {
		f, cerr = pool.FromJPEG(buf)
	} else {
		// No stride in the API: a YUYV frame must be exactly w*h*2.
		f, cerr = pool.FromYUYV(buf, s.choice.W, s.choice.H)
	}
	buf = nil
	if err := s.dev.ReleaseFrame(idx); err != nil {
		if f != nil {
			f.Release()
		}
		return nil, fmt.Errorf("camera: requeue %s: %w", s.path, err)
	}
	if cerr != nil {
		return nil, &badFrame{cerr}
	}
	if ctx.Err() != nil {
		f.Release()
		return nil, ctx.Err()
	}
	return f, nil
}

func (s *v4l2Source) close() error {
	if s.dev == nil {
		return nil
	}
	d := s.dev
	s.dev = nil
	_ = d.StopStreaming()
	return d.Close()
}
