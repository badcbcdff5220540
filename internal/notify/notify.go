// Package notify tells staff that a guest at the kiosk needs them: when a
// guest taps "Call staff" (and when the call ends) it POSTs a small JSON
// object to a webhook and/or runs a command ([notify] in the
// configuration).
//
// Nothing personal is ever sent: an Event holds its name, the kiosk's name
// and two instants. The webhook goes through client/transport's policy
// (https, or http only to loopback; no redirect followed; a timeout). The
// command is an argv run without a shell, with only PATH, LANG and the
// event's variables in its environment, so that the kiosk's secrets are
// not handed to it. Errors name the webhook's host, never its path or
// query, which often hold the webhook's own token.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/signet-kiosk/signet/client/transport"
	"github.com/signet-kiosk/signet/internal/redact"
)

// The events.
const (
	// EventStaffCalled: a guest tapped "Call staff".
	EventStaffCalled = "staff_called"
	// EventStaffAnswered: staff ended the call with their PIN.
	EventStaffAnswered = "staff_answered"
	// EventCallCancelled: the guest cancelled the call.
	EventCallCancelled = "staff_call_cancelled"
	// EventCallExpired: nobody answered within kiosk.staff_wait and the
	// session was reset.
	EventCallExpired = "staff_call_expired"
)

// Environment variables a command receives.
const (
	EnvEvent        = "SIGNET_EVENT"
	EnvKiosk        = "SIGNET_KIOSK"
	EnvTime         = "SIGNET_TIME"
	EnvWaitingSince = "SIGNET_WAITING_SINCE"
)

// DefaultTimeout bounds each webhook call and command when Options.Timeout
// is zero.
const DefaultTimeout = 10 * time.Second

// Bounds of what comes back.
const (
	maxResponse = 64 << 10 // a webhook's answer is read (and dropped) up to this
	maxOutput   = 2 << 10  // a command's output kept for the log
)

// ErrFailed matches every failure of a webhook call or a command.
var ErrFailed = errors.New("notify: failed")

// Event is what is sent: no personal data.
type Event struct {
	// Name is one of the Event… constants.
	Name string `json:"event"`
	// Kiosk names the kiosk (Options.Kiosk).
	Kiosk string `json:"kiosk"`
	// Time is when the event happened, in UTC.
	Time time.Time `json:"time"`
	// WaitingSince is when the guest called; zero (left out) for none.
	WaitingSince time.Time `json:"waiting_since,omitzero"`
}

// Options configure a Notifier; see config.Notify.
type Options struct {
	// Webhook is the URL POSTed to; "" for none.
	Webhook string
	// Command is the argv run; empty for none. Command[0] is an absolute
	// path.
	Command []string
	// Timeout bounds each webhook call and each command; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// Kiosk names the kiosk in events; "" means the host name.
	Kiosk string
	// HTTPClient, when set, is secured with client/transport's policy and
	// used for the webhook (tests); nil builds one.
	HTTPClient *http.Client
	// Log receives failures (never the webhook's path); nil discards.
	Log *slog.Logger
}

// Notifier sends events. Safe for concurrent use.
type Notifier struct {
	hook    *url.URL
	cmd     []string
	timeout time.Duration
	kiosk   string
	hc      *http.Client
	log     *slog.Logger
	wg      sync.WaitGroup

	mu      sync.Mutex
	queue   []queued // events Send has yet to deliver, oldest first
	sending bool     // a goroutine is delivering the queue
}

// queued is an event Send has taken and the channel its result goes to.
type queued struct {
	e  Event
	ch chan error
}

// New checks o and returns a Notifier. With neither a webhook nor a
// command it returns a Notifier that does nothing.
func New(o Options) (*Notifier, error) {
	n := &Notifier{timeout: o.Timeout, kiosk: o.Kiosk, log: o.Log, cmd: o.Command}
	if n.timeout <= 0 {
		n.timeout = DefaultTimeout
	}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	if n.kiosk == "" {
		if h, err := os.Hostname(); err == nil {
			n.kiosk = h
		}
	}
	if o.Webhook != "" {
		u, err := url.Parse(o.Webhook)
		if err != nil || u.Host == "" {
			return nil, errors.New("notify: the webhook is not a URL such as https://hooks.example.com/kiosk")
		}
		if u.User != nil {
			return nil, errors.New("notify: the webhook URL must not carry a user name or password")
		}
		if err := transport.CheckURL(u); err != nil {
			return nil, fmt.Errorf("notify: webhook: %w", err)
		}
		hc, err := transport.Secure(o.HTTPClient, transport.Options{Timeout: n.timeout, MaxResponseBytes: maxResponse})
		if err != nil {
			return nil, fmt.Errorf("notify: webhook: %w", err)
		}
		n.hook, n.hc = u, hc
	}
	if len(o.Command) > 0 && !filepath.IsAbs(o.Command[0]) {
		return nil, fmt.Errorf("notify: command %q is not an absolute path", o.Command[0])
	}
	return n, nil
}

// Enabled reports whether anything is sent.
func (n *Notifier) Enabled() bool { return n != nil && (n.hook != nil || len(n.cmd) > 0) }

// Notify sends e (its Kiosk filled in) to the webhook and runs the command,
// side by side, each bounded by the timeout, and returns their failures
// joined; each failure is also logged. It waits: the UI calls Send.
func (n *Notifier) Notify(ctx context.Context, e Event) error {
	if !n.Enabled() {
		return nil
	}
	e.Kiosk = n.kiosk
	e.Time = e.Time.UTC().Truncate(time.Second)
	if !e.WaitingSince.IsZero() {
		e.WaitingSince = e.WaitingSince.UTC().Truncate(time.Second)
	}
	var hookErr, cmdErr error
	var wg sync.WaitGroup
	if n.hook != nil {
		wg.Go(func() { hookErr = n.post(ctx, e) })
	}
	if len(n.cmd) > 0 {
		wg.Go(func() { cmdErr = n.run(ctx, e) })
	}
	wg.Wait()
	for _, err := range []error{hookErr, cmdErr} {
		if err != nil {
			n.log.Warn("staff notification failed", "event", e.Name, "err", redact.Error(err))
		}
	}
	return errors.Join(hookErr, cmdErr)
}

// Send runs Notify in the background, so that the screen never waits for
// it, and delivers its result on the channel (buffered: nobody has to
// read it). Events go out one at a time in the order sent: a receiver
// never hears that a call ended before it hears of the call.
func (n *Notifier) Send(e Event) <-chan error {
	ch := make(chan error, 1)
	if !n.Enabled() {
		ch <- nil
		return ch
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.queue = append(n.queue, queued{e, ch})
	if !n.sending {
		n.sending = true
		n.wg.Go(n.drain)
	}
	return ch
}

// drain delivers the queue, oldest first, until it is empty.
func (n *Notifier) drain() {
	for {
		n.mu.Lock()
		if len(n.queue) == 0 {
			n.sending = false
			n.mu.Unlock()
			return
		}
		q := n.queue[0]
		n.queue = n.queue[1:]
		n.mu.Unlock()
		q.ch <- n.Notify(context.Background(), q.e)
	}
}

// Wait waits for every Send under way, for a clean shutdown.
func (n *Notifier) Wait() {
	if n != nil {
		n.wg.Wait()
	}
}

// post sends e to the webhook.
func (n *Notifier) post(ctx context.Context, e Event) error {
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("%w: webhook: %v", ErrFailed, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.hook.String(), bytes.NewReader(body))
	if err != nil {
		return n.hookErr(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Signet-kiosk")
	resp, err := n.hc.Do(req)
	if err != nil {
		return n.hookErr(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%w: webhook at %s answered HTTP %d", ErrFailed, n.hook.Host, resp.StatusCode)
	}
	return nil
}

// hookErr names the host only: *url.Error would print the whole URL.
func (n *Notifier) hookErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: webhook at %s did not answer within %v", ErrFailed, n.hook.Host, n.timeout)
	}
	msg := strings.ReplaceAll(err.Error(), n.hook.String(), n.hook.Host)
	if p := n.hook.EscapedPath(); len(p) > 1 {
		msg = strings.ReplaceAll(msg, p, "/…")
	}
	return fmt.Errorf("%w: webhook at %s: %s", ErrFailed, n.hook.Host, msg)
}

// run runs the command with the event in its environment.
func (n *Notifier) run(ctx context.Context, e Event) error {
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, n.cmd[0], n.cmd[1:]...)
	cmd.Env = commandEnv(e)
	cmd.Dir = "/"
	out := &capped{max: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	// Output pipes held open by a grandchild must not hold us past the
	// timeout.
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	name := filepath.Base(n.cmd[0])
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%w: command %s did not finish within %v and was stopped", ErrFailed, name, n.timeout)
	}
	msg := fmt.Sprintf("%v", err)
	if o := strings.TrimSpace(out.String()); o != "" {
		msg += ": " + redact.Line(o, 200)
	}
	return fmt.Errorf("%w: command %s: %s", ErrFailed, name, msg)
}

// commandEnv is the command's whole environment: nothing of the kiosk's
// own, which holds API keys.
func commandEnv(e Event) []string {
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
		EnvEvent + "=" + e.Name, EnvKiosk + "=" + e.Kiosk, EnvTime + "=" + e.Time.Format(time.RFC3339)}
	if !e.WaitingSince.IsZero() {
		env = append(env, EnvWaitingSince+"="+e.WaitingSince.Format(time.RFC3339))
	}
	return env
}

// capped keeps the first max bytes written to it.
type capped struct {
	mu  sync.Mutex
	b   []byte
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - len(c.b); room > 0 {
		c.b = append(c.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.b)
}
