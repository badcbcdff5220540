//go:build amd64 && !purego

#include "textflag.h"

// Constants, eight 16-bit words each. Coefficients are BT.601 limited range
// in 5-bit fixed point: PMULHW(x<<8, k) = x*k/256.
DATA yuyvK<>+0x00(SB)/8, $0x00ff00ff00ff00ff // low-byte mask
DATA yuyvK<>+0x08(SB)/8, $0x00ff00ff00ff00ff
DATA yuyvK<>+0x10(SB)/8, $0x2543254325432543 // kY  = 1.16438*32*256 = 9539
DATA yuyvK<>+0x18(SB)/8, $0x2543254325432543
DATA yuyvK<>+0x20(SB)/8, $0x0244024402440244 // 16*1.16438*32 - 16 (rounding) = 580
DATA yuyvK<>+0x28(SB)/8, $0x0244024402440244
DATA yuyvK<>+0x30(SB)/8, $0x0080008000800080 // 128
DATA yuyvK<>+0x38(SB)/8, $0x0080008000800080
DATA yuyvK<>+0x40(SB)/8, $0x3313331333133313 // kR  = 1.59603*8192 = 13075
DATA yuyvK<>+0x48(SB)/8, $0x3313331333133313
DATA yuyvK<>+0x50(SB)/8, $0x0c890c890c890c89 // kGu = 0.39176*8192 = 3209
DATA yuyvK<>+0x58(SB)/8, $0x0c890c890c890c89
DATA yuyvK<>+0x60(SB)/8, $0x1a041a041a041a04 // kGv = 0.81297*8192 = 6660
DATA yuyvK<>+0x68(SB)/8, $0x1a041a041a041a04
DATA yuyvK<>+0x70(SB)/8, $0x408d408d408d408d // kB  = 2.01723*8192 = 16525
DATA yuyvK<>+0x78(SB)/8, $0x408d408d408d408d
DATA yuyvK<>+0x80(SB)/8, $0x0000ffff0000ffff // low-word mask
DATA yuyvK<>+0x88(SB)/8, $0x0000ffff0000ffff
GLOBL yuyvK<>(SB), RODATA|NOPTR, $0x90

// Loads the constants: X15 byte mask, X14 kY, X13 Y offset, X12 128,
// X11 kR, X10 kGu, X9 kGv, X8 kB, X6 all ones (alpha).
#define LOADK \
	MOVOU yuyvK<>+0x00(SB), X15 \
	MOVOU yuyvK<>+0x10(SB), X14 \
	MOVOU yuyvK<>+0x20(SB), X13 \
	MOVOU yuyvK<>+0x30(SB), X12 \
	MOVOU yuyvK<>+0x40(SB), X11 \
	MOVOU yuyvK<>+0x50(SB), X10 \
	MOVOU yuyvK<>+0x60(SB), X9 \
	MOVOU yuyvK<>+0x70(SB), X8 \
	PCMPEQB X6, X6

// Given X0 = 8 luma words (0..255), X2 = 8 U words, X3 = 8 V words
// (0..255), stores 8 RGBA pixels at (DI). Clobbers X0-X5.
#define CONVERT8 \
	PSLLW $8, X0 \
	PMULHUW X14, X0 \
	PSUBW X13, X0 \
	PSUBW X12, X2 \
	PSUBW X12, X3 \
	PSLLW $8, X2 \
	PSLLW $8, X3 \
	MOVO X3, X4 \
	PMULHW X11, X4 \
	PADDW X0, X4 \
	MOVO X2, X5 \
	PMULHW X8, X5 \
	PADDW X0, X5 \
	PMULHW X10, X2 \
	PMULHW X9, X3 \
	PSUBW X2, X0 \
	PSUBW X3, X0 \
	PSRAW $5, X4 \
	PSRAW $5, X0 \
	PSRAW $5, X5 \
	PACKUSWB X4, X4 \
	PACKUSWB X0, X0 \
	PACKUSWB X5, X5 \
	PUNPCKLBW X0, X4 \
	PUNPCKLBW X6, X5 \
	MOVO X4, X1 \
	PUNPCKLWL X5, X4 \
	PUNPCKHWL X5, X1 \
	MOVOU X4, (DI) \
	MOVOU X1, 16(DI)

// func yuyvToRGBASSE2(dst, src *byte, n int)
// Converts n groups of 8 pixels (16 source bytes, 32 destination bytes).
TEXT ·yuyvToRGBASSE2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	LOADK
	TESTQ CX, CX
	JEQ rgbadone

rgbaloop:
	MOVOU (SI), X0
	MOVO X0, X1
	PAND X15, X0          // Y0..Y7
	PSRLW $8, X1          // U0 V0 U1 V1 U2 V2 U3 V3
	PSHUFLW $0xA0, X1, X2 // U0 U0 U1 U1 | ...
	PSHUFHW $0xA0, X2, X2 // ... | U2 U2 U3 U3
	PSHUFLW $0xF5, X1, X3 // V0 V0 V1 V1 | ...
	PSHUFHW $0xF5, X3, X3 // ... | V2 V2 V3 V3
	CONVERT8
	ADDQ $16, SI
	ADDQ $32, DI
	DECQ CX
	JNE rgbaloop

rgbadone:
	RET

// func yuyvToPreviewSSE2(dst, src *byte, n int)
// Converts n groups of 8 quads (32 source bytes) to 8 pixels each: the
// quad's two luma samples averaged, with its chroma.
TEXT ·yuyvToPreviewSSE2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	LOADK
	MOVOU yuyvK<>+0x80(SB), X7 // low-word mask
	TESTQ CX, CX
	JEQ prevdone

prevloop:
	MOVOU (SI), X0        // quads 0-3
	MOVOU 16(SI), X1      // quads 4-7
	// Luma: per quad (Y0 + Y1 + 1) / 2, in the low word of each dword.
	MOVO X0, X2
	PAND X15, X2          // Y0 Y1 | Y2 Y3 ... as words
	MOVO X2, X3
	PSRLL $16, X3         // odd luma in low words
	PAND X7, X2           // even luma in low words
	PAVGW X3, X2          // rounded average, low words; high words 0
	MOVO X1, X4
	PAND X15, X4
	MOVO X4, X5
	PSRLL $16, X5
	PAND X7, X4
	PAVGW X5, X4
	PACKSSLW X4, X2       // 8 luma words
	// Chroma: per quad U and V.
	PSRLW $8, X0          // U V U V ... words
	PSRLW $8, X1
	MOVO X0, X3
	PSRLL $16, X3         // V in low words
	PAND X7, X0           // U in low words
	MOVO X1, X4
	PSRLL $16, X4
	PAND X7, X1
	PACKSSLW X1, X0       // 8 U words
	PACKSSLW X4, X3       // 8 V words
	MOVO X0, X4
	MOVO X2, X0           // luma
	MOVO X4, X2           // U
	CONVERT8
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNE prevloop

prevdone:
	RET

// Full-range (JFIF) constants for planar YCbCr, same layout as yuyvK.
DATA yccK<>+0x00(SB)/8, $0x00ff00ff00ff00ff // low-byte mask
DATA yccK<>+0x08(SB)/8, $0x00ff00ff00ff00ff
DATA yccK<>+0x10(SB)/8, $0x2000200020002000 // kY = 32*256 = 8192: Y*32
DATA yccK<>+0x18(SB)/8, $0x2000200020002000
DATA yccK<>+0x20(SB)/8, $0xfff0fff0fff0fff0 // -16: rounding only
DATA yccK<>+0x28(SB)/8, $0xfff0fff0fff0fff0
DATA yccK<>+0x30(SB)/8, $0x0080008000800080 // 128
DATA yccK<>+0x38(SB)/8, $0x0080008000800080
DATA yccK<>+0x40(SB)/8, $0x2cdd2cdd2cdd2cdd // kR  = 1.402*8192 = 11485
DATA yccK<>+0x48(SB)/8, $0x2cdd2cdd2cdd2cdd
DATA yccK<>+0x50(SB)/8, $0x0b030b030b030b03 // kGu = 0.344136*8192 = 2819
DATA yccK<>+0x58(SB)/8, $0x0b030b030b030b03
DATA yccK<>+0x60(SB)/8, $0x16da16da16da16da // kGv = 0.714136*8192 = 5850
DATA yccK<>+0x68(SB)/8, $0x16da16da16da16da
DATA yccK<>+0x70(SB)/8, $0x38b438b438b438b4 // kB  = 1.772*8192 = 14516
DATA yccK<>+0x78(SB)/8, $0x38b438b438b438b4
GLOBL yccK<>(SB), RODATA|NOPTR, $0x80

// func yuyvLumaSSE2(dst, src *byte, n int)
// Gathers the luma of n groups of 16 pixels (32 source bytes).
TEXT ·yuyvLumaSSE2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVOU yuyvK<>+0x00(SB), X15
	TESTQ CX, CX
	JEQ lumadone

lumaloop:
	MOVOU (SI), X0
	MOVOU 16(SI), X1
	PAND X15, X0
	PAND X15, X1
	PACKUSWB X1, X0
	MOVOU X0, (DI)
	ADDQ $32, SI
	ADDQ $16, DI
	DECQ CX
	JNE lumaloop

lumadone:
	RET

// func yccToRGBASSE2(dst, y, cb, cr *byte, n int)
// n groups of 8 pixels from planar full-range YCbCr whose chroma is
// halved horizontally (4:2:2, 4:2:0): 8 luma, 4 Cb and 4 Cr bytes each.
TEXT ·yccToRGBASSE2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ cb+16(FP), R8
	MOVQ cr+24(FP), R9
	MOVQ n+32(FP), CX
	MOVOU yccK<>+0x10(SB), X14
	MOVOU yccK<>+0x20(SB), X13
	MOVOU yccK<>+0x30(SB), X12
	MOVOU yccK<>+0x40(SB), X11
	MOVOU yccK<>+0x50(SB), X10
	MOVOU yccK<>+0x60(SB), X9
	MOVOU yccK<>+0x70(SB), X8
	PCMPEQB X6, X6
	PXOR X7, X7
	TESTQ CX, CX
	JEQ yrgbadone

yrgbaloop:
	MOVQ (SI), X0
	PUNPCKLBW X7, X0      // 8 luma words
	MOVL (R8), X2
	PUNPCKLBW X7, X2      // 4 Cb words
	PUNPCKLWL X2, X2      // Cb0 Cb0 Cb1 Cb1 ...
	MOVL (R9), X3
	PUNPCKLBW X7, X3
	PUNPCKLWL X3, X3
	CONVERT8
	ADDQ $8, SI
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $32, DI
	DECQ CX
	JNE yrgbaloop

yrgbadone:
	RET
