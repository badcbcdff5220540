package app

import (
	"image/color"
	"math"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitMinScale is the smallest a fitText shrinks its text, as a share of
// its size: below it a label would no longer read at arm's length.
const fitMinScale = 0.6

// fitText is a text that always fits the room it is given: it breaks
// between words into up to maxRows rows and, when that is not enough,
// shrinks down to fitMinScale of its size. It never clips or truncates.
// Its minimum width follows the text up to maxWidth, so a button holding
// it is as wide as its label up to a limit, and wraps past it.
type fitText struct {
	widget.BaseWidget
	text     string
	size     float32 // preferred size before textScale
	bold     bool
	colour   fyne.ThemeColorName // used when fixed is nil
	fixed    color.Color
	align    fyne.TextAlign
	maxRows  int
	maxWidth float32 // 0: the whole text's width
	minRows  int     // rows the minimum height holds room for
	room     float32 // when set, the minimum height instead of minRows rows
	top      bool    // rows from the top, not centred vertically

	// The last arrangement and minimum size, with what they were worked
	// out for: layouts ask again and again for the same (Settle, every
	// frame), and measuring text is what costs.
	arranged struct {
		key  fitKey
		size float32
		rows []string
	}
	minimum struct {
		key  fitKey
		size fyne.Size
	}
}

// fitKey is what an arrangement depends on.
type fitKey struct {
	text                string
	width, height, full float32
	bold                bool
	maxRows             int
	maxWidth            float32
}

var _ fyne.Widget = (*fitText)(nil)

// newFitText is a fitText of size (before the guest's text scale) in the
// theme colour c, on at most rows rows, its minimum width capped at maxWidth.
func newFitText(text string, size float32, c fyne.ThemeColorName, rows int, maxWidth float32) *fitText {
	t := &fitText{text: text, size: size, colour: c, align: fyne.TextAlignCenter, maxRows: rows, maxWidth: maxWidth, minRows: 1}
	t.ExtendBaseWidget(t)
	return t
}

func (t *fitText) style() fyne.TextStyle { return fyne.TextStyle{Bold: t.bold} }

// full is the size the text would like: its size times the guest's scale.
func (t *fitText) full() float32 { return t.size * textScale() }

// arrange finds the largest text size from full() down to fitMinScale of
// it at which the text breaks into rows no wider than width and no more,
// nor taller together, than the room allows. When none does, it returns
// the smallest size's rows: the fit test reports those.
func (t *fitText) arrange(width, height float32) (float32, []string) {
	key := fitKey{text: t.text, width: width, height: height, full: t.full(), bold: t.bold, maxRows: t.maxRows}
	if t.arranged.rows != nil && t.arranged.key == key {
		return t.arranged.size, t.arranged.rows
	}
	size, rows := t.arrangeAnew(width, height)
	t.arranged.key, t.arranged.size, t.arranged.rows = key, size, rows
	return size, rows
}

func (t *fitText) arrangeAnew(width, height float32) (float32, []string) {
	full := t.full()
	fits := func(s float32) []string {
		rows := breakRows(t.text, s, t.style(), width)
		if rows != nil && len(rows) <= t.maxRows && float32(len(rows))*textRowHeight(s, t.style()) <= height+0.5 {
			return rows
		}
		return nil
	}
	if rows := fits(full); rows != nil {
		return full, rows
	}
	// The largest whole size that fits, by halving the range: a smaller
	// size never needs more room than a larger one.
	lo, hi := float32(math.Ceil(float64(full*fitMinScale))), float32(math.Floor(float64(full)))
	best, bestRows := float32(0), []string(nil)
	for lo <= hi {
		mid := float32(math.Floor(float64(lo+hi) / 2))
		if rows := fits(mid); rows != nil {
			best, bestRows, lo = mid, rows, mid+1
		} else {
			hi = mid - 1
		}
	}
	if bestRows != nil {
		return best, bestRows
	}
	s := full * fitMinScale
	rows := breakRows(t.text, s, t.style(), width)
	if rows == nil {
		rows = strings.Fields(t.text)
	}
	return s, rows
}

// rowHeights caches textRowHeight, which every arrangement asks for.
var rowHeights sync.Map // of rowKey to float32

type rowKey struct {
	size float32
	bold bool
}

func textRowHeight(size float32, style fyne.TextStyle) float32 {
	k := rowKey{size, style.Bold}
	if h, ok := rowHeights.Load(k); ok {
		return h.(float32)
	}
	h := fyne.MeasureText("Ag", size, style).Height
	rowHeights.Store(k, h)
	return h
}

// breakRows breaks text between words into rows no wider than width, or
// returns nil when one word alone is wider.
func breakRows(text string, size float32, style fyne.TextStyle, width float32) []string {
	var rows []string
	for _, para := range strings.Split(text, "\n") {
		row := ""
		for _, w := range strings.Fields(para) {
			if fyne.MeasureText(w, size, style).Width > width+0.5 {
				return nil
			}
			next := w
			if row != "" {
				next = row + " " + w
			}
			if row != "" && fyne.MeasureText(next, size, style).Width > width+0.5 {
				rows = append(rows, row)
				next = w
			}
			row = next
		}
		rows = append(rows, row)
	}
	return rows
}

// SetText changes the text and redraws it.
func (t *fitText) SetText(s string) {
	t.text = s
	t.Refresh()
}

func (t *fitText) CreateRenderer() fyne.WidgetRenderer {
	r := &fitTextRenderer{t: t}
	r.Refresh()
	return r
}

type fitTextRenderer struct {
	t    *fitText
	rows []*canvas.Text
	size fyne.Size
}

func (r *fitTextRenderer) Destroy() {}

func (r *fitTextRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(r.rows))
	for i, row := range r.rows {
		objs[i] = row
	}
	return objs
}

func (r *fitTextRenderer) MinSize() fyne.Size {
	t := r.t
	s := t.full()
	key := fitKey{text: t.text, full: s, bold: t.bold, maxWidth: t.maxWidth, maxRows: t.minRows, height: t.room}
	if t.minimum.key == key && !t.minimum.size.IsZero() {
		return t.minimum.size
	}
	w := float32(0)
	for _, para := range strings.Split(t.text, "\n") {
		w = max(w, fyne.MeasureText(para, s, t.style()).Width)
	}
	if t.maxWidth > 0 && w > t.maxWidth {
		w = t.maxWidth
	}
	t.minimum.key = key
	h := textRowHeight(s, t.style()) * float32(max(1, t.minRows))
	if t.room > 0 {
		h = t.room
	}
	t.minimum.size = fyne.NewSize(w, h)
	return t.minimum.size
}

func (r *fitTextRenderer) Layout(size fyne.Size) {
	r.size = size
	r.place()
}

func (r *fitTextRenderer) colour() color.Color {
	if r.t.fixed != nil {
		return r.t.fixed
	}
	return r.t.Theme().Color(r.t.colour, fyne.CurrentApp().Settings().ThemeVariant())
}

// place lays the rows out, centred vertically in the widget.
func (r *fitTextRenderer) place() {
	t := r.t
	if r.size.Width <= 0 || r.size.Height <= 0 {
		return
	}
	s, rows := t.arrange(r.size.Width, r.size.Height)
	for len(r.rows) < len(rows) {
		r.rows = append(r.rows, canvas.NewText("", nil))
	}
	r.rows = r.rows[:len(rows)]
	h := textRowHeight(s, t.style())
	y := (r.size.Height - h*float32(len(rows))) / 2
	if t.top {
		y = 0
	}
	c := r.colour()
	for i, row := range r.rows {
		pos, size := fyne.NewPos(0, y+h*float32(i)), fyne.NewSize(r.size.Width, h)
		if row.Text == rows[i] && row.TextSize == s && row.Color == c && row.Position() == pos && row.Size() == size {
			continue
		}
		row.Text, row.TextSize, row.TextStyle, row.Color, row.Alignment = rows[i], s, t.style(), c, t.align
		row.Move(pos)
		row.Resize(size)
		row.Refresh()
	}
}

func (r *fitTextRenderer) Refresh() {
	if r.size.IsZero() {
		r.rows = []*canvas.Text{canvas.NewText(r.t.text, r.colour())}
		r.rows[0].TextSize, r.rows[0].TextStyle, r.rows[0].Alignment = r.t.full(), r.t.style(), r.t.align
		return
	}
	r.place()
}

// buttonStyle is how a fitButton looks.
type buttonStyle struct {
	icon       fyne.Resource
	trailing   bool // the icon after the label
	stacked    bool // the icon above the label, for the narrow top-bar controls
	leading    bool // the label at the start, not centred
	importance widget.Importance
	disabled   bool
	// maxWidth caps the minimum width the label asks for: past it the
	// label wraps to two rows, then shrinks.
	maxWidth float32
	size     float32 // the label's size before the guest's scale; 0 is 24
	height   float32 // the least height; 0 is MinTouch
	minWidth float32
	// theme is the theme the button is drawn in when it is not the app's
	// (under a container.ThemeOverride).
	theme fyne.Theme
}

// newFitButton is a button labelled label that calls tapped, whose label
// always reads whole: a fitText over a widget.Button. The Button keeps its
// label (drawn invisibly, in a tiny size) so that whatever finds buttons
// by their text, tests included, still does; taps, focus and the
// importance colours are the Button's.
func newFitButton(label string, st buttonStyle, tapped func()) *fyne.Container {
	b := widget.NewButton(label, tapped)
	b.Importance = st.importance
	if st.disabled {
		b.Disable()
	}
	fg := theme.ColorNameForeground
	switch {
	case st.disabled:
		fg = theme.ColorNameDisabled
	case st.importance == widget.HighImportance:
		fg = theme.ColorNameForegroundOnPrimary
	case st.importance == widget.DangerImportance:
		fg = theme.ColorNameForegroundOnError
	}
	size := st.size
	if size == 0 {
		size = baseTextSize
	}
	t := newFitText(label, size, fg, 2, st.maxWidth)
	t.bold = true
	if st.leading {
		t.align = fyne.TextAlignLeading
	}
	var content fyne.CanvasObject = t
	if st.icon != nil {
		ic := canvas.NewImageFromResource(theme.NewColoredResource(st.icon, fg))
		ic.FillMode = canvas.ImageFillContain
		side := size * 4 / 3
		if st.stacked {
			side = 22
		}
		ic.SetMinSize(fyne.NewSquareSize(side * textScale()))
		if st.stacked {
			t.top = true
			content = container.NewBorder(ic, nil, nil, nil, t)
		} else if st.trailing {
			content = container.NewBorder(nil, nil, nil, ic, t)
		} else {
			content = container.NewBorder(nil, nil, ic, nil, t)
		}
	}
	height := st.height
	if height == 0 {
		height = MinTouch
	}
	pad := float32(14)
	if st.stacked {
		pad = 6
	}
	inner := container.New(layout.NewCustomPaddedLayout(4, 4, pad, pad), content)
	hidden := container.NewThemeOverride(b, hiddenLabelTheme{st.theme})
	return container.New(atLeast{fyne.NewSize(st.minWidth, height)}, hidden, inner)
}

// atLeast stacks its objects, each filling it, with a minimum size of at
// least min.
type atLeast struct{ min fyne.Size }

func (a atLeast) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (a atLeast) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := a.min
	for _, o := range objs {
		if o.Visible() {
			m = m.Max(o.MinSize())
		}
	}
	return m
}

// hiddenLabelTheme draws a Button's own label transparent and tiny, so the
// fitText over it is the label the guest reads; the rest is base's, or
// the app's theme when base is nil.
type hiddenLabelTheme struct{ base fyne.Theme }

func (h hiddenLabelTheme) current() fyne.Theme {
	if h.base != nil {
		return h.base
	}
	return fyne.CurrentApp().Settings().Theme()
}

func (h hiddenLabelTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameForeground, theme.ColorNameForegroundOnPrimary, theme.ColorNameDisabled,
		theme.ColorNameForegroundOnError, theme.ColorNameForegroundOnSuccess, theme.ColorNameForegroundOnWarning:
		return color.Transparent
	}
	return h.current().Color(n, v)
}

func (h hiddenLabelTheme) Font(s fyne.TextStyle) fyne.Resource     { return h.current().Font(s) }
func (h hiddenLabelTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return h.current().Icon(n) }

func (h hiddenLabelTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return 1
	}
	return h.current().Size(n)
}
