package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/signet-kiosk/signet/capture/imagecheck"
)

// Kiosk opens the kiosk's window, which this package cannot: only package
// app may import Fyne, and package kiosk wires it to the configuration.
// Run is the bare `signet`, Demo is `signet demo`; each is given the
// arguments after the command's name.
type Kiosk struct {
	Run, Demo, Desk func(ctx context.Context, env *Env, args []string) error
}

// Commands is every command of signet, listed and described in this one
// place; the Run functions live in the files of their areas, and help
// prints the commands sorted by name. k runs the kiosk's window; a Kiosk
// without it makes `signet` and `signet demo` fail, saying so.
func Commands(k Kiosk) []*Command {
	return []*Command{
		// the kiosk
		{Name: "", Args: "[--windowed] [--size WxH]", Run: orNoWindow(k.Run), Summary: "run the kiosk (full screen) with the configured APIs and camera"},
		{Name: "demo", Args: "[--windowed] [--size WxH] [--desk]", Run: orNoWindow(k.Demo), Summary: "run the kiosk (or with --desk the front desk's console) against the built-in simulator and synthetic camera: no network, camera or credentials"},
		{Name: "desk", Args: "[--lang CODE]", Run: orNoWindow(k.Desk), Summary: "run the front desk's staff console in a desktop window, with the configured APIs (or mode = \"desk\" in the configuration)"},
		// setup
		{Name: "version", Run: runVersion, Summary: "print the version"},
		{Name: "config show", Run: runConfigShow, Summary: "print the effective configuration, secrets masked"},
		{Name: "config check", Run: runConfigCheck, Summary: "validate the configuration; exit 2 naming each bad key"},
		{Name: "config set-pin", Args: "[--name NAME]", Run: runSetPIN, Summary: "set the PIN of the staff account NAME (default staff; 4–12 digits, asked twice; stored only as an argon2id hash)"},
		{Name: "config add-staff", Args: "--name NAME", Run: runAddStaff, Summary: "add a staff account with its own PIN (asked twice; stored only as an argon2id hash)"},
		{Name: "config remove-staff", Args: "--name NAME", Run: runRemoveStaff, Summary: "remove a staff account"},
		{Name: "config list-staff", Run: runListStaff, Summary: "list the staff accounts and their lockouts (never a PIN or hash)"},
		{Name: "selftest", Args: "[--camera SPEC] [--timeout D]", Run: runSelftest, Summary: "check the configuration, both APIs and the camera; print a table; exit non-zero on any failure"},
		{Name: "cameras", Run: runCameras, Summary: "list V4L2 capture devices with their formats, sizes and frame rates"},
		{Name: "cameras snapshot", Args: "[--camera SPEC] --out FILE.png|FILE.jpg", Run: runCamerasSnapshot, Summary: "write one full-resolution frame (a recording's first) to a PNG or JPEG file"},
		// StoRegister and Mews
		{Name: "booking show", Args: "--booking ID", Run: runBookingShow, Summary: "print a StoRegister booking as JSON"},
		{Name: "booking id-types", Args: "--booking ID", Run: runBookingIDTypes, Summary: "print the booking's identity document types as JSON [{id, name}]"},
		{Name: "booking signature", Args: "--booking ID --png FILE", Run: runBookingSignature, Summary: "save a signature PNG for the move-in; prints the reference id"},
		{Name: "booking id-document", Args: "--booking ID --type TYPE_ID --file FILE [--content-type T]", Run: runBookingIDDocument, Summary: "upload an identity document image; prints the reference id"},
		{Name: "mews customers find", Args: "(--email E | --last-name N | --name N)", Run: runMewsCustomersFind, Summary: "find Mews customers; prints a JSON array"},
		{Name: "mews docs list", Args: "--customer ID [--customer ID …] [--type T]", Run: runMewsDocsList, Summary: "list identity documents (all pages); prints a JSON array"},
		{Name: "mews docs add", Args: "--customer ID --type T --number N [--expires D] [--country CC] …", Run: runMewsDocsAdd, Summary: "add an identity document; prints it as JSON"},
		{Name: "mews docs import", Args: "--file FILE", Run: runMewsDocsImport, Summary: "add the documents of a JSON array (Mews field names, at most 8 MiB); prints them"},
		{Name: "mews docs update", Args: "--id ID [--number N] [--city X] … [--clear FIELD …]", Run: runMewsDocsUpdate, Summary: "update an identity document; prints it as JSON"},
		{Name: "mews docs delete", Args: "--id ID [--id ID …]", Run: runMewsDocsDelete, Summary: "delete identity documents"},
		{Name: "mews docs clear", Args: "--customer ID [--customer ID …]", Run: runMewsDocsClear, Summary: "delete every identity document of the customers"},
		// the outbox, the move-in journal and health
		{Name: "outbox list", Args: "[--other-key]", Run: runOutboxList, Summary: "list the outbox's items as JSON: id, kind, state, age, attempts, last error (nothing personal)"},
		{Name: "outbox retry", Args: "ID", Run: runOutboxRetry, Summary: "put a dead item back into the outbox's queue; the kiosk delivers it when it runs"},
		{Name: "outbox restore", Args: "ID", Run: runOutboxRestore, Summary: "bring a quarantined outbox item back, once the key it was sealed with is set"},
		{Name: "outbox discard", Args: "[--other-key] ID", Run: runOutboxDiscard, Summary: "delete an outbox item (dead, queued or quarantined); it will not be sent"},
		{Name: "audit verify", Args: "[--journal FILE] [--pub FILE]", Run: runAuditVerify, Summary: "check the move-in journal's chain and signatures: exit 0 when intact, 1 naming the first broken line"},
		{Name: "audit show", Args: "--booking ID [--check FILE] [--journal FILE]", Run: runAuditShow, Summary: "print the journal's entries of a booking as JSON; --check says whether a file you hold is the signature or an ID image sent"},
		{Name: "status", Args: "[--json] [--camera SPEC] [--timeout D]", Run: runStatus, Summary: "one-shot health for scripts: APIs, camera, outbox, metrics, audit journal and last move-in; exit 0 healthy, 1 not"},
		// tools
		{Name: "mrz read", Args: "--image FILE [--image FILE…]", Run: runMRZRead, Summary: fmt.Sprintf("read the machine-readable zone of a document photo (PNG, JPEG, at most %d MP; several frames of one document are voted on); exit 1 none found, 2 bad file", imagecheck.MaxPixels/1_000_000)},
		{Name: "mrz parse", Args: "LINE LINE [LINE]", Run: runMRZParse, Summary: "parse and check machine-readable zone lines; exit 1 not a zone"},
		{Name: "signature render", Args: "--points FILE.json --out FILE.png [--width N]", Run: runSignatureRender, Summary: "render signature vector data (JSON) to the PNG sent to the booking API; refuses what is too costly to draw (exit 2)"},
		{Name: "sim", Args: "[--addr 127.0.0.1:8787] [--allow-remote] [--seed N] [fault flags]", Run: runSim, Summary: "run the simulator of the StoRegister and Mews APIs until interrupted"},
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
