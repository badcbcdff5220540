package signature_test

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	"github.com/signet-kiosk/signet/capture/signature"
)

// A pad widget feeds pointer events in and lets the signature draw each new
// curve into its own image.
func Example() {
	sig := signature.New(500, 200, signature.Options{})
	img := image.NewRGBA(image.Rect(0, 0, 500, 200)) // canvas scale 1
	dst := &signature.Surface{Image: img, Scale: 1, Color: color.NRGBA{A: 0xff}}

	sig.BeginStroke(signature.Point{X: 40, Y: 120, T: 0}, dst)
	for i := 1; i < 30; i++ {
		x := 40 + float64(i)*14
		y := 120 - 40*float64(i%2)
		sig.AddPoint(signature.Point{X: x, Y: y, T: int64(i) * 20}, dst)
	}
	sig.EndStrokeAt(signature.Point{X: 470, Y: 110, T: 620}, dst)

	if err := sig.Check(signature.DefaultInkRule); err != nil {
		fmt.Println("refused:", err)
		return
	}
	png, err := sig.PNG(signature.ExportOptions{Width: 600})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", png[1:4])
	// Output: "PNG"
}

// Check tells the UI why a signature is refused.
func ExampleSignature_Check() {
	sig := signature.New(1000, 400, signature.Options{})
	sig.BeginStroke(signature.Point{X: 100, Y: 100}, nil) // a tap
	sig.EndStroke(nil)

	var ie *signature.InkError
	if err := sig.Check(signature.DefaultInkRule); errors.As(err, &ie) {
		fmt.Println(ie.Reason)
	}
	// Output: dot
}

// Parse reads the JSON vector data back, for example to render it again.
func ExampleParse() {
	data := []byte(`{"version":1,"width":400,"height":150,"strokes":[
		[{"x":20,"y":100,"t":0},{"x":120,"y":60,"t":40},{"x":220,"y":110,"t":80},{"x":380,"y":50,"t":120}]]}`)
	sig, err := signature.Parse(data, signature.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := sig.Image(signature.ExportOptions{Width: 400, Margin: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sig.Len(), m.Bounds().Dx() < 400)
	// Output: 1 true
}
