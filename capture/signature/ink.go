package signature

import (
	"errors"
	"math"
)

// ErrNotEnoughInk is the condition behind every *InkError: the signature is
// empty, a dot, or too small to count.
var ErrNotEnoughInk = errors.New("signature: not enough ink")

// Reason says why a signature was refused, so the UI can say it in words.
type Reason int

// Reasons for refusing a signature.
const (
	// ReasonNone means the signature is accepted.
	ReasonNone Reason = iota
	// ReasonEmpty: nothing was drawn.
	ReasonEmpty
	// ReasonDot: only taps, no line.
	ReasonDot
	// ReasonTooShort: the lines drawn are shorter than InkRule.MinLength.
	ReasonTooShort
	// ReasonTooSmall: the ink fits in a box smaller than InkRule.MinSize.
	ReasonTooSmall
)

func (r Reason) String() string {
	switch r {
	case ReasonNone:
		return "none"
	case ReasonEmpty:
		return "empty"
	case ReasonDot:
		return "dot"
	case ReasonTooShort:
		return "too short"
	case ReasonTooSmall:
		return "too small"
	}
	return "unknown"
}

// InkError is a refused signature. It matches ErrNotEnoughInk with errors.Is.
type InkError struct {
	Reason Reason
}

func (e *InkError) Error() string { return "signature: not enough ink: " + e.Reason.String() }

// Is makes errors.Is(err, ErrNotEnoughInk) hold.
func (e *InkError) Is(target error) bool { return target == ErrNotEnoughInk }

// InkRule is the minimum a signature must have, in pad units.
type InkRule struct {
	// MinLength is the least total length of all lines together.
	MinLength float64
	// MinSize is the least extent of the ink's bounding box along its longer
	// side.
	MinSize float64
}

// DefaultInkRule refuses a dot or a scribble: on a pad about 1000 units
// wide a real signature has several hundred units of line.
var DefaultInkRule = InkRule{MinLength: 100, MinSize: 60}

// Check applies the rule and returns nil or an *InkError naming the first
// reason the signature falls short. The ink counted is the ink on the pad.
func (s *Signature) Check(rule InkRule) error {
	if len(s.strokes) == 0 {
		return &InkError{Reason: ReasonEmpty}
	}
	length := s.InkLength()
	if length == 0 {
		return &InkError{Reason: ReasonDot}
	}
	if length < rule.MinLength {
		return &InkError{Reason: ReasonTooShort}
	}
	x0, y0, x1, y1, _ := s.bounds()
	if math.Max(x1-x0, y1-y0) < rule.MinSize {
		return &InkError{Reason: ReasonTooSmall}
	}
	return nil
}

// InkLength returns the total length of the strokes' lines in pad units,
// counting only the parts on the pad.
func (s *Signature) InkLength() float64 {
	var sum float64
	for _, st := range s.strokes {
		for i := 1; i < len(st); i++ {
			a, b := s.onPad(st[i-1]), s.onPad(st[i])
			sum += math.Hypot(b.X-a.X, b.Y-a.Y)
		}
	}
	return sum
}

func (s *Signature) onPad(p Point) Point {
	p.X = math.Max(0, math.Min(s.width, p.X))
	p.Y = math.Max(0, math.Min(s.height, p.Y))
	return p
}

// bounds returns the bounding box of the points, clamped to the pad.
func (s *Signature) bounds() (x0, y0, x1, y1 float64, ok bool) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for _, st := range s.strokes {
		for _, p := range st {
			p = s.onPad(p)
			x0, y0 = math.Min(x0, p.X), math.Min(y0, p.Y)
			x1, y1 = math.Max(x1, p.X), math.Max(y1, p.Y)
		}
	}
	return x0, y0, x1, y1, x0 <= x1
}
