// Command signet is a self-service move-in kiosk for self-storage: a guest
// finds their booking, scans an identity document and signs on screen; Signet
// sends them to StoRegister and records the document in Mews. Staff use the
// same program, behind a PIN, at the front desk.
//
// main only wires: the commands are listed in internal/cli (cli.Commands,
// one file per area), the kiosk's wiring is internal/kiosk and its screens
// are app. Run `signet help` for the command list.
package main

import (
	"os"

	"github.com/signet-kiosk/signet/internal/cli"
	"github.com/signet-kiosk/signet/internal/kiosk"
	// Imported for its init, which runs before Fyne's: a C.UTF-8 locale
	// must not make Fyne print a locale error in every subcommand.
	_ "github.com/signet-kiosk/signet/internal/localeenv"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	os.Exit(cli.Run(version, cli.Commands(cli.Kiosk{Run: kiosk.Run, Demo: kiosk.Demo, Desk: kiosk.Desk}), os.Args[1:]))
}
