package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hookPath stands for the secret a webhook URL carries in its path.
const hookPath = "/services/T000/B000/hooksecret42"

var (
	called = time.Date(2030, 6, 15, 9, 0, 0, 0, time.UTC)
	later  = called.Add(90 * time.Second)
)

func logger() (*slog.Logger, *bytes.Buffer) {
	var b bytes.Buffer
	return slog.New(slog.NewTextHandler(&b, nil)), &b
}

func noSecret(t *testing.T, where, s string) {
	t.Helper()
	if strings.Contains(s, "hooksecret42") {
		t.Errorf("%s shows the webhook's path: %s", where, s)
	}
}

func TestWebhookPostsTheEvent(t *testing.T) {
	got := make(chan map[string]any, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != hookPath || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s %q", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			t.Error(err)
		}
		got <- m
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	n, err := New(Options{Webhook: srv.URL + hookPath, Kiosk: "front-1", HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Notify(context.Background(), Event{Name: EventStaffAnswered, Time: later, WaitingSince: called}); err != nil {
		t.Fatal(err)
	}
	m := <-got
	want := map[string]any{"event": "staff_answered", "kiosk": "front-1",
		"time": "2030-06-15T09:01:30Z", "waiting_since": "2030-06-15T09:00:00Z"}
	if len(m) != len(want) {
		t.Errorf("body has %d fields, want exactly %d: %v", len(m), len(want), m)
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v", k, m[k], v)
		}
	}
	// A call with no waiting time leaves the field out.
	n.Notify(context.Background(), Event{Name: EventStaffCalled, Time: called})
	if m := <-got; m["waiting_since"] != nil || m["time"] != "2030-06-15T09:00:00Z" {
		t.Errorf("body %v", m)
	}
}

func TestWebhookFailures(t *testing.T) {
	var hits atomic.Int32
	release := make(chan struct{})
	defer close(release)
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer elsewhere.Close()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"server error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down "+hookPath, 500) }, "HTTP 500"},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+hookPath, http.StatusFound)
		}, "redirects are never followed"},
		{"slow", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}, "did not answer within"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			defer srv.CloseClientConnections()
			log, buf := logger()
			n, err := New(Options{Webhook: srv.URL + hookPath + "?token=hooksecret42", Timeout: 200 * time.Millisecond,
				HTTPClient: srv.Client(), Log: log})
			if err != nil {
				t.Fatal(err)
			}
			err = n.Notify(context.Background(), Event{Name: EventStaffCalled, Time: called})
			if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want ErrFailed with %q", err, tt.want)
			}
			noSecret(t, "the error", err.Error())
			noSecret(t, "the log", buf.String())
			if !strings.Contains(buf.String(), "staff notification failed") {
				t.Errorf("nothing logged: %q", buf.String())
			}
		})
	}
	if hits.Load() != 0 {
		t.Error("a redirect was followed")
	}
}

func TestWebhookUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	n, err := New(Options{Webhook: addr + hookPath, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = n.Notify(context.Background(), Event{Name: EventStaffCalled, Time: called})
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("err %v", err)
	}
	noSecret(t, "the error", err.Error())
}

func TestNewRefuses(t *testing.T) {
	for _, o := range []Options{
		{Webhook: "http://hooks.example.com" + hookPath},
		{Webhook: "ftp://hooks.example.com" + hookPath},
		{Webhook: "https://user:pw@hooks.example.com" + hookPath},
		{Webhook: "hooks.example.com" + hookPath},
		{Command: []string{"page-staff"}},
	} {
		n, err := New(o)
		if err == nil || n != nil {
			t.Errorf("%+v accepted", o)
			continue
		}
		noSecret(t, "the error", err.Error())
	}
	n, err := New(Options{})
	if err != nil || n.Enabled() {
		t.Errorf("no hook: %v, enabled %v", err, n.Enabled())
	}
	if err := n.Notify(context.Background(), Event{Name: EventStaffCalled}); err != nil {
		t.Error(err)
	}
	if err := <-n.Send(Event{Name: EventStaffCalled}); err != nil {
		t.Error(err)
	}
}

func TestCommandGetsTheEventAndNoSecrets(t *testing.T) {
	t.Setenv("SIGNET_STOREGISTER_API_KEY", "kiosk-api-key-123")
	out := filepath.Join(t.TempDir(), "out")
	script := `printf '%s|%s|%s|%s|%s|%s' "$SIGNET_EVENT" "$SIGNET_KIOSK" "$SIGNET_TIME" "$SIGNET_WAITING_SINCE" "$SIGNET_STOREGISTER_API_KEY" "$(pwd)" > "$1"`
	n, err := New(Options{Command: []string{"/bin/sh", "-c", script, "sh", out}, Kiosk: "front-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-n.Send(Event{Name: EventCallExpired, Time: later, WaitingSince: called}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "staff_call_expired|front-1|2030-06-15T09:01:30Z|2030-06-15T09:00:00Z||/"; string(b) != want {
		t.Errorf("the command saw %q, want %q", b, want)
	}
}

func TestCommandFailures(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		want string
	}{
		{"exit status", []string{"/bin/sh", "-c", "echo no pager configured >&2; exit 3"}, "exit status 3: no pager configured"},
		{"too slow", []string{"/bin/sleep", "5"}, "did not finish within"},
		{"missing program", []string{"/nonexistent/page-staff"}, "page-staff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log, buf := logger()
			n, err := New(Options{Command: tt.argv, Timeout: 200 * time.Millisecond, Log: log})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err = n.Notify(context.Background(), Event{Name: EventStaffCalled, Time: called})
			if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want %q", err, tt.want)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %v: the timeout did not stop it", took)
			}
			if !strings.Contains(buf.String(), "staff notification failed") {
				t.Error("not logged")
			}
		})
	}
}

// Webhook and command both run; one failing does not stop the other.
func TestBoth(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		posts.Add(1)
	}))
	defer srv.Close()
	n, err := New(Options{Webhook: srv.URL + hookPath, Command: []string{"/bin/false"}, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	err = n.Notify(context.Background(), Event{Name: EventStaffCalled, Time: called})
	if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "command false") {
		t.Errorf("err %v", err)
	}
	if posts.Load() != 1 {
		t.Errorf("%d posts, want 1", posts.Load())
	}
	n.Wait()
}

// Send delivers in the order sent, even when the first delivery is the
// slow one: a receiver never hears a call ended before it hears of it.
func TestSendKeepsOrder(t *testing.T) {
	first := make(chan struct{})
	var names []string
	var mu = make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var e Event
		_ = json.NewDecoder(r.Body).Decode(&e)
		if e.Name == EventStaffCalled {
			<-first // held until the later events have been sent
		}
		mu <- struct{}{}
		names = append(names, e.Name)
		<-mu
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	n, err := New(Options{Webhook: srv.URL + hookPath, Kiosk: "front-1", HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	a := n.Send(Event{Name: EventStaffCalled, Time: called})
	b := n.Send(Event{Name: EventStaffAnswered, Time: later})
	c := n.Send(Event{Name: EventCallCancelled, Time: later})
	close(first)
	for _, ch := range []<-chan error{a, b, c} {
		if err := <-ch; err != nil {
			t.Fatal(err)
		}
	}
	n.Wait()
	if want := []string{EventStaffCalled, EventStaffAnswered, EventCallCancelled}; strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("delivered %v, want %v", names, want)
	}
}
