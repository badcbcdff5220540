package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runMain runs signet's Main with args and an environment of vars, and
// returns its exit code, stdout and stderr.
func runMain(vars map[string]string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Version: "test",
		Getenv: func(k string) string { return vars[k] }}
	code = Main(context.Background(), Commands(Kiosk{}), args, env)
	return code, out.String(), errb.String()
}

// runWithConfig is runMain with a configuration file holding body, named
// by --config before args.
func runWithConfig(t *testing.T, body string, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "signet.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return runMain(vars, append([]string{"--config", path}, args...)...)
}

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runMain(nil, args...)
}
