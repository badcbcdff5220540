// Package fit checks a laid-out Fyne object tree for text that does not fit
// its widget and for objects that reach past the window, as a guest would
// see them: a button label spilling over both edges, a label cut with an
// ellipsis, a long word broken in the middle, a form field below the screen.
//
// Fyne clips nothing but scroll containers and the window, so a widget laid
// out smaller than its text still draws the whole text, over its
// neighbours; and a label that truncates or wraps draws less than its text.
// Check finds both from the tree alone, headless, with the fonts the test
// driver measures; it is meant for tests, which is why it may use Fyne's
// test package to reach each widget's renderer.
package fit

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
)

// Kind says what is wrong.
type Kind int

const (
	// TextWider is a text drawn wider than its widget: it spills over one
	// edge, or both when it is centred.
	TextWider Kind = iota + 1
	// TextTaller is a text drawn above or below its widget, such as the
	// rows of a wrapped label given the height of one row.
	TextTaller
	// TextCut is a widget that shows less than its text: truncated with an
	// ellipsis or clipped, or a word broken across two lines because it is
	// wider than the widget. Need is the width of the whole text (of the
	// longest word, for a wrapping widget).
	TextCut
	// OffCanvas is a visible object that reaches past the canvas, outside
	// any scroll container that would let the guest reach it.
	OffCanvas
)

func (k Kind) String() string {
	switch k {
	case TextWider:
		return "text wider than its widget"
	case TextTaller:
		return "text taller than its widget"
	case TextCut:
		return "text cut"
	case OffCanvas:
		return "past the window"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Problem is one thing that does not fit.
type Problem struct {
	Kind Kind
	// Text is the text concerned, as the widget holds it; for OffCanvas,
	// the text of the object if it has one. On a staff screen it may be
	// a customer's name: run Check in tests on fictional data only, never
	// on a live kiosk, whose logs must not carry personal data.
	Text string
	// Widget is the Go type of the widget the text belongs to (of the
	// object itself for OffCanvas), such as "*widget.Button".
	Widget string
	// Need is the size the text takes: for a wrapped text, that of the
	// first row that does not fit (of the longest word for TextCut); for
	// OffCanvas, the object's size.
	Need fyne.Size
	// Have is the widget's size; for OffCanvas, the canvas size.
	Have fyne.Size
	// At is the widget's (the object's) absolute position.
	At fyne.Position
	// Path leads from the root to the widget: each step is a container's
	// layout or a widget's type, with the index among its parent's objects.
	Path string
}

func (p Problem) String() string {
	text := ""
	if p.Text != "" {
		text = fmt.Sprintf(" %q", p.Text)
	}
	switch p.Kind {
	case OffCanvas:
		return fmt.Sprintf("%s%s %gx%g at (%g,%g) is %s of %gx%g [%s]", p.Widget, text,
			p.Need.Width, p.Need.Height, p.At.X, p.At.Y, p.Kind, p.Have.Width, p.Have.Height, p.Path)
	default:
		return fmt.Sprintf("%s:%s needs %gx%g in %s of %gx%g at (%g,%g) [%s]", p.Kind, text,
			round(p.Need.Width), round(p.Need.Height), p.Widget, p.Have.Width, p.Have.Height, p.At.X, p.At.Y, p.Path)
	}
}

func round(f float32) float32 { return float32(int(f*10+0.5)) / 10 }

// slack absorbs float rounding in Fyne's layouts (centring halves a width).
const slack = 0.5

// Check walks root, laid out at its current size on a canvas of canvasSize
// (the window content and its overlays are each a root), and returns every
// problem it finds, in tree order. It reads the tree (creating the renderer
// of a widget that has none yet), so it must run on the goroutine that owns
// the widgets, with a Fyne app current; call Settle first.
//
// Invisible objects and their children are skipped. Inside a scroll
// container's content, objects may lie outside the viewport: the guest
// reaches them by scrolling, so only the scroll container itself is checked
// against the canvas; their texts are still checked against their widgets.
func Check(root fyne.CanvasObject, canvasSize fyne.Size) []Problem {
	if root == nil {
		return nil
	}
	w := &walker{canvas: canvasSize}
	w.visit(root, node{path: name(root)}, fyne.Position{})
	return w.problems
}

type walker struct {
	canvas   fyne.Size
	problems []Problem
	// reported keeps a widget's text problems to one of each kind: the
	// rows of a wrapped label below it are one problem.
	reported map[fyne.CanvasObject][]Kind
}

func (w *walker) once(owner fyne.CanvasObject, k Kind) bool {
	if slices.Contains(w.reported[owner], k) {
		return false
	}
	if w.reported == nil {
		w.reported = map[fyne.CanvasObject][]Kind{}
	}
	w.reported[owner] = append(w.reported[owner], k)
	return true
}

// node is what a visit knows of the object's ancestors.
type node struct {
	path string
	// owner is the outermost widget of the chain of widgets that hold the
	// object directly in their renderers (a Button holding its RichText
	// holding its canvas.Text); a container or a scroll starts a new chain.
	owner    fyne.CanvasObject
	ownerAt  fyne.Position
	ownerPth string
	inScroll bool // inside a scroll container's content
	offDone  bool // an ancestor is already reported past the canvas
	entry    *widget.Entry
}

func (w *walker) visit(o fyne.CanvasObject, n node, parentAt fyne.Position) {
	if o == nil || !o.Visible() || isShadow(o) {
		return
	}
	at := parentAt.Add(o.Position())
	size := o.Size()
	// A widget's own parts are not checked against the canvas: the widget
	// is, and a part it pushes out (an icon beside a text too wide) is
	// the text's problem, reported as such.
	if n.owner == nil && !n.inScroll && !n.offDone && size.Width > 0 && size.Height > 0 && !inside(at, size, fyne.Position{}, w.canvas) {
		w.problems = append(w.problems, Problem{Kind: OffCanvas, Text: textOf(o), Widget: typeName(o),
			Need: size, Have: w.canvas, At: at, Path: n.path})
		n.offDone = true
	}

	// A scroller of our own (a finger-drag one) clips as Fyne's does.
	if sc, ok := o.(interface{ Scroller() *container.Scroll }); ok {
		o = sc.Scroller()
	}
	switch v := o.(type) {
	case *canvas.Text:
		w.text(v, n, at)
		return
	case *fyne.Container:
		n.owner = nil
		for i, c := range v.Objects {
			w.visit(c, n.child(c, i), at)
		}
		return
	case *kwidget.DragScroll: // a Scroll that a finger drags (helper sign)
		w.visit(&v.Scroll, n, at)
		return
	case *container.Scroll:
		if v.Content != nil {
			n.owner, n.inScroll = nil, true
			w.visit(v.Content, n.child(v.Content, 0), at)
		}
		return
	case fyne.Widget:
		if n.owner == nil {
			n.owner, n.ownerAt, n.ownerPth = o, at, n.path
		}
		if e := asEntry(o); e != nil {
			n.entry = e
			w.placeholder(e, n, at)
		} else if rt, ok := o.(*widget.RichText); ok {
			w.richText(rt, n)
		}
		r := test.WidgetRenderer(v)
		if r == nil {
			return
		}
		for i, c := range r.Objects() {
			w.visit(c, n.child(c, i), at)
		}
	}
}

func (n node) child(c fyne.CanvasObject, i int) node {
	n.path = fmt.Sprintf("%s/%s[%d]", n.path, name(c), i)
	return n
}

// text checks where a canvas.Text draws against its owner widget, or
// against its own box when it stands alone.
func (w *walker) text(t *canvas.Text, n node, at fyne.Position) {
	if strings.TrimSpace(t.Text) == "" {
		return
	}
	if n.entry != nil {
		return // an entry scrolls its own text; its placeholder is checked apart
	}
	need := t.MinSize()
	size := t.Size()
	// Where the painter draws: aligned within the text's box, centred
	// vertically when the box is taller (internal/painter/software).
	x := at.X
	switch t.Alignment {
	case fyne.TextAlignCenter:
		x += (size.Width - need.Width) / 2
	case fyne.TextAlignTrailing:
		x += size.Width - need.Width
	}
	y := at.Y
	if size.Height > need.Height {
		y += (size.Height - need.Height) / 2
	}
	owner, box, boxAt, path := fyne.CanvasObject(t), size, at, n.path
	if n.owner != nil {
		owner, box, boxAt, path = n.owner, n.owner.Size(), n.ownerAt, n.ownerPth
	}
	text := textOf(owner)
	if text == "" {
		text = t.Text
	}
	p := Problem{Text: text, Widget: typeName(owner), Need: need, Have: box, At: boxAt, Path: path}
	switch {
	case x < boxAt.X-slack || x+need.Width > boxAt.X+box.Width+slack:
		p.Kind = TextWider
	case y < boxAt.Y-slack || y+need.Height > boxAt.Y+box.Height+slack:
		p.Kind = TextTaller
	default:
		return
	}
	if w.once(owner, p.Kind) {
		w.problems = append(w.problems, p)
	}
}

// richText compares the words a RichText holds with the words it draws: a
// truncated row ends in an ellipsis or a clipped word, and a word wider than
// a wrapping widget is broken in two. Only plain text is compared (what
// Label, Button, Select and Hyperlink hold); Markdown with lists and
// images is checked by its drawn texts alone.
func (w *walker) richText(rt *widget.RichText, n node) {
	if n.entry != nil || rt.Size().Width <= 0 {
		return
	}
	var src []string
	var longest fyne.Size
	var full fyne.Size
	for _, s := range rt.Segments {
		ts, ok := s.(*widget.TextSegment)
		if !ok {
			return
		}
		src = append(src, ts.Text)
		size := theme.SizeForWidget(ts.Style.SizeName, rt)
		if ts.Style.SizeName == "" {
			size = theme.SizeForWidget(theme.SizeNameText, rt)
		}
		for _, line := range strings.Split(ts.Text, "\n") {
			if m := fyne.MeasureText(line, size, ts.Style.TextStyle); m.Width > full.Width {
				full = m
			}
			for _, word := range strings.Fields(line) {
				if m := fyne.MeasureText(word, size, ts.Style.TextStyle); m.Width > longest.Width {
					longest = m
				}
			}
		}
	}
	r := test.WidgetRenderer(rt)
	if r == nil {
		return
	}
	var drawn []string
	for _, o := range r.Objects() {
		if t, ok := o.(*canvas.Text); ok && t.Visible() {
			drawn = append(drawn, t.Text)
		}
	}
	want, got := strings.Join(src, " "), strings.Join(drawn, " ")
	same := equalWords(want, got)
	if rt.Wrapping == fyne.TextWrapBreak {
		// Breaking anywhere is what this mode is for: only a cut counts.
		same = strings.Join(strings.Fields(want), "") == strings.Join(strings.Fields(got), "")
	}
	if same {
		return
	}
	need := full
	if rt.Wrapping == fyne.TextWrapWord {
		need = longest
	}
	// visit made rt or a widget holding it the owner before calling.
	w.problems = append(w.problems, Problem{Kind: TextCut, Text: want, Widget: typeName(n.owner),
		Need: need, Have: n.owner.Size(), At: n.ownerAt, Path: n.ownerPth})
}

func equalWords(a, b string) bool {
	fa, fb := strings.Fields(a), strings.Fields(b)
	if len(fa) != len(fb) {
		return false
	}
	for i := range fa {
		if fa[i] != fb[i] {
			return false
		}
	}
	return true
}

// placeholder checks an empty single-line entry's placeholder against the
// room its renderer leaves for text: Fyne scrolls it, so the end is hidden.
func (w *walker) placeholder(e *widget.Entry, n node, at fyne.Position) {
	if e.Text != "" || e.PlaceHolder == "" || e.MultiLine {
		return
	}
	innerPad := theme.SizeForWidget(theme.SizeNameInnerPadding, e)
	icon := theme.SizeForWidget(theme.SizeNameInlineIcon, e)
	spacing := theme.SizeForWidget(theme.SizeNameLineSpacing, e)
	room := e.Size().Width - 2*innerPad
	if e.Icon != nil {
		room -= icon + spacing
	}
	if e.ActionItem != nil {
		room -= e.ActionItem.MinSize().Width
	}
	if e.Validator != nil {
		room -= icon + spacing
		if e.ActionItem == nil {
			room -= innerPad
		}
	}
	need := fyne.MeasureText(e.PlaceHolder, theme.SizeForWidget(theme.SizeNameText, e), e.TextStyle)
	if need.Width > room+slack {
		w.problems = append(w.problems, Problem{Kind: TextCut, Text: e.PlaceHolder, Widget: typeName(e),
			Need: need, Have: e.Size(), At: at, Path: n.path})
	}
}

// asEntry returns the Entry o is, or embeds (the kiosk extends Entry for
// its on-screen keyboard), or nil.
func asEntry(o fyne.CanvasObject) *widget.Entry {
	if e, ok := o.(*widget.Entry); ok {
		return e
	}
	v := reflect.ValueOf(o)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("Entry")
	if !f.IsValid() || f.Type() != reflect.TypeFor[widget.Entry]() || !f.CanAddr() {
		return nil
	}
	return f.Addr().Interface().(*widget.Entry)
}

func inside(at fyne.Position, size fyne.Size, boxAt fyne.Position, box fyne.Size) bool {
	return at.X >= boxAt.X-slack && at.Y >= boxAt.Y-slack &&
		at.X+size.Width <= boxAt.X+box.Width+slack && at.Y+size.Height <= boxAt.Y+box.Height+slack
}

// isShadow reports Fyne's shadows, which are drawn outside their widget on
// purpose (a pop-up's at the window edge would otherwise count).
func isShadow(o fyne.CanvasObject) bool {
	return strings.HasSuffix(strings.ToLower(fmt.Sprintf("%T", o)), "shadow")
}

// textOf is the text an object shows, to name it in a problem.
func textOf(o fyne.CanvasObject) string {
	switch v := o.(type) {
	case *canvas.Text:
		return v.Text
	case *widget.Label:
		return v.Text
	case *widget.Button:
		return v.Text
	case *widget.Check:
		return v.Text
	case *widget.Hyperlink:
		return v.Text
	case *widget.Select:
		return v.Selected
	case *widget.Entry:
		return v.PlaceHolder
	case *widget.RichText:
		return v.String()
	}
	return ""
}

func typeName(o fyne.CanvasObject) string { return fmt.Sprintf("%T", o) }

// name is a path step: a container's layout ("vBox", "gridWrap") or an
// object's type without its package ("Button").
func name(o fyne.CanvasObject) string {
	if c, ok := o.(*fyne.Container); ok {
		if c.Layout == nil {
			return "container"
		}
		s := fmt.Sprintf("%T", c.Layout)
		s = s[strings.LastIndex(s, ".")+1:]
		return strings.TrimSuffix(s, "Layout")
	}
	s := fmt.Sprintf("%T", o)
	return s[strings.LastIndex(s, ".")+1:]
}
