package signature

import (
	"encoding/binary"
	"image"
	"math"
	"testing"
)

// FuzzParse feeds the importer arbitrary bytes: it must never panic, and
// what it accepts must render and export without panicking.
func FuzzParse(f *testing.F) {
	// Small seeds: the fuzzer minimises every interesting input by running it
	// many times, which a full recorded signature makes slow.
	f.Add([]byte(`{"version":1,"width":1000,"height":400,"pen":{"min_width":0.5,"max_width":2.5},"strokes":[[{"x":130,"y":111,"t":0},{"x":133,"y":140,"t":16},{"x":150,"y":190,"t":32},{"x":190,"y":215,"t":48}],[{"x":640,"y":120,"t":900}]]}`))
	f.Add([]byte(`{"version":1,"width":10,"height":10,"strokes":[[{"x":1,"y":1,"t":0}]]}`))
	f.Add([]byte(`{"version":1,"width":1,"height":1e6,"pen":{"min_width":100,"max_width":100},"strokes":[[{"x":-1e6,"y":1e6,"t":0},{"x":1e6,"y":-1e6,"t":0}]]}`))
	f.Add([]byte(`{"version":1,"width":10,"height":10,"strokes":[[{"x":1,"y":1,"t":-9223372036854775808},{"x":1,"y":1,"t":9223372036854775807}]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, Options{})
		if err != nil {
			return
		}
		dst := padSurface(64, 32, 1)
		s.Render(dst)
		_, _ = s.PNG(ExportOptions{Width: 64})
		_ = s.Check(DefaultInkRule)
	})
}

// FuzzPoints feeds the live drawing path any sequence of points (huge,
// negative, NaN, Inf, repeated, zero or negative time steps) and checks it
// never panics and never draws outside the pad's image.
func FuzzPoints(f *testing.F) {
	enc := func(ops ...any) []byte {
		var b []byte
		for _, o := range ops {
			switch v := o.(type) {
			case byte:
				b = append(b, v)
			case float64:
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
			case int64:
				b = binary.LittleEndian.AppendUint64(b, uint64(v))
			}
		}
		return b
	}
	f.Add(enc(byte(0), 10.0, 10.0, int64(0), byte(1), 50.0, 20.0, int64(20), byte(1), 90.0, 60.0, int64(40), byte(2)))
	f.Add(enc(byte(0), math.NaN(), 1.0, int64(0), byte(1), math.Inf(1), 5.0, int64(0), byte(3)))
	f.Add(enc(byte(0), -1e308, 1e308, int64(0), byte(1), 1e308, -1e308, int64(0), byte(1), 5.0, 5.0, int64(-7), byte(2)))
	f.Add(enc(byte(0), 30.0, 30.0, int64(5), byte(1), 30.0, 30.0, int64(5), byte(1), 30.0, 30.0, int64(5), byte(4), byte(5)))
	f.Fuzz(func(t *testing.T, data []byte) {
		big := image.NewRGBA(image.Rect(0, 0, 160, 100))
		pad := image.Rect(30, 20, 130, 80)
		dst := &Surface{Image: big.SubImage(pad).(*image.RGBA), Scale: 1, Color: padSurface(1, 1, 1).Color}
		s := New(100, 60, Options{})
		for len(data) > 0 {
			op := data[0] % 6
			data = data[1:]
			var p Point
			if op < 3 {
				if len(data) < 24 {
					break
				}
				p = Point{
					X: math.Float64frombits(binary.LittleEndian.Uint64(data)),
					Y: math.Float64frombits(binary.LittleEndian.Uint64(data[8:])),
					T: int64(binary.LittleEndian.Uint64(data[16:])),
				}
				data = data[24:]
			}
			var dirty image.Rectangle
			switch op {
			case 0:
				dirty, _ = s.BeginStroke(p, dst)
			case 1:
				dirty, _ = s.AddPoint(p, dst)
			case 2:
				dirty = s.EndStrokeAt(p, dst)
			case 3:
				dirty = s.EndStroke(dst)
			case 4:
				s.Undo()
				s.Render(dst)
			case 5:
				s.Render(dst)
			}
			if !dirty.In(pad) && !dirty.Empty() {
				t.Fatalf("dirty rectangle %v outside the pad %v", dirty, pad)
			}
		}
		s.EndStroke(dst)
		assertOnlyInside(t, big, pad)
		_, _ = s.PNG(ExportOptions{Width: 200})
		_ = s.Check(DefaultInkRule)
	})
}
