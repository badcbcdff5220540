package cli

import (
	"context"
	"errors"
)

// Kiosk opens the kiosk's window, which this package cannot: only package
// app may import Fyne, and package kiosk wires it to the configuration.
// Run is the bare `signet`, Demo is `signet demo`; each is given the
// arguments after the command's name.
type Kiosk struct {
	Run, Demo func(ctx context.Context, env *Env, args []string) error
}

// Commands is every command of signet, listed in this one place; each is
// defined in the file of its area, and help prints them sorted by name. k
// runs the kiosk's window; a Kiosk without it makes `signet` and `signet
// demo` fail, saying so.
func Commands(k Kiosk) []*Command {
	return []*Command{
		{Name: "", Args: "[--windowed] [--size WxH]",
			Summary: "run the kiosk (full screen) with the configured APIs and camera", Run: orNoWindow(k.Run)},
		{Name: "demo", Args: "[--windowed] [--size WxH]",
			Summary: "run the kiosk against the built-in simulator and synthetic camera: no network, camera or credentials", Run: orNoWindow(k.Demo)},

		versionCmd,
		configShowCmd, configCheckCmd, configSetPINCmd, configAddStaffCmd, configRemoveStaffCmd, configListStaffCmd, // configcmd.go, staff.go, staffaccounts.go
		selftestCmd,
		camerasCmd, camerasSnapshotCmd,

		bookingShowCmd, bookingIDTypesCmd, bookingSignatureCmd, bookingIDDocumentCmd,
		mewsCustomersFindCmd,
		mewsDocsListCmd, mewsDocsAddCmd, mewsDocsImportCmd, mewsDocsUpdateCmd, mewsDocsDeleteCmd, mewsDocsClearCmd,
		outboxListCmd, outboxRetryCmd, outboxRestoreCmd, outboxDiscardCmd,
		auditVerifyCmd, auditShowCmd, statusCmd, // audit.go, status.go

		mrzReadCmd, mrzParseCmd,
		signatureRenderCmd,
		simCmd,
	}
}

// errNoWindow is what the kiosk's commands return in a program built
// without its window (tests of this package).
var errNoWindow = errors.New("this program was built without the kiosk's window")

func orNoWindow(run func(context.Context, *Env, []string) error) func(context.Context, *Env, []string) error {
	if run != nil {
		return run
	}
	return func(context.Context, *Env, []string) error { return errNoWindow }
}
