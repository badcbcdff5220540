package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"

	"github.com/signet-kiosk/signet/capture/signature"
	"github.com/signet-kiosk/signet/internal/bounded"
)

// maxPointsFile bounds what signature render reads: real vector data is a
// few hundred kilobytes at most.
const maxPointsFile = 16 << 20

func runSignatureRender(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("signature render", "--points FILE.json --out FILE.png [--width N]")
	points := fs.String("points", "", "vector data written by the signing pad (JSON, at most "+bounded.Size(maxPointsFile)+"; - reads standard input)")
	out := fs.String("out", "", "PNG file to write, replaced atomically with mode 0600: a signature is personal data")
	width := fs.Int("width", 0, "export width in pixels of the whole pad (default signature.export_width)")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if *points == "" || *out == "" {
		return Usagef("signature render: --points and --out are required")
	}
	w := *width
	if w == 0 {
		c, err := env.Config()
		if err != nil {
			return err
		}
		w = c.Signature.ExportWidth
	}
	if w < 1 || w > signature.MaxExportWidth {
		return Usagef("signature render: --width %d outside 1–%d", w, signature.MaxExportWidth)
	}

	data, err := readFileLimited(*points, env.Stdin, maxPointsFile)
	if err != nil {
		return Usagef("signature render: %w", err)
	}
	sig, err := signature.Parse(data, signature.Options{})
	if err != nil {
		return Usagef("signature render: %s: %w", *points, err)
	}
	// Too costly a signature is refused before drawing (a *CostError); a
	// long render stops when the command's context ends (Ctrl-C, SIGTERM).
	b, err := sig.PNGContext(ctx, signature.ExportOptions{Width: w})
	switch {
	case err == nil:
	case errors.Is(err, signature.ErrNotEnoughInk):
		return Usagef("signature render: %s: no ink on the pad to render", *points)
	case errors.Is(err, signature.ErrTooCostly):
		return Usagef("signature render: %s: %w", *points, err)
	case ctx.Err() != nil:
		return GaveUp(fmt.Errorf("signature render: stopped before writing %s: %w", *out, ctx.Err()))
	default:
		return err
	}
	if err := writeFilePrivate(*out, b); err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("signature render: %w", err)}
	}
	dim, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return err
	}
	ink := "accepted"
	var ie *signature.InkError
	if errors.As(sig.Check(signature.DefaultInkRule), &ie) {
		ink = "would be refused: " + ie.Reason.String()
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d×%d px, %d bytes, %d strokes; ink %s\n",
		*out, dim.Width, dim.Height, len(b), sig.Len(), ink)
	return nil
}
