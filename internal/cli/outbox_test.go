package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/connect"
	"github.com/signet-kiosk/signet/outbox"
)

const outboxPersonal = "ERIKSSON ANNA MARIA L898902C36"

// outboxConfig is the kiosk's configuration with state as its state
// directory and key in SIGNET_OUTBOX_KEY, with that environment.
func outboxConfig(state, key string) (*config.Config, func(string) string) {
	getenv := func(k string) string { return map[string]string{config.EnvOutboxKey: key}[k] }
	cfg := config.Default()
	cfg.StateDir = state
	cfg.ApplyEnv(getenv)
	return cfg, getenv
}

// seedOutbox fills an outbox in a new state directory, sealed with key:
// two queued items and one dead one. It returns the config file, the state
// directory and the ids (queued, queued, dead).
func seedOutbox(t *testing.T, key string) (cfgPath, state string, ids []string) {
	t.Helper()
	state = t.TempDir()
	cfgPath = filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfgPath, []byte("state_dir = \""+state+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, getenv := outboxConfig(state, key)
	evs := make(chan outbox.Event, 100)
	ob, err := connect.Outbox(cfg, getenv, outbox.Options{
		Deliverer: outbox.DeliverFunc(func(context.Context, outbox.Item) error { return errors.New("refused") }),
		OnEvent:   func(ev outbox.Event) { evs <- ev }})
	if err != nil {
		t.Fatal(err)
	}
	dead, err := ob.Enqueue(context.Background(), "test.dead", []byte(outboxPersonal))
	if err != nil {
		t.Fatal(err)
	}
	ob.Start()
	for ev := range evs {
		if ev.Type == outbox.Dead {
			break
		}
	}
	ob.Close()
	ob, err = connect.Outbox(cfg, getenv, outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	for range 2 {
		id, err := ob.Enqueue(context.Background(), "test.queued", []byte(outboxPersonal))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return cfgPath, state, append(ids, dead)
}

func runOutboxCmd(t *testing.T, cfgPath, key string, args ...string) (int, string, string) {
	t.Helper()
	code, stdout, stderr := runMain(map[string]string{config.EnvOutboxKey: key}, append([]string{"--config", cfgPath, "outbox"}, args...)...)
	if strings.Contains(stdout+stderr, "ERIKSSON") || (key != "" && strings.Contains(stdout+stderr, key)) {
		t.Errorf("outbox %v printed personal data or the key:\n%s%s", args, stdout, stderr)
	}
	return code, stdout, stderr
}

func listOutbox(t *testing.T, cfgPath, key string, args ...string) (outboxList, map[string]outboxItem) {
	t.Helper()
	code, out, errs := runOutboxCmd(t, cfgPath, key, append([]string{"list"}, args...)...)
	if code != 0 {
		t.Fatalf("outbox list: exit %d: %s", code, errs)
	}
	var l outboxList
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("outbox list printed %q: %v", out, err)
	}
	byID := map[string]outboxItem{}
	for _, it := range l.Items {
		byID[it.ID] = it
	}
	return l, byID
}

func TestOutboxCommands(t *testing.T) {
	keyA, keyB := strings.Repeat("a1", 32), strings.Repeat("b2", 32)
	cfgPath, state, ids := seedOutbox(t, keyA)
	q1, q2, dead := ids[0], ids[1], ids[2]

	l, byID := listOutbox(t, cfgPath, keyA)
	if l.Queued != 2 || l.Dead != 1 || len(l.Items) != 3 {
		t.Fatalf("list: %+v", l)
	}
	if it := byID[dead]; it.State != "dead" || it.Kind != "test.dead" || it.Attempts != 1 || it.LastError != "error" || it.Age == "" || it.Created == nil {
		t.Errorf("dead item: %+v", it)
	}
	if it := byID[q1]; it.State != "queued" || it.Attempts != 0 || it.LastError != "" {
		t.Errorf("queued item: %+v", it)
	}
	// The JSON carries exactly the documented fields.
	_, raw, _ := runOutboxCmd(t, cfgPath, keyA, "list")
	for _, f := range []string{`"id"`, `"kind"`, `"state"`, `"age"`, `"attempts"`, `"last_error"`} {
		if !strings.Contains(raw, f) {
			t.Errorf("list lacks %s: %s", f, raw)
		}
	}

	// Wrong key: exit 2, one sentence naming the source and the count;
	// nothing moves.
	code, _, errs := runOutboxCmd(t, cfgPath, keyB, "list")
	if code != ExitUsage || !strings.Contains(errs, config.EnvOutboxKey) || !strings.Contains(errs, "3 items") {
		t.Errorf("list with another key: exit %d: %s", code, errs)
	}
	for _, cmd := range [][]string{{"retry", dead}, {"restore", q1}, {"discard", q1}} {
		if code, _, errs := runOutboxCmd(t, cfgPath, keyB, cmd...); code != ExitUsage || !strings.Contains(errs, "3 items") {
			t.Errorf("%v with another key: exit %d: %s", cmd, code, errs)
		}
	}
	// No key at all: the key file is missing, and none is made.
	code, _, errs = runOutboxCmd(t, cfgPath, "", "list")
	keyFile := filepath.Join(state, outbox.KeyFile)
	if code != ExitUsage || !strings.Contains(errs, keyFile) || !strings.Contains(errs, "3 items") {
		t.Errorf("list with no key: exit %d: %s", code, errs)
	}
	if _, err := os.Stat(keyFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key file was made: %v", err)
	}
	if _, byID := listOutbox(t, cfgPath, keyA); len(byID) != 3 {
		t.Fatalf("items after the refusals: %v", byID)
	}
	// --other-key shows them without opening them.
	if l, _ := listOutbox(t, cfgPath, keyB, "--other-key"); l.OtherKey != 3 {
		t.Errorf("--other-key: %+v", l)
	}

	// retry: dead back to queued; queued is a no-op; unknown is exit 2.
	if code, out, errs := runOutboxCmd(t, cfgPath, keyA, "retry", dead); code != 0 || !strings.Contains(out, "back in the queue") {
		t.Errorf("retry: exit %d: %s%s", code, out, errs)
	}
	if code, out, _ := runOutboxCmd(t, cfgPath, keyA, "retry", q1); code != 0 || !strings.Contains(out, "already waiting") {
		t.Errorf("retry of a queued item: exit %d: %s", code, out)
	}
	if code, _, _ := runOutboxCmd(t, cfgPath, keyA, "retry", strings.Repeat("0", 32)); code != ExitUsage {
		t.Errorf("retry of nothing: exit %d", code)
	}
	if code, _, _ := runOutboxCmd(t, cfgPath, keyA, "retry"); code != ExitUsage {
		t.Errorf("retry without an id: exit %d", code)
	}
	if l, byID := listOutbox(t, cfgPath, keyA); l.Queued != 3 || byID[dead].Attempts != 1 {
		t.Errorf("after retry: %+v", l)
	}

	// restore: an item an earlier build quarantined comes back.
	qdir := filepath.Join(state, outbox.Dir, "quarantine")
	qname := time.Now().UTC().Format("20060102T150405.000000000") + "-queue-" + q2 + ".item"
	if err := os.Rename(filepath.Join(state, outbox.Dir, "queue", q2+".item"), filepath.Join(qdir, qname)); err != nil {
		t.Fatal(err)
	}
	if _, byID := listOutbox(t, cfgPath, keyA); byID[q2].State != "quarantined" || !byID[q2].Restorable {
		t.Errorf("quarantined item: %+v", byID[q2])
	}
	if code, _, errs := runOutboxCmd(t, cfgPath, keyA, "retry", q2); code != ExitUsage || !strings.Contains(errs, "restore") {
		t.Errorf("retry of a quarantined item: exit %d: %s", code, errs)
	}
	if code, out, errs := runOutboxCmd(t, cfgPath, keyA, "restore", q2); code != 0 || !strings.Contains(out, "restored (queued)") {
		t.Errorf("restore: exit %d: %s%s", code, out, errs)
	}
	if code, _, errs := runOutboxCmd(t, cfgPath, keyA, "restore", q2); code != ExitUsage || !strings.Contains(errs, "not quarantined") {
		t.Errorf("second restore: exit %d: %s", code, errs)
	}
	if l, byID := listOutbox(t, cfgPath, keyA); l.Queued != 3 || l.Quarantined != 0 || byID[q2].State != "queued" {
		t.Errorf("after restore: %+v", l)
	}

	// discard; and --other-key discards what another key sealed.
	if code, out, errs := runOutboxCmd(t, cfgPath, keyA, "discard", q1); code != 0 || !strings.Contains(out, "deleted") {
		t.Errorf("discard: exit %d: %s%s", code, out, errs)
	}
	if code, _, _ := runOutboxCmd(t, cfgPath, keyA, "discard", q1); code != ExitUsage {
		t.Errorf("second discard: exit %d", code)
	}
	if code, out, errs := runOutboxCmd(t, cfgPath, keyB, "discard", "--other-key", q2); code != 0 || !strings.Contains(out, "other_key") {
		t.Errorf("discard --other-key: exit %d: %s%s", code, out, errs)
	}
	if l, _ := listOutbox(t, cfgPath, keyA); l.Queued != 1 || len(l.Items) != 1 {
		t.Errorf("after discards: %+v", l)
	}

	// While the kiosk holds the queue, the commands say so.
	cfg, _ := outboxConfig(state, keyA)
	held, err := connect.Outbox(cfg, nil, outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if code, _, errs := runOutboxCmd(t, cfgPath, keyA, "list"); code != ExitUsage || !strings.Contains(errs, "stop the kiosk") {
		t.Errorf("list while held: exit %d: %s", code, errs)
	}
}

func TestOutboxListEmpty(t *testing.T) {
	state := t.TempDir()
	cfgPath := filepath.Join(t.TempDir(), "config.toml")
	os.WriteFile(cfgPath, []byte("state_dir = \""+state+"\"\n"), 0o600)
	l, _ := listOutbox(t, cfgPath, "")
	if len(l.Items) != 0 {
		t.Errorf("list = %+v", l)
	}
	// Listing makes neither a queue nor a key.
	if des, _ := os.ReadDir(state); len(des) != 0 {
		t.Errorf("state dir holds %d entries after list", len(des))
	}
}

// TestOutboxLostKeyFile: with the key file gone for good, the commands
// refuse, make no key, and --other-key still lists and discards.
func TestOutboxLostKeyFile(t *testing.T) {
	cfgPath, state, ids := seedOutbox(t, "")
	keyFile := filepath.Join(state, outbox.KeyFile)
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runOutboxCmd(t, cfgPath, "", "restore", ids[0])
	if code != ExitUsage || !strings.Contains(errs, keyFile) || !strings.Contains(errs, "no new key was made") {
		t.Errorf("restore without the key file: exit %d: %s", code, errs)
	}
	l, byID := listOutbox(t, cfgPath, "", "--other-key")
	if l.OtherKey != 3 || byID[ids[2]].State != "other_key" || byID[ids[2]].Kind != "test.dead" {
		t.Errorf("list --other-key: %+v", l)
	}
	for _, id := range ids {
		if code, _, errs := runOutboxCmd(t, cfgPath, "", "discard", "--other-key", id); code != 0 {
			t.Errorf("discard --other-key %s: exit %d: %s", id, code, errs)
		}
	}
	if _, err := os.Stat(keyFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key file was made: %v", err)
	}
	// Nothing waits any more: the next start may make a new key.
	if l, _ := listOutbox(t, cfgPath, ""); len(l.Items) != 0 {
		t.Errorf("after discarding: %+v", l)
	}
}

// TestOutboxOtherOwner: as another user than the queue's owner (root, say)
// the commands refuse rather than leave files the kiosk cannot read.
func TestOutboxOtherOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the queue to another user")
	}
	key := strings.Repeat("c3", 32)
	cfgPath, state, ids := seedOutbox(t, key)
	dir := filepath.Join(state, outbox.Dir)
	if err := os.Chown(dir, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runOutboxCmd(t, cfgPath, key, "retry", ids[2])
	if code != ExitUsage || !strings.Contains(errs, "sudo -u") || !strings.Contains(errs, dir) {
		t.Errorf("retry as another user: exit %d: %s", code, errs)
	}
	if des, _ := os.ReadDir(filepath.Join(dir, "dead")); len(des) != 1 {
		t.Errorf("the dead item moved")
	}
}
