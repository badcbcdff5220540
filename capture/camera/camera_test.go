package camera

import (
	"context"
	"errors"
	"image"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/frame"
	"github.com/signet-kiosk/signet/internal/imagetest"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		in   string
		want Spec
		err  bool
	}{
		{"", Spec{Kind: KindAuto}, false},
		{"auto", Spec{Kind: KindAuto}, false},
		{"/dev/video2", Spec{Kind: KindDevice, Path: "/dev/video2"}, false},
		{"synthetic", Spec{Kind: KindSynthetic, Seed: 1}, false},
		{"synthetic:seed=7,scene=glare,size=640x360,fps=5", Spec{Kind: KindSynthetic, Seed: 7, Scene: "glare", Size: image.Pt(640, 360), FPS: 5}, false},
		{"synthetic:scene=nope", Spec{}, true},
		{"synthetic:seed", Spec{}, true},
		{"synthetic:size=3x3", Spec{}, true},
		{"synthetic:colour=red", Spec{}, true},
		{"file:rec.mjpeg", Spec{Kind: KindFile, Path: "rec.mjpeg", Format: frame.FormatMJPEG}, false},
		{"file:/tmp/r.yuyv?format=yuyv&size=320x240&fps=10", Spec{Kind: KindFile, Path: "/tmp/r.yuyv", Format: frame.FormatYUYV, Size: image.Pt(320, 240), FPS: 10}, false},
		{"file:r.yuyv?format=yuyv", Spec{}, true},
		{"file:r?format=h264", Spec{}, true},
		{"file:r?fps=0", Spec{}, true},
		{"file:", Spec{}, true},
		{"webcam0", Spec{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSpec(tt.in)
			if tt.err {
				if !errors.Is(err, ErrBadSpec) {
					t.Fatalf("err = %v, want ErrBadSpec", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestChooseFormat(t *testing.T) {
	d := func(w, h int, fps ...float64) SizeDesc { return SizeDesc{W: w, H: h, FPS: fps} }
	mj := func(s ...SizeDesc) FormatDesc { return FormatDesc{Pixel: PixelMJPEG, Sizes: s} }
	yu := func(s ...SizeDesc) FormatDesc { return FormatDesc{Pixel: PixelYUYV, Sizes: s} }
	tests := []struct {
		name string
		in   []FormatDesc
		want Choice
		err  error
	}{
		{"typical UVC: MJPEG 1080p30",
			[]FormatDesc{yu(d(1920, 1080, 5), d(640, 480, 30)), mj(d(1920, 1080, 30), d(1280, 720, 30), d(640, 480, 30))},
			Choice{PixelMJPEG, 1920, 1080, 30}, nil},
		{"MJPEG 1080p too slow, 720p fast",
			[]FormatDesc{mj(d(1920, 1080, 10), d(1280, 720, 30))},
			Choice{PixelMJPEG, 1280, 720, 30}, nil},
		{"4K MJPEG is out of range",
			[]FormatDesc{mj(d(3840, 2160, 30), d(1920, 1080, 30))},
			Choice{PixelMJPEG, 1920, 1080, 30}, nil},
		{"no MJPEG: YUYV 720p",
			[]FormatDesc{yu(d(1280, 720, 15), d(640, 480, 30))},
			Choice{PixelYUYV, 1280, 720, 15}, nil},
		{"YUYV only VGA",
			[]FormatDesc{yu(d(640, 480, 30), d(320, 240, 30))},
			Choice{PixelYUYV, 640, 480, 30}, nil},
		{"only slow sizes",
			[]FormatDesc{yu(d(1920, 1080, 5), d(1280, 720, 10))},
			Choice{PixelYUYV, 1920, 1080, 5}, nil},
		{"stepwise clamps to 1080p",
			[]FormatDesc{yu(SizeDesc{W: 4000, H: 3000, Stepwise: true})},
			Choice{PixelYUYV, 1920, 1080, 0}, nil},
		{"only huge", []FormatDesc{mj(d(3840, 2160, 30), d(2560, 1440, 30))},
			Choice{PixelMJPEG, 2560, 1440, 30}, nil},
		{"other formats ignored", []FormatDesc{{Pixel: 0x3231564e, Sizes: []SizeDesc{d(1920, 1080, 30)}}}, Choice{}, ErrNoFormat},
		{"nothing", nil, Choice{}, ErrNoFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ChooseFormat(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSnapshotRecordingMatchesFFmpeg(t *testing.T) {
	img, info, err := Snapshot(context.Background(), "file:testdata/demo_640x360.mjpeg", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != image.Pt(640, 360) || info.Format != frame.FormatMJPEG {
		t.Errorf("info %+v", info)
	}
	if p := imagetest.PSNR(imagetest.Read(t, filepath.Join("testdata", "demo_640x360_first.png")), img); p < 40 {
		t.Errorf("PSNR %.1f dB against ffmpeg's decode, want ≥ 40", p)
	}
}

func TestSnapshotSynthetic(t *testing.T) {
	img, _, err := Snapshot(context.Background(), "synthetic:scene=sharp,size=320x180,seed=3", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := synthetic.New(320, 180, 3).RenderFrame(synthetic.SharpSteady, 0)
	if imagetest.PSNR(want, img) != math.Inf(1) {
		t.Error("snapshot is not the scene's first frame")
	}
}

func TestReplayLoops(t *testing.T) {
	tests := []struct {
		spec   string
		size   image.Point
		frames int
	}{
		{"file:testdata/demo_640x360.mjpeg?fps=500", image.Pt(640, 360), 4},
		{"file:testdata/demo_320x240.yuyv?format=yuyv&size=320x240&fps=500", image.Pt(320, 240), 2},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cam, err := Open(ctx, tt.spec, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer cam.Close()
			if cam.Info().Size != tt.size {
				t.Errorf("size %v", cam.Info().Size)
			}
			// Receive more frames than the recording holds: it loops.
			var first []byte
			for i := 0; i < 2*tt.frames+1; i++ {
				f := <-cam.Frames()
				if f == nil {
					t.Fatal("stream ended")
				}
				if b := f.Bounds(); b.Size() != tt.size {
					t.Fatalf("frame %v", b)
				}
				if i == 0 {
					first = append(first, f.Preview().Pix...)
				}
				f.Release()
			}
			if len(first) == 0 {
				t.Fatal("no preview")
			}
		})
	}
}

func TestReplayBadFiles(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.mjpeg")
	if err := os.WriteFile(junk, []byte("not a jpeg at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(dir, "short.yuyv")
	if err := os.WriteFile(short, make([]byte, 100), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{
		"file:" + junk,
		"file:" + short + "?format=yuyv&size=320x240",
		"file:" + filepath.Join(dir, "missing.mjpeg"),
	} {
		if _, err := Open(context.Background(), spec, Options{}); err == nil {
			t.Errorf("%s: opened", spec)
		}
	}
	if _, err := Open(context.Background(), "file:"+junk, Options{}); !errors.Is(err, ErrBadRecording) {
		t.Errorf("junk: err = %v, want ErrBadRecording", err)
	}
}

func TestSyntheticCameraSetScene(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cam, err := Open(ctx, "synthetic:scene=nocard,size=64x36,fps=500", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	ss, ok := cam.(SceneSetter)
	if !ok {
		t.Fatal("synthetic camera is not a SceneSetter")
	}
	f := <-cam.Frames()
	empty := append([]byte(nil), f.Full().Pix...)
	f.Release()
	qr, _ := synthetic.SceneNamed("qr")
	ss.SetScene(qr)
	// A frame rendered after the switch differs from the empty desk.
	for range 100 {
		f := <-cam.Frames()
		same := string(f.Full().Pix) == string(empty)
		f.Release()
		if !same {
			return
		}
	}
	t.Fatal("scene did not change")
}

func TestSplitMJPEG(t *testing.T) {
	data, err := os.ReadFile("testdata/demo_640x360.mjpeg")
	if err != nil {
		t.Fatal(err)
	}
	frames, err := SplitMJPEG(append([]byte("garbage"), data...))
	if err != nil || len(frames) != 4 {
		t.Fatalf("%d frames, %v", len(frames), err)
	}
	// A truncated last frame is left out.
	frames, _ = SplitMJPEG(data[:len(data)-10])
	if len(frames) != 3 {
		t.Errorf("truncated: %d frames", len(frames))
	}
	if _, err := SplitMJPEG(nil); !errors.Is(err, ErrBadRecording) {
		t.Errorf("empty: %v", err)
	}
}

func FuzzSplitMJPEG(f *testing.F) {
	data, err := os.ReadFile("testdata/demo_640x360.mjpeg")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data[:2000])
	f.Add([]byte{0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0x00, 0xff, 0xd9})
	f.Fuzz(func(t *testing.T, b []byte) {
		frames, err := SplitMJPEG(b)
		if err == nil && len(frames) == 0 {
			t.Fatal("no error and no frames")
		}
		for _, fr := range frames {
			if len(fr) < 4 || fr[0] != 0xff || fr[1] != 0xd8 {
				t.Fatalf("frame does not start with SOI")
			}
		}
	})
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"auto", "synthetic:seed=3,scene=qr", "file:x?format=yuyv&size=64x48", "/dev/video0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ParseSpec(s)
	})
}

// A corrupt or truncated MJPEG frame in the stream is counted and dropped;
// the frames around it are delivered.
func TestReplayDropsCorruptFrames(t *testing.T) {
	data, err := os.ReadFile("testdata/demo_640x360.mjpeg")
	if err != nil {
		t.Fatal(err)
	}
	frames, err := SplitMJPEG(data)
	if err != nil {
		t.Fatal(err)
	}
	good := frames[0]
	// Cut the entropy-coded data short and end the frame there, as a
	// camera does when a USB packet is lost.
	truncated := append(append([]byte(nil), good[:len(good)/2]...), 0xff, 0xd9)
	rec := filepath.Join(t.TempDir(), "rec.mjpeg")
	if err := os.WriteFile(rec, slices.Concat(good, truncated, good), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cam, err := Open(ctx, "file:"+rec+"?fps=500", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cam.Close()
	var seqs []uint64
	for len(seqs) < 4 {
		f := <-cam.Frames()
		if f == nil {
			t.Fatal("stream ended")
		}
		seqs = append(seqs, f.Seq)
		f.Release()
	}
	if n := cam.(DropCounter).Dropped(); n == 0 {
		t.Errorf("dropped %d frames, want at least 1 (seqs %v)", n, seqs)
	}
	// Seq 2, 5, 8… are the truncated frame: never delivered.
	for _, s := range seqs {
		if s%3 == 2 {
			t.Errorf("frame %d (the truncated one) was delivered", s)
		}
	}
}
