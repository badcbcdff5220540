package idscan

import (
	"errors"
	"image"
	"time"
)

// Phase is where auto-capture stands.
type Phase int

// The auto-capture phases.
const (
	// PhaseSearching: some check fails.
	PhaseSearching Phase = iota
	// PhaseHolding: every check passes; waiting for SteadyFor to pass.
	PhaseHolding
	// PhaseCapture: the full-resolution frame was asked for; waiting for
	// Confirm.
	PhaseCapture
)

// String names the phase, for logs.
func (p Phase) String() string {
	switch p {
	case PhaseSearching:
		return "searching"
	case PhaseHolding:
		return "holding"
	case PhaseCapture:
		return "capture"
	}
	return "unknown"
}

// Step is what the UI needs after one preview frame.
type Step struct {
	Report Report
	// Hint to show (HintNone while the checks hold).
	Hint Hint
	// Progress runs from 0 to 1 while every check keeps passing; the UI's
	// progress ring.
	Progress float64
	// Capture is true exactly once per hold: take the full-resolution frame
	// now and hand its luma to Confirm.
	Capture bool
	// SameSide is true when every check passes but the card in view is the
	// side given to Avoid; Hint is then HintTurnOver.
	SameSide bool
}

// Scanner is the auto-capture state machine over an Analyzer: once every
// check has passed for SteadyFor it asks for the full-resolution frame, then
// re-checks its sharpness in Confirm. Shutter is the manual path. Not safe
// for concurrent use.
type Scanner struct {
	an    *Analyzer
	hold  time.Duration
	now   func() time.Time
	phase Phase
	since time.Time
	last  Report
	lastW int
	lastH int
	avoid *Fingerprint
}

// Option configures a Scanner.
type Option func(*Scanner)

// WithClock replaces time.Now, for tests and replays.
func WithClock(now func() time.Time) Option {
	return func(s *Scanner) {
		if now != nil {
			s.now = now
		}
	}
}

// NewScanner returns a Scanner using thresholds t (zero fields take the
// defaults; t.SteadyFor is the hold time).
func NewScanner(t Thresholds, opts ...Option) *Scanner {
	s := &Scanner{an: NewAnalyzer(t), now: time.Now}
	s.hold = s.an.t.SteadyFor
	for _, o := range opts {
		o(s)
	}
	return s
}

// Analyzer returns the live checks behind the Scanner.
func (s *Scanner) Analyzer() *Analyzer { return s.an }

// Phase returns the current phase.
func (s *Scanner) Phase() Phase { return s.phase }

// Reset starts over, as for the other side of a card or after a retake.
func (s *Scanner) Reset() {
	s.phase = PhaseSearching
	s.an.Reset()
	s.last = Report{}
}

// Avoid makes auto-capture pass over a card side that looks like fp (the
// front, while the back is wanted; see SameSide): Preview neither holds
// nor captures it and says HintTurnOver, and Confirm and Shutter return
// ErrSameSide. nil lifts it; Reset keeps it.
func (s *Scanner) Avoid(fp *Fingerprint) {
	if fp != nil {
		c := *fp
		fp = &c
	}
	s.avoid = fp
}

// sameAsAvoided says whether the card outlined in rep is the avoided side.
func (s *Scanner) sameAsAvoided(y *image.Gray, rep Report) bool {
	if s.avoid == nil {
		return false
	}
	fp, err := FingerprintOf(y, rep.Outline())
	return err == nil && SameSide(*s.avoid, fp)
}

// Preview runs the live checks on a preview frame's luma and advances the
// state machine.
func (s *Scanner) Preview(y *image.Gray, guide image.Rectangle) (Step, error) {
	rep, err := s.an.Analyze(y, guide)
	if err != nil {
		return Step{}, err
	}
	s.last, s.lastW, s.lastH = rep, y.Rect.Dx(), y.Rect.Dy()
	st := Step{Report: rep, Hint: rep.Hint()}
	if !rep.OK() {
		if s.phase != PhaseCapture {
			s.phase = PhaseSearching
		}
		return st, nil
	}
	if s.phase != PhaseCapture && s.sameAsAvoided(y, rep) {
		s.phase = PhaseSearching
		st.Hint, st.SameSide = HintTurnOver, true
		return st, nil
	}
	now := s.now()
	switch s.phase {
	case PhaseSearching:
		s.phase, s.since = PhaseHolding, now
	case PhaseCapture:
		st.Progress = 1
		return st, nil
	}
	el := now.Sub(s.since)
	if s.hold <= 0 || el >= s.hold {
		st.Progress, st.Capture = 1, true
		s.phase = PhaseCapture
		return st, nil
	}
	st.Progress = float64(el) / float64(s.hold)
	return st, nil
}

// Confirm re-checks the full-resolution frame asked for by a Step with
// Capture set. It returns the frame's report, whose Outline is the area to
// crop; ErrBlurred (with the report) when the frame is not sharp enough,
// ErrSameSide when it shows the side given to Avoid; either way the next
// Preview starts a new hold.
func (s *Scanner) Confirm(y *image.Gray, guide image.Rectangle) (Report, error) {
	s.phase = PhaseSearching
	rep, err := s.full(y, guide)
	if err != nil {
		return rep, err
	}
	if !rep.Sharpness.Pass {
		return rep, ErrBlurred
	}
	if s.sameAsAvoided(y, rep) {
		return rep, ErrSameSide
	}
	return rep, nil
}

// Shutter is the manual shutter: it checks the full-resolution frame like
// Confirm but never refuses it for quality (the guest judges in review),
// only for being the avoided side (ErrSameSide). Whether a document is in
// the frame at all is Analyzer().Presence's to say, before Shutter.
func (s *Scanner) Shutter(y *image.Gray, guide image.Rectangle) (Report, error) {
	s.phase = PhaseSearching
	rep, err := s.full(y, guide)
	if errors.Is(err, ErrBlurred) {
		err = nil
	}
	if err == nil && s.sameAsAvoided(y, rep) {
		err = ErrSameSide
	}
	return rep, err
}

func (s *Scanner) full(y *image.Gray, guide image.Rectangle) (Report, error) {
	rep, err := s.an.Recheck(y, guide)
	if err != nil {
		return rep, err
	}
	// The card may not be found at full size (a different exposure, the
	// guest's thumb); the last preview's outline is the next best.
	if !rep.Found && s.last.Found && s.lastW > 0 && s.lastH > 0 {
		sx := float64(y.Rect.Dx()) / float64(s.lastW)
		sy := float64(y.Rect.Dy()) / float64(s.lastH)
		rep.Quad, rep.Found = s.last.Quad.Scale(sx, sy), true
	}
	return rep, nil
}
