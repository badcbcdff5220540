package outbox

import (
	"container/heap"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/internal/bounded"
	"github.com/signet-kiosk/signet/internal/redact"
)

// OpenExisting opens the queue in stateDir for the operator's tools.
// Unlike OpenIn it creates nothing that is not there: with no queue
// directory it returns nil and no error, and it never generates a key. It
// refuses (ErrOwner) a queue owned by another user than the process's. With
// no key at all (none configured, no key file) it refuses a queue that holds
// items, as LoadKey does, unless opts.KeepForeign, in which case a
// throwaway key that opens nothing lets them be listed and discarded.
func OpenExisting(stateDir string, configured redact.Secret, opts Options) (*Outbox, error) {
	dir := filepath.Join(stateDir, Dir)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err := checkOwner(dir); err != nil {
		return nil, err
	}
	if configured.IsZero() {
		path := filepath.Join(stateDir, KeyFile)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			n, _ := scanSealed(dir, nil)
			if n > 0 && !opts.KeepForeign {
				return nil, &KeyError{Source: "the key file " + path, Dir: dir, Waiting: n, Total: n, Missing: true}
			}
			k, err := NewKey()
			if err != nil {
				return nil, err
			}
			opts.Key, opts.KeySource = k, "the key file "+path+" (missing)"
			return Open(dir, opts)
		}
	}
	return OpenIn(stateDir, configured, opts)
}

// ErrKeyMismatch is matched (errors.Is) by the *KeyError that Open and
// LoadKey return when the key cannot open the items waiting in the queue.
var ErrKeyMismatch = errors.New("outbox: the key does not open the waiting items")

// ErrNotRestorable means a quarantined item cannot be put back: it is
// damaged, sealed with another key, or older than the queue keeps anything.
var ErrNotRestorable = errors.New("outbox: item cannot be restored")

// ErrOwner means the queue belongs to another user than the process's:
// the operator's tools refuse it rather than leave files the kiosk cannot
// read.
var ErrOwner = errors.New("outbox: the queue belongs to another user")

// ErrBusy means the item is being delivered right now.
var ErrBusy = errors.New("outbox: item is being delivered")

// KeyError refuses to open a queue whose items the key cannot open, so that
// nothing is set aside, expired or overwritten under a wrong key. Nothing
// has been changed when it is returned. It names the key's source and
// counts the items, never showing a key.
type KeyError struct {
	// Source names where the key came from (Options.KeySource).
	Source string
	// Dir is the queue's directory.
	Dir string
	// Waiting counts the items the key does not open; Total all the
	// readable items of the queue and dead-letter list.
	Waiting, Total int
	// Missing is set by LoadKey: the key file is gone, and no key was
	// generated in its place.
	Missing bool
}

func (e *KeyError) Error() string {
	src := e.Source
	if src == "" {
		src = "the configured key"
	}
	if e.Missing {
		return fmt.Sprintf("outbox: no key is set (SIGNET_OUTBOX_KEY or outbox.key) and %s is missing, while %s sealed with a key %s waiting in %s; "+
			"no new key was made. Put the key file back from a backup, or set SIGNET_OUTBOX_KEY to the key they were sealed with; "+
			"if that key is lost for good, `signet outbox discard --other-key ID` removes them one by one",
			src, plural(e.Waiting, "item"), isAre(e.Waiting), e.Dir)
	}
	of := ""
	if e.Total > e.Waiting {
		of = fmt.Sprintf(" of %d", e.Total)
	}
	return fmt.Sprintf("outbox: %s%s waiting in %s %s sealed with another key than %s, which cannot open %s; nothing was changed. "+
		"Start again with the key they were sealed with; if that key is lost for good, "+
		"`signet outbox list --other-key` shows them and `signet outbox discard --other-key ID` removes one",
		plural(e.Waiting, "item"), of, e.Dir, wasWere(e.Waiting), src, itThem(e.Waiting))
}

// Is makes errors.Is(err, ErrKeyMismatch) true.
func (e *KeyError) Is(target error) bool { return target == ErrKeyMismatch }

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// scanSealed counts the item files in dir's queue and dead-letter list
// whose header can be read and matches the file's name and directory, and
// how many of them were sealed with a key
// other than keyID (all of them when keyID is nil). It reads headers only
// and changes nothing.
func scanSealed(dir string, keyID *[4]byte) (total, foreign int) {
	for _, sub := range []string{queueDir, deadDir} {
		des, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			continue
		}
		for _, de := range des {
			name := de.Name()
			if !de.Type().IsRegular() || !strings.HasSuffix(name, itemExt) {
				continue
			}
			id, ok := parseItemID(strings.TrimSuffix(name, itemExt))
			if !ok {
				continue
			}
			h, ok := readHeader(filepath.Join(dir, sub, name))
			// A header that does not match its file's name and place is
			// not an item waiting for its key: Open quarantines it.
			if !ok || h.id != id || (sub == deadDir) != (h.state == stateDead) {
				continue
			}
			total++
			if keyID == nil || h.keyID != *keyID {
				foreign++
			}
		}
	}
	return total, foreign
}

// readHeader reads the clear header of an item file.
func readHeader(path string) (header, bool) {
	f, err := os.Open(path)
	if err != nil {
		return header{}, false
	}
	defer f.Close()
	b := make([]byte, fixedHeader+MaxKindLen+1+maxCodeLen)
	n, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return header{}, false
	}
	h, _, err := parseHeader(b[:n])
	return h, err == nil
}

// foreignEntry is an item sealed with another key, kept in place under
// Options.KeepForeign.
type foreignEntry struct {
	sub string
	h   header
}

// quarantineStamp formats the queue-clock time that starts a quarantined
// file's name: <stamp>-<queue|dead>-<original name>.
const quarantineStamp = "20060102T150405.000000000"

// quarantinedAt reads the time a quarantined file was set aside from its name.
func quarantinedAt(name string) (time.Time, bool) {
	stamp, _, ok := strings.Cut(name, "-")
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(quarantineStamp, stamp)
	return t, err == nil
}

// quarantinedName splits a quarantined file's name into the directory it
// came from and the item id it was filed under ("" when none).
func quarantinedName(name string) (sub, id string) {
	parts := strings.SplitN(name, "-", 3)
	if len(parts) != 3 {
		return "", ""
	}
	if pid, ok := parseItemID(strings.TrimSuffix(parts[2], itemExt)); ok && strings.HasSuffix(parts[2], itemExt) {
		id = pid.String()
	}
	return parts[1], id
}

// Item states, as Items reports them.
const (
	StateQueued      = "queued"
	StateDead        = "dead"
	StateQuarantined = "quarantined"
	StateOtherKey    = "other_key"
)

// ItemInfo describes one item for the operator. It holds nothing personal:
// the random id, the kind, times, counts and a short error code.
type ItemInfo struct {
	// ID is the item's random id ("" for a quarantined file that has none).
	ID      string
	Kind    Kind
	State   string
	Created time.Time
	// Age is how long ago Created was, on the queue's clock.
	Age time.Duration
	// Attempts counts failed delivery attempts, across restarts.
	Attempts int
	// LastError is the code of the last failure (queued), the refusal
	// (dead), or why the file was set aside (quarantined).
	LastError string
	// LastFailed is when the last attempt failed (zero if none did).
	LastFailed time.Time
	// Restorable is set for a quarantined item that Restore can put back.
	Restorable bool
	// File is a quarantined file's name inside quarantine/.
	File string
}

// Items lists every item: queued, dead, sealed with another key (only
// under Options.KeepForeign) and quarantined, oldest first.
func (o *Outbox) Items() []ItemInfo {
	now := o.clock.Now()
	var out []ItemInfo
	o.mu.Lock()
	for _, e := range o.queue {
		out = append(out, ItemInfo{ID: e.id.String(), Kind: e.kind, State: StateQueued, Created: e.created,
			Attempts: int(e.attempts), LastError: e.code, LastFailed: e.failed})
	}
	for _, d := range o.dead {
		out = append(out, ItemInfo{ID: d.ID, Kind: d.Kind, State: StateDead, Created: d.Created,
			Attempts: int(d.attempts), LastError: d.Code, LastFailed: d.Failed})
	}
	for _, f := range o.foreign {
		out = append(out, ItemInfo{ID: f.h.id.String(), Kind: f.h.kind, State: StateOtherKey, Created: f.h.created,
			Attempts: int(f.h.attempts), LastError: f.h.code, LastFailed: f.h.failed})
	}
	o.mu.Unlock()
	out = append(out, o.quarantinedItems()...)
	for i := range out {
		if !out[i].Created.IsZero() {
			out[i].Age = now.Sub(out[i].Created)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.Before(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// quarantinedItems describes the files in quarantine/, reading each again
// to say why it cannot be used and whether Restore could put it back.
func (o *Outbox) quarantinedItems() []ItemInfo {
	des, err := os.ReadDir(filepath.Join(o.dir, quarantineDir))
	if err != nil {
		return nil
	}
	var out []ItemInfo
	for _, de := range des {
		it := ItemInfo{State: StateQuarantined, File: de.Name()}
		sub, id := quarantinedName(de.Name())
		it.ID = id
		h, reason := o.checkQuarantined(de, sub, id)
		if h.kind != "" {
			it.Kind, it.Created, it.Attempts, it.LastFailed = h.kind, h.created, int(h.attempts), h.failed
		}
		it.LastError = reason
		it.Restorable = reason == "restorable"
		if it.Restorable {
			it.LastError = h.code
		}
		out = append(out, it)
	}
	return out
}

// checkQuarantined reads a quarantined file and returns its header, if it
// has one, with "restorable" or the reason it cannot be restored.
func (o *Outbox) checkQuarantined(de os.DirEntry, sub, id string) (header, string) {
	if !de.Type().IsRegular() {
		return header{}, "not_a_file"
	}
	if id == "" || (sub != queueDir && sub != deadDir) {
		return header{}, "bad_name"
	}
	b, err := bounded.ReadFile(filepath.Join(o.dir, quarantineDir, de.Name()), o.maxFileSize())
	if err != nil {
		return header{}, reasonOf(err)
	}
	h, plain, err := open(o.aead, o.keyID, b)
	clear(plain)
	if err != nil {
		if ph, _, perr := parseHeader(b); perr == nil {
			return ph, reasonOf(err)
		}
		return header{}, reasonOf(err)
	}
	if h.id.String() != id || (sub == deadDir) != (h.state == stateDead) {
		return h, "misplaced"
	}
	if !h.created.After(o.clock.Now().Add(-o.opts.MaxAge)) {
		return h, "expired"
	}
	return h, "restorable"
}

// restoreHook, when set by a test, runs between the steps of Restore.
var restoreHook func(step string)

// Restore puts a quarantined item back where it was set aside from (the
// queue or the dead-letter list), for an operator who has brought back the
// key it was sealed with. The item must open with this queue's key and be
// younger than MaxAge; its age and attempts are kept. The move is one
// rename: a crash leaves it either still quarantined or restored, never
// both and never lost.
func (o *Outbox) Restore(id string) error {
	pid, ok := parseItemID(id)
	if !ok {
		return ErrNotFound
	}
	o.mu.Lock()
	_, queued := o.queue[pid]
	_, dead := o.dead[pid]
	_, foreign := o.foreign[pid]
	closed := o.closed
	o.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if queued || dead || foreign {
		return fmt.Errorf("%w: item %s is not quarantined: it is already %s", ErrNotRestorable, id,
			map[bool]string{true: "waiting in the queue", false: "on the dead-letter list"}[queued || foreign])
	}
	qdir := filepath.Join(o.dir, quarantineDir)
	des, err := os.ReadDir(qdir)
	if err != nil {
		return fmt.Errorf("outbox: restore: %w", err)
	}
	// The most recently quarantined copy first.
	sort.Slice(des, func(i, j int) bool { return des[i].Name() > des[j].Name() })
	why := ""
	for _, de := range des {
		sub, qid := quarantinedName(de.Name())
		if qid != id {
			continue
		}
		h, reason := o.checkQuarantined(de, sub, qid)
		if reason != "restorable" {
			if why == "" {
				why = reason
			}
			continue
		}
		if restoreHook != nil {
			restoreHook("checked")
		}
		name := id + itemExt
		if err := os.Rename(filepath.Join(qdir, de.Name()), filepath.Join(o.dir, sub, name)); err != nil {
			return fmt.Errorf("outbox: restore: %w", err)
		}
		if restoreHook != nil {
			restoreHook("renamed")
		}
		if err := syncDir(filepath.Join(o.dir, sub)); err != nil {
			return err
		}
		if err := syncDir(qdir); err != nil {
			return err
		}
		fi, err := os.Stat(filepath.Join(o.dir, sub, name))
		if err != nil {
			return fmt.Errorf("outbox: restore: %w", err)
		}
		o.mu.Lock()
		o.quarantined = max(0, o.quarantined-1)
		o.bytes += fi.Size()
		if sub == deadDir {
			o.dead[pid] = &deadEntry{DeadItem{ID: id, Kind: h.kind, Created: h.created, Failed: h.failed, Code: h.code}, fi.Size(), h.attempts}
		} else {
			e := &entry{id: pid, kind: h.kind, created: h.created, size: fi.Size(), next: o.clock.Now(),
				attempts: h.attempts, code: h.code, failed: h.failed}
			o.queue[pid] = e
			heap.Push(&o.due, e)
		}
		o.mu.Unlock()
		o.poke()
		o.log.Info("outbox: quarantined item restored by the operator", "id", id, "kind", string(h.kind), "to", sub)
		return nil
	}
	switch why {
	case "":
		return ErrNotFound
	case "other_key":
		return fmt.Errorf("%w: item %s is sealed with another key than %s; start with the key it was sealed with to restore it",
			ErrNotRestorable, id, orDefault(o.opts.KeySource, "this queue's key"))
	case "expired":
		return fmt.Errorf("%w: item %s is older than %v, longer than the queue keeps anything; it can only be discarded",
			ErrNotRestorable, id, o.opts.MaxAge)
	default:
		return fmt.Errorf("%w: item %s is %s; it can only be discarded", ErrNotRestorable, id, strings.ReplaceAll(why, "_", " "))
	}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// discardOther removes a queued item that is not in flight, an item sealed
// with another key (KeepForeign), or every quarantined file filed under id.
// It reports whether it found anything.
func (o *Outbox) discardOther(pid itemID) (bool, error) {
	id := pid.String()
	name := id + itemExt
	o.mu.Lock()
	if e, ok := o.queue[pid]; ok {
		if e.index < 0 {
			o.mu.Unlock()
			return true, ErrBusy
		}
		// Out of the heap first, so that no worker takes it meanwhile.
		heap.Remove(&o.due, e.index)
		o.mu.Unlock()
		if err := removeDurable(filepath.Join(o.dir, queueDir), name); err != nil {
			o.mu.Lock()
			heap.Push(&o.due, e)
			o.mu.Unlock()
			return true, err
		}
		o.mu.Lock()
		delete(o.queue, pid)
		o.bytes -= e.size
		o.noteRemoved(Removed{ID: id, Kind: e.kind, Created: e.created, Removed: o.clock.Now(), Reason: "discarded"})
		o.mu.Unlock()
		o.emit([]Event{{Type: Discarded, ID: id, Kind: e.kind, Created: e.created}})
		return true, nil
	}
	if f, ok := o.foreign[pid]; ok {
		o.mu.Unlock()
		if err := removeDurable(filepath.Join(o.dir, f.sub), name); err != nil {
			return true, err
		}
		o.mu.Lock()
		delete(o.foreign, pid)
		o.mu.Unlock()
		o.emit([]Event{{Type: Discarded, ID: id, Kind: f.h.kind, Created: f.h.created}})
		return true, nil
	}
	o.mu.Unlock()
	qdir := filepath.Join(o.dir, quarantineDir)
	des, err := os.ReadDir(qdir)
	if err != nil {
		return false, nil
	}
	found := false
	for _, de := range des {
		if _, qid := quarantinedName(de.Name()); qid != id {
			continue
		}
		found = true
		if err := os.RemoveAll(filepath.Join(qdir, de.Name())); err != nil {
			return true, fmt.Errorf("outbox: remove: %w", err)
		}
		o.mu.Lock()
		o.quarantined = max(0, o.quarantined-1)
		o.mu.Unlock()
	}
	if found {
		if err := syncDir(qdir); err != nil {
			return true, err
		}
		o.emit([]Event{{Type: Discarded, ID: id, Code: StateQuarantined}})
	}
	return found, nil
}
