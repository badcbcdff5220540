package kiosk

import (
	"context"
	"image"

	"github.com/signet-kiosk/signet/internal/cli"
	"github.com/signet-kiosk/signet/internal/config"
)

// Desk is `signet desk`: the staff console alone, in a normal resizable
// window on a front desk's PC, with the configured APIs. Staff sign in
// with their own name and PIN (`signet config add-staff`).
func Desk(ctx context.Context, env *cli.Env, args []string) error {
	var f kioskFlags
	fs := env.FlagSet("desk", "[--lang CODE]")
	fs.StringVar(&f.lang, "lang", "", "start in this language (en, fr, es, de, nl)")
	if err := cli.Parse(fs, args, false); err != nil {
		return err
	}
	cfg, err := env.Config()
	if err != nil {
		return err
	}
	if !cfg.StoRegisterEnabled() {
		return cli.Usagef("storegister.base_url and %s are not set: configure them, or run `signet demo --desk`", config.EnvStoRegisterKey)
	}
	f.desk = true
	return runWindow(ctx, env, cfg, f, image.Point{}, false)
}
