/* Zfa: fli constants, fminm/fmaxm, fround/froundnx, fleq/fltq, fcvtmod.w.d.
 * binutils 2.40 does not know Zfa: the words are spelled from the Zfa chapter's
 * encodings (register operands are x/f numbers).
 * oracle: none (qemu 7.2 has no Zfa) */
#include "check.h"
#define FP_R(base, rd, rs1, rs2) .word (base) | (rs2) << 20 | (rs1) << 15 | (rd) << 7
#define FLI_S(rd, k)  FP_R(0xf0100053, rd, k, 0)
#define FLI_D(rd, k)  FP_R(0xf2100053, rd, k, 0)
#define FLI_H(rd, k)  FP_R(0xf4100053, rd, k, 0)
#define FMINM_D(rd, a, b) FP_R(0x2a002053, rd, a, b)
#define FMAXM_S(rd, a, b) FP_R(0x28003053, rd, a, b)
#define FROUND_D(rd, a, rm)   FP_R(0x42400053 | (rm) << 12, rd, a, 0)
#define FROUNDNX_D(rd, a, rm) FP_R(0x42500053 | (rm) << 12, rd, a, 0)
#define FLEQ_D(rd, a, b) FP_R(0xa2004053, rd, a, b)
#define FLTQ_D(rd, a, b) FP_R(0xa2005053, rd, a, b)
#define FCVTMOD_W_D(rd, a) FP_R(0xc2801053, rd, a, 0)
#define FLAGS(value) frflags t5; EXPECT(t5, value); fsflags zero
START
    fsflags zero
    CASE(1)                 /* fli.s: entry 0 is -1.0, 1 the smallest normal, 31 NaN */
    FLI_S(10, 0)            /* fli.s fa0, -1.0 */
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffffbf800000)
    FLI_S(10, 1)
    fmv.x.w a0, fa0
    EXPECT(a0, 0x00800000)
    FLI_S(10, 31)
    fmv.x.w a0, fa0
    EXPECT(a0, 0x7fc00000)
    CASE(2)                 /* fli.d: 2^-16, 0.3125, 2^16, inf, smallest normal */
    FLI_D(10, 2)
    fmv.x.d a0, fa0
    EXPECT(a0, 0x3ef0000000000000)
    FLI_D(10, 9)
    fmv.x.d a0, fa0
    EXPECT(a0, 0x3fd4000000000000)
    FLI_D(10, 29)
    fmv.x.d a0, fa0
    EXPECT(a0, 0x40f0000000000000)
    FLI_D(10, 30)
    fmv.x.d a0, fa0
    EXPECT(a0, 0x7ff0000000000000)
    FLI_D(10, 1)
    fmv.x.d a0, fa0
    EXPECT(a0, 0x0010000000000000)
    CASE(3)                 /* fli.h: 1.5 and the smallest normal half */
    FLI_H(10, 18)
    fmv.x.d a0, fa0
    EXPECT(a0, 0xffffffffffff3e00)
    FLI_H(10, 1)
    fmv.x.h a0, fa0
    EXPECT(a0, 0x0400)
    FLAGS(0)
    CASE(4)                 /* fminm/fmaxm: any NaN operand gives the canonical NaN */
    li t0, 0x7ff8000000000001
    fmv.d.x fa1, t0
    fmv.d.x fa2, zero
    FMINM_D(10, 11, 12)
    fmv.x.d a0, fa0
    EXPECT(a0, 0x7ff8000000000000)
    FLAGS(0)
    li t0, 0x8000000000000000
    fmv.d.x fa1, t0         /* -0 */
    FMINM_D(10, 12, 11)
    fmv.x.d a0, fa0
    EXPECT(a0, 0x8000000000000000)
    li t0, 0xffffffff7f800001 /* signalling NaN single */
    fmv.d.x fa1, t0
    FMAXM_S(10, 11, 12)
    fmv.x.w a0, fa0
    EXPECT(a0, 0x7fc00000)
    FLAGS(0x10)
    CASE(5)                 /* fround keeps the sign of zero, froundnx raises NX */
    li t0, 0xbfe0000000000000 /* -0.5 */
    fmv.d.x fa1, t0
    FROUND_D(10, 11, 0)     /* rne: -0.0 */
    fmv.x.d a0, fa0
    EXPECT(a0, 0x8000000000000000)
    FLAGS(0)
    FROUNDNX_D(10, 11, 2)   /* rdn: -1.0, inexact */
    fmv.x.d a0, fa0
    EXPECT(a0, 0xbff0000000000000)
    FLAGS(0x01)
    li t0, 0x4004000000000000 /* 2.5 */
    fmv.d.x fa1, t0
    FROUND_D(10, 11, 4)     /* rmm: 3.0, no flag */
    fmv.x.d a0, fa0
    EXPECT(a0, 0x4008000000000000)
    FLAGS(0)
    CASE(6)                 /* quiet comparisons: a quiet NaN raises nothing */
    li t0, 0x7ff8000000000000
    fmv.d.x fa1, t0
    FLEQ_D(10, 11, 12)
    EXPECT(a0, 0)
    FLTQ_D(10, 12, 11)
    EXPECT(a0, 0)
    FLAGS(0)
    li t0, 0x7ff0000000000001 /* signalling */
    fmv.d.x fa1, t0
    FLTQ_D(10, 11, 12)
    FLAGS(0x10)
    li t0, 0x8000000000000000
    fmv.d.x fa1, t0
    FLEQ_D(10, 11, 12)      /* -0 <= +0 */
    EXPECT(a0, 1)
    FLTQ_D(10, 11, 12)      /* but not < */
    EXPECT(a0, 0)
    CASE(7)                 /* fcvtmod.w.d: modular, truncating */
    li t0, 0x41f0000000000005 /* 2^32 + 5/2^20 ... = 4294967296.0000048 */
    fmv.d.x fa1, t0
    FCVTMOD_W_D(10, 11)
    EXPECT(a0, 0)
    FLAGS(0x10)             /* out of range: NV */
    li t0, 0x41e0000000200000 /* 2^31 + 1 */
    fmv.d.x fa1, t0
    FCVTMOD_W_D(10, 11)
    EXPECT(a0, -0x7fffffff)
    FLAGS(0x10)
    li t0, 0xc00c000000000000 /* -3.5 */
    fmv.d.x fa1, t0
    FCVTMOD_W_D(10, 11)
    EXPECT(a0, -3)
    FLAGS(0x01)
    li t0, 0x7ff0000000000000 /* inf -> 0, NV */
    fmv.d.x fa1, t0
    FCVTMOD_W_D(10, 11)
    EXPECT(a0, 0)
    FLAGS(0x10)
    DONE
