// Package imagechecktest makes hostile images for tests: valid files that
// are small on disk and huge once decoded.
package imagechecktest

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// BlankPNG returns a valid, all-black 8-bit greyscale PNG of w×h pixels,
// made without ever holding the pixels in memory, and quickly: a 20000×20000
// one is about 0.4 MB and takes milliseconds.
func BlankPNG(w, h int) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8] = 8 // bit depth; colour type 0 (grey), deflate, filter 0, no interlace
	chunk(&out, "IHDR", ihdr)

	z := zeroZlib(int64(h) * int64(1+w)) // each row: filter byte 0, then w black pixels
	chunk(&out, "IDAT", z)
	chunk(&out, "IEND", nil)
	return out.Bytes()
}

func chunk(out *bytes.Buffer, typ string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	out.WriteString(typ)
	out.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	out.Write(n[:])
}

// zeroZlib returns a zlib stream of n zero bytes. Deflate blocks that only
// repeat the previous byte decode the same way wherever they stand, so one
// compressed megabyte of zeros is emitted once and then copied.
func zeroZlib(n int64) []byte {
	const k = 1 << 20
	zeros := make([]byte, k)
	var out, fb bytes.Buffer
	out.Write([]byte{0x78, 0xda}) // zlib header: deflate, 32 KiB window, best compression
	fw, _ := flate.NewWriter(&fb, flate.BestCompression)
	emit := func(m int64) []byte {
		_, _ = fw.Write(zeros[:m])
		_ = fw.Flush()
		b := bytes.Clone(fb.Bytes())
		fb.Reset()
		return b
	}
	first := min(n, k)
	out.Write(emit(first))
	rest := n - first
	if rest >= k {
		block := emit(k)
		for ; rest >= k; rest -= k {
			out.Write(block)
		}
	}
	if rest > 0 {
		out.Write(emit(rest))
	}
	_ = fw.Close()
	out.Write(fb.Bytes())
	// Adler-32 of n zeros: a stays 1, b adds a for each byte.
	const mod = 65521
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], uint32(n%mod)<<16|1)
	out.Write(sum[:])
	return out.Bytes()
}
