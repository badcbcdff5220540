package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"strings"
	"time"

	"github.com/signet-kiosk/signet/capture/camera"
	"github.com/signet-kiosk/signet/capture/imagecheck"
)

func runCameras(ctx context.Context, env *Env, args []string) error {
	if err := Parse(env.FlagSet("cameras", ""), args, false); err != nil {
		return err
	}
	devs, err := camera.List(ctx)
	if errors.Is(err, camera.ErrUnsupported) {
		fmt.Fprintln(env.Stdout, "V4L2 capture devices are not supported on this platform.")
	} else if err != nil {
		return err
	}
	if err == nil && len(devs) == 0 {
		fmt.Fprintln(env.Stdout, "No V4L2 capture devices found.")
	}
	for _, d := range devs {
		fmt.Fprintf(env.Stdout, "%s  %s\n", d.Path, d.Name)
		if c, err := camera.ChooseFormat(d.Formats); err == nil {
			fmt.Fprintf(env.Stdout, "  chosen: %s\n", c)
		}
		for _, f := range d.Formats {
			fmt.Fprintf(env.Stdout, "  %s (%s)\n", camera.FourCC(f.Pixel), f.Description)
			for _, s := range f.Sizes {
				fmt.Fprintf(env.Stdout, "    %s\n", sizeLine(s))
			}
		}
	}
	fmt.Fprintln(env.Stdout, "\nOther camera specs: auto, synthetic[:seed=N,scene=NAME,size=WxH,fps=F], file:PATH[?format=yuyv&size=WxH&fps=F]")
	return nil
}

func sizeLine(s camera.SizeDesc) string {
	if s.Stepwise {
		return fmt.Sprintf("up to %dx%d (stepwise)", s.W, s.H)
	}
	rates := make([]string, len(s.FPS))
	for i, f := range s.FPS {
		rates[i] = fmt.Sprintf("%g", f)
	}
	if len(rates) == 0 {
		return fmt.Sprintf("%dx%d", s.W, s.H)
	}
	return fmt.Sprintf("%dx%d  %s fps", s.W, s.H, strings.Join(rates, ", "))
}

func runCamerasSnapshot(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("cameras snapshot", "[--camera SPEC] --out FILE.png|FILE.jpg")
	spec := fs.String("camera", "", "camera spec (default: the configuration's camera.device)")
	out := fs.String("out", "", "file to write, .png or .jpg/.jpeg (mode 0600: a frame may show a person or a document)")
	timeout := fs.Duration("timeout", 15*time.Second, "give up when no frame arrives within this time")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	if *out == "" {
		return Usagef("cameras snapshot: --out is required")
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if ext != ".png" && ext != ".jpg" && ext != ".jpeg" {
		return Usagef("cameras snapshot: --out must end in .png, .jpg or .jpeg")
	}
	if *spec == "" {
		c, err := env.Config()
		if err != nil {
			return err
		}
		*spec = c.Camera.Device
	}
	if _, err := camera.ParseSpec(*spec); err != nil {
		return Usagef("cameras snapshot: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	img, info, err := camera.Snapshot(ctx, *spec, camera.Options{Logger: env.Logger()})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return GaveUp(fmt.Errorf("cameras snapshot: no frame within %v", *timeout))
		}
		// A recording that is not JPEG frames, or holds one too large to
		// decode (imagecheck), is a local file error.
		if errors.Is(err, camera.ErrBadRecording) || errors.Is(err, imagecheck.ErrTooLarge) {
			return &ExitError{Code: ExitUsage, Err: fmt.Errorf("cameras snapshot: %w", err)}
		}
		return fmt.Errorf("cameras snapshot: %w", err)
	}
	var buf bytes.Buffer
	if ext == ".png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	}
	if err != nil {
		return fmt.Errorf("cameras snapshot: encode: %w", err)
	}
	if err := writeFilePrivate(*out, buf.Bytes()); err != nil {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("cameras snapshot: %w", err)}
	}
	b := img.Bounds()
	fmt.Fprintf(env.Stdout, "wrote %s: %dx%d from %s (%s)\n", *out, b.Dx(), b.Dy(), info.Name, info.Format)
	return nil
}
