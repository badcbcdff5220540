package camera

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// toYUYV packs img as limited-range BT.601 YUYV.
func toYUYV(img *image.RGBA) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := make([]byte, w*h*2)
	luma := func(p []uint8) byte {
		return byte(16 + (65.481*float64(p[0])+128.553*float64(p[1])+24.966*float64(p[2]))/255 + 0.5)
	}
	for y := range h {
		for x := 0; x < w; x += 2 {
			p := img.Pix[img.PixOffset(x, y):]
			r, g, b := float64(p[0]), float64(p[1]), float64(p[2])
			i := (y*w + x) * 2
			out[i] = luma(p)
			out[i+1] = byte(128 + (-37.797*r-74.203*g+112*b)/255 + 0.5)
			out[i+2] = luma(p[4:])
			out[i+3] = byte(128 + (112*r-93.786*g-18.214*b)/255 + 0.5)
		}
	}
	return out
}

// TestPreviewPipelineCPU measures the process CPU a 1080p30 replay costs
// with a consumer that does what the camera view does per frame (copy the
// preview into its back buffer) and releases each frame. It runs only when
// SIGNET_CPU_SECONDS is set:
//
//	SIGNET_CPU_SECONDS=10 go test -run PreviewPipelineCPU -v ./capture/camera/
func TestPreviewPipelineCPU(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("SIGNET_CPU_SECONDS"))
	if secs <= 0 {
		t.Skip("set SIGNET_CPU_SECONDS to measure")
	}
	dir := t.TempDir()
	r := synthetic.New(1920, 1080, 1)
	var yuyv, mjpeg bytes.Buffer
	for i := range 6 {
		img, _ := r.RenderFrame(synthetic.Conditions{Card: true, Motion: 0.5, Noise: 2}, time.Duration(i)*33*time.Millisecond)
		yuyv.Write(toYUYV(img))
		if err := jpeg.Encode(&mjpeg, img, &jpeg.Options{Quality: 85}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ name, file, query string }{
		{"YUYV", "hd.yuyv", "?format=yuyv&size=1920x1080&fps=30"},
		{"MJPEG", "hd.mjpeg", "?fps=30"},
	} {
		data := yuyv.Bytes()
		if tc.name == "MJPEG" {
			data = mjpeg.Bytes()
		}
		path := filepath.Join(dir, tc.file)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cam, err := Open(ctx, "file:"+path+tc.query, Options{})
		if err != nil {
			t.Fatal(err)
		}
		back := image.NewRGBA(image.Rect(0, 0, 960, 540))
		// Warm up (pool, buffers), then measure.
		for range 10 {
			f := <-cam.Frames()
			f.Release()
		}
		start, wall := cpuTime(), time.Now()
		n := 0
		var lastSeq uint64
		for time.Since(wall) < time.Duration(secs)*time.Second {
			f := <-cam.Frames()
			copy(back.Pix, f.Preview().Pix)
			lastSeq = f.Seq
			f.Release()
			n++
		}
		cpu, el := cpuTime()-start, time.Since(wall)
		cancel()
		cam.Close()
		t.Logf("%s 1080p30 replay + preview: %d frames in %v (%.1f fps, last seq %d), CPU %v = %.1f %% of one core",
			tc.name, n, el.Round(time.Millisecond), float64(n)/el.Seconds(), lastSeq, cpu.Round(time.Millisecond), 100*cpu.Seconds()/el.Seconds())
	}
}
