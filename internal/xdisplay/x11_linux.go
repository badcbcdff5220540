//go:build linux && cgo

package xdisplay

/*
#cgo pkg-config: x11 xrandr
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>
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
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"unsafe"
)

// maxMonitors bounds the list: far more than any desk has.
const maxMonitors = 32

// Monitors lists the display's monitors ($DISPLAY), virtual ones included.
func Monitors() ([]Monitor, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, ErrUnsupported // Wayland alone, or no display at all
	}
	buf := (*[maxMonitors]C.signet_monitor)(C.calloc(maxMonitors, C.size_t(unsafe.Sizeof(C.signet_monitor{}))))
	defer C.free(unsafe.Pointer(buf))
	n := int(C.signet_monitors(&buf[0], maxMonitors))
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
	switch r := C.signet_place(C.ulong(win), C.int(m.X), C.int(m.Y), C.int(m.Width), C.int(m.Height), 1); r {
	case 0:
		return nil
	case -1:
		return errors.New("xdisplay: cannot open the X display")
	default:
		return fmt.Errorf("xdisplay: X error %d placing the window", int(r))
	}
}
