package synthetic

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"
	"sync"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/signet-kiosk/signet/assets"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// ocrbOTF is the OCR-B font the card's MRZ is set in.
var ocrbOTF = assets.OCRB

// texPerMM is the card texture's resolution: 14 px/mm ≈ 356 dpi, enough to
// stay sharp when the card fills a 1920×1080 frame.
const texPerMM = 14.0

// Texture size of the card in pixels.
var (
	texW = int(math.Round(CardWidthMM * texPerMM))
	texH = int(math.Round(CardHeightMM * texPerMM))
)

var (
	texOnce           sync.Once
	cardTex, qrTex    *image.RGBA
	texErr            error
	backTex           *image.RGBA
	ocrbFont, goReg   *opentype.Font
	goBold            *opentype.Font
	cornerRadiusTexPx = 3.18 * texPerMM
)

// textures returns the pre-rendered card and QR sheet, shared by every
// renderer (they are never written after creation).
func textures() (card, qr *image.RGBA, err error) {
	texOnce.Do(func() {
		if ocrbFont, texErr = opentype.Parse(ocrbOTF); texErr != nil {
			texErr = fmt.Errorf("synthetic: parse OCR-B: %w", texErr)
			return
		}
		if goReg, texErr = opentype.Parse(goregular.TTF); texErr != nil {
			return
		}
		if goBold, texErr = opentype.Parse(gobold.TTF); texErr != nil {
			return
		}
		if cardTex, texErr = renderCard(); texErr != nil {
			return
		}
		if backTex, texErr = renderBack(cardTex); texErr != nil {
			return
		}
		qrTex, texErr = renderQRSheet()
	})
	return cardTex, qrTex, texErr
}

// backTexture returns the card's back (after textures).
func backTexture() *image.RGBA { return backTex }

// renderBack draws the card's back: another background, the issuing
// authority and an address in text lines, a barcode, and the front's
// machine-readable zone (a TD1 card carries it on its back). Its layout
// differs from the front's, as a real card's does, so the kiosk can tell
// the back from the front shown again.
func renderBack(front *image.RGBA) (*image.RGBA, error) {
	img := image.NewRGBA(front.Rect)
	copy(img.Pix, front.Pix)
	top := mm(37.6)
	for y := 0; y < top; y++ {
		fy := float64(y) / float64(top)
		for x := 0; x < texW; x++ {
			fx := float64(x) / float64(texW)
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2] = uint8(236-12*fy), uint8(226-8*fx), uint8(206+10*fy)
		}
	}
	// A barcode across the top right.
	for x := mm(40); x < mm(82); x++ {
		if (x/mm(0.5))%3 != 1 && (x/mm(1.3))%2 == 0 {
			fill(img, image.Rect(x, mm(3), x+1, mm(14)), color.RGBA{24, 24, 28, 255})
		}
	}
	fs, err := faces(sized{goReg, 1.5 * texPerMM}, sized{goBold, 2.4 * texPerMM})
	if err != nil {
		return nil, err
	}
	label, value := fs[0], fs[1]
	grey := color.RGBA{90, 80, 70, 255}
	ink := color.RGBA{30, 26, 22, 255}
	for i, f := range [][2]string{
		{"Address / Adresse", "12 HARBOUR STREET"},
		{"", "UTOPIA CITY 4021"},
		{"Authority / Autorité", "CITY HALL OF UTOPIA"},
		{"Height / Taille", "1.68 m"},
	} {
		y := 19.0 + float64(i)*4.4
		text(img, label, grey, 4, y, f[0])
		text(img, value, ink, 4, y+2.9, f[1])
	}
	return img, nil
}

func mm(v float64) int { return int(math.Round(v * texPerMM)) }

func face(f *opentype.Font, px float64) (font.Face, error) {
	return opentype.NewFace(f, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
}

// sized is a font at a size in pixels.
type sized struct {
	font *opentype.Font
	px   float64
}

// faces returns a face for each of sizes, in order.
func faces(sizes ...sized) ([]font.Face, error) {
	out := make([]font.Face, len(sizes))
	for i, s := range sizes {
		f, err := face(s.font, s.px)
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

func text(dst draw.Image, f font.Face, c color.Color, xMM, baselineMM float64, s string) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: f,
		Dot: fixed.P(mm(xMM), mm(baselineMM))}
	d.DrawString(s)
}

func renderCard() (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, texW, texH))
	// Security background: a pale gradient with guilloche lines.
	for y := 0; y < texH; y++ {
		fy := float64(y) / float64(texH)
		for x := 0; x < texW; x++ {
			fx := float64(x) / float64(texW)
			r := 212 + 20*fx
			g := 230 - 10*fy
			b := 226 + 14*fy - 10*fx
			w1 := math.Sin(float64(x)*0.045 + 5*math.Sin(float64(y)*0.012))
			w2 := math.Sin(float64(y)*0.05 + 4*math.Sin(float64(x)*0.009))
			if math.Abs(w1) < 0.06 || math.Abs(w2) < 0.05 {
				r, g, b = r-28, g-18, b-8
			}
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(r), uint8(g), uint8(b), 255
		}
	}
	// Header band.
	fill(img, image.Rect(0, 0, texW, mm(8.5)), color.RGBA{32, 78, 120, 255})
	fs, err := faces(sized{goBold, 3.6 * texPerMM}, sized{goReg, 1.7 * texPerMM}, sized{goReg, 1.5 * texPerMM}, sized{goBold, 2.6 * texPerMM})
	if err != nil {
		return nil, err
	}
	hdr, small, label, value := fs[0], fs[1], fs[2], fs[3]
	white := color.RGBA{250, 250, 250, 255}
	text(img, hdr, white, 4, 5.6, "UTOPIA")
	text(img, small, white, 36, 3.9, "IDENTITY CARD")
	text(img, small, white, 36, 6.6, "CARTE D'IDENTITÉ")

	// Photo with a face silhouette.
	ph := image.Rect(mm(4), mm(10.5), mm(25), mm(36.5))
	fill(img, ph, color.RGBA{196, 210, 222, 255})
	silhouette(img, ph)

	p := demodata.People[0]
	grey := color.RGBA{70, 80, 90, 255}
	ink := color.RGBA{20, 24, 30, 255}
	fields := []struct {
		x, y     float64
		lab, val string
	}{
		{28, 12.5, "Surname / Nom", strings.ToUpper(p.LastName)},
		{28, 18.5, "Given names / Prénoms", strings.ToUpper(p.FirstName)},
		{28, 24.5, "Sex", "F"},
		{40, 24.5, "Nationality", demodata.CardState},
		{58, 24.5, "Date of birth", "12.08.1974"},
		{28, 30.5, "Document no.", demodata.CardNumber},
		{58, 30.5, "Date of expiry", dotted(demodata.CardExpiry)},
	}
	for _, f := range fields {
		text(img, label, grey, f.x, f.y, f.lab)
		text(img, value, ink, f.x, f.y+3.3, f.val)
	}

	// Machine-readable zone: ICAO 9303 TD1, 10 characters per inch.
	fill(img, image.Rect(0, mm(37.6), texW, texH), color.RGBA{236, 240, 238, 255})
	const pitch = 2.54 // mm
	ocr, err := face(ocrbFont, mrzFontPx())
	if err != nil {
		return nil, err
	}
	x0 := (CardWidthMM - 30*pitch) / 2
	for li, line := range demodata.CardMRZ {
		base := 42.3 + float64(li)*3.9
		for i, ch := range line {
			text(img, ocr, ink, x0+float64(i)*pitch+0.2, base, string(ch))
		}
	}
	return img, nil
}

// mrzFontPx sizes OCR-B so a capital is about 2.4 mm tall.
func mrzFontPx() float64 {
	f, err := face(ocrbFont, 100)
	if err != nil {
		return 3.4 * texPerMM
	}
	capH := float64(f.Metrics().CapHeight) / 64
	if capH <= 0 {
		return 3.4 * texPerMM
	}
	return 100 * 2.4 * texPerMM / capH
}

func dotted(iso string) string {
	if len(iso) != 10 {
		return iso
	}
	return iso[8:10] + "." + iso[5:7] + "." + iso[0:4]
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// silhouette draws a head and shoulders inside r.
func silhouette(img *image.RGBA, r image.Rectangle) {
	w, h := float64(r.Dx()), float64(r.Dy())
	cx := float64(r.Min.X) + w/2
	hy := float64(r.Min.Y) + h*0.38
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			dx, dy := (fx-cx)/(w*0.22), (fy-hy)/(h*0.24)
			in := dx*dx+dy*dy <= 1
			// neck
			if math.Abs(fx-cx) < w*0.09 && fy > hy && fy < hy+h*0.34 {
				in = true
			}
			// shoulders: an ellipse cut by the bottom edge
			sx, sy := (fx-cx)/(w*0.46), (fy-(float64(r.Max.Y)+h*0.05))/(h*0.32)
			if sx*sx+sy*sy <= 1 {
				in = true
			}
			if in {
				img.SetRGBA(x, y, color.RGBA{72, 82, 96, 255})
			}
		}
	}
}

func renderQRSheet() (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, texW, texH))
	fill(img, img.Rect, color.RGBA{250, 250, 248, 255})
	side := texH * 86 / 100
	m, err := qrcode.NewQRCodeWriter().Encode(demodata.BookingQR, gozxing.BarcodeFormat_QR_CODE, side, side,
		map[gozxing.EncodeHintType]any{gozxing.EncodeHintType_MARGIN: 2})
	if err != nil {
		return nil, fmt.Errorf("synthetic: qr code: %w", err)
	}
	ox, oy := texW-m.GetWidth()-mm(4), (texH-m.GetHeight())/2
	for y := 0; y < m.GetHeight(); y++ {
		for x := 0; x < m.GetWidth(); x++ {
			if m.Get(x, y) {
				img.SetRGBA(ox+x, oy+y, color.RGBA{10, 10, 10, 255})
			}
		}
	}
	fs, err := faces(sized{goBold, 4 * texPerMM}, sized{goReg, 2.2 * texPerMM})
	if err != nil {
		return nil, err
	}
	hdr, small := fs[0], fs[1]
	ink := color.RGBA{30, 40, 60, 255}
	text(img, hdr, ink, 4, 14, "Your")
	text(img, hdr, ink, 4, 20, "booking")
	text(img, small, ink, 4, 30, "Show this code")
	text(img, small, ink, 4, 34, "at the kiosk")
	return img, nil
}
