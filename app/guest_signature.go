package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	fwidget "fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/capture/mrz"
	"github.com/signet-kiosk/signet/capture/signature"
	"github.com/signet-kiosk/signet/internal/terms"
)

// signatureScreen shows what signing means, the agreement to read (in the
// guest's language, or English when the operator has none in it) and the
// signing panel (pad, Clear, Undo). The digest of the agreement text this
// screen offers is what the submission records as accepted.
func (k *Kiosk) signatureScreen() fyne.CanvasObject {
	sg := k.newSigning(k.win.Canvas, k.idle.Touch)
	return k.screen(4, k.tr.T("sign.title"), sg.body, k.back(), &action{label: k.tr.T("sign.submit"), disabled: sg.err != nil, tapped: func() {
		k.idle.Touch()
		if k.acceptSignature(sg) {
			k.submit()
		}
	}})
}

// signing is the Sign screen's body: the statement, the agreement to read
// and the signing panel. The kiosk's Sign screen and the front desk's
// guest view (desk_sign.go) both show it.
type signing struct {
	body      fyne.CanvasObject
	panel     *widget.SignaturePanel
	agreement terms.Text
	err       error // the agreement did not load: the guest cannot sign
}

// newSigning builds the signing body; the agreement's reader opens over
// the canvas cv returns, and touch is told of the guest's activity.
func (k *Kiosk) newSigning(cv func() fyne.Canvas, touch func()) *signing {
	statement := k.opts.Config.Kiosk.Terms[k.tr.Language()]
	if statement == "" {
		statement = k.tr.T("sign.terms")
	}
	agreement, agreementErr := k.agreement()
	read := fwidget.NewButtonWithIcon(k.tr.T("sign.read_terms"), theme.DocumentIcon(), func() {
		touch()
		k.showAgreementOn(cv(), agreement, touch)
	})
	read.Importance = fwidget.HighImportance
	// The statement has the whole width (fewer rows with "Larger text");
	// the agreement is read from the row under the pad, beside the Sign
	// button.
	var top fyne.CanvasObject = message(statement)
	if agreementErr != nil {
		read.Disable()
		top = container.NewVBox(top, problemText(k.tr.T("error.ask_staff")))
	}
	// One pad a visit: the ink stays when the screen is built again in
	// another language or display mode.
	if k.g.pad == nil {
		k.g.pad = widget.NewPad(k.tr.T("sign.hint"))
	} else {
		k.g.pad.SetHint(k.tr.T("sign.hint"))
	}
	panel := widget.NewSignaturePanelOn(k.g.pad, k.tr.T("sign.clear"), k.tr.T("sign.undo"))
	panel.Lead = read
	panel.OnChanged = touch
	return &signing{body: container.NewBorder(top, nil, nil, nil, panel), panel: panel, agreement: agreement, err: agreementErr}
}

// acceptSignature checks the ink and records the signature and the digest
// of the agreement shown in the session, which moves on to the submission.
// It reports false when the signature is refused: the panel says why.
func (k *Kiosk) acceptSignature(sg *signing) bool {
	g, panel := k.g, sg.panel
	if sg.err != nil {
		return false
	}
	if err := panel.Check(signature.DefaultInkRule, k.inkSentence); err != nil {
		return false // the panel shows the sentence
	}
	png, err := panel.Signature().PNG(signature.ExportOptions{Width: k.opts.Config.Signature.ExportWidth})
	if err != nil {
		k.log.Error("signature export failed", "err", err)
		panel.SetMessage(k.tr.T("error.ask_staff"))
		return false
	}
	if err := g.session.SetAgreement(sg.agreement.SHA256); err != nil {
		k.log.Error("agreement digest not recorded", "err", err)
		panel.SetMessage(k.tr.T("error.ask_staff"))
		return false
	}
	return g.session.SetSignature(png) == nil
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

// zoneOf is what the move-in record keeps of a machine-readable zone:
// read, valid, and its format; nil is no zone read.
func zoneOf(z *mrz.Result) flow.Zone {
	if z == nil {
		return flow.Zone{}
	}
	zone := flow.Zone{Read: true, Valid: z.Valid}
	switch z.Format {
	case mrz.TD1, mrz.TD2, mrz.TD3:
		zone.Format = z.Format.String()
	}
	return zone
}
