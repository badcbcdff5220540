package app

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/signet-kiosk/signet/internal/config"
)

// fitDesk shows the front desk's own screens, in the desk's theme, and
// the guest's signing views (issue 20) in every language and size:
// TestEveryLabelFits calls it.
func fitDesk(t *testing.T, failures *fitFailures) {
	r := newStaffRig(t, rigOptions{accounts: staffAccounts(t), desk: true, demo: true,
		configure: func(c *config.Config) { c.Desk.GuestDisplay = "HDMI-2" }})
	k := r.k
	c := staffOf(k)
	list := []struct {
		name  string
		build func(sg *deskSign) fyne.CanvasObject
	}{
		{"lock", func(*deskSign) fyne.CanvasObject { return c.deskPINScreen() }},
		{"handover", func(sg *deskSign) fyne.CanvasObject {
			sg.problem = k.tr.T("desk.sign.no_display", "display", "DisplayPort-1-10")
			return c.handoverScreen(sg)
		}},
		{"handover-closed", func(sg *deskSign) fyne.CanvasObject {
			sg.problem = k.tr.T("desk.sign.closed")
			return c.handoverScreen(sg)
		}},
		{"remote", func(sg *deskSign) fyne.CanvasObject { return c.remoteScreen(sg) }},
		{"guest-holds", func(sg *deskSign) fyne.CanvasObject {
			return c.guestView(sg, k.win.Canvas, func() {}, func() {}, 1)
		}},
		{"give-back", func(sg *deskSign) fyne.CanvasObject {
			sg.stage = signGiveBack
			return c.deskPINScreen()
		}},
		// The guest window's, in the kiosk's sizes, on a monitor of each size.
		{"guest-window", func(sg *deskSign) fyne.CanvasObject { return c.guestWindowContent(sg, k.win) }},
		{"guest-thanks", func(*deskSign) fyne.CanvasObject { return c.thanksView(k.win) }},
	}
	for _, lang := range fitLanguages {
		for _, mode := range staffModes {
			onUI(k, func() {
				k.tr.SetLanguage(lang)
				mode.set(k)
				k.app.Settings().SetTheme(deskTheme{}) // the desk's, which the guest's modes replace
				c.movingIn = true
				for _, sc := range list {
					sg := &deskSign{g: k.g, stage: signRemote}
					c.sign = sg
					c.show(func() fyne.CanvasObject { return sc.build(sg) })
					failures.atEverySize(k, fmt.Sprintf("desk %s %s", lang, mode.name), sc.name, false)
					fitHideOverlays(k)
				}
				c.sign, c.movingIn = nil, false
			})
		}
	}
}
