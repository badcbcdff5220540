package config

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// settingKeys returns every dotted key of a duration, integer or float
// setting, found by reflection so that a key added later is covered too.
func settingKeys(t *testing.T) (durations, ints, floats []string) {
	t.Helper()
	eachKey(reflect.ValueOf(Default()).Elem(), "", func(key string, v reflect.Value) {
		switch {
		case v.Type() == durationType:
			durations = append(durations, key)
		case v.Kind() == reflect.Int:
			ints = append(ints, key)
		case v.Kind() == reflect.Float64:
			floats = append(floats, key)
		}
	})
	if len(durations) < 8 || len(ints) < 7 {
		t.Fatalf("found too few keys: %v %v", durations, ints)
	}
	return durations, ints, floats
}

// set assigns x to the setting named by key in c.
func set(c *Config, key string, x any) {
	eachKey(reflect.ValueOf(c).Elem(), "", func(k string, v reflect.Value) {
		if k != key {
			return
		}
		switch x := x.(type) {
		case int64:
			v.SetInt(x)
		case float64:
			v.SetFloat(x)
		}
	})
}

// fileFor writes "key = value" as TOML, the last part of the key inside
// the table named by the rest.
func fileFor(key, value string) string {
	i := strings.LastIndexByte(key, '.')
	if i < 0 {
		return key + " = " + value + "\n"
	}
	return "[" + key[:i] + "]\n" + key[i+1:] + " = " + value + "\n"
}

func namesKey(t *testing.T, err error, key string, also ...string) {
	t.Helper()
	var es Errors
	var e *Error
	if !errors.As(err, &es) && !errors.As(err, &e) {
		t.Fatalf("%s: err = %v, want a config error", key, err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "config: "+key+": ") {
		t.Errorf("the error does not name %s:\n%s", key, msg)
	}
	for _, a := range also {
		if !strings.Contains(msg, a) {
			t.Errorf("%s: the error lacks %q:\n%s", key, a, msg)
		}
	}
}

func TestEveryDurationAndSizeMustBePositive(t *testing.T) {
	durations, ints, floats := settingKeys(t)
	for _, key := range durations {
		for _, d := range []int64{0, -1, -int64(30e9)} {
			c := Default()
			set(c, key, d)
			namesKey(t, c.Validate(), key, `"30s"`)
		}
	}
	for _, key := range ints {
		for _, n := range []int64{0, -1} {
			c := Default()
			set(c, key, n)
			namesKey(t, c.Validate(), key, "not positive")
		}
	}
	for _, key := range floats {
		for _, f := range []float64{-1, math.NaN(), math.Inf(1), math.Inf(-1)} {
			c := Default()
			set(c, key, f)
			namesKey(t, c.Validate(), key)
		}
		c := Default()
		set(c, key, 0.0) // zero takes the calibrated default
		if err := c.Validate(); err != nil {
			t.Errorf("%s = 0: %v", key, err)
		}
	}
}

func TestDurationsInTheFile(t *testing.T) {
	durations, _, _ := settingKeys(t)
	dir := t.TempDir()
	for _, key := range durations {
		for _, value := range []string{"5", "-5", "0", `"0s"`, `"-1m"`, "1.5", `"5"`} {
			p := filepath.Join(dir, "c.toml")
			if err := os.WriteFile(p, []byte(fileFor(key, value)), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p, true, func(string) string { return "" })
			if err == nil {
				t.Errorf("%s = %s was accepted", key, value)
				continue
			}
			namesKey(t, err, key, "30s")
		}
		p := filepath.Join(dir, "c.toml")
		os.WriteFile(p, []byte(fileFor(key, `"90s"`)), 0o600)
		c, err := Load(p, true, func(string) string { return "" })
		if err != nil {
			t.Errorf("%s = \"90s\": %v", key, err)
			continue
		}
		got := map[string]int64{}
		eachKey(reflect.ValueOf(c).Elem(), "", func(k string, v reflect.Value) {
			if v.Type() == durationType {
				got[k] = v.Int()
			}
		})
		if got[key] != 90e9 {
			t.Errorf("%s = \"90s\" read as %v", key, Duration(got[key]).D())
		}
	}
}

func TestExposedSecrets(t *testing.T) {
	dir := t.TempDir()
	write := func(content string, mode os.FileMode) string {
		p := filepath.Join(dir, "c.toml")
		os.Remove(p)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil { // whatever the umask
			t.Fatal(err)
		}
		return p
	}
	key := strings.Repeat("ab", 32)
	fromEnv := func(k string) string {
		if k == EnvStoRegisterKey {
			return "env-key-value"
		}
		return ""
	}
	withSecret := "[storegister]\nbase_url = \"https://api.example.com\"\napi_key = \"file-key-value\"\n[outbox]\nkey = \"" + key + "\"\n"
	noSecret := "[storegister]\nbase_url = \"https://api.example.com\"\n"
	tests := []struct {
		name    string
		content string
		mode    os.FileMode
		getenv  func(string) string
		want    []string
	}{
		{"secret, world-readable", withSecret, 0o644, fromEnv, []string{"storegister.api_key", "outbox.key"}},
		{"secret, group-readable", withSecret, 0o640, fromEnv, []string{"storegister.api_key", "outbox.key"}},
		{"secret, private", withSecret, 0o600, fromEnv, nil},
		{"secret only in the environment", noSecret, 0o644, fromEnv, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(tt.content, tt.mode)
			if _, err := Load(p, true, tt.getenv); err != nil {
				t.Fatal(err)
			}
			keys, mode := ExposedSecrets(p)
			slices.Sort(keys)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(keys, want) {
				t.Errorf("keys = %v, want %v", keys, want)
			}
			if want != nil && mode != tt.mode {
				t.Errorf("mode = %v, want %v", mode, tt.mode)
			}
		})
	}
	for _, p := range []string{"", filepath.Join(dir, "missing.toml")} {
		if keys, _ := ExposedSecrets(p); keys != nil {
			t.Errorf("%q: %v", p, keys)
		}
	}
}

func TestLoadRefusesHugeAndSpecialFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.toml")
	big := strings.Repeat("# comment\n", MaxFileSize/10+1)
	if err := os.WriteFile(p, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{p, "/dev/zero", t.TempDir()} {
		_, err := Load(path, true, func(string) string { return "" })
		namesKey(t, err, "--config", path)
	}
}

// TestLoadReadsAPipe is signet-session's `run` as root: the kiosk user gets
// the root-only file through a pipe, as --config /dev/stdin.
func TestLoadReadsAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		_, _ = w.WriteString("[kiosk]\nidle_timeout = \"45s\"\n")
		w.Close()
	}()
	c, err := Load(fmt.Sprintf("/proc/self/fd/%d", r.Fd()), true, func(string) string { return "" })
	if err != nil {
		t.Fatalf("a configuration from a pipe: %v", err)
	}
	if got := time.Duration(c.Kiosk.IdleTimeout); got != 45*time.Second {
		t.Errorf("idle_timeout from the pipe = %v, want 45s", got)
	}
}
