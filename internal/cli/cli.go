// Package cli is Signet's command line: a small tree of subcommands, each
// defined in the file of its area and all listed in Commands (commands.go),
// with the exit codes every command shares.
//
// Exit codes: 0 success, 1 the remote side refused, 2 usage, configuration or
// local file error, 3 gave up after transient failures.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/signet-kiosk/signet/capture/imagecheck"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/redact"
)

// Exit codes shared by every command.
const (
	ExitOK      = 0
	ExitRefused = 1
	ExitUsage   = 2
	ExitGaveUp  = 3
)

// Command is one subcommand. Name is its path of words ("booking show"); the
// empty name is the bare `signet`.
type Command struct {
	Name    string
	Args    string // synopsis of the arguments, for help
	Summary string
	// Run executes the command with the arguments after its name. It returns
	// an *ExitError for a specific exit code; a local file error exits 2
	// (see ExitCode); any other error exits 1.
	Run func(ctx context.Context, env *Env, args []string) error
}

// commandSet indexes a list of commands by name. A name listed twice is a
// programming error, found by any test that runs a command: it panics.
type commandSet map[string]*Command

func newCommandSet(cmds []*Command) commandSet {
	set := make(commandSet, len(cmds))
	for _, c := range cmds {
		if _, dup := set[c.Name]; dup {
			panic("cli: command listed twice: " + strconv.Quote(c.Name))
		}
		set[c.Name] = c
	}
	return set
}

// Env is what a command runs with. Tests build one with buffers.
type Env struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Getenv         func(string) string
	Version        string

	// ConfigPath is --config, else $SIGNET_CONFIG, else the default path.
	ConfigPath string
	explicit   bool

	once   sync.Once
	cfg    *config.Config
	cfgErr error
	logger *slog.Logger
}

// NewEnv returns the Env of a real process.
func NewEnv(version string) *Env {
	return &Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Getenv: os.Getenv, Version: version}
}

// Config loads, validates and caches the configuration. Its error is an
// *ExitError with ExitUsage naming the bad key.
func (e *Env) Config() (*config.Config, error) {
	e.once.Do(func() {
		e.cfg, e.cfgErr = config.Load(e.ConfigPath, e.explicit, e.Getenv)
		if e.cfgErr != nil {
			e.cfgErr = &ExitError{Code: ExitUsage, Err: e.cfgErr}
		}
	})
	return e.cfg, e.cfgErr
}

// SetConfig installs an already loaded configuration (demo mode, tests).
func (e *Env) SetConfig(c *config.Config) {
	e.once.Do(func() {})
	e.cfg, e.cfgErr = c, nil
	e.logger = nil
}

// Logger returns the process logger: redacting, to stderr, as configured.
func (e *Env) Logger() *slog.Logger {
	if e.logger != nil {
		return e.logger
	}
	level, format := "info", "text"
	if c, _ := e.Config(); c != nil {
		level, format = c.Log.Level, c.Log.Format
	}
	e.logger = redact.NewLogger(e.Stderr, level, format)
	return e.logger
}

// ExitError carries an exit code.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// Usagef is a usage error (exit 2).
func Usagef(format string, a ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}

// Refused is a refusal by the remote side (exit 1).
func Refused(err error) error { return &ExitError{Code: ExitRefused, Err: err} }

// GaveUp is a failure after retrying transient errors (exit 3).
func GaveUp(err error) error { return &ExitError{Code: ExitGaveUp, Err: err} }

// LocalFile marks err as a problem with a local file (missing, unreadable,
// unwritable, too large): exit 2, whatever wraps it.
func LocalFile(err error) error { return &ExitError{Code: ExitUsage, Err: &localFileError{err}} }

type localFileError struct{ err error }

func (e *localFileError) Error() string { return e.err.Error() }
func (e *localFileError) Unwrap() error { return e.err }

// FileTooLargeError is a local file over a size cap (exit 2).
type FileTooLargeError struct {
	Path  string
	Limit int64 // bytes
}

func (e *FileTooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d bytes", e.Path, e.Limit)
}

// isLocalFileError reports whether err's chain holds an error about a local
// file: one marked by LocalFile, an *fs.PathError or *os.LinkError (open,
// read, stat, write, rename, …), a *FileTooLargeError, or an image refused
// for its size (imagecheck.ErrTooLarge: every image the command line
// decodes is a local file or camera frame). Network errors are none of these.
func isLocalFileError(err error) bool {
	var (
		lf *localFileError
		pe *fs.PathError
		le *os.LinkError
		tl *FileTooLargeError
	)
	return errors.As(err, &lf) || errors.As(err, &pe) || errors.As(err, &le) ||
		errors.As(err, &tl) || errors.Is(err, imagecheck.ErrTooLarge)
}

// ExitCode maps a command's error to the process's exit code: 0 for none
// (or --help); else an *ExitError's code, or 1. A local file error
// (isLocalFileError) exits 2 instead of 1, however a command wrapped it:
// 1 is kept for refusals by the remote side.
func ExitCode(err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	code := ExitRefused
	var ee *ExitError
	if errors.As(err, &ee) {
		code = ee.Code
	}
	if code == ExitRefused && isLocalFileError(err) {
		code = ExitUsage
	}
	return code
}

// Run is the process's entry point: it runs the command of cmds (see
// Commands) named by args with a root context that SIGINT and SIGTERM
// cancel, and returns the exit code. The first signal only cancels the
// context, so the command can stop cleanly; it also restores the default
// handling, so a second one ends the process at once.
func Run(version string, cmds []*Command, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	return Main(ctx, cmds, args, NewEnv(version))
}

// Main runs the command of cmds named by args and returns the exit code.
func Main(ctx context.Context, cmds []*Command, args []string, env *Env) int {
	set := newCommandSet(cmds)
	// Only --config is global, and only before the command: the bare
	// `signet --windowed` is the kiosk command with its own flag.
	var cfgPath string
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "--config" || a == "-config":
			if len(args) < 2 {
				fmt.Fprintln(env.Stderr, "signet: --config needs a file")
				return ExitUsage
			}
			cfgPath, args = args[1], args[2:]
			continue
		case strings.HasPrefix(a, "--config=") || strings.HasPrefix(a, "-config="):
			cfgPath, args = a[strings.IndexByte(a, '=')+1:], args[1:]
			continue
		}
		break
	}

	switch {
	case cfgPath != "":
		env.ConfigPath, env.explicit = cfgPath, true
	case env.Getenv(config.EnvConfig) != "":
		env.ConfigPath, env.explicit = env.Getenv(config.EnvConfig), true
	default:
		env.ConfigPath = config.DefaultPath()
	}
	if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		set.usage(env.Stdout)
		return ExitOK
	}

	cmd, rest := set.lookup(args)
	if cmd == nil {
		fmt.Fprintf(env.Stderr, "signet: unknown command %q\n\n", strings.Join(args, " "))
		set.usage(env.Stderr)
		return ExitUsage
	}
	err := cmd.Run(ctx, env, rest)
	code := ExitCode(err)
	if code != ExitOK {
		fmt.Fprintf(env.Stderr, "signet: %s\n", redact.Error(err))
	}
	return code
}

// lookup finds the command with the longest name that prefixes args.
func (set commandSet) lookup(args []string) (*Command, []string) {
	for n := len(args); n >= 0; n-- {
		if c, ok := set[strings.Join(args[:n], " ")]; ok {
			// A bare word that is not a flag and not a known command under an
			// empty-named root is a typo, not an argument.
			if n == 0 && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
				return nil, nil
			}
			return c, args[n:]
		}
	}
	return nil, nil
}

func (set commandSet) usage(w io.Writer) {
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "Usage: signet [--config FILE] COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, n := range names {
		c := set[n]
		title := strings.TrimSpace("signet " + n + " " + c.Args)
		fmt.Fprintf(w, "  %-58s %s\n", title, c.Summary)
	}
	fmt.Fprintln(w, "\nExit codes: 0 success, 1 refused by the remote side, 2 usage, configuration or local file error, 3 gave up after transient failures.")
}

// FlagSet returns a flag set for a command that prints its errors and usage
// to env.Stderr and names the command.
func (e *Env) FlagSet(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("signet "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.Stderr, "Usage: signet %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args with fs and turns a flag error into a usage error.
// Positional arguments are refused unless allowPositional.
func Parse(fs *flag.FlagSet, args []string, allowPositional bool) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &ExitError{Code: ExitUsage, Err: err}
	}
	if !allowPositional && fs.NArg() > 0 {
		return Usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// Strings is a repeatable string flag: --id A --id B.
type Strings []string

func (s *Strings) String() string     { return strings.Join(*s, ",") }
func (s *Strings) Set(v string) error { *s = append(*s, v); return nil }

// configured builds an API client from the configuration with build (one
// of package connect's constructors); a missing or bad setting is a usage
// error (exit 2).
func configured[C any](env *Env, build func(*config.Config, *slog.Logger, string) (C, error)) (C, error) {
	var zero C
	cfg, err := env.Config()
	if err != nil {
		return zero, err
	}
	c, err := build(cfg, env.Logger(), env.Version)
	if err != nil {
		return zero, &ExitError{Code: ExitUsage, Err: err}
	}
	return c, nil
}

// printJSON writes v as indented JSON, with <, > and & as themselves (an
// MRZ's fillers print as '<', not \u003c): every command's JSON output.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
