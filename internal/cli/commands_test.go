package cli

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestCommandsListed: the one list names every command once, each with
// something to run, and help prints them all.
func TestCommandsListed(t *testing.T) {
	cmds := Commands(Kiosk{})
	var names []string
	for _, c := range cmds {
		if c.Run == nil || c.Summary == "" {
			t.Errorf("command %q: Run or Summary missing", c.Name)
		}
		names = append(names, c.Name)
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	if d := slices.Compact(slices.Clone(sorted)); len(d) != len(sorted) {
		t.Errorf("a name is listed twice: %q", sorted)
	}
	for _, want := range []string{"", "demo", "version", "config set-pin", "outbox discard", "sim"} {
		if !slices.Contains(names, want) {
			t.Errorf("%q is not listed", want)
		}
	}

	var out bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	if code := Main(context.Background(), cmds, []string{"help"}, env); code != ExitOK {
		t.Fatalf("help exited %d", code)
	}
	lines := 0
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "  signet ") {
			lines++
		}
	}
	if lines != len(cmds) {
		t.Errorf("help lists %d commands, the list has %d:\n%s", lines, len(cmds), out.String())
	}
}

// TestCommandsKiosk: the bare `signet` and `signet demo` run what package
// kiosk gives, with the arguments after their name; without it they fail
// and say why.
func TestCommandsKiosk(t *testing.T) {
	var got []string
	k := Kiosk{
		Run: func(_ context.Context, _ *Env, args []string) error {
			got = append(got, "run "+strings.Join(args, " "))
			return nil
		},
		Demo: func(_ context.Context, _ *Env, args []string) error {
			got = append(got, "demo "+strings.Join(args, " "))
			return nil
		},
	}
	env := &Env{Stdout: new(bytes.Buffer), Stderr: new(bytes.Buffer), Getenv: func(string) string { return "" }}
	for _, args := range [][]string{{"--windowed"}, {"demo", "--lang", "fr"}, {}} {
		if code := Main(context.Background(), Commands(k), args, env); code != ExitOK {
			t.Errorf("%q exited %d", args, code)
		}
	}
	if want := []string{"run --windowed", "demo --lang fr", "run "}; !slices.Equal(got, want) {
		t.Errorf("ran %q, want %q", got, want)
	}

	var stderr bytes.Buffer
	env = &Env{Stdout: new(bytes.Buffer), Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := Main(context.Background(), Commands(Kiosk{}), []string{"demo"}, env); code == ExitOK ||
		!strings.Contains(stderr.String(), errNoWindow.Error()) {
		t.Errorf("demo without a window: exit %d, %q", code, stderr.String())
	}
	if err := orNoWindow(nil)(context.Background(), env, nil); !errors.Is(err, errNoWindow) {
		t.Errorf("no window: %v", err)
	}
}

// TestCommandListedTwice: a name listed twice is a programming error.
func TestCommandListedTwice(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), `"version"`) {
			t.Errorf("recovered %v, want a panic naming the command", r)
		}
	}()
	env := &Env{Stdout: new(bytes.Buffer), Stderr: new(bytes.Buffer), Getenv: func(string) string { return "" }}
	version := &Command{Name: "version", Run: runVersion}
	Main(context.Background(), []*Command{version, version}, []string{"version"}, env)
}
