// Package synthetic renders the synthetic camera's scene: a desk seen from
// above and, on request, the demo world's ID-1 identity card (or a sheet with
// the booking QR code) lying on it. It is what demo mode and the UI tests see,
// and what the ID-scan (#7) and MRZ (#11) code is tested against.
//
// # Scene API
//
// A frame is a pure function of the renderer's size and seed, a [Conditions]
// value and a time:
//
//	r := synthetic.New(1280, 720, 1)          // size and seed
//	img, corners := r.RenderFrame(synthetic.SharpSteady, 0)
//	// img is a fresh *image.RGBA; corners are the card's four corners in img
//
// [Renderer.Render] draws into a caller-owned *image.RGBA instead, so a
// stream allocates nothing, and [Renderer.Frame] renders into a pooled
// *frame.Frame (capture/frame), the form the camera delivers. Rendering is deterministic: the same renderer
// size, seed, conditions and time give the same pixels.
//
// [Conditions] describes what the camera sees. Its zero value is an empty
// desk; every other zero field means "normal": card centred at the kiosk's
// capture distance, flat, sharp, steady, no glare, normal light, no noise.
// Ready-made conditions for the quality checks: [NoCard], [SharpSteady],
// [Blurred], [Glaring], [Dark], [Moving], [Tilted], [Far], [QRCode].
//
// [Corners] are the ground truth for crop tests: the card's corners (top-left,
// top-right, bottom-right, bottom-left of the printed front, in reading
// order) in output pixels, rounded to the nearest pixel, with the sub-pixel
// values in [Corners.F]. They are valid whenever Conditions.Card or
// Conditions.QR is set, even when a corner lies outside the frame.
//
// The MRZ is [demodata.CardMRZ] set in OCR-B at ICAO TD1 geometry (10
// characters per inch, 3 lines); at the default capture distance on a
// 1280×720 frame a character is about 20 px tall. The visual zone prints
// the holder's name, [demodata.CardNumber], [demodata.CardExpiry] and a face
// silhouette.
//
// # Scenes
//
// A [Scene] is a looped script of [Step]s, each holding or interpolating
// conditions for a while. [Demo] is the demo-mode loop (no card → card enters →
// blurry → sharp and steady for 3 s → glare → moved away → QR code → …);
// [SceneNamed] returns it or a static scene for each preset name, which is
// what the camera spec `synthetic:scene=NAME` selects.
package synthetic

import (
	"fmt"
	"image"
	"math"
	"sort"
	"strings"
	"time"
)

// Conditions is what the synthetic camera sees. The zero value is an empty
// desk; zero fields mean normal (see the package doc).
type Conditions struct {
	// Card puts the ID card on the desk.
	Card bool
	// QR puts a card-sized sheet with the booking QR code on the desk
	// instead of the ID card (QR wins when both are set).
	QR bool
	// Back shows the card's back: another layout, with the same
	// machine-readable zone.
	Back bool

	// X and Y move the card's centre away from the frame's centre, as a
	// fraction of the frame's width and height (-0.5…0.5).
	X, Y float64
	// Scale is the card's width as a fraction of the frame's width; 0 means
	// [DefaultScale], the kiosk's capture distance.
	Scale float64
	// Rotate turns the card in the image plane, in degrees (clockwise).
	Rotate float64
	// Tilt turns the card about its horizontal axis, in degrees (top edge
	// away from the camera for positive values): a perspective distortion.
	Tilt float64
	// Offscreen slides the card out of the frame downwards: 0 in place,
	// 1 fully out. Interpolating it from 1 to 0 makes the card enter.
	Offscreen float64

	// Blur is the defocus blur radius in output pixels (0 sharp; 3 is
	// clearly blurred at 1280×720).
	Blur float64
	// Motion makes the card wobble sideways: amplitude Motion×10 % of the
	// frame width at 1.5 Hz, with the matching motion blur (30 fps
	// exposure). 0 is steady.
	Motion float64
	// Glare is the strength of a specular highlight on the card, 0…1; above
	// about 0.5 its core saturates.
	Glare float64
	// Dark dims the whole scene, 0…1 (1 leaves about 15 % of the light).
	Dark float64
	// Noise is the standard deviation of sensor noise in grey levels
	// (deterministic by seed and time).
	Noise float64
}

// DefaultScale is the card's width as a fraction of the frame's width at the
// kiosk's capture distance.
const DefaultScale = 0.55

// Card's printed size in millimetres (ISO/IEC 7810 ID-1).
const (
	CardWidthMM  = 85.60
	CardHeightMM = 53.98
)

// Ready-made conditions for the ID-scan quality checks.
var (
	// NoCard is the empty desk.
	NoCard = Conditions{}
	// SharpSteady is the card centred, flat, sharp and still: a good capture.
	SharpSteady = Conditions{Card: true}
	// Blurred is the card out of focus.
	Blurred = Conditions{Card: true, Blur: 4}
	// Glaring is the card with a saturated highlight.
	Glaring = Conditions{Card: true, Glare: 0.9}
	// Dark is the card in poor light.
	Dark = Conditions{Card: true, Dark: 0.8, Noise: 3}
	// Moving is the card held by an unsteady hand.
	Moving = Conditions{Card: true, Motion: 1}
	// Tilted is the card turned and tilted but sharp.
	Tilted = Conditions{Card: true, Rotate: 8, Tilt: 20}
	// Far is the card too far from the camera.
	Far = Conditions{Card: true, Scale: 0.25}
	// QRCode is the booking QR sheet centred and sharp.
	QRCode = Conditions{QR: true}
)

// Presets maps each preset's name (as used by `synthetic:scene=NAME`) to its
// conditions.
var Presets = map[string]Conditions{
	"nocard": NoCard, "sharp": SharpSteady, "blur": Blurred, "glare": Glaring,
	"dark": Dark, "moving": Moving, "tilted": Tilted, "far": Far, "qr": QRCode,
}

// Step is one part of a [Scene]: for Dur, conditions interpolated linearly
// from From to To (numeric fields; Card and QR are taken from From for the
// first half and from To for the second).
type Step struct {
	Name     string
	Dur      time.Duration
	From, To Conditions
}

// Hold is a step that keeps c for d.
func Hold(name string, d time.Duration, c Conditions) Step {
	return Step{Name: name, Dur: d, From: c, To: c}
}

// Move is a step that goes from a to b over d.
func Move(name string, d time.Duration, a, b Conditions) Step {
	return Step{Name: name, Dur: d, From: a, To: b}
}

// Scene is a looped script of steps.
type Scene struct {
	Name  string
	Steps []Step
}

// Duration is the length of one loop.
func (s Scene) Duration() time.Duration {
	var d time.Duration
	for _, st := range s.Steps {
		d += st.Dur
	}
	return d
}

// At returns the conditions at time t (looped) and the name of the step.
func (s Scene) At(t time.Duration) (Conditions, string) {
	total := s.Duration()
	if total <= 0 {
		if len(s.Steps) > 0 {
			return s.Steps[0].From, s.Steps[0].Name
		}
		return Conditions{}, ""
	}
	t %= total
	if t < 0 {
		t += total
	}
	for _, st := range s.Steps {
		if t < st.Dur {
			return Lerp(st.From, st.To, float64(t)/float64(st.Dur)), st.Name
		}
		t -= st.Dur
	}
	last := s.Steps[len(s.Steps)-1]
	return last.To, last.Name
}

// Lerp interpolates between two conditions; f is clamped to 0…1.
func Lerp(a, b Conditions, f float64) Conditions {
	f = math.Max(0, math.Min(1, f))
	l := func(x, y float64) float64 { return x + (y-x)*f }
	c := Conditions{
		Card: a.Card, QR: a.QR, Back: a.Back,
		X: l(a.X, b.X), Y: l(a.Y, b.Y), Scale: l(scaleOr(a.Scale), scaleOr(b.Scale)),
		Rotate: l(a.Rotate, b.Rotate), Tilt: l(a.Tilt, b.Tilt), Offscreen: l(a.Offscreen, b.Offscreen),
		Blur: l(a.Blur, b.Blur), Motion: l(a.Motion, b.Motion), Glare: l(a.Glare, b.Glare),
		Dark: l(a.Dark, b.Dark), Noise: l(a.Noise, b.Noise),
	}
	if a.Scale == 0 && b.Scale == 0 {
		c.Scale = 0
	}
	if f >= 0.5 {
		c.Card, c.QR, c.Back = b.Card, b.QR, b.Back
	}
	return c
}

func scaleOr(s float64) float64 {
	if s <= 0 {
		return DefaultScale
	}
	return s
}

// Demo is the demo-mode loop, about 24 s: empty desk, the card enters
// blurred, comes into focus, stays sharp and steady for 3 s, catches glare,
// wobbles, leaves; then the booking QR sheet is shown and taken away.
func Demo() Scene {
	out := Conditions{Card: true, Offscreen: 1, Blur: 3, Rotate: -12, Tilt: 10, Motion: 0.3}
	blurry := Conditions{Card: true, Blur: 4, Rotate: -4, Tilt: 6}
	sharp := Conditions{Card: true, Rotate: -1.5}
	glare := Conditions{Card: true, Rotate: -1.5, Glare: 0.9}
	qrOut := Conditions{QR: true, Offscreen: 1, Rotate: 6}
	qr := Conditions{QR: true, Rotate: 2}
	return Scene{Name: "demo", Steps: []Step{
		Hold("nocard", 2*time.Second, NoCard),
		Move("enter", 1500*time.Millisecond, out, blurry),
		Hold("blurry", 1500*time.Millisecond, blurry),
		Move("focus", 500*time.Millisecond, blurry, sharp),
		Hold("sharp", 3*time.Second, sharp),
		Move("glare", 500*time.Millisecond, sharp, glare),
		Hold("glare", 2*time.Second, glare),
		Move("unglare", 500*time.Millisecond, glare, sharp),
		Hold("moving", 2*time.Second, Conditions{Card: true, Rotate: -1.5, Motion: 1}),
		Hold("sharp", 2*time.Second, sharp),
		Move("leave", 1500*time.Millisecond, sharp, out),
		Hold("nocard", 1*time.Second, NoCard),
		Move("qr-enter", 1*time.Second, qrOut, qr),
		Hold("qr", 3*time.Second, qr),
		Move("qr-leave", 1*time.Second, qr, qrOut),
	}}
}

// TurnedOver is the scene with the card's back in view wherever it shows
// the card: the demo's second photo of a two-sided document.
func (s Scene) TurnedOver() Scene {
	out := Scene{Name: s.Name + "-back", Steps: make([]Step, len(s.Steps))}
	for i, st := range s.Steps {
		st.From.Back, st.To.Back = st.From.Card, st.To.Card
		out.Steps[i] = st
	}
	return out
}

// SceneNames lists the names [SceneNamed] accepts.
func SceneNames() []string {
	names := []string{"demo"}
	for n := range Presets {
		names = append(names, n)
	}
	sort.Strings(names[1:])
	return names
}

// SceneNamed returns the demo loop for "demo" (or ""), else a static scene
// holding the preset of that name.
func SceneNamed(name string) (Scene, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || name == "demo" {
		return Demo(), nil
	}
	c, ok := Presets[name]
	if !ok {
		return Scene{}, fmt.Errorf("synthetic: unknown scene %q (known: %s)", name, strings.Join(SceneNames(), ", "))
	}
	return Scene{Name: name, Steps: []Step{Hold(name, time.Hour, c)}}, nil
}

// Corners are the card's corners in output pixels: top-left, top-right,
// bottom-right, bottom-left of its printed front. F holds the exact values.
type Corners struct {
	// Pt are the corners rounded to the nearest pixel.
	Pt [4]image.Point
	// F are the exact corners, [i][0] = x, [i][1] = y.
	F [4][2]float64
	// Visible is false when no card or sheet is in the scene.
	Visible bool
}
