package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/signature"
)

// signatureScreen shows the terms and the signing panel (pad, Clear, Undo).
func (k *Kiosk) signatureScreen() fyne.CanvasObject {
	g := k.g
	terms := k.opts.Config.Kiosk.Terms[k.tr.Language()]
	if terms == "" {
		terms = k.tr.T("sign.terms")
	}
	panel := widget.NewSignaturePanel(k.tr.T("sign.hint"), k.tr.T("sign.clear"), k.tr.T("sign.undo"))
	panel.OnChanged = k.idle.Touch
	body := container.NewBorder(message(terms), nil, nil, nil, panel)
	return k.screen(4, k.tr.T("sign.title"), body, k.back(), &action{label: k.tr.T("sign.submit"), tapped: func() {
		k.idle.Touch()
		if err := panel.Check(signature.DefaultInkRule, k.inkSentence); err != nil {
			return // the panel shows the sentence
		}
		png, err := panel.Signature().PNG(signature.ExportOptions{Width: k.opts.Config.Signature.ExportWidth})
		if err != nil {
			k.log.Error("signature export failed", "err", err)
			panel.SetMessage(k.tr.T("error.ask_staff"))
			return
		}
		if err := g.session.SetSignature(png); err == nil {
			k.submit()
		}
	}})
}

// inkSentence says why a signature was refused, in the guest's language.
func (k *Kiosk) inkSentence(r signature.Reason) string {
	switch r {
	case signature.ReasonEmpty:
		return k.tr.T("sign.empty")
	case signature.ReasonDot:
		return k.tr.T("sign.dot")
	}
	return k.tr.T("sign.too_little")
}
