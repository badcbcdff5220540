package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/signet-kiosk/signet/internal/connect"
	"github.com/signet-kiosk/signet/outbox"
)

// openOutbox opens the configured outbox for an operator's command: the
// kiosk must not be running (one process holds the queue). A key that
// cannot open the waiting items is a refusal, exit 2, unless otherKey.
// It returns nil, nil when there is no outbox yet.
func openOutbox(env *Env, otherKey bool) (*outbox.Outbox, error) {
	cfg, err := env.Config()
	if err != nil {
		return nil, err
	}
	ob, err := connect.OutboxExisting(cfg, env.Getenv, outbox.Options{Logger: env.Logger(), KeepForeign: otherKey})
	switch {
	case err == nil:
		return ob, nil
	case errors.Is(err, outbox.ErrLocked):
		return nil, Usagef("%v: stop the kiosk (or the other `signet outbox` command) first", err)
	default:
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
}

// outboxItem is one line of `signet outbox list`: no payload, nothing
// personal.
type outboxItem struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind,omitempty"`
	State      string     `json:"state"`
	Created    *time.Time `json:"created,omitempty"`
	Age        string     `json:"age,omitempty"`
	AgeSeconds int64      `json:"age_seconds"`
	Attempts   int        `json:"attempts"`
	LastError  string     `json:"last_error"`
	LastFailed *time.Time `json:"last_failed,omitempty"`
	Restorable bool       `json:"restorable,omitempty"`
	File       string     `json:"file,omitempty"`
}

type outboxList struct {
	Queued      int          `json:"queued"`
	Dead        int          `json:"dead"`
	Quarantined int          `json:"quarantined"`
	OtherKey    int          `json:"other_key,omitempty"`
	Items       []outboxItem `json:"items"`
}

func runOutboxList(_ context.Context, env *Env, args []string) error {
	fs := env.FlagSet("outbox list", "[--other-key]")
	otherKey := fs.Bool("other-key", false, "list also when the key does not open the waiting items (they show as other_key)")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	ob, err := openOutbox(env, *otherKey)
	if err != nil {
		return err
	}
	out := outboxList{Items: []outboxItem{}}
	if ob == nil {
		return printJSON(env.Stdout, out)
	}
	defer ob.Close()
	for _, it := range ob.Items() {
		li := outboxItem{ID: it.ID, Kind: string(it.Kind), State: it.State, Attempts: it.Attempts,
			LastError: it.LastError, Restorable: it.Restorable, File: it.File}
		if !it.Created.IsZero() {
			c := it.Created.UTC()
			li.Created = &c
			li.Age = it.Age.Round(time.Second).String()
			li.AgeSeconds = int64(it.Age / time.Second)
		}
		if !it.LastFailed.IsZero() {
			f := it.LastFailed.UTC()
			li.LastFailed = &f
		}
		switch it.State {
		case outbox.StateQueued:
			out.Queued++
		case outbox.StateDead:
			out.Dead++
		case outbox.StateQuarantined:
			out.Quarantined++
		case outbox.StateOtherKey:
			out.OtherKey++
		}
		out.Items = append(out.Items, li)
	}
	return printJSON(env.Stdout, out)
}

// outboxID parses the one ID argument of retry, restore and discard.
func outboxID(env *Env, name string, args []string, otherKey *bool) (string, error) {
	fs := env.FlagSet("outbox "+name, "ID")
	if otherKey != nil {
		fs.BoolVar(otherKey, "other-key", false, "also when the key does not open the waiting items: the last resort when a key is lost for good")
	}
	if err := Parse(fs, args, true); err != nil {
		return "", err
	}
	if fs.NArg() != 1 {
		return "", Usagef("outbox %s: give one item ID, as `signet outbox list` prints it", name)
	}
	return fs.Arg(0), nil
}

// stateOf finds an item's state in the list, "" when it is not there.
func stateOf(ob *outbox.Outbox, id string) string {
	for _, it := range ob.Items() {
		if it.ID == id {
			return it.State
		}
	}
	return ""
}

func notFound(id string) error {
	return Usagef("no outbox item %q: `signet outbox list` shows the ids", id)
}

func runOutboxRetry(_ context.Context, env *Env, args []string) error {
	return onOutboxItem(env, "retry", args, false, func(ob *outbox.Outbox, id string) (string, error) {
		err := ob.Requeue(id)
		if errors.Is(err, outbox.ErrNotFound) {
			switch stateOf(ob, id) {
			case outbox.StateQueued:
				return fmt.Sprintf("outbox item %s is already waiting in the queue; the kiosk delivers it when it runs", id), nil
			case outbox.StateQuarantined:
				return "", Usagef("outbox item %s is quarantined: bring it back with `signet outbox restore %s`", id, id)
			}
		}
		return fmt.Sprintf("outbox item %s is back in the queue; the kiosk delivers it when it runs", id), err
	})
}

func runOutboxRestore(_ context.Context, env *Env, args []string) error {
	return onOutboxItem(env, "restore", args, false, func(ob *outbox.Outbox, id string) (string, error) {
		if err := ob.Restore(id); err != nil {
			return "", err
		}
		return fmt.Sprintf("outbox item %s is restored (%s); the kiosk delivers it when it runs", id, stateOf(ob, id)), nil
	})
}

func runOutboxDiscard(_ context.Context, env *Env, args []string) error {
	return onOutboxItem(env, "discard", args, true, func(ob *outbox.Outbox, id string) (string, error) {
		state := stateOf(ob, id)
		return fmt.Sprintf("outbox item %s (%s) is deleted; it will not be sent", id, state), ob.Discard(id)
	})
}

// onOutboxItem is the part retry, restore and discard share: it parses the
// one ID (and --other-key where the command has it), opens the outbox, runs
// act on the item and prints the line act returns. An item act does not
// find (outbox.ErrNotFound) is a usage error naming the id.
func onOutboxItem(env *Env, name string, args []string, hasOtherKey bool, act func(ob *outbox.Outbox, id string) (string, error)) error {
	var otherKey bool
	flag := &otherKey
	if !hasOtherKey {
		flag = nil
	}
	id, err := outboxID(env, name, args, flag)
	if err != nil {
		return err
	}
	ob, err := openOutbox(env, otherKey)
	if err != nil {
		return err
	}
	if ob == nil {
		return notFound(id)
	}
	defer ob.Close()
	msg, err := act(ob, id)
	if errors.Is(err, outbox.ErrNotFound) {
		return notFound(id)
	}
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	fmt.Fprintln(env.Stdout, msg)
	return nil
}
