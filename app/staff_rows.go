package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// labelledRows lays out (label, field) pairs as a form does: each label
// beside its field where the width holds the widest of both, else each
// label above its field. Its minimum width is the narrow one's, so a
// screen beside a keyboard, or a desk window made small, never clips it.
type labelledRows struct {
	// wide is whether the last layout put labels beside their fields: the
	// height it asks for follows it.
	wide bool
}

// newLabelledRows returns the rows of pairs: label, field, label, field…
func newLabelledRows(pairs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&labelledRows{wide: true}, pairs...)
}

// formLabel is a field's label: bold, wrapping where a language needs it.
func formLabel(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (r *labelledRows) widths(objs []fyne.CanvasObject) (label, field float32) {
	for i := 0; i+1 < len(objs); i += 2 {
		// A wrapping label's minimum is one word; beside its field it
		// should read on one row.
		lw := objs[i].MinSize().Width
		if l, ok := objs[i].(*widget.Label); ok {
			lw = fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width + 2*theme.InnerPadding()
		}
		label = max(label, lw)
		field = max(field, objs[i+1].MinSize().Width)
	}
	return label, field
}

// minFieldWidth is the narrowest a field goes beside its label: a
// select's choice needs that much to read whole.
const minFieldWidth = 400

func (r *labelledRows) fitsWide(objs []fyne.CanvasObject, width float32) bool {
	l, f := r.widths(objs)
	return width >= l+theme.Padding()+max(f, minFieldWidth)
}

func (r *labelledRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	r.wide = r.fitsWide(objs, size.Width)
	lw, _ := r.widths(objs)
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		l, f := objs[i], objs[i+1]
		if r.wide {
			h := max(l.MinSize().Height, f.MinSize().Height)
			l.Move(fyne.NewPos(0, y))
			l.Resize(fyne.NewSize(lw, h))
			f.Move(fyne.NewPos(lw+pad, y))
			f.Resize(fyne.NewSize(size.Width-lw-pad, h))
			y += h + pad
			continue
		}
		l.Resize(fyne.NewSize(size.Width, l.MinSize().Height))
		lh := l.MinSize().Height // a wrapped label is taller once narrow
		l.Move(fyne.NewPos(0, y))
		l.Resize(fyne.NewSize(size.Width, lh))
		y += lh
		fh := f.MinSize().Height
		f.Move(fyne.NewPos(0, y))
		f.Resize(fyne.NewSize(size.Width, fh))
		y += fh + pad
	}
}

func (r *labelledRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	_, fw := r.widths(objs)
	var w, h float32
	for i := 0; i+1 < len(objs); i += 2 {
		l, f := objs[i].MinSize(), objs[i+1].MinSize()
		w = max(w, l.Width, fw)
		if r.wide {
			h += max(l.Height, f.Height) + pad
		} else {
			h += l.Height + f.Height + pad
		}
	}
	return fyne.NewSize(w, max(0, h-pad))
}

// wrapRow lays its objects out left to right at their minimum width, starting
// a new row where the next does not fit. With spread, the objects after
// the first of a row are pushed to its right end (a title on the left,
// its tools on the right). Its minimum width is its widest object's.
type wrapRow struct {
	spread bool
	// rows is how many rows the last layout needed: the height asked for
	// follows it.
	rows [][]fyne.CanvasObject
}

func newWrapRow(spread bool, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(&wrapRow{spread: spread}, objs...)
}

func (f *wrapRow) arrange(objs []fyne.CanvasObject, width float32) [][]fyne.CanvasObject {
	pad := theme.Padding()
	var rows [][]fyne.CanvasObject
	var row []fyne.CanvasObject
	x := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		w := o.MinSize().Width
		if len(row) > 0 && x+pad+w > width {
			rows, row, x = append(rows, row), nil, 0
		}
		if len(row) > 0 {
			x += pad
		}
		row = append(row, o)
		x += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

func rowHeight(row []fyne.CanvasObject) float32 {
	var h float32
	for _, o := range row {
		h = max(h, o.MinSize().Height)
	}
	return h
}

func (f *wrapRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	f.rows = f.arrange(objs, size.Width)
	y := float32(0)
	for _, row := range f.rows {
		h := rowHeight(row)
		var rest float32 // the width of the objects after the first
		for i, o := range row {
			if i > 0 {
				rest += pad + o.MinSize().Width
			}
		}
		x := float32(0)
		for i, o := range row {
			w := o.MinSize().Width
			if len(row) == 1 && f.spread {
				w = size.Width // a title alone on its row takes it
			}
			if i == 1 && f.spread {
				x = size.Width - rest + pad
			}
			o.Move(fyne.NewPos(x, y))
			o.Resize(fyne.NewSize(w, h))
			x += w + pad
		}
		y += h + pad
	}
}

func (f *wrapRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	var w float32
	for _, o := range objs {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	// The rows of the last layout, and never less than one row of all.
	height := func(rows [][]fyne.CanvasObject) float32 {
		var h float32
		for _, row := range rows {
			h += rowHeight(row) + pad
		}
		return max(0, h-pad)
	}
	return fyne.NewSize(w, max(height(f.rows), height(f.arrange(objs, float32(1<<30)))))
}
