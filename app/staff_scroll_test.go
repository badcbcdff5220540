package app

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	kwidget "github.com/signet-kiosk/signet/app/internal/widget"
	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// fyneScrolls are the plain Fyne scrollers on screen (or in the top
// overlay): on a desktop touchscreen a finger drag does not move them.
// (An entry's own scroller for its text is not one of them.)
func fyneScrolls(k *Kiosk, overlay bool) (found []*container.Scroll) {
	walk := func(o fyne.CanvasObject) {
		visit(o, func(o fyne.CanvasObject) step {
			switch o := o.(type) {
			case *container.Scroll:
				found = append(found, o)
				return skip
			case fyne.Focusable: // entries
				return skip
			}
			return descend
		})
	}
	onUI(k, func() {
		if !overlay {
			walk(k.win.Content())
		}
		for _, o := range overlays(k) {
			walk(o)
		}
	})
	return found
}

func dragScrolls(k *Kiosk, overlay bool) (found []*kwidget.DragScroll) {
	onUI(k, func() { found = allOf(k, overlay, func(*kwidget.DragScroll) bool { return true }) })
	return found
}

// absBottom is the bottom edge of o in the window.
func absBottom(k *Kiosk, o fyne.CanvasObject) float32 {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Y + o.Size().Height
}

// Issue 17, finding 10: finger-drag scrolls the health lists, the
// configuration and the Add form (whose last fields a 1024×768 screen
// cuts off), and the health list stays where it was scrolled across its
// refresh; the number typed in Add is not masked.
func TestStaffFingerScrolling(t *testing.T) {
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN)})
	k := r.k
	onUI(k, func() { k.win.Resize(fyne.NewSize(1024, 768)) })
	unlock(t, k, testPIN)
	c := staffOf(k)

	// The Add form: its last field is below the screen until dragged up.
	onUI(k, func() {
		cu := mews.Customer{ID: demodata.People[0].MewsCustomerID, FirstName: "Anna", LastName: "Eriksson"}
		c.s.Customer = &cu
		c.s.EditDocument(nil)
		c.redraw()
	})
	if n := len(fyneScrolls(k, false)); n != 0 {
		t.Errorf("the Add form has %d scrollers a finger cannot move", n)
	}
	ds := dragScrolls(k, false)
	if len(ds) != 1 {
		t.Fatalf("the Add form has %d finger scrollers, want 1", len(ds))
	}
	es := focusEntries(k)
	last := es[len(es)-1]
	var lastBottom, viewBottom float32
	onUI(k, func() {
		ds[0].Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(0, -2000)})
		lastBottom, viewBottom = absBottom(k, last), absBottom(k, ds[0])
	})
	if lastBottom > viewBottom+1 {
		t.Errorf("dragged to the end, the support number field ends at %v, below the form's %v", lastBottom, viewBottom)
	}
	onUI(k, func() {
		if es[0].Password {
			t.Error("the number typed into a new document is masked")
		}
	})

	// Health: both halves drag; 40 events make the right one long.
	for i := range 40 {
		k.events.Add(fmt.Sprintf("event %d", i))
	}
	tapNth(t, k, "Health", 0, false)
	if n := len(fyneScrolls(k, false)); n != 0 {
		t.Errorf("the health screen has %d scrollers a finger cannot move", n)
	}
	ds = dragScrolls(k, false)
	if len(ds) != 2 {
		t.Fatalf("the health screen has %d finger scrollers, want 2", len(ds))
	}
	events := ds[1]
	onUI(k, func() { events.Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(0, -150)}) })
	var at float32
	onUI(k, func() { at = events.Offset.Y })
	if at != 150 {
		t.Fatalf("the event list dragged up by 150 is at %v", at)
	}
	// The refresh (once a second) keeps the place.
	onUI(k, func() { c.redraw(); c.redraw() })
	ds = dragScrolls(k, false)
	onUI(k, func() { at = ds[1].Offset.Y })
	if at != 150 {
		t.Errorf("after the health refresh the event list is at %v, want 150", at)
	}
	// Leaving the screen and coming back starts at the top.
	tapNth(t, k, "Customers", 0, false)
	tapNth(t, k, "Health", 0, false)
	ds = dragScrolls(k, false)
	onUI(k, func() { at = ds[1].Offset.Y })
	if at != 0 {
		t.Errorf("the health screen opened again at %v, want the top", at)
	}

	// The configuration scrolls both ways.
	onUI(k, func() { c.showConfig() })
	if n := len(fyneScrolls(k, true)); n != 0 {
		t.Errorf("the configuration has %d scrollers a finger cannot move", n)
	}
	ds = dragScrolls(k, true)
	if len(ds) != 1 {
		t.Fatalf("the configuration has %d finger scrollers", len(ds))
	}
	onUI(k, func() {
		ds[0].Dragged(&fyne.DragEvent{Dragged: fyne.NewDelta(0, -100)})
		at = ds[0].Offset.Y
	})
	if at != 100 {
		t.Errorf("the configuration dragged up by 100 is at %v", at)
	}
}

// A staff wait shows the kiosk's activity indicator (at least 48 dp,
// turning), not Fyne's 1–2 px dot; it stops when the answer comes.
func TestStaffWaitShowsSpinner(t *testing.T) {
	r := newStaffRig(t, rigOptions{hash: hashOf(t, testPIN)})
	k := r.k
	unlock(t, k, testPIN)
	if err := r.srv.SetFaults(sim.Faults{Latency: 500 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	c := staffOf(k)
	onUI(k, func() { c.s.Query = "ERIKSSON"; c.s.Search(false); c.redraw() })
	var sp []*kwidget.Spinner
	onUI(k, func() { sp = allOf(k, false, func(*kwidget.Spinner) bool { return true }) })
	if len(sp) != 1 {
		t.Fatalf("the search under way shows %d spinners", len(sp))
	}
	onUI(k, func() {
		if !sp[0].Running() || sp[0].MinSize().Width < 48 {
			t.Errorf("spinner running %v, %v wide", sp[0].Running(), sp[0].MinSize().Width)
		}
	})
	waitStaff(t, k, "the search", func(c *staffView) bool { return !c.s.Busy() && c.s.Searched })
	onUI(k, func() {
		if sp[0].Running() {
			t.Error("the spinner still turns after the answer")
		}
	})
}
