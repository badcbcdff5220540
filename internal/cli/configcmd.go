package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/signet-kiosk/signet/internal/config"
)

func runVersion(_ context.Context, env *Env, args []string) error {
	if err := Parse(env.FlagSet("version", ""), args, false); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "signet %s\n", env.Version)
	return nil
}

func runConfigShow(_ context.Context, env *Env, args []string) error {
	if err := Parse(env.FlagSet("config show", ""), args, false); err != nil {
		return err
	}
	c, err := env.Config()
	if c == nil {
		return err
	}
	b, merr := c.Masked()
	if merr != nil {
		return merr
	}
	src := c.Path
	if src == "" {
		src = "built-in defaults (no file at " + env.ConfigPath + ")"
	}
	fmt.Fprintf(env.Stdout, "# source: %s\n%s", src, b)
	return err // shown, but still a configuration error
}

func runConfigCheck(_ context.Context, env *Env, args []string) error {
	if err := Parse(env.FlagSet("config check", ""), args, false); err != nil {
		return err
	}
	c, err := env.Config()
	if c != nil {
		warnExposedSecrets(env, c)
	}
	if err != nil {
		return err
	}
	src := c.Path
	if src == "" {
		src = "built-in defaults"
	}
	fmt.Fprintf(env.Stdout, "configuration OK (%s)\n", src)
	return nil
}

// warnExposedSecrets warns on stderr when the configuration file sets a
// secret itself and other users can read it. It names the keys, never
// their values.
func warnExposedSecrets(env *Env, c *config.Config) {
	keys, mode := config.ExposedSecrets(c.Path)
	if keys == nil {
		return
	}
	fmt.Fprintf(env.Stderr, "signet: warning: %s holds secrets (%s) and is readable by its group or others (mode %04o): "+
		"run chmod 600 %s, or move the secrets to the environment (%s, …)\n",
		c.Path, strings.Join(keys, ", "), uint32(mode), c.Path, config.EnvStoRegisterKey)
}
