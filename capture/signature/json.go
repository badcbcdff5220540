package signature

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// ErrInvalidData is the condition behind every import error.
var ErrInvalidData = errors.New("signature: invalid vector data")

// Limits on imported vector data, far above any real signature.
const (
	MaxStrokes = 1000
	MaxPoints  = 100000
)

// FormatVersion is the version of the JSON vector format.
const FormatVersion = 1

type jsonPen struct {
	MinWidth float64 `json:"min_width"`
	MaxWidth float64 `json:"max_width"`
}

type jsonData struct {
	Version int       `json:"version"`
	Width   float64   `json:"width"`
	Height  float64   `json:"height"`
	Pen     *jsonPen  `json:"pen,omitempty"`
	Strokes [][]Point `json:"strokes"`
}

// MarshalJSON writes the vector data: the pad size, the pen widths and the
// strokes' points.
//
//	{"version":1,"width":1000,"height":400,"pen":{"min_width":0.5,"max_width":2.5},
//	 "strokes":[[{"x":12,"y":30,"t":0},...],...]}
func (s *Signature) MarshalJSON() ([]byte, error) {
	st := s.strokes
	if st == nil {
		st = [][]Point{}
	}
	return json.Marshal(jsonData{
		Version: FormatVersion, Width: s.width, Height: s.height,
		Pen:     &jsonPen{MinWidth: s.opt.MinWidth, MaxWidth: s.opt.MaxWidth},
		Strokes: st,
	})
}

// Parse reads vector data written by MarshalJSON. Filtering and smoothing
// options other than the pen widths come from opt. Data out of range is an
// error wrapping ErrInvalidData that says what is wrong but never repeats
// the data.
func Parse(data []byte, opt Options) (*Signature, error) {
	var d jsonData
	if err := json.Unmarshal(data, &d); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("%w: malformed JSON at byte %d", ErrInvalidData, se.Offset)
		case errors.As(err, &te):
			return nil, fmt.Errorf("%w: field %q has the wrong type", ErrInvalidData, te.Field)
		}
		return nil, fmt.Errorf("%w: malformed JSON", ErrInvalidData)
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidData}, a...)...)
	}
	if d.Version != FormatVersion {
		return nil, bad("version %d, want %d", d.Version, FormatVersion)
	}
	if !(d.Width > 0 && d.Width <= MaxCoordinate && d.Height > 0 && d.Height <= MaxCoordinate) {
		return nil, bad("pad size must be positive and at most %g", MaxCoordinate)
	}
	if d.Pen != nil {
		if !(d.Pen.MinWidth > 0 && d.Pen.MaxWidth >= d.Pen.MinWidth && d.Pen.MaxWidth <= 100) {
			return nil, bad("pen widths must satisfy 0 < min_width <= max_width <= 100")
		}
		opt.MinWidth, opt.MaxWidth = d.Pen.MinWidth, d.Pen.MaxWidth
	}
	if len(d.Strokes) > MaxStrokes {
		return nil, bad("%d strokes, at most %d", len(d.Strokes), MaxStrokes)
	}
	n := 0
	for i, st := range d.Strokes {
		if len(st) == 0 {
			return nil, bad("stroke %d has no points", i)
		}
		n += len(st)
		if n > MaxPoints {
			return nil, bad("more than %d points", MaxPoints)
		}
		for j, p := range st {
			if math.Abs(p.X) > MaxCoordinate || math.Abs(p.Y) > MaxCoordinate {
				return nil, bad("stroke %d point %d is out of range", i, j)
			}
			if j > 0 && p.T < st[j-1].T {
				return nil, bad("stroke %d point %d goes back in time", i, j)
			}
		}
	}
	s := New(d.Width, d.Height, opt)
	s.strokes = d.Strokes
	if len(s.strokes) == 0 {
		s.strokes = nil
	}
	return s, nil
}
