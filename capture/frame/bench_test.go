package frame_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/frame"
	"github.com/signet-kiosk/signet/capture/frame/internal/tjpeg"
)

// hdScene is a 1920×1080 synthetic frame: realistic content for the
// converters and the JPEG decoder.
func hdScene(b *testing.B) *image.RGBA {
	img, _ := synthetic.New(1920, 1080, 1).RenderFrame(synthetic.Conditions{Card: true, Rotate: 3, Noise: 2}, 0)
	return img
}

// hdYUYV packs a 1920×1080 frame as YUYV (limited-range BT.601).
func hdYUYV(b *testing.B) []byte {
	img := hdScene(b)
	w, h := 1920, 1080
	out := make([]byte, w*h*2)
	for y := range h {
		for x := 0; x < w; x += 2 {
			p := img.Pix[img.PixOffset(x, y):]
			yy := func(r, g, b uint8) byte {
				return byte(16 + (65.481*float64(r)+128.553*float64(g)+24.966*float64(b))/255 + 0.5)
			}
			r, g, bb := float64(p[0]), float64(p[1]), float64(p[2])
			u := 128 + (-37.797*r-74.203*g+112*bb)/255
			v := 128 + (112*r-93.786*g-18.214*bb)/255
			i := (y*w + x) * 2
			out[i], out[i+1], out[i+2], out[i+3] = yy(p[0], p[1], p[2]), byte(u+0.5), yy(p[4], p[5], p[6]), byte(v+0.5)
		}
	}
	return out
}

// cpuTime is this process's user+system CPU time. On a shared machine the
// benchmarks' wall time includes time spent descheduled; each benchmark also
// reports CPU time per op (cpu-ns/op), which is what a core would spend.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs body b.N times and reports CPU time per op.
func loop(b *testing.B, body func(i int)) {
	b.ReportAllocs()
	var start time.Duration
	n := 0
	for i := 0; b.Loop(); i++ {
		if i == 0 {
			start = cpuTime()
		}
		body(i)
		n++
	}
	if n > 1 {
		b.ReportMetric(float64(cpuTime()-start)/float64(n-1), "cpu-ns/op")
	}
}

func BenchmarkYUYVToRGBA1080p(b *testing.B) {
	src := hdYUYV(b)
	dst := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	b.SetBytes(int64(len(src)))
	loop(b, func(int) { _ = frame.YUYVToRGBA(dst, src, 1920, 1080) })
}

func BenchmarkYUYVToPreview1080p(b *testing.B) {
	src := hdYUYV(b)
	dst := image.NewRGBA(image.Rect(0, 0, 960, 540))
	b.SetBytes(int64(len(src)))
	loop(b, func(int) { _ = frame.YUYVToPreview(dst, src, 1920, 1080) })
}

func BenchmarkYUYVLuma1080p(b *testing.B) {
	src := hdYUYV(b)
	dst := image.NewGray(image.Rect(0, 0, 1920, 1080))
	loop(b, func(int) { _ = frame.YUYVLuma(dst, src, 1920, 1080) })
}

// BenchmarkFrameYUYV1080p is the camera's per-frame work for a YUYV stream:
// copy the driver's buffer into a pooled frame and make the preview.
func BenchmarkFrameYUYV1080p(b *testing.B) {
	src := hdYUYV(b)
	p := frame.NewPool(2)
	loop(b, func(i int) {
		f, err := p.FromYUYV(src, 1920, 1080)
		if err != nil {
			b.Fatal(err)
		}
		f.Seq = uint64(i)
		f.Release()
	})
}

// BenchmarkMJPEGFrame1080p is the per-frame work of an MJPEG stream: a
// 1920×1080 UVC frame without Huffman tables (testdata/frame-1080p.mjpeg)
// decoded at 1/2 scale by libjpeg-turbo, the 960×540 RGBA preview made, and
// the luma of the live checks taken, in a pooled frame.
func BenchmarkMJPEGFrame1080p(b *testing.B) {
	mjpeg1080p(b, func(f *frame.Frame) {
		if f.PreviewLuma().Rect.Dx() != 960 {
			b.Fatal("preview luma is not half size")
		}
	})
}

// BenchmarkMJPEGStill1080p is a still from an MJPEG frame: the frame's
// full-size decode and its full RGBA image, on top of the per-frame work.
func BenchmarkMJPEGStill1080p(b *testing.B) {
	mjpeg1080p(b, func(f *frame.Frame) { _ = f.Full() })
}

// mjpeg1080p decodes the 1080p fixture into a warm pooled frame per
// iteration and hands the frame to use before releasing it.
func mjpeg1080p(b *testing.B, use func(*frame.Frame)) {
	src := readFile(b, fixture1080p)
	p := frame.NewPool(2)
	warm(b, p, src)
	b.SetBytes(int64(len(src)))
	loop(b, func(int) {
		f, err := p.FromJPEG(src)
		if err != nil {
			b.Fatal(err)
		}
		use(f)
		f.Release()
	})
}

// warm sizes a pooled frame's buffers for src (full decode included), so
// that B/op shows the steady state.
func warm(b *testing.B, p *frame.Pool, src []byte) {
	f, err := p.FromJPEG(src)
	if err != nil {
		b.Fatal(err)
	}
	_ = f.Full()
	f.Release()
}

// BenchmarkFFmpegMJPEG1080p is the yardstick: ffmpeg's full decode of the
// same fixture to RGBA on one thread, b.N frames in one process
// (-stream_loop). ns/op is wall time per frame, ffmpeg's start included;
// cpu-ns/op is ffmpeg's own CPU time per frame. Skipped without ffmpeg.
func BenchmarkFFmpegMJPEG1080p(b *testing.B) {
	ff, err := exec.LookPath("ffmpeg")
	if err != nil {
		b.Skip("ffmpeg not installed")
	}
	cmd := exec.Command(ff, "-hide_banner", "-loglevel", "error", "-threads", "1",
		"-stream_loop", strconv.Itoa(b.N-1), "-f", "mjpeg", "-i", filepath.Join("testdata", fixture1080p),
		"-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgba", "-y", os.DevNull)
	b.ResetTimer()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("ffmpeg: %v: %s", err, out)
	}
	st := cmd.ProcessState
	b.ReportMetric(float64(st.UserTime()+st.SystemTime())/float64(b.N), "cpu-ns/op")
}

// BenchmarkStdlibJPEG1080p is the baseline: Go's image/jpeg.Decode of the
// same frame. image/jpeg needs Huffman tables, so it decodes the fixture
// with the standard tables (JPEG Annex K.3) inserted before its scan; the
// insertion is done once, outside the timed loop.
func BenchmarkStdlibJPEG1080p(b *testing.B) {
	src := withStandardTables(b, readFile(b, fixture1080p))
	b.SetBytes(int64(len(src)))
	var r bytes.Reader
	loop(b, func(int) {
		r.Reset(src)
		if _, err := jpeg.Decode(&r); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkYCbCrToRGBA1080p is the colour conversion of Frame.Full for an
// MJPEG frame (a still).
func BenchmarkYCbCrToRGBA1080p(b *testing.B) {
	var src image.YCbCr
	if _, err := tjpeg.Decode(&src, readFile(b, fixture1080p), 1); err != nil {
		b.Fatal(err)
	}
	dst := image.NewRGBA(src.Rect)
	loop(b, func(int) { _ = frame.YCbCrToRGBA(dst, &src) })
}
