package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/internal/terms"
)

// The storage agreement and facility rules (internal/terms): the Sign
// screen opens them in a reader in the guest's language (English when the
// operator has no text in it), and the digest of the very text shown goes
// with the signature.

// agreement loads the agreement in the guest's language. An error (the
// operator's directory became unreadable) is logged; the guest cannot sign
// without a text to accept, and is asked to see staff.
func (k *Kiosk) agreement() (terms.Text, error) {
	t, err := terms.Load(k.opts.Config.Kiosk.TermsDir, k.tr.Language())
	if err != nil {
		k.log.Error("storage agreement not loaded; guests cannot sign", "err", err)
	}
	return t, err
}

// showAgreement opens the reader: the text, large and scrolled with a
// finger, and a Close button.
func (k *Kiosk) showAgreement(t terms.Text) { k.showAgreementOn(k.win.Canvas(), t, k.idle.Touch) }

// showAgreementOn opens the reader over the canvas c (the kiosk's window,
// or a front desk's guest window); touch is told of the guest's activity.
func (k *Kiosk) showAgreementOn(c fyne.Canvas, t terms.Text, touch func()) {
	var pop *widget.PopUp
	top := container.NewVBox()
	if !strings.HasPrefix(strings.TrimSpace(t.Markdown), "# ") {
		// The text has no title of its own.
		title := widget.NewLabelWithStyle(k.tr.T("terms.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		title.Wrapping = fyne.TextWrapWord
		top.Add(title)
	}
	if t.FellBack {
		top.Add(message(k.tr.T("terms.english_only")))
	}
	text := widget.NewRichTextFromMarkdown(t.Markdown)
	text.Wrapping = fyne.TextWrapWord
	scroll := kwidget.NewDragScroll(container.NewPadded(text), fyne.Position{})
	scroll.OnScrolled = func(fyne.Position) { touch() }
	closeB := widget.NewButtonWithIcon(k.tr.T("terms.close"), theme.CancelIcon(), func() {
		touch()
		pop.Hide()
	})
	closeB.Importance = widget.HighImportance
	bottom := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(280, MinTouch+8), closeB))
	var head fyne.CanvasObject
	if len(top.Objects) > 0 {
		head = container.NewVBox(top, widget.NewSeparator())
	}
	var content fyne.CanvasObject = container.NewBorder(head, container.NewVBox(widget.NewSeparator(), bottom), nil, nil, scroll)
	if c != k.win.Canvas() {
		// A front desk's guest window, in the kiosk's sizes (desk_sign.go).
		content = container.NewThemeOverride(content, kioskTheme{})
	}
	pop = widget.NewModalPopUp(content, c)
	// As wide as reads well, as tall as the window less a margin; the
	// modal pop-up keeps it inside the window at any size.
	pop.Resize(fyne.NewSize(1100, c.Size().Height-48))
	pop.Show()
	k.log.Debug("screen shown", "screen", "agreement")
}
