package mrz

// This file holds debugging aids for the reader, not tests: each runs only
// when its environment variable names an input (MRZ_DEBUG, MRZ_FILE,
// MRZ_MONTAGE, MRZ_CELLS with MRZ_CELL) and writes pictures of what the
// reader saw to /tmp for a person to look at.

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestDumpGlyphs(t *testing.T) {
	if os.Getenv("MRZ_DEBUG") == "" {
		t.Skip("MRZ_DEBUG not set")
	}
	gs, err := loadGlyphs()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("w=%d h=%d pitch=%.3f", gs.w, gs.h, gs.pitchRatio)
	img := image.NewGray(image.Rect(0, 0, gs.w*len(mrzChars), gs.h))
	for c := range mrzChars {
		for y := 0; y < gs.h; y++ {
			for x := 0; x < gs.w; x++ {
				img.Pix[y*img.Stride+c*gs.w+x] = 255 - uint8(gs.ink[c][y*gs.w+x]*255)
			}
		}
	}
	writePNG(t, "/tmp/glyphs.png", img)
}

// TestDumpZone writes the sampled cells of MRZ_FILE to /tmp/zone.png.
func TestDumpZone(t *testing.T) {
	file := os.Getenv("MRZ_FILE")
	if file == "" {
		t.Skip("MRZ_FILE not set")
	}
	gs, _ := loadGlyphs()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(fh)
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	r := toRaster(img)
	if os.Getenv("MRZ_ROT") != "" {
		r = r.rotated90()
	}
	ds := detectScale(r)
	det := r
	if ds != 1 {
		det = r.scaled(ds)
	}
	dmax := max(det.w, det.h)
	bin := det.binarise(max(15, dmax/30) | 1)
	bimg := image.NewGray(image.Rect(0, 0, det.w, det.h))
	for i, b := range bin {
		if !b {
			bimg.Pix[i] = 255
		}
	}
	writePNG(t, "/tmp/bin.png", bimg)
	chains := findChains(components(bin, det.w, det.h), dmax/8)
	for _, c := range chains {
		if len(c.comps) >= 8 {
			t.Logf("chain n=%d x=%.0f..%.0f y=%.1f h=%.1f b=%.3f len/h=%.1f", len(c.comps), c.x0, c.x1, c.yAt(c.x0), c.h, c.b, (c.x1-c.x0)/c.h)
		}
	}
	groups := findGroups(chains)
	t.Logf("%d groups", len(groups))
	if len(groups) == 0 {
		return
	}
	gi := 0
	if v := os.Getenv("MRZ_GROUP"); v != "" {
		gi = int(v[0] - '0')
	}
	g := groups[gi]
	n := 44
	if len(g.lines) == 3 {
		n = 30
	}
	if os.Getenv("MRZ_N") == "36" {
		n = 36
	}
	zg, _ := geometry(g, n, ds, gs)
	W, H := gs.w+2*jitter, gs.h+2*jitter
	out := image.NewGray(image.Rect(0, 0, W*n, H*len(zg.cells)*2))
	for li, line := range zg.cells {
		for ci, c := range line {
			for y := 0; y < H; y++ {
				dy := float64(y) - float64(H-1)/2
				for x := 0; x < W; x++ {
					dx := float64(x) - float64(W-1)/2
					v := r.at(c.x+zg.ux*c.scale*dx-zg.uy*c.scale*dy, c.y+zg.uy*c.scale*dx+zg.ux*c.scale*dy)
					out.Pix[(li*2*H+y)*out.Stride+ci*W+x] = uint8(v)
				}
			}
		}
	}
	flat := sample(r, zg, false, gs, jitter, 1).classify(gs, gs.vec)
	var sc [][]cellScores
	for i := 0; i < len(flat); i += n {
		sc = append(sc, flat[i:i+n])
	}
	for li, line := range sc {
		var s string
		for ci, cs := range line {
			bi := 0
			for i := range cs {
				if cs[i] > cs[bi] {
					bi = i
				}
			}
			s += string(mrzChars[bi])
			// draw the best template under the cell
			for y := 0; y < gs.h; y++ {
				for x := 0; x < gs.w; x++ {
					out.Pix[((li*2+1)*H+jitter+y)*out.Stride+ci*W+jitter+x] = 255 - uint8(gs.ink[bi][y*gs.w+x]*255)
				}
			}
		}
		t.Logf("%s", s)
	}
	writePNG(t, "/tmp/zone.png", out)
}

// TestMontage writes each specimen's best zone, as sampled, to /tmp/zones.
func TestMontage(t *testing.T) {
	if os.Getenv("MRZ_MONTAGE") == "" {
		t.Skip("MRZ_MONTAGE not set")
	}
	names, imgs := loadSpecimens(t)
	os.MkdirAll("/tmp/zones", 0o755)
	for i, img := range imgs {
		var bestSM *sampled
		var best *Result
		debugZone = func(sm *sampled, res *Result) {
			if better(res, best) {
				best, bestSM = res, sm
			}
		}
		Read(context.Background(), img)
		debugZone = nil
		if bestSM == nil {
			continue
		}
		sm := bestSM
		rows := len(sm.patches) / sm.width
		out := image.NewGray(image.Rect(0, 0, sm.W*sm.width, sm.H*rows))
		for k, p := range sm.patches {
			li, ci := k/sm.width, k%sm.width
			for y := 0; y < sm.H; y++ {
				for x := 0; x < sm.W; x++ {
					v := 255 - p[y*sm.W+x]
					out.Pix[(li*sm.H+y)*out.Stride+ci*sm.W+x] = uint8(max(0, min(255, v)))
				}
			}
		}
		writePNG(t, "/tmp/zones/"+names[i]+".png", out)
	}
}

// bestZone reads the image in file and returns the sampled cells of the
// best zone the reader found in it.
func bestZone(t *testing.T, file string) *sampled {
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(fh)
	fh.Close()
	if err != nil {
		t.Fatal(err)
	}
	var bestSM *sampled
	var best *Result
	debugZone = func(sm *sampled, res *Result) {
		if better(res, best) {
			best, bestSM = res, sm
		}
	}
	defer func() { debugZone = nil }()
	Read(context.Background(), img)
	if bestSM == nil {
		t.Fatal("no zone found")
	}
	return bestSM
}

// TestCellScores prints the top scores of each cell of MRZ_FILE's best zone.
func TestCellScores(t *testing.T) {
	file := os.Getenv("MRZ_CELLS")
	if file == "" {
		t.Skip("MRZ_CELLS not set")
	}
	bestSM := bestZone(t, file)
	gs, _ := loadGlyphs()
	for i, sc := range bestSM.classify(gs, gs.vec) {
		idx := make([]int, len(sc))
		for k := range idx {
			idx[k] = k
		}
		sort.Slice(idx, func(a, b int) bool { return sc[idx[a]] > sc[idx[b]] })
		s := ""
		for _, k := range idx[:4] {
			s += fmt.Sprintf(" %c%.2f", mrzChars[k], sc[k])
		}
		t.Logf("%2d:%2d %s", i/bestSM.width, i%bestSM.width, s)
	}
}

// TestCellPatch writes cell MRZ_CELL (index) of MRZ_CELLS' zone beside the
// '1' and 'T' glyphs, 8× enlarged, to /tmp/cell.png.
func TestCellPatch(t *testing.T) {
	file, idx := os.Getenv("MRZ_CELLS"), os.Getenv("MRZ_CELL")
	if file == "" || idx == "" {
		t.Skip("debugging aid: set MRZ_CELLS to an image and MRZ_CELL to a cell index")
	}
	var ci int
	fmt.Sscan(idx, &ci)
	bestSM := bestZone(t, file)
	gs, _ := loadGlyphs()
	p := bestSM.patches[ci]
	const z = 8
	out := image.NewGray(image.Rect(0, 0, z*(bestSM.W+gs.w*2+4), z*bestSM.H))
	put := func(x0 int, w, h int, v []float32, ink bool) {
		mx := float32(1)
		if !ink {
			mx = 0
			for _, a := range v {
				mx = max(mx, a)
			}
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				g := uint8(255 - v[y*w+x]/mx*255)
				for dy := 0; dy < z; dy++ {
					for dx := 0; dx < z; dx++ {
						out.Pix[(y*z+dy)*out.Stride+(x0+x)*z+dx] = g
					}
				}
			}
		}
	}
	put(0, bestSM.W, bestSM.H, p, false)
	put(bestSM.W+2, gs.w, gs.h, gs.sharp[strings.IndexByte(mrzChars, '1')], true)
	put(bestSM.W+gs.w+4, gs.w, gs.h, gs.sharp[strings.IndexByte(mrzChars, 'T')], true)
	writePNG(t, "/tmp/cell.png", out)
}

func TestFixesDebug(t *testing.T) {
	file := os.Getenv("MRZ_FIXES")
	if file == "" {
		t.Skip()
	}
	fh, _ := os.Open(file)
	img, _, _ := image.Decode(fh)
	fh.Close()
	debugFixes = func(pos int, from, to byte, extra float64) { t.Logf("%d %c→%c +%.2f", pos, from, to, extra) }
	r, err := Read(context.Background(), img)
	debugFixes = nil
	if err == nil {
		t.Log(r.Valid, r.Lines)
	}
}

// writePNG writes img to path, for a person to look at.
func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(png.Encode(f, img), f.Close()); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}
