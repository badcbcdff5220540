//go:build !linux

package camera

import (
	"context"

	"github.com/signet-kiosk/signet/capture/frame"
)

// List reports ErrUnsupported: V4L2 exists on Linux only.
func List(context.Context) ([]DeviceInfo, error) { return nil, ErrUnsupported }

func firstDevice(*Options) string { return "" }

type v4l2Source struct{ path string }

func newV4L2(path string, _ *Options) *v4l2Source { return &v4l2Source{path: path} }

func (s *v4l2Source) open(context.Context) (Info, error) { return Info{}, ErrUnsupported }

func (s *v4l2Source) next(context.Context, *frame.Pool) (*frame.Frame, error) {
	return nil, ErrUnsupported
}

func (s *v4l2Source) close() error { return nil }

type device interface{ Close() error }
