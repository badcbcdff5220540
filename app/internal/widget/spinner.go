package widget

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// SpinnerSize is the spinner's side in dp: big enough to be seen from a
// step away (issue 17 asks for at least 48), small enough to sit beside a
// line of text.
const SpinnerSize float32 = 56

// spinnerTurn is how long the arc takes to go round once.
const spinnerTurn = 1200 * time.Millisecond

// spinnerSweep is the arc's length in degrees.
const spinnerSweep = 110

// spinnerCutout is the share of the radius left hollow: a ring 6–7 dp thick.
const spinnerCutout = 0.76

var spinnerTrack = color.NRGBA{0xd5, 0xdd, 0xe5, 0xff} // the ring under the arc

// Spinner is the kiosk's activity indicator: an arc going round a pale
// ring, SpinnerSize across. Screens show it on a wait the guest (or staff)
// would otherwise take for a frozen kiosk, and hide it when the wait ends.
//
// It turns only between Start and Stop, and only while the system lets
// animations run (fyne.Settings.ShowAnimations): with animations off it
// shows the arc standing still, which still says "working". One Spinner may
// be moved from screen to screen; it keeps turning without a jump.
type Spinner struct {
	widget.BaseWidget

	// Color is the arc's colour; nil is the theme's primary colour.
	Color color.Color

	running   bool
	animating bool
	anim      *fyne.Animation
	turn      float32 // where the arc starts, in turns (0…1)
	arc       *canvas.Arc
}

var _ fyne.Widget = (*Spinner)(nil)

// NewSpinner returns a spinner standing still; call Start.
func NewSpinner() *Spinner {
	s := &Spinner{}
	s.ExtendBaseWidget(s)
	return s
}

// Start makes the arc go round. Safe to call when running.
func (s *Spinner) Start() {
	if s.running {
		return
	}
	s.running = true
	s.animate()
}

// animate starts the animation unless it runs or animations are off.
func (s *Spinner) animate() {
	if s.animating || !fyne.CurrentApp().Settings().ShowAnimations() {
		return
	}
	if s.anim == nil {
		s.anim = &fyne.Animation{Duration: spinnerTurn, RepeatCount: fyne.AnimationRepeatForever,
			Curve: fyne.AnimationLinear, Tick: s.tick}
	}
	s.animating = true
	s.anim.Start()
}

// still stops the animation, leaving the arc where it is.
func (s *Spinner) still() {
	if s.animating {
		s.animating = false
		s.anim.Stop()
	}
}

// Stop stops the arc where it is. Safe to call when stopped.
func (s *Spinner) Stop() {
	if !s.running {
		return
	}
	s.running = false
	s.still()
}

// Running reports whether the spinner was started and not stopped.
func (s *Spinner) Running() bool { return s.running }

// tick places the arc at done (0…1) of a turn.
func (s *Spinner) tick(done float32) {
	s.turn = done
	if s.arc != nil {
		s.placeArc()
		s.arc.Refresh()
	}
}

func (s *Spinner) placeArc() {
	start := s.turn * 360
	s.arc.StartAngle, s.arc.EndAngle = start, start+spinnerSweep
}

// MinSize is SpinnerSize square.
func (s *Spinner) MinSize() fyne.Size {
	s.ExtendBaseWidget(s)
	return fyne.NewSquareSize(SpinnerSize)
}

// CreateRenderer implements fyne.Widget.
func (s *Spinner) CreateRenderer() fyne.WidgetRenderer {
	track := canvas.NewArc(0, 360, spinnerCutout, spinnerTrack)
	s.arc = canvas.NewArc(0, spinnerSweep, spinnerCutout, s.arcColor())
	s.arc.CornerRadius = SpinnerSize
	s.placeArc()
	if s.running {
		s.animate() // a renderer made again after Destroy
	}
	return &spinnerRenderer{s: s, track: track, objects: []fyne.CanvasObject{track, s.arc}}
}

func (s *Spinner) arcColor() color.Color {
	if s.Color != nil {
		return s.Color
	}
	return s.Theme().Color(theme.ColorNamePrimary, fyne.CurrentApp().Settings().ThemeVariant())
}

type spinnerRenderer struct {
	s       *Spinner
	track   *canvas.Arc
	objects []fyne.CanvasObject
}

func (r *spinnerRenderer) Layout(size fyne.Size) {
	side := min(size.Width, size.Height)
	pos := fyne.NewPos((size.Width-side)/2, (size.Height-side)/2)
	for _, o := range r.objects {
		o.Move(pos)
		o.Resize(fyne.NewSquareSize(side))
	}
}

func (r *spinnerRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(SpinnerSize) }

func (r *spinnerRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *spinnerRenderer) Refresh() {
	r.s.arc.FillColor = r.s.arcColor()
	r.s.placeArc()
	for _, o := range r.objects {
		o.Refresh()
	}
}

// Destroy stops the animation: a spinner dropped from the screen must not
// keep the UI goroutine busy. It still counts as running, and turns again
// if it is drawn again.
func (r *spinnerRenderer) Destroy() { r.s.still() }
