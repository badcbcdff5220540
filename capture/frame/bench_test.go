package frame_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/frame"
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

// BenchmarkFrameMJPEG1080p is the per-frame work for an MJPEG stream whose
// frames lack Huffman tables: insert them, decode, make the preview.
func BenchmarkFrameMJPEG1080p(b *testing.B) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, hdScene(b), &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	src := stripDHT(buf.Bytes())
	p := frame.NewPool(2)
	b.SetBytes(int64(len(src)))
	loop(b, func(int) {
		f, err := p.FromJPEG(src)
		if err != nil {
			b.Fatal(err)
		}
		f.Release()
	})
}

// stripDHT removes the Huffman tables, as UVC cameras send frames.
func stripDHT(j []byte) []byte {
	out := append([]byte(nil), j[:2]...)
	i := 2
	for i+4 <= len(j) && j[i] == 0xff {
		m := j[i+1]
		if m == 0xda {
			return append(out, j[i:]...)
		}
		n := int(j[i+2])<<8 | int(j[i+3])
		if m != 0xc4 {
			out = append(out, j[i:i+2+n]...)
		}
		i += 2 + n
	}
	return j
}

// BenchmarkYCbCrToRGBA1080p is Frame.Full for an MJPEG frame (a still).
func BenchmarkYCbCrToRGBA1080p(b *testing.B) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, hdScene(b), &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	src, _, err := frame.DecodeJPEG(buf.Bytes(), nil)
	if err != nil {
		b.Fatal(err)
	}
	dst := image.NewRGBA(src.Rect)
	loop(b, func(int) { _ = frame.YCbCrToRGBA(dst, src) })
}
