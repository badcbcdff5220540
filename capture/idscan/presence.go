package idscan

import (
	"image"
	"math"
)

// Absence says why a frame holds no document: a translation key the UI
// turns into a sentence with what to do.
type Absence string

// The reasons a frame is refused by manual capture.
const (
	AbsenceNone Absence = ""
	// AbsenceBlank: a plain surface fills the guide (an empty table, a wall,
	// a covered lens).
	AbsenceBlank Absence = "capture.absent.blank"
	// AbsenceNoDocument: something is in view, but neither a card's edges
	// nor printed text (a hand, a face, a bag).
	AbsenceNoDocument Absence = "capture.absent.no_document"
	// AbsenceDark: too dark to see anything.
	AbsenceDark Absence = "capture.absent.dark"
)

// AllAbsences lists every key Presence may give, for the translation test.
var AllAbsences = []Absence{AbsenceBlank, AbsenceNoDocument, AbsenceDark}

// Presence is the verdict of the document-present check on one frame.
type Presence struct {
	// Present is true when a document is in the guide frame.
	Present bool
	// Why is AbsenceNone when Present, else the reason.
	Why Absence
	// Card is true when the card's four edges were found (Fill is then its
	// area over the guide's).
	Card bool
	Fill float64
	// Print is the share of the guide's grid cells that carry print: dense,
	// fine detail such as text, a photo or a barcode.
	Print float64
	// Mean is the mean luma of the guide; Spread the difference between the
	// brightest and darkest cell means.
	Mean, Spread float64
}

// Tuning of the presence check, at the analysis width. Calibrated on the
// synthetic camera (presence_test.go prints the figures with -v): a card's
// cells carry print at a density of 15–40 %, a hand's outline or the desk's
// grain under 5 %.
const (
	presenceCols = 6
	presenceRows = 4
	// printStep is the Laplacian magnitude, in grey levels at normal light,
	// from which a pixel counts as detail; scaled down in poor light like
	// the edge threshold.
	printStep = 24
	// noiseFactor times the median Laplacian magnitude is the least
	// detail threshold: for Gaussian noise the median magnitude is about
	// 0.67 of its standard deviation, so 5 medians is 3.4 deviations, met
	// by under 0.1 % of noise pixels.
	noiseFactor = 5
	// printDensity is the share of detail pixels that makes a cell "print".
	printDensity = 0.08
	// minPrint is the share of print cells that makes a document without
	// its edges (held too close, a thumb over an edge).
	minPrint = 0.45
	// minCardFill is the smallest card found that counts, as a share of
	// the guide: a far card is a document, the guest is told to come closer.
	minCardFill = 0.08
	// darkLuma is the mean luma under which nothing can be judged.
	darkLuma = 28
	// blankSpread is the largest spread of cell means on a plain surface.
	blankSpread = 45
)

// Presence checks that a document is in the guide frame of y, as manual
// capture must before it takes a frame: the card's four edges found, or
// print over most of the guide (a card held too close, its edges hidden).
// Otherwise it says why not. It uses the Analyzer's buffers but not its
// history, so it may run between preview frames.
func (an *Analyzer) Presence(y *image.Gray, guide image.Rectangle) (Presence, error) {
	v, err := an.reduceGuide(y, guide)
	if err != nil {
		return Presence{}, err
	}
	a := &an.a
	ag := v.ag
	light := math.Max(0.25, math.Min(1, a.mean/140))
	var p Presence
	if q, found := findCard(a, ag, an.t.MinEdge*light, &an.scan); found {
		p.Card, p.Fill = true, q.Area()/(ag.w()*ag.h())
	}
	gr := image.Rect(int(math.Ceil(ag.x0)), int(math.Ceil(ag.y0)), int(ag.x1), int(ag.y1))
	p.Print, p.Mean, p.Spread = printCells(a, gr, printStep*light)
	switch {
	case p.Card && p.Fill >= minCardFill, p.Print >= minPrint:
		p.Present = true
	case p.Mean < darkLuma:
		p.Why = AbsenceDark
	case p.Spread <= blankSpread && p.Print < 2.0/(presenceCols*presenceRows):
		p.Why = AbsenceBlank
	default:
		p.Why = AbsenceNoDocument
	}
	return p, nil
}

// printCells splits r into the presence grid and returns the share of
// cells whose density of Laplacian magnitudes ≥ the detail threshold
// reaches printDensity, the mean luma of r and the spread of the cells'
// means. The threshold is step, or noiseFactor times the median magnitude
// over r when that is higher: most of a guide is flat (a card's stock
// between the print, a table), so the median measures the sensor's noise,
// which a small or dim frame does not average away.
func printCells(a *gray, r image.Rectangle, step float64) (print, mean, spread float64) {
	r = r.Intersect(image.Rect(1, 1, a.w-1, a.h-1))
	if r.Dx() < presenceCols || r.Dy() < presenceRows {
		return 0, a.mean, 0
	}
	w := a.w
	var hist [256]int
	for yy := r.Min.Y; yy < r.Max.Y; yy++ {
		up, mid, dn := a.pix[(yy-1)*w:yy*w], a.pix[yy*w:(yy+1)*w], a.pix[(yy+1)*w:(yy+2)*w]
		for x := r.Min.X; x < r.Max.X; x++ {
			l := int(up[x]) + int(dn[x]) + int(mid[x-1]) + int(mid[x+1]) - 4*int(mid[x])
			hist[min(max(l, -l), 255)]++
		}
	}
	med, half := 0, r.Dx()*r.Dy()/2
	for c := 0; med < 255; med++ {
		if c += hist[med]; c > half {
			break
		}
	}
	thr := int(math.Ceil(math.Max(step, noiseFactor*float64(med))))
	lo, hi := math.Inf(1), math.Inf(-1)
	var total, count, printed int
	for cy := range presenceRows {
		y0, y1 := r.Min.Y+cy*r.Dy()/presenceRows, r.Min.Y+(cy+1)*r.Dy()/presenceRows
		for cx := range presenceCols {
			x0, x1 := r.Min.X+cx*r.Dx()/presenceCols, r.Min.X+(cx+1)*r.Dx()/presenceCols
			var sum, detail int
			for yy := y0; yy < y1; yy++ {
				up, mid, dn := a.pix[(yy-1)*w:yy*w], a.pix[yy*w:(yy+1)*w], a.pix[(yy+1)*w:(yy+2)*w]
				for x := x0; x < x1; x++ {
					v := int(mid[x])
					sum += v
					l := int(up[x]) + int(dn[x]) + int(mid[x-1]) + int(mid[x+1]) - 4*v
					if l >= thr || -l >= thr {
						detail++
					}
				}
			}
			n := (y1 - y0) * (x1 - x0)
			m := float64(sum) / float64(n)
			lo, hi = math.Min(lo, m), math.Max(hi, m)
			total += sum
			count += n
			if float64(detail) >= printDensity*float64(n) {
				printed++
			}
		}
	}
	return float64(printed) / (presenceCols * presenceRows), float64(total) / float64(count), hi - lo
}
