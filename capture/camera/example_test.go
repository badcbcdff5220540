package camera_test

import (
	"context"
	"fmt"

	"github.com/signet-kiosk/signet/capture/camera"
)

// Open a camera, take a few frames and give each back to the pool.
func ExampleOpen() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cam, err := camera.Open(ctx, "file:testdata/demo_640x360.mjpeg?fps=100", camera.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cam.Close()
	fmt.Println(cam.Info().Size)
	for range 3 {
		f := <-cam.Frames()
		fmt.Println(f.Bounds().Size(), f.Preview().Bounds().Size(), f.Luma().Bounds().Size())
		f.Release()
	}
	// Output:
	// (640,360)
	// (640,360) (320,180) (640,360)
	// (640,360) (320,180) (640,360)
	// (640,360) (320,180) (640,360)
}

// Take one full-resolution frame.
func ExampleSnapshot() {
	img, info, err := camera.Snapshot(context.Background(), "synthetic:scene=sharp", camera.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(info.Name, img.Bounds())
	// Output: synthetic (0,0)-(1280,720)
}
