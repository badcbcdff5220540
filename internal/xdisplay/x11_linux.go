//go:build linux && cgo

package xdisplay

/*
#cgo pkg-config: x11 xrandr
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xrandr.h>

// Xlib's default error handler ends the process: ours notes the error
// instead, for the duration of one call. The callers run on the UI thread,
// as GLFW does; GLFW installs its own handler only around its own calls.
static int signet_xerr;
static int signet_on_error(Display *d, XErrorEvent *e) { (void)d; signet_xerr = e->error_code; return 0; }

typedef struct { char name[65]; int x, y, w, h; } signet_monitor;

// signet_monitors fills out with at most max monitors and returns how many,
// or -1 when the display cannot be opened, -2 without RandR 1.5.
static int signet_monitors(signet_monitor *out, int max) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return -1;
	int ev, er, major = 0, minor = 0;
	if (!XRRQueryExtension(d, &ev, &er) || !XRRQueryVersion(d, &major, &minor) || major < 1 || (major == 1 && minor < 5)) {
		XCloseDisplay(d);
		return -2;
	}
	XErrorHandler old = XSetErrorHandler(signet_on_error);
	signet_xerr = 0;
	int n = 0, k = 0;
	XRRMonitorInfo *ms = XRRGetMonitors(d, DefaultRootWindow(d), False, &n);
	for (int i = 0; ms && i < n && k < max; i++) {
		char *name = XGetAtomName(d, ms[i].name);
		if (!name) continue;
		strncpy(out[k].name, name, sizeof out[k].name - 1);
		out[k].name[sizeof out[k].name - 1] = 0;
		XFree(name);
		out[k].x = ms[i].x; out[k].y = ms[i].y; out[k].w = ms[i].width; out[k].h = ms[i].height;
		k++;
	}
	if (ms) XRRFreeMonitors(ms);
	XSync(d, False);
	XSetErrorHandler(old);
	XCloseDisplay(d);
	return k;
}

// signet_place moves and resizes window win to the area given and, when
// full is set, asks the window manager to make it full screen there (a
// _NET_WM_STATE client message: without a window manager nobody reads it).
// It returns 0, -1 when the display cannot be opened, or the X error code.
static int signet_place(unsigned long win, int x, int y, int w, int h, int full) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return -1;
	XErrorHandler old = XSetErrorHandler(signet_on_error);
	signet_xerr = 0;
	XMoveResizeWindow(d, (Window)win, x, y, (unsigned)w, (unsigned)h);
	if (full) {
		XEvent e;
		memset(&e, 0, sizeof e);
		e.xclient.type = ClientMessage;
		e.xclient.window = (Window)win;
		e.xclient.message_type = XInternAtom(d, "_NET_WM_STATE", False);
		e.xclient.format = 32;
		e.xclient.data.l[0] = 1; // _NET_WM_STATE_ADD
		e.xclient.data.l[1] = (long)XInternAtom(d, "_NET_WM_STATE_FULLSCREEN", False);
		e.xclient.data.l[3] = 1; // from an application
		XSendEvent(d, DefaultRootWindow(d), False, SubstructureRedirectMask | SubstructureNotifyMask, &e);
	}
	XSync(d, False);
	int err = signet_xerr;
	XSetErrorHandler(old);
	XCloseDisplay(d);
	return err;
}

// signet_frame_origin stores in x, y where window win is on the root, as
// a move (signet_move) takes it: the top left of its frame (the root's
// child that holds it: the window itself without a window manager, the
// frame a reparenting one put it in), or of the window itself when it
// asks for StaticGravity. Moving it there again puts it back without
// creeping by the decorations' size. It returns 0, -1 when the
// display cannot be opened, -2 when the window is not under the root
// within a few levels, or the X error code.
static int signet_frame_origin(unsigned long win, int *x, int *y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return -1;
	XErrorHandler old = XSetErrorHandler(signet_on_error);
	signet_xerr = 0;
	Window root = DefaultRootWindow(d), w = (Window)win, top = 0;
	for (int i = 0; i < 16 && !signet_xerr; i++) {
		Window r = 0, parent = 0, *kids = NULL;
		unsigned int n = 0;
		if (!XQueryTree(d, w, &r, &parent, &kids, &n)) break;
		if (kids) XFree(kids);
		if (parent == root) { top = w; break; }
		if (parent == 0) break;
		w = parent;
	}
	// A window whose size hints ask for StaticGravity (GLFW's do) is
	// placed by its own corner, the decorations around it; any other by
	// its frame's (ICCCM 4.1.2.3).
	XSizeHints *h = XAllocSizeHints();
	long supplied = 0;
	if (top && h && XGetWMNormalHints(d, (Window)win, h, &supplied) && (h->flags & PWinGravity) && h->win_gravity == StaticGravity)
		top = (Window)win;
	if (h) XFree(h);
	int res = -2;
	if (top && !signet_xerr) {
		Window child;
		XWindowAttributes a;
		if (XTranslateCoordinates(d, top, root, 0, 0, x, y, &child) && XGetWindowAttributes(d, top, &a)) {
			// The origin is inside the border; a move places the border's corner.
			*x -= a.border_width;
			*y -= a.border_width;
			res = 0;
		}
	}
	XSync(d, False);
	if (signet_xerr) res = signet_xerr;
	XSetErrorHandler(old);
	XCloseDisplay(d);
	return res;
}

// signet_move moves window win's top left (its frame's, under a window
// manager) to x, y on the root. The size hints say the position is the
// user's (USPosition), so that a window manager keeps it rather than
// placing the window itself.
static int signet_move(unsigned long win, int x, int y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return -1;
	XErrorHandler old = XSetErrorHandler(signet_on_error);
	signet_xerr = 0;
	XSizeHints *h = XAllocSizeHints();
	long supplied = 0;
	if (h) {
		if (!XGetWMNormalHints(d, (Window)win, h, &supplied)) h->flags = 0;
		h->flags |= USPosition;
		h->x = x;
		h->y = y;
		XSetWMNormalHints(d, (Window)win, h);
		XFree(h);
	}
	XMoveWindow(d, (Window)win, x, y);
	XSync(d, False);
	int err = signet_xerr;
	XSetErrorHandler(old);
	XCloseDisplay(d);
	return err;
}
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"unsafe"
)

// xmu serialises the calls: each one swaps Xlib's process-wide error
// handler and reads the error code it leaves in a C global.
var xmu sync.Mutex

// maxMonitors bounds the list: far more than any desk has.
const maxMonitors = 32

// Monitors lists the display's monitors ($DISPLAY), virtual ones included.
func Monitors() ([]Monitor, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, ErrUnsupported // Wayland alone, or no display at all
	}
	buf := (*[maxMonitors]C.signet_monitor)(C.calloc(maxMonitors, C.size_t(unsafe.Sizeof(C.signet_monitor{}))))
	defer C.free(unsafe.Pointer(buf))
	xmu.Lock()
	n := int(C.signet_monitors(&buf[0], maxMonitors))
	xmu.Unlock()
	switch n {
	case -1:
		return nil, errors.New("xdisplay: cannot open the X display")
	case -2:
		return nil, errors.New("xdisplay: the X server has no RandR 1.5 (monitors)")
	}
	ms := make([]Monitor, 0, n)
	for i := range n {
		m := buf[i]
		ms = append(ms, Monitor{Name: C.GoString(&m.name[0]), X: int(m.x), Y: int(m.y), Width: int(m.w), Height: int(m.h)})
	}
	return ms, nil
}

// Place moves the X11 window win onto m, at m's size, and asks the window
// manager for full screen there.
func Place(win uintptr, m Monitor) error {
	if win == 0 {
		return ErrUnsupported
	}
	if m.Width <= 0 || m.Height <= 0 || m.Width > maxSide || m.Height > maxSide {
		return fmt.Errorf("xdisplay: %v is not a place for a window", m)
	}
	xmu.Lock()
	r := C.signet_place(C.ulong(win), C.int(m.X), C.int(m.Y), C.int(m.Width), C.int(m.Height), 1)
	xmu.Unlock()
	return outcome(r, "placing the window")
}

// Position is where the X11 window win is on the root, as Move takes it:
// the top left of its frame (the decorations included) under a
// reparenting window manager, or of the window itself without one or
// when its size hints ask for StaticGravity (as GLFW's, and so Fyne's,
// do). Move puts it back there.
func Position(win uintptr) (x, y int, err error) {
	if win == 0 {
		return 0, 0, ErrUnsupported
	}
	var cx, cy C.int
	xmu.Lock()
	r := C.signet_frame_origin(C.ulong(win), &cx, &cy)
	xmu.Unlock()
	if r == -2 {
		return 0, 0, errors.New("xdisplay: the window is not on the screen")
	}
	if err := outcome(r, "reading the window's position"); err != nil {
		return 0, 0, err
	}
	return int(cx), int(cy), nil
}

// Move moves the X11 window win so that its frame's top left (as Position
// reads it) is at x, y on the root.
func Move(win uintptr, x, y int) error {
	if win == 0 {
		return ErrUnsupported
	}
	if x < -maxSide || y < -maxSide || x > maxSide || y > maxSide {
		return fmt.Errorf("xdisplay: %d,%d is not a place for a window", x, y)
	}
	xmu.Lock()
	r := C.signet_move(C.ulong(win), C.int(x), C.int(y))
	xmu.Unlock()
	return outcome(r, "moving the window")
}

// outcome is the error for what a C call doing something returned: 0 for
// success, -1 when the display would not open, else an X error code.
func outcome(r C.int, doing string) error {
	switch r {
	case 0:
		return nil
	case -1:
		return errors.New("xdisplay: cannot open the X display")
	default:
		return fmt.Errorf("xdisplay: X error %d %s", int(r), doing)
	}
}
