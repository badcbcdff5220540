package signature

import (
	"math"
	"testing"
)

// benchPath is a long handwriting-like path with points 6–14 units and
// 16 ms apart, all of which pass the filter.
func benchPath(n int) []Point {
	pts := make([]Point, n)
	for i := range pts {
		u := float64(i)
		pts[i] = Point{
			X: 500 + 420*math.Sin(u/97) + 30*math.Sin(u/5.3),
			Y: 200 + 150*math.Sin(u/61) + 25*math.Cos(u/4.1),
			T: int64(i) * 16,
		}
	}
	return pts
}

// BenchmarkAddPoint measures one point of live drawing — filter, smoothing,
// width and incremental rasterisation — on a 1000×400 unit pad at canvas
// scale 1 (a 1000×400 px image) and at scale 2.
func BenchmarkAddPoint(b *testing.B) {
	for _, scale := range []float64{1, 2} {
		name := "scale1"
		if scale == 2 {
			name = "scale2"
		}
		b.Run(name, func(b *testing.B) {
			pts := benchPath(4096)
			s := New(1000, 400, Options{})
			dst := padSurface(1000, 400, scale)
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				if i%256 == 0 {
					// A new stroke every 256 points, like a real signature.
					if i%len(pts) == 0 {
						s.Clear()
						clear(dst.Image.Pix)
					}
					s.BeginStroke(pts[i%len(pts)], dst)
				} else {
					s.AddPoint(pts[i%len(pts)], dst)
				}
				i++
			}
		})
	}
}

// BenchmarkExport measures the export of a three-stroke signature: render
// at 1200 px, trim and PNG.
func BenchmarkExport(b *testing.B) {
	s := loadRecorded(b)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		out, err := s.PNG(ExportOptions{Width: 1200})
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.ReportMetric(float64(n), "png-bytes")
}
