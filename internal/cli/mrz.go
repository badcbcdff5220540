package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/signet-kiosk/signet/capture/imagecheck"
	"github.com/signet-kiosk/signet/capture/mrz"
)

var (
	mrzReadCmd  = &Command{Name: "mrz read", Args: "--image FILE", Summary: fmt.Sprintf("read the machine-readable zone of a document photo (PNG, JPEG, at most %d MP); exit 1 none found, 2 bad file", imagecheck.MaxPixels/1_000_000), Run: runMRZRead}
	mrzParseCmd = &Command{Name: "mrz parse", Args: "LINE LINE [LINE]", Summary: "parse and check machine-readable zone lines; exit 1 not a zone", Run: runMRZParse}
)

// mrzJSON is what both mrz commands print.
type mrzJSON struct {
	Format       string          `json:"format"`
	Lines        []string        `json:"lines"`
	Valid        bool            `json:"valid"`
	Checks       map[string]bool `json:"checks"`
	DocumentCode string          `json:"document_code"`
	IssuingState string          `json:"issuing_state"`
	Number       string          `json:"number"`
	BirthDate    string          `json:"birth_date"`
	ExpiryDate   string          `json:"expiry_date"`
	Sex          string          `json:"sex"`
	Nationality  string          `json:"nationality"`
	Surname      string          `json:"surname"`
	GivenNames   string          `json:"given_names"`
	Optional     string          `json:"optional"`
}

func printMRZ(env *Env, r *mrz.Result) error {
	out := mrzJSON{
		Format: r.Format.String(), Lines: r.Lines, Valid: r.Valid, Checks: map[string]bool{},
		DocumentCode: r.DocumentCode, IssuingState: r.IssuingState, Number: r.Number,
		BirthDate: r.BirthDate, ExpiryDate: r.ExpiryDate, Sex: r.Sex, Nationality: r.Nationality,
		Surname: r.Surname, GivenNames: r.GivenNames, Optional: r.Optional,
	}
	for _, c := range r.Checks {
		out.Checks[c.Name] = c.Valid
	}
	return printJSON(env.Stdout, out)
}

func runMRZParse(_ context.Context, env *Env, args []string) error {
	fs := env.FlagSet("mrz parse", "LINE LINE [LINE]")
	if err := Parse(fs, args, true); err != nil {
		return err
	}
	if fs.NArg() < 2 || fs.NArg() > 3 {
		return Usagef("mrz parse: want 2 or 3 lines, got %d", fs.NArg())
	}
	r, err := mrz.Parse(fs.Args())
	if err != nil {
		return &ExitError{Code: ExitRefused, Err: err}
	}
	return printMRZ(env, r)
}

func runMRZRead(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("mrz read", "--image FILE")
	path := fs.String("image", "", fmt.Sprintf("photo of the document (PNG or JPEG, at most %d megapixels)", imagecheck.MaxPixels/1_000_000))
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if *path == "" {
		return Usagef("mrz read: --image is required")
	}
	f, err := os.Open(*path)
	if err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("mrz read: %w", err)}
	}
	defer f.Close()
	// The header is checked before any pixel is decoded: a small file can
	// hold a picture too large to decode (imagecheck.MaxPixels).
	img, _, err := imagecheck.DecodeReader(f)
	if err != nil {
		// The path is the operator's own argument; the image content is
		// not echoed.
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("mrz read: %s: %w", *path, err)}
	}
	r, err := mrz.Read(ctx, img)
	if errors.Is(err, mrz.ErrNotFound) {
		return &ExitError{Code: ExitRefused, Err: err}
	}
	if err != nil {
		return err
	}
	return printMRZ(env, r)
}
