package camera

import (
	"context"
	"errors"
	"image"

	"github.com/signet-kiosk/signet/capture/frame"
)

// warmup is how many frames a real camera gets to settle its exposure
// before a snapshot.
const warmup = 5

// Snapshot opens the camera named by spec, takes one full-resolution frame
// and closes it: a recording's first frame, the synthetic scene's first
// frame, or a device's frame after a short warm-up. The image is the
// caller's.
func Snapshot(ctx context.Context, spec string, opts Options) (*image.RGBA, Info, error) {
	s, err := ParseSpec(spec)
	if err != nil {
		return nil, Info{}, err
	}
	src, err := newSource(s, &opts)
	if err != nil {
		return nil, Info{}, err
	}
	info, err := src.open(ctx)
	if err != nil {
		_ = src.close()
		return nil, Info{}, err
	}
	defer src.close()
	pool := frame.NewPool(1)
	var f *frame.Frame
	switch src := src.(type) {
	case *replaySource:
		f, err = src.frame(pool)
	case *synthSource:
		f, err = src.render(pool)
	default:
		good, bad := 0, 0
		for f == nil || good < warmup {
			if f != nil {
				f.Release()
				f = nil
			}
			f, err = src.next(ctx, pool)
			var bf *badFrame
			switch {
			case err == nil:
				good++
			case errors.As(err, &bf) && bad >= maxBadFrames:
				return nil, info, err
			case errors.Is(err, errNoFrame), errors.As(err, &bf):
				if bf != nil {
					bad++
				}
				if ctx.Err() != nil {
					return nil, info, ctx.Err()
				}
			default:
				return nil, info, err
			}
		}
	}
	if err != nil {
		return nil, info, err
	}
	defer f.Release()
	full := f.Full()
	out := image.NewRGBA(full.Rect)
	copy(out.Pix, full.Pix)
	return out, info, nil
}
