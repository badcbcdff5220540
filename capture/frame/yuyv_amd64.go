//go:build amd64 && !purego

package frame

// SSE2 (every amd64 CPU has it) converts 8 pixels per step with 5-bit
// fixed-point BT.601 coefficients; results stay within 1 of the table path.

//go:noescape
func yuyvToRGBASSE2(dst, src *byte, n int)

//go:noescape
func yuyvToPreviewSSE2(dst, src *byte, n int)

// rgbaRowSIMD converts the longest prefix of whole 8-pixel groups and
// returns the number of pixels converted.
func rgbaRowSIMD(d, s []byte) int {
	n := min(len(s)/16, len(d)/32)
	if n > 0 {
		yuyvToRGBASSE2(&d[0], &s[0], n)
	}
	return n * 8
}

// previewRowSIMD converts the longest prefix of whole groups of 8 quads
// (8 output pixels) and returns the number of output pixels.
func previewRowSIMD(d, a []byte) int {
	n := min(len(a)/32, len(d)/32)
	if n > 0 {
		yuyvToPreviewSSE2(&d[0], &a[0], n)
	}
	return n * 8
}

//go:noescape
func yuyvLumaSSE2(dst, src *byte, n int)

// lumaRowSIMD gathers the luma of the longest prefix of whole 16-pixel
// groups and returns the number of pixels done.
func lumaRowSIMD(d, s []byte) int {
	n := min(len(s)/32, len(d)/16)
	if n > 0 {
		yuyvLumaSSE2(&d[0], &s[0], n)
	}
	return n * 16
}

//go:noescape
func yccToRGBASSE2(dst, y, cb, cr *byte, n int)

// yccRGBARowSIMD converts the longest prefix of whole 8-pixel groups of a
// planar full-range YCbCr row with horizontally halved chroma and returns
// the number of pixels converted.
func yccRGBARowSIMD(d, y, cb, cr []byte) int {
	n := min(len(y)/8, len(cb)/4, len(cr)/4, len(d)/32)
	if n > 0 {
		yccToRGBASSE2(&d[0], &y[0], &cb[0], &cr[0], n)
	}
	return n * 8
}
