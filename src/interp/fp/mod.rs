//! IEEE-754 arithmetic for the RISC-V F, D, Zfh/Zfhmin and Zfa extensions,
//! bit-exact with the unprivileged ISA spec (2019+ fmin/fmax semantics).
//!
//! This module owns every floating-point computation the interpreter does:
//! arithmetic, fused multiply-add, square root, min/max, comparisons,
//! fclass, and conversions, each on raw bit patterns (`u16` for binary16,
//! `u32` for binary32, `u64` for binary64) under an explicit rounding mode, ORing the raised
//! exception flags into a caller-owned `fflags` byte. NaN results are always
//! the canonical NaN; subnormals are fully supported; tininess is detected
//! after rounding.
//!
//! Speed: the common case runs on host floating point when that is provably
//! exact in result *and* flags. binary64 operations recover the exact
//! rounding error (TwoSum for add, Dekker's product for mul/div/sqrt/fma;
//! no host FMA, which is a library call on wasm32 and baseline x86-64);
//! binary32 operations are computed exactly, or rounded to odd, in binary64
//! and then narrowed. NX then costs no branch, and a one-ulp correction
//! turns the round-to-nearest-even host result into any other rounding
//! mode. Everything else — NaNs, infinities, zeros where the sign rules
//! bite, operands or results near either end of the exponent range — goes
//! to the integer implementation in `soft`, which is also what the tests
//! hold the fast paths to. binary16 (Zfh) and the Zfa operations always
//! take the software path: they are rare enough that speed does not matter.
//!
//! The caller owns: NaN-boxing, the dynamic rounding mode (`frm`), and the
//! sign-flipping that turns `fma` into fmsub/fnmsub/fnmadd.

mod soft;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_zfh_zfa;

use soft::{F16, F32, F64};
use std::cmp::Ordering;

/// RISC-V rounding modes (frm encoding). Values 5,6 are reserved; 7 (DYN) is resolved by the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Rm {
    /// Round to nearest, ties to even.
    Rne = 0,
    /// Round towards zero.
    Rtz = 1,
    /// Round down (towards -inf).
    Rdn = 2,
    /// Round up (towards +inf).
    Rup = 3,
    /// Round to nearest, ties to max magnitude.
    Rmm = 4,
}

impl Rm {
    /// The mode for an `rm`/`frm` field value; `None` for 5, 6 (reserved) and 7 (DYN).
    pub fn from_bits(b: u8) -> Option<Rm> {
        match b {
            0 => Some(Rm::Rne),
            1 => Some(Rm::Rtz),
            2 => Some(Rm::Rdn),
            3 => Some(Rm::Rup),
            4 => Some(Rm::Rmm),
            _ => None,
        }
    }
}

/// fflags bit: invalid operation.
pub const NV: u8 = 0x10;
/// fflags bit: divide by zero.
pub const DZ: u8 = 0x08;
/// fflags bit: overflow.
pub const OF: u8 = 0x04;
/// fflags bit: underflow.
pub const UF: u8 = 0x02;
/// fflags bit: inexact.
pub const NX: u8 = 0x01;

/// The binary16 NaN every NaN-producing operation returns.
pub const F16_CANONICAL_NAN: u16 = 0x7e00;
/// The binary32 NaN every NaN-producing operation returns.
pub const F32_CANONICAL_NAN: u32 = 0x7fc0_0000;
/// The binary64 NaN every NaN-producing operation returns.
pub const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

const F32_SIGN: u32 = 0x8000_0000;
const F64_SIGN: u64 = 0x8000_0000_0000_0000;
const F32_MIN_NORMAL: u32 = 0x0080_0000;
const F32_MAX: u32 = 0x7f7f_ffff;
const F64_MIN_NORMAL: u64 = 0x0010_0000_0000_0000;

// ---------------------------------------------------------------------------
// Fast-path building blocks. Each fast path computes the round-to-nearest-
// even result on the host together with the sign of its exact error, then
// sets NX without a branch and, for the other modes, moves one ulp.

/// Turns the round-to-nearest-even result `r` (bits) into the result for
/// `rm`, given where the exact value lies: `above` it (else below; never
/// equal) and whether it is a `tie` between `r` and the next float away
/// from zero.
///
/// Directed results are `r` or its neighbour, reached by ±1 on the bits.
/// The caller guarantees `MIN_NORMAL < |r| < MAX`, so the step can neither
/// overflow nor become subnormal (which would need OF/UF).
fn redirect(r: u64, neg: bool, above: bool, tie: bool, rm: Rm) -> u64 {
    // The exact value lies further from zero than r.
    let away = above != neg;
    let step = |away_from_zero: bool| if away_from_zero { r + 1 } else { r - 1 };
    match rm {
        Rm::Rne => r,
        Rm::Rtz if !away => r - 1,
        Rm::Rup if above => step(away),
        Rm::Rdn if !above => step(away),
        Rm::Rmm if tie && away => r + 1,
        _ => r,
    }
}

/// The NX bit if `inexact`, computed without a branch.
fn nx(inexact: bool) -> u8 {
    u8::from(inexact) * NX
}

/// TwoSum: `s = RN(x + y)` and the exact error `x + y - s` (no overflow).
fn two_sum(x: f64, y: f64) -> (f64, f64) {
    let s = x + y;
    let yy = s - x;
    (s, (x - (s - yy)) + (y - yy))
}

/// Veltkamp splitting: `x == hi + lo`, each with at most 26 significant bits.
/// Exact for normal `|x| < 2^996`.
fn split(x: f64) -> (f64, f64) {
    let c = 134_217_729.0 * x; // 2^27 + 1
    let hi = c - (c - x);
    (hi, x - hi)
}

/// Dekker's product: `p = RN(x × y)` and the exact error `x × y - p`,
/// provided x and y are normal, below 2^996, `x × y` does not overflow, and
/// their exponents sum to at least -970 (so nothing underflows). No host
/// FMA: it is a slow library call on wasm32 and baseline x86-64.
fn two_prod(x: f64, y: f64) -> (f64, f64) {
    let p = x * y;
    let (xh, xl) = split(x);
    let (yh, yl) = split(y);
    (p, ((xh * yh - p) + xh * yl + xl * yh) + xl * yl)
}

/// Half an ulp of the binary64 `r` (bits), for `2^-1021 <= |r|` (callers
/// only ask about inexact results, which are that large).
fn f64_half_ulp(r: u64) -> u64 {
    let field = f64_field(r);
    if field > 53 {
        (field - 53) << 52
    } else {
        1 << field.saturating_sub(2)
    }
}

/// Biased binary64 exponent field.
fn f64_field(a: u64) -> u64 {
    (a >> 52) & 0x7ff
}

/// `true` iff `lo <= x <= hi`, in one comparison.
fn within(x: u64, lo: u64, hi: u64) -> bool {
    x.wrapping_sub(lo) <= hi - lo
}

/// Rounds the binary64 `s + e` (`s = RN(s + e)`, `e != 0`) to odd:
/// truncate, then set the lsb. Rounding that to a precision at least two
/// bits lower, in any mode, equals rounding `s + e` itself.
fn round_to_odd(s: f64, e: f64) -> f64 {
    let bits = s.to_bits();
    let toward_zero = (e < 0.0) != (s < 0.0);
    f64::from_bits(if toward_zero { bits - 1 } else { bits } | 1)
}

/// Rounds the binary64 `x` — exact, or rounded to odd — to binary32.
fn narrow(x: f64, rm: Rm, fl: &mut u8) -> u32 {
    let r = x as f32;
    let rd = f64::from(r);
    let bits = r.to_bits();
    let mag = bits & !F32_SIGN;
    let inexact = rd != x;
    // Inexact results must be normal and not MAX, so a step stays normal
    // and finite; a NaN x lands in the slow path too.
    if !inexact | (mag.wrapping_sub(F32_MIN_NORMAL + 1) < F32_MAX - F32_MIN_NORMAL - 1) {
        *fl |= nx(inexact);
        if rm == Rm::Rne || !inexact {
            return bits;
        }
        let tie = rm == Rm::Rmm && {
            // Half an ulp of r, as a binary64 bit pattern.
            let half = (u64::from(mag >> 23) + (1023 - 127 - 24)) << 52;
            (x - rd).abs().to_bits() == half
        };
        return redirect(bits.into(), bits & F32_SIGN != 0, x > rd, tie, rm) as u32;
    }
    soft::convert::<F64, F32>(x.to_bits(), rm, fl) as u32
}

/// Converts the binary64 `x` to an integer in `[min, max]` on the host, or
/// returns `None` (NaN, infinite, or `|x| >= 2^63`). The host's
/// round-to-integral operations are exact (native instructions on wasm32),
/// and the rounded value converts to i64 exactly.
fn host_to_int(x: f64, rm: Rm, fl: &mut u8, min: i64, max: i64) -> Option<i64> {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if x.is_nan() || x.abs() >= TWO_63 {
        return None;
    }
    let r = match rm {
        Rm::Rne => x.round_ties_even(),
        Rm::Rtz => x.trunc(),
        Rm::Rdn => x.floor(),
        Rm::Rup => x.ceil(),
        Rm::Rmm => x.round(),
    };
    // |x| >= 2^52 is already integral, so |r| < 2^63 as well.
    let v = r as i64;
    if v < min || v > max {
        *fl |= NV;
        return Some(if x < 0.0 { min } else { max });
    }
    *fl |= nx(r != x);
    Some(v)
}

/// Whether the integer magnitude `u` fits a `bits`-bit significand.
fn int_fits(u: u64, bits: u32) -> bool {
    u.leading_zeros() + u.trailing_zeros() >= 64 - bits
}

/// The signed zero an exact zero sum `a + b` gets under RDN: -0 unless both
/// addends are +0-signed. (Host arithmetic gets the other modes right.)
fn rdn_zero_sum(neg_a: bool, neg_b: bool) -> bool {
    neg_a || neg_b
}

// ---------------------------------------------------------------------------
// binary32: computed exactly in binary64 (or rounded to odd there, which
// 53 >= 24 + 2 bits makes harmless), then narrowed.

/// fadd.s
pub fn f32_add(a: u32, b: u32, rm: Rm, fl: &mut u8) -> u32 {
    let (x, y) = (f64::from(f32::from_bits(a)), f64::from(f32::from_bits(b)));
    let (s, e) = two_sum(x, y);
    // Finite iff both operands are: a binary32 sum cannot overflow binary64.
    if s.is_finite() {
        if rm == Rm::Rdn && s == 0.0 {
            return if rdn_zero_sum(a & F32_SIGN != 0, b & F32_SIGN != 0) {
                F32_SIGN
            } else {
                0
            };
        }
        return narrow(if e != 0.0 { round_to_odd(s, e) } else { s }, rm, fl);
    }
    soft::add::<F32>(a.into(), b.into(), rm, fl) as u32
}

/// fsub.s
pub fn f32_sub(a: u32, b: u32, rm: Rm, fl: &mut u8) -> u32 {
    f32_add(a, b ^ F32_SIGN, rm, fl)
}

/// fmul.s
pub fn f32_mul(a: u32, b: u32, rm: Rm, fl: &mut u8) -> u32 {
    // 24 x 24 bits: the binary64 product is exact.
    let p = f64::from(f32::from_bits(a)) * f64::from(f32::from_bits(b));
    if p.is_finite() {
        return narrow(p, rm, fl);
    }
    soft::mul::<F32>(a.into(), b.into(), rm, fl) as u32
}

/// fdiv.s
pub fn f32_div(a: u32, b: u32, rm: Rm, fl: &mut u8) -> u32 {
    let (x, y) = (f64::from(f32::from_bits(a)), f64::from(f32::from_bits(b)));
    // Rounding the binary64 quotient again to binary32 is still correct
    // rounding (53 >= 2 × 24 + 2), and r × y is exact in binary64, so it
    // tells whether, and in which direction, r differs from x / y.
    let r = (x / y) as f32;
    let bits = r.to_bits();
    let t = f64::from(r) * y;
    let inexact = t != x;
    // Exact covers 0 / y and inf / y as well; every other special fails
    // both tests. Inexact results must be normal and not MAX.
    let mag = bits & !F32_SIGN;
    if !inexact | (mag.wrapping_sub(F32_MIN_NORMAL + 1) < F32_MAX - F32_MIN_NORMAL - 1) {
        *fl |= nx(inexact);
        if rm == Rm::Rne || !inexact {
            return bits;
        }
        // A quotient is never a midpoint, so RMM needs no tie check.
        let above = (x > t) != (y < 0.0);
        return redirect(bits.into(), bits & F32_SIGN != 0, above, false, rm) as u32;
    }
    soft::div::<F32>(a.into(), b.into(), rm, fl) as u32
}

/// fsqrt.s
pub fn f32_sqrt(a: u32, rm: Rm, fl: &mut u8) -> u32 {
    let x = f64::from(f32::from_bits(a));
    // As in f32_div: double rounding is innocuous, r × r is exact.
    let r = x.sqrt() as f32;
    let bits = r.to_bits();
    let t = f64::from(r) * f64::from(r);
    let inexact = t != x;
    // Exact covers ±0 and +inf; the root of a positive binary32 is normal.
    if !inexact | (bits.wrapping_sub(F32_MIN_NORMAL + 1) < F32_MAX - F32_MIN_NORMAL - 1) {
        *fl |= nx(inexact);
        if rm == Rm::Rne || !inexact {
            return bits;
        }
        // A root is never a midpoint, so RMM needs no tie check.
        return redirect(bits.into(), false, x > t, false, rm) as u32;
    }
    soft::sqrt::<F32>(a.into(), rm, fl) as u32
}

/// fmadd.s: `a × b + c` with a single rounding.
pub fn f32_fma(a: u32, b: u32, c: u32, rm: Rm, fl: &mut u8) -> u32 {
    let (x, y, z) = (
        f64::from(f32::from_bits(a)),
        f64::from(f32::from_bits(b)),
        f64::from(f32::from_bits(c)),
    );
    let p = x * y; // exact
    let (s, e) = two_sum(p, z);
    if s.is_finite() {
        if rm == Rm::Rdn && s == 0.0 {
            let neg = rdn_zero_sum(p.is_sign_negative(), z.is_sign_negative());
            return if neg { F32_SIGN } else { 0 };
        }
        return narrow(if e != 0.0 { round_to_odd(s, e) } else { s }, rm, fl);
    }
    soft::fma::<F32>(a.into(), b.into(), c.into(), rm, fl) as u32
}

/// fmin.s (IEEE 754-2019 minimumNumber).
pub fn f32_min(a: u32, b: u32, fl: &mut u8) -> u32 {
    soft::min_max::<F32>(a.into(), b.into(), false, fl) as u32
}

/// fmax.s (IEEE 754-2019 maximumNumber).
pub fn f32_max(a: u32, b: u32, fl: &mut u8) -> u32 {
    soft::min_max::<F32>(a.into(), b.into(), true, fl) as u32
}

/// feq.s: quiet, NV only for a signaling NaN.
pub fn f32_eq(a: u32, b: u32, fl: &mut u8) -> bool {
    let (x, y) = (f32::from_bits(a), f32::from_bits(b));
    if x.is_nan() || y.is_nan() {
        if soft::is_snan::<F32>(a.into()) || soft::is_snan::<F32>(b.into()) {
            *fl |= NV;
        }
        return false;
    }
    x == y
}

/// flt.s: signaling, NV for any NaN.
pub fn f32_lt(a: u32, b: u32, fl: &mut u8) -> bool {
    let (x, y) = (f32::from_bits(a), f32::from_bits(b));
    if x.is_nan() || y.is_nan() {
        *fl |= NV;
    }
    x < y
}

/// fle.s: signaling, NV for any NaN.
pub fn f32_le(a: u32, b: u32, fl: &mut u8) -> bool {
    let (x, y) = (f32::from_bits(a), f32::from_bits(b));
    if x.is_nan() || y.is_nan() {
        *fl |= NV;
    }
    x <= y
}

/// fclass.s
pub fn f32_classify(a: u32) -> u64 {
    soft::classify::<F32>(a.into())
}

/// fcvt.w.s
pub fn f32_to_i32(a: u32, rm: Rm, fl: &mut u8) -> i32 {
    let (min, max) = (i32::MIN.into(), i32::MAX.into());
    match host_to_int(f32::from_bits(a).into(), rm, fl, min, max) {
        Some(v) => v as i32,
        None => soft::to_int::<F32>(a.into(), rm, fl, min.into(), max.into()) as i32,
    }
}

/// fcvt.wu.s
pub fn f32_to_u32(a: u32, rm: Rm, fl: &mut u8) -> u32 {
    let max = u32::MAX.into();
    match host_to_int(f32::from_bits(a).into(), rm, fl, 0, max) {
        Some(v) => v as u32,
        None => soft::to_int::<F32>(a.into(), rm, fl, 0, max.into()) as u32,
    }
}

/// fcvt.l.s
pub fn f32_to_i64(a: u32, rm: Rm, fl: &mut u8) -> i64 {
    match host_to_int(f32::from_bits(a).into(), rm, fl, i64::MIN, i64::MAX) {
        Some(v) => v,
        None => soft::to_int::<F32>(a.into(), rm, fl, i64::MIN.into(), i64::MAX.into()) as i64,
    }
}

/// fcvt.lu.s
pub fn f32_to_u64(a: u32, rm: Rm, fl: &mut u8) -> u64 {
    match host_to_int(f32::from_bits(a).into(), rm, fl, 0, i64::MAX) {
        Some(v) => v as u64,
        None => soft::to_int::<F32>(a.into(), rm, fl, 0, u64::MAX.into()) as u64,
    }
}

/// fcvt.s.w
pub fn f32_from_i32(v: i32, rm: Rm, fl: &mut u8) -> u32 {
    f32_from_i64(v.into(), rm, fl)
}

/// fcvt.s.wu
pub fn f32_from_u32(v: u32, rm: Rm, fl: &mut u8) -> u32 {
    f32_from_u64(v.into(), rm, fl)
}

/// fcvt.s.l
pub fn f32_from_i64(v: i64, rm: Rm, fl: &mut u8) -> u32 {
    // Rust's int-to-float `as` rounds to nearest, ties to even.
    let exact = int_fits(v.unsigned_abs(), 24);
    if exact || rm == Rm::Rne {
        *fl |= nx(!exact);
        return (v as f32).to_bits();
    }
    soft::from_int::<F32>(v < 0, v.unsigned_abs(), rm, fl) as u32
}

/// fcvt.s.lu
pub fn f32_from_u64(v: u64, rm: Rm, fl: &mut u8) -> u32 {
    let exact = int_fits(v, 24);
    if exact || rm == Rm::Rne {
        *fl |= nx(!exact);
        return (v as f32).to_bits();
    }
    soft::from_int::<F32>(false, v, rm, fl) as u32
}

/// fcvt.d.s: exact; NaNs become the canonical NaN (NV if signaling).
pub fn f32_to_f64(a: u32, fl: &mut u8) -> u64 {
    let x = f32::from_bits(a);
    if x.is_nan() {
        if soft::is_snan::<F32>(a.into()) {
            *fl |= NV;
        }
        return F64_CANONICAL_NAN;
    }
    f64::from(x).to_bits()
}

// ---------------------------------------------------------------------------
// binary64: host result plus an exact error term, within exponent windows
// (checked on the bit patterns) where every step is provably exact.

/// fadd.d
pub fn f64_add(a: u64, b: u64, rm: Rm, fl: &mut u8) -> u64 {
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    // Below 2^1021 (false for NaN and inf) the sum stays below 2^1022, so
    // TwoSum cannot overflow and a one-ulp step stays finite. An inexact
    // sum is at least 2^-1021 (smaller sums of binary64 numbers are exact),
    // so steps never reach the subnormals either.
    const LIMIT: f64 = f64::from_bits((1023 + 1021) << 52);
    if x.abs() < LIMIT && y.abs() < LIMIT {
        let (s, e) = two_sum(x, y);
        let inexact = e != 0.0;
        *fl |= nx(inexact);
        if rm == Rm::Rne {
            return s.to_bits();
        }
        if !inexact {
            if rm == Rm::Rdn && s == 0.0 {
                return if rdn_zero_sum(a & F64_SIGN != 0, b & F64_SIGN != 0) {
                    F64_SIGN
                } else {
                    0
                };
            }
            return s.to_bits();
        }
        let bits = s.to_bits();
        let tie = rm == Rm::Rmm && e.abs().to_bits() == f64_half_ulp(bits);
        return redirect(bits, s < 0.0, e > 0.0, tie, rm);
    }
    soft::add::<F64>(a, b, rm, fl)
}

/// fsub.d
pub fn f64_sub(a: u64, b: u64, rm: Rm, fl: &mut u8) -> u64 {
    f64_add(a, b ^ F64_SIGN, rm, fl)
}

/// fmul.d
pub fn f64_mul(a: u64, b: u64, rm: Rm, fl: &mut u8) -> u64 {
    let (ea, eb) = (f64_field(a), f64_field(b));
    // Normal operands below 2^996 (for the split) whose exponents sum to
    // [-969, 1021]: the product is in [2^-969, 2^1023), and the error term
    // neither underflows nor overflows.
    if within(ea, 1, 1023 + 995)
        && within(eb, 1, 1023 + 995)
        && within(ea + eb, 2046 - 969, 2046 + 1021)
    {
        let (p, e) = two_prod(f64::from_bits(a), f64::from_bits(b));
        let inexact = e != 0.0;
        *fl |= nx(inexact);
        let bits = p.to_bits();
        if rm == Rm::Rne || !inexact {
            return bits;
        }
        let tie = rm == Rm::Rmm && e.abs().to_bits() == f64_half_ulp(bits);
        return redirect(bits, p < 0.0, e > 0.0, tie, rm);
    }
    soft::mul::<F64>(a, b, rm, fl)
}

/// fdiv.d
pub fn f64_div(a: u64, b: u64, rm: Rm, fl: &mut u8) -> u64 {
    let (ea, eb) = (f64_field(a), f64_field(b));
    // |a| in [2^-969, 2^1022), b normal below 2^996, exponent difference in
    // [-1000, 994]: q is normal, below 2^995, and the remainder a - q × b is
    // representable, so Dekker's product recovers it exactly.
    if within(ea, 1023 - 969, 1023 + 1021)
        && within(eb, 1, 1023 + 995)
        && (ea + 1000).wrapping_sub(eb) <= 1994
    {
        let (x, y) = (f64::from_bits(a), f64::from_bits(b));
        let q = x / y;
        let (p, e) = two_prod(q, y);
        // x - p is exact (Sterbenz), and so is the final subtraction
        // because the remainder is representable.
        let rem = (x - p) - e;
        let inexact = rem != 0.0;
        *fl |= nx(inexact);
        let bits = q.to_bits();
        if rm == Rm::Rne || !inexact {
            return bits;
        }
        // A quotient is never a midpoint, so RMM needs no tie check.
        let above = (rem > 0.0) == (y > 0.0);
        return redirect(bits, q < 0.0, above, false, rm);
    }
    soft::div::<F64>(a, b, rm, fl)
}

/// fsqrt.d
pub fn f64_sqrt(a: u64, rm: Rm, fl: &mut u8) -> u64 {
    // Positive, in [2^-969, 2^1022): the root is normal and a - r × r is
    // recovered exactly as in f64_div.
    if within(a >> 52, 1023 - 969, 1023 + 1021) {
        let x = f64::from_bits(a);
        let r = x.sqrt();
        let (p, e) = two_prod(r, r);
        let rem = (x - p) - e;
        let inexact = rem != 0.0;
        *fl |= nx(inexact);
        let bits = r.to_bits();
        if rm == Rm::Rne || !inexact {
            return bits;
        }
        // A root is never a midpoint, so RMM needs no tie check.
        return redirect(bits, false, rem > 0.0, false, rm);
    }
    soft::sqrt::<F64>(a, rm, fl)
}

/// fmadd.d: `a × b + c` with a single rounding.
pub fn f64_fma(a: u64, b: u64, c: u64, rm: Rm, fl: &mut u8) -> u64 {
    let (ea, eb, ec) = (f64_field(a), f64_field(b), f64_field(c));
    // Normal a, b below 2^996 (for the split); product exponents in
    // [-918, 1019] and c's in [-970, 1020]. Then every non-zero quantity
    // below is a multiple of 2^-1022 (the lsbs of a × b and of c are), so
    // nothing is subnormal and a non-zero result is normal and not tiny,
    // and everything stays below 2^1022.
    if within(ea, 1, 1023 + 995)
        && within(eb, 1, 1023 + 995)
        && within(ea + eb, 2046 - 918, 2046 + 1019)
        && within(ec, 1023 - 970, 1023 + 1020)
    {
        let (x, y, z) = (f64::from_bits(a), f64::from_bits(b), f64::from_bits(c));
        // a × b + c == th + tl + ul exactly.
        let (uh, ul) = two_prod(x, y);
        let (th, tl) = two_sum(z, uh);
        let (v, verr) = two_sum(tl, ul);
        if verr == 0.0 {
            // a × b + c == th + v exactly: an ordinary rounded sum.
            let (r, e) = two_sum(th, v);
            let bits = r.to_bits();
            // r == 0 needs the zero-sign rules; r == MIN_NORMAL cannot step.
            if bits & !F64_SIGN > F64_MIN_NORMAL {
                let inexact = e != 0.0;
                *fl |= nx(inexact);
                if rm == Rm::Rne || !inexact {
                    return bits;
                }
                let tie = rm == Rm::Rmm && e.abs().to_bits() == f64_half_ulp(bits);
                return redirect(bits, r < 0.0, e > 0.0, tie, rm);
            }
        } else if rm == Rm::Rne {
            // Boldo & Melquiond (IEEE TC 2008): RN(th + RO(tl + ul)) is
            // RN(a × b + c). It is inexact: verr != 0 means tl != 0, so
            // c + uh was inexact, |uh| <= 2|th| and |tl + ul| <= 1.5 ulp(th);
            // were th + tl + ul a float, Sterbenz would make tl + ul one.
            *fl |= NX;
            return (th + round_to_odd(v, verr)).to_bits();
        }
    }
    soft::fma::<F64>(a, b, c, rm, fl)
}

/// fmin.d (IEEE 754-2019 minimumNumber).
pub fn f64_min(a: u64, b: u64, fl: &mut u8) -> u64 {
    soft::min_max::<F64>(a, b, false, fl)
}

/// fmax.d (IEEE 754-2019 maximumNumber).
pub fn f64_max(a: u64, b: u64, fl: &mut u8) -> u64 {
    soft::min_max::<F64>(a, b, true, fl)
}

/// feq.d: quiet, NV only for a signaling NaN.
pub fn f64_eq(a: u64, b: u64, fl: &mut u8) -> bool {
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    if x.is_nan() || y.is_nan() {
        if soft::is_snan::<F64>(a) || soft::is_snan::<F64>(b) {
            *fl |= NV;
        }
        return false;
    }
    x == y
}

/// flt.d: signaling, NV for any NaN.
pub fn f64_lt(a: u64, b: u64, fl: &mut u8) -> bool {
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    if x.is_nan() || y.is_nan() {
        *fl |= NV;
    }
    x < y
}

/// fle.d: signaling, NV for any NaN.
pub fn f64_le(a: u64, b: u64, fl: &mut u8) -> bool {
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    if x.is_nan() || y.is_nan() {
        *fl |= NV;
    }
    x <= y
}

/// fclass.d
pub fn f64_classify(a: u64) -> u64 {
    soft::classify::<F64>(a)
}

/// fcvt.w.d
pub fn f64_to_i32(a: u64, rm: Rm, fl: &mut u8) -> i32 {
    let (min, max) = (i32::MIN.into(), i32::MAX.into());
    match host_to_int(f64::from_bits(a), rm, fl, min, max) {
        Some(v) => v as i32,
        None => soft::to_int::<F64>(a, rm, fl, min.into(), max.into()) as i32,
    }
}

/// fcvt.wu.d
pub fn f64_to_u32(a: u64, rm: Rm, fl: &mut u8) -> u32 {
    let max = u32::MAX.into();
    match host_to_int(f64::from_bits(a), rm, fl, 0, max) {
        Some(v) => v as u32,
        None => soft::to_int::<F64>(a, rm, fl, 0, max.into()) as u32,
    }
}

/// fcvt.l.d
pub fn f64_to_i64(a: u64, rm: Rm, fl: &mut u8) -> i64 {
    match host_to_int(f64::from_bits(a), rm, fl, i64::MIN, i64::MAX) {
        Some(v) => v,
        None => soft::to_int::<F64>(a, rm, fl, i64::MIN.into(), i64::MAX.into()) as i64,
    }
}

/// fcvt.lu.d
pub fn f64_to_u64(a: u64, rm: Rm, fl: &mut u8) -> u64 {
    match host_to_int(f64::from_bits(a), rm, fl, 0, i64::MAX) {
        Some(v) => v as u64,
        None => soft::to_int::<F64>(a, rm, fl, 0, u64::MAX.into()) as u64,
    }
}

/// fcvt.d.w (always exact).
pub fn f64_from_i32(v: i32, _rm: Rm, _fl: &mut u8) -> u64 {
    f64::from(v).to_bits()
}

/// fcvt.d.wu (always exact).
pub fn f64_from_u32(v: u32, _rm: Rm, _fl: &mut u8) -> u64 {
    f64::from(v).to_bits()
}

/// fcvt.d.l
pub fn f64_from_i64(v: i64, rm: Rm, fl: &mut u8) -> u64 {
    // Rust's int-to-float `as` rounds to nearest, ties to even.
    let exact = int_fits(v.unsigned_abs(), 53);
    if exact || rm == Rm::Rne {
        *fl |= nx(!exact);
        return (v as f64).to_bits();
    }
    soft::from_int::<F64>(v < 0, v.unsigned_abs(), rm, fl)
}

/// fcvt.d.lu
pub fn f64_from_u64(v: u64, rm: Rm, fl: &mut u8) -> u64 {
    let exact = int_fits(v, 53);
    if exact || rm == Rm::Rne {
        *fl |= nx(!exact);
        return (v as f64).to_bits();
    }
    soft::from_int::<F64>(false, v, rm, fl)
}

/// fcvt.s.d
pub fn f64_to_f32(a: u64, rm: Rm, fl: &mut u8) -> u32 {
    narrow(f64::from_bits(a), rm, fl)
}

// ---------------------------------------------------------------------------
// binary16 (Zfh, Zfhmin): the software implementation throughout.

/// fadd.h
pub fn f16_add(a: u16, b: u16, rm: Rm, fl: &mut u8) -> u16 {
    soft::add::<F16>(a.into(), b.into(), rm, fl) as u16
}

/// fsub.h
pub fn f16_sub(a: u16, b: u16, rm: Rm, fl: &mut u8) -> u16 {
    f16_add(a, b ^ 0x8000, rm, fl)
}

/// fmul.h
pub fn f16_mul(a: u16, b: u16, rm: Rm, fl: &mut u8) -> u16 {
    soft::mul::<F16>(a.into(), b.into(), rm, fl) as u16
}

/// fdiv.h
pub fn f16_div(a: u16, b: u16, rm: Rm, fl: &mut u8) -> u16 {
    soft::div::<F16>(a.into(), b.into(), rm, fl) as u16
}

/// fsqrt.h
pub fn f16_sqrt(a: u16, rm: Rm, fl: &mut u8) -> u16 {
    soft::sqrt::<F16>(a.into(), rm, fl) as u16
}

/// fmadd.h: `a × b + c` with a single rounding.
pub fn f16_fma(a: u16, b: u16, c: u16, rm: Rm, fl: &mut u8) -> u16 {
    soft::fma::<F16>(a.into(), b.into(), c.into(), rm, fl) as u16
}

/// fmin.h (IEEE 754-2019 minimumNumber).
pub fn f16_min(a: u16, b: u16, fl: &mut u8) -> u16 {
    soft::min_max::<F16>(a.into(), b.into(), false, fl) as u16
}

/// fmax.h (IEEE 754-2019 maximumNumber).
pub fn f16_max(a: u16, b: u16, fl: &mut u8) -> u16 {
    soft::min_max::<F16>(a.into(), b.into(), true, fl) as u16
}

/// feq.h: quiet, NV only for a signaling NaN.
pub fn f16_eq(a: u16, b: u16, fl: &mut u8) -> bool {
    soft::compare::<F16>(a.into(), b.into(), false, fl) == Some(Ordering::Equal)
}

/// flt.h: signaling, NV for any NaN.
pub fn f16_lt(a: u16, b: u16, fl: &mut u8) -> bool {
    soft::compare::<F16>(a.into(), b.into(), true, fl) == Some(Ordering::Less)
}

/// fle.h: signaling, NV for any NaN.
pub fn f16_le(a: u16, b: u16, fl: &mut u8) -> bool {
    matches!(
        soft::compare::<F16>(a.into(), b.into(), true, fl),
        Some(Ordering::Less | Ordering::Equal)
    )
}

/// fclass.h
pub fn f16_classify(a: u16) -> u64 {
    soft::classify::<F16>(a.into())
}

/// fcvt.w.h
pub fn f16_to_i32(a: u16, rm: Rm, fl: &mut u8) -> i32 {
    soft::to_int::<F16>(a.into(), rm, fl, i32::MIN.into(), i32::MAX.into()) as i32
}

/// fcvt.wu.h
pub fn f16_to_u32(a: u16, rm: Rm, fl: &mut u8) -> u32 {
    soft::to_int::<F16>(a.into(), rm, fl, 0, u32::MAX.into()) as u32
}

/// fcvt.l.h
pub fn f16_to_i64(a: u16, rm: Rm, fl: &mut u8) -> i64 {
    soft::to_int::<F16>(a.into(), rm, fl, i64::MIN.into(), i64::MAX.into()) as i64
}

/// fcvt.lu.h
pub fn f16_to_u64(a: u16, rm: Rm, fl: &mut u8) -> u64 {
    soft::to_int::<F16>(a.into(), rm, fl, 0, u64::MAX.into()) as u64
}

/// fcvt.h.w
pub fn f16_from_i32(v: i32, rm: Rm, fl: &mut u8) -> u16 {
    f16_from_i64(v.into(), rm, fl)
}

/// fcvt.h.wu
pub fn f16_from_u32(v: u32, rm: Rm, fl: &mut u8) -> u16 {
    f16_from_u64(v.into(), rm, fl)
}

/// fcvt.h.l
pub fn f16_from_i64(v: i64, rm: Rm, fl: &mut u8) -> u16 {
    soft::from_int::<F16>(v < 0, v.unsigned_abs(), rm, fl) as u16
}

/// fcvt.h.lu
pub fn f16_from_u64(v: u64, rm: Rm, fl: &mut u8) -> u16 {
    soft::from_int::<F16>(false, v, rm, fl) as u16
}

/// fcvt.s.h: exact; NaNs become the canonical NaN (NV if signaling).
pub fn f16_to_f32(a: u16, fl: &mut u8) -> u32 {
    soft::convert::<F16, F32>(a.into(), Rm::Rne, fl) as u32
}

/// fcvt.d.h: exact; NaNs become the canonical NaN (NV if signaling).
pub fn f16_to_f64(a: u16, fl: &mut u8) -> u64 {
    soft::convert::<F16, F64>(a.into(), Rm::Rne, fl)
}

/// fcvt.h.s
pub fn f32_to_f16(a: u32, rm: Rm, fl: &mut u8) -> u16 {
    soft::convert::<F32, F16>(a.into(), rm, fl) as u16
}

/// fcvt.h.d (one rounding, straight from binary64).
pub fn f64_to_f16(a: u64, rm: Rm, fl: &mut u8) -> u16 {
    soft::convert::<F64, F16>(a, rm, fl) as u16
}

// ---------------------------------------------------------------------------
// Zfa: minimum/maximum, round to integral, quiet comparisons, fcvtmod.

/// Defines one format's Zfa operations on the software implementation.
macro_rules! zfa_ops {
    ($bits:ty, $fmt:ty, $sfx:literal, $minm:ident, $maxm:ident, $round:ident, $ltq:ident, $leq:ident) => {
        #[doc = concat!("fminm.", $sfx, " (IEEE 754-2019 minimum: any NaN operand gives NaN).")]
        pub fn $minm(a: $bits, b: $bits, fl: &mut u8) -> $bits {
            soft::min_max_nan::<$fmt>(a.into(), b.into(), false, fl) as $bits
        }

        #[doc = concat!("fmaxm.", $sfx, " (IEEE 754-2019 maximum: any NaN operand gives NaN).")]
        pub fn $maxm(a: $bits, b: $bits, fl: &mut u8) -> $bits {
            soft::min_max_nan::<$fmt>(a.into(), b.into(), true, fl) as $bits
        }

        #[doc = concat!("fround.", $sfx, " and, with `exact` (NX when inexact), froundnx.", $sfx, ".")]
        pub fn $round(a: $bits, rm: Rm, exact: bool, fl: &mut u8) -> $bits {
            soft::round_int::<$fmt>(a.into(), rm, exact, fl) as $bits
        }

        #[doc = concat!("fltq.", $sfx, ": quiet, NV only for a signaling NaN.")]
        pub fn $ltq(a: $bits, b: $bits, fl: &mut u8) -> bool {
            soft::compare::<$fmt>(a.into(), b.into(), false, fl) == Some(Ordering::Less)
        }

        #[doc = concat!("fleq.", $sfx, ": quiet, NV only for a signaling NaN.")]
        pub fn $leq(a: $bits, b: $bits, fl: &mut u8) -> bool {
            matches!(
                soft::compare::<$fmt>(a.into(), b.into(), false, fl),
                Some(Ordering::Less | Ordering::Equal)
            )
        }
    };
}

zfa_ops!(u16, F16, "h", f16_minm, f16_maxm, f16_round, f16_ltq, f16_leq);
zfa_ops!(u32, F32, "s", f32_minm, f32_maxm, f32_round, f32_ltq, f32_leq);
zfa_ops!(u64, F64, "d", f64_minm, f64_maxm, f64_round, f64_ltq, f64_leq);

/// fcvtmod.w.d: truncates and wraps modulo 2^32 (see `soft::to_i32_mod`).
pub fn f64_to_i32_mod(a: u64, fl: &mut u8) -> i32 {
    soft::to_i32_mod::<F64>(a, fl)
}
