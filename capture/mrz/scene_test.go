package mrz

// This file generates the synthetic capture set of issue 19: whole
// 1920×1080 camera frames of an identity card (TD1), a passport data page
// (TD3) or a TD2 card held at the kiosk, under the conditions the issue
// lists and a little beyond them. The zone is printed in OCR-B from
// Debian's fonts-ocr-b (the embedded TrueType conversion of OCRB.otf, see
// glyphs.go); the rest of the document in the Go fonts.

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

const (
	frameW, frameH = 1920, 1080
)

// sceneParams are the conditions of one frame.
type sceneParams struct {
	format    Format
	widthFrac float64 // document width over frame width
	rotate    float64 // degrees
	persp     float64 // largest corner shift, as a fraction of the document's size
	blur      float64 // Gaussian σ in frame pixels
	light     float64 // 0..1
	noise     float64 // σ of sensor noise, grey levels
	quality   int     // JPEG quality
	glare     bool
	noDoc     bool
}

// docSpec is one document: its zone and how its page looks.
type docSpec struct {
	format Format
	lines  []string
	name   string // printed in the visual zone too
	tint   [3]float64
	seed   uint64
}

var (
	sceneFontsOnce                 sync.Once
	sceneOCRB, sceneReg, sceneBold *opentype.Font
	sceneFontsErr                  error
)

func sceneFonts() error {
	sceneFontsOnce.Do(func() {
		if sceneOCRB, sceneFontsErr = opentype.Parse(ocrbFont); sceneFontsErr != nil {
			return
		}
		if sceneReg, sceneFontsErr = opentype.Parse(goregular.TTF); sceneFontsErr != nil {
			return
		}
		sceneBold, sceneFontsErr = opentype.Parse(gobold.TTF)
	})
	return sceneFontsErr
}

var (
	surnames = []string{"MARTIN", "DE<VRIES", "KOWALSKA", "OKAFOR", "NGUYEN", "GARCIA<LOPEZ", "ERIKSSON", "MUELLER", "ROSSI", "OBRIEN", "SZABO", "TANAKA", "HAGEN", "PETROVA", "DUBOIS", "ALMEIDA"}
	givens   = []string{"ELENA", "JAN<PIETER", "ANNA<MARIA", "CHIDI", "LINH", "LUCIA", "KARL", "SOFIA", "MARCO", "WOJCIECH", "ZOE", "HIRO", "INGRID", "OLGA<IVANOVNA", "NOEL"}
	states   = []string{"NLD", "D<<", "FRA", "POL", "GBR", "ESP", "ITA", "CHE", "AUT", "SWE", "UTO", "BEL", "CZE", "HUN"}
)

func cd(s string) string {
	d, _ := CheckDigit(s)
	return string(d)
}

func padTo(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

// randomDoc makes a document of format f with valid check digits.
func randomDoc(rng *rand.Rand, f Format) docSpec {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	num := make([]byte, 9)
	for i := range num {
		if i < 2 && rng.IntN(2) == 0 {
			num[i] = alnum[rng.IntN(26)]
		} else {
			num[i] = alnum[26+rng.IntN(10)]
		}
	}
	date := func(y0, y1 int) string {
		return fmt.Sprintf("%02d%02d%02d", (y0+rng.IntN(y1-y0))%100, 1+rng.IntN(12), 1+rng.IntN(28))
	}
	birth := date(1940, 2006)
	expiry := date(2027, 2036)
	sex := []string{"M", "F", "<"}[rng.IntN(3)]
	state := states[rng.IntN(len(states))]
	nat := state
	if rng.IntN(5) == 0 {
		nat = states[rng.IntN(len(states))]
	}
	sur, giv := surnames[rng.IntN(len(surnames))], givens[rng.IntN(len(givens))]
	name := sur + "<<" + giv
	d := docSpec{format: f, name: strings.ReplaceAll(sur, "<", " "), seed: rng.Uint64()}
	d.tint = [3]float64{0.9 + 0.1*rng.Float64(), 0.9 + 0.1*rng.Float64(), 0.9 + 0.1*rng.Float64()}
	n := string(num)
	switch f {
	case TD1:
		opt1 := padTo(fmt.Sprintf("%d", rng.IntN(1e6)), 15)
		if rng.IntN(2) == 0 {
			opt1 = padTo("", 15)
		}
		l1 := "I<" + state + n + cd(n) + opt1
		l2 := birth + cd(birth) + sex + expiry + cd(expiry) + nat + padTo("", 11)
		comp := l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
		l2 += cd(comp)
		d.lines = []string{l1, l2, padTo(name, 30)}
	case TD2:
		l1 := padTo("I<"+state+name, 36)
		l2 := n + cd(n) + nat + birth + cd(birth) + sex + expiry + cd(expiry) + padTo("", 7)
		comp := l2[0:10] + l2[13:20] + l2[21:35]
		d.lines = []string{l1, l2 + cd(comp)}
	default:
		opt := padTo(fmt.Sprintf("%d", rng.IntN(1e8)), 14)
		if rng.IntN(2) == 0 {
			opt = padTo("", 14)
		}
		l1 := padTo("P<"+state+name, 44)
		l2 := n + cd(n) + nat + birth + cd(birth) + sex + expiry + cd(expiry) + opt + cd(opt)
		comp := l2[0:10] + l2[13:20] + l2[21:43]
		d.lines = []string{l1, l2 + cd(comp)}
	}
	return d
}

// docSizeMM is the page size of format f in millimetres.
func docSizeMM(f Format) (w, h float64) {
	switch f {
	case TD1:
		return 85.6, 53.98
	case TD2:
		return 105, 74
	}
	return 125, 88
}

// docPage renders the page of d at pxPerMM: ink (0 paper … 1 black) and a
// background shade (1 plain paper, less for printed tints).
type docPage struct {
	w, h  int
	ink   []float32
	shade []float32
}

func (p *docPage) at(x, y float64) (ink, shade float32) {
	if x < 0 || y < 0 || x > float64(p.w-1) || y > float64(p.h-1) {
		return 0, 1
	}
	x0, y0 := int(x), int(y)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	x1, y1 := min(x0+1, p.w-1), min(y0+1, p.h-1)
	bl := func(v []float32) float32 {
		a := v[y0*p.w+x0]*(1-fx) + v[y0*p.w+x1]*fx
		b := v[y1*p.w+x0]*(1-fx) + v[y1*p.w+x1]*fx
		return a*(1-fy) + b*fy
	}
	return bl(p.ink), bl(p.shade)
}

func drawText(dst *image.Alpha, f *opentype.Font, px float64, x, y float64, s string) error {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return err
	}
	defer face.Close()
	d := font.Drawer{Dst: dst, Src: image.Opaque, Face: face, Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}}
	d.DrawString(s)
	return nil
}

// drawMRZ prints the zone in OCR-B at a fixed pitch of 2.54 mm (ten
// characters to the inch), each character in its own cell.
func drawMRZ(dst *image.Alpha, pxPerMM float64, x0, firstBaseline, linePitch float64, lines []string) error {
	// OCR-B's advance is 0.723 em; size the font so it is 2.54 mm.
	em := 2.54 * pxPerMM / 0.723
	face, err := opentype.NewFace(sceneOCRB, &opentype.FaceOptions{Size: em, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return err
	}
	defer face.Close()
	for li, l := range lines {
		for ci := 0; ci < len(l); ci++ {
			x := x0 + float64(ci)*2.54*pxPerMM
			y := firstBaseline + float64(li)*linePitch
			d := font.Drawer{Dst: dst, Src: image.Opaque, Face: face, Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}}
			d.DrawString(l[ci : ci+1])
		}
	}
	return nil
}

// renderPage draws d's page at pxPerMM.
func renderPage(d docSpec, pxPerMM float64) (*docPage, error) {
	if err := sceneFonts(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(d.seed, 7))
	wmm, hmm := docSizeMM(d.format)
	w, h := int(wmm*pxPerMM), int(hmm*pxPerMM)
	p := &docPage{w: w, h: h, ink: make([]float32, w*h), shade: make([]float32, w*h)}
	// A guilloche: fine, faint waves over the whole page.
	f1, f2, ph := 0.15+0.1*rng.Float64(), 0.03+0.03*rng.Float64(), rng.Float64()*6
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			xm, ym := float64(x)/pxPerMM, float64(y)/pxPerMM
			v := math.Sin(2 * math.Pi * (f1*ym + 0.8*math.Sin(2*math.Pi*f2*xm+ph)))
			s := 0.96 - 0.05*math.Max(0, v*v*v*v*v*v*v*v*v*v) - 0.03*xm/wmm
			p.shade[y*w+x] = float32(s)
		}
	}
	ink := image.NewAlpha(image.Rect(0, 0, w, h))
	mm := func(v float64) float64 { return v * pxPerMM }
	// Photo: a darker block with a face-like blob.
	phX, phY, phW, phH := mm(4), mm(9), mm(22), mm(25)
	if d.format != TD1 {
		phX, phY, phW, phH = mm(6), mm(18), mm(32), mm(40)
	}
	for y := int(phY); y < int(phY+phH); y++ {
		for x := int(phX); x < int(phX+phW); x++ {
			dx, dy := (float64(x)-phX-phW/2)/(phW/2), (float64(y)-phY-phH*0.42)/(phH/2.6)
			v := 0.35 + 0.1*float64(y-int(phY))/phH
			if dx*dx+dy*dy < 0.5 {
				v = 0.55
			}
			if dy > 0.9 && math.Abs(dx) < 0.9 {
				v = 0.75
			}
			ink.Pix[y*w+x] = uint8(255 * v)
		}
	}
	// Headings, labels and fields in the visual zone.
	tx := phX + phW + mm(4)
	title := map[Format]string{TD1: "IDENTITY CARD  CARTE D'IDENTITE", TD2: "RESIDENCE PERMIT", TD3: "PASSPORT  PASSEPORT"}[d.format]
	if err := drawText(ink, sceneBold, mm(3.2), mm(4), mm(6), title); err != nil {
		return nil, err
	}
	fields := []string{"Surname / Nom", d.name, "Given names / Prénoms", "AAAA BBB", "Nationality", "XYZ", "Date of birth", fmt.Sprintf("%02d %02d %d", 1+rng.IntN(28), 1+rng.IntN(12), 1950+rng.IntN(50)), "Document no.", fmt.Sprintf("%09d", rng.IntN(1e9))}
	y := phY + mm(2)
	step, small, big := mm(2.6), mm(1.5), mm(2.2)
	switch d.format {
	case TD2:
		step, small, big = mm(4.2), mm(1.8), mm(2.6)
	case TD3:
		step, small, big = mm(5.5), mm(1.8), mm(2.6)
	}
	for i, s := range fields {
		sz, f := small, sceneReg
		if i%2 == 1 {
			sz, f = big, sceneBold
		}
		if err := drawText(ink, f, sz, tx, y, s); err != nil {
			return nil, err
		}
		y += step * 0.5
		if i%2 == 1 {
			y += step * 0.6
		}
	}
	// Signature-like scribble.
	for t := 0.0; t < 1; t += 0.0005 {
		x := tx + mm(30)*t
		yy := y + mm(3)*math.Sin(t*25+ph)*math.Sin(t*7)
		for k := 0; k < 2; k++ {
			xi, yi := int(x), int(yy)+k
			if xi >= 0 && xi < w && yi >= 0 && yi < h {
				ink.Pix[yi*w+xi] = 200
			}
		}
	}
	// The zone: ICAO 9303 places it along the bottom edge at ten
	// characters to the inch; line centres about 4.2 mm apart.
	n, cw := d.format.Lines()
	pitch := 4.23
	if d.format == TD3 {
		pitch = 4.6
	}
	left := (wmm - float64(cw)*2.54) / 2
	bottom := hmm - 4.2 // baseline of the last line
	first := bottom - float64(n-1)*pitch
	if err := drawMRZ(ink, pxPerMM, mm(left), mm(first), mm(pitch), d.lines); err != nil {
		return nil, err
	}
	for i, v := range ink.Pix {
		p.ink[i] = float32(v) / 255
	}
	return p, nil
}

// homography maps (x, y) to (X, Y) through a 3×3 matrix.
type homography [9]float64

func (m homography) apply(x, y float64) (float64, float64) {
	w := m[6]*x + m[7]*y + m[8]
	return (m[0]*x + m[1]*y + m[2]) / w, (m[3]*x + m[4]*y + m[5]) / w
}

// homographyFrom solves the homography taking src[i] to dst[i].
func homographyFrom(src, dst [4][2]float64) homography {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, X, Y := src[i][0], src[i][1], dst[i][0], dst[i][1]
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -X * x, -X * y, X}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -Y * x, -Y * y, Y}
	}
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < 8; r++ {
			if r != c {
				f := a[r][c] / a[c][c]
				for k := c; k < 9; k++ {
					a[r][k] -= f * a[c][k]
				}
			}
		}
	}
	var m homography
	for i := 0; i < 8; i++ {
		m[i] = a[i][8] / a[i][i]
	}
	m[8] = 1
	return m
}

// pose is where the document's corners lie in the frame.
type pose struct{ corners [4][2]float64 }

// randomPose places a document of aspect hmm/wmm in the frame.
func randomPose(rng *rand.Rand, p sceneParams, wmm, hmm float64) pose {
	w := p.widthFrac * frameW
	h := w * hmm / wmm
	th := p.rotate * math.Pi / 180
	cs, sn := math.Cos(th), math.Sin(th)
	ext := math.Abs(w*cs) + math.Abs(h*sn)
	exty := math.Abs(w*sn) + math.Abs(h*cs)
	cx := frameW/2 + (rng.Float64()-0.5)*math.Max(0, frameW-ext-60)
	cy := frameH/2 + (rng.Float64()-0.5)*math.Max(0, frameH-exty-60)
	var ps pose
	for i, c := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		x, y := c[0]*w/2, c[1]*h/2
		x += (rng.Float64()*2 - 1) * p.persp * w
		y += (rng.Float64()*2 - 1) * p.persp * h
		ps.corners[i] = [2]float64{cx + x*cs - y*sn, cy + x*sn + y*cs}
	}
	return ps
}

// randomParams draws the conditions of frame i of the set: the issue's
// ranges, widened a little.
func randomParams(rng *rand.Rand, i int) sceneParams {
	u := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	f := TD1
	switch i % 5 {
	case 1, 3:
		f = TD3
	case 4:
		if i%10 == 9 {
			f = TD2
		}
	}
	return sceneParams{
		format:    f,
		widthFrac: u(0.43, 0.67),
		rotate:    u(-9, 9),
		persp:     u(0, 0.065),
		blur:      u(0.5, 1.4),
		light:     u(0.52, 0.92),
		noise:     u(1.5, 5),
		quality:   50 + rng.IntN(26),
		glare:     rng.IntN(3) > 0,
	}
}

// deskPlane is the background behind the document: wood-like bands,
// computed once.
var deskPlane = sync.OnceValue(func() []float32 {
	out := make([]float32, frameW*frameH)
	for y := 0; y < frameH; y++ {
		for x := 0; x < frameW; x++ {
			fx, fy := float64(x), float64(y)
			out[y*frameW+x] = float32(0.55 + 0.08*math.Sin(fx*0.004) + 0.05*math.Sin((fx+2*fy)*0.02+math.Sin(fy*0.01)*3))
		}
	}
	return out
})

// renderScene renders one frame: the document d (nil for none) under p,
// with the frame's own noise from rng. It returns the JPEG-decoded frame.
func renderScene(rng *rand.Rand, d *docSpec, page *docPage, p sceneParams, ps pose) (image.Image, error) {
	Y := make([]float32, frameW*frameH)
	desk := deskPlane()
	// Light falls off across the frame.
	lx, ly := rng.Float64()*frameW, rng.Float64()*frameH
	light := func(x, y float64) float64 {
		dx, dy := (x-lx)/frameW, (y-ly)/frameH
		return p.light * (1 - 0.25*(dx*dx+dy*dy))
	}
	var inv homography
	var rgb [3]float64
	if d != nil {
		src := [4][2]float64{{0, 0}, {float64(page.w), 0}, {float64(page.w), float64(page.h)}, {0, float64(page.h)}}
		inv = homographyFrom(ps.corners, src)
		rgb = d.tint
	}
	// Clutter on the desk: a receipt with short lines of text.
	clutter := image.NewAlpha(image.Rect(0, 0, frameW, frameH))
	if err := sceneFonts(); err != nil {
		return nil, err
	}
	cxr, cyr := rng.Float64()*frameW*0.8, rng.Float64()*frameH*0.6
	for k := 0; k < 6; k++ {
		var b strings.Builder
		for j := 0; j < 8+rng.IntN(12); j++ {
			b.WriteByte("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 <"[rng.IntN(38)])
		}
		f := sceneReg
		if k%2 == 0 {
			f = sceneOCRB
		}
		if err := drawText(clutter, f, 22, cxr, cyr+float64(k)*30, b.String()); err != nil {
			return nil, err
		}
	}
	// Without a document, often a printed sheet whose text looks like a
	// zone: two or three long, evenly spaced lines of OCR-B capitals,
	// digits and fillers that are no zone.
	var sheet image.Rectangle
	if page == nil && rng.IntN(3) > 0 {
		nl, nc := 2+rng.IntN(2), 30+rng.IntN(15)
		px := 18 + rng.Float64()*10
		x0, y0 := 100+rng.Float64()*300, 300+rng.Float64()*400
		sheet = image.Rect(int(x0-40), int(y0-2*px), int(x0+float64(nc)*px*0.75+40), int(y0+float64(nl)*px*1.7+px))
		for k := 0; k < nl; k++ {
			b := make([]byte, nc)
			for j := range b {
				b[j] = mrzChars[rng.IntN(len(mrzChars))]
				if rng.IntN(3) == 0 {
					b[j] = '<'
				}
			}
			if err := drawText(clutter, sceneOCRB, px, x0, y0+float64(k)*px*1.7, string(b)); err != nil {
				return nil, err
			}
		}
	}
	for y := 0; y < frameH; y++ {
		for x := 0; x < frameW; x++ {
			fx, fy := float64(x), float64(y)
			v := float64(desk[y*frameW+x])
			if image.Pt(x, y).In(sheet) {
				v = 0.93
			}
			if c := clutter.Pix[y*frameW+x]; c > 0 {
				v = v*(1-float64(c)/255*0.8) + 0
			}
			if page != nil {
				u, w := inv.apply(fx, fy)
				if u >= 0 && w >= 0 && u < float64(page.w) && w < float64(page.h) {
					ink, shade := page.at(u, w)
					v = float64(shade)*(1-float64(ink)) + 0.08*float64(ink)
				}
			}
			Y[y*frameW+x] = float32(v * light(fx, fy) * 255)
		}
	}
	// A soft glare spot on the document, away from the zone (its upper
	// half), or anywhere on the desk.
	if p.glare {
		gx, gy, gr := rng.Float64()*frameW, rng.Float64()*frameH, 60+rng.Float64()*120
		if page != nil {
			m := homographyFrom([4][2]float64{{0, 0}, {float64(page.w), 0}, {float64(page.w), float64(page.h)}, {0, float64(page.h)}}, ps.corners)
			gx, gy = m.apply(float64(page.w)*(0.2+0.6*rng.Float64()), float64(page.h)*(0.1+0.3*rng.Float64()))
		}
		amp := 120 + 120*rng.Float64()
		r := int(3 * gr)
		for y := max(0, int(gy)-r); y < min(frameH, int(gy)+r); y++ {
			for x := max(0, int(gx)-r); x < min(frameW, int(gx)+r); x++ {
				dx, dy := float64(x)-gx, float64(y)-gy
				Y[y*frameW+x] += float32(amp * math.Exp(-(dx*dx+dy*dy)/(2*gr*gr)))
			}
		}
	}
	Y = gaussian(Y, frameW, frameH, p.blur)
	img := image.NewYCbCr(image.Rect(0, 0, frameW, frameH), image.YCbCrSubsampleRatio420)
	for i, v := range Y {
		v += float32(rng.NormFloat64() * p.noise)
		img.Y[i] = uint8(max(0, min(255, v)))
	}
	// Chroma: the document's tint over a brownish desk.
	for y := 0; y < frameH/2; y++ {
		for x := 0; x < frameW/2; x++ {
			cb, cr := uint8(118), uint8(140)
			if page != nil {
				u, w := inv.apply(float64(2*x), float64(2*y))
				if u >= 0 && w >= 0 && u < float64(page.w) && w < float64(page.h) {
					_, cb, cr = color.RGBToYCbCr(uint8(255*rgb[0]), uint8(255*rgb[1]), uint8(255*rgb[2]))
				}
			}
			img.Cb[y*img.CStride+x], img.Cr[y*img.CStride+x] = cb, cr
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: p.quality}); err != nil {
		return nil, err
	}
	return jpeg.Decode(&buf)
}

// captureFrame is one frame of the set with its truth.
type captureFrame struct {
	img   image.Image
	doc   *docSpec
	p     sceneParams
	label string
}

// captureSet renders frame i of the set; with burst > 0, that many further
// frames of the same document held a little differently, each with its own
// noise.
func captureSet(i, burst int) ([]captureFrame, error) { return captureSetWith(i, burst, nil) }

// harsher widens the conditions well beyond the issue's: turned up to
// ±14°, corners moved by up to 9 %, blur σ up to 1.8, light down to 40 %,
// JPEG quality down to 40.
func harsher(rng *rand.Rand, p *sceneParams) {
	u := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	p.rotate = u(-14, 14)
	p.persp = u(0.03, 0.09)
	p.blur = u(0.8, 1.8)
	p.light = u(0.4, 0.95)
	p.noise = u(3, 7)
	p.quality = 40 + rng.IntN(20)
}

// captureSetWith is captureSet with the conditions changed by adjust.
func captureSetWith(i, burst int, adjust func(*rand.Rand, *sceneParams)) ([]captureFrame, error) {
	rng := rand.New(rand.NewPCG(uint64(i)+1, 19))
	p := randomParams(rng, i)
	if adjust != nil {
		adjust(rng, &p)
	}
	d := randomDoc(rng, p.format)
	wmm, hmm := docSizeMM(d.format)
	ps := randomPose(rng, p, wmm, hmm)
	page, err := renderPage(d, p.widthFrac*frameW/wmm*1.25)
	if err != nil {
		return nil, err
	}
	var out []captureFrame
	for k := 0; k <= burst; k++ {
		q, pk := p, ps
		if k > 0 {
			// The guest's hand moves a little; focus, light and the
			// encoder vary.
			for c := range pk.corners {
				pk.corners[c][0] += rng.NormFloat64() * 3
				pk.corners[c][1] += rng.NormFloat64() * 3
			}
			q.blur = math.Max(0.4, p.blur+rng.NormFloat64()*0.15)
			q.light = p.light * (0.95 + 0.1*rng.Float64())
			q.quality = 50 + rng.IntN(26)
		}
		img, err := renderScene(rng, &d, page, q, pk)
		if err != nil {
			return nil, err
		}
		out = append(out, captureFrame{img: img, doc: &d, p: q, label: fmt.Sprintf("frame %d.%d %s w=%.2f rot=%+.1f° persp=%.3f blur=%.2f light=%.2f noise=%.1f q=%d glare=%t",
			i, k, q.format, q.widthFrac, q.rotate, q.persp, q.blur, q.light, q.noise, q.quality, q.glare)})
	}
	return out, nil
}

// emptyFrame renders frame i of the set without a document.
func emptyFrame(i int) (image.Image, error) {
	rng := rand.New(rand.NewPCG(uint64(i)+1000, 19))
	p := randomParams(rng, i)
	return renderScene(rng, nil, nil, p, pose{})
}
