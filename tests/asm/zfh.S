/* Zfh, Zfhmin: half precision with NaN-boxing, rounding and conversions.
 * oracle: qemu */
#include "check.h"
START
    fsflags zero
    CASE(1)                 /* 1.5 + 2.25 = 3.75 (0x4380), boxed in 64 bits */
    li t0, 0x3e00
    fmv.h.x ft0, t0
    li t0, 0x4080
    fmv.h.x ft1, t0
    fadd.h ft2, ft0, ft1
    fmv.x.h a0, ft2
    EXPECT(a0, 0x4380)
    fmv.x.d a0, ft2
    EXPECT(a0, 0xffffffffffff4380)
    CASE(2)                 /* fmv.x.h sign-extends */
    li t0, 0xbc00           /* -1.0 */
    fmv.h.x ft0, t0
    fmv.x.h a0, ft0
    EXPECT(a0, 0xffffffffffffbc00)
    CASE(3)                 /* overflow: 65504 * 2 = inf, OF|NX */
    li t0, 0x7bff
    fmv.h.x ft0, t0
    fadd.h ft1, ft0, ft0
    fmv.x.h a0, ft1
    EXPECT(a0, 0x7c00)
    frflags a0
    EXPECT(a0, 0x05)
    fsflags zero
    CASE(4)                 /* ...but under RTZ it stays the largest finite */
    fadd.h ft1, ft0, ft0, rtz
    fmv.x.h a0, ft1
    EXPECT(a0, 0x7bff)
    fsflags zero
    CASE(5)                 /* a single that is not boxed as a half reads as NaN */
    li t0, 0xffffffff00003c00
    fmv.d.x ft0, t0
    fcvt.s.h ft1, ft0
    fmv.x.w a0, ft1
    EXPECT(a0, 0x7fc00000)
    CASE(6)                 /* conversions: 1/3 as a single rounds to half 0x3555 */
    li t0, 0x3eaaaaab
    fmv.w.x ft0, t0
    fcvt.h.s ft1, ft0
    fmv.x.h a0, ft1
    EXPECT(a0, 0x3555)
    fcvt.h.s ft1, ft0, rup
    fmv.x.h a0, ft1
    EXPECT(a0, 0x3556)
    fsflags zero
    CASE(7)                 /* to integers, saturating */
    li t0, 0x7c00
    fmv.h.x ft0, t0
    fcvt.w.h a0, ft0
    EXPECT(a0, 0x7fffffff)
    li t0, 0xc500           /* -5.0 */
    fmv.h.x ft0, t0
    fcvt.wu.h a0, ft0
    EXPECT(a0, 0)
    fcvt.l.h a0, ft0
    EXPECT(a0, -5)
    CASE(8)                 /* subnormal half: the smallest, 2^-24 */
    li t0, 1
    fmv.h.x ft0, t0
    fcvt.d.h ft1, ft0
    fmv.x.d a0, ft1
    EXPECT(a0, 0x3e70000000000000)
    fclass.h a0, ft0
    EXPECT(a0, 0x20)
    CASE(9)                 /* loads and stores move 16 bits and box */
    la t0, half
    flh ft0, 0(t0)
    fmv.x.d a0, ft0
    EXPECT(a0, 0xffffffffffffc000)
    fsh ft0, 2(t0)
    lhu a0, 2(t0)
    EXPECT(a0, 0xc000)
    CASE(10)                /* fma rounds once */
    li t0, 0x3c01           /* 1 + 2^-10 */
    fmv.h.x ft0, t0
    li t0, 0x3bff           /* 1 - 2^-11 */
    fmv.h.x ft1, t0
    li t0, 0xbc00
    fmv.h.x ft2, t0
    fmadd.h ft3, ft0, ft1, ft2
    fmv.x.h a0, ft3
    EXPECT(a0, 0x0ffe)      /* 2^-11 - 2^-21, exact */
    DONE
    .data
half: .half 0xc000, 0
