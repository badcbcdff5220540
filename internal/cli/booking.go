package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/signet-kiosk/signet/internal/bounded"
	"github.com/signet-kiosk/signet/internal/connect"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/storegister"
)

// maxSignatureFile caps the PNG read by `booking signature`.
const maxSignatureFile = 10 << 20

// bookingClient builds the StoRegister client from the configuration.
func bookingClient(env *Env) (*storegister.Client, error) {
	return configured(env, connect.StoRegister)
}

// bookingFlags parses --booking (default storegister.test_booking) plus the
// flags extra adds, and returns the client and the booking id.
func bookingFlags(env *Env, name, synopsis string, args []string, extra func(fs *flag.FlagSet)) (*storegister.Client, string, error) {
	fs := env.FlagSet(name, synopsis)
	id := fs.String("booking", "", "booking (activity) id, a GUID; default storegister.test_booking")
	if extra != nil {
		extra(fs)
	}
	if err := Parse(fs, args, false); err != nil {
		return nil, "", err
	}
	c, err := bookingClient(env)
	if err != nil {
		return nil, "", err
	}
	if *id == "" {
		if cfg, _ := env.Config(); cfg != nil {
			*id = cfg.StoRegister.TestBooking
		}
	}
	if *id == "" {
		return nil, "", Usagef("--booking is required")
	}
	return c, *id, nil
}

// bookingError maps a client error to the exit codes: bad local input 2,
// refused 1 (codes on stderr), gave up after transient failures 3.
func bookingError(env *Env, err error) error {
	var ae *storegister.APIError
	if errors.As(err, &ae) && len(ae.Codes) > 0 {
		fmt.Fprintf(env.Stderr, "codes: %s\n", ae.CodeList())
	}
	switch {
	case errors.Is(err, storegister.ErrInvalidID), errors.Is(err, storegister.ErrNotPNG),
		errors.Is(err, storegister.ErrInvalidDocument):
		return &ExitError{Code: ExitUsage, Err: err}
	case errors.Is(err, retry.ErrGaveUp), errors.Is(err, context.DeadlineExceeded):
		return GaveUp(err)
	case retry.Transient(err):
		return GaveUp(err)
	}
	return Refused(err)
}

// bookingRead is a command that takes only --booking and reads it with
// get: the flags parsed, the client made, the call's error mapped.
func bookingRead[T any](ctx context.Context, env *Env, name string, args []string,
	get func(*storegister.Client, context.Context, string) (T, error)) (T, error) {
	var zero T
	c, id, err := bookingFlags(env, name, "--booking ID", args, nil)
	if err != nil {
		return zero, err
	}
	v, err := get(c, ctx, id)
	if err != nil {
		return zero, bookingError(env, err)
	}
	return v, nil
}

func runBookingShow(ctx context.Context, env *Env, args []string) error {
	b, err := bookingRead(ctx, env, "booking show", args, (*storegister.Client).Booking)
	if err != nil {
		return err
	}
	// The operator asked for this booking: print the tenant in clear (to
	// stdout, never to the log).
	type tenant struct {
		FirstName string `json:"firstName"`
		LastName  string `json:"lastName"`
		Email     string `json:"email"`
		Phone     string `json:"phone"`
	}
	out := struct {
		ID         string               `json:"id"`
		Status     string               `json:"status"`
		Tenant     tenant               `json:"tenant"`
		Property   storegister.Property `json:"property"`
		Unit       storegister.Unit     `json:"unit"`
		MoveInDate string               `json:"moveInDate"`
		Quote      json.RawMessage      `json:"quote,omitempty"`
	}{b.ID, b.Status, tenant{b.Tenant.FirstName.Reveal(), b.Tenant.LastName.Reveal(), b.Tenant.Email.Reveal(), b.Tenant.Phone.Reveal()},
		b.Property, b.Unit, b.MoveInDate, b.Quote}
	return printJSON(env.Stdout, out)
}

func runBookingIDTypes(ctx context.Context, env *Env, args []string) error {
	ts, err := bookingRead(ctx, env, "booking id-types", args, (*storegister.Client).IdentityDocumentTypes)
	if err != nil {
		return err
	}
	return printJSON(env.Stdout, ts)
}

func runBookingSignature(ctx context.Context, env *Env, args []string) error {
	var pngPath *string
	c, id, err := bookingFlags(env, "booking signature", "--booking ID --png FILE", args, func(fs *flag.FlagSet) {
		pngPath = fs.String("png", "", "the signature, a PNG file")
	})
	if err != nil {
		return err
	}
	if *pngPath == "" {
		return Usagef("--png is required")
	}
	data, err := readSmallFile(*pngPath, maxSignatureFile)
	if err != nil {
		return err
	}
	ref, err := c.SaveSignature(ctx, id, data)
	if err != nil {
		return bookingError(env, err)
	}
	fmt.Fprintln(env.Stdout, ref)
	return nil
}

func runBookingIDDocument(ctx context.Context, env *Env, args []string) error {
	var typeID, file, ctype *string
	c, id, err := bookingFlags(env, "booking id-document", "--booking ID --type TYPE_ID --file FILE [--content-type T]", args, func(fs *flag.FlagSet) {
		typeID = fs.String("type", "", "identity document type id, from `booking id-types`")
		file = fs.String("file", "", "the image to upload (JPEG or PNG)")
		ctype = fs.String("content-type", "", "the image's MIME type; default detected from its first bytes")
	})
	if err != nil {
		return err
	}
	switch {
	case *typeID == "":
		return Usagef("--type is required")
	case *file == "":
		return Usagef("--file is required")
	}
	f, err := os.Open(*file)
	if err != nil {
		return Usagef("booking: %v", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return Usagef("booking: %s is not a regular file", *file)
	}
	ref, err := c.SaveIdentityDocument(ctx, id, storegister.IdentityDocument{
		TypeID: *typeID, Filename: filepath.Base(*file), ContentType: *ctype, Body: f,
	})
	if err != nil {
		return bookingError(env, err)
	}
	fmt.Fprintln(env.Stdout, ref)
	return nil
}

// readSmallFile reads a file of at most max bytes; problems are usage errors.
func readSmallFile(path string, max int64) ([]byte, error) {
	b, err := bounded.ReadFile(path, max)
	if err != nil {
		return nil, Usagef("booking: %v", err)
	}
	return b, nil
}
