package app

import "fyne.io/fyne/v2"

// UISchedule runs f on the Fyne UI goroutine, after the events already
// queued there (fyne.Do). It is the scheduler of the systemd watchdog's
// heartbeat (internal/watchdog): a beat is sent only once a tick given to
// UISchedule has run, which proves that the UI thread still turns. Before
// the app exists (Run not started yet) it drops f: no driver could run it,
// and a dropped tick sends no beat.
func UISchedule(f func()) {
	if fyne.CurrentApp() == nil {
		return
	}
	fyne.Do(f)
}
