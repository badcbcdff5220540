package staff

import (
	"context"
	"time"

	"github.com/signet-kiosk/signet/client/mews"
	"github.com/signet-kiosk/signet/outbox"
)

// probeTimeout bounds each health probe.
const probeTimeout = 10 * time.Second

// zeroGUID is a customer id no one has: customers/getAll with it is a
// harmless, uncached round trip to Mews.
const zeroGUID = "00000000-0000-0000-0000-000000000000"

// Health is what the health screen shows; its probes fill it in.
type Health struct {
	ctx    context.Context
	cancel context.CancelFunc

	StoRegister, Mews Probe
	// FPS is the camera's frame rate over the last Tick.
	FPS    float64
	frames int64
	at     time.Time
}

// Probe is the answer to one harmless request: Done once it is in; Err is
// the failure, else Took is how long the answer took. NotConfigured: there
// is no such service; NotChecked: nothing to ask it with.
type Probe struct {
	Done, NotConfigured, NotChecked bool
	Err                             error
	Took                            time.Duration
}

// OK reports whether the service answered.
func (p Probe) OK() bool { return p.Done && !p.NotConfigured && !p.NotChecked && p.Err == nil }

// NewHealth is a health screen with these answers, for tests.
func NewHealth(storegister, mews Probe) *Health {
	h := newHealth()
	h.StoRegister, h.Mews = storegister, mews
	return h
}

func newHealth() *Health {
	ctx, cancel := context.WithCancel(context.Background())
	return &Health{ctx: ctx, cancel: cancel}
}

// ShowHealth opens the health screen and asks both APIs something
// harmless: booking, a booking's document types at StoRegister ("" asks
// nothing), and a customer no one is at Mews.
func (s *Session) ShowHealth(booking string) {
	s.StopHealth()
	s.Customer, s.Form, s.Problem, s.Notice = nil, nil, Note{}, Note{}
	h := newHealth()
	s.Health = h
	ctx := h.ctx
	svc, mc := s.o.Booking, s.o.Mews
	s.probe(ctx, h, func(h *Health, p Probe) { h.StoRegister = p }, func(ctx context.Context) (Probe, error) {
		switch {
		case svc == nil:
			return Probe{NotConfigured: true}, nil
		case booking == "":
			return Probe{NotChecked: true}, nil
		}
		_, err := svc.IdentityDocumentTypes(ctx, booking)
		return Probe{}, err
	})
	s.probe(ctx, h, func(h *Health, p Probe) { h.Mews = p }, func(ctx context.Context) (Probe, error) {
		if mc == nil {
			return Probe{NotConfigured: true}, nil
		}
		_, err := mc.Customers.Find(ctx, mews.CustomerFilter{CustomerIDs: []string{zeroGUID}})
		return Probe{}, err
	})
}

// probe runs ask off the UI goroutine and sets its answer on h while h is
// shown.
func (s *Session) probe(ctx context.Context, h *Health, set func(*Health, Probe), ask func(context.Context) (Probe, error)) {
	go func() {
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		start := time.Now()
		p, err := ask(pctx)
		p.Took, p.Err, p.Done = time.Since(start), err, true
		cancel()
		s.o.Do(func() {
			if s.Health == h {
				set(h, p)
				s.changed()
			}
		})
	}()
}

// StopHealth closes the health screen.
func (s *Session) StopHealth() {
	if s.Health != nil {
		s.Health.cancel()
		s.Health = nil
	}
}

// Done is closed when the health screen is closed: what refreshes it stops.
func (h *Health) Done() <-chan struct{} { return h.ctx.Done() }

// Tick takes the camera's frame count at now and works out the frame rate
// since the last Tick.
func (h *Health) Tick(frames int64, now time.Time) {
	if !h.at.IsZero() {
		h.FPS = float64(frames-h.frames) / now.Sub(h.at).Seconds()
	}
	h.frames, h.at = frames, now
}

// Queue is the outbox as the health screen shows it.
type Queue struct {
	Stats outbox.Stats
	// Dead is how many items will not be delivered; NeedStaff how many of
	// them are Mews records waiting for staff to choose the customer.
	Dead, NeedStaff int
}

// OK reports whether nothing is stuck.
func (q Queue) OK() bool { return q.Dead == 0 }

// QueueOf sums up the outbox for the health screen.
func QueueOf(ob *outbox.Outbox) Queue {
	q := Queue{Stats: ob.Stats()}
	q.Dead = len(q.Stats.Dead)
	for _, d := range q.Stats.Dead {
		if d.Kind == outbox.KindMewsNeedsStaff || outbox.NeedsStaff(d.Code) {
			q.NeedStaff++
		}
	}
	return q
}
