package mrz

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// specimenDir is the benchmark set of ../shared/datasets/mrz-specimens,
// beside the repository as CI lays it out.
const specimenDir = "../../../shared/datasets/mrz-specimens"

// The acceptance bar: PassportEye reads 19 of the 34, at seconds each. The
// reader validates 32: the other two carry check digits that do not hold as
// printed (0_id-esp, 77_card-cmw: see TestSpecimensInvalidAsPrinted), so
// 32 is all there is without a false valid.
// The speed on the specimens is a benchmark's to check
// (BenchmarkReadSpecimens), not a test's: this test only reports it.
const wantSpecimens = 32

func loadSpecimens(tb testing.TB) (names []string, imgs []image.Image) {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(specimenDir, "*.*g"))
	if len(files) == 0 {
		tb.Skipf("specimen set not found at %s (it lives in shared/ beside the repository)", specimenDir)
	}
	sort.Strings(files)
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			tb.Fatal(err)
		}
		img, _, err := image.Decode(fh)
		fh.Close()
		if err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		names = append(names, filepath.Base(f))
		imgs = append(imgs, img)
	}
	return names, imgs
}

// loadTruth reads testdata/specimens.txt: file name → zone lines.
func loadTruth(t *testing.T) map[string][]string {
	b, err := os.ReadFile("testdata/specimens.txt")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, para := range strings.Split(string(b), "\n\n") {
		ls := strings.Split(strings.TrimSpace(para), "\n")
		if len(ls) < 3 || strings.HasPrefix(ls[0], "#") {
			continue
		}
		out[ls[0]] = ls[1:]
	}
	return out
}

// TestSpecimens reads every specimen and counts the reads whose check
// digits all hold, and fails on any valid read that disagrees with the
// transcription in a checked field. Run it with GOMAXPROCS=1 for the
// per-image times.
func TestSpecimens(t *testing.T) {
	names, imgs := loadSpecimens(t)
	truth := loadTruth(t)
	valid, agree := 0, 0
	var worst, total time.Duration
	var lines []string
	for i, img := range imgs {
		start, cpu0 := time.Now(), cpuTime()
		r, err := Read(context.Background(), img, WithNow(testNow))
		d := time.Since(start)
		if cpu := cpuTime() - cpu0; cpu > 0 {
			d = cpu // CPU time: the machine may be shared
		}
		worst = max(worst, d)
		total += d
		status, text := "none", ""
		if err == nil {
			status = "invalid"
			if r.Valid {
				status = "VALID"
				valid++
				if want, ok := truth[names[i]]; ok {
					w, err := Parse(want, WithNow(testNow))
					if err != nil {
						t.Fatalf("%s: transcription: %v", names[i], err)
					}
					if w.DocumentCode != r.DocumentCode || w.Number != r.Number || w.BirthDate != r.BirthDate ||
						w.ExpiryDate != r.ExpiryDate || w.Optional != r.Optional {
						t.Errorf("%s: valid read disagrees with the transcription in a checked field", names[i])
						if os.Getenv("MRZ_DEBUG") != "" {
							t.Logf("want %+v\ngot  %+v", *w, *r)
						}
						status = "WRONG"
					} else {
						agree++
					}
				}
			}
			text = fmt.Sprintf("fix=%d cost=%.2f ", r.Corrected, r.Cost) + strings.Join(r.Lines, " ")
			if os.Getenv("MRZ_DEBUG") == "" {
				text = r.Format.String() // personal data stays out of CI logs
			}
		}
		lines = append(lines, strings.Join([]string{pad(names[i], 22), pad(status, 8), pad(d.Round(time.Millisecond).String(), 7), text}, " "))
	}
	t.Logf("\n%s", strings.Join(lines, "\n"))
	t.Logf("%d of %d specimens read with every check digit valid (PassportEye: 19), %d of them checked against the transcription; CPU time per image: mean %v, slowest %v",
		valid, len(imgs), agree, (total / time.Duration(len(imgs))).Round(time.Millisecond), worst.Round(time.Millisecond))
	if valid < wantSpecimens {
		t.Errorf("%d valid reads, want at least %d", valid, wantSpecimens)
	}
}

// TestSpecimensInvalidAsPrinted pins why two specimens are not read valid:
// their zones as printed (transcribed by eye in testdata/specimens.txt)
// carry check digits that do not hold, so a valid read of either would be
// a false valid. Their reads must not be called valid; 0_id-esp, printed
// in OCR-B, must be read as printed in every field a check digit covers.
func TestSpecimensInvalidAsPrinted(t *testing.T) {
	truth := loadTruth(t)
	tests := []struct {
		file string
		// data, printed digit and the digit ICAO's 7-3-1 weights give,
		// for every check that fails as printed
		fails []struct {
			data            string
			printed, actual byte
		}
		failing    []string // the checks Parse marks failed
		readAgrees bool
	}{
		{
			file: "0_id-esp.png",
			fails: []struct {
				data            string
				printed, actual byte
			}{
				{"AAA100001", '4', '8'}, // document number
				{"721201", '8', '1'},    // birth date
				{"AAA1000014<00000023T<<<<<" + "7212018" + "1101236" + "<<<<<<<<<<<", '8', '1'}, // composite
			},
			failing:    []string{"number", "birth_date", "composite"},
			readAgrees: true,
		},
		{
			// Its maker seems to have summed the whole upper line,
			// IDCMW included, which gives the printed 1.
			file: "77_card-cmw.png",
			fails: []struct {
				data            string
				printed, actual byte
			}{
				{"<512849702<<<<<<<<<<<<<<<" + "6104128" + "1402209" + "<<<<<<<<<<<", '1', '0'}, // composite
			},
			failing: []string{"composite"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			for _, f := range tc.fails {
				if d, _ := CheckDigit(f.data); d != f.actual || d == f.printed {
					t.Errorf("check digit of %d characters: %c, want %c (printed %c)", len(f.data), d, f.actual, f.printed)
				}
			}
			lines, ok := truth[tc.file]
			if !ok {
				t.Fatalf("%s not transcribed", tc.file)
			}
			want, err := Parse(lines, WithNow(testNow))
			if err != nil {
				t.Fatalf("transcription: %v", err)
			}
			var failing []string
			for _, c := range want.Checks {
				if !c.Valid {
					failing = append(failing, c.Name)
				}
			}
			if want.Valid || strings.Join(failing, " ") != strings.Join(tc.failing, " ") {
				t.Errorf("as printed: valid=%t, failing checks %q, want %q", want.Valid, failing, tc.failing)
			}
			fh, err := os.Open(filepath.Join(specimenDir, tc.file))
			if err != nil {
				t.Skipf("specimen set not found: %v", err)
			}
			img, _, err := image.Decode(fh)
			fh.Close()
			if err != nil {
				t.Fatal(err)
			}
			got, err := Read(context.Background(), img, WithNow(testNow))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if got.Valid {
				t.Errorf("read valid, but the printed check digits fail")
			}
			if tc.readAgrees && (got.DocumentCode != want.DocumentCode || got.Number != want.Number || got.BirthDate != want.BirthDate ||
				got.ExpiryDate != want.ExpiryDate || got.Optional != want.Optional) {
				t.Errorf("read differs from the print in a checked field")
			}
		})
	}
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

func BenchmarkReadSpecimens(b *testing.B) {
	_, imgs := loadSpecimens(b)
	benchReads(b, "image", len(imgs), func(int) {
		for _, img := range imgs {
			_, _ = Read(context.Background(), img, WithNow(testNow))
		}
	})
}

// turn returns img turned clockwise by quarter turns.
func turn(img image.Image, quarters int) image.Image {
	b := img.Bounds()
	var out *image.RGBA
	if quarters%2 == 1 {
		out = image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	} else {
		out = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	}
	w, h := b.Dx(), b.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := img.At(b.Min.X+x, b.Min.Y+y)
			switch quarters % 4 {
			case 0:
				out.Set(x, y, c)
			case 1:
				out.Set(h-1-y, x, c)
			case 2:
				out.Set(w-1-x, h-1-y, c)
			case 3:
				out.Set(y, w-1-x, c)
			}
		}
	}
	return out
}

// TestOrientations reads specimens turned every quarter.
func TestOrientations(t *testing.T) {
	names, imgs := loadSpecimens(t)
	truth := loadTruth(t)
	for i, name := range names {
		if name != "100_pass-uto.jpg" && (raceEnabled || name != "53_id-d.jpg" && name != "100_visa-polx.jpg") {
			continue
		}
		for q := 0; q < 4; q++ {
			r, err := Read(context.Background(), turn(imgs[i], q), WithNow(testNow))
			if err != nil {
				t.Errorf("%s turned %d×90°: %v", name, q, err)
				continue
			}
			if !r.Valid || r.Number != mustParse(t, truth[name]).Number {
				t.Errorf("%s turned %d×90°: valid=%t", name, q, r.Valid)
			}
		}
	}
}

func mustParse(t *testing.T, lines []string) *Result {
	t.Helper()
	r, err := Parse(lines, WithNow(testNow))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReadNothing(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range blank.Pix {
		blank.Pix[i] = 200
	}
	noise := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(i * 7919 % 251)
	}
	for name, img := range map[string]image.Image{
		"blank": blank, "noise": noise,
		"1×1":   image.NewGray(image.Rect(0, 0, 1, 1)),
		"empty": image.NewGray(image.Rect(0, 0, 0, 0)),
		"nil":   nil,
		"thin":  image.NewRGBA(image.Rect(0, 0, 5000, 3)),
	} {
		if r, err := Read(context.Background(), img); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: Read = %v, %v; want ErrNotFound", name, r, err)
		}
	}
	huge := image.NewGray(image.Rect(0, 0, 30000, 10))
	if _, err := Read(context.Background(), huge); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("huge image: %v, want a size error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, blank); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// FuzzRead feeds small arbitrary grey images: Read must not panic.
func FuzzRead(f *testing.F) {
	f.Add(uint8(40), uint8(30), []byte("P<UTOERIKSSON<<ANNA"))
	f.Add(uint8(1), uint8(1), []byte{0})
	f.Fuzz(func(t *testing.T, w, h uint8, pix []byte) {
		img := image.NewGray(image.Rect(0, 0, int(w), int(h)))
		for i := range img.Pix {
			if len(pix) > 0 {
				img.Pix[i] = pix[i%len(pix)]
			}
		}
		r, err := Read(context.Background(), img)
		if err == nil && len(r.Lines) == 0 {
			t.Fatal("a result without lines")
		}
	})
}
