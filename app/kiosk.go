// Package app is Signet's user interface: the guest-facing kiosk and the staff
// screens, built with Fyne. It is the only package that imports Fyne; it is
// handed its dependencies (configuration, API clients, camera) by main, so
// tests drive it with Fyne's test driver and fakes.
package app

import (
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/signet-kiosk/signet/app/flow"
	"github.com/signet-kiosk/signet/app/i18n"
	"github.com/signet-kiosk/signet/app/staff"
	"github.com/signet-kiosk/signet/assets"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/internal/audit"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/metrics"
	"github.com/signet-kiosk/signet/internal/notify"
	"github.com/signet-kiosk/signet/internal/redact"
)

// Title is the window title; the window tests find the window by it.
const Title = "Signet"

// Options configure a Kiosk.
type Options struct {
	Config   *config.Config
	Logger   *slog.Logger
	Demo     bool // show the demo banner
	Windowed bool // a window instead of full screen, for development
	Desk     bool // the staff console alone, in a desktop window (desk.go)
	Size     fyne.Size

	// Services are the remote sides of a guest's submission; Services.Mews
	// and Services.Queue may be nil.
	Services flow.Services
	// Displays finds a front desk's guest display and places the guest's
	// window on it (desk_sign.go); nil asks X11.
	Displays GuestDisplays
	// Camera opens the kiosk's camera; nil shows "camera not available".
	Camera CameraOpener
	// SidesFor returns the sides to capture for a StoRegister type name.
	SidesFor func(typeName string) []string
	// NumberRequired is Mews's IsIdentityDocumentNumberRequired.
	NumberRequired bool
	// Clock schedules the idle and done timers; nil is the real clock.
	Clock flow.Clock
	// Staff is what the staff side uses.
	Staff StaffDeps

	// Metrics receives the guest flow's events (sessions, steps, staff
	// calls); nil records nothing.
	Metrics metrics.Recorder
	// Journal keeps the tamper-evident record of each completed move-in
	// (internal/audit); nil keeps none.
	Journal MoveInJournal
	// Notify tells staff away from the kiosk that a guest called them
	// (a webhook or a command); nil tells nobody but the health view.
	Notify *notify.Notifier
	// OnShown is called once, on the UI goroutine, when the first screen
	// is on the window: the systemd READY waits for it.
	OnShown func()
}

// MoveInJournal records completed move-ins; *audit.Journal is one.
type MoveInJournal interface {
	Append(audit.Entry) error
}

// Kiosk is the kiosk window and the screen it shows.
type Kiosk struct {
	app  fyne.App
	win  fyne.Window
	tr   *i18n.Translator
	opts Options
	log  *slog.Logger

	root    *fyne.Container // the current screen under the activity layer
	current func() fyne.CanvasObject

	// onActivity is called on any pointer movement or input (idle timer).
	onActivity func()

	g      *guest     // the current guest's visit
	idle   *flow.Idle // the "still there?" watcher
	clock  flow.Clock
	warn   *widget.PopUp
	cam    *cameraRunner
	staff  *staffView // the staff screens, made on first use
	events *staff.Events

	rec metrics.Recorder
	// call is the guest's call for staff; banner shows it on every screen.
	call   *flow.StaffCall
	banner *fyne.Container
	frame  *fyne.Container // the banner over the screen
	// staffForCall: the staff screens were opened from the call's banner,
	// so leaving them returns to the guest's screen, not the attract one.
	staffForCall bool
	// shown is set once OnShown has been called.
	shown bool
}

// New builds the kiosk window on a; call ShowAndRun (or Window().Show in tests).
func New(a fyne.App, opts Options) (*Kiosk, error) {
	if opts.Config == nil {
		opts.Config = config.Default()
	}
	if opts.Logger == nil {
		opts.Logger = redact.Discard()
	}
	if opts.Clock == nil {
		opts.Clock = flow.SystemClock{}
	}
	if opts.Metrics == nil {
		opts.Metrics = metrics.Nop
	}
	if opts.SidesFor == nil {
		_, _, rules := scanSettings(opts.Config)
		opts.SidesFor = func(name string) []string {
			var out []string
			for _, s := range idscan.Classify(name, rules).Sides {
				out = append(out, string(s))
			}
			return out
		}
	}
	cat, err := i18n.Load(assets.Translations())
	if err != nil {
		return nil, err
	}
	a.Settings().SetTheme(kioskTheme{})
	a.SetIcon(ResourceIcon)
	k := &Kiosk{
		app:  a,
		tr:   i18n.NewTranslator(cat, opts.Config.Kiosk.DefaultLanguage),
		opts: opts,
		log:  opts.Logger,
	}
	k.clock = opts.Clock
	k.rec = opts.Metrics
	k.events = staff.NewEvents(20)
	k.call = flow.NewStaffCall(k.clock, opts.Config.Kiosk.StaffWait.D())
	k.call.OnExpire = func() { k.do(k.callExpired) }
	k.idle = flow.NewIdle(k.clock, opts.Config.Kiosk.IdleTimeout.D(), opts.Config.Kiosk.IdleCountdown.D())
	k.idle.OnWarn = func(left int) { k.do(func() { k.showStillThere(left) }) }
	k.idle.OnResume = k.hideStillThere // Touch runs on the UI goroutine
	k.idle.OnExpire = func() { k.do(func() { k.hideStillThere(); k.resetGuest("idle") }) }
	k.onActivity = k.idle.Touch
	k.newGuest()
	k.win = a.NewWindow(Title)
	k.win.SetIcon(ResourceIcon)
	k.win.SetPadded(false)
	k.root = container.NewStack()
	k.banner = container.NewStack()
	k.banner.Hide()
	layer := newActivityLayer(opts.Config.Kiosk.HidePointer && !opts.Desk, func() { // a desk keeps its pointer
		if k.onActivity != nil {
			k.onActivity()
		}
	})
	k.frame = container.NewBorder(k.banner, nil, nil, nil, k.root)
	k.win.SetContent(container.NewStack(k.frame, layer))
	if opts.Windowed {
		size := opts.Size
		if size.IsZero() {
			size = fyne.NewSize(1280, 800)
		}
		k.win.Resize(size)
	} else {
		k.win.SetFullScreen(true)
	}
	if opts.Desk {
		k.startDesk()
		return k, nil
	}
	k.show(k.attractScreen)
	return k, nil
}

// firstScreenShown calls Options.OnShown, once.
func (k *Kiosk) firstScreenShown() {
	if k.shown || k.current == nil {
		return
	}
	k.shown = true
	if k.opts.Desk {
		k.restoreDeskPlace() // where the window was (desk.go)
	}
	k.log.Info("first screen shown", "screen", k.stepName())
	if k.opts.OnShown != nil {
		k.opts.OnShown()
	}
}

// uiMu serialises the callbacks background goroutines hand to the UI. The
// real driver already runs them on its one UI goroutine; Fyne's test driver
// runs them on the caller's, so without this the race detector would
// (rightly) flag every hand-off in the UI tests. It is package-wide because
// Fyne's caches are: a process has one UI, whatever the number of windows.
var uiMu sync.Mutex

// do runs f on the UI goroutine; every background goroutine reaches the
// widgets only through it.
func (k *Kiosk) do(f func()) {
	fyne.Do(func() {
		uiMu.Lock()
		defer uiMu.Unlock()
		f()
	})
}

// now is the kiosk's wall time, for the staff lockout and the expiry
// check; tests set it through Options.Clock.
func (k *Kiosk) now() time.Time { return k.clock.Now() }

// Window returns the kiosk's window.
func (k *Kiosk) Window() fyne.Window { return k.win }

// Translator returns the kiosk's current language.
func (k *Kiosk) Translator() *i18n.Translator { return k.tr }

// ShowAndRun shows the window and runs the Fyne event loop until quit.
func (k *Kiosk) ShowAndRun() { k.win.ShowAndRun() }

// show replaces the screen with what build returns, and remembers build so a
// language change can rebuild the same screen in the new language.
func (k *Kiosk) show(build func() fyne.CanvasObject) {
	k.current = build
	k.root.Objects = []fyne.CanvasObject{build()}
	k.root.Refresh()
	if k.frame != nil && !k.banner.Hidden {
		k.relayout() // the display modes may have moved it
	}
}

// SetLanguage switches every text on screen to lang at once.
func (k *Kiosk) SetLanguage(lang string) {
	if k.tr.SetLanguage(lang) && k.current != nil {
		k.log.Info("language changed", "lang", lang)
		k.refreshBanner()
		k.show(k.current)
	}
}

// languages returns the configured languages that have translations.
func (k *Kiosk) languages() []string {
	var ls []string
	for _, l := range k.opts.Config.Kiosk.Languages {
		if k.tr.Catalog().Has(l) {
			ls = append(ls, l)
		}
	}
	return ls
}
