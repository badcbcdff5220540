// Package deploy holds the kiosk's systemd unit, session, udev rule, example
// configuration and install scripts; its tests install into a temporary
// root and check what lands there.
package deploy

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/redact"
)

// repoRoot is the module root, the directory above this file's.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	return filepath.Dir(filepath.Dir(file))
}

// stubBinary writes a stand-in for build/signet (building the real one takes
// minutes); install.sh copies it like any other file.
func stubBinary(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "signet")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n# "+content+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// run runs name with args in the repository root, with extra environment,
// and returns its combined output; it fails the test on a non-zero exit.
func run(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	out, err := runErr(t, env, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func runErr(t *testing.T, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// makeInstall runs `make install` into root with PREFIX and the stub binary.
func makeInstall(t *testing.T, root, prefix, bin string) string {
	t.Helper()
	return run(t, nil, "make", "--no-print-directory", "install", "DESTDIR="+root, "PREFIX="+prefix, "INSTALL_BIN="+bin)
}

// wantFile is one installed path, its permission bits and, for the files
// that install.sh rewrites, a line it must contain.
type wantFile struct {
	path     string
	mode     fs.FileMode
	contains string
}

func installedFiles(prefix string) []wantFile {
	return []wantFile{
		{prefix + "/bin/signet", 0o755, ""},
		{prefix + "/lib/signet/signet-session", 0o755, "prefix=" + prefix + "\n"},
		{"/etc/systemd/system/signet.service", 0o644, "ExecStart=" + prefix + "/lib/signet/signet-session\n"},
		{"/etc/udev/rules.d/70-signet-camera.rules", 0o644, `SUBSYSTEM=="video4linux"`},
		{prefix + "/share/doc/signet/operating.md", 0o644, ""},
		{prefix + "/share/doc/signet/config.example.toml", 0o644, ""},
		{prefix + "/share/doc/signet/signet.env.example", 0o644, ""},
		{"/etc/signet", fs.ModeDir | 0o700, ""},
		{"/etc/signet/config.toml", 0o600, "[storegister]"},
		{"/etc/signet/signet.env", 0o600, "SIGNET_STOREGISTER_API_KEY"},
	}
}

// checkFiles checks every file's type, mode, owner and content.
func checkFiles(t *testing.T, root string, want []wantFile) {
	t.Helper()
	for _, w := range want {
		p := filepath.Join(root, w.path)
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", w.path, err)
			continue
		}
		if got := fi.Mode() & (fs.ModeType | fs.ModePerm); got != w.mode {
			t.Errorf("%s: mode %v, want %v", w.path, got, w.mode)
		}
		// Owned by whoever installed: root:root on a real install.
		st := fi.Sys().(*syscall.Stat_t)
		if int(st.Uid) != os.Getuid() {
			t.Errorf("%s: owner uid %d, want %d", w.path, st.Uid, os.Getuid())
		}
		if os.Getuid() == 0 && st.Gid != 0 {
			t.Errorf("%s: group gid %d, want 0 (root)", w.path, st.Gid)
		}
		if w.contains != "" {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("%s: %v", w.path, err)
			} else if !strings.Contains(string(b), w.contains) {
				t.Errorf("%s does not contain %q", w.path, w.contains)
			}
		}
	}
}

func TestInstall(t *testing.T) {
	tests := []struct {
		name, prefix string
	}{
		{"default prefix", "/usr/local"},
		{"prefix /opt/signet", "/opt/signet"},
		{"prefix /usr", "/usr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			out := makeInstall(t, root, tt.prefix, stubBinary(t, "v1"))
			if !strings.Contains(out, "no user created") {
				t.Errorf("install into DESTDIR did not say it skipped the user:\n%s", out)
			}
			checkFiles(t, root, installedFiles(tt.prefix))

			// Nothing else: every installed file is one we expect.
			want := map[string]bool{}
			for _, w := range installedFiles(tt.prefix) {
				want[w.path] = true
			}
			err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				if rel := strings.TrimPrefix(p, root); !want[rel] {
					t.Errorf("unexpected file %s", rel)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{"/etc/systemd/system/signet.service", tt.prefix + "/lib/signet/signet-session"} {
				b, _ := os.ReadFile(filepath.Join(root, p))
				if tt.prefix != "/usr/local" && strings.Contains(string(b), "/usr/local/") {
					t.Errorf("%s still names /usr/local with PREFIX=%s", p, tt.prefix)
				}
				if strings.Contains(string(b), "@PREFIX@\n") {
					t.Errorf("%s still has the @PREFIX@ placeholder", p)
				}
			}
		})
	}
}

// TestReinstallKeepsConfig is the update path: a second install replaces the
// binary but never an edited configuration or environment file.
func TestReinstallKeepsConfig(t *testing.T) {
	root := t.TempDir()
	makeInstall(t, root, "/usr/local", stubBinary(t, "v1"))
	edited := map[string]string{
		"/etc/signet/config.toml": "[camera]\ndevice = \"/dev/v4l/by-id/usb-Test-video-index0\"\n",
		"/etc/signet/signet.env":  "SIGNET_STOREGISTER_API_KEY=edited\n",
	}
	for p, content := range edited {
		if err := os.WriteFile(filepath.Join(root, p), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out := makeInstall(t, root, "/usr/local", stubBinary(t, "v2"))
	for p, content := range edited {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != content {
			t.Errorf("%s was overwritten by the second install:\n%s", p, b)
		}
		if !strings.Contains(out, p+" exists: kept") {
			t.Errorf("install did not say it kept %s:\n%s", p, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(root, "/usr/local/bin/signet"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("v2")) {
		t.Errorf("the binary was not updated: %q", b)
	}
	// Modes and owners as before; the edited files' content is checked above.
	files := installedFiles("/usr/local")
	for i := range files {
		if _, ok := edited[files[i].path]; ok {
			files[i].contains = ""
		}
	}
	checkFiles(t, root, files)
}

func TestInstallErrors(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		want string
	}{
		{"missing binary", []string{"BIN=/nonexistent/signet"}, "make build"},
		{"relative prefix", []string{"PREFIX=usr/local"}, "absolute path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			env := append([]string{"DESTDIR=" + root, "BIN=" + stubBinary(t, "v1")}, tt.env...)
			out, err := runErr(t, env, "deploy/install.sh")
			if err == nil {
				t.Fatalf("install succeeded, want an error:\n%s", out)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("error %q does not mention %q", out, tt.want)
			}
		})
	}
}

func TestUninstall(t *testing.T) {
	root := t.TempDir()
	makeInstall(t, root, "/usr/local", stubBinary(t, "v1"))
	state := filepath.Join(root, "var/lib/signet")
	if err := os.MkdirAll(state, 0o700); err != nil {
		t.Fatal(err)
	}
	run(t, nil, "make", "--no-print-directory", "uninstall", "DESTDIR="+root)
	for _, w := range installedFiles("/usr/local") {
		_, err := os.Stat(filepath.Join(root, w.path))
		kept := strings.HasPrefix(w.path, "/etc/signet")
		if kept && err != nil {
			t.Errorf("uninstall removed %s; only PURGE=1 may: %v", w.path, err)
		}
		if !kept && !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("uninstall left %s (%v)", w.path, err)
		}
	}
	if _, err := os.Stat(state); err != nil {
		t.Errorf("uninstall removed the state directory (the outbox): %v", err)
	}
	run(t, nil, "make", "--no-print-directory", "uninstall", "DESTDIR="+root, "PURGE=1")
	for _, p := range []string{"/etc/signet", "/var/lib/signet"} {
		if _, err := os.Stat(filepath.Join(root, p)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("PURGE=1 left %s (%v)", p, err)
		}
	}
}

// TestSystemdVerify runs `systemd-analyze verify` on the installed unit. The
// unit names its ExecStart under PREFIX, which verify checks for on the real
// file system, so the staged copy is pointed into the temporary root.
func TestSystemdVerify(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed (Debian package systemd): cannot verify the unit")
	}
	root := t.TempDir()
	makeInstall(t, root, "/usr/local", stubBinary(t, "v1"))
	unit, err := os.ReadFile(filepath.Join(root, "/etc/systemd/system/signet.service"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	staged := filepath.Join(dir, "signet.service")
	content := strings.ReplaceAll(string(unit), "/usr/local/", root+"/usr/local/")
	if err := os.WriteFile(staged, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runErr(t, nil, sa, "verify", staged)
	if err != nil {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// Warnings do not change the exit status; any about our unit is a failure.
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "signet") {
			t.Errorf("systemd-analyze verify: %s", line)
		}
	}
	for _, want := range []string{"Restart=on-failure", "StartLimitIntervalSec=", "StartLimitBurst=",
		"StandardOutput=journal", "User=signet", "StateDirectory=signet", "StateDirectoryMode=0700",
		"EnvironmentFile=-/etc/signet/signet.env", "LoadCredential=config.toml:/etc/signet/config.toml",
		"Environment=LANG=en_US.UTF-8"} {
		if !strings.Contains(string(unit), "\n"+want) {
			t.Errorf("the unit lacks %s", want)
		}
	}
}

// TestSession runs signet-session with a fake xinit and a fake signet: the
// session must return the kiosk's own exit status (xinit returns its own),
// so that Restart=on-failure sees a crash and not a clean exit.
func TestSession(t *testing.T) {
	session := filepath.Join(repoRoot(t), "deploy/session/signet-session")
	tests := []struct {
		name     string
		kiosk    int  // the fake signet's exit status
		noClient bool // xinit fails before starting the client
		want     int
	}{
		{"clean exit", 0, false, 0},
		{"crash", 1, false, 1},
		{"config error", 2, false, 2},
		{"X server failed", 0, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fk := newSessionFakes(t)
			log := fk.log
			// xinit CLIENT ARG -- SERVER DISPLAY …: run the client unless told not to.
			xinit := "#!/bin/sh\necho \"xinit $*\" >>" + log + "\n"
			if tt.noClient {
				xinit += "exit 1\n"
			} else {
				xinit += "\"$1\" \"$2\"\nexit 0\n"
			}
			fakes := map[string]string{
				"xinit":  xinit,
				"xset":   "#!/bin/sh\necho \"xset $*\" >>" + log + "\n",
				"signet": "#!/bin/sh\necho \"signet $*\" >>" + log + "\nexit " + strconv.Itoa(tt.kiosk) + "\n",
			}
			fk.write(t, fakes)
			out, err := runErr(t, fk.env("SIGNET_ARGS=demo --windowed", "DISPLAY=:0"), session)
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.want {
				t.Errorf("exit status %d, want %d\n%s", code, tt.want, out)
			}
			b, _ := os.ReadFile(log)
			calls := string(b)
			if !strings.Contains(calls, "xinit "+session+" client -- /usr/bin/X :0 ") ||
				!strings.Contains(calls, " vt1 -keeptty -novtswitch -nolisten tcp -s 0 -dpms") {
				t.Errorf("xinit was not started as expected:\n%s", calls)
			}
			if tt.noClient {
				return
			}
			if !strings.Contains(calls, "xset s off -dpms s noblank\nsignet demo --windowed\n") {
				t.Errorf("blanking was not switched off before the kiosk started:\n%s", calls)
			}
			if _, err := os.Stat(filepath.Join(fk.dir, "signet-session.status")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the status file was left behind: %v", err)
			}
		})
	}
}

// uncommentExample returns the example configuration with every commented
// "#key = value" and "#[table]" line enabled, the first of repeated keys
// winning, so that the documented defaults can be checked against the code.
func uncommentExample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy/config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	table := ""
	seen := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		s := strings.TrimPrefix(line, "#")
		switch {
		case strings.HasPrefix(s, "["):
			table = s
			out = append(out, s)
		case s != line && strings.Contains(s, " = ") && !strings.HasPrefix(s, " "):
			key := table + "." + strings.TrimSpace(strings.SplitN(s, "=", 2)[0])
			if !seen[key] {
				seen[key] = true
				out = append(out, s)
			}
		default:
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// TestConfigExample loads the example configuration with every key enabled:
// each key must exist, and each value shown as the default must be it.
func TestConfigExample(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(uncommentExample(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{
		config.EnvStoRegisterKey:  "example-api-key-0001",
		config.EnvMewsClientToken: "example-client-token-0001",
		config.EnvMewsAccessToken: "example-access-token-0001",
	}
	got, err := config.Load(p, true, func(k string) string { return secrets[k] })
	if err != nil {
		t.Fatalf("the example configuration, uncommented, does not load: %v", err)
	}
	// Values the example sets on purpose, not defaults.
	want := config.Default()
	want.Path = p
	want.StoRegister.BaseURL = "https://storegister.example.com/api"
	want.StoRegister.APIKey = redact.Secret(secrets[config.EnvStoRegisterKey])
	want.Mews.PlatformURL = "https://api.mews.com"
	want.Mews.ClientToken = redact.Secret(secrets[config.EnvMewsClientToken])
	want.Mews.AccessToken = redact.Secret(secrets[config.EnvMewsAccessToken])
	if !strings.HasPrefix(got.Camera.Device, "/dev/v4l/by-id/") {
		t.Errorf("camera.device: the example recommends %q, want a /dev/v4l/by-id/ name", got.Camera.Device)
	}
	want.Camera.Device = got.Camera.Device
	want.Kiosk.Terms = got.Kiosk.Terms
	want.Kiosk.DoneMessage = got.Kiosk.DoneMessage
	want.Scan.Documents = got.Scan.Documents
	// The scan thresholds are capture/idscan's calibration and move with it;
	// only their keys are checked here (Load rejects unknown keys).
	want.Scan, got.Scan = config.Scan{}, config.Scan{}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the example's defaults differ from config.Default() (-code +example):\n%s", diff)
	}
}

// tomlKeys lists every leaf key of v's type as a dotted TOML name.
func tomlKeys(prefix string, ty reflect.Type) []string {
	var keys []string
	for i := 0; i < ty.NumField(); i++ {
		f := ty.Field(i)
		tag := strings.Split(f.Tag.Get("toml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		name := prefix + tag
		if f.Type.Kind() == reflect.Struct && f.Type.NumField() > 0 && f.Type.Field(0).Tag.Get("toml") != "" {
			keys = append(keys, tomlKeys(name+".", f.Type)...)
			continue
		}
		keys = append(keys, name)
	}
	return keys
}

// TestGuideDocumentsEveryKey: docs/operating.md names every configuration
// key and every environment variable the binary reads, and the example
// configuration shows every key.
func TestGuideDocumentsEveryKey(t *testing.T) {
	guide, err := os.ReadFile(filepath.Join(repoRoot(t), "docs/operating.md"))
	if err != nil {
		t.Fatal(err)
	}
	example := uncommentExample(t)
	for _, key := range tomlKeys("", reflect.TypeOf(config.Config{})) {
		if !bytes.Contains(guide, []byte("`"+key+"`")) {
			t.Errorf("docs/operating.md does not document `%s`", key)
		}
		leaf := key[strings.LastIndex(key, ".")+1:]
		if !strings.Contains(example, "\n"+leaf+" = ") && !strings.Contains(example, "["+key+"]") {
			t.Errorf("deploy/config.example.toml does not show %s", key)
		}
	}
	for _, env := range []string{config.EnvConfig, config.EnvStoRegisterURL, config.EnvStoRegisterKey,
		config.EnvMewsURL, config.EnvMewsClientToken, config.EnvMewsAccessToken, config.EnvStateDir,
		config.EnvCamera, config.EnvOutboxKey, config.EnvLogLevel, config.EnvLogFormat, config.EnvStoRegisterTestB} {
		if !bytes.Contains(guide, []byte("`"+env+"`")) {
			t.Errorf("docs/operating.md does not document `%s`", env)
		}
	}
}

// TestSessionRun checks `signet-session run`, the operator's way to run a
// command exactly as the service would: the secrets file loaded, the
// configuration named, the state directory and locale of the unit, and, as
// root, the kiosk user reading the root-only configuration through a pipe.
func TestSessionRun(t *testing.T) {
	session := filepath.Join(repoRoot(t), "deploy/session/signet-session")
	// A world-readable directory, so that another user can run the fake.
	dir, err := os.MkdirTemp("", "signet-run-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	fake := filepath.Join(dir, "signet")
	script := `#!/bin/sh
echo "args: $*"
echo "user: $(id -un)"
echo "env: SIGNET_STATE_DIR=$SIGNET_STATE_DIR LANG=$LANG SIGNET_STOREGISTER_API_KEY=$SIGNET_STOREGISTER_API_KEY SIGNET_CONFIG=${SIGNET_CONFIG:-unset}"
if [ "$1" = --config ]; then echo "config: $(cat "$2")"; fi
`
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "config.toml")
	envFile := filepath.Join(dir, "signet.env")
	for p, content := range map[string]string{
		conf:    "[log]\nlevel = \"debug\"\n",
		envFile: "# a comment\nSIGNET_STOREGISTER_API_KEY=from-env-file\n",
	} {
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name, user, wantUser, wantConfig string
	}{
		// No such user: run as the caller, the file named directly.
		{"as the caller", "no-such-signet-user", "", "--config " + conf},
	}
	if os.Getuid() == 0 {
		if _, err := exec.Command("id", "nobody").Output(); err == nil {
			// The kiosk user cannot open the root-only file: it gets a pipe.
			tests = append(tests, struct{ name, user, wantUser, wantConfig string }{
				"as the kiosk user", "nobody", "nobody", "--config /dev/stdin"})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := []string{"SIGNET_BIN=" + fake, "SIGNET_ENV_FILE=" + envFile, "SIGNET_CONFIG_FILE=" + conf,
				"SIGNET_USER=" + tt.user, "SIGNET_CONFIG=/elsewhere.toml", "LANG=C.UTF-8", "LC_ALL=C"}
			out := run(t, env, session, "run", "config", "check")
			for _, want := range []string{
				"args: " + tt.wantConfig + " config check\n",
				"env: SIGNET_STATE_DIR=/var/lib/signet LANG=en_US.UTF-8 SIGNET_STOREGISTER_API_KEY=from-env-file SIGNET_CONFIG=unset\n",
				"config: [log]\nlevel = \"debug\"\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if tt.wantUser != "" && !strings.Contains(out, "user: "+tt.wantUser+"\n") {
				t.Errorf("not run as %s:\n%s", tt.wantUser, out)
			}
		})
	}
}

// TestSessionStopped: the ExecStopPost hook does nothing, and succeeds,
// when systemd is not running or the stop was a failure.
func TestSessionStopped(t *testing.T) {
	session := filepath.Join(repoRoot(t), "deploy/session/signet-session")
	for _, result := range []string{"success", "exit-code", ""} {
		out, err := runErr(t, []string{"SERVICE_RESULT=" + result, "PATH=" + t.TempDir()}, session, "stopped")
		if err != nil {
			t.Errorf("SERVICE_RESULT=%q: %v\n%s", result, err, out)
		}
	}
	out, err := runErr(t, nil, session, "bogus")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(out, "unknown command") {
		t.Errorf("an unknown command: %v\n%s", err, out)
	}
}
