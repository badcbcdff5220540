package idscan

import (
	"errors"
	"image"
	"math"
	"time"
)

// Errors returned by the package.
var (
	// ErrEmptyFrame means a frame was nil or had no pixels.
	ErrEmptyFrame = errors.New("idscan: empty frame")
	// ErrBadGuide means the guide frame does not overlap the camera frame.
	ErrBadGuide = errors.New("idscan: guide frame outside the camera frame")
	// ErrBlurred means the full-resolution frame taken by auto-capture was
	// not as sharp as the preview promised.
	ErrBlurred = errors.New("idscan: full-resolution frame is blurred")
	// ErrBadOutline means a card outline is degenerate (collinear or
	// zero-sized corners, or not a number).
	ErrBadOutline = errors.New("idscan: degenerate card outline")
	// ErrTooLarge means no quality or size step brought a still under the
	// byte limit.
	ErrTooLarge = errors.New("idscan: still does not fit the size limit")
	// ErrSameSide means the frame shows the side given to Scanner.Avoid:
	// the card was not turned over.
	ErrSameSide = errors.New("idscan: the same side again")
)

// Hint is a translation key the UI turns into a sentence for the guest.
type Hint string

// The hints a check can give. The UI must translate every one of AllHints.
const (
	HintNone       Hint = ""
	HintPlaceCard  Hint = "hint.place_card"  // no card found inside the guide frame
	HintMoveCloser Hint = "hint.move_closer" // card found but small in the frame
	HintMoreLight  Hint = "hint.more_light"  // too dark
	HintLessLight  Hint = "hint.less_light"  // too bright overall
	HintTiltGlare  Hint = "hint.tilt_glare"  // a reflection washes out part of the card
	HintHoldStill  Hint = "hint.hold_still"  // the picture moves between frames
	HintBlurred    Hint = "hint.blurred"     // steady but not sharp: focus, distance or a smudged lens
	HintTurnOver   Hint = "hint.turn_over"   // every check passes, but it is the side already taken (Scanner.Avoid)
)

// AllHints lists every hint key in the order they take precedence.
var AllHints = []Hint{HintPlaceCard, HintMoveCloser, HintMoreLight, HintLessLight, HintTiltGlare, HintHoldStill, HintBlurred, HintTurnOver}

// CheckName names one live check.
type CheckName string

// The live checks.
const (
	CheckCard       CheckName = "card"
	CheckExposure   CheckName = "exposure"
	CheckGlare      CheckName = "glare"
	CheckSteadiness CheckName = "steadiness"
	CheckSharpness  CheckName = "sharpness"
)

// Check is the result of one live check.
type Check struct {
	Name CheckName
	// Value is the measured figure: card = card area / guide area (0 when no
	// card is found); exposure = mean luma of the card; glare = the worst of
	// the overall and per-cell shares of saturated pixels divided by their
	// limits (≤ 1 passes); steadiness = mean absolute difference of a tiny
	// thumbnail from the previous frame, in grey levels (-1 on the first
	// frame); sharpness = variance of the Laplacian at the analysis width.
	Value float64
	Pass  bool
	// Hint is HintNone when Pass is true.
	Hint Hint
}

// Report is the outcome of the live checks on one frame.
type Report struct {
	// Checks in the order of precedence of their hints.
	Card, Exposure, Glare, Steadiness, Sharpness Check
	// GlareShare is the overall share of saturated pixels in the card and
	// GlareCell the worst share in one grid cell.
	GlareShare, GlareCell float64
	// RecentSharpness is the recent maximum sharpness the frame was compared
	// with.
	RecentSharpness float64
	// Quad is the card's outline in frame pixels when Found is true.
	Quad  Quad
	Found bool
	// Guide is the guide frame the frame was checked against, in frame pixels
	// (clipped to the frame).
	Guide image.Rectangle
}

// Checks returns the checks in order of precedence.
func (r Report) Checks() []Check {
	return []Check{r.Card, r.Exposure, r.Glare, r.Steadiness, r.Sharpness}
}

// OK says whether every check passes.
func (r Report) OK() bool {
	return r.Card.Pass && r.Exposure.Pass && r.Glare.Pass && r.Steadiness.Pass && r.Sharpness.Pass
}

// Hint is the hint of the first failing check, or HintNone.
func (r Report) Hint() Hint {
	for _, c := range r.Checks() {
		if !c.Pass {
			return c.Hint
		}
	}
	return HintNone
}

// Outline is the area to crop for a still: the card's outline when four
// corners were found, else the guide frame.
func (r Report) Outline() Quad {
	if r.Found {
		return r.Quad
	}
	return QuadFromRect(r.Guide)
}

// Thresholds are the live checks' limits. DefaultThresholds gives the values
// calibrated on the synthetic camera (see CALIBRATION.md).
type Thresholds struct {
	// AnalysisWidth is the width, in pixels, the guide region is reduced to
	// before any check; it makes sharpness comparable between preview and
	// full-resolution frames.
	AnalysisWidth int
	// MinSharpness is the absolute floor of the Laplacian variance.
	MinSharpness float64
	// RelSharpness is the share of the recent maximum a frame must reach.
	RelSharpness float64
	// SharpnessDecay is how much of the recent maximum is kept per frame.
	SharpnessDecay float64
	// GlareLevel is the luma from which a pixel counts as saturated.
	GlareLevel uint8
	// MaxGlare is the largest share of saturated pixels in the card; MaxGlareCell
	// the largest in any cell of a GlareGrid × GlareGrid grid over the card.
	MaxGlare, MaxGlareCell float64
	GlareGrid              int
	// MinLuma and MaxLuma bound the mean luma of the card.
	MinLuma, MaxLuma float64
	// MaxMotion is the largest mean absolute thumbnail difference, in grey
	// levels, between consecutive frames.
	MaxMotion float64
	// MinFill is the smallest card area as a share of the guide frame's.
	MinFill float64
	// MinEdge is the smallest luma step, in grey levels, that counts as a
	// card edge.
	MinEdge float64
	// SteadyFor is how long every check must pass before auto-capture.
	SteadyFor time.Duration
}

// DefaultThresholds returns the thresholds calibrated on the synthetic
// camera.
func DefaultThresholds() Thresholds {
	return Thresholds{
		AnalysisWidth:  384,
		MinSharpness:   300,
		RelSharpness:   0.6,
		SharpnessDecay: 0.97,
		GlareLevel:     245,
		MaxGlare:       0.02,
		MaxGlareCell:   0.10,
		GlareGrid:      4,
		MinLuma:        80,
		MaxLuma:        220,
		MaxMotion:      3,
		MinFill:        0.55,
		MinEdge:        12,
		SteadyFor:      500 * time.Millisecond,
	}
}

// withDefaults fills zero fields from DefaultThresholds so that a partly set
// configuration still works.
func (t Thresholds) withDefaults() Thresholds {
	d := DefaultThresholds()
	if t.AnalysisWidth < 64 || t.AnalysisWidth > 4096 {
		t.AnalysisWidth = d.AnalysisWidth
	}
	if t.MinSharpness <= 0 {
		t.MinSharpness = d.MinSharpness
	}
	if t.RelSharpness <= 0 || t.RelSharpness > 1 {
		t.RelSharpness = d.RelSharpness
	}
	if t.SharpnessDecay <= 0 || t.SharpnessDecay > 1 {
		t.SharpnessDecay = d.SharpnessDecay
	}
	if t.GlareLevel == 0 {
		t.GlareLevel = d.GlareLevel
	}
	if t.MaxGlare <= 0 {
		t.MaxGlare = d.MaxGlare
	}
	if t.MaxGlareCell <= 0 {
		t.MaxGlareCell = d.MaxGlareCell
	}
	if t.GlareGrid <= 0 || t.GlareGrid > 16 {
		t.GlareGrid = d.GlareGrid
	}
	if t.MinLuma <= 0 {
		t.MinLuma = d.MinLuma
	}
	if t.MaxLuma <= 0 || t.MaxLuma > 255 {
		t.MaxLuma = d.MaxLuma
	}
	if t.MaxMotion <= 0 {
		t.MaxMotion = d.MaxMotion
	}
	if t.MinFill <= 0 || t.MinFill > 1 {
		t.MinFill = d.MinFill
	}
	if t.MinEdge <= 0 {
		t.MinEdge = d.MinEdge
	}
	if t.SteadyFor <= 0 {
		t.SteadyFor = d.SteadyFor
	}
	return t
}

// DefaultGuideFill is the share of the camera frame the guide frame takes
// (in its limiting direction): a card at the synthetic camera's capture
// distance (55 % of the frame width) fills about 80 % of its area.
const DefaultGuideFill = 0.7

// CardAspect is the ID-1 card's width over height (85.60 × 53.98 mm).
const CardAspect = 85.60 / 53.98

// Guide returns the guide frame for a w×h camera frame: the largest centred
// rectangle of the given aspect ratio (width/height) that takes at most fill
// (0–1] of the frame in each direction.
func Guide(w, h int, aspect, fill float64) image.Rectangle {
	if w <= 0 || h <= 0 || !(aspect > 0) || !(fill > 0) {
		return image.Rectangle{}
	}
	fill = math.Min(fill, 1)
	gw := float64(w) * fill
	gh := gw / aspect
	if gh > float64(h)*fill {
		gh = float64(h) * fill
		gw = gh * aspect
	}
	iw, ih := int(math.Round(gw)), int(math.Round(gh))
	x0, y0 := (w-iw)/2, (h-ih)/2
	return image.Rect(x0, y0, x0+iw, y0+ih)
}

// Analyzer runs the live checks on consecutive preview frames of one scan.
// It keeps the previous frame's thumbnail and the recent maximum sharpness,
// and reuses its buffers: one Analyzer per camera, not safe for concurrent
// use.
type Analyzer struct {
	t Thresholds

	a       gray // reduced guide region
	acc     []uint32
	col     []uint16
	recip   []uint32
	xb, yb  []int
	thumb   []float32
	prev    []float32
	hasPrev bool
	recent  float64
	missed  int
	scan    scanBuf
}

// NewAnalyzer returns an Analyzer with thresholds t (zero fields take the
// defaults).
func NewAnalyzer(t Thresholds) *Analyzer {
	return &Analyzer{t: t.withDefaults()}
}

// Thresholds returns the thresholds in use.
func (an *Analyzer) Thresholds() Thresholds { return an.t }

// Reset forgets the previous frame and the recent sharpness, as for a new
// card side.
func (an *Analyzer) Reset() {
	an.hasPrev = false
	an.recent = 0
	an.missed = 0
}

// Analyze runs every live check on a preview frame's luma y against the
// guide frame (in y's coordinates) and updates the Analyzer's history.
func (an *Analyzer) Analyze(y *image.Gray, guide image.Rectangle) (Report, error) {
	return an.analyze(y, guide, true)
}

// Recheck runs the checks on a full-resolution frame without touching the
// history: its sharpness is compared with the recent maximum of the preview
// frames (at the same analysis width), and steadiness is taken as passed.
func (an *Analyzer) Recheck(y *image.Gray, guide image.Rectangle) (Report, error) {
	return an.analyze(y, guide, false)
}

// marginFrac is how far around the guide frame, as a share of its size, the
// card's edges are looked for.
const marginFrac = 0.08

// guideView is a frame reduced around its guide for analysis (into the
// Analyzer's a): the guide clipped to the frame, the region reduced, the
// scale from analysis to frame pixels, and the guide in analysis
// coordinates (continuous, pixel edges).
type guideView struct {
	g, region image.Rectangle
	sx, sy    float64
	ag        rectF
}

// reduceGuide checks y and the guide, and reduces the guide and a margin
// around it into an.a.
func (an *Analyzer) reduceGuide(y *image.Gray, guide image.Rectangle) (guideView, error) {
	if y == nil || y.Rect.Empty() || len(y.Pix) < y.Stride*(y.Rect.Dy()-1)+y.Rect.Dx() {
		return guideView{}, ErrEmptyFrame
	}
	g := guide.Intersect(y.Rect)
	if g.Dx() < 16 || g.Dy() < 16 {
		return guideView{}, ErrBadGuide
	}
	mx, my := int(float64(g.Dx())*marginFrac), int(float64(g.Dy())*marginFrac)
	region := image.Rect(g.Min.X-mx, g.Min.Y-my, g.Max.X+mx, g.Max.Y+my).Intersect(y.Rect)
	an.reduce(y, region, an.t.AnalysisWidth)
	sx := float64(region.Dx()) / float64(an.a.w)
	sy := float64(region.Dy()) / float64(an.a.h)
	return guideView{g: g, region: region, sx: sx, sy: sy, ag: rectF{
		x0: float64(g.Min.X-region.Min.X) / sx, y0: float64(g.Min.Y-region.Min.Y) / sy,
		x1: float64(g.Max.X-region.Min.X) / sx, y1: float64(g.Max.Y-region.Min.Y) / sy,
	}}, nil
}

func (an *Analyzer) analyze(y *image.Gray, guide image.Rectangle, live bool) (Report, error) {
	v, err := an.reduceGuide(y, guide)
	if err != nil {
		return Report{}, err
	}
	t, a := an.t, &an.a
	g, region, sx, sy, ag := v.g, v.region, v.sx, v.sy, v.ag
	rep := Report{Guide: g}

	// Card presence and outline.
	// In poor light every step is smaller: scale the edge threshold with
	// the picture's brightness (down to a quarter), so that a dim card is
	// still found and reported as dim rather than missing.
	minEdge := t.MinEdge * math.Max(0.25, math.Min(1, a.mean/140))
	q, found := findCard(a, ag, minEdge, &an.scan)
	fill := 0.0
	if found {
		fill = q.Area() / (ag.w() * ag.h())
		for i := range q {
			q[i].X = q[i].X*sx + float64(region.Min.X)
			q[i].Y = q[i].Y*sy + float64(region.Min.Y)
		}
		rep.Quad, rep.Found = q, true
	}
	rep.Card = Check{Name: CheckCard, Value: fill, Pass: found && fill >= t.MinFill}
	switch {
	case !found:
		rep.Card.Hint = HintPlaceCard
	case !rep.Card.Pass:
		rep.Card.Hint = HintMoveCloser
	}

	// The region the other checks look at: inside the card, else the guide.
	var inner image.Rectangle
	if found {
		aq := q
		for i := range aq {
			aq[i].X = (aq[i].X - float64(region.Min.X)) / sx
			aq[i].Y = (aq[i].Y - float64(region.Min.Y)) / sy
		}
		inner = aq.inner(3)
	} else {
		inner = image.Rect(int(math.Ceil(ag.x0)), int(math.Ceil(ag.y0)), int(ag.x1), int(ag.y1)).Inset(3)
	}
	inner = inner.Intersect(image.Rect(0, 0, a.w, a.h))
	if inner.Dx() < 8 || inner.Dy() < 8 {
		inner = image.Rect(0, 0, a.w, a.h)
	}

	mean, share, cell := an.lumaStats(inner)
	rep.Exposure = Check{Name: CheckExposure, Value: mean, Pass: mean >= t.MinLuma && mean <= t.MaxLuma}
	switch {
	case mean < t.MinLuma:
		rep.Exposure.Hint = HintMoreLight
	case mean > t.MaxLuma:
		rep.Exposure.Hint = HintLessLight
	}
	rep.GlareShare, rep.GlareCell = share, cell
	gv := math.Max(share/t.MaxGlare, cell/t.MaxGlareCell)
	rep.Glare = Check{Name: CheckGlare, Value: gv, Pass: gv <= 1}
	if !rep.Glare.Pass {
		rep.Glare.Hint = HintTiltGlare
	}

	sharp := laplacianVariance(a, inner)
	if live {
		motion := an.motion()
		rep.Steadiness = Check{Name: CheckSteadiness, Value: motion, Pass: motion >= 0 && motion <= t.MaxMotion}
		if !rep.Steadiness.Pass {
			rep.Steadiness.Hint = HintHoldStill
		}
		// The recent maximum only means something while a card is in view.
		if found {
			an.missed = 0
			an.recent = math.Max(sharp, an.recent*t.SharpnessDecay)
		} else if an.missed++; an.missed > 5 {
			an.recent = 0
		}
	} else {
		rep.Steadiness = Check{Name: CheckSteadiness, Value: 0, Pass: true}
	}
	rep.RecentSharpness = an.recent
	rep.Sharpness = Check{Name: CheckSharpness, Value: sharp,
		Pass: sharp >= t.MinSharpness && sharp >= t.RelSharpness*an.recent}
	if !rep.Sharpness.Pass {
		rep.Sharpness.Hint = HintBlurred
		if live && !rep.Steadiness.Pass {
			rep.Sharpness.Hint = HintHoldStill
		}
	}
	return rep, nil
}

// rectF is a rectangle in continuous coordinates.
type rectF struct{ x0, y0, x1, y1 float64 }

func (r rectF) w() float64 { return r.x1 - r.x0 }
func (r rectF) h() float64 { return r.y1 - r.y0 }
