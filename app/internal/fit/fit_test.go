package fit

import (
	"image/color"
	"net/url"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// bigText is the default theme with the kiosk's padding and a large text.
type bigText struct {
	fyne.Theme
	text float32
}

func (b bigText) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return b.text
	case theme.SizeNameInnerPadding:
		return 16
	}
	return b.Theme.Size(n)
}

// kioskText is the kiosk's text size; largerText is its "Larger text" mode.
const (
	kioskText  = 24
	largerText = 30
)

// scene lays out what build makes in an unpadded window of 800×600 with
// text of textSize, and returns what Check finds in it. The widgets are
// built after the theme is set, as the kiosk builds its screens.
func scene(t *testing.T, textSize float32, build func() fyne.CanvasObject) []Problem {
	t.Helper()
	a := test.NewTempApp(t)
	a.Settings().SetTheme(bigText{theme.DefaultTheme(), textSize})
	w := test.NewTempWindow(t, build())
	w.SetPadded(false)
	w.Resize(fyne.NewSize(800, 600))
	Settle(w.Content())
	return Check(w.Content(), w.Canvas().Size())
}

// cell holds o at exactly size, as the kiosk's grids hold its buttons.
func cell(size fyne.Size, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(container.NewGridWrap(size, o))
}

func only(t *testing.T, got []Problem, kind Kind, text string) Problem {
	t.Helper()
	if len(got) != 1 {
		t.Fatalf("got %d problems, want one %s for %q:\n%s", len(got), kind, text, list(got))
	}
	if got[0].Kind != kind || got[0].Text != text {
		t.Fatalf("got %v, want %s for %q", got[0], kind, text)
	}
	return got[0]
}

func none(t *testing.T, got []Problem) {
	t.Helper()
	if len(got) != 0 {
		t.Fatalf("got %d problems, want none:\n%s", len(got), list(got))
	}
}

func list(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

func TestButtonTooNarrow(t *testing.T) {
	const text = "Nein, neu suchen"
	got := scene(t, largerText, func() fyne.CanvasObject {
		return cell(fyne.NewSize(240, 80), widget.NewButton(text, nil))
	})
	// The scene tests something only if the text is wider than the button.
	if w := fyne.MeasureText(text, largerText, fyne.TextStyle{Bold: true}).Width; w <= 240 {
		t.Fatalf("%q is %g wide: the scene would not overflow", text, w)
	}
	p := only(t, got, TextWider, text)
	if p.Widget != "*widget.Button" || p.Have.Width != 240 || p.Need.Width <= 240 {
		t.Errorf("problem %v: want the button's 240 against the text's width", p)
	}
	if !strings.HasSuffix(p.Path, "vBox/gridWrap[0]/Button[0]") {
		t.Errorf("path %q does not lead to the button", p.Path)
	}
}

func TestButtonWideEnough(t *testing.T) {
	none(t, scene(t, largerText, func() fyne.CanvasObject {
		return cell(fyne.NewSize(400, 80), widget.NewButton("Nein, neu suchen", nil))
	}))
}

func TestButtonWithIconTooNarrow(t *testing.T) {
	const text = "Unterschreiben und senden"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		b := widget.NewButtonWithIcon(text, theme.ConfirmIcon(), nil)
		b.Importance = widget.HighImportance
		return cell(fyne.NewSize(320, 80), b)
	})
	only(t, got, TextWider, text) // the icon pushed off the window is not reported again
}

func TestLabelTruncated(t *testing.T) {
	for _, mode := range []fyne.TextTruncation{fyne.TextTruncateEllipsis, fyne.TextTruncateClip} {
		const text = "Ondertekenen en versturen"
		got := scene(t, kioskText, func() fyne.CanvasObject {
			l := widget.NewLabel(text)
			l.Truncation = mode
			return cell(fyne.NewSize(200, 60), l)
		})
		p := only(t, got, TextCut, text)
		if p.Widget != "*widget.Label" || p.Need.Width <= 200 {
			t.Errorf("truncation %d: %v", mode, p)
		}
	}
}

func TestLabelTruncationNotNeeded(t *testing.T) {
	none(t, scene(t, kioskText, func() fyne.CanvasObject {
		l := widget.NewLabel("Ja")
		l.Truncation = fyne.TextTruncateEllipsis
		return cell(fyne.NewSize(200, 60), l)
	}))
}

func TestLabelSqueezed(t *testing.T) {
	const text = "Non, chercher à nouveau"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		return cell(fyne.NewSize(200, 60), widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{}))
	})
	only(t, got, TextWider, text)
}

func TestWrappedLongWord(t *testing.T) {
	const text = "Die Aufbewahrungsvereinbarungsbedingungen lesen"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		return container.NewGridWrap(fyne.NewSize(300, 400), l)
	})
	p := only(t, got, TextCut, text)
	if want := fyne.MeasureText("Aufbewahrungsvereinbarungsbedingungen", kioskText, fyne.TextStyle{}).Width; p.Need.Width != want {
		t.Errorf("need %g, want the long word's %g", p.Need.Width, want)
	}
}

const agreement = "Ich akzeptiere die Aufbewahrungsvereinbarung und die Hausordnung"

func TestWrappedWordsFit(t *testing.T) {
	none(t, scene(t, kioskText, func() fyne.CanvasObject {
		l := widget.NewLabel(agreement)
		l.Wrapping = fyne.TextWrapWord
		return container.NewGridWrap(fyne.NewSize(500, 400), l)
	}))
}

func TestWrappedTooTall(t *testing.T) {
	got := scene(t, kioskText, func() fyne.CanvasObject {
		l := widget.NewLabel(agreement)
		l.Wrapping = fyne.TextWrapWord
		return container.NewGridWrap(fyne.NewSize(500, 60), l)
	})
	// Two rows fall below the label: one problem, naming the whole text.
	if p := only(t, got, TextTaller, agreement); p.Widget != "*widget.Label" {
		t.Errorf("got %v", p)
	}
}

func TestWrappedAndTruncatedTooTall(t *testing.T) {
	got := scene(t, kioskText, func() fyne.CanvasObject {
		l := widget.NewLabel(agreement)
		l.Wrapping = fyne.TextWrapWord
		l.Truncation = fyne.TextTruncateEllipsis
		// Room for one row: with none, Fyne 2.7.1 panics (index -1 in
		// RichText.updateRowBounds).
		return container.NewGridWrap(fyne.NewSize(500, 80), l)
	})
	only(t, got, TextCut, agreement) // the rows that do not fit are dropped
}

func TestCheckTooNarrow(t *testing.T) {
	const text = "Ich akzeptiere die Vereinbarung"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		return cell(fyne.NewSize(260, 64), widget.NewCheck(text, nil))
	})
	only(t, got, TextWider, text)
}

func TestSelectTruncated(t *testing.T) {
	const text = "Aufenthaltsgenehmigung"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		s := widget.NewSelect([]string{text, "Pass"}, nil)
		s.SetSelected(text)
		return cell(fyne.NewSize(220, 64), s)
	})
	p := only(t, got, TextCut, text)
	if p.Widget != "*widget.Select" {
		t.Errorf("got %v, want it named after the select", p)
	}
}

func TestHyperlinkTruncated(t *testing.T) {
	const text = "Lagervertrag und Hausordnung lesen"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		h := widget.NewHyperlink(text, &url.URL{Scheme: "https", Host: "example.com"})
		h.Truncation = fyne.TextTruncateEllipsis
		return cell(fyne.NewSize(240, 64), h)
	})
	if p := only(t, got, TextCut, text); p.Widget != "*widget.Hyperlink" {
		t.Errorf("got %v", p)
	}
}

func TestEntryPlaceholder(t *testing.T) {
	const text = "Buchungsnummer eingeben"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		e := widget.NewEntry()
		e.SetPlaceHolder(text)
		return cell(fyne.NewSize(220, 64), e)
	})
	only(t, got, TextCut, text)
	none(t, scene(t, kioskText, func() fyne.CanvasObject {
		e := widget.NewEntry()
		e.SetPlaceHolder(text)
		e.SetText("a text longer than the entry scrolls, which is fine")
		return cell(fyne.NewSize(220, 64), e)
	}))
}

// keyEntry extends Entry, as the kiosk's on-screen keyboard fields do.
type keyEntry struct{ widget.Entry }

func newKeyEntry() *keyEntry {
	e := &keyEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func TestExtendedEntry(t *testing.T) {
	const text = "Buchungsnummer eingeben"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		e := newKeyEntry()
		e.SetPlaceHolder(text)
		return cell(fyne.NewSize(220, 64), e)
	})
	only(t, got, TextCut, text)
	none(t, scene(t, kioskText, func() fyne.CanvasObject {
		e := newKeyEntry()
		e.SetText("X1234567890123456789")
		return cell(fyne.NewSize(220, 64), e)
	}))
}

func TestCanvasTextAlone(t *testing.T) {
	const text = "Nee, opnieuw zoeken"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		txt := canvas.NewText(text, color.Black)
		txt.TextSize = kioskText
		txt.Alignment = fyne.TextAlignCenter
		return container.NewCenter(cell(fyne.NewSize(150, 40), txt))
	})
	only(t, got, TextWider, text)
}

func TestPastTheWindow(t *testing.T) {
	got := scene(t, kioskText, func() fyne.CanvasObject {
		r := canvas.NewRectangle(color.Black)
		r.Resize(fyne.NewSize(100, 50))
		r.Move(fyne.NewPos(760, 10))
		inner := canvas.NewRectangle(color.White)
		inner.Resize(fyne.NewSize(100, 100))
		box := container.NewWithoutLayout(inner)
		box.Resize(fyne.NewSize(100, 100))
		box.Move(fyne.NewPos(10, 550))
		return container.NewWithoutLayout(r, box)
	})
	// The box is reported, not again the rectangle it holds.
	if len(got) != 2 {
		t.Fatalf("got %d problems, want the rectangle and the box:\n%s", len(got), list(got))
	}
	if p := got[0]; p.Kind != OffCanvas || p.At != fyne.NewPos(760, 10) || p.Have != fyne.NewSize(800, 600) || p.Widget != "*canvas.Rectangle" {
		t.Errorf("got %v", p)
	}
	if p := got[1]; p.Kind != OffCanvas || p.At != fyne.NewPos(10, 550) || p.Widget != "*fyne.Container" {
		t.Errorf("got %v", p)
	}
}

func TestWidgetPastTheWindowOnce(t *testing.T) {
	got := scene(t, kioskText, func() fyne.CanvasObject {
		b := widget.NewButton("Weiter", nil)
		b.Resize(fyne.NewSize(200, 80))
		b.Move(fyne.NewPos(10, 560))
		return container.NewWithoutLayout(b)
	})
	if p := only(t, got, OffCanvas, "Weiter"); p.Widget != "*widget.Button" {
		t.Errorf("got %v", p)
	}
}

func TestHiddenIgnored(t *testing.T) {
	none(t, scene(t, kioskText, func() fyne.CanvasObject {
		r := canvas.NewRectangle(color.Black)
		r.Resize(fyne.NewSize(100, 50))
		r.Move(fyne.NewPos(760, 10))
		r.Hide()
		b := widget.NewButton("Nein, neu suchen", nil)
		b.Hide()
		return container.NewStack(container.NewWithoutLayout(r), cell(fyne.NewSize(100, 80), b))
	}))
}

func TestScrolledContentNotReported(t *testing.T) {
	box := container.NewVBox()
	none(t, scene(t, kioskText, func() fyne.CanvasObject {
		for i := 0; i < 60; i++ {
			box.Add(widget.NewButton("Zeile", nil))
		}
		return container.NewBorder(nil, widget.NewLabel("Unten"), nil, nil, container.NewVScroll(box))
	}))
	if box.Size().Height <= 600 {
		t.Fatalf("content %v fits the window: the scene tests nothing", box.Size())
	}
}

func TestScrollPastTheWindowReported(t *testing.T) {
	got := scene(t, kioskText, func() fyne.CanvasObject {
		s := container.NewVScroll(container.NewVBox(widget.NewLabel("Zeile")))
		s.Resize(fyne.NewSize(300, 700))
		return container.NewWithoutLayout(s)
	})
	if len(got) != 1 || got[0].Kind != OffCanvas || got[0].Widget != "*widget.Scroll" {
		t.Fatalf("got\n%swant the scroll container alone", list(got))
	}
}

func TestTextInScrolledContentStillChecked(t *testing.T) {
	const text = "Nein, neu suchen"
	got := scene(t, kioskText, func() fyne.CanvasObject {
		box := container.NewVBox(container.NewGridWrap(fyne.NewSize(150, 80), widget.NewButton(text, nil)))
		for i := 0; i < 40; i++ {
			box.Add(widget.NewLabel("Zeile"))
		}
		return container.NewVScroll(box)
	})
	only(t, got, TextWider, text)
}

func TestFormFits(t *testing.T) {
	none(t, scene(t, kioskText, func() fyne.CanvasObject {
		return container.New(layout.NewVBoxLayout(), widget.NewForm(
			widget.NewFormItem("Nummer", widget.NewEntry()),
			widget.NewFormItem("Land", widget.NewSelect([]string{"Deutschland", "Nederland"}, nil)),
		))
	}))
}

func TestNilRoot(t *testing.T) {
	if got := Check(nil, fyne.NewSize(10, 10)); got != nil {
		t.Fatalf("got %v", got)
	}
}

func TestSettleGrowsWrappedLabel(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(bigText{theme.DefaultTheme(), kioskText})
	l := widget.NewLabel(agreement)
	l.Wrapping = fyne.TextWrapWord
	w := test.NewTempWindow(t, container.NewVBox(container.NewGridWrap(fyne.NewSize(400, 40)), l, widget.NewButton("Weiter", nil)))
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1500, 600))
	w.Resize(fyne.NewSize(500, 600))
	// Narrowed, the label keeps the height of its one wide row, and its
	// rows overlap the button, as on the real driver's first frame.
	before := Check(w.Content(), w.Canvas().Size())
	if len(before) == 0 {
		t.Fatal("no rows below the label before Settle: the scene tests nothing")
	}
	Settle(w.Content())
	none(t, Check(w.Content(), w.Canvas().Size()))
	if h := l.Size().Height; h < 3*fyne.MeasureText("Ag", kioskText, fyne.TextStyle{}).Height {
		t.Errorf("label is %g high after Settle: not grown to its rows", h)
	}
}
