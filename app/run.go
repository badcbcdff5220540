package app

import (
	"context"
	"image"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
)

// ID is the application's identifier (FyneApp.toml, preferences, D-Bus).
const ID = "com.signet-kiosk.signet"

// Run shows the kiosk and runs Fyne's event loop until ctx ends or the
// application quits (only the staff side can quit it). size is the
// window's size in dp with opts.Windowed; zero means 1280×800.
func Run(ctx context.Context, opts Options, size image.Point) error {
	if size.X > 0 && size.Y > 0 {
		opts.Size = fyne.NewSize(float32(size.X), float32(size.Y))
	}
	a := fyneapp.NewWithID(ID)
	k, err := New(a, opts)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { fyne.Do(k.quit) })
	defer stop()
	// The event loop has started with the window shown and its first screen
	// set; the hand-off runs after the events already queued.
	a.Lifecycle().SetOnStarted(func() { k.do(k.firstScreenShown) })
	k.ShowAndRun()
	return nil
}
