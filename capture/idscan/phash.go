package idscan

import (
	"image"
	"math"
	"math/bits"
	"slices"
)

// Fingerprint is a perceptual hash of one side of a card: the card is
// rectified from its outline (upright in landscape, as MakeStill crops it),
// area-sampled to 32×32 luma, and the 8×8 lowest frequencies of its 2-D DCT
// (the DC term left out, so 63 bits) are compared with their median. Hash
// is the card as seen; Turned is the same picture turned 180°, so that the
// front held upside down still matches the front.
//
// Low frequencies are the card's layout (where the photo, the text blocks,
// the machine-readable zone are): they survive a shift of a few pixels, a
// change of light (the median threshold ignores gain, the DC term ignores
// offset), noise and mild blur, and they differ between a card's front and
// its back. A Fingerprint holds no readable detail of the card.
type Fingerprint struct {
	Hash, Turned uint64
}

// SameSideThreshold is the largest Hamming distance (of 63 bits) at which
// two fingerprints are taken for the same side. On the synthetic camera
// (TestSameSide prints the figures with -v) the same front shifted, turned
// a few degrees or 180°, tilted, relit, noisy, blurred or with glare is 0–8
// bits away, and the card's back 24–32; 12 leaves a margin on both sides.
// Unrelated pictures are about 32 bits apart. The outline matters more
// than the hash: a crop that misses part of the card moves the layout.
const SameSideThreshold = 12

// phashSide is the side of the sampled square; phashFreq the frequencies
// kept in each direction; phashSamples the samples per pixel in each
// direction.
const (
	phashSide    = 32
	phashFreq    = 8
	phashSamples = 4
)

// dctTable holds cos((2x+1)uπ/64) for u < phashFreq, x < phashSide.
var dctTable = func() (t [phashFreq][phashSide]float64) {
	for u := range phashFreq {
		for x := range phashSide {
			t[u][x] = math.Cos(float64(2*x+1) * float64(u) * math.Pi / (2 * phashSide))
		}
	}
	return t
}()

// FingerprintOf hashes the card inside outline (in y's coordinates, such as
// Report.Outline of the frame the still was cut from).
func FingerprintOf(y *image.Gray, outline Quad) (Fingerprint, error) {
	if y == nil || y.Rect.Dx() < 2 || y.Rect.Dy() < 2 || len(y.Pix) < y.Stride*(y.Rect.Dy()-1)+y.Rect.Dx() {
		return Fingerprint{}, ErrEmptyFrame
	}
	if !outline.valid() || !outline.Bounds().Overlaps(y.Rect) {
		return Fingerprint{}, ErrBadOutline
	}
	if w, h := outline.sides(); h > w {
		outline = Quad{outline[3], outline[0], outline[1], outline[2]}
	}
	var px [phashSide * phashSide]float64
	sampleQuad(&px, y, outline)

	// Separable DCT-II, only the frequencies kept: rows, then columns.
	var rows [phashSide][phashFreq]float64
	for yy := range phashSide {
		line := px[yy*phashSide : (yy+1)*phashSide]
		for u := range phashFreq {
			var s float64
			for x, c := range dctTable[u] {
				s += line[x] * c
			}
			rows[yy][u] = s
		}
	}
	var coef [phashFreq * phashFreq]float64 // [v*phashFreq+u]
	for v := range phashFreq {
		for u := range phashFreq {
			var s float64
			for yy := range phashSide {
				s += rows[yy][u] * dctTable[v][yy]
			}
			coef[v*phashFreq+u] = s
		}
	}
	turned := coef
	for v := range phashFreq {
		for u := range phashFreq {
			if (u+v)%2 == 1 {
				turned[v*phashFreq+u] = -turned[v*phashFreq+u]
			}
		}
	}
	return Fingerprint{Hash: hashBits(&coef), Turned: hashBits(&turned)}, nil
}

// hashBits sets bit i-1 for each coefficient i ≥ 1 above the median of
// coefficients 1…63.
func hashBits(c *[phashFreq * phashFreq]float64) uint64 {
	var s [phashFreq*phashFreq - 1]float64
	copy(s[:], c[1:])
	slices.Sort(s[:])
	med := s[len(s)/2] // 63 values: the middle one
	var h uint64
	for i, v := range c[1:] {
		if v > med {
			h |= 1 << i
		}
	}
	return h
}

// sampleQuad fills px with the mean luma of each of phashSide² cells of
// the card, phashSamples² bilinear samples per cell.
func sampleQuad(px *[phashSide * phashSide]float64, y *image.Gray, q Quad) {
	H := squareToQuad(q)
	b := y.Rect
	maxX, maxY := float64(b.Dx()-1), float64(b.Dy()-1)
	const n = phashSide * phashSamples
	for j := range phashSide {
		for i := range phashSide {
			var sum float64
			for sj := range phashSamples {
				v := (float64(j*phashSamples+sj) + 0.5) / n
				for si := range phashSamples {
					u := (float64(i*phashSamples+si) + 0.5) / n
					w := H.g*u + H.h*v + 1
					x := clampTo((H.a*u+H.b*v+H.c)/w-0.5-float64(b.Min.X), maxX)
					yy := clampTo((H.d*u+H.e*v+H.f)/w-0.5-float64(b.Min.Y), maxY)
					x0, y0 := min(int(x), b.Dx()-2), min(int(yy), b.Dy()-2)
					fx, fy := x-float64(x0), yy-float64(y0)
					o := y0*y.Stride + x0
					p00, p10 := float64(y.Pix[o]), float64(y.Pix[o+1])
					p01, p11 := float64(y.Pix[o+y.Stride]), float64(y.Pix[o+y.Stride+1])
					sum += (p00*(1-fx)+p10*fx)*(1-fy) + (p01*(1-fx)+p11*fx)*fy
				}
			}
			px[j*phashSide+i] = sum / (phashSamples * phashSamples)
		}
	}
}

// Distance is the Hamming distance between two sides, the smaller of a
// against b as seen and b turned 180°.
func Distance(a, b Fingerprint) int {
	return min(bits.OnesCount64(a.Hash^b.Hash), bits.OnesCount64(a.Hash^b.Turned))
}

// SameSide reports whether back looks like front again (Distance at most
// SameSideThreshold): the guest has not turned the card over.
func SameSide(front, back Fingerprint) bool {
	return Distance(front, back) <= SameSideThreshold
}
