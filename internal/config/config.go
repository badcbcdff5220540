// Package config loads Signet's one configuration file, applies environment
// overrides for every secret and endpoint, and validates the result once at
// start, naming the key that is wrong.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/signet-kiosk/signet/assets"
	"github.com/signet-kiosk/signet/internal/aeskey"
	"github.com/signet-kiosk/signet/internal/bounded"
	"github.com/signet-kiosk/signet/internal/redact"
	"github.com/signet-kiosk/signet/internal/staffauth"
)

// Environment variables that override the file. Secrets belong here rather
// than in the file.
const (
	EnvConfig           = "SIGNET_CONFIG"
	EnvStoRegisterURL   = "SIGNET_STOREGISTER_URL"
	EnvStoRegisterKey   = "SIGNET_STOREGISTER_API_KEY"
	EnvMewsURL          = "SIGNET_MEWS_URL"
	EnvMewsClientToken  = "SIGNET_MEWS_CLIENT_TOKEN"
	EnvMewsAccessToken  = "SIGNET_MEWS_ACCESS_TOKEN"
	EnvStateDir         = "SIGNET_STATE_DIR"
	EnvCamera           = "SIGNET_CAMERA"
	EnvOutboxKey        = "SIGNET_OUTBOX_KEY"
	EnvLogLevel         = "SIGNET_LOG_LEVEL"
	EnvLogFormat        = "SIGNET_LOG_FORMAT"
	EnvStoRegisterTestB = "SIGNET_STOREGISTER_TEST_BOOKING"
)

// Config is the whole configuration. Field tags name the TOML keys; the same
// dotted names appear in validation errors and in `signet config show`.
type Config struct {
	Kiosk       Kiosk       `toml:"kiosk"`
	StoRegister StoRegister `toml:"storegister"`
	Mews        Mews        `toml:"mews"`
	Camera      Camera      `toml:"camera"`
	Scan        Scan        `toml:"scan"`
	Signature   Signature   `toml:"signature"`
	Outbox      Outbox      `toml:"outbox"`
	Staff       Staff       `toml:"staff"`
	Log         Log         `toml:"log"`
	Notify      Notify      `toml:"notify"`
	Metrics     Metrics     `toml:"metrics"`
	Audit       Audit       `toml:"audit"`
	Desk        Desk        `toml:"desk"`
	// StateDir holds the outbox, the staff lockout state and generated keys.
	StateDir string `toml:"state_dir"`
	// Mode is what `signet` opens: ModeKiosk (also "") or ModeDesk.
	Mode string `toml:"mode"`

	// Path is the file this was loaded from ("" for the embedded defaults).
	Path string `toml:"-"`
}

// The values of Config.Mode.
const (
	// ModeKiosk is the guest's touchscreen, full screen, with the staff
	// console behind its Staff door.
	ModeKiosk = "kiosk"
	// ModeDesk is the staff console alone in a desktop window, on a front
	// desk's PC.
	ModeDesk = "desk"
)

// Kiosk is the guest-facing shell.
type Kiosk struct {
	Languages       []string `toml:"languages"`
	DefaultLanguage string   `toml:"default_language"`
	Fullscreen      bool     `toml:"fullscreen"`
	HidePointer     bool     `toml:"hide_pointer"`
	IdleTimeout     Duration `toml:"idle_timeout"`
	IdleCountdown   Duration `toml:"idle_countdown"`
	DoneTimeout     Duration `toml:"done_timeout"`
	// DoneMessage maps a language code to the operator's next step shown on
	// the Done screen (internal/config/done.go).
	DoneMessage map[string]string `toml:"done_message"`
	// Terms maps a language code to the terms shown above the signature pad.
	Terms map[string]string `toml:"terms"`
	// TermsDir holds the operator's agreement, <lang>.md (internal/terms);
	// empty means the built-in sample.
	TermsDir string `toml:"terms_dir"`
	// StaffWait is how long "Call staff" holds off the idle reset.
	StaffWait Duration `toml:"staff_wait"`
	// SizeUnit follows a unit's size that StoRegister sends as a bare
	// number ("m²", "m³", "sq ft"); empty shows the number alone.
	SizeUnit string `toml:"size_unit"`
}

// StoRegister is the booking API.
type StoRegister struct {
	BaseURL string        `toml:"base_url"`
	APIKey  redact.Secret `toml:"api_key"`
	// AuthStyle is "x-api-key" (header X-API-Key: KEY) or "authorization"
	// (header Authorization: X-API-Key KEY).
	AuthStyle   string   `toml:"auth_style"`
	Timeout     Duration `toml:"timeout"`
	TestBooking string   `toml:"test_booking"`
	MaxImageKB  int      `toml:"max_image_kb"`
}

// Mews is the property-management system; optional.
type Mews struct {
	PlatformURL  string        `toml:"platform_url"`
	ClientToken  redact.Secret `toml:"client_token"`
	AccessToken  redact.Secret `toml:"access_token"`
	Client       string        `toml:"client"`
	LanguageCode string        `toml:"language_code"`
	CultureCode  string        `toml:"culture_code"`
	ChainID      string        `toml:"chain_id"`
	Timeout      Duration      `toml:"timeout"`
	// RateLimit is the client-side cap per access token in a sliding 30 s window.
	RateLimit int `toml:"rate_limit"`
}

// Camera selects the capture device.
type Camera struct {
	// Device is a camera spec: "auto", "synthetic", "/dev/videoN" or "file:PATH".
	Device string `toml:"device"`
}

// Scan holds the ID-scan quality thresholds and image output settings.
type Scan struct {
	MaxLongSide  int      `toml:"max_long_side"`
	JPEGQuality  int      `toml:"jpeg_quality"`
	MinSharpness float64  `toml:"min_sharpness"`
	MaxGlare     float64  `toml:"max_glare"`
	SteadyFor    Duration `toml:"steady_for"`
	// The remaining thresholds are described in capture/idscan; zero takes
	// the calibrated default.
	SharpnessRelative float64 `toml:"sharpness_relative"`
	MaxGlareCell      float64 `toml:"max_glare_cell"`
	MinLuma           float64 `toml:"min_luma"`
	MaxLuma           float64 `toml:"max_luma"`
	MaxMotion         float64 `toml:"max_motion"`
	MinFill           float64 `toml:"min_fill"`
	// Documents map StoRegister's document type names to their sides; empty
	// takes the built-in rules.
	Documents []ScanDocument `toml:"documents"`
}

// ScanDocument is one rule: a type name containing any of Match
// (case-insensitive) is a Kind with Sides sides (1 or 2).
type ScanDocument struct {
	Match []string `toml:"match"`
	Kind  string   `toml:"kind"`
	Sides int      `toml:"sides"`
}

// Signature holds the signing pad's export settings.
type Signature struct {
	ExportWidth int `toml:"export_width"`
}

// Outbox is the encrypted queue of submissions not yet sent.
type Outbox struct {
	Key      redact.Secret `toml:"key"`
	MaxItems int           `toml:"max_items"`
	MaxMB    int           `toml:"max_mb"`
	MaxAge   Duration      `toml:"max_age"`
}

// Staff is the front-desk console.
type Staff struct {
	// PINHash is written by `signet config set-pin`; never the PIN itself.
	PINHash     redact.Secret `toml:"pin_hash"`
	IdleTimeout Duration      `toml:"idle_timeout"`
	// Accounts are the staff accounts, each with its own PIN (staff.go).
	Accounts []StaffAccount `toml:"accounts"`
}

// Log configures log/slog.
type Log struct {
	Level  string `toml:"level"`  // debug, info, warn, error
	Format string `toml:"format"` // text or json
}

// Duration is a time.Duration written as "60s" in TOML. A bare number
// (timeout = 5) is refused by Load: it would read as nanoseconds.
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as \"30s\" or \"2m\"", b)
	}
	*d = Duration(v)
	return nil
}

// Default returns the embedded defaults: a kiosk that works with nothing set
// up (demo mode fills in the simulator's addresses and the synthetic camera).
func Default() *Config {
	return &Config{
		Mode: ModeKiosk,
		Kiosk: Kiosk{
			Languages:       slices.Clone(assets.Languages),
			DefaultLanguage: "en",
			Fullscreen:      true,
			HidePointer:     false,
			IdleTimeout:     Duration(60 * time.Second),
			IdleCountdown:   Duration(15 * time.Second),
			DoneTimeout:     Duration(20 * time.Second),
			StaffWait:       DefaultStaffWait,
		},
		StoRegister: StoRegister{AuthStyle: "x-api-key", Timeout: Duration(30 * time.Second), MaxImageKB: 1024},
		Mews:        Mews{Client: "Signet", Timeout: Duration(20 * time.Second), RateLimit: 180},
		Camera:      Camera{Device: "auto"},
		Scan:        defaultScan(),
		Signature:   Signature{ExportWidth: 1200},
		Outbox:      Outbox{MaxItems: 500, MaxMB: 512, MaxAge: Duration(23 * time.Hour)},
		Staff:       Staff{IdleTimeout: Duration(2 * time.Minute)},
		Log:         Log{Level: "info", Format: "text"},
		Notify:      Notify{Command: []string{}, Timeout: DefaultNotifyTimeout},
		Audit:       defaultAudit(),
	}
}

// defaultScan holds the ID-scan defaults calibrated in
// capture/idscan/CALIBRATION.md.
func defaultScan() Scan {
	return Scan{MaxLongSide: 2000, JPEGQuality: 85, SteadyFor: Duration(500 * time.Millisecond),
		MinSharpness: 300, MaxGlare: 0.02, SharpnessRelative: 0.6, MaxGlareCell: 0.10,
		MinLuma: 80, MaxLuma: 220, MaxMotion: 3, MinFill: 0.55}
}

// DefaultPath is where the file is looked for when neither --config nor
// SIGNET_CONFIG names one: signet/config.toml under the user's config directory.
func DefaultPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "signet", "config.toml")
}

// Error is a configuration problem, naming the key.
type Error struct {
	Key    string // dotted TOML key, or the environment variable
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("config: %s: %s", e.Key, e.Reason) }

// Errors is every problem found by Validate.
type Errors []*Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// MaxFileSize caps the configuration file: far above any real one, it
// keeps a wrong path (a device, a disk image) from being read whole.
const MaxFileSize = 1 << 20

// Load reads path (if non-empty; a missing default file is not an error),
// applies the environment through getenv, registers every secret with
// package redact, and validates. explicit says whether path was asked for by
// the user, in which case a missing file is an error.
func Load(path string, explicit bool, getenv func(string) string) (*Config, error) {
	c := Default()
	if path != "" {
		b, _, err := readFile(path)
		switch {
		case err == nil:
			if err := decode(b, c); err != nil {
				return nil, err
			}
			c.Path = path
		case errors.Is(err, os.ErrNotExist) && !explicit:
		default:
			return nil, &Error{Key: "--config", Reason: fmt.Sprintf("cannot read %s: %v", path, unwrapPath(err))}
		}
	}
	c.ApplyEnv(getenv)
	c.RegisterSecrets()
	if err := c.Validate(); err != nil {
		return c, err
	}
	return c, nil
}

// readFile reads a regular file or a pipe of at most MaxFileSize bytes and
// returns its permission bits. A pipe is how `signet-session run` hands the
// root-only file to the kiosk user (--config /dev/stdin); devices such as
// /dev/zero, directories and sockets are refused.
func readFile(path string) ([]byte, os.FileMode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() && fi.Mode().Type() != os.ModeNamedPipe {
		return nil, 0, errors.New("not a regular file or a pipe")
	}
	b, err := bounded.Read(f, "the file", MaxFileSize)
	if errors.Is(err, bounded.ErrTooLarge) {
		return nil, 0, fmt.Errorf("larger than %d KiB: not a configuration file", MaxFileSize>>10)
	}
	if err != nil {
		return nil, 0, err
	}
	return b, fi.Mode().Perm(), nil
}

// secretKeys returns the dotted keys of the secrets that are set.
func (c *Config) secretKeys() []string {
	var keys []string
	eachKey(reflect.ValueOf(c).Elem(), "", func(key string, v reflect.Value) {
		if v.Type() == secretType && v.String() != "" {
			keys = append(keys, key)
		}
	})
	return append(keys, c.Staff.accountSecretKeys()...)
}

// ExposedSecrets reports the secret keys that the configuration file at
// path sets itself (not through the environment) when that file is readable
// by its group or by others, with its mode; nil when it is not, when it
// sets no secret, or when it cannot be read or decoded (Load says why).
func ExposedSecrets(path string) ([]string, os.FileMode) {
	if path == "" {
		return nil, 0
	}
	b, mode, err := readFile(path)
	if err != nil || mode&0o077 == 0 {
		return nil, 0
	}
	var c Config
	if err := toml.Unmarshal(b, &c); err != nil {
		return nil, 0
	}
	keys := c.secretKeys()
	if len(keys) == 0 {
		return nil, 0
	}
	return keys, mode
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func decode(b []byte, c *Config) error {
	if err := bareDurations(b); err != nil {
		return err
	}
	d := toml.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(c); err != nil {
		var sm *toml.StrictMissingError
		if errors.As(err, &sm) && len(sm.Errors) > 0 {
			es := make(Errors, 0, len(sm.Errors))
			for _, e := range sm.Errors {
				es = append(es, &Error{Key: strings.Join(e.Key(), "."), Reason: "unknown key"})
			}
			return es
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			key := strings.Join(de.Key(), ".")
			if key == "" {
				key = fmt.Sprintf("line %d", row)
			}
			return &Error{Key: key, Reason: fmt.Sprintf("line %d column %d: %s", row, col, redact.String(de.Error()))}
		}
		return &Error{Key: "file", Reason: redact.String(err.Error())}
	}
	return nil
}

// bareDurations refuses a duration key written as anything but a string:
// go-toml stores an integer straight into the int64 under Duration, so
// timeout = 5 would read as 5 ns. A file that is not TOML is left to the
// decoder, which says where.
func bareDurations(b []byte) error {
	var raw map[string]any
	if err := toml.Unmarshal(b, &raw); err != nil {
		return nil
	}
	var es Errors
	eachKey(reflect.ValueOf(&Config{}).Elem(), "", func(key string, v reflect.Value) {
		if v.Type() != durationType {
			return
		}
		var cur any = raw
		for _, part := range strings.Split(key, ".") {
			m, ok := cur.(map[string]any)
			if !ok {
				return
			}
			if cur, ok = m[part]; !ok {
				return
			}
		}
		if _, ok := cur.(string); !ok {
			es = append(es, &Error{Key: key, Reason: fmt.Sprintf(
				"%v is not a duration: write one as a string with its unit, such as \"30s\" (a bare number would be read as nanoseconds)", redact.String(fmt.Sprint(cur)))})
		}
	})
	if len(es) == 0 {
		return nil
	}
	return es
}

var (
	durationType = reflect.TypeOf(Duration(0))
	secretType   = reflect.TypeOf(redact.Secret(""))
)

// eachKey calls fn with the dotted TOML key and the value of every setting
// under v, descending into tables (structs) but not into arrays of tables
// or maps.
func eachKey(v reflect.Value, prefix string, fn func(key string, v reflect.Value)) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("toml"), ",")
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		if f := v.Field(i); f.Kind() == reflect.Struct {
			eachKey(f, prefix+name+".", fn)
		} else {
			fn(prefix+name, f)
		}
	}
}

// ApplyEnv overrides file values with non-empty environment variables.
func (c *Config) ApplyEnv(getenv func(string) string) {
	set := func(dst *string, name string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	setS := func(dst *redact.Secret, name string) {
		if v := getenv(name); v != "" {
			*dst = redact.Secret(v)
		}
	}
	set(&c.StoRegister.BaseURL, EnvStoRegisterURL)
	setS(&c.StoRegister.APIKey, EnvStoRegisterKey)
	set(&c.StoRegister.TestBooking, EnvStoRegisterTestB)
	set(&c.Mews.PlatformURL, EnvMewsURL)
	setS(&c.Mews.ClientToken, EnvMewsClientToken)
	setS(&c.Mews.AccessToken, EnvMewsAccessToken)
	set(&c.StateDir, EnvStateDir)
	set(&c.Camera.Device, EnvCamera)
	setS(&c.Outbox.Key, EnvOutboxKey)
	set(&c.Log.Level, EnvLogLevel)
	set(&c.Log.Format, EnvLogFormat)
	setS(&c.Notify.Webhook, EnvNotifyWebhook)
	set(&c.Metrics.Listen, EnvMetricsListen)
}

// RegisterSecrets hands every secret value to package redact, so that none
// can be printed even through an error string.
func (c *Config) RegisterSecrets() {
	redact.Register(c.StoRegister.APIKey.Reveal(), c.Mews.ClientToken.Reveal(),
		c.Mews.AccessToken.Reveal(), c.Outbox.Key.Reveal(), c.Staff.PINHash.Reveal(), c.Notify.Webhook.Reveal())
	redact.Register(c.Staff.accountHashes()...)
}

// MewsEnabled reports whether Mews is configured; the kiosk works without it.
func (c *Config) MewsEnabled() bool {
	return c.Mews.PlatformURL != "" || !c.Mews.AccessToken.IsZero() || !c.Mews.ClientToken.IsZero()
}

// StoRegisterEnabled reports whether the booking API is configured.
func (c *Config) StoRegisterEnabled() bool {
	return c.StoRegister.BaseURL != "" || !c.StoRegister.APIKey.IsZero()
}

// Validate checks every value and returns all problems at once.
func (c *Config) Validate() error {
	var es Errors
	bad := func(key, reason string) { es = append(es, &Error{Key: key, Reason: reason}) }
	switch c.Mode {
	case "", ModeKiosk, ModeDesk:
	default:
		bad("mode", `want "kiosk" or "desk"`)
	}

	if c.StoRegisterEnabled() {
		if c.StoRegister.BaseURL == "" {
			bad("storegister.base_url", "missing (or set "+EnvStoRegisterURL+")")
		} else if r := checkURL(c.StoRegister.BaseURL); r != "" {
			bad("storegister.base_url", r)
		}
		if c.StoRegister.APIKey.IsZero() {
			bad("storegister.api_key", "missing: set "+EnvStoRegisterKey)
		}
	}
	switch c.StoRegister.AuthStyle {
	case "x-api-key", "authorization":
	default:
		bad("storegister.auth_style", fmt.Sprintf("%q is not one of x-api-key, authorization", c.StoRegister.AuthStyle))
	}
	if c.MewsEnabled() {
		if c.Mews.PlatformURL == "" {
			bad("mews.platform_url", "missing (or set "+EnvMewsURL+")")
		} else if r := checkURL(c.Mews.PlatformURL); r != "" {
			bad("mews.platform_url", r)
		}
		if c.Mews.ClientToken.IsZero() {
			bad("mews.client_token", "missing: set "+EnvMewsClientToken)
		}
		if c.Mews.AccessToken.IsZero() {
			bad("mews.access_token", "missing: set "+EnvMewsAccessToken)
		}
		if (c.Mews.LanguageCode == "") != (c.Mews.CultureCode == "") {
			bad("mews.language_code", "language_code and culture_code go together: set both or neither")
		}
		if c.Mews.RateLimit > 200 {
			bad("mews.rate_limit", fmt.Sprintf("%d is outside 1–200 requests per 30 s", c.Mews.RateLimit))
		}
	}
	if len(c.Kiosk.Languages) == 0 {
		bad("kiosk.languages", "empty: list at least one of en, fr, es, de, nl")
	}
	for _, l := range c.Kiosk.Languages {
		if !knownLanguage(l) {
			bad("kiosk.languages", fmt.Sprintf("%q is not one of en, fr, es, de, nl", l))
		}
	}
	if !knownLanguage(c.Kiosk.DefaultLanguage) {
		bad("kiosk.default_language", fmt.Sprintf("%q is not one of en, fr, es, de, nl", c.Kiosk.DefaultLanguage))
	}
	// Every duration and every size or count must be positive: a zero
	// timeout never fires, a zero cap refuses everything. The example is the
	// built-in default of the same key.
	defaults := map[string]reflect.Value{}
	eachKey(reflect.ValueOf(Default()).Elem(), "", func(key string, v reflect.Value) { defaults[key] = v })
	eachKey(reflect.ValueOf(c).Elem(), "", func(key string, v reflect.Value) {
		switch {
		case v.Type() == durationType:
			if d := Duration(v.Int()); d <= 0 {
				bad(key, fmt.Sprintf("%v is not a positive duration: write one with its unit, such as \"30s\" (the default is \"%v\")",
					d.D(), Duration(defaults[key].Int()).D()))
			}
		case v.Kind() == reflect.Int:
			if n := v.Int(); n <= 0 {
				bad(key, fmt.Sprintf("%d is not positive: write a number such as %d (the default)", n, defaults[key].Int()))
			}
		case v.Kind() == reflect.Float64:
			if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
				bad(key, fmt.Sprintf("%v is not a finite number of 0 or more (0 takes the calibrated default)", f))
			}
		}
	})
	if k := c.Outbox.Key.Reveal(); k != "" {
		if _, err := aeskey.Parse(k); err != nil {
			bad("outbox.key", "must be 32 bytes written as 64 hex digits or base64 (or unset, to generate one into the state directory); set "+EnvOutboxKey)
		}
	}
	if h := c.Staff.PINHash.Reveal(); h != "" {
		if _, err := staffauth.Parse(h); err != nil {
			// The error names the parameter that is wrong, never the hash.
			bad("staff.pin_hash", strings.TrimPrefix(err.Error(), staffauth.ErrBadHash.Error()+": ")+
				": set it again with `signet config set-pin`")
		}
	}
	es = append(es, c.Staff.validateAccounts()...)
	if c.Outbox.MaxAge.D() > 24*time.Hour {
		bad("outbox.max_age", "over 24h: StoRegister drops a saved signature after a day")
	}
	if c.Scan.JPEGQuality > 0 && (c.Scan.JPEGQuality < 30 || c.Scan.JPEGQuality > 100) {
		bad("scan.jpeg_quality", fmt.Sprintf("%d is outside 30–100", c.Scan.JPEGQuality))
	}
	if c.Scan.MaxLongSide > 0 && (c.Scan.MaxLongSide < 600 || c.Scan.MaxLongSide > 6000) {
		bad("scan.max_long_side", fmt.Sprintf("%d is outside 600–6000 px", c.Scan.MaxLongSide))
	}
	for i, d := range c.Scan.Documents {
		if d.Sides != 1 && d.Sides != 2 {
			bad(fmt.Sprintf("scan.documents[%d].sides", i), fmt.Sprintf("%d is not 1 or 2", d.Sides))
		}
		if len(d.Match) == 0 {
			bad(fmt.Sprintf("scan.documents[%d].match", i), "empty: list names such as \"passport\"")
		}
	}
	if c.Scan.MinLuma != 0 && c.Scan.MaxLuma != 0 && c.Scan.MinLuma >= c.Scan.MaxLuma {
		bad("scan.min_luma", fmt.Sprintf("%g is not below scan.max_luma %g", c.Scan.MinLuma, c.Scan.MaxLuma))
	}
	if c.Signature.ExportWidth > 0 && (c.Signature.ExportWidth < 200 || c.Signature.ExportWidth > 4000) {
		bad("signature.export_width", fmt.Sprintf("%d is outside 200–4000 px", c.Signature.ExportWidth))
	}
	if c.Camera.Device == "" {
		bad("camera.device", "empty: use auto, synthetic, /dev/videoN or file:PATH")
	} else if !validCamera(c.Camera.Device) {
		bad("camera.device", fmt.Sprintf("%q is not auto, synthetic, /dev/… or file:PATH", c.Camera.Device))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", fmt.Sprintf("%q is not one of debug, info, warn, error", c.Log.Level))
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		bad("log.format", fmt.Sprintf("%q is not one of text, json", c.Log.Format))
	}
	es = append(es, c.validateGuest()...)
	c.validateFleet(bad)
	c.validateDesk(bad)
	if len(es) == 0 {
		return nil
	}
	return es
}

func knownLanguage(l string) bool { return slices.Contains(assets.Languages, l) }

func validCamera(s string) bool {
	return s == "auto" || s == "synthetic" || strings.HasPrefix(s, "synthetic:") ||
		strings.HasPrefix(s, "/dev/") || strings.HasPrefix(s, "file:")
}

// checkURL returns "" for a usable API address, else what is wrong with it.
// Plain http is allowed only to loopback (the simulator).
func checkURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Sprintf("%q is not an http(s) URL such as https://api.example.com", redact.String(raw))
	}
	if u.User != nil {
		return "must not carry credentials in the URL; use the key or token settings"
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return fmt.Sprintf("plain http to %s is not allowed: use https (http is only for loopback)", u.Hostname())
	}
	return ""
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// StateDirOrDefault returns the state directory, defaulting to signet under
// the user's state/cache location.
func (c *Config) StateDirOrDefault() string {
	if c.StateDir != "" {
		return c.StateDir
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "signet")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "state", "signet")
	}
	return filepath.Join(os.TempDir(), "signet-state")
}

// Masked returns the configuration as TOML with every secret masked, for
// `signet config show`.
func (c *Config) Masked() ([]byte, error) {
	cp := *c
	maskSecrets(reflect.ValueOf(&cp).Elem())
	b, err := toml.Marshal(&cp)
	if err != nil {
		return nil, err
	}
	// Second layer: scrub any registered secret that reached another field.
	return []byte(redact.String(string(b))), nil
}

// maskSecrets replaces every redact.Secret reachable from v with its mask.
// go-toml writes string-kinded types as plain strings, so the type's own
// MarshalText is not enough.
func maskSecrets(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.CanSet() {
				maskSecrets(f)
			}
		}
	case reflect.Slice: // a copy: Masked's shallow copy shares the array
		if v.CanSet() && !v.IsNil() {
			cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(cp, v)
			v.Set(cp)
			for i := range cp.Len() {
				maskSecrets(cp.Index(i))
			}
		}
	case reflect.String:
		if v.Type() == secretType && v.CanSet() {
			v.SetString(v.Interface().(redact.Secret).String())
		}
	}
}
