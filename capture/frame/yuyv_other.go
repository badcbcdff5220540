//go:build !amd64 || purego

package frame

// Without SIMD the Go row functions do all the work.
func rgbaRowSIMD(d, s []byte) int    { return 0 }
func previewRowSIMD(d, a []byte) int { return 0 }

func lumaRowSIMD(d, s []byte) int { return 0 }

func yccRGBARowSIMD(d, y, cb, cr []byte) int { return 0 }
