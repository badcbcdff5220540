package widget

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/capture/signature"
)

// MinButtonHeight is the least height of the panel's buttons: a target a
// finger hits without aiming.
const MinButtonHeight = 64

// SignaturePanel is the signing area of the guest flow: the pad, a message
// line for a refusal ("that is too short"), and Clear and Undo buttons. The
// screen that hosts it places the terms above it and sets every text in
// the guest's language.
type SignaturePanel struct {
	widget.BaseWidget

	// OnChanged is called whenever the ink changes.
	OnChanged func()
	// Lead, when set before the panel is shown, stands at the start of
	// the row of Undo and Clear (the screen's "Read the agreement").
	Lead fyne.CanvasObject

	pad     *Pad
	message *widget.Label
	clear   *widget.Button
	undo    *widget.Button
}

// NewSignaturePanel returns a panel with the pad's hint and the buttons'
// labels.
func NewSignaturePanel(hint, clearLabel, undoLabel string) *SignaturePanel {
	return NewSignaturePanelOn(NewPad(hint), clearLabel, undoLabel)
}

// NewSignaturePanelOn returns a panel around pad, ink included: a screen
// built again (in another language, with larger text) shows the signature
// already drawn. The pad must have left any earlier panel's screen.
func NewSignaturePanelOn(pad *Pad, clearLabel, undoLabel string) *SignaturePanel {
	p := &SignaturePanel{pad: pad}
	p.message = widget.NewLabel("")
	p.message.Importance = widget.DangerImportance
	p.message.Wrapping = fyne.TextWrapWord
	p.message.Hide()
	p.clear = widget.NewButtonWithIcon(clearLabel, theme.DeleteIcon(), p.pad.Clear)
	p.undo = widget.NewButtonWithIcon(undoLabel, theme.ContentUndoIcon(), p.pad.Undo)
	p.pad.OnChanged = p.changed
	p.ExtendBaseWidget(p)
	p.update()
	return p
}

// Signature returns the vector data, for the ink rule and the export.
func (p *SignaturePanel) Signature() *signature.Signature { return p.pad.Signature() }

// SetMessage shows a refusal under the pad, or hides the line for "". The
// message goes away by itself on the next change to the ink.
func (p *SignaturePanel) SetMessage(text string) {
	p.message.SetText(text)
	if text == "" {
		p.message.Hide()
	} else {
		p.message.Show()
	}
}

// Message returns the message shown, "" for none.
func (p *SignaturePanel) Message() string {
	if p.message.Hidden {
		return ""
	}
	return p.message.Text
}

// Check applies the ink rule. On a refusal it returns the *signature.InkError
// and shows message(reason) (the caller's translation) under the pad.
func (p *SignaturePanel) Check(rule signature.InkRule, message func(signature.Reason) string) error {
	err := p.pad.Signature().Check(rule)
	if ie, ok := err.(*signature.InkError); ok && message != nil {
		p.SetMessage(message(ie.Reason))
	}
	return err
}

func (p *SignaturePanel) changed() {
	p.SetMessage("")
	p.update()
	if p.OnChanged != nil {
		p.OnChanged()
	}
}

// update enables the buttons only when there is something to remove.
func (p *SignaturePanel) update() {
	if p.pad.IsEmpty() {
		p.clear.Disable()
		p.undo.Disable()
	} else {
		p.clear.Enable()
		p.undo.Enable()
	}
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (p *SignaturePanel) CreateRenderer() fyne.WidgetRenderer {
	tall := func(o fyne.CanvasObject) fyne.CanvasObject {
		return container.New(minHeightLayout(MinButtonHeight), o)
	}
	buttons := container.NewHBox(tall(p.undo), tall(p.clear))
	var lead fyne.CanvasObject
	if p.Lead != nil {
		lead = tall(p.Lead)
	}
	bottom := container.NewBorder(nil, nil, lead, buttons, p.message)
	return widget.NewSimpleRenderer(container.NewBorder(nil, bottom, nil, nil, p.pad))
}

// minHeightLayout stretches its objects to fill it and is at least its
// value tall.
type minHeightLayout float32

func (l minHeightLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l minHeightLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, float32(l))
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
}
