package idscan

import (
	"image"
	"testing"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
)

func frame1080(b *testing.B, c synthetic.Conditions) (*image.RGBA, *image.Gray, image.Rectangle) {
	b.Helper()
	img, _ := synthetic.New(1920, 1080, seed).RenderFrame(c, 0)
	return img, luma(img), guideOf(1920, 1080)
}

// BenchmarkAnalyze1080p is one preview frame's live checks at 1080p.
func BenchmarkAnalyze1080p(b *testing.B) { benchAnalyze(b, synthetic.Tilted) }

// BenchmarkAnalyze1080pFar is the slowest case: the card is looked for
// twice, and the second find is checked against its surroundings.
func BenchmarkAnalyze1080pFar(b *testing.B) { benchAnalyze(b, synthetic.Far) }

func benchAnalyze(b *testing.B, c synthetic.Conditions) {
	_, y, g := frame1080(b, c)
	an := NewAnalyzer(Thresholds{})
	an.Analyze(y, g)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := an.Analyze(y, g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStill1080p is a 1080p frame to an upload-ready JPEG: the
// full-resolution recheck, the perspective crop and the encode.
func BenchmarkStill1080p(b *testing.B) {
	img, y, g := frame1080(b, synthetic.Tilted)
	s := NewScanner(Thresholds{})
	s.Preview(y, g)
	b.ReportAllocs()
	b.ResetTimer()
	var size, w, h int
	for b.Loop() {
		rep, err := s.Confirm(y, g)
		if err != nil {
			b.Fatal(err)
		}
		st, err := MakeStill(img, rep.Outline(), "identity-card-front.jpg", DefaultStillOptions())
		if err != nil {
			b.Fatal(err)
		}
		size, w, h = len(st.JPEG), st.Width, st.Height
	}
	b.ReportMetric(float64(size), "jpeg-bytes")
	b.ReportMetric(float64(w), "width-px")
	b.ReportMetric(float64(h), "height-px")
}
