//! Tests for binary16 (Zfh) and the Zfa operations: hand-written cases whose expected
//! values come from the spec text or are worked out by hand (the derivation is in the
//! comment next to each), and randomized or exhaustive comparisons with references
//! written here on host binary64 arithmetic, independent of `soft`: a binary16 value
//! converts to binary64 exactly, so results computed exactly (or, for round to
//! nearest, correctly rounded) in binary64 and then rounded once by [`ref_round`]
//! are the correctly rounded binary16 results.

use super::tests::Rng;
use super::*;

use Rm::{Rdn, Rmm, Rne, Rtz, Rup};

const RMS: [Rm; 5] = [Rne, Rtz, Rdn, Rup, Rmm];
const OFX: u8 = OF | NX;
const UFX: u8 = UF | NX;

// ---------------------------------------------------------------------------
// Independent binary16 reference.

/// The exact value of a finite binary16 pattern.
fn h2f(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from(h >> 10 & 0x1f);
    let frac = f64::from(h & 0x3ff);
    assert!(exp != 31, "{h:#x} is not finite");
    if exp == 0 {
        sign * frac * 2f64.powi(-24)
    } else {
        sign * (1024.0 + frac) * 2f64.powi(exp - 25)
    }
}

fn is_nan16(h: u16) -> bool {
    h & 0x7fff > 0x7c00
}

fn is_snan16(h: u16) -> bool {
    is_nan16(h) && h & 0x200 == 0
}

/// Rounds `v` (a real number of magnitude below 2^64, held exactly) to an integer
/// by `rm`, as a binary64.
fn round_f64(v: f64, rm: Rm) -> f64 {
    match rm {
        Rne => v.round_ties_even(),
        Rtz => v.trunc(),
        Rdn => v.floor(),
        Rup => v.ceil(),
        Rmm => v.round(),
    }
}

/// Rounds the exact, finite, non-zero `x` to binary16 by `rm`: result and flags
/// (tininess after rounding). Works by scaling to an integer significand.
fn ref_round(x: f64, rm: Rm) -> (u16, u8) {
    assert!(x != 0.0 && x.is_finite());
    let neg = x < 0.0;
    let sign = if neg { 0x8000 } else { 0 };
    let a = x.abs();
    // Exponent of the leading one (a binary64 subnormal is far below anything here).
    let e = if a < 2f64.powi(-1000) {
        -1000
    } else {
        (a.to_bits() >> 52) as i32 - 1023
    };
    // Round the magnitude; directed modes point the other way for negatives.
    let mrm = match (rm, neg) {
        (Rup, true) => Rtz,
        (Rdn, false) => Rtz,
        (Rdn, true) => Rup,
        (rm, _) => rm,
    };
    let at = |quantum_exp: i32| round_f64(a / 2f64.powi(quantum_exp), mrm) * 2f64.powi(quantum_exp);
    let r = at(e.max(-14) - 10);
    let inexact = r != a;
    let mut fl = if inexact { NX } else { 0 };
    if inexact && at(e - 10) < 2f64.powi(-14) {
        fl |= UF;
    }
    if r > 65504.0 {
        let to_zero = mrm == Rtz;
        return (sign | if to_zero { 0x7bff } else { 0x7c00 }, OFX);
    }
    let bits = if r < 2f64.powi(-14) {
        (r / 2f64.powi(-24)) as u16 // 1024 quanta is 0x0400, the smallest normal
    } else {
        let er = (r.to_bits() >> 52) as i32 - 1023;
        ((er + 15) as u16) << 10 | (r / 2f64.powi(er - 10) - 1024.0) as u16
    };
    (sign | bits, fl)
}

/// What a binary16 operation should give for the exact binary64 result `x`: the
/// canonical NaN, infinities and zeros as they are, else [`ref_round`].
fn expect16(x: f64, rm: Rm) -> (u16, u8) {
    if x.is_nan() {
        (0x7e00, 0)
    } else if x.is_infinite() {
        (if x < 0.0 { 0xfc00 } else { 0x7c00 }, 0)
    } else if x == 0.0 {
        (if x.is_sign_negative() { 0x8000 } else { 0 }, 0)
    } else {
        ref_round(x, rm)
    }
}

/// A finite binary16, biased to the ends of the range and short fractions.
fn half(rng: &mut Rng) -> u16 {
    let exp = match rng.below(4) {
        0 => rng.below(31),
        1 => [0, 1, 2, 29, 30][rng.below(5) as usize],
        _ => 15 + rng.below(11) - 5,
    } as u16;
    let frac = match rng.below(4) {
        0 => rng.next() as u16 & rng.next() as u16,
        1 => [0, 1, 0x3ff, 0x200, 0x201][rng.below(5) as usize],
        _ => rng.next() as u16,
    } & 0x3ff;
    (rng.next() as u16 & 0x8000) | exp << 10 | frac
}

// ---------------------------------------------------------------------------
// Hand-written binary16 cases.

/// `(operation, rm, a, b, c, result, flags)`; results as returned (not NaN-boxed),
/// integers as their u64 bit pattern.
type Case = (&'static str, Rm, u64, u64, u64, u64, u8);

fn run(op: &str, rm: Rm, a: u64, b: u64, c: u64) -> (u64, u8) {
    let mut fl = 0;
    let f = &mut fl;
    let (h, g, k) = (a as u16, b as u16, c as u16);
    let r = match op {
        "fadd.h" => f16_add(h, g, rm, f).into(),
        "fsub.h" => f16_sub(h, g, rm, f).into(),
        "fmul.h" => f16_mul(h, g, rm, f).into(),
        "fdiv.h" => f16_div(h, g, rm, f).into(),
        "fsqrt.h" => f16_sqrt(h, rm, f).into(),
        "fmadd.h" => f16_fma(h, g, k, rm, f).into(),
        "fmin.h" => f16_min(h, g, f).into(),
        "fmax.h" => f16_max(h, g, f).into(),
        "feq.h" => f16_eq(h, g, f).into(),
        "flt.h" => f16_lt(h, g, f).into(),
        "fle.h" => f16_le(h, g, f).into(),
        "fclass.h" => f16_classify(h),
        "fcvt.w.h" => f16_to_i32(h, rm, f) as u64,
        "fcvt.wu.h" => f16_to_u32(h, rm, f).into(),
        "fcvt.l.h" => f16_to_i64(h, rm, f) as u64,
        "fcvt.lu.h" => f16_to_u64(h, rm, f),
        "fcvt.h.w" => f16_from_i32(a as i32, rm, f).into(),
        "fcvt.h.wu" => f16_from_u32(a as u32, rm, f).into(),
        "fcvt.h.l" => f16_from_i64(a as i64, rm, f).into(),
        "fcvt.h.lu" => f16_from_u64(a, rm, f).into(),
        "fcvt.s.h" => f16_to_f32(h, f).into(),
        "fcvt.d.h" => f16_to_f64(h, f),
        "fcvt.h.s" => f32_to_f16(a as u32, rm, f).into(),
        "fcvt.h.d" => f64_to_f16(a, rm, f).into(),
        "fminm.h" => f16_minm(h, g, f).into(),
        "fmaxm.h" => f16_maxm(h, g, f).into(),
        "fminm.s" => f32_minm(a as u32, b as u32, f).into(),
        "fmaxm.s" => f32_maxm(a as u32, b as u32, f).into(),
        "fminm.d" => f64_minm(a, b, f),
        "fmaxm.d" => f64_maxm(a, b, f),
        "fround.h" => f16_round(h, rm, false, f).into(),
        "froundnx.h" => f16_round(h, rm, true, f).into(),
        "fround.s" => f32_round(a as u32, rm, false, f).into(),
        "froundnx.s" => f32_round(a as u32, rm, true, f).into(),
        "fround.d" => f64_round(a, rm, false, f),
        "froundnx.d" => f64_round(a, rm, true, f),
        "fleq.h" => f16_leq(h, g, f).into(),
        "fltq.h" => f16_ltq(h, g, f).into(),
        "fleq.s" => f32_leq(a as u32, b as u32, f).into(),
        "fltq.s" => f32_ltq(a as u32, b as u32, f).into(),
        "fleq.d" => f64_leq(a, b, f).into(),
        "fltq.d" => f64_ltq(a, b, f).into(),
        "fcvtmod.w.d" => f64_to_i32_mod(a, f) as u64,
        _ => panic!("unknown operation {op}"),
    };
    (r, fl)
}

// binary16 values
const ONE: u64 = 0x3c00;
const TWO: u64 = 0x4000;
const THREE: u64 = 0x4200;
const HALF: u64 = 0x3800;
const NONE: u64 = 0xbc00; // -1
const MAX: u64 = 0x7bff; // 65504
const INF: u64 = 0x7c00;
const NINF: u64 = 0xfc00;
const NZERO: u64 = 0x8000;
const QNAN: u64 = 0x7e00;
const SNAN: u64 = 0x7c01;
const MIN_NORMAL: u64 = 0x0400; // 2^-14
const MIN_SUB: u64 = 0x0001; // 2^-24
const EPS_TIE: u64 = 0x1000; // 2^-11: half an ulp of 1.0
const P2_5: u64 = 0x4100; // 2.5
const N2_5: u64 = 0xc100; // -2.5

const I32_MAX: u64 = i32::MAX as u64;
const I32_MIN: u64 = i32::MIN as u64;

#[rustfmt::skip]
const CASES: &[Case] = &[
    ("fadd.h", Rne, ONE, TWO, 0, THREE, 0),
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10 (0x3c01): even is 1.
    ("fadd.h", Rne, ONE, EPS_TIE, 0, ONE, NX),
    ("fadd.h", Rmm, ONE, EPS_TIE, 0, 0x3c01, NX),
    ("fadd.h", Rup, ONE, EPS_TIE, 0, 0x3c01, NX),
    ("fadd.h", Rdn, ONE, EPS_TIE, 0, ONE, NX),
    ("fadd.h", Rtz, ONE, EPS_TIE, 0, ONE, NX),
    // -1 - 2^-11 in the directed modes.
    ("fadd.h", Rdn, NONE, 0x9000, 0, 0xbc01, NX),
    ("fadd.h", Rup, NONE, 0x9000, 0, NONE, NX),
    // MAX + MAX overflows: infinity or MAX by direction.
    ("fadd.h", Rne, MAX, MAX, 0, INF, OFX),
    ("fadd.h", Rtz, MAX, MAX, 0, MAX, OFX),
    ("fadd.h", Rdn, MAX, MAX, 0, MAX, OFX),
    ("fadd.h", Rup, MAX, MAX, 0, INF, OFX),
    ("fadd.h", Rne, INF, NINF, 0, QNAN, NV),
    ("fadd.h", Rne, SNAN, ONE, 0, QNAN, NV),
    ("fadd.h", Rne, QNAN, ONE, 0, QNAN, 0),
    // Exact zero sums: +0 except under RDN; -0 + -0 is -0.
    ("fadd.h", Rne, 0, NZERO, 0, 0, 0),
    ("fadd.h", Rdn, 0, NZERO, 0, NZERO, 0),
    ("fadd.h", Rne, NZERO, NZERO, 0, NZERO, 0),
    ("fsub.h", Rdn, ONE, ONE, 0, NZERO, 0),
    ("fsub.h", Rne, ONE, ONE, 0, 0, 0),
    // 2^-24 × 0.5 = 2^-25: halfway between 0 and 2^-24; tiny and inexact.
    ("fmul.h", Rne, MIN_SUB, HALF, 0, 0, UFX),
    ("fmul.h", Rup, MIN_SUB, HALF, 0, MIN_SUB, UFX),
    ("fmul.h", Rmm, MIN_SUB, HALF, 0, MIN_SUB, UFX),
    ("fmul.h", Rdn, MIN_SUB | 0x8000, HALF, 0, 0x8001, UFX),
    // 2^-14 × (1 - 2^-11) = 2^-14 - 2^-25: 1023.5 subnormal quanta, rounds (to
    // even) up to the smallest normal, but with an unbounded exponent it would be
    // 2^-14 - 2^-25 exactly: tiny after rounding, so UF.
    ("fmul.h", Rne, MIN_NORMAL, 0x3bff, 0, MIN_NORMAL, UFX),
    ("fmul.h", Rtz, MIN_NORMAL, 0x3bff, 0, 0x03ff, UFX),
    ("fmul.h", Rne, INF, 0, 0, QNAN, NV),
    ("fmul.h", Rne, NZERO, THREE, 0, NZERO, 0),
    ("fdiv.h", Rne, ONE, 0, 0, INF, DZ),
    ("fdiv.h", Rne, NONE, 0, 0, NINF, DZ),
    ("fdiv.h", Rne, 0, 0, 0, QNAN, NV),
    ("fdiv.h", Rne, INF, INF, 0, QNAN, NV),
    // 1/3 = 1.0101010101|0101... × 2^-2: below the midpoint.
    ("fdiv.h", Rne, ONE, THREE, 0, 0x3555, NX),
    ("fdiv.h", Rup, ONE, THREE, 0, 0x3556, NX),
    ("fdiv.h", Rtz, ONE, THREE, 0, 0x3555, NX),
    // sqrt(2) = 1.0110101000|0010011110... : 0x3da8, below the midpoint.
    ("fsqrt.h", Rne, TWO, 0, 0, 0x3da8, NX),
    ("fsqrt.h", Rup, TWO, 0, 0, 0x3da9, NX),
    ("fsqrt.h", Rne, 0x4400, 0, 0, TWO, 0), // sqrt(4)
    ("fsqrt.h", Rne, NONE, 0, 0, QNAN, NV),
    ("fsqrt.h", Rne, NZERO, 0, 0, NZERO, 0),
    ("fsqrt.h", Rne, INF, 0, 0, INF, 0),
    // (1 + 2^-10)(1 - 2^-10) - 1 = -2^-20 exactly (a subnormal: 16 quanta); an
    // unfused multiply-add would give 0.
    ("fmadd.h", Rne, 0x3c01, 0x3bfe, NONE, 0x8010, 0),
    ("fmadd.h", Rne, INF, 0, QNAN, QNAN, NV),
    ("fmadd.h", Rne, ONE, ONE, EPS_TIE, ONE, NX),
    ("fmadd.h", Rmm, ONE, ONE, EPS_TIE, 0x3c01, NX),
    // fmin/fmax: -0 < +0; a quiet NaN operand is ignored, a signaling one raises NV.
    ("fmin.h", Rne, 0, NZERO, 0, NZERO, 0),
    ("fmax.h", Rne, NZERO, 0, 0, 0, 0),
    ("fmin.h", Rne, QNAN, ONE, 0, ONE, 0),
    ("fmin.h", Rne, SNAN, ONE, 0, ONE, NV),
    ("fmax.h", Rne, QNAN, 0xfe23, 0, QNAN, 0),
    ("feq.h", Rne, QNAN, ONE, 0, 0, 0),
    ("feq.h", Rne, SNAN, ONE, 0, 0, NV),
    ("feq.h", Rne, NZERO, 0, 0, 1, 0),
    ("flt.h", Rne, QNAN, ONE, 0, 0, NV),
    ("flt.h", Rne, NZERO, 0, 0, 0, 0),
    ("flt.h", Rne, NINF, MAX, 0, 1, 0),
    ("fle.h", Rne, NZERO, 0, 0, 1, 0),
    ("fle.h", Rne, ONE, QNAN, 0, 0, NV),
    ("fclass.h", Rne, NINF, 0, 0, 1 << 0, 0),
    ("fclass.h", Rne, NONE, 0, 0, 1 << 1, 0),
    ("fclass.h", Rne, 0x8001, 0, 0, 1 << 2, 0),
    ("fclass.h", Rne, NZERO, 0, 0, 1 << 3, 0),
    ("fclass.h", Rne, 0, 0, 0, 1 << 4, 0),
    ("fclass.h", Rne, 0x03ff, 0, 0, 1 << 5, 0),
    ("fclass.h", Rne, MIN_NORMAL, 0, 0, 1 << 6, 0),
    ("fclass.h", Rne, INF, 0, 0, 1 << 7, 0),
    ("fclass.h", Rne, SNAN, 0, 0, 1 << 8, 0),
    ("fclass.h", Rne, QNAN, 0, 0, 1 << 9, 0),
    // Conversions to integers: each rounding mode on ±2.5.
    ("fcvt.w.h", Rne, P2_5, 0, 0, 2, NX),
    ("fcvt.w.h", Rmm, P2_5, 0, 0, 3, NX),
    ("fcvt.w.h", Rup, P2_5, 0, 0, 3, NX),
    ("fcvt.w.h", Rdn, P2_5, 0, 0, 2, NX),
    ("fcvt.w.h", Rtz, P2_5, 0, 0, 2, NX),
    ("fcvt.w.h", Rne, N2_5, 0, 0, (-2i64) as u64, NX),
    ("fcvt.w.h", Rmm, N2_5, 0, 0, (-3i64) as u64, NX),
    ("fcvt.w.h", Rdn, N2_5, 0, 0, (-3i64) as u64, NX),
    ("fcvt.w.h", Rup, N2_5, 0, 0, (-2i64) as u64, NX),
    ("fcvt.w.h", Rne, MAX, 0, 0, 65504, 0),
    // Saturation: NaN gives the largest value, infinities the matching end; NV only.
    ("fcvt.w.h", Rne, INF, 0, 0, I32_MAX, NV),
    ("fcvt.w.h", Rne, NINF, 0, 0, I32_MIN, NV),
    ("fcvt.w.h", Rne, QNAN, 0, 0, I32_MAX, NV),
    ("fcvt.wu.h", Rne, NONE, 0, 0, 0, NV),
    ("fcvt.wu.h", Rtz, 0xb800, 0, 0, 0, NX), // -0.5 truncates to -0: in range
    ("fcvt.wu.h", Rne, NINF, 0, 0, 0, NV),
    ("fcvt.wu.h", Rne, SNAN, 0, 0, u32::MAX as u64, NV),
    ("fcvt.l.h", Rne, NINF, 0, 0, i64::MIN as u64, NV),
    ("fcvt.l.h", Rne, 0xfbff, 0, 0, (-65504i64) as u64, 0),
    ("fcvt.lu.h", Rne, QNAN, 0, 0, u64::MAX, NV),
    ("fcvt.lu.h", Rup, MIN_SUB, 0, 0, 1, NX),
    // From integers: 2049 is halfway between 2048 (0x6800) and 2050 (0x6801).
    ("fcvt.h.w", Rne, 2049, 0, 0, 0x6800, NX),
    ("fcvt.h.w", Rmm, 2049, 0, 0, 0x6801, NX),
    ("fcvt.h.w", Rup, 2049, 0, 0, 0x6801, NX),
    ("fcvt.h.w", Rne, (-2049i64) as u64, 0, 0, 0xe800, NX),
    ("fcvt.h.w", Rdn, (-2049i64) as u64, 0, 0, 0xe801, NX),
    ("fcvt.h.w", Rne, 0, 0, 0, 0, 0),
    // 65519 is below the midpoint between MAX and 2^16; 65520 is on it (and 2^16,
    // the even side, overflows).
    ("fcvt.h.w", Rne, 65519, 0, 0, MAX, NX),
    ("fcvt.h.w", Rne, 65520, 0, 0, INF, OFX),
    // Under RTZ 65520 truncates to MAX even with an unbounded exponent: no overflow.
    ("fcvt.h.w", Rtz, 65520, 0, 0, MAX, NX),
    ("fcvt.h.w", Rtz, 65536, 0, 0, MAX, OFX),
    ("fcvt.h.w", Rne, I32_MIN, 0, 0, NINF, OFX),
    ("fcvt.h.w", Rup, I32_MIN, 0, 0, 0xfbff, OFX),
    ("fcvt.h.wu", Rne, u32::MAX as u64, 0, 0, INF, OFX),
    ("fcvt.h.l", Rne, i64::MIN as u64, 0, 0, NINF, OFX),
    ("fcvt.h.lu", Rne, u64::MAX, 0, 0, INF, OFX),
    ("fcvt.h.lu", Rtz, u64::MAX, 0, 0, MAX, OFX),
    ("fcvt.h.lu", Rne, 3, 0, 0, THREE, 0),
    // Widening: exact; NaNs canonical, NV for signaling ones.
    ("fcvt.s.h", Rne, MIN_SUB, 0, 0, 0x3380_0000, 0), // 2^-24
    ("fcvt.s.h", Rne, MAX, 0, 0, 0x477f_e000, 0), // 65504
    ("fcvt.s.h", Rne, NZERO, 0, 0, 0x8000_0000, 0),
    ("fcvt.s.h", Rne, SNAN, 0, 0, 0x7fc0_0000, NV),
    ("fcvt.s.h", Rne, 0xfe23, 0, 0, 0x7fc0_0000, 0),
    ("fcvt.s.h", Rne, NINF, 0, 0, 0xff80_0000, 0),
    ("fcvt.d.h", Rne, MIN_SUB, 0, 0, 0x3e70_0000_0000_0000, 0), // 2^-24
    ("fcvt.d.h", Rne, 0x83ff, 0, 0, 0xbf0f_f800_0000_0000, 0), // -1023 × 2^-24
    ("fcvt.d.h", Rne, SNAN, 0, 0, 0x7ff8_0000_0000_0000, NV),
    // Narrowing.
    ("fcvt.h.s", Rne, 0x3300_0000, 0, 0, 0, UFX), // 2^-25: tie, even is 0
    ("fcvt.h.s", Rup, 0x3300_0000, 0, 0, MIN_SUB, UFX),
    ("fcvt.h.s", Rne, 0x3880_0000, 0, 0, MIN_NORMAL, 0), // 2^-14
    ("fcvt.h.s", Rne, 0x477f_f000, 0, 0, INF, OFX), // 65520: tie, even is 2^16
    ("fcvt.h.s", Rtz, 0x477f_f000, 0, 0, MAX, NX),
    ("fcvt.h.s", Rup, 0x477f_f001, 0, 0, INF, OFX),
    ("fcvt.h.s", Rne, 0x477f_efff, 0, 0, MAX, NX),
    ("fcvt.h.s", Rne, 0x3f80_1000, 0, 0, ONE, NX), // 1 + 2^-11: tie
    ("fcvt.h.s", Rmm, 0x3f80_1000, 0, 0, 0x3c01, NX),
    ("fcvt.h.s", Rne, 0x3f80_1001, 0, 0, 0x3c01, NX), // just above the tie
    ("fcvt.h.s", Rne, 0x7f80_0001, 0, 0, QNAN, NV),
    ("fcvt.h.s", Rne, 0xff80_0000, 0, 0, NINF, 0),
    // 1 + 2^-11 + 2^-40 rounds up; going through binary32 first would make it a tie
    // (1 + 2^-11) and then round to 1.
    ("fcvt.h.d", Rne, 0x3ff0_0200_0000_1000, 0, 0, 0x3c01, NX),
    ("fcvt.h.d", Rne, 0x3ff0_0000_0000_0000, 0, 0, ONE, 0),
    ("fcvt.h.d", Rne, 1, 0, 0, 0, UFX), // the smallest binary64 subnormal
    ("fcvt.h.d", Rup, 1, 0, 0, MIN_SUB, UFX),
    ("fcvt.h.d", Rne, 0x7ff0_0000_0000_0001, 0, 0, QNAN, NV),
    ("fcvt.h.d", Rdn, 0x7fef_ffff_ffff_ffff, 0, 0, MAX, OFX),
];

// ---------------------------------------------------------------------------
// Hand-written Zfa cases.

const S_ONE: u64 = 0x3f80_0000;
const S_QNAN: u64 = 0x7fc0_0000;
const S_SNAN: u64 = 0x7f80_0001;
const D_ONE: u64 = 0x3ff0_0000_0000_0000;
const D_QNAN: u64 = 0x7ff8_0000_0000_0000;
const D_SNAN: u64 = 0x7ff0_0000_0000_0001;
const D_INF: u64 = 0x7ff0_0000_0000_0000;

#[rustfmt::skip]
const ZFA_CASES: &[Case] = &[
    // fminm/fmaxm: any NaN operand gives the canonical NaN; NV only when signaling.
    ("fminm.h", Rne, QNAN, ONE, 0, QNAN, 0),
    ("fmaxm.h", Rne, ONE, 0xfe23, 0, QNAN, 0),
    ("fminm.h", Rne, SNAN, ONE, 0, QNAN, NV),
    ("fminm.h", Rne, TWO, ONE, 0, ONE, 0),
    ("fmaxm.h", Rne, TWO, ONE, 0, TWO, 0),
    ("fminm.h", Rne, 0, NZERO, 0, NZERO, 0),
    ("fmaxm.h", Rne, NZERO, 0, 0, 0, 0),
    ("fminm.s", Rne, S_QNAN, S_ONE, 0, S_QNAN, 0),
    ("fminm.s", Rne, S_ONE, S_SNAN, 0, S_QNAN, NV),
    ("fmaxm.s", Rne, 0x8000_0000, 0, 0, 0, 0),
    ("fminm.s", Rne, 0x8000_0000, 0, 0, 0x8000_0000, 0),
    ("fmaxm.d", Rne, D_ONE, D_QNAN, 0, D_QNAN, 0),
    ("fmaxm.d", Rne, D_SNAN, D_QNAN, 0, D_QNAN, NV),
    ("fminm.d", Rne, D_ONE, D_INF, 0, D_ONE, 0),
    // fround: 2.5 to each mode; froundnx adds NX when the value changes.
    ("fround.h", Rne, P2_5, 0, 0, TWO, 0),
    ("froundnx.h", Rne, P2_5, 0, 0, TWO, NX),
    ("fround.h", Rmm, P2_5, 0, 0, THREE, 0),
    ("fround.h", Rup, P2_5, 0, 0, THREE, 0),
    ("fround.h", Rdn, P2_5, 0, 0, TWO, 0),
    ("fround.h", Rtz, P2_5, 0, 0, TWO, 0),
    ("froundnx.h", Rdn, N2_5, 0, 0, 0xc200, NX),
    // A value rounding to zero keeps its sign: -0.5 gives -0 (or -1 under RDN).
    ("fround.h", Rne, 0xb800, 0, 0, NZERO, 0),
    ("fround.h", Rup, 0xb800, 0, 0, NZERO, 0),
    ("froundnx.h", Rdn, 0xb800, 0, 0, NONE, NX),
    ("froundnx.h", Rtz, 0x34cd, 0, 0, 0, NX), // ~0.3
    // 1023.5 (0x63ff): the last binade with a fractional bit.
    ("froundnx.h", Rne, 0x63ff, 0, 0, 0x6400, NX),
    ("froundnx.h", Rtz, 0x63ff, 0, 0, 0x63fe, NX),
    // Integral values, zeros and infinities come back unchanged without flags.
    ("froundnx.h", Rne, MAX, 0, 0, MAX, 0),
    ("froundnx.h", Rne, 0x6400, 0, 0, 0x6400, 0),
    ("froundnx.h", Rup, NZERO, 0, 0, NZERO, 0),
    ("froundnx.h", Rne, NINF, 0, 0, NINF, 0),
    ("froundnx.h", Rne, SNAN, 0, 0, QNAN, NV),
    ("froundnx.h", Rne, 0xfe23, 0, 0, QNAN, 0),
    ("fround.s", Rne, 0x3fc0_0000, 0, 0, 0x4000_0000, 0), // 1.5 -> 2
    ("froundnx.s", Rup, 0x0000_0001, 0, 0, S_ONE, NX), // smallest subnormal -> 1
    ("froundnx.s", Rup, 0x8000_0001, 0, 0, 0x8000_0000, NX), // -> -0
    ("froundnx.s", Rne, 0x4b7f_ffff, 0, 0, 0x4b7f_ffff, 0), // 2^24 - 1: integral
    ("froundnx.s", Rne, 0x4aff_ffff, 0, 0, 0x4b00_0000, NX), // 2^23 - 0.5 -> 2^23
    ("fround.s", Rne, S_SNAN, 0, 0, S_QNAN, NV),
    // 2^52 - 0.5 (0x432f_ffff_ffff_ffff): a tie, even is 2^52.
    ("froundnx.d", Rne, 0x432f_ffff_ffff_ffff, 0, 0, 0x4330_0000_0000_0000, NX),
    ("froundnx.d", Rtz, 0x432f_ffff_ffff_ffff, 0, 0, 0x432f_ffff_ffff_fffe, NX),
    ("fround.d", Rmm, 0xbfe0_0000_0000_0000, 0, 0, 0xbff0_0000_0000_0000, 0), // -0.5 -> -1
    ("fround.d", Rne, 0x8000_0000_0000_0001, 0, 0, 0x8000_0000_0000_0000, 0),
    ("fround.d", Rne, D_QNAN, 0, 0, D_QNAN, 0),
    // fltq/fleq: quiet NaNs raise nothing, signaling ones NV.
    ("fltq.h", Rne, QNAN, ONE, 0, 0, 0),
    ("fleq.h", Rne, ONE, QNAN, 0, 0, 0),
    ("fltq.h", Rne, SNAN, ONE, 0, 0, NV),
    ("fleq.h", Rne, NZERO, 0, 0, 1, 0),
    ("fltq.h", Rne, NZERO, 0, 0, 0, 0),
    ("fltq.h", Rne, ONE, TWO, 0, 1, 0),
    ("fltq.s", Rne, S_QNAN, S_ONE, 0, 0, 0),
    ("fleq.s", Rne, S_ONE, S_SNAN, 0, 0, NV),
    ("fleq.s", Rne, S_ONE, S_ONE, 0, 1, 0),
    ("fltq.d", Rne, D_QNAN, D_QNAN, 0, 0, 0),
    ("fleq.d", Rne, D_SNAN, D_ONE, 0, 0, NV),
    ("fltq.d", Rne, 0xbff0_0000_0000_0000, D_ONE, 0, 1, 0),
    // fcvtmod.w.d: truncate, keep bits 31:0; flags as fcvt.w.d with RTZ.
    ("fcvtmod.w.d", Rtz, 0x400d_9999_9999_999a, 0, 0, 3, NX), // 3.7
    ("fcvtmod.w.d", Rtz, 0xc00d_9999_9999_999a, 0, 0, (-3i64) as u64, NX), // -3.7
    ("fcvtmod.w.d", Rtz, 0x41e0_0000_0000_0000, 0, 0, I32_MIN, NV), // 2^31 wraps
    ("fcvtmod.w.d", Rtz, 0xc1e0_0000_0000_0000, 0, 0, I32_MIN, 0), // -2^31 fits
    ("fcvtmod.w.d", Rtz, 0x41df_ffff_ffe0_0000, 0, 0, I32_MAX, NX), // 2^31 - 0.5
    ("fcvtmod.w.d", Rtz, 0x41f0_0000_0050_0000, 0, 0, 5, NV), // 2^32 + 5
    ("fcvtmod.w.d", Rtz, 0x4340_0000_0000_0001, 0, 0, 2, NV), // 2^53 + 2
    ("fcvtmod.w.d", Rtz, 0xc340_0000_0000_0001, 0, 0, (-2i64) as u64, NV),
    ("fcvtmod.w.d", Rtz, 0x43f0_0000_0000_0001, 0, 0, 4096, NV), // 2^64 + 2^12
    ("fcvtmod.w.d", Rtz, 0x4410_0000_0000_0001, 0, 0, 16384, NV), // 2^66 + 2^14
    ("fcvtmod.w.d", Rtz, 0x4730_0000_0000_0001, 0, 0, 0, NV), // 2^116 + 2^64
    ("fcvtmod.w.d", Rtz, 0x7fef_ffff_ffff_ffff, 0, 0, 0, NV),
    ("fcvtmod.w.d", Rtz, D_INF, 0, 0, 0, NV),
    ("fcvtmod.w.d", Rtz, 0xfff0_0000_0000_0000, 0, 0, 0, NV),
    ("fcvtmod.w.d", Rtz, D_QNAN, 0, 0, 0, NV),
    ("fcvtmod.w.d", Rtz, 0x8000_0000_0000_0000, 0, 0, 0, 0),
    ("fcvtmod.w.d", Rtz, 0x3fe0_0000_0000_0000, 0, 0, 0, NX), // 0.5
];

#[test]
fn hand_written_cases() {
    let errors: Vec<String> = CASES
        .iter()
        .chain(ZFA_CASES)
        .filter_map(|&(op, rm, a, b, c, want, want_fl)| {
            let (got, fl) = run(op, rm, a, b, c);
            // 32-bit integer results compare as their u32 pattern widened both ways.
            let narrow = matches!(op, "fcvt.w.h" | "fcvtmod.w.d");
            let same = if narrow {
                got as u32 == want as u32
            } else {
                got == want
            };
            (!same || fl != want_fl).then(|| {
                format!(
                    "{op} {rm:?} {a:#x} {b:#x} {c:#x}: got {got:#x} flags {fl:#x}, want {want:#x} flags {want_fl:#x}"
                )
            })
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{} failures:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// The reference itself, on cases worked out by hand above.
#[test]
fn reference_rounding_agrees_with_hand_cases() {
    assert_eq!(ref_round(1.0 + 2f64.powi(-11), Rne), (0x3c00, NX));
    assert_eq!(
        ref_round(2f64.powi(-14) - 2f64.powi(-25), Rne),
        (0x0400, UFX)
    );
    assert_eq!(ref_round(65520.0, Rne), (0x7c00, OFX));
    assert_eq!(ref_round(-65520.0, Rup), (0xfbff, NX));
    assert_eq!(ref_round(-65536.0, Rup), (0xfbff, OFX));
    assert_eq!(ref_round(2049.0, Rmm), (0x6801, NX));
    assert_eq!(ref_round(-(2f64.powi(-25)), Rdn), (0x8001, UFX));
    assert_eq!(h2f(0x0001), 2f64.powi(-24));
    assert_eq!(h2f(0x7bff), 65504.0);
}

// ---------------------------------------------------------------------------
// Exhaustive and randomized comparisons with the reference.

#[test]
fn every_half_widens_exactly_and_classifies() {
    for h in 0..=u16::MAX {
        let mut fl = 0;
        let (d, s) = (f16_to_f64(h, &mut fl), f16_to_f32(h, &mut fl));
        assert_eq!(fl, if is_snan16(h) { NV } else { 0 }, "{h:#x}");
        let class = f16_classify(h);
        if is_nan16(h) {
            assert_eq!((d, s), (F64_CANONICAL_NAN, F32_CANONICAL_NAN), "{h:#x}");
            assert_eq!(class, if is_snan16(h) { 1 << 8 } else { 1 << 9 });
            continue;
        }
        let x = if h & 0x7fff == 0x7c00 {
            if h & 0x8000 != 0 {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }
        } else {
            h2f(h)
        };
        // h2f gives +0 for 0x8000; the sign comes from the bits.
        let x = if h == 0x8000 { -0.0 } else { x };
        assert_eq!(d, x.to_bits(), "{h:#x}");
        assert_eq!(s, (x as f32).to_bits(), "{h:#x}");
        let neg = h & 0x8000 != 0;
        let bit = match (x.abs(), neg) {
            (a, n) if a.is_infinite() => {
                if n {
                    0
                } else {
                    7
                }
            }
            (a, n) if a >= 2f64.powi(-14) => {
                if n {
                    1
                } else {
                    6
                }
            }
            (a, n) if a > 0.0 => {
                if n {
                    2
                } else {
                    5
                }
            }
            (_, n) => {
                if n {
                    3
                } else {
                    4
                }
            }
        };
        assert_eq!(class, 1 << bit, "{h:#x}");
    }
}

#[test]
fn every_half_converts_to_integers_and_rounds_to_integral() {
    for h in 0..=u16::MAX {
        if is_nan16(h) || h & 0x7fff == 0x7c00 {
            continue; // specials: hand-written cases
        }
        let x = h2f(h);
        for rm in RMS {
            let r = round_f64(x, rm);
            let nx = if r != x { NX } else { 0 };
            let mut fl = 0;
            assert_eq!(f16_to_i32(h, rm, &mut fl), r as i32, "{h:#x} {rm:?}");
            assert_eq!(fl, nx, "fcvt.w.h {h:#x} {rm:?}");
            let mut fl = 0;
            assert_eq!(f16_to_i64(h, rm, &mut fl), r as i64, "{h:#x} {rm:?}");
            assert_eq!(fl, nx, "fcvt.l.h {h:#x} {rm:?}");
            let (want_u, want_fl) = if r < 0.0 { (0, NV) } else { (r as u64, nx) };
            let mut fl = 0;
            assert_eq!(f16_to_u64(h, rm, &mut fl), want_u, "{h:#x} {rm:?}");
            assert_eq!(fl, want_fl, "fcvt.lu.h {h:#x} {rm:?}");
            let mut fl = 0;
            assert_eq!(u64::from(f16_to_u32(h, rm, &mut fl)), want_u, "{h:#x}");
            assert_eq!(fl, want_fl, "fcvt.wu.h {h:#x} {rm:?}");
            // fround: the integral value with x's sign (a zero result keeps it).
            let want = if r == 0.0 {
                (h & 0x8000) as u64
            } else {
                u64::from(ref_round(r, Rne).0)
            };
            let mut fl = 0;
            assert_eq!(
                u64::from(f16_round(h, rm, true, &mut fl)),
                want,
                "{h:#x} {rm:?}"
            );
            assert_eq!(fl, nx, "froundnx.h {h:#x} {rm:?}");
            let mut fl = 0;
            f16_round(h, rm, false, &mut fl);
            assert_eq!(fl, 0, "fround.h {h:#x} {rm:?}");
        }
    }
}

#[test]
fn random_half_arithmetic_matches_reference() {
    let mut rng = Rng(0x5eed_f16f_16f1_6f16);
    let mut errors = Vec::new();
    let mut check = |what: &str, got: (u16, u8), want: (u16, u8), ops: (u16, u16, u16)| {
        if got != want && errors.len() < 20 {
            errors.push(format!(
                "{what} {:#x} {:#x} {:#x}: got {:#x}/{:#x}, want {:#x}/{:#x}",
                ops.0, ops.1, ops.2, got.0, got.1, want.0, want.1
            ));
        }
    };
    for _ in 0..40_000 {
        let (a, b, c) = (half(&mut rng), half(&mut rng), half(&mut rng));
        let (x, y, z) = (h2f(a), h2f(b), h2f(c));
        let rm = RMS[rng.below(5) as usize];
        let name = |op: &str| format!("{op} {rm:?}");
        let mut fl = 0;
        // Sums and products of halves are exact in binary64. Exact zeros follow
        // the sign rules instead (hand-written cases).
        let sum = x + y;
        if sum != 0.0 {
            let got = f16_add(a, b, rm, &mut fl);
            check(&name("fadd.h"), (got, fl), expect16(sum, rm), (a, b, 0));
        }
        let mut fl = 0;
        let got = f16_mul(a, b, rm, &mut fl);
        let prod = x * y;
        check(&name("fmul.h"), (got, fl), expect16(prod, rm), (a, b, 0));
        // x × y + z, when binary64 holds it exactly (TwoSum error zero).
        let s = prod + z;
        let (bb, aa) = (s - prod, s - z);
        if s != 0.0 && bb == z && aa == prod {
            let mut fl = 0;
            let got = f16_fma(a, b, c, rm, &mut fl);
            check(&name("fmadd.h"), (got, fl), expect16(s, rm), (a, b, c));
        }
        // Quotients and roots: binary64 round-to-nearest then binary16 round-to-
        // nearest is correct rounding (53 >= 2 × 11 + 2), so compare values under RNE.
        if y != 0.0 {
            let mut fl = 0;
            let got = f16_div(a, b, Rne, &mut fl);
            check(
                "fdiv.h Rne",
                (got, 0),
                (expect16(x / y, Rne).0, 0),
                (a, b, 0),
            );
        }
        if x >= 0.0 {
            let mut fl = 0;
            let got = f16_sqrt(a, Rne, &mut fl);
            let want = expect16(x.sqrt(), Rne).0;
            check("fsqrt.h Rne", (got, 0), (want, 0), (a, 0, 0));
        }
        // Narrowing from binary32 and binary64 values near the binary16 range.
        let w =
            f32::from_bits(rng.next() as u32 & 0x807f_ffff | (100 + rng.below(45) as u32) << 23);
        let mut fl = 0;
        let got = f32_to_f16(w.to_bits(), rm, &mut fl);
        check(
            &name("fcvt.h.s"),
            (got, fl),
            expect16(w.into(), rm),
            (0, 0, 0),
        );
        let v = f64::from_bits(rng.next() & 0x800f_ffff_ffff_ffff | (990 + rng.below(50)) << 52);
        let mut fl = 0;
        let got = f64_to_f16(v.to_bits(), rm, &mut fl);
        check(&name("fcvt.h.d"), (got, fl), expect16(v, rm), (0, 0, 0));
        // From integers (exact in binary64 below 2^53).
        let n = (rng.next() >> rng.below(64)) as i64 >> 11;
        let n = if rng.below(2) == 0 { n } else { -n };
        let mut fl = 0;
        let got = f16_from_i64(n, rm, &mut fl);
        check(
            &name("fcvt.h.l"),
            (got, fl),
            expect16(n as f64, rm),
            (0, 0, 0),
        );
        // Comparisons and min/max on finite values (NaNs: hand-written cases).
        let mut fl = 0;
        let ord = (
            f16_lt(a, b, &mut fl),
            f16_le(a, b, &mut fl),
            f16_eq(a, b, &mut fl),
        );
        let q = (f16_ltq(a, b, &mut fl), f16_leq(a, b, &mut fl));
        assert_eq!((ord, q, fl), ((x < y, x <= y, x == y), (x < y, x <= y), 0));
        let (lo, hi) = if x < y || (x == y && a & 0x8000 != 0) {
            (a, b)
        } else {
            (b, a)
        };
        let mut fl = 0;
        let mm = (f16_min(a, b, &mut fl), f16_max(a, b, &mut fl));
        let mm2 = (f16_minm(a, b, &mut fl), f16_maxm(a, b, &mut fl));
        assert_eq!((mm, mm2, fl), ((lo, hi), (lo, hi), 0), "{a:#x} {b:#x}");
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn random_round_to_integral_matches_host() {
    let mut rng = Rng(0x0f0f_1234_5678_9abc);
    for _ in 0..50_000 {
        let rm = RMS[rng.below(5) as usize];
        let d = f64::from_bits(rng.next() & 0x800f_ffff_ffff_ffff | (1000 + rng.below(60)) << 52);
        let r = round_f64(d, rm);
        let mut fl = 0;
        assert_eq!(
            f64_round(d.to_bits(), rm, true, &mut fl),
            r.to_bits(),
            "{d:e} {rm:?}"
        );
        assert_eq!(fl, if r != d { NX } else { 0 }, "{d:e} {rm:?}");
        let s =
            f32::from_bits(rng.next() as u32 & 0x807f_ffff | (110 + rng.below(40) as u32) << 23);
        let r = round_f64(s.into(), rm) as f32;
        let mut fl = 0;
        assert_eq!(
            f32_round(s.to_bits(), rm, true, &mut fl),
            r.to_bits(),
            "{s:e} {rm:?}"
        );
        assert_eq!(fl, if r != s { NX } else { 0 }, "{s:e} {rm:?}");
    }
}

#[test]
fn random_fcvtmod_matches_host() {
    let mut rng = Rng(0xfc7d_0d00_0000_0001);
    for _ in 0..50_000 {
        let d = f64::from_bits(rng.next() & 0x800f_ffff_ffff_ffff | (1000 + rng.below(140)) << 52);
        let t = d.trunc();
        // fmod is exact: t mod 2^32, then reinterpret the low 32 bits.
        let want = t.rem_euclid(4_294_967_296.0) as u32 as i32;
        let in_range = (-2_147_483_648.0..=2_147_483_647.0).contains(&t);
        let want_fl = if !in_range {
            NV
        } else if t != d {
            NX
        } else {
            0
        };
        let mut fl = 0;
        assert_eq!(f64_to_i32_mod(d.to_bits(), &mut fl), want, "{d:e}");
        assert_eq!(fl, want_fl, "{d:e}");
    }
}
