package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
)

// guestSteps are the steps the attract screen promises ("find your
// booking, scan your ID, sign"), shown as dots at the top of the guest
// screens.
const guestSteps = 3

// guestStep is the dot of a flow step: which of the three steps the guest
// is on. The Done screen shows none.
func guestStep(s flow.Step) int {
	switch s {
	case flow.StepFindBooking, flow.StepConfirmBooking:
		return 1
	case flow.StepDocumentType, flow.StepCapture, flow.StepDetails:
		return 2
	case flow.StepSignature, flow.StepSubmit:
		return 3
	}
	return 0
}

// guestBar is the guest screens' bottom bar: Back, and a wide Next-style
// primary action; each grows with its label up to these widths.
var guestBar = bar{backWidth: 320, primaryWidth: 420, primaryMin: 240, iconAfterText: true}

// screen lays out a guest screen: a header with the step, the title and
// the guest's controls (language, accessibility, start over, help); the
// body; a bottom bar with Back and the primary action. A step of 0 shows
// no dots; any other shows the dots of the session's step (guestStep), so
// they always agree with the three steps the guest was promised.
//
// In "Easy reach" the top third of the screen holds nothing to tap: the
// header and the demo badge. The controls move into the bottom bar,
// between Back and the primary action, and the body starts a third of the
// way down (higher only where it would not fit otherwise).
func (k *Kiosk) screen(step int, title string, body fyne.CanvasObject, back, primary *action) fyne.CanvasObject {
	if step != 0 {
		step = guestStep(k.g.session.Step())
	}
	t := newFitText(title, 32, theme.ColorNameForeground, 2, 180)
	t.bold, t.align = true, fyne.TextAlignLeading
	b := guestBar
	b.primaryIcon = theme.NavigateNextIcon()
	if !k.modes().Reach {
		header := container.NewBorder(nil, nil, container.NewCenter(stepDots(step)), k.guestControls(false), t)
		return k.layout(header, body, back, primary, b)
	}
	b.backWidth, b.primaryWidth = 220, 300
	header := container.NewVBox(container.NewPadded(container.NewBorder(nil, nil, container.NewCenter(stepDots(step)), nil, t)),
		container.NewPadded(k.demoBadge()))
	foot := k.bar(back, primary, b, k.guestControls(true))
	return container.New(reachLayout{}, header, container.NewPadded(body), foot)
}

// reachLayout places a guest screen for "Easy reach": header, body and
// footer. The footer is at the bottom, the body starts a third of the way
// down (higher only when it would not fit otherwise), and the header is
// centred in the room above the body.
type reachLayout struct{}

func (reachLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	header, body, footer := objs[0], objs[1], objs[2]
	fh, hh := footer.MinSize().Height, header.MinSize().Height
	footer.Move(fyne.NewPos(0, size.Height-fh))
	footer.Resize(fyne.NewSize(size.Width, fh))
	bottom := size.Height - fh
	top := max(hh, size.Height/3)
	if need := body.MinSize().Height; bottom-top < need {
		top = max(hh, bottom-need)
	}
	body.Move(fyne.NewPos(0, top))
	body.Resize(fyne.NewSize(size.Width, bottom-top))
	header.Move(fyne.NewPos(0, (top-hh)/2))
	header.Resize(fyne.NewSize(size.Width, hh))
}

func (reachLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s = fyne.NewSize(max(s.Width, m.Width), s.Height+m.Height)
	}
	return s
}

// stepDots shows progress through the guest steps as filled circles.
func stepDots(step int) fyne.CanvasObject {
	if step <= 0 {
		return container.NewHBox()
	}
	row := container.NewHBox()
	for i := 1; i <= guestSteps; i++ {
		c := canvas.NewCircle(colorStepAhead)
		if i <= step {
			c.FillColor = theme.Color(theme.ColorNamePrimary) // navy in high contrast
		}
		row.Add(container.NewGridWrap(fyne.NewSize(18, 18), c))
	}
	return container.NewPadded(row)
}

// topStyle is the look of the guest's controls at the top: an icon over a
// short label at 18, which shrinks past 170 px, so that four of them and
// the title share a 1024 px top bar in every language, no taller than a
// button.
var topStyle = buttonStyle{size: 18, maxWidth: 170, stacked: true, height: MinTouch, importance: widget.MediumImportance}

// topStyle is st in the bottom bar of "Easy reach": as tall as its
// buttons, its label narrower and smaller.
func (k *Kiosk) topStyle(st buttonStyle) buttonStyle {
	if k.modes().Reach {
		st.height, st.maxWidth, st.size = MinTouch+8, 90, 16
	}
	return st
}

// guestControls are the guest's own controls: the language, accessibility,
// start over (on every screen after the first, before Done) and help. In
// the bottom bar (shared) they share its middle in equal parts, and their
// labels shrink to fit.
func (k *Kiosk) guestControls(shared bool) fyne.CanvasObject {
	list := []fyne.CanvasObject{k.languageButton(), k.displayButton()}
	if s := k.g.session.Step(); s != flow.StepFindBooking && s != flow.StepDone && s != flow.StepAttract {
		list = append(list, k.startOverButton())
	}
	if !k.opts.Desk { // at a desk, staff are the ones standing there (issue 20)
		list = append(list, k.helpButton())
	}
	if shared {
		return container.NewGridWithColumns(len(list), list...)
	}
	return container.NewHBox(list...)
}

// languageButton opens a choice of languages; the screen is rebuilt in the
// chosen one at once.
func (k *Kiosk) languageButton() fyne.CanvasObject {
	st := topStyle
	st.icon = resourceLanguage
	return newFitButton(k.tr.In(k.tr.Language(), "lang.name"), k.topStyle(st), func() {
		var hide func()
		list := container.NewVBox()
		for _, l := range k.languages() {
			l := l
			lb := widget.NewButton(k.tr.In(l, "lang.name"), func() {
				hide()
				k.SetLanguage(l)
			})
			if l == k.tr.Language() {
				lb.Importance = widget.HighImportance
			}
			list.Add(container.NewGridWrap(fyne.NewSize(280, MinTouch+4), lb))
		}
		hide = k.modal(list)
	})
}

// helpButton calls staff: it says so and logs it for the staff health screen.
func (k *Kiosk) helpButton() fyne.CanvasObject {
	st := topStyle
	st.icon = theme.QuestionIcon()
	return newFitButton(k.tr.T("common.help"), k.topStyle(st), k.callStaff)
}

// startOverButton asks, then ends the guest's visit as the idle reset
// does: everything typed, scanned and chosen is gone.
func (k *Kiosk) startOverButton() fyne.CanvasObject {
	st := topStyle
	st.icon = theme.ViewRefreshIcon()
	return newFitButton(k.tr.T("common.start_over"), k.topStyle(st), k.confirmStartOver)
}

// confirmStartOver shows the start-over question over the screen.
func (k *Kiosk) confirmStartOver() {
	var hide func()
	keep := newFitButton(k.tr.T("chrome.keep_going"), buttonStyle{maxWidth: 300}, func() { hide() })
	yes := newFitButton(k.tr.T("common.start_over"), buttonStyle{icon: theme.ViewRefreshIcon(),
		importance: widget.HighImportance, maxWidth: 300}, func() {
		hide()
		k.resetGuest("start over")
	})
	title := newFitText(k.tr.T("chrome.start_over_title"), 32, theme.ColorNameForeground, 2, 560)
	title.bold = true
	text := message(k.tr.T("chrome.start_over_body"))
	box := container.NewVBox(title, text, container.NewGridWithColumns(2, keep, yes))
	hide = k.modal(container.New(widthOf{min(640, k.win.Canvas().Size().Width-64)}, box))
}

// modes is the guest's display modes, held by the app's theme.
func (k *Kiosk) modes() displayModes {
	if t, ok := k.app.Settings().Theme().(kioskTheme); ok {
		return t.d
	}
	return displayModes{}
}

// setDisplay switches the display modes; the caller shows the screen again
// for a layout that depends on them.
func (k *Kiosk) setDisplay(d displayModes) {
	if d == k.modes() {
		return
	}
	k.app.Settings().SetTheme(kioskTheme{d: d})
	if k.frame != nil && k.banner != nil {
		// The staff call's banner (and its buttons) goes to the bottom in
		// "Easy reach", under the bottom bar.
		if d.Reach {
			k.frame.Layout = layout.NewBorderLayout(nil, k.banner, nil, nil)
		} else {
			k.frame.Layout = layout.NewBorderLayout(k.banner, nil, nil, nil)
		}
		k.frame.Refresh()
	}
	k.log.Info("display modes changed", "larger", d.Larger, "contrast", d.Contrast, "reach", d.Reach)
}

// displayButton opens the accessibility modes.
func (k *Kiosk) displayButton() fyne.CanvasObject {
	st := topStyle
	st.icon = resourceAccessibility
	return newFitButton(k.tr.T("chrome.display"), k.topStyle(st), k.showDisplayModes)
}

// showDisplayModes shows the three modes as toggles. Each applies at once,
// to the screen underneath and to this panel, and lasts until the guest's
// visit ends.
func (k *Kiosk) showDisplayModes() {
	var hide func()
	d := k.modes()
	toggle := func(label string, on bool, flip func(*displayModes)) fyne.CanvasObject {
		icon := theme.CheckButtonIcon()
		imp := widget.MediumImportance
		if on {
			icon, imp = theme.CheckButtonCheckedIcon(), widget.HighImportance
		}
		return newFitButton(label, buttonStyle{icon: icon, importance: imp, maxWidth: 520, height: MinTouch + 8, leading: true}, func() {
			nd := k.modes()
			flip(&nd)
			hide()
			k.setDisplay(nd)
			if k.current != nil {
				k.show(k.current)
			}
			k.showDisplayModes()
		})
	}
	title := newFitText(k.tr.T("chrome.display_title"), 32, theme.ColorNameForeground, 2, 560)
	title.bold = true
	done := newFitButton(k.tr.T("chrome.done"), buttonStyle{maxWidth: 300, height: MinTouch + 8}, func() { hide() })
	box := container.NewVBox(title,
		toggle(k.tr.T("chrome.larger_text"), d.Larger, func(d *displayModes) { d.Larger = !d.Larger }),
		toggle(k.tr.T("chrome.high_contrast"), d.Contrast, func(d *displayModes) { d.Contrast = !d.Contrast }),
		toggle(k.tr.T("chrome.easy_reach"), d.Reach, func(d *displayModes) { d.Reach = !d.Reach }),
		message(k.tr.T("chrome.display_note")),
		container.NewHBox(layout.NewSpacer(), done))
	width := min(640, k.win.Canvas().Size().Width-64)
	hide = k.modal(container.New(widthOf{width}, box))
}

// modal shows content over the screen, which it blocks, and returns what
// hides it. A modal PopUp is always centred; in "Easy reach" the content
// stands at the bottom of the screen instead, in reach.
func (k *Kiosk) modal(content fyne.CanvasObject) (hide func()) {
	c := k.win.Canvas()
	if !k.modes().Reach {
		pop := widget.NewModalPopUp(container.NewPadded(content), c)
		pop.Show()
		return pop.Hide
	}
	dim := canvas.NewRectangle(color.NRGBA{0, 0, 0, 0x66})
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	box := container.NewStack(bg, container.NewPadded(container.NewPadded(content)))
	o := container.NewStack(dim, container.NewPadded(container.NewVBox(layout.NewSpacer(), container.NewCenter(box))))
	o.Resize(c.Size())
	c.Overlays().Add(o)
	return func() { c.Overlays().Remove(o) }
}

// widthOf gives its objects a fixed width and the height they need.
type widthOf struct{ width float32 }

func (w widthOf) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (w widthOf) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(w.width, 0)
	for _, o := range objs {
		s.Height = max(s.Height, o.MinSize().Height)
	}
	return s
}
