package app

import "fyne.io/fyne/v2"

// UISchedule runs f on the Fyne UI goroutine, after the events already
// queued there (fyne.Do). It is the scheduler of the systemd watchdog's
// heartbeat (internal/watchdog): a beat is sent only once a tick given to
// UISchedule has run, which proves that the UI thread still turns. Call it
// only once the app exists (Run has started); the kiosk starts the
// heartbeat when the first screen is shown.
func UISchedule(f func()) { fyne.Do(f) }
