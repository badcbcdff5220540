package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/internal/metrics"
)

// The language offer: when the document's machine-readable zone suggests a
// language the kiosk speaks (flow.DocumentLanguage) that is not the one on
// screen, the review and details screens ask once, in that language,
// whether to continue in it. Nothing switches without the guest's tap.

// suggestLanguage keeps lang as the offer for g when it is worth asking:
// a language the kiosk is configured for, not the current one, and not
// asked already this session. It reports whether there is a new offer.
func (k *Kiosk) suggestLanguage(g *guest, lang string) bool {
	if g.capture.asked || g.capture.lang != "" || lang == "" || lang == k.tr.Language() {
		return false
	}
	for _, l := range k.languages() {
		if l == lang {
			g.capture.lang = lang
			return true
		}
	}
	return false
}

// languageOffer is the offer's banner, or an empty box: "Continue in
// Deutsch?" with the switch and a "no" in the current language.
func (k *Kiosk) languageOffer() fyne.CanvasObject {
	g := k.g
	lang := g.capture.lang
	if !k.offering() {
		return layout.NewSpacer()
	}
	name := k.tr.In(lang, "lang.name")
	// The question in the offered language, which the guest reads; the
	// "no" in the current one. One row, so it costs the screen one line.
	ask := widget.NewLabelWithStyle(k.offerQuestion(lang, lang), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	ask.Wrapping = fyne.TextWrapWord
	yes := widget.NewButton(name, func() {
		k.idle.Touch()
		g.capture.asked = true
		k.log.Info("language switched from the document's offer", "lang", lang)
		k.SetLanguage(lang)
	})
	yes.Importance = widget.HighImportance
	no := widget.NewButton(k.tr.T("language_offer.keep", "language", k.tr.T("lang.name")), func() {
		k.idle.Touch()
		g.capture.asked = true
		k.render()
	})
	return card(container.NewBorder(nil, nil, nil, container.NewHBox(yes, no), ask))
}

// offering says whether the language offer is on screen.
func (k *Kiosk) offering() bool {
	c := k.g.capture
	return !c.asked && c.lang != "" && c.lang != k.tr.Language()
}

// offerQuestion is "Continue in {language}?" in the language in, naming
// the language lang by its own name.
func (k *Kiosk) offerQuestion(in, lang string) string {
	return strings.ReplaceAll(k.tr.In(in, "language_offer.question"), "{language}", k.tr.In(lang, "lang.name"))
}

// recorder is where the guest's capture telemetry goes: the kiosk's
// metrics (Options.Metrics, Nop when none).
func (k *Kiosk) recorder() metrics.Recorder { return k.rec }
