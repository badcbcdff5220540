package scan

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// camera renders synthetic frames of cond on a fake clock that moves 40 ms
// a frame, as a 25 fps camera would.
type camera struct {
	r    *synthetic.Renderer
	cond synthetic.Conditions
	t    time.Duration
	mu   sync.Mutex
}

func newCamera(t *testing.T, cond synthetic.Conditions) *camera {
	t.Helper()
	r, err := synthetic.NewRenderer(960, 540, 7)
	if err != nil {
		t.Fatal(err)
	}
	return &camera{r: r, cond: cond}
}

// now is the camera's clock, for auto-capture's hold.
func (c *camera) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Unix(1_700_000_000, 0).Add(c.t)
}

func (c *camera) frame() Frame {
	c.mu.Lock()
	rgba, _ := c.r.RenderFrame(c.cond, c.t)
	c.t += 40 * time.Millisecond
	c.mu.Unlock()
	return lumaFrame(rgba)
}

// lumaFrame is a Frame of rgba with its luma.
func lumaFrame(rgba *image.RGBA) Frame {
	y := image.NewGray(rgba.Rect)
	for i := range y.Pix {
		p := rgba.Pix[i*4 : i*4+3]
		y.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2])) / 1000)
	}
	return Frame{Luma: y, Preview: rgba, Full: func() image.Image { return rgba }}
}

// feedUntilStill feeds frames until one makes a still; at most n.
func feedUntilStill(t *testing.T, l *Loop, c *camera, n int) Update {
	t.Helper()
	for i := 0; i < n; i++ {
		u, err := l.Feed(c.frame())
		if err != nil && !errors.Is(err, idscan.ErrBlurred) {
			t.Fatalf("frame %d: %v", i, err)
		}
		if u.Still != nil {
			return u
		}
	}
	t.Fatalf("no still after %d frames", n)
	return Update{}
}

func zoneOf(t *testing.T, zones <-chan *mrz.Result) *mrz.Result {
	t.Helper()
	select {
	case z := <-zones:
		return z
	case <-time.After(60 * time.Second):
		t.Fatal("no zone reported within a minute")
		return nil
	}
}

// A steady card is captured on its own, and its zone (read on the frames
// and the still, and voted) fills the document's fields.
func TestAutoCaptureReadsTheZone(t *testing.T) {
	c := newCamera(t, synthetic.SharpSteady)
	zones := make(chan *mrz.Result, 1)
	l := New(context.Background(), Options{Filename: "identity-card-back.jpg", Now: c.now, OnZone: func(r *mrz.Result) { zones <- r }})
	defer l.Close()

	u := feedUntilStill(t, l, c, 200)
	if u.Manual || u.Still.Filename != "identity-card-back.jpg" || u.Still.ContentType != idscan.ContentType {
		t.Errorf("still %v, manual %v", u.Still, u.Manual)
	}
	if _, err := jpeg.Decode(bytes.NewReader(u.Still.JPEG)); err != nil {
		t.Fatalf("still is not a JPEG: %v", err)
	}
	if l.Still() != u.Still {
		t.Error("the still is not held for review")
	}
	// While the still is under review, frames are not checked.
	if u, _ := l.Feed(c.frame()); u.Checked {
		t.Error("a frame was checked during review")
	}
	z := zoneOf(t, zones)
	if z == nil || !z.Valid {
		t.Fatalf("zone %v", z)
	}
	if d := z.Document(); d.Number != demodata.CardNumber || d.ExpirationDate != demodata.CardExpiry {
		t.Errorf("document read as number ok %v, expiry %q", d.Number == demodata.CardNumber, d.ExpirationDate)
	}
}

// Without a card there is no still and nothing is read; the hint says to
// place the card.
func TestNoCardNoStill(t *testing.T) {
	c := newCamera(t, synthetic.NoCard)
	l := New(context.Background(), Options{Now: c.now})
	var reads atomic.Int32
	l.read = func(context.Context, image.Image) (*mrz.Result, error) { reads.Add(1); return nil, mrz.ErrNotFound }
	defer l.Close()
	for i := 0; i < 15; i++ {
		u, err := l.Feed(c.frame())
		if err != nil || !u.Checked || u.Still != nil {
			t.Fatalf("frame %d: %+v, %v", i, u, err)
		}
		if u.Hint != idscan.HintPlaceCard || u.Size != image.Pt(960, 540) || u.Guide.Empty() {
			t.Fatalf("frame %d: hint %q, size %v, guide %v", i, u.Hint, u.Size, u.Guide)
		}
	}
	if n := reads.Load(); n != 0 {
		t.Errorf("%d zone reads without a card", n)
	}
}

// The shutter takes the next frame, whatever the checks say; Retake wipes
// it and starts over; Take hands it over.
func TestShutterRetakeTake(t *testing.T) {
	// A card in view that auto-capture would wait an hour for: only the
	// shutter takes it.
	c := newCamera(t, synthetic.Blurred)
	zones := make(chan *mrz.Result, 4)
	l := New(context.Background(), Options{Now: c.now, OnZone: func(r *mrz.Result) { zones <- r }, Checks: idscan.Thresholds{SteadyFor: time.Hour}})
	defer l.Close()
	l.Shutter()
	u, err := l.Feed(c.frame())
	if err != nil || u.Still == nil || !u.Manual || u.Refused != "" {
		t.Fatalf("after the shutter: %+v, %v", u, err)
	}
	if z := zoneOf(t, zones); z != nil && z.Valid {
		t.Errorf("a valid zone %v read on a blurred card", z)
	}
	first := u.Still
	l.Retake()
	if l.Still() != nil || bytes.ContainsFunc(first.JPEG, func(r rune) bool { return r != 0 }) {
		t.Error("retake left the still")
	}
	l.Shutter()
	u, _ = l.Feed(c.frame())
	if got := l.Take(); got != u.Still || got == nil {
		t.Fatalf("Take returned %v, want the new still", got)
	}
	if l.Still() != nil {
		t.Error("the still is still under review after Take")
	}
	if u, _ := l.Feed(c.frame()); !u.Checked {
		t.Error("frames not checked after Take")
	}
}

// A frame that comes while the reader works is dropped, and Feed never
// waits for the reader: the preview keeps its pace.
func TestFramesDroppedWhileReading(t *testing.T) {
	c := newCamera(t, synthetic.SharpSteady)
	l := New(context.Background(), Options{Now: c.now, Checks: idscan.Thresholds{SteadyFor: time.Hour}, ZoneTimeout: time.Hour})
	defer l.Close()
	release := make(chan struct{})
	var reads atomic.Int32
	l.read = func(ctx context.Context, img image.Image) (*mrz.Result, error) {
		reads.Add(1)
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil, mrz.ErrNotFound
	}
	frames := make([]Frame, 12)
	for i := range frames {
		frames[i] = c.frame()
	}
	for i, f := range frames {
		done := make(chan struct{})
		go func() { defer close(done); _, _ = l.Feed(f) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("Feed of frame %d waited for the reader", i)
		}
	}
	waitFor(t, "the first read", func() bool { return reads.Load() >= 1 })
	if n := reads.Load(); n != 1 {
		t.Fatalf("%d reads started while the first was busy; want 1", n)
	}
	close(release)
	// Once idle, the reader takes a frame again.
	for reads.Load() < 2 {
		_, _ = l.Feed(c.frame())
		time.Sleep(time.Millisecond)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// misread is the card's zone with one digit of the document number read
// wrong, so its check digit fails.
func misread(t *testing.T) *mrz.Result {
	t.Helper()
	lines := demodata.CardMRZ
	lines[0] = strings.Replace(lines[0], "D23145890", "D23145880", 1)
	r, err := mrz.Parse(lines[:])
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func cardZone(t *testing.T) *mrz.Result {
	t.Helper()
	r, err := mrz.Parse(demodata.CardMRZ[:])
	if err != nil || !r.Valid {
		t.Fatalf("the card's zone does not parse: %v", err)
	}
	return r
}

// The vote decides: frames that read the zone right outvote a still that
// misreads it, and nothing is reported when no reading is valid.
func TestZoneVotedAcrossFramesAndStill(t *testing.T) {
	for _, tt := range []struct {
		name         string
		frame, still func(*testing.T) *mrz.Result
		valid        bool
	}{
		{"frames outvote a misread still", cardZone, misread, true},
		{"a valid still on its own", func(*testing.T) *mrz.Result { return nil }, cardZone, true},
		{"no valid reading", misread, misread, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newCamera(t, synthetic.SharpSteady)
			zones := make(chan *mrz.Result, 1)
			l := New(context.Background(), Options{Now: c.now, Checks: idscan.Thresholds{SteadyFor: time.Hour},
				OnZone: func(r *mrz.Result) { zones <- r }})
			defer l.Close()
			var frameReads atomic.Int32
			l.read = func(_ context.Context, img image.Image) (*mrz.Result, error) {
				if _, fromFrame := img.(*image.Gray); fromFrame {
					frameReads.Add(1)
					if r := tt.frame(t); r != nil {
						return r, nil
					}
					return nil, mrz.ErrNotFound
				}
				return tt.still(t), nil
			}
			// Hold the card until the frames have been read a few times
			// (or, when they read nothing, tried).
			for frameReads.Load() < 3 {
				_, _ = l.Feed(c.frame())
				if l.hold.isSure() {
					break
				}
			}
			l.Shutter()
			feedUntilStill(t, l, c, 5)
			z := zoneOf(t, zones)
			if got := z != nil && z.Valid; got != tt.valid {
				t.Fatalf("zone %v, want valid %v", z, tt.valid)
			}
			if tt.valid && z.Document().Number != demodata.CardNumber {
				t.Error("the voted zone has the wrong number")
			}
		})
	}
}

// Close wipes the still under review and stops the checks; a still taken
// before is still read and reported. The end of the context stops
// everything, even a read under way, and nothing is reported after it.
func TestClose(t *testing.T) {
	c := newCamera(t, synthetic.Blurred)
	zones := make(chan *mrz.Result, 2)
	l := New(context.Background(), Options{Now: c.now, OnZone: func(r *mrz.Result) { zones <- r }, Checks: idscan.Thresholds{SteadyFor: time.Hour}})
	l.read = func(context.Context, image.Image) (*mrz.Result, error) { return cardZone(t), nil }
	l.Shutter()
	taken, _ := l.Feed(c.frame())
	l.Take()
	l.Shutter()
	review, _ := l.Feed(c.frame())
	l.Close()
	if z := zoneOf(t, zones); z == nil {
		t.Error("the still taken before Close was not reported")
	}
	select {
	case <-l.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("the reader did not end")
	}
	if taken.Still == nil || review.Still == nil || bytes.ContainsFunc(review.Still.JPEG, func(r rune) bool { return r != 0 }) {
		t.Error("close left the still under review")
	}
	if bytes.Count(taken.Still.JPEG, []byte{0}) == len(taken.Still.JPEG) {
		t.Error("close wiped the still handed over")
	}
	if u, _ := l.Feed(c.frame()); u.Checked {
		t.Error("a frame was checked after Close")
	}
	l.Close() // safe twice

	ctx, cancel := context.WithCancel(context.Background())
	var reported atomic.Bool
	l = New(ctx, Options{Now: c.now, OnZone: func(*mrz.Result) { reported.Store(true) }, Checks: idscan.Thresholds{SteadyFor: time.Hour}})
	started := make(chan struct{})
	l.read = func(ctx context.Context, _ image.Image) (*mrz.Result, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	l.Shutter()
	_, _ = l.Feed(c.frame())
	<-started
	cancel()
	select {
	case <-l.Done():
	case <-time.After(20 * time.Second):
		t.Fatal("the reader did not end with its context")
	}
	if reported.Load() {
		t.Error("a zone was reported after the context ended")
	}
}

// Feed, the shutter, retakes and Close from several goroutines at once.
func TestConcurrentUse(t *testing.T) {
	c := newCamera(t, synthetic.SharpSteady)
	l := New(context.Background(), Options{Now: c.now, OnZone: func(*mrz.Result) {}})
	l.read = func(context.Context, image.Image) (*mrz.Result, error) { return nil, mrz.ErrNotFound }
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			_, _ = l.Feed(c.frame())
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 20; i++ {
			switch i % 3 {
			case 0:
				l.Shutter()
			case 1:
				l.Retake()
			default:
				if s := l.Take(); s != nil {
					s.Wipe()
				}
			}
		}
	}()
	wg.Wait()
	l.Close()
	<-l.Done()
}

// The full-resolution check uses FullLuma when the frame has one, with the
// guide at that size.
func TestFrameFullCheck(t *testing.T) {
	half := image.NewGray(image.Rect(0, 0, 960, 540))
	full := image.NewGray(image.Rect(0, 0, 1920, 1080))
	calls := 0
	f := Frame{Luma: half, FullLuma: func() *image.Gray { calls++; return full }}
	y, g := f.fullCheck()
	if y != full || calls != 1 {
		t.Fatalf("fullCheck used %v after %d calls", y.Rect, calls)
	}
	if want := idscan.Guide(1920, 1080, idscan.CardAspect, guideFill); g != want {
		t.Errorf("guide %v, want %v", g, want)
	}
	if y, g := (Frame{Luma: full}).fullCheck(); y != full || g != idscan.Guide(1920, 1080, idscan.CardAspect, guideFill) {
		t.Errorf("without FullLuma: %v %v", y.Rect, g)
	}
}

// BenchmarkFeed is the camera goroutine's share of a scan: the live checks
// and, when the reader is idle, the copy of the frame handed to it.
func BenchmarkFeed(b *testing.B) {
	r, err := synthetic.NewRenderer(960, 540, 7)
	if err != nil {
		b.Fatal(err)
	}
	rgba, _ := r.RenderFrame(synthetic.SharpSteady, 0)
	y := image.NewGray(rgba.Rect)
	for i := range y.Pix {
		y.Pix[i] = rgba.Pix[i*4+1]
	}
	f := Frame{Luma: y, Preview: rgba, Full: func() image.Image { return rgba }}
	l := New(context.Background(), Options{Checks: idscan.Thresholds{SteadyFor: time.Hour}})
	l.read = func(context.Context, image.Image) (*mrz.Result, error) { return nil, mrz.ErrNotFound }
	defer l.Close()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = l.Feed(f)
	}
}

// BenchmarkFeedAvoid is the back's scan with the front in view again:
// every frame passes the checks, so each is fingerprinted and passed over.
func BenchmarkFeedAvoid(b *testing.B) {
	r, err := synthetic.NewRenderer(960, 540, 7)
	if err != nil {
		b.Fatal(err)
	}
	rgba, _ := r.RenderFrame(synthetic.SharpSteady, 0)
	f := lumaFrame(rgba)
	an := idscan.NewAnalyzer(idscan.Thresholds{})
	g := idscan.Guide(960, 540, idscan.CardAspect, guideFill)
	rep, err := an.Recheck(f.Luma, g)
	if err != nil {
		b.Fatal(err)
	}
	fp, err := idscan.FingerprintOf(f.Luma, rep.Outline())
	if err != nil {
		b.Fatal(err)
	}
	l := New(context.Background(), Options{Avoid: &fp})
	l.read = func(context.Context, image.Image) (*mrz.Result, error) { return nil, mrz.ErrNotFound }
	defer l.Close()
	for range 3 { // past the first frame, whose steadiness is unknown
		_, _ = l.Feed(f)
	}
	if u, _ := l.Feed(f); u.Hint != idscan.HintTurnOver {
		b.Fatalf("the front again: hint %q", u.Hint)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = l.Feed(f)
	}
}
