package idscan_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/capture/idscan"
	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// TestEndToEnd: synthetic camera → auto-capture → still →
// identity-document/save/ on the simulator, for each side of each document
// type. The simulator must receive JPEGs that decode, with the still's size,
// filename and content type.
func TestEndToEnd(t *testing.T) {
	s := sim.New(sim.WithSeed(1))
	srv := httptest.NewServer(s.Handler()) // loopback only
	defer srv.Close()
	c, err := storegister.NewClient(srv.URL+sim.StoRegisterPrefix, demodata.StoRegisterAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	booking := demodata.People[0].BookingID
	types, err := c.IdentityDocumentTypes(ctx, booking)
	if err != nil {
		t.Fatal(err)
	}
	if len(types) == 0 {
		t.Fatal("no document types")
	}

	const pw, ph, fw, fh = 640, 360, 1280, 720 // preview and full resolution
	preview, full := synthetic.New(pw, ph, 3), synthetic.New(fw, fh, 3)
	pg := idscan.Guide(pw, ph, idscan.CardAspect, idscan.DefaultGuideFill)
	fg := idscan.Guide(fw, fh, idscan.CardAspect, idscan.DefaultGuideFill)
	type sent struct {
		still *idscan.Still
		ref   string
		typ   string
	}
	var want []sent
	for _, dt := range types {
		doc := idscan.Classify(dt.Name, nil)
		wantSides := 2
		if dt.Name == "Passport" {
			wantSides = 1
		}
		if len(doc.Sides) != wantSides {
			t.Errorf("%s: %d sides, want %d", dt.Name, len(doc.Sides), wantSides)
		}
		for _, side := range doc.Sides {
			clk := time.Unix(0, 0)
			sc := idscan.NewScanner(idscan.DefaultThresholds(), idscan.WithClock(func() time.Time { return clk }))
			var still *idscan.Still
			for i := 0; i < 90 && still == nil; i++ {
				at := time.Duration(i) * time.Second / 30
				clk = time.Unix(0, 0).Add(at)
				frame, _ := preview.RenderFrame(synthetic.SharpSteady, at)
				st, err := sc.Preview(lumaOf(frame), pg)
				if err != nil {
					t.Fatal(err)
				}
				if !st.Capture {
					continue
				}
				big, _ := full.RenderFrame(synthetic.SharpSteady, at)
				rep, err := sc.Confirm(lumaOf(big), fg)
				if err != nil {
					t.Fatalf("%s %s: confirm: %v", dt.Name, side, err)
				}
				if still, err = idscan.MakeStill(big, rep.Outline(), doc.Filename(side), idscan.DefaultStillOptions()); err != nil {
					t.Fatal(err)
				}
			}
			if still == nil {
				t.Fatalf("%s %s: auto-capture never fired", dt.Name, side)
			}
			// Each upload has its own deadline: rendering 1280×720 frames under
			// -race on a busy machine can take longer than any one budget for
			// the whole loop.
			uctx, ucancel := context.WithTimeout(context.Background(), 30*time.Second)
			ref, err := c.SaveIdentityDocument(uctx, booking, storegister.IdentityDocument{
				TypeID: dt.ID, Filename: still.Filename, ContentType: still.ContentType, Body: bytes.NewReader(still.JPEG),
			})
			ucancel()
			if err != nil {
				t.Fatalf("%s %s: upload: %v", dt.Name, side, err)
			}
			want = append(want, sent{still, ref, dt.ID})
		}
	}
	got := s.Documents()
	if len(got) != len(want) {
		t.Fatalf("simulator has %d documents, want %d", len(got), len(want))
	}
	for i, d := range got {
		w := want[i]
		if d.ReferenceID != w.ref || d.TypeID != w.typ || d.BookingID != booking {
			t.Errorf("doc %d: ref %s type %s booking %s", i, d.ReferenceID, d.TypeID, d.BookingID)
		}
		if d.Filename != w.still.Filename || d.ContentType != "image/jpeg" {
			t.Errorf("doc %d: filename %q content type %q, want %q image/jpeg", i, d.Filename, d.ContentType, w.still.Filename)
		}
		if !bytes.Equal(d.Data, w.still.JPEG) {
			t.Errorf("doc %d: bytes differ", i)
		}
		m, err := jpeg.Decode(bytes.NewReader(d.Data))
		if err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		// The card is 55 % of the 1280-px frame wide: 704 × 444 px.
		if b := m.Bounds(); b != image.Rect(0, 0, w.still.Width, w.still.Height) ||
			abs(b.Dx()-704) > 14 || abs(b.Dy()-444) > 9 || len(d.Data) > 1<<20 {
			t.Errorf("doc %d: %v, %d bytes", i, b, len(d.Data))
		}
	}
	t.Logf("uploaded %d stills, e.g. %v", len(got), want[0].still)
}

func abs(v int) int { return max(v, -v) }
