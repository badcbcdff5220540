package outbox

import (
	"container/heap"
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/internal/bounded"
	"github.com/signet-kiosk/signet/internal/redact"
)

// Defaults for Options left zero.
const (
	DefaultMaxItems       = 500
	DefaultMaxBytes       = 512 << 20
	DefaultMaxAge         = 23 * time.Hour
	DefaultMaxItemBytes   = 32 << 20
	DefaultDeliverTimeout = 2 * time.Minute
	DefaultExpireEvery    = time.Minute
	// DefaultBackoffBase and DefaultBackoffCap shape the waits between
	// background attempts: longer than an interactive client's, since nobody
	// is waiting, and capped so a recovered server is noticed within minutes.
	DefaultBackoffBase = 2 * time.Second
	DefaultBackoffCap  = 5 * time.Minute
)

// Sub-directories of the queue directory.
const (
	queueDir      = "queue"
	deadDir       = "dead"
	quarantineDir = "quarantine"
	itemExt       = ".item"
)

// ErrFull is what Enqueue returns, inside a *FullError, when accepting the
// item would exceed the queue's bounds. The kiosk tells the guest that the
// submission could not be kept and asks them to see staff.
var ErrFull = errors.New("outbox: full")

// ErrClosed is returned by Enqueue after Close.
var ErrClosed = errors.New("outbox: closed")

// ErrTooLarge means one payload alone exceeds Options.MaxItemBytes.
var ErrTooLarge = errors.New("outbox: item too large")

// ErrLocked means another process has the queue open.
var ErrLocked = errors.New("outbox: queue is in use by another process")

// ErrNotFound means no dead item has the given id.
var ErrNotFound = errors.New("outbox: no such item")

// FullError says which bound Enqueue would have exceeded. errors.Is(err,
// ErrFull) holds for it.
type FullError struct {
	Items, MaxItems int
	Bytes, MaxBytes int64
}

func (e *FullError) Error() string {
	return fmt.Sprintf("outbox: full: %d of %d items, %d of %d bytes in use", e.Items, e.MaxItems, e.Bytes, e.MaxBytes)
}

// Is makes errors.Is(err, ErrFull) true.
func (e *FullError) Is(target error) bool { return target == ErrFull }

// Options configure a queue. Only Key is required.
type Options struct {
	Key Key
	// Deliverer sends items; with none, the worker only expires old items.
	Deliverer Deliverer
	// MaxItems and MaxBytes bound what is kept on disk, queued and dead
	// together (dead items count until staff discards them or they expire).
	MaxItems int
	MaxBytes int64
	// MaxAge is how long an item is kept, delivered or not (default 23 h:
	// StoRegister drops a saved signature after a day).
	MaxAge time.Duration
	// MaxItemBytes bounds one payload.
	MaxItemBytes int64
	// Workers is the number of concurrent deliveries (default 1).
	Workers int
	// DeliverTimeout bounds one delivery attempt.
	DeliverTimeout time.Duration
	// Backoff shapes the wait after each transient failure through its
	// Backoff method (exponential, full jitter, capped). Default: base 2 s,
	// cap 5 min. A server's Retry-After wins when longer.
	Backoff *retry.Policy
	// ExpireEvery is how often old items are looked for (default 1 min).
	ExpireEvery time.Duration
	Clock       Clock
	Logger      *slog.Logger
	// KeySource names where Key came from, for the message that refuses
	// to open a queue whose items it cannot read: "the key in
	// SIGNET_OUTBOX_KEY", "the key file /var/lib/signet/outbox.key".
	KeySource string
	// KeepForeign opens the queue even when items in it are sealed with
	// another key, for the operator's tools: those items stay where they
	// are, untouched, listed by Items as "other_key", and may be discarded.
	// Without it Open refuses such a queue with a *KeyError.
	KeepForeign bool
	// OnEvent, if set, is told of every change: called from the worker,
	// outside any lock, so it must not block for long.
	OnEvent func(Event)
}

// EventType names what happened to an item.
type EventType int

// Event types.
const (
	Enqueued EventType = iota
	Delivered
	Retrying
	Dead
	Expired
	Quarantined
	Discarded
)

var eventNames = [...]string{"enqueued", "delivered", "retrying", "dead", "expired", "quarantined", "discarded"}

func (t EventType) String() string {
	if int(t) < len(eventNames) {
		return eventNames[t]
	}
	return fmt.Sprintf("event(%d)", int(t))
}

// Event reports one change. It carries no personal data.
type Event struct {
	Type    EventType
	ID      string
	Kind    Kind
	Created time.Time
	Attempt int
	// Code is the failure code (Retrying, Dead) or the reason (Quarantined).
	Code string
	// Wait is the time until the next attempt (Retrying).
	Wait time.Duration
}

// Removed is an item the queue dropped without delivering it.
type Removed struct {
	ID      string
	Kind    Kind
	Created time.Time
	Removed time.Time
	// Reason is "expired" or "discarded".
	Reason string
}

// DeadItem is an item the remote side refused for good. It shows what staff
// needs and nothing personal.
type DeadItem struct {
	ID      string
	Kind    Kind
	Created time.Time
	Failed  time.Time
	Code    string
}

// Stats is a snapshot of the queue for the staff console.
type Stats struct {
	// Depth is the number of items waiting to be delivered.
	Depth int
	// InFlight is how many of them are being delivered now.
	InFlight int
	// Bytes is the disk space used by queued and dead items.
	Bytes              int64
	MaxItems           int
	MaxBytes           int64
	Oldest             time.Time
	OldestAge          time.Duration
	Delivered, Retries uint64
	// LastCode is the code of the latest failed attempt.
	LastCode string
	// PausedUntil is set while a server's Retry-After holds deliveries.
	PausedUntil time.Time
	Dead        []DeadItem
	// Removed lists the most recent items dropped undelivered, newest last.
	Removed      []Removed
	RemovedTotal uint64
	// Quarantined counts files set aside as unreadable.
	Quarantined int
}

const keepRemoved = 100

type entry struct {
	id       itemID
	kind     Kind
	created  time.Time
	size     int64
	failures int // failed attempts in this process: the backoff's step
	next     time.Time
	index    int // in the heap; -1 while in flight
	// attempts, code and failed are the item's stored record of failed
	// attempts, across restarts.
	attempts uint16
	code     string
	failed   time.Time
}

type deadEntry struct {
	DeadItem
	size     int64
	attempts uint16
}

// Outbox is a durable, encrypted queue. All methods are safe for concurrent use.
type Outbox struct {
	dir   string
	opts  Options
	aead  cipher.AEAD
	keyID [4]byte
	clock Clock
	log   *slog.Logger

	mu          sync.Mutex
	queue       map[itemID]*entry
	due         entryHeap
	dead        map[itemID]*deadEntry
	foreign     map[itemID]*foreignEntry
	bytes       int64
	resItems    int
	resBytes    int64
	inflight    int
	delivered   uint64
	retries     uint64
	lastCode    string
	pausedUntil time.Time
	nextExpiry  time.Time
	removed     []Removed
	removedN    uint64
	quarantined int
	started     bool
	closed      bool
	lock        io.Closer

	wake   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Dir is the queue's directory inside the state directory.
const Dir = "outbox"

// OpenIn opens the queue in stateDir (stateDir/outbox), creating it if
// needed, with the configured key, or without one the key file
// stateDir/outbox.key, generated on first use (see LoadKey). It refuses,
// with a *KeyError, a queue whose items the key cannot open. The bounds
// and everything else come from opts; an empty opts.KeySource names the
// key file, or "the configured key". The wiring passes what the
// configuration holds: this package reads none.
func OpenIn(stateDir string, configured redact.Secret, opts Options) (*Outbox, error) {
	key, generated, err := LoadKey(stateDir, configured)
	if err != nil {
		return nil, err
	}
	if generated && opts.Logger != nil {
		opts.Logger.Info("outbox: generated a new key", "file", filepath.Join(stateDir, KeyFile))
	}
	opts.Key = key
	if opts.KeySource == "" {
		opts.KeySource = "the configured key"
		if configured.IsZero() {
			opts.KeySource = "the key file " + filepath.Join(stateDir, KeyFile)
		}
	}
	return Open(filepath.Join(stateDir, Dir), opts)
}

// Open loads the queue in dir, creating it if needed. Unreadable files are
// moved to dir/quarantine and reported; they never make Open fail. Items
// sealed with another key are not unreadable: they wait for their key, and
// Open refuses to start with a *KeyError (errors.Is ErrKeyMismatch) that
// counts them, changing nothing, unless opts.KeepForeign. Open does not
// deliver anything until Start.
func Open(dir string, opts Options) (*Outbox, error) {
	if opts.MaxItems <= 0 {
		opts.MaxItems = DefaultMaxItems
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultMaxAge
	}
	if opts.MaxItemBytes <= 0 {
		opts.MaxItemBytes = DefaultMaxItemBytes
	}
	if opts.Workers <= 0 {
		opts.Workers = 1
	}
	if opts.DeliverTimeout <= 0 {
		opts.DeliverTimeout = DefaultDeliverTimeout
	}
	if opts.ExpireEvery <= 0 {
		opts.ExpireEvery = DefaultExpireEvery
	}
	if opts.Backoff == nil {
		opts.Backoff = &retry.Policy{Base: DefaultBackoffBase, Cap: DefaultBackoffCap}
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = redact.Discard()
	}
	aead, err := opts.Key.aead()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: open: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	keyID := opts.Key.id()
	if total, foreign := scanSealed(dir, &keyID); foreign > 0 && !opts.KeepForeign {
		lock.Close()
		return nil, &KeyError{Source: opts.KeySource, Dir: dir, Waiting: foreign, Total: total}
	}
	for _, sub := range []string{queueDir, deadDir, quarantineDir} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			lock.Close()
			return nil, fmt.Errorf("outbox: open: %w", err)
		}
	}
	// Make the directories themselves durable, not only the files that
	// will be renamed into them.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := syncDir(d); err != nil {
			lock.Close()
			return nil, err
		}
	}
	o := &Outbox{
		dir:     dir,
		opts:    opts,
		aead:    aead,
		keyID:   keyID,
		clock:   opts.Clock,
		log:     opts.Logger,
		queue:   map[itemID]*entry{},
		dead:    map[itemID]*deadEntry{},
		foreign: map[itemID]*foreignEntry{},
		wake:    make(chan struct{}, opts.Workers),
		lock:    lock,
	}
	o.ctx, o.cancel = context.WithCancel(context.Background())
	var evs []Event
	evs = append(evs, o.load(deadDir, stateDead)...)
	evs = append(evs, o.load(queueDir, stateQueued)...)
	o.countQuarantine()
	o.emit(evs)
	return o, nil
}

// load reads every file of one sub-directory into memory, quarantining what
// cannot be read. Only headers are kept; payloads are read again to deliver.
func (o *Outbox) load(sub string, state byte) []Event {
	dir := filepath.Join(o.dir, sub)
	des, err := os.ReadDir(dir)
	if err != nil {
		o.log.Error("outbox: cannot list directory", "dir", dir, "err", err)
		return nil
	}
	var evs []Event
	for _, de := range des {
		name := de.Name()
		if isTemp(name) {
			// Torn before its rename: never accepted, so never reported accepted.
			if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
				o.log.Warn("outbox: cannot remove a torn temporary file", "err", err)
			}
			continue
		}
		h, size, reason := o.check(dir, name, de, state)
		if reason == "" && state == stateQueued {
			if _, isDead := o.dead[h.id]; isDead {
				// A crash between writing the dead copy and removing this one.
				if err := removeDurable(dir, name); err != nil {
					o.log.Warn("outbox: cannot remove a dead item's queued copy", "err", err)
				}
				continue
			}
		}
		if reason == "other_key" && o.opts.KeepForeign && h.id.String()+itemExt == name {
			// Waiting for its own key: left exactly where it is.
			o.foreign[h.id] = &foreignEntry{sub: sub, h: h}
			continue
		}
		if reason != "" {
			evs = append(evs, o.quarantine(sub, name, reason))
			continue
		}
		o.bytes += size
		if state == stateDead {
			o.dead[h.id] = &deadEntry{DeadItem{ID: h.id.String(), Kind: h.kind, Created: h.created, Failed: h.failed, Code: h.code}, size, h.attempts}
			continue
		}
		e := &entry{id: h.id, kind: h.kind, created: h.created, size: size, next: h.created,
			attempts: h.attempts, code: h.code, failed: h.failed}
		o.queue[h.id] = e
		heap.Push(&o.due, e)
	}
	return evs
}

// check returns why a directory entry is not a readable item of the given
// state, or "" with its header and size.
func (o *Outbox) check(dir, name string, de os.DirEntry, state byte) (header, int64, string) {
	var h header
	if !de.Type().IsRegular() {
		return h, 0, "not_a_file"
	}
	id, ok := parseItemID(strings.TrimSuffix(name, itemExt))
	if !ok || !strings.HasSuffix(name, itemExt) {
		return h, 0, "bad_name"
	}
	b, err := bounded.ReadFile(filepath.Join(dir, name), o.maxFileSize())
	if err != nil {
		return h, 0, reasonOf(err)
	}
	h, plain, err := open(o.aead, o.keyID, b)
	clear(plain) // only its authenticity matters here
	if errors.Is(err, ErrOtherKey) && (h.id != id || h.state != state) {
		// Not an item waiting for its key: one renamed or moved by hand.
		return h, 0, "misplaced"
	}
	if err != nil {
		return h, 0, reasonOf(err)
	}
	if h.id != id || h.state != state {
		return h, 0, "misplaced"
	}
	return h, int64(len(b)), ""
}

func (o *Outbox) maxFileSize() int64 {
	return o.opts.MaxItemBytes + fixedHeader + MaxKindLen + maxCodeLen + 2 + nonceLen + tagLen
}

func reasonOf(err error) string {
	switch {
	case errors.Is(err, ErrOtherKey):
		return "other_key"
	case errors.Is(err, ErrVersion):
		return "unknown_version"
	case errors.Is(err, ErrCorrupt):
		return "corrupt"
	case errors.Is(err, bounded.ErrTooLarge):
		return "too_large"
	default:
		return "unreadable"
	}
}

// quarantine moves sub/name aside. It never fails: if even the move fails,
// the file is left where it is and skipped.
func (o *Outbox) quarantine(sub, name, reason string) Event {
	from := filepath.Join(o.dir, sub)
	to := filepath.Join(o.dir, quarantineDir)
	qname := fmt.Sprintf("%s-%s-%s", o.clock.Now().UTC().Format(quarantineStamp), sub, safeName(name))
	if err := os.Rename(filepath.Join(from, name), filepath.Join(to, qname)); err != nil {
		o.log.Error("outbox: cannot quarantine an unreadable file", "dir", sub, "reason", reason, "err", err)
	} else {
		_ = syncDir(to)
		_ = syncDir(from)
	}
	o.quarantined++
	id := ""
	if pid, ok := parseItemID(strings.TrimSuffix(name, itemExt)); ok {
		id = pid.String()
	}
	return Event{Type: Quarantined, ID: id, Code: reason}
}

// safeName keeps a recognisable, harmless part of a foreign file name.
func safeName(name string) string {
	b := make([]byte, 0, 40)
	for i := 0; i < len(name) && len(b) < 40; i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' {
			b = append(b, c)
		} else {
			b = append(b, '_')
		}
	}
	return string(b)
}

// countQuarantine counts quarantined files, removing those older than MaxAge:
// whatever they hold is encrypted, but there is no reason to keep it longer
// than the items themselves.
func (o *Outbox) countQuarantine() {
	dir := filepath.Join(o.dir, quarantineDir)
	des, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	now := o.clock.Now()
	o.quarantined = 0
	for _, de := range des {
		// Its age is on the queue's clock, stamped into the name when it was
		// set aside; the file's time is the wall clock's, which the queue's
		// clock need not follow.
		at, ok := quarantinedAt(de.Name())
		if !ok {
			if fi, err := de.Info(); err == nil {
				at, ok = fi.ModTime(), true
			}
		}
		if ok && now.Sub(at) > o.opts.MaxAge {
			if os.RemoveAll(filepath.Join(dir, de.Name())) == nil {
				continue
			}
		}
		o.quarantined++
	}
}

// Enqueue encrypts payload and stores it durably; when it returns nil the
// item survives a crash and will be delivered or reported. It refuses with
// a *FullError (errors.Is ErrFull) when the queue's bounds would be exceeded.
// It returns the item's random id.
func (o *Outbox) Enqueue(ctx context.Context, kind Kind, payload []byte) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := kind.Validate(); err != nil {
		return "", err
	}
	if int64(len(payload)) > o.opts.MaxItemBytes {
		return "", fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(payload), o.opts.MaxItemBytes)
	}
	id, err := newItemID()
	if err != nil {
		return "", err
	}
	h := header{state: stateQueued, keyID: o.keyID, id: id, created: o.clock.Now(), kind: kind}
	data, err := seal(o.aead, &h, payload)
	if err != nil {
		return "", err
	}
	size := int64(len(data))

	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return "", ErrClosed
	}
	items := len(o.queue) + len(o.dead) + o.resItems
	bytes := o.bytes + o.resBytes
	if items+1 > o.opts.MaxItems || bytes+size > o.opts.MaxBytes {
		o.mu.Unlock()
		return "", &FullError{Items: items, MaxItems: o.opts.MaxItems, Bytes: bytes, MaxBytes: o.opts.MaxBytes}
	}
	o.resItems++
	o.resBytes += size
	o.mu.Unlock()

	err = writeAtomic(filepath.Join(o.dir, queueDir), id.String()+itemExt, data)

	o.mu.Lock()
	o.resItems--
	o.resBytes -= size
	if err == nil {
		e := &entry{id: id, kind: kind, created: h.created, size: size, next: h.created}
		o.queue[id] = e
		o.bytes += size
		heap.Push(&o.due, e)
	}
	o.mu.Unlock()
	if err != nil {
		return "", err
	}
	o.poke()
	o.emit([]Event{{Type: Enqueued, ID: id.String(), Kind: kind, Created: h.created}})
	return id.String(), nil
}

// poke wakes one idle worker.
func (o *Outbox) poke() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Stats returns a snapshot for the staff console.
func (o *Outbox) Stats() Stats {
	now := o.clock.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	s := Stats{
		Depth:        len(o.queue),
		InFlight:     o.inflight,
		Bytes:        o.bytes,
		MaxItems:     o.opts.MaxItems,
		MaxBytes:     o.opts.MaxBytes,
		Delivered:    o.delivered,
		Retries:      o.retries,
		LastCode:     o.lastCode,
		Removed:      append([]Removed(nil), o.removed...),
		RemovedTotal: o.removedN,
		Quarantined:  o.quarantined,
	}
	if o.pausedUntil.After(now) {
		s.PausedUntil = o.pausedUntil
	}
	for _, e := range o.queue {
		if s.Oldest.IsZero() || e.created.Before(s.Oldest) {
			s.Oldest = e.created
		}
	}
	if !s.Oldest.IsZero() {
		s.OldestAge = now.Sub(s.Oldest)
	}
	for _, d := range o.dead {
		s.Dead = append(s.Dead, d.DeadItem)
	}
	sortDead(s.Dead)
	return s
}

func sortDead(d []DeadItem) {
	// Oldest first; insertion sort is plenty for a list staff reads.
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && d[j].Created.Before(d[j-1].Created); j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
}

// Discard deletes a dead item, for staff who have dealt with it. For the
// operator it also deletes a queued item that is not being delivered
// (ErrBusy if it is), an item sealed with another key (Options.KeepForeign)
// and a quarantined one.
func (o *Outbox) Discard(id string) error {
	pid, ok := parseItemID(id)
	if !ok {
		return ErrNotFound
	}
	o.mu.Lock()
	d, ok := o.dead[pid]
	o.mu.Unlock()
	if !ok {
		found, err := o.discardOther(pid)
		if err == nil && !found {
			err = ErrNotFound
		}
		return err
	}
	if err := removeDurable(filepath.Join(o.dir, deadDir), id+itemExt); err != nil {
		return err
	}
	now := o.clock.Now()
	o.mu.Lock()
	if _, still := o.dead[pid]; still {
		delete(o.dead, pid)
		o.bytes -= d.size
		o.noteRemoved(Removed{ID: id, Kind: d.Kind, Created: d.Created, Removed: now, Reason: "discarded"})
	}
	o.mu.Unlock()
	o.emit([]Event{{Type: Discarded, ID: id, Kind: d.Kind, Created: d.Created, Code: d.Code}})
	return nil
}

// Requeue moves a dead item back to the queue for another round of
// delivery, for staff who have fixed what made it fail (a booking, a key).
// Its age is kept: it still expires MaxAge after it was first accepted.
func (o *Outbox) Requeue(id string) error {
	pid, ok := parseItemID(id)
	if !ok {
		return ErrNotFound
	}
	o.mu.Lock()
	d, ok := o.dead[pid]
	closed := o.closed
	o.mu.Unlock()
	if !ok {
		return ErrNotFound
	}
	if closed {
		return ErrClosed
	}
	name := id + itemExt
	b, err := bounded.ReadFile(filepath.Join(o.dir, deadDir, name), o.maxFileSize())
	if err != nil {
		return fmt.Errorf("outbox: requeue: %w", err)
	}
	h, payload, err := open(o.aead, o.keyID, b)
	if err != nil {
		return fmt.Errorf("outbox: requeue: %w", err)
	}
	defer clear(payload)
	// The refusal stays the item's last error until a new attempt fails.
	h.state = stateQueued
	data, err := seal(o.aead, &h, payload)
	if err != nil {
		return err
	}
	// Queue copy first, then drop the dead one: a crash in between leaves
	// both, and Open keeps the dead one, so staff can simply try again.
	if err := writeAtomic(filepath.Join(o.dir, queueDir), name, data); err != nil {
		return err
	}
	if err := removeDurable(filepath.Join(o.dir, deadDir), name); err != nil {
		return err
	}
	e := &entry{id: pid, kind: h.kind, created: h.created, size: int64(len(data)), next: o.clock.Now(),
		attempts: h.attempts, code: h.code, failed: h.failed}
	o.mu.Lock()
	delete(o.dead, pid)
	o.bytes += e.size - d.size
	o.queue[pid] = e
	heap.Push(&o.due, e)
	o.mu.Unlock()
	o.poke()
	return nil
}

// noteRemoved records a removal; o.mu is held.
func (o *Outbox) noteRemoved(r Removed) {
	o.removedN++
	o.removed = append(o.removed, r)
	if len(o.removed) > keepRemoved {
		o.removed = append(o.removed[:0], o.removed[len(o.removed)-keepRemoved:]...)
	}
}

// Start launches the background workers. Calling it again does nothing.
func (o *Outbox) Start() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.started || o.closed {
		return
	}
	o.started = true
	for range o.opts.Workers {
		o.wg.Add(1)
		go o.work(o.ctx)
	}
}

// Close stops the workers, interrupting deliveries in flight (those items
// stay queued and are sent again later), and waits for them to return. It
// is safe to call more than once. It releases the queue for another process.
func (o *Outbox) Close() error {
	o.mu.Lock()
	was := o.closed
	o.closed = true
	o.mu.Unlock()
	o.cancel()
	o.wg.Wait()
	if was {
		return nil
	}
	return o.lock.Close()
}

// emit logs events and passes them to OnEvent; o.mu must not be held.
func (o *Outbox) emit(evs []Event) {
	for _, ev := range evs {
		attrs := []any{"event", ev.Type.String(), "id", ev.ID, "kind", string(ev.Kind)}
		switch ev.Type {
		case Enqueued, Delivered:
			o.log.Debug("outbox: "+ev.Type.String(), attrs...)
		case Retrying:
			o.log.Debug("outbox: delivery failed, will retry", append(attrs, "attempt", ev.Attempt, "code", ev.Code, "wait", ev.Wait)...)
		case Dead:
			o.log.Warn("outbox: item refused for good, moved to the dead-letter list", append(attrs, "code", ev.Code, "created", ev.Created)...)
		case Expired:
			o.log.Warn("outbox: item expired undelivered and was removed", append(attrs, "created", ev.Created)...)
		case Quarantined:
			o.log.Warn("outbox: unreadable file moved to quarantine", append(attrs, "reason", ev.Code)...)
		case Discarded:
			o.log.Info("outbox: dead item discarded by staff", attrs...)
		}
		if o.opts.OnEvent != nil {
			o.opts.OnEvent(ev)
		}
	}
}

// entryHeap orders queued items by next attempt, then by age.
type entryHeap []*entry

func (h entryHeap) Len() int { return len(h) }
func (h entryHeap) Less(i, j int) bool {
	if !h[i].next.Equal(h[j].next) {
		return h[i].next.Before(h[j].next)
	}
	return h[i].created.Before(h[j].created)
}
func (h entryHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *entryHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *entryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.index = -1
	return e
}
