/* F and D corners: NaN-boxing, canonical NaNs, signed zeros in fmin/fmax, fcvt
 * saturation and flags, static rounding modes, fused multiply-add rounding once.
 * oracle: qemu */
#include "check.h"
#define FLAGS(value) frflags t5; EXPECT(t5, value); fsflags zero
START
    fsflags zero
    CASE(1)                 /* an unboxed single reads as the canonical NaN */
    li t0, 0x000000003f800000
    fmv.d.x ft0, t0
    fadd.s ft1, ft0, ft0
    fmv.x.w a0, ft1
    EXPECT(a0, 0x7fc00000)
    fmv.x.d a0, ft1         /* results are boxed */
    EXPECT(a0, 0xffffffff7fc00000)
    CASE(2)                 /* fmin/fmax: -0 < +0, one NaN gives the other operand */
    li t0, 0x8000000000000000
    fmv.d.x ft0, t0
    fmv.d.x ft1, zero
    fmin.d ft2, ft1, ft0
    fmv.x.d a0, ft2
    EXPECT(a0, 0x8000000000000000)
    fmax.d ft2, ft0, ft1
    fmv.x.d a0, ft2
    EXPECT(a0, 0)
    li t0, 0x7ff4000000000000 /* signalling NaN */
    fmv.d.x ft3, t0
    fmin.d ft2, ft3, ft1
    fmv.x.d a0, ft2
    EXPECT(a0, 0)
    FLAGS(0x10)
    fmax.d ft2, ft3, ft3
    fmv.x.d a0, ft2
    EXPECT(a0, 0x7ff8000000000000)
    FLAGS(0x10)
    CASE(3)                 /* fcvt saturates and raises NV */
    li t0, 0x7ff0000000000000 /* +inf */
    fmv.d.x ft0, t0
    fcvt.w.d a0, ft0
    EXPECT(a0, 0x7fffffff)
    FLAGS(0x10)
    fcvt.wu.d a0, ft3       /* NaN -> max */
    EXPECT(a0, -1)
    FLAGS(0x10)
    li t0, 0xbff0000000000000 /* -1.0 */
    fmv.d.x ft0, t0
    fcvt.lu.d a0, ft0
    EXPECT(a0, 0)
    FLAGS(0x10)
    li t0, 0xbfe0000000000000 /* -0.5 rounds to -0: exact in unsigned, only NX */
    fmv.d.x ft0, t0
    fcvt.lu.d a0, ft0, rtz
    EXPECT(a0, 0)
    FLAGS(0x01)
    CASE(4)                 /* static rounding modes on 2.5 */
    li t0, 0x4004000000000000
    fmv.d.x ft0, t0
    fcvt.l.d a0, ft0, rne
    EXPECT(a0, 2)
    fcvt.l.d a0, ft0, rmm
    EXPECT(a0, 3)
    fcvt.l.d a0, ft0, rdn
    EXPECT(a0, 2)
    fcvt.l.d a0, ft0, rup
    EXPECT(a0, 3)
    li t0, 0xc004000000000000 /* -2.5 */
    fmv.d.x ft0, t0
    fcvt.l.d a0, ft0, rtz
    EXPECT(a0, -2)
    fcvt.l.d a0, ft0, rdn
    EXPECT(a0, -3)
    FLAGS(0x01)
    CASE(5)                 /* fma rounds once: (1 + 2^-52)(1 - 2^-53) - 1 = 2^-53 - 2^-105 exactly
                               (two roundings would give 0) */
    li t0, 0x3ff0000000000001
    li t1, 0x3fefffffffffffff  /* 1 - 2^-53 */
    li t2, 0xbff0000000000000
    fmv.d.x ft0, t0
    fmv.d.x ft1, t1
    fmv.d.x ft2, t2
    fmadd.d ft3, ft0, ft1, ft2
    fmv.x.d a0, ft3
    EXPECT(a0, 0x3c9ffffffffffffe)
    FLAGS(0)
    DONE
