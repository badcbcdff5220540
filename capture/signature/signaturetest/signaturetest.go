// Package signaturetest makes signature inputs for tests: vector data as
// large as signature's importer accepts, for the hostile-input tests of the
// command line and of the built binary.
package signaturetest

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/signet-kiosk/signet/capture/signature"
)

// AtImporterLimits returns vector data (the JSON the importer reads) at its
// limits: signature.MaxStrokes strokes sharing signature.MaxPoints points
// over a 1000×400 pad, in a pen pen units wide (0: the default pen).
func AtImporterLimits(t testing.TB, pen float64) []byte {
	t.Helper()
	type pt struct {
		X float64 `json:"x"`
		Y float64 `json:"y"`
		T int64   `json:"t"`
	}
	d := map[string]any{"version": 1, "width": 1000, "height": 400}
	if pen > 0 {
		d["pen"] = map[string]float64{"min_width": pen, "max_width": pen}
	}
	strokes := make([][]pt, signature.MaxStrokes)
	per := signature.MaxPoints / signature.MaxStrokes
	for i := range strokes {
		strokes[i] = make([]pt, per)
		for j := range strokes[i] {
			u := float64(i*per + j)
			strokes[i][j] = pt{X: 500 + 420*math.Sin(u/97) + 30*math.Sin(u/5.3),
				Y: 200 + 150*math.Sin(u/61) + 25*math.Cos(u/4.1), T: int64(j) * 16}
		}
	}
	d["strokes"] = strokes
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
