package idscan

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
)

func TestMakeStill(t *testing.T) {
	const w, h = 1920, 1080
	r := synthetic.New(w, h, seed)
	img, _ := r.RenderFrame(synthetic.SharpSteady, 0)
	g := guideOf(w, h)
	big := image.NewRGBA(image.Rect(0, 0, 3000, 2000))
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range big.Pix {
		big.Pix[i] = uint8(rnd.UintN(256)) // noise: hard to compress
	}
	portrait := QuadFromRect(image.Rect(100, 100, 500, 700))
	tests := []struct {
		name    string
		frame   image.Image
		q       Quad
		o       StillOptions
		wantW   int
		wantH   int
		maxQ    int
		wantErr error
	}{
		{"guide", img, QuadFromRect(g), DefaultStillOptions(), g.Dx(), g.Dy(), 85, nil},
		{"long side cap", img, QuadFromRect(g), StillOptions{MaxLongSide: 800}, 800, int(math.Round(800 * float64(g.Dy()) / float64(g.Dx()))), 85, nil},
		{"portrait turned", img, portrait, DefaultStillOptions(), 600, 400, 85, nil},
		{"quality and size step down", big, QuadFromRect(big.Rect), StillOptions{MaxBytes: 1 << 20}, -1, -1, 85, nil},
		{"does not fit", big.SubImage(image.Rect(0, 0, 300, 200)), QuadFromRect(image.Rect(0, 0, 300, 200)), StillOptions{MaxBytes: 100}, 0, 0, 0, ErrTooLarge},
		{"nil frame", nil, QuadFromRect(g), DefaultStillOptions(), 0, 0, 0, ErrEmptyFrame},
		{"degenerate", img, Quad{{0, 0}, {10, 0}, {20, 0}, {30, 0}}, DefaultStillOptions(), 0, 0, 0, ErrBadOutline},
		{"NaN", img, Quad{{math.NaN(), 0}, {10, 0}, {10, 10}, {0, 10}}, DefaultStillOptions(), 0, 0, 0, ErrBadOutline},
		{"outside", img, QuadFromRect(image.Rect(5000, 5000, 6000, 6000)), DefaultStillOptions(), 0, 0, 0, ErrBadOutline},
		{"counter-clockwise", img, Quad{{0, 0}, {0, 10}, {10, 10}, {10, 0}}, DefaultStillOptions(), 0, 0, 0, ErrBadOutline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := MakeStill(tt.frame, tt.q, "identity-card-front.jpg", tt.o)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if tt.wantW < 0 {
				if st.Quality == 85 && st.Width == 2000 {
					t.Errorf("neither quality nor size stepped down: %v", st)
				}
			} else if st.Width != tt.wantW || st.Height != tt.wantH {
				t.Errorf("size %dx%d, want %dx%d", st.Width, st.Height, tt.wantW, tt.wantH)
			}
			if st.Quality > tt.maxQ {
				t.Errorf("quality %d, want ≤ %d", st.Quality, tt.maxQ)
			}
			max := tt.o.withDefaults().MaxBytes
			if len(st.JPEG) > max {
				t.Errorf("%d bytes > %d", len(st.JPEG), max)
			}
			if st.ContentType != "image/jpeg" || st.Filename != "identity-card-front.jpg" {
				t.Errorf("content type %q filename %q", st.ContentType, st.Filename)
			}
			// No metadata: SOI then straight into the JFIF/quantisation
			// segments, no APP1 (Exif/XMP).
			if !bytes.HasPrefix(st.JPEG, []byte{0xFF, 0xD8}) || bytes.Contains(st.JPEG, []byte("Exif")) ||
				bytes.Contains(st.JPEG, []byte{0xFF, 0xE1}) {
				t.Error("not a bare JPEG")
			}
			m, err := jpeg.Decode(bytes.NewReader(st.JPEG))
			if err != nil {
				t.Fatal(err)
			}
			if m.Bounds().Dx() != st.Width || m.Bounds().Dy() != st.Height {
				t.Errorf("decoded %v", m.Bounds())
			}
		})
	}
}

// TestMakeStillFormats: every frame type gives the same picture.
func TestMakeStillFormats(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 200, 120))
	for y := range 120 {
		for x := range 200 {
			src.Set(x, y, color.RGBA{uint8(x), uint8(y * 2), 128, 255})
		}
	}
	ycc := image.NewYCbCr(src.Rect, image.YCbCrSubsampleRatio444)
	for y := range 120 {
		for x := range 200 {
			c := src.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			ycc.Y[ycc.YOffset(x, y)], ycc.Cb[ycc.COffset(x, y)], ycc.Cr[ycc.COffset(x, y)] = yy, cb, cr
		}
	}
	nrgba := &image.NRGBA{Pix: src.Pix, Stride: src.Stride, Rect: src.Rect}
	sub := src.SubImage(image.Rect(20, 10, 180, 110))
	q := QuadFromRect(image.Rect(20, 10, 180, 110))
	o := StillOptions{Quality: 100}
	ref, err := MakeStill(src, q, "a.jpg", o)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]image.Image{"ycbcr": ycc, "nrgba": nrgba, "sub": sub} {
		st, err := MakeStill(f, q, "a.jpg", o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st.Width != ref.Width || st.Height != ref.Height {
			t.Errorf("%s: %dx%d", name, st.Width, st.Height)
		}
		a, _ := jpeg.Decode(bytes.NewReader(ref.JPEG))
		b, _ := jpeg.Decode(bytes.NewReader(st.JPEG))
		if d := meanDiff(a, b); d > 3 {
			t.Errorf("%s: differs by %.1f grey levels", name, d)
		}
	}
}

func meanDiff(a, b image.Image) float64 {
	var s float64
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			s += math.Abs(float64(r1)-float64(r2)) + math.Abs(float64(g1)-float64(g2)) + math.Abs(float64(b1)-float64(b2))
		}
	}
	return s / float64(3*r.Dx()*r.Dy()) / 257
}

func TestStillPrintsNoContent(t *testing.T) {
	st := &Still{Filename: "passport-front.jpg", ContentType: ContentType, Width: 10, Height: 5, Quality: 85, JPEG: []byte("SECRETBYTES")}
	if s := st.String(); strings.Contains(s, "SECRET") || !strings.Contains(s, "passport-front.jpg") {
		t.Errorf("String %q", s)
	}
	if s := st.LogValue().String(); strings.Contains(s, "SECRET") {
		t.Errorf("LogValue %q", s)
	}
	b := st.JPEG
	st.Wipe()
	if st.JPEG != nil || string(b) != string(make([]byte, len(b))) {
		t.Error("Wipe left the bytes")
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name  string
		kind  string
		sides int
		front string
	}{
		{"Passport", "passport", 1, "passport-front.jpg"},
		{"Passeport", "passport", 1, "passport-front.jpg"},
		{"REISEPASS", "passport", 1, "passport-front.jpg"},
		{"Pasaporte", "passport", 1, "passport-front.jpg"},
		{"Paspoort", "passport", 1, "passport-front.jpg"},
		{"Identity card", "identity-card", 2, "identity-card-front.jpg"},
		{"Carte d'identité", "identity-card", 2, "identity-card-front.jpg"},
		{"Personalausweis", "identity-card", 2, "identity-card-front.jpg"},
		{"Driving licence", "driving-licence", 2, "driving-licence-front.jpg"},
		{"Permis de conduire", "driving-licence", 2, "driving-licence-front.jpg"},
		{"Führerschein", "driving-licence", 2, "driving-licence-front.jpg"},
		{"Residence permit", "residence-permit", 2, "residence-permit-front.jpg"},
		{"Titre de séjour", "residence-permit", 2, "residence-permit-front.jpg"},
		{"Permis de séjour", "residence-permit", 2, "residence-permit-front.jpg"},
		{"Verblijfsvergunning", "residence-permit", 2, "residence-permit-front.jpg"},
		{"Seaman's book", "seaman-s-book", 2, "seaman-s-book-front.jpg"},
		{"", "document", 2, "document-front.jpg"},
		{"../../etc/passwd", "etc-passwd", 2, "etc-passwd-front.jpg"},
	}
	for _, tt := range tests {
		d := Classify(tt.name, nil)
		if d.Kind != tt.kind || len(d.Sides) != tt.sides || d.Filename(SideFront) != tt.front {
			t.Errorf("Classify(%q) = %+v %s, want %s %d %s", tt.name, d, d.Filename(SideFront), tt.kind, tt.sides, tt.front)
		}
	}
	// Configured rules replace the defaults.
	rules := []DocRule{{Match: []string{"ID"}, Kind: "Nat ID", Sides: 1}}
	if d := Classify("National ID", rules); d.Kind != "nat-id" || len(d.Sides) != 1 || d.Filename(SideFront) != "nat-id-front.jpg" {
		t.Errorf("configured: %+v", d)
	}
	if d := Classify("Identity card", nil); d.Filename(SideBack) != "identity-card-back.jpg" {
		t.Errorf("back: %s", d.Filename(SideBack))
	}
}

func FuzzAnalyze(f *testing.F) {
	f.Add(uint16(64), uint16(48), int16(4), int16(4), int16(60), int16(40), []byte{1, 2, 3, 255, 0})
	f.Add(uint16(320), uint16(200), int16(40), int16(30), int16(280), int16(170), []byte{200, 10})
	f.Add(uint16(1), uint16(1), int16(0), int16(0), int16(1), int16(1), []byte{})
	f.Fuzz(func(t *testing.T, w, h uint16, x0, y0, x1, y1 int16, seed []byte) {
		if int(w)*int(h) > 1<<20 {
			return
		}
		y := image.NewGray(image.Rect(0, 0, int(w), int(h)))
		for i := range y.Pix {
			if len(seed) > 0 {
				y.Pix[i] = seed[i%len(seed)] + uint8(i/len(seed))
			}
		}
		g := image.Rect(int(x0), int(y0), int(x1), int(y1))
		s := NewScanner(Thresholds{})
		for range 2 {
			rep, err := s.Preview(y, g)
			if err != nil {
				return
			}
			if rep.Report.Found && !rep.Report.Quad.valid() {
				t.Fatalf("invalid quad %v", rep.Report.Quad)
			}
			if _, err := MakeStill(image.NewRGBA(y.Rect), rep.Report.Outline(), "x.jpg", StillOptions{MaxLongSide: 64}); err != nil &&
				!errors.Is(err, ErrBadOutline) && !errors.Is(err, ErrEmptyFrame) {
				t.Fatal(err)
			}
		}
	})
}
