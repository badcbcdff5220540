// Package scan is one document scan, from camera frames to a still and its
// machine-readable zone: each frame's live checks, auto-capture or the
// shutter, the upload-ready still (package idscan), and the zone read
// (package mrz) and voted across the frames and the still. The guest's
// capture screen and the staff's scan-to-fill both use it; it is plain Go,
// so the screens only feed it frames and draw what it returns.
//
// The live checks run on the camera goroutine, in [Loop.Feed]. The zone is
// read on a goroutine of the Loop's own: while the card is in the guide,
// Feed hands that reader a copy of the frame only when it is idle, and
// drops the frame otherwise, so reading never slows the preview. A still
// is always read; the vote over it and the frames before it goes to
// [Options.OnZone], and only a vote on which every check digit passes (or,
// failing that, a still read on its own that passes) is reported.
package scan

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/capture/mrz"
)

// guideFill is how much of the frame the guide rectangle takes: the value
// the live checks are calibrated with.
const guideFill = idscan.DefaultGuideFill

// DefaultZoneTimeout bounds one read of the zone when Options leave it zero.
const DefaultZoneTimeout = 3 * time.Second

// Frame is one camera frame as a scan (and the screens) use it. The frame
// and its images are valid until Release.
type Frame struct {
	Luma    *image.Gray        // luma for the live checks and QR codes (preview size)
	Preview *image.RGBA        // reduced colour image for display
	Full    func() image.Image // full-resolution colour image, for a still
	Release func()             // returns the frame's buffers; may be nil
	// FullLuma is the full-resolution luma, for the check before a still;
	// nil means Luma is already full size. An MJPEG frame decodes at full
	// size only when this is called.
	FullLuma func() *image.Gray
}

// fullCheck returns the full-resolution luma and the guide frame at its
// size, for the scanner's Shutter and Confirm.
func (f Frame) fullCheck() (*image.Gray, image.Rectangle) {
	y := f.Luma
	if f.FullLuma != nil {
		y = f.FullLuma()
	}
	return y, idscan.Guide(y.Rect.Dx(), y.Rect.Dy(), idscan.CardAspect, guideFill)
}

// Options configure a Loop. The zero value scans with idscan's calibrated
// defaults and reports no zone.
type Options struct {
	Checks   idscan.Thresholds   // the live checks' limits
	Still    idscan.StillOptions // the upload-ready image
	Filename string              // the still's file name
	// OnZone receives, after each still, the zone voted over the still and
	// the frames of the hold before it, or nil when no reading passes every
	// check digit. It runs on the Loop's reader goroutine, never after the
	// Loop's context has ended.
	OnZone func(*mrz.Result)
	// Now is auto-capture's clock; nil is time.Now.
	Now func() time.Time
	// ZoneTimeout bounds one read of the zone; zero is DefaultZoneTimeout.
	ZoneTimeout time.Duration
	// Votes is how many reads are voted over; zero is mrz.DefaultVoteFrames.
	Votes int
	// Avoid is the side this scan must not take again: the front's
	// fingerprint (Loop.Taken of the front's scan) while the back is
	// wanted. Auto-capture passes over it with idscan.HintTurnOver, and the
	// shutter refuses it (Update.Refused). nil avoids nothing.
	Avoid *idscan.Fingerprint
}

// Update is what one frame did to the scan, for the screen to draw.
type Update struct {
	// Checked is false when the frame was not looked at: a still is under
	// review, the Loop is closed, or the frame has no luma.
	Checked bool
	// Size is the frame's size, the one Guide is in.
	Size  image.Point
	Guide image.Rectangle
	// Hint is the first failing check's translation key (HintNone while
	// every check passes); Progress runs from 0 to 1 while they hold.
	Hint     idscan.Hint
	Progress float64
	// Still is the still taken on this frame, else nil; Manual says the
	// shutter took it (or, with Refused, was pressed).
	Still  *idscan.Still
	Manual bool
	// Refused is set when the shutter was pressed and its frame was not
	// taken, to say why: the translation key of an idscan.Absence (no
	// document in the guide) or idscan.HintTurnOver (the side in view is
	// Options.Avoid). The shutter must be pressed again.
	Refused string
	// Report is the live checks' report: of the full-resolution frame when
	// a still was taken or refused, else of the preview frame (numbers
	// only, for the capture telemetry).
	Report idscan.Report
}

// StillError is a still that could not be made from a frame that passed
// the checks; the next frames try again.
type StillError struct{ Err error }

func (e *StillError) Error() string { return e.Err.Error() }
func (e *StillError) Unwrap() error { return e.Err }

// Loop is one scan: it is fed frames on the camera goroutine and told of
// the shutter, a retake and the end on any other. Its methods are safe for
// concurrent use.
type Loop struct {
	o      Options
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	read   func(ctx context.Context, img image.Image) (*mrz.Result, error)

	mu      sync.Mutex
	scanner *idscan.Scanner
	still   *idscan.Still      // under review
	print   idscan.Fingerprint // of the still under review, when printOK
	printOK bool
	taken   idscan.Fingerprint // of the still last handed over by Take, when takenOK
	takenOK bool
	shutter bool // take the next frame whatever the checks say
	closed  bool
	hold    *ballot // the reads of the frames since the last still or retake

	// The reader's frame: the camera goroutine copies a frame into buf
	// only when it wins bufMu, which the reader holds while it reads; so a
	// frame that comes while the reader is busy is dropped, not queued.
	bufMu   sync.Mutex
	buf     *image.Gray
	bufVote *ballot
	stopped bool // the reader has ended: buf is wiped and stays so
	frames  chan struct{}
	stills  chan stillJob
	quit    chan struct{} // closed by Close
}

// ballot is the reads of one hold of a card, and whether the frames alone
// already vote a valid zone (then no more frames are read).
type ballot struct {
	voter *mrz.Voter
	mu    sync.Mutex
	sure  bool
}

func (b *ballot) isSure() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sure
}

// stillJob is a still's JPEG (a copy the reader wipes) and the hold it
// ends.
type stillJob struct {
	jpeg []byte
	hold *ballot
}

// New starts a scan; it ends when ctx does or at Close.
func New(ctx context.Context, o Options) *Loop {
	var opts []idscan.Option
	if o.Now != nil {
		opts = append(opts, idscan.WithClock(o.Now))
	}
	if o.ZoneTimeout <= 0 {
		o.ZoneTimeout = DefaultZoneTimeout
	}
	ctx, cancel := context.WithCancel(ctx)
	l := &Loop{o: o, ctx: ctx, cancel: cancel, done: make(chan struct{}), read: readZone,
		scanner: idscan.NewScanner(o.Checks, opts...),
		frames:  make(chan struct{}, 1), stills: make(chan stillJob, 4), quit: make(chan struct{})}
	l.hold = l.newBallot()
	l.scanner.Avoid(o.Avoid)
	go l.run()
	return l
}

func readZone(ctx context.Context, img image.Image) (*mrz.Result, error) { return mrz.Read(ctx, img) }

func (l *Loop) newBallot() *ballot { return &ballot{voter: mrz.NewVoter(l.o.Votes)} }

// Feed runs the live checks on one frame and, when auto-capture fires or
// the shutter was pressed, makes the still. It runs on the camera
// goroutine; the zone is read elsewhere. An error is a frame the checks
// could not use (idscan.ErrBlurred: not sharp enough for a still) or a
// *StillError; either way the next frames try again. A shutter frame with
// no document in the guide, or showing Options.Avoid, is not taken: the
// Update says why in Refused.
func (l *Loop) Feed(f Frame) (Update, error) {
	if f.Luma == nil {
		return Update{}, nil
	}
	w, h := f.Luma.Rect.Dx(), f.Luma.Rect.Dy()
	guide := idscan.Guide(w, h, idscan.CardAspect, guideFill)

	l.mu.Lock()
	if l.closed || l.still != nil {
		l.mu.Unlock()
		return Update{}, nil
	}
	step, err := l.scanner.Preview(f.Luma, guide)
	manual := l.shutter
	l.shutter = false
	u := Update{Checked: true, Size: image.Pt(w, h), Guide: guide, Hint: step.Hint, Progress: step.Progress, Manual: manual, Report: step.Report}
	var full *image.Gray
	switch {
	case err != nil:
	case manual:
		u.Refused, err = l.shutterCheck(f, guide)
		if u.Refused == "" && err == nil {
			var fg image.Rectangle
			full, fg = f.fullCheck()
			u.Report, err = l.scanner.Shutter(full, fg)
			if errors.Is(err, idscan.ErrSameSide) {
				u.Refused, err, full = string(idscan.HintTurnOver), nil, nil
			}
		}
	case step.Capture:
		var fg image.Rectangle
		full, fg = f.fullCheck()
		u.Report, err = l.scanner.Confirm(full, fg)
		if errors.Is(err, idscan.ErrSameSide) {
			// Seen only at full size: the next frames look again.
			u.Hint, u.Progress, err = idscan.HintTurnOver, 0, nil
			full = nil
		}
	}
	hold := l.hold
	l.mu.Unlock()
	if err != nil {
		return Update{}, err
	}
	if full == nil {
		if !manual && step.Report.Found && !step.SameSide {
			l.offer(f.Luma, hold)
		}
		return u, nil
	}
	outline := u.Report.Outline()
	still, err := idscan.MakeStill(f.Full(), outline, l.o.Filename, l.o.Still)
	if err != nil {
		return u, &StillError{Err: err}
	}
	print, perr := idscan.FingerprintOf(full, outline)
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		still.Wipe()
		return Update{}, nil
	}
	l.still, l.hold = still, l.newBallot()
	l.print, l.printOK = print, perr == nil
	l.mu.Unlock()
	select {
	case l.stills <- stillJob{jpeg: bytes.Clone(still.JPEG), hold: hold}:
	case <-l.ctx.Done():
	}
	u.Still = still
	return u, nil
}

// shutterCheck says whether the shutter's frame shows a document at all:
// "" when it does, else the idscan.Absence key that says why not. The
// check runs on the preview luma (it works at the analysis width, which
// the preview already exceeds); l.mu is held.
func (l *Loop) shutterCheck(f Frame, guide image.Rectangle) (string, error) {
	p, err := l.scanner.Analyzer().Presence(f.Luma, guide)
	if err != nil {
		return "", err
	}
	return string(p.Why), nil
}

// offer hands a copy of the frame's luma to the reader when it is idle
// and the hold's zone is not read yet.
func (l *Loop) offer(y *image.Gray, hold *ballot) {
	if hold.isSure() || !l.bufMu.TryLock() {
		return
	}
	defer l.bufMu.Unlock()
	if l.stopped {
		return
	}
	if l.buf == nil || l.buf.Rect.Size() != y.Rect.Size() {
		l.buf = image.NewGray(image.Rectangle{Max: y.Rect.Size()})
	}
	w := y.Rect.Dx()
	for r := 0; r < y.Rect.Dy(); r++ {
		copy(l.buf.Pix[r*l.buf.Stride:r*l.buf.Stride+w], y.Pix[r*y.Stride:r*y.Stride+w])
	}
	l.bufVote = hold
	select {
	case l.frames <- struct{}{}:
	default: // a frame is waiting already: this newer copy replaces it
	}
}

// Shutter takes the still from the next frame, whatever the checks say
// (the person looks at it in review).
func (l *Loop) Shutter() {
	l.mu.Lock()
	l.shutter = true
	l.mu.Unlock()
}

// Still returns the still under review, or nil.
func (l *Loop) Still() *idscan.Still {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.still
}

// Retake wipes the still under review and starts over.
func (l *Loop) Retake() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.still != nil {
		l.still.Wipe()
	}
	l.restart()
}

// Take hands the still under review over to the caller, who wipes it when
// done, and starts over (for the next side).
func (l *Loop) Take() *idscan.Still {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.still
	if s != nil {
		l.taken, l.takenOK = l.print, l.printOK
	}
	l.restart()
	return s
}

// Taken returns the fingerprint of the side last handed over by Take (no
// readable detail of the card), for the next side's Options.Avoid; false
// when nothing was taken or the side could not be fingerprinted.
func (l *Loop) Taken() (idscan.Fingerprint, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.taken, l.takenOK
}

// restart forgets the still and the hold; l.mu is held.
func (l *Loop) restart() {
	l.still, l.shutter = nil, false
	l.print, l.printOK = idscan.Fingerprint{}, false
	l.scanner.Reset()
	l.hold = l.newBallot()
}

// Close ends the scan: no more frames are checked and the still under
// review is wiped. The stills taken already (one handed over by Take, say)
// are still read and reported; the end of the context New was given stops
// that too. Close does not wait for the reader, which may be handing a
// result over to the caller's goroutine; Done is closed when it has ended.
func (l *Loop) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	if l.still != nil {
		l.still.Wipe()
	}
	l.still, l.closed = nil, true
	l.hold.voter.Reset()
	close(l.quit)
}

// Done is closed when the reader has ended: after Close, once the stills
// taken are read, or at the end of the context New was given.
func (l *Loop) Done() <-chan struct{} { return l.done }

// run is the reader: one read at a time, a still before a frame.
func (l *Loop) run() {
	defer close(l.done)
	defer l.cancel()
	defer l.stop()
	for {
		select {
		case j := <-l.stills:
			l.readStill(j)
			continue
		default:
		}
		select {
		case <-l.ctx.Done():
			return
		case <-l.quit:
			l.readStills()
			return
		case j := <-l.stills:
			l.readStill(j)
		case <-l.frames:
			l.readFrame()
		}
	}
}

// readStills reads the stills that wait, after Close.
func (l *Loop) readStills() {
	for l.ctx.Err() == nil {
		select {
		case j := <-l.stills:
			l.readStill(j)
		default:
			return
		}
	}
}

// stop wipes what the reader holds once it has ended.
func (l *Loop) stop() {
	l.bufMu.Lock()
	if l.buf != nil {
		clear(l.buf.Pix)
	}
	l.buf, l.bufVote, l.stopped = nil, nil, true
	l.bufMu.Unlock()
	for {
		select {
		case j := <-l.stills:
			clear(j.jpeg)
		default:
			return
		}
	}
}

// readFrame reads the zone of the waiting frame into its hold's vote.
func (l *Loop) readFrame() {
	l.bufMu.Lock()
	defer l.bufMu.Unlock()
	if l.buf == nil || l.bufVote == nil {
		return
	}
	hold := l.bufVote
	res := l.zone(l.buf)
	if res == nil {
		return
	}
	hold.voter.Add(res)
	if v, _ := hold.voter.Vote(); v != nil && v.Valid {
		hold.mu.Lock()
		hold.sure = true
		hold.mu.Unlock()
	}
}

// readStill reads a still's zone, votes it with its hold's frames and
// reports the outcome.
func (l *Loop) readStill(j stillJob) {
	var own *mrz.Result
	img, err := jpeg.Decode(bytes.NewReader(j.jpeg))
	clear(j.jpeg)
	if err == nil {
		own = l.zone(img)
		wipeImage(img)
	}
	if own != nil {
		j.hold.voter.Add(own)
	}
	var out *mrz.Result
	switch v, _ := j.hold.voter.Vote(); {
	case v != nil && v.Valid:
		out = v
	case own != nil && own.Valid:
		out = own
	}
	j.hold.voter.Reset()
	if l.ctx.Err() == nil && l.o.OnZone != nil {
		l.o.OnZone(out)
	}
}

// zone reads the zone of img, or nil.
func (l *Loop) zone(img image.Image) *mrz.Result {
	ctx, cancel := context.WithTimeout(l.ctx, l.o.ZoneTimeout)
	defer cancel()
	res, err := l.read(ctx, img)
	if err != nil {
		return nil
	}
	return res
}

// wipeImage zeroes a decoded still: it shows a person's document.
func wipeImage(img image.Image) {
	switch m := img.(type) {
	case *image.YCbCr:
		clear(m.Y)
		clear(m.Cb)
		clear(m.Cr)
	case *image.Gray:
		clear(m.Pix)
	case *image.RGBA:
		clear(m.Pix)
	}
}
