package outbox

import (
	"container/heap"
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/signet-kiosk/signet/internal/bounded"
)

// work is one worker: take the next due item, deliver it, repeat; between
// items wait on the clock, a poke from Enqueue, or Close.
func (o *Outbox) work(ctx context.Context) {
	defer o.wg.Done()
	for ctx.Err() == nil {
		e, until, evs := o.next()
		o.emit(evs)
		if e != nil {
			o.deliver(ctx, e)
			continue
		}
		t := o.clock.TimerAt(until)
		select {
		case <-ctx.Done():
		case <-o.wake:
		case <-t.C():
		}
		t.Stop()
	}
}

// next expires what is due for expiry, then pops the next item due for
// delivery; with none due it returns the time to wait until.
func (o *Outbox) next() (*entry, time.Time, []Event) {
	now := o.clock.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	var evs []Event
	if !now.Before(o.nextExpiry) {
		evs = o.expire(now)
		o.nextExpiry = now.Add(o.opts.ExpireEvery)
	}
	until := o.nextExpiry
	if o.opts.Deliverer != nil && len(o.due) > 0 {
		at := o.due[0].next
		if o.pausedUntil.After(at) {
			at = o.pausedUntil
		}
		if !at.After(now) {
			e := heap.Pop(&o.due).(*entry)
			o.inflight++
			return e, time.Time{}, evs
		}
		if at.Before(until) {
			until = at
		}
	}
	return nil, until, evs
}

// expire removes queued and dead items older than MaxAge; o.mu is held.
// Items in flight are left to their delivery and looked at next time. Each
// directory is synced once after its removals, so that expiring many items
// does not hold the lock for one fsync each.
func (o *Outbox) expire(now time.Time) []Event {
	var evs []Event
	cutoff := now.Add(-o.opts.MaxAge)
	drop := func(sub string, id itemID, kind Kind, created time.Time, size int64) bool {
		err := os.Remove(filepath.Join(o.dir, sub, id.String()+itemExt))
		if err != nil && !os.IsNotExist(err) {
			o.log.Error("outbox: cannot remove an expired item", "id", id.String(), "err", err)
			return false
		}
		o.bytes -= size
		o.noteRemoved(Removed{ID: id.String(), Kind: kind, Created: created, Removed: now, Reason: "expired"})
		evs = append(evs, Event{Type: Expired, ID: id.String(), Kind: kind, Created: created})
		return true
	}
	synced := len(evs)
	for id, e := range o.queue {
		if e.index >= 0 && e.created.Before(cutoff) && drop(queueDir, id, e.kind, e.created, e.size) {
			heap.Remove(&o.due, e.index)
			delete(o.queue, id)
		}
	}
	if len(evs) > synced {
		o.syncOrLog(queueDir)
		synced = len(evs)
	}
	for id, d := range o.dead {
		if d.Created.Before(cutoff) && drop(deadDir, id, d.Kind, d.Created, d.size) {
			delete(o.dead, id)
		}
	}
	if len(evs) > synced {
		o.syncOrLog(deadDir)
	}
	return evs
}

// syncOrLog makes removals in sub durable. Failing that, a removed item
// may come back after a power cut, to be expired again: worth a log line,
// not more.
func (o *Outbox) syncOrLog(sub string) {
	if err := syncDir(filepath.Join(o.dir, sub)); err != nil {
		o.log.Error("outbox: cannot sync after expiring items", "dir", sub, "err", err)
	}
}

// deliver makes one attempt at e, which next took out of the heap.
func (o *Outbox) deliver(ctx context.Context, e *entry) {
	name := e.id.String() + itemExt
	qdir := filepath.Join(o.dir, queueDir)
	b, err := bounded.ReadFile(filepath.Join(qdir, name), o.maxFileSize())
	var h header
	var payload []byte
	if err == nil {
		h, payload, err = open(o.aead, o.keyID, b)
	}
	if err != nil {
		// Changed or gone under our feet: set it aside, never stop the queue.
		var evs []Event
		switch {
		case errors.Is(err, os.ErrNotExist):
			o.log.Error("outbox: a queued item's file disappeared", "id", e.id.String())
		case errors.Is(err, ErrOtherKey):
			// Replaced under our feet by an item of another key: not bad
			// bytes, so it stays where it is and the next start refuses
			// until its key is given.
			o.log.Error("outbox: a queued item was replaced by one sealed with another key; left in place", "id", e.id.String())
		default:
			evs = append(evs, o.quarantine(queueDir, name, reasonOf(err)))
		}
		o.mu.Lock()
		o.inflight--
		delete(o.queue, e.id)
		o.bytes -= e.size
		o.mu.Unlock()
		o.emit(evs)
		return
	}
	it := Item{ID: e.id.String(), Kind: h.kind, Created: h.created, Attempt: e.failures + 1, Payload: payload}
	dctx, cancel := context.WithTimeout(ctx, o.opts.DeliverTimeout)
	err = o.opts.Deliverer.Deliver(dctx, it)
	cancel()
	defer clear(payload) // the plaintext lives no longer than this attempt

	if err == nil {
		if rerr := removeDurable(qdir, name); rerr != nil {
			// It will be delivered again after a restart: at least once.
			o.log.Error("outbox: cannot remove a delivered item", "id", it.ID, "err", rerr)
		}
		o.mu.Lock()
		o.inflight--
		delete(o.queue, e.id)
		o.bytes -= e.size
		o.delivered++
		o.mu.Unlock()
		o.emit([]Event{{Type: Delivered, ID: it.ID, Kind: it.Kind, Created: it.Created, Attempt: it.Attempt}})
		return
	}
	if ctx.Err() != nil {
		// Close interrupted it: no verdict, it is simply still queued.
		o.requeue(e, o.clock.Now())
		return
	}
	v := o.opts.Deliverer.Classify(err)
	code := sanitizeCode(v.Code)
	now := o.clock.Now()
	if v.Class == Permanent {
		derr := o.bury(e, h, payload, code, now)
		if derr == nil {
			return
		}
		o.log.Error("outbox: cannot move a refused item to the dead-letter list; will try again", "id", it.ID, "err", derr)
	}
	e.failures++
	o.record(e, h, payload, code, now)
	wait := o.opts.Backoff.Backoff(e.failures)
	if v.RetryAfter > wait {
		wait = v.RetryAfter
	}
	o.mu.Lock()
	o.retries++
	o.lastCode = code
	if v.RetryAfter > 0 {
		if until := now.Add(v.RetryAfter); until.After(o.pausedUntil) {
			o.pausedUntil = until
		}
	}
	o.mu.Unlock()
	o.requeue(e, now.Add(wait))
	o.emit([]Event{{Type: Retrying, ID: it.ID, Kind: it.Kind, Created: it.Created, Attempt: it.Attempt, Code: code, Wait: wait}})
}

// record writes the failed attempt into the queued item, so that the count
// of attempts and the last error outlive a restart. A failure to write only
// loses that record: the item itself is unchanged.
func (o *Outbox) record(e *entry, h header, payload []byte, code string, now time.Time) {
	h.attempts, h.code, h.failed = addAttempt(e.attempts), code, now
	data, err := seal(o.aead, &h, payload)
	if err == nil {
		err = writeAtomic(filepath.Join(o.dir, queueDir), e.id.String()+itemExt, data)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	e.attempts, e.code, e.failed = h.attempts, code, now
	if err != nil {
		o.log.Warn("outbox: cannot record a failed attempt in the item", "id", e.id.String(), "err", err)
		return
	}
	o.bytes += int64(len(data)) - e.size
	e.size = int64(len(data))
}

// addAttempt counts one more failed attempt, saturating.
func addAttempt(n uint16) uint16 {
	if n == ^uint16(0) {
		return n
	}
	return n + 1
}

func (o *Outbox) requeue(e *entry, next time.Time) {
	o.mu.Lock()
	o.inflight--
	e.next = next
	heap.Push(&o.due, e)
	o.mu.Unlock()
	o.poke()
}

// bury moves a refused item to the dead-letter list: write the dead copy
// durably, then remove the queued one. A crash in between leaves both, and
// Open keeps the dead one.
func (o *Outbox) bury(e *entry, h header, payload []byte, code string, now time.Time) error {
	name := e.id.String() + itemExt
	h.state, h.failed, h.code, h.attempts = stateDead, now, code, addAttempt(e.attempts)
	data, err := seal(o.aead, &h, payload)
	if err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(o.dir, deadDir), name, data); err != nil {
		return err
	}
	if err := removeDurable(filepath.Join(o.dir, queueDir), name); err != nil {
		o.log.Error("outbox: cannot remove a dead item's queued copy", "id", e.id.String(), "err", err)
	}
	d := &deadEntry{DeadItem{ID: e.id.String(), Kind: h.kind, Created: h.created, Failed: now, Code: code}, int64(len(data)), h.attempts}
	o.mu.Lock()
	o.inflight--
	delete(o.queue, e.id)
	o.bytes += d.size - e.size
	o.dead[e.id] = d
	o.lastCode = code
	o.mu.Unlock()
	o.emit([]Event{{Type: Dead, ID: d.ID, Kind: d.Kind, Created: d.Created, Attempt: e.failures + 1, Code: code}})
	return nil
}
