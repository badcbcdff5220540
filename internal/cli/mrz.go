package cli

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"

	"github.com/signet-kiosk/signet/capture/imagecheck"
	"github.com/signet-kiosk/signet/capture/mrz"
)

// MRZJSON is what both mrz commands print: a contract with the scripts
// that read it (the e2e tests decode it with this type, and check the
// keys a script may look for by name).
type MRZJSON struct {
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
	// mrz read: how many frames were voted over, how many of them read
	// each line as voted, and the characters the check digits or the
	// fields' kinds corrected.
	Frames      int              `json:"frames,omitempty"`
	Agreed      []int            `json:"agreed,omitempty"`
	Corrections []mrz.Correction `json:"corrections,omitempty"`
}

func printMRZ(env *Env, r *mrz.Result, t *mrz.Tally) error {
	out := MRZJSON{
		Format: r.Format.String(), Lines: r.Lines, Valid: r.Valid, Checks: map[string]bool{},
		DocumentCode: r.DocumentCode, IssuingState: r.IssuingState, Number: r.Number,
		BirthDate: r.BirthDate, ExpiryDate: r.ExpiryDate, Sex: r.Sex, Nationality: r.Nationality,
		Surname: r.Surname, GivenNames: r.GivenNames, Optional: r.Optional,
	}
	for _, c := range r.Checks {
		out.Checks[c.Name] = c.Valid
	}
	if t != nil {
		out.Frames, out.Agreed, out.Corrections = t.Frames, t.Agree, r.Corrections
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
	return printMRZ(env, r, nil)
}

func runMRZRead(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("mrz read", "--image FILE [--image FILE…]")
	var paths []string
	fs.Func("image", fmt.Sprintf("photo of the document (PNG or JPEG, at most %d megapixels); repeat it for frames of one document, which are voted on character by character", imagecheck.MaxPixels/1_000_000),
		func(p string) error { paths = append(paths, p); return nil })
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if len(paths) == 0 {
		return Usagef("mrz read: --image is required")
	}
	v := mrz.NewVoter(len(paths))
	for _, path := range paths {
		img, err := decodeMRZImage(path)
		if err != nil {
			return err
		}
		r, err := mrz.Read(ctx, img)
		if errors.Is(err, mrz.ErrNotFound) {
			continue // the other frames may show it
		}
		if err != nil {
			return err
		}
		v.Add(r)
	}
	r, tally := v.Vote()
	if r == nil {
		return &ExitError{Code: ExitRefused, Err: mrz.ErrNotFound}
	}
	return printMRZ(env, r, &tally)
}

// decodeMRZImage opens and decodes one --image file.
func decodeMRZImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("mrz read: %w", err)}
	}
	defer f.Close()
	// The header is checked before any pixel is decoded: a small file can
	// hold a picture too large to decode (imagecheck.MaxPixels).
	img, _, err := imagecheck.DecodeReader(f)
	if err != nil {
		// The path is the operator's own argument; the image content is
		// not echoed.
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("mrz read: %s: %w", path, err)}
	}
	return img, nil
}
