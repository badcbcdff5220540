// Package imagecheck is the one guard in front of every decode of image
// bytes that come from outside Signet: a file named on the command line, a
// file: camera recording, an upload to the simulator. It reads the image's
// header with image.DecodeConfig first and refuses, before any pixel memory
// is allocated, an image whose size is absurd or above MaxPixels.
//
// A 20000×20000 PNG is about 0.4 MB on disk and 400 MB to 1.6 GB once
// decoded; with this guard it costs a header read and a clear error.
//
// The package registers the PNG and JPEG decoders. It does not import Fyne.
package imagecheck

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // the formats Signet accepts from outside
	_ "image/png"
	"io"
	"slices"
)

// Limits. MaxPixels is what keeps the memory of `signet mrz read` under
// 300 MB: decoding and reading the zone take about 10 bytes a pixel
// (measured: 24 MP, 280 MB; 40 MP, 430 MB). 24 MP is a 6000×4000 photo,
// more than any webcam's frame, and so more than any still the kiosk makes.
const (
	// MaxPixels is the largest width×height decoded (24 megapixels).
	MaxPixels = 24_000_000
	// MaxSide is the longest side accepted, whatever the pixel count: a
	// 1×20,000,000 strip is not a photo.
	MaxSide = 20_000
)

// ErrTooLarge is wrapped by every refusal of an image's size.
var ErrTooLarge = errors.New("image too large")

// ErrFormat is wrapped when the bytes are not an image in an accepted format.
var ErrFormat = errors.New("not a PNG or JPEG image")

// SizeError is the refusal of an image's dimensions.
type SizeError struct {
	Width, Height int
}

func (e *SizeError) Error() string {
	switch {
	case e.Width <= 0 || e.Height <= 0:
		return fmt.Sprintf("image %d×%d has no pixels", e.Width, e.Height)
	case int64(e.Width)*int64(e.Height) > MaxPixels:
		return fmt.Sprintf("image %d×%d is larger than %d MP", e.Width, e.Height, MaxPixels/1_000_000)
	default:
		return fmt.Sprintf("image %d×%d has a side longer than %d px", e.Width, e.Height, MaxSide)
	}
}

// Is makes errors.Is(err, ErrTooLarge) hold for a size refusal.
func (e *SizeError) Is(target error) bool { return target == ErrTooLarge }

// CheckSize refuses dimensions that are empty, absurd or above MaxPixels.
func CheckSize(w, h int) error {
	if w <= 0 || h <= 0 || w > MaxSide || h > MaxSide || int64(w)*int64(h) > MaxPixels {
		return &SizeError{Width: w, Height: h}
	}
	return nil
}

// DecodeConfig reads an image's header and checks its size. format is the
// name the decoder registered ("png", "jpeg"). If formats is not empty the
// image must be one of them.
func DecodeConfig(r io.Reader, formats ...string) (image.Config, string, error) {
	cfg, format, err := image.DecodeConfig(r)
	if errors.Is(err, image.ErrFormat) {
		return cfg, format, ErrFormat
	}
	if err != nil {
		return cfg, format, fmt.Errorf("reading the image header: %w", err)
	}
	if len(formats) > 0 && !slices.Contains(formats, format) {
		return cfg, format, fmt.Errorf("%w: the image is %s, want %v", ErrFormat, format, formats)
	}
	if err := CheckSize(cfg.Width, cfg.Height); err != nil {
		return cfg, format, err
	}
	return cfg, format, nil
}

// DecodeReader checks r's header with DecodeConfig, then seeks back to where
// it started and decodes the image.
func DecodeReader(r io.ReadSeeker, formats ...string) (image.Image, string, error) {
	start, err := r.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, "", err
	}
	cfg, _, err := DecodeConfig(r, formats...)
	if err != nil {
		return nil, "", err
	}
	if _, err := r.Seek(start, io.SeekStart); err != nil {
		return nil, "", err
	}
	img, format, err := image.Decode(r)
	if err != nil {
		return nil, format, fmt.Errorf("decoding the %s image: %w", format, err)
	}
	// The decoders agree with their own headers; this is belt and braces.
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, format, fmt.Errorf("decoding the %s image: %d×%d, header said %d×%d",
			format, b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	return img, format, nil
}

// Decode is DecodeReader for an image in memory.
func Decode(data []byte, formats ...string) (image.Image, string, error) {
	return DecodeReader(bytes.NewReader(data), formats...)
}
