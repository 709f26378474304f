//! Software IEEE-754 binary16/binary32/binary64 arithmetic on raw bit
//! patterns: the slow path behind the host-float fast paths in `mod.rs`, the
//! reference the tests hold those fast paths to, and the whole of binary16.
//!
//! Every algorithm is written once, generic over [`Format`], and computes on
//! integer significands: the exact result (or one whose discarded low bits
//! are folded into a sticky bit 0, far below the rounding point) is handed
//! to [`round_pack`], the only place that rounds and raises OF/UF/NX.
//! Every format travels in a `u64` (binary16/binary32 in the low bits).

use super::{Rm, DZ, NV, NX, OF, UF};

/// The parameters of one binary interchange format.
pub(super) trait Format {
    /// Stored fraction bits (the significand has one more, implicit, bit).
    const MANT: u32;
    /// Exponent field width.
    const EXP_BITS: u32;

    const BIAS: i32 = (1 << (Self::EXP_BITS - 1)) - 1;
    /// Exponent of the smallest normal number.
    const EMIN: i32 = 1 - Self::BIAS;
    /// Exponent of the largest finite number.
    const EMAX: i32 = Self::BIAS;
    const SIGN: u64 = 1 << (Self::MANT + Self::EXP_BITS);
    const EXP_MASK: u64 = ((1 << Self::EXP_BITS) - 1) << Self::MANT;
    const FRAC_MASK: u64 = (1 << Self::MANT) - 1;
    const QUIET: u64 = 1 << (Self::MANT - 1);
    const INF: u64 = Self::EXP_MASK;
    /// Largest finite magnitude.
    const MAX: u64 = Self::EXP_MASK - 1;
    /// The RISC-V canonical NaN.
    const NAN: u64 = Self::EXP_MASK | Self::QUIET;
}

/// IEEE binary16 (Zfh).
pub(super) enum F16 {}
/// IEEE binary32.
pub(super) enum F32 {}
/// IEEE binary64.
pub(super) enum F64 {}

impl Format for F16 {
    const MANT: u32 = 10;
    const EXP_BITS: u32 = 5;
}

impl Format for F32 {
    const MANT: u32 = 23;
    const EXP_BITS: u32 = 8;
}

impl Format for F64 {
    const MANT: u32 = 52;
    const EXP_BITS: u32 = 11;
}

pub(super) fn is_nan<F: Format>(a: u64) -> bool {
    a & !F::SIGN > F::EXP_MASK
}

pub(super) fn is_snan<F: Format>(a: u64) -> bool {
    is_nan::<F>(a) && a & F::QUIET == 0
}

fn is_inf<F: Format>(a: u64) -> bool {
    a & !F::SIGN == F::EXP_MASK
}

fn is_zero<F: Format>(a: u64) -> bool {
    a & !F::SIGN == 0
}

fn is_neg<F: Format>(a: u64) -> bool {
    a & F::SIGN != 0
}

fn sign_bit<F: Format>(neg: bool) -> u64 {
    if neg {
        F::SIGN
    } else {
        0
    }
}

/// A finite non-zero value `(-1)^neg × sig × 2^exp`, `sig` normalized so
/// that its leading one is bit `MANT` (subnormal inputs included).
struct Num {
    neg: bool,
    exp: i32,
    sig: u64,
}

/// Precondition: `a` is finite and non-zero.
fn unpack<F: Format>(a: u64) -> Num {
    let field = ((a & F::EXP_MASK) >> F::MANT) as i32;
    let frac = a & F::FRAC_MASK;
    let mant = F::MANT as i32;
    if field == 0 {
        let shift = frac.leading_zeros() as i32 - (63 - mant);
        Num {
            neg: is_neg::<F>(a),
            exp: F::EMIN - mant - shift,
            sig: frac << shift,
        }
    } else {
        Num {
            neg: is_neg::<F>(a),
            exp: field - F::BIAS - mant,
            sig: frac | 1 << F::MANT,
        }
    }
}

/// The result for an operation with a NaN operand: NV if any is signaling.
fn nan_result<F: Format>(ops: &[u64], fl: &mut u8) -> u64 {
    if ops.iter().any(|&x| is_snan::<F>(x)) {
        *fl |= NV;
    }
    F::NAN
}

/// The exact sum of two zeros, or of two equal magnitudes of opposite sign:
/// IEEE gives -0 only when both addends are negative, or under RDN.
fn zero_sum<F: Format>(neg_a: bool, neg_b: bool, rm: Rm) -> u64 {
    if neg_a == neg_b {
        sign_bit::<F>(neg_a)
    } else {
        sign_bit::<F>(rm == Rm::Rdn)
    }
}

/// What was shifted out, relative to half a unit of the kept lsb.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rest {
    Zero,
    Below,
    Half,
    Above,
}

fn shift_right(sig: u128, shift: u32) -> (u128, Rest) {
    let (q, rest, half) = match shift {
        0 => return (sig, Rest::Zero),
        1..=127 => (sig >> shift, sig & ((1 << shift) - 1), 1u128 << (shift - 1)),
        128 => (0, sig, 1 << 127),
        _ => return (0, if sig == 0 { Rest::Zero } else { Rest::Below }),
    };
    let rest = if rest == 0 {
        Rest::Zero
    } else if rest < half {
        Rest::Below
    } else if rest == half {
        Rest::Half
    } else {
        Rest::Above
    };
    (q, rest)
}

/// Shifts right, ORing everything shifted out into bit 0 (round to odd), so
/// that rounding at least two bits higher still sees the right direction.
fn shift_right_jam(x: u128, shift: u32) -> u128 {
    match shift {
        0 => x,
        1..=127 => x >> shift | u128::from(x & ((1 << shift) - 1) != 0),
        _ => u128::from(x != 0),
    }
}

/// Whether a magnitude truncated to `q` with remainder `rest` rounds up.
fn round_up(rm: Rm, neg: bool, q: u128, rest: Rest) -> bool {
    match rm {
        Rm::Rne => rest == Rest::Above || (rest == Rest::Half && q & 1 != 0),
        Rm::Rmm => rest == Rest::Above || rest == Rest::Half,
        Rm::Rtz => false,
        Rm::Rdn => neg && rest != Rest::Zero,
        Rm::Rup => !neg && rest != Rest::Zero,
    }
}

fn shift_round(sig: u128, shift: u32, neg: bool, rm: Rm) -> (u128, bool) {
    let (q, rest) = shift_right(sig, shift);
    (
        q + u128::from(round_up(rm, neg, q, rest)),
        rest != Rest::Zero,
    )
}

/// The result of an overflow: infinity or the largest finite number,
/// whichever the rounding direction points to.
fn overflow<F: Format>(neg: bool, rm: Rm, fl: &mut u8) -> u64 {
    *fl |= OF | NX;
    let to_inf = match rm {
        Rm::Rne | Rm::Rmm => true,
        Rm::Rtz => false,
        Rm::Rdn => neg,
        Rm::Rup => !neg,
    };
    sign_bit::<F>(neg) | if to_inf { F::INF } else { F::MAX }
}

/// Rounds `(-1)^neg × sig × 2^exp` (`sig != 0`) to format `F`, raising
/// NX, OF, and UF (tininess detected after rounding, as RISC-V specifies).
///
/// `sig` may be the output of [`shift_right_jam`] as long as it keeps at
/// least `MANT + 3` significant bits, so the sticky bit 0 lies below both
/// the guard and the round bit.
pub(super) fn round_pack<F: Format>(neg: bool, exp: i32, sig: u128, rm: Rm, fl: &mut u8) -> u64 {
    let mant = F::MANT as i32;
    let len = 128 - sig.leading_zeros() as i32;
    // Exponent of the leading one with an unbounded exponent range.
    let lead = exp + len - 1;
    // Exponent of the result's lsb: subnormals have a fixed lsb.
    let lsb = (lead - mant).max(F::EMIN - mant);
    let (q, inexact) = if lsb > exp {
        shift_round(sig, (lsb - exp) as u32, neg, rm)
    } else {
        (sig << (exp - lsb), false)
    };
    if q >> F::MANT != 0 {
        // A carry out of the top makes q == 2^(MANT+1): one more binade.
        let top = lsb + mant + (q >> (F::MANT + 1)) as i32;
        if top > F::EMAX {
            return overflow::<F>(neg, rm, fl);
        }
    }
    if inexact {
        *fl |= NX;
        // Tiny after rounding: rounded to MANT+1 bits with an unbounded
        // exponent, the result would still be below 2^EMIN.
        let tiny = lead < F::EMIN - 1
            || (lead == F::EMIN - 1 && {
                let (qf, _) = shift_round(sig, (lsb - exp - 1) as u32, neg, rm);
                qf >> (F::MANT + 1) == 0
            });
        if tiny {
            *fl |= UF;
        }
    }
    // The implicit bit in q adds one to the exponent field (and a rounding
    // carry adds one more), so the field below is "biased exponent - 1".
    sign_bit::<F>(neg) + ((((lsb - (F::EMIN - mant)) as u64) << F::MANT) + q as u64)
}

pub(super) fn add<F: Format>(a: u64, b: u64, rm: Rm, fl: &mut u8) -> u64 {
    if is_nan::<F>(a) || is_nan::<F>(b) {
        return nan_result::<F>(&[a, b], fl);
    }
    if is_inf::<F>(a) {
        if is_inf::<F>(b) && is_neg::<F>(a) != is_neg::<F>(b) {
            *fl |= NV;
            return F::NAN;
        }
        return a;
    }
    if is_inf::<F>(b) {
        return b;
    }
    if is_zero::<F>(a) {
        if is_zero::<F>(b) {
            return zero_sum::<F>(is_neg::<F>(a), is_neg::<F>(b), rm);
        }
        return b;
    }
    if is_zero::<F>(b) {
        return a;
    }
    let (x, y) = (unpack::<F>(a), unpack::<F>(b));
    let (big, small) = if x.exp >= y.exp { (x, y) } else { (y, x) };
    // 64 spare bits keep the sum exact unless the operands are more than 64
    // bits apart; then the small one only matters as a sticky bit.
    let exp = big.exp - 64;
    let hi = u128::from(big.sig) << 64;
    let lo = shift_right_jam(u128::from(small.sig) << 64, (big.exp - small.exp) as u32);
    if big.neg == small.neg {
        return round_pack::<F>(big.neg, exp, hi + lo, rm, fl);
    }
    match hi.cmp(&lo) {
        std::cmp::Ordering::Greater => round_pack::<F>(big.neg, exp, hi - lo, rm, fl),
        std::cmp::Ordering::Less => round_pack::<F>(small.neg, exp, lo - hi, rm, fl),
        std::cmp::Ordering::Equal => zero_sum::<F>(big.neg, small.neg, rm),
    }
}

pub(super) fn mul<F: Format>(a: u64, b: u64, rm: Rm, fl: &mut u8) -> u64 {
    if is_nan::<F>(a) || is_nan::<F>(b) {
        return nan_result::<F>(&[a, b], fl);
    }
    let sign = (a ^ b) & F::SIGN;
    if is_inf::<F>(a) || is_inf::<F>(b) {
        if is_zero::<F>(a) || is_zero::<F>(b) {
            *fl |= NV;
            return F::NAN;
        }
        return sign | F::INF;
    }
    if is_zero::<F>(a) || is_zero::<F>(b) {
        return sign;
    }
    let (x, y) = (unpack::<F>(a), unpack::<F>(b));
    let prod = u128::from(x.sig) * u128::from(y.sig);
    round_pack::<F>(sign != 0, x.exp + y.exp, prod, rm, fl)
}

pub(super) fn div<F: Format>(a: u64, b: u64, rm: Rm, fl: &mut u8) -> u64 {
    if is_nan::<F>(a) || is_nan::<F>(b) {
        return nan_result::<F>(&[a, b], fl);
    }
    let sign = (a ^ b) & F::SIGN;
    if is_inf::<F>(a) {
        if is_inf::<F>(b) {
            *fl |= NV;
            return F::NAN;
        }
        return sign | F::INF;
    }
    if is_inf::<F>(b) {
        return sign;
    }
    if is_zero::<F>(b) {
        if is_zero::<F>(a) {
            *fl |= NV;
            return F::NAN;
        }
        *fl |= DZ;
        return sign | F::INF;
    }
    if is_zero::<F>(a) {
        return sign;
    }
    let (x, y) = (unpack::<F>(a), unpack::<F>(b));
    // Both significands lie in [2^MANT, 2^(MANT+1)), so the quotient has
    // 64 or 65 bits: plenty of guard bits, and the remainder is the sticky.
    let num = u128::from(x.sig) << 64;
    let den = u128::from(y.sig);
    let q = (num / den) | u128::from(num % den != 0);
    round_pack::<F>(sign != 0, x.exp - y.exp - 64, q, rm, fl)
}

pub(super) fn sqrt<F: Format>(a: u64, rm: Rm, fl: &mut u8) -> u64 {
    if is_nan::<F>(a) {
        return nan_result::<F>(&[a], fl);
    }
    if is_zero::<F>(a) {
        return a;
    }
    if is_neg::<F>(a) {
        *fl |= NV;
        return F::NAN;
    }
    if is_inf::<F>(a) {
        return a;
    }
    let x = unpack::<F>(a);
    // Widen to ~125 bits with an even exponent: the root then has 62-63
    // bits and an inexact root leaves a non-zero remainder (the sticky).
    let mut k = 124 - F::MANT as i32;
    if (x.exp - k) & 1 != 0 {
        k += 1;
    }
    let m = u128::from(x.sig) << k;
    let r = m.isqrt();
    let r = r | u128::from(r * r != m);
    round_pack::<F>(false, (x.exp - k) / 2, r, rm, fl)
}

/// `a × b + c` with a single rounding.
pub(super) fn fma<F: Format>(a: u64, b: u64, c: u64, rm: Rm, fl: &mut u8) -> u64 {
    let inf_zero = (is_inf::<F>(a) && is_zero::<F>(b)) || (is_zero::<F>(a) && is_inf::<F>(b));
    if inf_zero || is_nan::<F>(a) || is_nan::<F>(b) || is_nan::<F>(c) {
        // RISC-V raises NV for inf × 0 even when c is a quiet NaN.
        if inf_zero {
            *fl |= NV;
        }
        return nan_result::<F>(&[a, b, c], fl);
    }
    let pneg = is_neg::<F>(a) != is_neg::<F>(b);
    let cneg = is_neg::<F>(c);
    if is_inf::<F>(a) || is_inf::<F>(b) {
        if is_inf::<F>(c) && cneg != pneg {
            *fl |= NV;
            return F::NAN;
        }
        return sign_bit::<F>(pneg) | F::INF;
    }
    if is_inf::<F>(c) {
        return c;
    }
    if is_zero::<F>(a) || is_zero::<F>(b) {
        if is_zero::<F>(c) {
            return zero_sum::<F>(pneg, cneg, rm);
        }
        return c;
    }
    let (x, y) = (unpack::<F>(a), unpack::<F>(b));
    let prod = u128::from(x.sig) * u128::from(y.sig);
    let pexp = x.exp + y.exp;
    if is_zero::<F>(c) {
        return round_pack::<F>(pneg, pexp, prod, rm, fl);
    }
    let z = unpack::<F>(c);
    // Put both leading ones at bit 125 (room for the carry of a sum); the
    // product's 106 bits and c's 53 then fit exactly, and whichever is
    // smaller loses bits only when the other dwarfs it.
    let pshift = prod.leading_zeros() as i32 - 2;
    let (pn, pe) = (prod << pshift, pexp - pshift);
    let cshift = 125 - F::MANT as i32;
    let (cn, ce) = (u128::from(z.sig) << cshift, z.exp - cshift);
    let (big, bneg, small, sneg, exp) = if pe >= ce {
        (pn, pneg, shift_right_jam(cn, (pe - ce) as u32), cneg, pe)
    } else {
        (cn, cneg, shift_right_jam(pn, (ce - pe) as u32), pneg, ce)
    };
    if bneg == sneg {
        return round_pack::<F>(bneg, exp, big + small, rm, fl);
    }
    match big.cmp(&small) {
        std::cmp::Ordering::Greater => round_pack::<F>(bneg, exp, big - small, rm, fl),
        std::cmp::Ordering::Less => round_pack::<F>(sneg, exp, small - big, rm, fl),
        std::cmp::Ordering::Equal => zero_sum::<F>(bneg, sneg, rm),
    }
}

/// Converts to an integer in `[min, max]`: rounds per `rm`; NaN gives `max`,
/// out-of-range values saturate; both raise NV and never NX.
pub(super) fn to_int<F: Format>(a: u64, rm: Rm, fl: &mut u8, min: i128, max: i128) -> i128 {
    if is_nan::<F>(a) {
        *fl |= NV;
        return max;
    }
    let neg = is_neg::<F>(a);
    let saturated = if neg { min } else { max };
    if is_inf::<F>(a) {
        *fl |= NV;
        return saturated;
    }
    if is_zero::<F>(a) {
        return 0;
    }
    let x = unpack::<F>(a);
    let (mag, inexact) = if x.exp >= 0 {
        if x.exp > 64 {
            *fl |= NV;
            return saturated;
        }
        (u128::from(x.sig) << x.exp, false)
    } else {
        shift_round(u128::from(x.sig), x.exp.unsigned_abs(), neg, rm)
    };
    // mag < 2^118, so the negation cannot overflow.
    let v = if neg { -(mag as i128) } else { mag as i128 };
    if v < min || v > max {
        *fl |= NV;
        return saturated;
    }
    if inexact {
        *fl |= NX;
    }
    v
}

/// Converts the integer `(-1)^neg × mag`; zero is +0.
pub(super) fn from_int<F: Format>(neg: bool, mag: u64, rm: Rm, fl: &mut u8) -> u64 {
    if mag == 0 {
        return 0;
    }
    round_pack::<F>(neg, 0, u128::from(mag), rm, fl)
}

/// Converts between formats; NaNs become the canonical NaN of `D`.
pub(super) fn convert<S: Format, D: Format>(a: u64, rm: Rm, fl: &mut u8) -> u64 {
    if is_nan::<S>(a) {
        if is_snan::<S>(a) {
            *fl |= NV;
        }
        return D::NAN;
    }
    let neg = is_neg::<S>(a);
    if is_inf::<S>(a) {
        return sign_bit::<D>(neg) | D::INF;
    }
    if is_zero::<S>(a) {
        return sign_bit::<D>(neg);
    }
    let x = unpack::<S>(a);
    round_pack::<D>(neg, x.exp, u128::from(x.sig), rm, fl)
}

/// Orders non-NaN values as the reals, with -0 below +0.
fn total_key<F: Format>(a: u64) -> i64 {
    let mag = (a & !F::SIGN) as i64;
    if is_neg::<F>(a) {
        -mag - 1
    } else {
        mag
    }
}

/// IEEE 754-2019 minimumNumber (`max == false`) / maximumNumber.
pub(super) fn min_max<F: Format>(a: u64, b: u64, max: bool, fl: &mut u8) -> u64 {
    if is_snan::<F>(a) || is_snan::<F>(b) {
        *fl |= NV;
    }
    match (is_nan::<F>(a), is_nan::<F>(b)) {
        (true, true) => F::NAN,
        (true, false) => b,
        (false, true) => a,
        (false, false) => {
            if (total_key::<F>(a) < total_key::<F>(b)) != max {
                a
            } else {
                b
            }
        }
    }
}

/// The fclass mask.
pub(super) fn classify<F: Format>(a: u64) -> u64 {
    let neg = is_neg::<F>(a);
    let field = a & F::EXP_MASK;
    let bit = if is_nan::<F>(a) {
        if is_snan::<F>(a) {
            8
        } else {
            9
        }
    } else if field == F::EXP_MASK {
        if neg {
            0
        } else {
            7
        }
    } else if field != 0 {
        if neg {
            1
        } else {
            6
        }
    } else if a & F::FRAC_MASK != 0 {
        if neg {
            2
        } else {
            5
        }
    } else if neg {
        3
    } else {
        4
    };
    1 << bit
}

/// IEEE 754-2019 minimum (`max == false`) / maximum (Zfa `fminm`/`fmaxm`):
/// like [`min_max`], except that any NaN operand gives the canonical NaN.
pub(super) fn min_max_nan<F: Format>(a: u64, b: u64, max: bool, fl: &mut u8) -> u64 {
    if is_nan::<F>(a) || is_nan::<F>(b) {
        return nan_result::<F>(&[a, b], fl);
    }
    min_max::<F>(a, b, max, fl)
}

/// Orders `a` against `b`; `None` when either is a NaN. A NaN raises NV if
/// it is signaling, or always when `signaling` (flt/fle as opposed to feq
/// and Zfa's fltq/fleq).
pub(super) fn compare<F: Format>(
    a: u64,
    b: u64,
    signaling: bool,
    fl: &mut u8,
) -> Option<std::cmp::Ordering> {
    if is_nan::<F>(a) || is_nan::<F>(b) {
        if signaling || is_snan::<F>(a) || is_snan::<F>(b) {
            *fl |= NV;
        }
        return None;
    }
    if is_zero::<F>(a) && is_zero::<F>(b) {
        return Some(std::cmp::Ordering::Equal);
    }
    Some(total_key::<F>(a).cmp(&total_key::<F>(b)))
}

/// Rounds to an integral value in the same format (Zfa `fround`, and
/// `froundnx` with `exact`, which raises NX when the value changes). Zeros,
/// infinities and integral values come back unchanged, a value rounding to
/// zero keeps its sign, and NaNs give the canonical NaN (NV if signaling).
pub(super) fn round_int<F: Format>(a: u64, rm: Rm, exact: bool, fl: &mut u8) -> u64 {
    if is_nan::<F>(a) {
        return nan_result::<F>(&[a], fl);
    }
    if is_inf::<F>(a) || is_zero::<F>(a) {
        return a;
    }
    let x = unpack::<F>(a);
    if x.exp >= 0 {
        return a;
    }
    let (q, inexact) = shift_round(u128::from(x.sig), x.exp.unsigned_abs(), x.neg, rm);
    if inexact && exact {
        *fl |= NX;
    }
    if q == 0 {
        return sign_bit::<F>(x.neg);
    }
    // q <= 2^MANT: representable, so packing it raises nothing.
    round_pack::<F>(x.neg, 0, q, rm, &mut 0)
}

/// Zfa `fcvtmod.w.d`: truncates, then keeps the low 32 bits of the unbounded
/// two's complement integer; NaNs and infinities give 0. Flags are those of
/// an RTZ fcvt.w: NV for NaN, infinity or a truncated value outside the
/// 32-bit range, else NX if inexact.
pub(super) fn to_i32_mod<F: Format>(a: u64, fl: &mut u8) -> i32 {
    if is_nan::<F>(a) || is_inf::<F>(a) {
        *fl |= NV;
        return 0;
    }
    if is_zero::<F>(a) {
        return 0;
    }
    let x = unpack::<F>(a);
    if x.exp >= 64 {
        // A multiple of 2^64: far out of range, low bits all zero.
        *fl |= NV;
        return 0;
    }
    let (mag, inexact) = if x.exp >= 0 {
        (u128::from(x.sig) << x.exp, false)
    } else {
        shift_round(u128::from(x.sig), x.exp.unsigned_abs(), x.neg, Rm::Rtz)
    };
    // mag < 2^(MANT + 1 + 63) <= 2^117: the negation cannot overflow.
    let v = if x.neg { -(mag as i128) } else { mag as i128 };
    if v < i32::MIN.into() || v > i32::MAX.into() {
        *fl |= NV;
    } else if inexact {
        *fl |= NX;
    }
    v as i32
}
