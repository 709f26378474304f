//! Tests for `fp`: hand-written edge cases with their expected results and
//! flags, a randomized comparison of every fast path with the pure software
//! implementation, and — when `riscv64-linux-gnu-gcc` and `qemu-riscv64`
//! are installed — a randomized comparison with qemu (`oracle.c`).
//!
//! Operations are numbered as in `oracle.c` (binary32 ops from 0, binary64
//! ops from `D`), and results are compared as RV64 leaves the destination
//! register: binary32 values and 32-bit integers sign-extended.

use super::soft::{self, F32, F64};
use super::*;

// Operation numbers (the OPS table in oracle.c): binary32 ops are these,
// binary64 ops are `D + these`; `CVT_FP` is fcvt.d.s / fcvt.s.d.
const ADD: u32 = 0;
const SUB: u32 = 1;
const MUL: u32 = 2;
const DIV: u32 = 3;
const SQRT: u32 = 4;
const MADD: u32 = 5;
const MSUB: u32 = 6;
const NMSUB: u32 = 7;
const NMADD: u32 = 8;
const MIN: u32 = 9;
const MAX: u32 = 10;
const EQ: u32 = 11;
const LT: u32 = 12;
const LE: u32 = 13;
const CLASS: u32 = 14;
const CVT_W: u32 = 15;
const CVT_WU: u32 = 16;
const CVT_L: u32 = 17;
const CVT_LU: u32 = 18;
const FROM_W: u32 = 19;
const FROM_WU: u32 = 20;
const FROM_L: u32 = 21;
const FROM_LU: u32 = 22;
const CVT_FP: u32 = 23;
const D: u32 = 24;
const NOPS: u32 = 2 * D;

const RMS: [Rm; 5] = [Rm::Rne, Rm::Rtz, Rm::Rdn, Rm::Rup, Rm::Rmm];

fn sext32(x: u32) -> u64 {
    x as i32 as i64 as u64
}

/// Which implementation `run` exercises.
#[derive(Clone, Copy, PartialEq)]
enum Imp {
    /// The public API (fast paths included).
    Api,
    /// `soft` only, where the API has a fast path; the API elsewhere.
    Soft,
}

/// Runs operation `op` and returns the destination register as RV64
/// hardware leaves it, and the flags raised.
fn run(op: u32, rm: Rm, a: u64, b: u64, c: u64, imp: Imp) -> (u64, u8) {
    let mut fl = 0;
    let f = &mut fl;
    let soft = imp == Imp::Soft;
    let (a32, b32, c32) = (a as u32, b as u32, c as u32);
    let (s32, s64) = (F32_SIGN as u64, F64_SIGN);
    let r = match op {
        ADD if soft => soft::add::<F32>(a32.into(), b32.into(), rm, f) as u32 as u64,
        SUB if soft => soft::add::<F32>(a32.into(), (b32 ^ F32_SIGN).into(), rm, f),
        MUL if soft => soft::mul::<F32>(a32.into(), b32.into(), rm, f),
        DIV if soft => soft::div::<F32>(a32.into(), b32.into(), rm, f),
        SQRT if soft => soft::sqrt::<F32>(a32.into(), rm, f),
        MADD if soft => soft::fma::<F32>(a32.into(), b32.into(), c32.into(), rm, f),
        MSUB if soft => soft::fma::<F32>(a32.into(), b32.into(), u64::from(c32) ^ s32, rm, f),
        NMSUB if soft => soft::fma::<F32>(u64::from(a32) ^ s32, b32.into(), c32.into(), rm, f),
        NMADD if soft => soft::fma::<F32>(
            u64::from(a32) ^ s32,
            b32.into(),
            u64::from(c32) ^ s32,
            rm,
            f,
        ),
        FROM_W if soft => {
            let v = a32 as i32;
            soft::from_int::<F32>(v < 0, v.unsigned_abs().into(), rm, f)
        }
        FROM_WU if soft => soft::from_int::<F32>(false, a32.into(), rm, f),
        FROM_L if soft => soft::from_int::<F32>((a as i64) < 0, (a as i64).unsigned_abs(), rm, f),
        FROM_LU if soft => soft::from_int::<F32>(false, a, rm, f),
        CVT_FP if soft => return (soft::convert::<F32, F64>(a32.into(), rm, &mut fl), fl),

        ADD => f32_add(a32, b32, rm, f).into(),
        SUB => f32_sub(a32, b32, rm, f).into(),
        MUL => f32_mul(a32, b32, rm, f).into(),
        DIV => f32_div(a32, b32, rm, f).into(),
        SQRT => f32_sqrt(a32, rm, f).into(),
        MADD => f32_fma(a32, b32, c32, rm, f).into(),
        MSUB => f32_fma(a32, b32, c32 ^ F32_SIGN, rm, f).into(),
        NMSUB => f32_fma(a32 ^ F32_SIGN, b32, c32, rm, f).into(),
        NMADD => f32_fma(a32 ^ F32_SIGN, b32, c32 ^ F32_SIGN, rm, f).into(),
        MIN => f32_min(a32, b32, f).into(),
        MAX => f32_max(a32, b32, f).into(),
        EQ => return (f32_eq(a32, b32, &mut fl).into(), fl),
        LT => return (f32_lt(a32, b32, &mut fl).into(), fl),
        LE => return (f32_le(a32, b32, &mut fl).into(), fl),
        CLASS => return (f32_classify(a32), 0),
        CVT_W => f32_to_i32(a32, rm, f) as u32 as u64,
        CVT_WU => f32_to_u32(a32, rm, f).into(),
        CVT_L => return (f32_to_i64(a32, rm, &mut fl) as u64, fl),
        CVT_LU => return (f32_to_u64(a32, rm, &mut fl), fl),
        FROM_W => f32_from_i32(a32 as i32, rm, f).into(),
        FROM_WU => f32_from_u32(a32, rm, f).into(),
        FROM_L => f32_from_i64(a as i64, rm, f).into(),
        FROM_LU => f32_from_u64(a, rm, f).into(),
        CVT_FP => return (f32_to_f64(a32, &mut fl), fl),

        _ => {
            let r = match op - D {
                ADD if soft => soft::add::<F64>(a, b, rm, f),
                SUB if soft => soft::add::<F64>(a, b ^ s64, rm, f),
                MUL if soft => soft::mul::<F64>(a, b, rm, f),
                DIV if soft => soft::div::<F64>(a, b, rm, f),
                SQRT if soft => soft::sqrt::<F64>(a, rm, f),
                FROM_W if soft => {
                    let v = a32 as i32;
                    soft::from_int::<F64>(v < 0, v.unsigned_abs().into(), rm, f)
                }
                FROM_WU if soft => soft::from_int::<F64>(false, a32.into(), rm, f),
                FROM_L if soft => {
                    soft::from_int::<F64>((a as i64) < 0, (a as i64).unsigned_abs(), rm, f)
                }
                FROM_LU if soft => soft::from_int::<F64>(false, a, rm, f),
                CVT_FP if soft => sext32(soft::convert::<F64, F32>(a, rm, f) as u32),

                ADD => f64_add(a, b, rm, f),
                SUB => f64_sub(a, b, rm, f),
                MUL => f64_mul(a, b, rm, f),
                DIV => f64_div(a, b, rm, f),
                SQRT => f64_sqrt(a, rm, f),
                MADD => f64_fma(a, b, c, rm, f),
                MSUB => f64_fma(a, b, c ^ s64, rm, f),
                NMSUB => f64_fma(a ^ s64, b, c, rm, f),
                NMADD => f64_fma(a ^ s64, b, c ^ s64, rm, f),
                MIN => f64_min(a, b, f),
                MAX => f64_max(a, b, f),
                EQ => f64_eq(a, b, f).into(),
                LT => f64_lt(a, b, f).into(),
                LE => f64_le(a, b, f).into(),
                CLASS => f64_classify(a),
                CVT_W => sext32(f64_to_i32(a, rm, f) as u32),
                CVT_WU => sext32(f64_to_u32(a, rm, f)),
                CVT_L => f64_to_i64(a, rm, f) as u64,
                CVT_LU => f64_to_u64(a, rm, f),
                FROM_W => f64_from_i32(a32 as i32, rm, f),
                FROM_WU => f64_from_u32(a32, rm, f),
                FROM_L => f64_from_i64(a as i64, rm, f),
                FROM_LU => f64_from_u64(a, rm, f),
                CVT_FP => sext32(f64_to_f32(a, rm, f)),
                _ => panic!("no operation {op}"),
            };
            return (r, fl);
        }
    };
    // Every binary32 arm above lands here: sign-extend as fmv.x.w and
    // fcvt.w[u] do.
    (sext32(r as u32), fl)
}

/// Whether the rounding mode can matter for `op`.
fn uses_rm(op: u32) -> bool {
    !matches!(op % D, MIN | MAX | EQ | LT | LE | CLASS) && op != CVT_FP
}

fn op_name(op: u32) -> String {
    const NAMES: [&str; 24] = [
        "fadd",
        "fsub",
        "fmul",
        "fdiv",
        "fsqrt",
        "fmadd",
        "fmsub",
        "fnmsub",
        "fnmadd",
        "fmin",
        "fmax",
        "feq",
        "flt",
        "fle",
        "fclass",
        "fcvt.w",
        "fcvt.wu",
        "fcvt.l",
        "fcvt.lu",
        "fcvt.from_w",
        "fcvt.from_wu",
        "fcvt.from_l",
        "fcvt.from_lu",
        "fcvt.to_other",
    ];
    format!(
        "{}.{}",
        NAMES[(op % D) as usize],
        if op < D { "s" } else { "d" }
    )
}

// ---------------------------------------------------------------------------
// Hand-written cases.

/// One expected result: `(op, rm, a, b, c, result register, flags)`.
type Case = (u32, Rm, u64, u64, u64, u64, u8);

use Rm::{Rdn, Rmm, Rne, Rtz, Rup};

// binary32 values
const S_ONE: u64 = 0x3f80_0000;
const S_TWO: u64 = 0x4000_0000;
const S_THREE: u64 = 0x4040_0000;
const S_MAX: u64 = 0x7f7f_ffff;
const S_NMAX: u64 = 0xffff_ffff_ff7f_ffff; // sign-extended -MAX
const S_INF: u64 = 0x7f80_0000;
const S_NINF: u64 = 0xffff_ffff_ff80_0000;
const S_NZERO: u64 = 0xffff_ffff_8000_0000;
const S_QNAN: u64 = 0x7fc0_0000;
const S_SNAN: u64 = 0x7f80_0001;
const S_MIN_NORMAL: u64 = 0x0080_0000;
const S_HALF: u64 = 0x3f00_0000;

// binary64 values
const D_ONE: u64 = 0x3ff0_0000_0000_0000;
const D_MAX: u64 = 0x7fef_ffff_ffff_ffff;
const D_INF: u64 = 0x7ff0_0000_0000_0000;
const D_NINF: u64 = 0xfff0_0000_0000_0000;
const D_NZERO: u64 = 0x8000_0000_0000_0000;
const D_QNAN: u64 = 0x7ff8_0000_0000_0000;
const D_SNAN: u64 = 0x7ff0_0000_0000_0001;
const D_HALF: u64 = 0x3fe0_0000_0000_0000;

const OFX: u8 = OF | NX;
const UFX: u8 = UF | NX;

#[rustfmt::skip]
const CASES: &[Case] = &[
    // --- binary32 add/sub
    (ADD, Rne, S_ONE, S_TWO, 0, S_THREE, 0),
    // 1 + 2^-24: a tie, even is 1.0, away is 1 + 2^-23.
    (ADD, Rne, S_ONE, 0x3380_0000, 0, S_ONE, NX),
    (ADD, Rmm, S_ONE, 0x3380_0000, 0, 0x3f80_0001, NX),
    (ADD, Rup, S_ONE, 0x3380_0000, 0, 0x3f80_0001, NX),
    (ADD, Rdn, S_ONE, 0x3380_0000, 0, S_ONE, NX),
    (ADD, Rtz, S_ONE, 0x3380_0000, 0, S_ONE, NX),
    // 1 + 3 × 2^-25: above the midpoint.
    (ADD, Rne, S_ONE, 0x33c0_0000, 0, 0x3f80_0001, NX),
    (ADD, Rtz, S_ONE, 0x33c0_0000, 0, S_ONE, NX),
    // (1 + 2^-23) + 2^-24: a tie whose even neighbour is away from zero.
    (ADD, Rne, 0x3f80_0001, 0x3380_0000, 0, 0x3f80_0002, NX),
    (ADD, Rmm, 0x3f80_0001, 0x3380_0000, 0, 0x3f80_0002, NX),
    // -1 - 2^-24 under directed modes.
    (ADD, Rdn, 0xbf80_0000, 0xb380_0000, 0, 0xffff_ffff_bf80_0001, NX),
    (ADD, Rup, 0xbf80_0000, 0xb380_0000, 0, 0xffff_ffff_bf80_0000, NX),
    (ADD, Rmm, 0xbf80_0000, 0xb380_0000, 0, 0xffff_ffff_bf80_0001, NX),
    // Exact cancellation: +0, but -0 under RDN.
    (SUB, Rne, S_ONE, S_ONE, 0, 0, 0),
    (SUB, Rtz, S_ONE, S_ONE, 0, 0, 0),
    (SUB, Rup, S_ONE, S_ONE, 0, 0, 0),
    (SUB, Rmm, S_ONE, S_ONE, 0, 0, 0),
    (SUB, Rdn, S_ONE, S_ONE, 0, S_NZERO, 0),
    (ADD, Rne, S_NZERO, S_NZERO, 0, S_NZERO, 0),
    (ADD, Rup, S_NZERO, S_NZERO, 0, S_NZERO, 0),
    (ADD, Rne, 0, S_NZERO, 0, 0, 0),
    (ADD, Rdn, 0, S_NZERO, 0, S_NZERO, 0),
    (ADD, Rdn, 0, 0, 0, 0, 0),
    (SUB, Rne, 0, 0, 0, 0, 0),
    (SUB, Rdn, 0, 0, 0, S_NZERO, 0),
    // x + 0 is x, exactly, even for subnormals.
    (ADD, Rdn, 0x0000_0001, S_NZERO, 0, 0x0000_0001, 0),
    // Overflow in every mode, both signs.
    (ADD, Rne, S_MAX, S_MAX, 0, S_INF, OFX),
    (ADD, Rtz, S_MAX, S_MAX, 0, S_MAX, OFX),
    (ADD, Rdn, S_MAX, S_MAX, 0, S_MAX, OFX),
    (ADD, Rup, S_MAX, S_MAX, 0, S_INF, OFX),
    (ADD, Rmm, S_MAX, S_MAX, 0, S_INF, OFX),
    (ADD, Rne, S_NMAX, S_NMAX, 0, S_NINF, OFX),
    (ADD, Rtz, S_NMAX, S_NMAX, 0, S_NMAX, OFX),
    (ADD, Rdn, S_NMAX, S_NMAX, 0, S_NINF, OFX),
    (ADD, Rup, S_NMAX, S_NMAX, 0, S_NMAX, OFX),
    (ADD, Rmm, S_NMAX, S_NMAX, 0, S_NINF, OFX),
    // MAX + half an ulp of MAX (2^103) is a tie: even is 2^128 → overflow.
    (ADD, Rne, S_MAX, 0x7300_0000, 0, S_INF, OFX),
    (ADD, Rmm, S_MAX, 0x7300_0000, 0, S_INF, OFX),
    // RTZ rounds it to MAX even with an unbounded exponent: no overflow.
    (ADD, Rtz, S_MAX, 0x7300_0000, 0, S_MAX, NX),
    // MAX + less than half an ulp: MAX, no overflow.
    (ADD, Rne, S_MAX, 0x7280_0000, 0, S_MAX, NX),
    (ADD, Rup, S_MAX, 0x7280_0000, 0, S_INF, OFX),
    // Infinities and NaNs.
    (SUB, Rne, S_INF, S_INF, 0, S_QNAN, NV),
    (ADD, Rne, S_INF, S_NINF, 0, S_QNAN, NV),
    (ADD, Rne, S_INF, S_INF, 0, S_INF, 0),
    (ADD, Rne, S_NINF, S_ONE, 0, S_NINF, 0),
    (ADD, Rne, S_SNAN, S_ONE, 0, S_QNAN, NV),
    (ADD, Rne, S_ONE, 0xffff_ffff_ffbf_ffff, 0, S_QNAN, NV), // negative sNaN
    (ADD, Rne, 0x7fc0_1234, S_ONE, 0, S_QNAN, 0), // payloads are dropped
    (ADD, Rne, 0xffff_ffff_ffc0_0000, S_INF, 0, S_QNAN, 0),
    // Subnormals: exact sums raise nothing.
    (ADD, Rne, 0x0000_0001, 0x0000_0001, 0, 0x0000_0002, 0),
    (SUB, Rne, S_MIN_NORMAL, 0x0000_0001, 0, 0x007f_ffff, 0),
    (ADD, Rne, 0x007f_ffff, 0x0000_0001, 0, S_MIN_NORMAL, 0),
    // Operands far apart: only the sticky bit of the small one matters.
    (ADD, Rup, S_ONE, 0x0000_0001, 0, 0x3f80_0001, NX),
    (SUB, Rtz, S_ONE, 0x0000_0001, 0, 0x3f7f_ffff, NX),
    (SUB, Rne, S_ONE, 0x0000_0001, 0, S_ONE, NX),

    // --- binary32 mul
    (MUL, Rne, S_TWO, S_THREE, 0, 0x40c0_0000, 0),
    (MUL, Rne, 0, S_NZERO, 0, S_NZERO, 0),
    (MUL, Rne, S_INF, 0, 0, S_QNAN, NV),
    (MUL, Rne, S_NZERO, S_NINF, 0, S_QNAN, NV),
    (MUL, Rne, S_INF, S_NZERO | 0x3f80_0000, 0, S_NINF, 0),
    // 2^-75 × 2^-75 = 2^-150: half the smallest subnormal.
    (MUL, Rne, 0x1a00_0000, 0x1a00_0000, 0, 0, UFX),
    (MUL, Rmm, 0x1a00_0000, 0x1a00_0000, 0, 0x0000_0001, UFX),
    (MUL, Rup, 0x1a00_0000, 0x1a00_0000, 0, 0x0000_0001, UFX),
    (MUL, Rdn, 0x1a00_0000, 0x1a00_0000, 0, 0, UFX),
    (MUL, Rtz, 0x1a00_0000, 0x1a00_0000, 0, 0, UFX),
    (MUL, Rne, 0x9a00_0000, 0x1a00_0000, 0, S_NZERO, UFX),
    (MUL, Rdn, 0x9a00_0000, 0x1a00_0000, 0, 0xffff_ffff_8000_0001, UFX),
    // Exact subnormal products raise nothing.
    (MUL, Rne, 0x0000_0002, S_HALF, 0, 0x0000_0001, 0),
    (MUL, Rne, 0x0000_0003, S_HALF, 0, 0x0000_0002, UFX), // 1.5 → 2 (tie to even)
    (MUL, Rtz, 0x0000_0003, S_HALF, 0, 0x0000_0001, UFX),
    // Tininess after rounding: (2^25 - 1) × 2^-151 = 2^-126 - 2^-151.
    // Rounded to 24 bits it is 2^-126 (a tie, even): not tiny, so no UF.
    (MUL, Rne, 0x3f91_8e00, 0x0070_9000, 0, S_MIN_NORMAL, NX),
    (MUL, Rup, 0x3f91_8e00, 0x0070_9000, 0, S_MIN_NORMAL, NX),
    (MUL, Rdn, 0x3f91_8e00, 0x0070_9000, 0, 0x007f_ffff, UFX),
    (MUL, Rtz, 0x3f91_8e00, 0x0070_9000, 0, 0x007f_ffff, UFX),
    // (2^26 - 3) × 2^-152 = 2^-126 - 3 × 2^-152: the result is 2^-126, but
    // with an unbounded exponent it would round to 2^-126 - 2^-150: tiny.
    (MUL, Rne, 0x3fc9_c400, 0x0051_3400, 0, S_MIN_NORMAL, UFX),
    (MUL, Rmm, 0x3fc9_c400, 0x0051_3400, 0, S_MIN_NORMAL, UFX),
    // Rounding up reaches 2^-126 even with an unbounded exponent: not tiny.
    (MUL, Rup, 0x3fc9_c400, 0x0051_3400, 0, S_MIN_NORMAL, NX),
    (MUL, Rdn, 0x3fc9_c400, 0x0051_3400, 0, 0x007f_ffff, UFX),
    // Overflow.
    (MUL, Rne, 0x5f80_0000, 0x5f80_0000, 0, S_INF, OFX), // 2^64 × 2^64
    (MUL, Rtz, 0x5f80_0000, 0x5f80_0000, 0, S_MAX, OFX),
    (MUL, Rup, 0x5f80_0000, 0xdf80_0000, 0, S_NMAX, OFX),
    (MUL, Rdn, 0x5f80_0000, 0xdf80_0000, 0, S_NINF, OFX),

    // --- binary32 div
    (DIV, Rne, S_ONE, S_THREE, 0, 0x3eaa_aaab, NX),
    (DIV, Rtz, S_ONE, S_THREE, 0, 0x3eaa_aaaa, NX),
    (DIV, Rdn, S_ONE, S_THREE, 0, 0x3eaa_aaaa, NX),
    (DIV, Rup, S_ONE, S_THREE, 0, 0x3eaa_aaab, NX),
    (DIV, Rmm, S_ONE, S_THREE, 0, 0x3eaa_aaab, NX),
    (DIV, Rdn, 0xbf80_0000, S_THREE, 0, 0xffff_ffff_beaa_aaab, NX),
    (DIV, Rup, 0xbf80_0000, S_THREE, 0, 0xffff_ffff_beaa_aaaa, NX),
    (DIV, Rne, S_ONE, 0, 0, S_INF, DZ),
    (DIV, Rne, 0xbf80_0000, 0, 0, S_NINF, DZ),
    (DIV, Rne, S_ONE, S_NZERO, 0, S_NINF, DZ),
    (DIV, Rne, 0, 0, 0, S_QNAN, NV),
    (DIV, Rne, S_INF, S_INF, 0, S_QNAN, NV),
    (DIV, Rne, S_INF, 0, 0, S_INF, 0),
    (DIV, Rne, S_ONE, S_NINF, 0, S_NZERO, 0),
    (DIV, Rne, S_SNAN, 0, 0, S_QNAN, NV),
    (DIV, Rne, S_MIN_NORMAL, S_TWO, 0, 0x0040_0000, 0),
    (DIV, Rne, 0x0000_0001, S_TWO, 0, 0, UFX),
    (DIV, Rup, 0x0000_0001, S_TWO, 0, 0x0000_0001, UFX),
    (DIV, Rne, S_MAX, S_HALF, 0, S_INF, OFX),
    (DIV, Rtz, S_MAX, S_HALF, 0, S_MAX, OFX),

    // --- binary32 sqrt
    (SQRT, Rne, S_TWO, 0, 0, 0x3fb5_04f3, NX),
    (SQRT, Rup, S_TWO, 0, 0, 0x3fb5_04f4, NX),
    (SQRT, Rtz, S_TWO, 0, 0, 0x3fb5_04f3, NX),
    (SQRT, Rne, 0x4080_0000, 0, 0, S_TWO, 0),
    (SQRT, Rne, S_NZERO, 0, 0, S_NZERO, 0),
    (SQRT, Rne, 0xbf80_0000, 0, 0, S_QNAN, NV),
    (SQRT, Rne, S_NINF, 0, 0, S_QNAN, NV),
    (SQRT, Rne, S_INF, 0, 0, S_INF, 0),
    (SQRT, Rne, 0xffff_ffff_8000_0001, 0, 0, S_QNAN, NV), // -min subnormal
    (SQRT, Rne, 0x0000_0001, 0, 0, 0x1a35_04f3, NX), // 2^-74.5
    (SQRT, Rne, S_SNAN, 0, 0, S_QNAN, NV),
    (SQRT, Rne, 0x7fc0_0001, 0, 0, S_QNAN, 0),

    // --- binary32 fma
    // (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly (unfused it would be 0).
    (MADD, Rne, 0x3f80_0001, 0x3f7f_fffe, 0xbf80_0000, 0xffff_ffff_a880_0000, 0),
    (MSUB, Rne, 0x3f80_0001, 0x3f7f_fffe, S_ONE, 0xffff_ffff_a880_0000, 0),
    (NMADD, Rne, 0x3f80_0001, 0x3f7f_fffe, 0xbf80_0000, 0x2880_0000, 0),
    (NMSUB, Rne, 0x3f80_0001, 0x3f7f_fffe, S_ONE, 0x2880_0000, 0),
    // Exact cancellation: +0, -0 under RDN.
    (MADD, Rne, S_ONE, S_ONE, 0xbf80_0000, 0, 0),
    (MADD, Rdn, S_ONE, S_ONE, 0xbf80_0000, S_NZERO, 0),
    (MADD, Rup, S_ONE, S_ONE, 0xbf80_0000, 0, 0),
    (NMADD, Rne, S_ONE, S_ONE, 0xbf80_0000, 0, 0),
    (NMADD, Rdn, S_ONE, S_ONE, 0xbf80_0000, S_NZERO, 0),
    // Zero product plus zero.
    (MADD, Rne, S_NZERO, S_ONE, 0, 0, 0),
    (MADD, Rdn, S_NZERO, S_ONE, 0, S_NZERO, 0),
    (MADD, Rne, S_NZERO, S_ONE, S_NZERO, S_NZERO, 0),
    (MADD, Rup, 0, S_ONE, S_NZERO, 0, 0),
    (MADD, Rne, 0, S_ONE, 0x0000_0001, 0x0000_0001, 0),
    // inf × 0 is invalid even when c is a quiet NaN.
    (MADD, Rne, S_INF, 0, S_QNAN, S_QNAN, NV),
    (MADD, Rne, 0, S_NINF, S_ONE, S_QNAN, NV),
    (MADD, Rne, S_ONE, S_ONE, S_SNAN, S_QNAN, NV),
    (MADD, Rne, S_QNAN, S_ONE, S_ONE, S_QNAN, 0),
    (MADD, Rne, S_INF, S_ONE, S_NINF, S_QNAN, NV),
    (MADD, Rne, S_INF, S_ONE, S_INF, S_INF, 0),
    (MADD, Rne, S_ONE, S_ONE, S_NINF, S_NINF, 0),
    (MADD, Rne, S_MAX, S_TWO, S_NMAX, S_MAX, 0),
    (MADD, Rne, S_MAX, S_TWO, S_NINF, S_NINF, 0),
    // A product below the subnormals still decides the direction.
    (MADD, Rup, 0x0000_0001, 0x0000_0001, S_ONE, 0x3f80_0001, NX),
    (MADD, Rdn, 0x8000_0001, 0x0000_0001, S_ONE, 0x3f7f_ffff, NX),
    (MADD, Rne, 0x0000_0001, 0x0000_0001, 0, 0, UFX),
    (MADD, Rup, 0x0000_0001, 0x0000_0001, S_NZERO, 0x0000_0001, UFX),

    // --- binary32 min/max
    (MIN, Rne, S_NZERO, 0, 0, S_NZERO, 0),
    (MIN, Rne, 0, S_NZERO, 0, S_NZERO, 0),
    (MAX, Rne, S_NZERO, 0, 0, 0, 0),
    (MAX, Rne, 0, S_NZERO, 0, 0, 0),
    (MIN, Rne, S_QNAN, S_ONE, 0, S_ONE, 0),
    (MAX, Rne, S_ONE, S_QNAN, 0, S_ONE, 0),
    (MIN, Rne, S_SNAN, S_ONE, 0, S_ONE, NV),
    (MAX, Rne, S_ONE, S_SNAN, 0, S_ONE, NV),
    (MIN, Rne, 0x7fc0_0005, 0xffff_ffff_ffc0_0000, 0, S_QNAN, 0),
    (MAX, Rne, S_SNAN, S_QNAN, 0, S_QNAN, NV),
    (MIN, Rne, S_ONE, S_TWO, 0, S_ONE, 0),
    (MAX, Rne, S_ONE, S_TWO, 0, S_TWO, 0),
    (MIN, Rne, S_NINF, S_NMAX, 0, S_NINF, 0),
    (MAX, Rne, 0xffff_ffff_bf80_0000, 0xffff_ffff_c000_0000, 0, 0xffff_ffff_bf80_0000, 0),

    // --- binary32 compare
    (EQ, Rne, S_QNAN, S_ONE, 0, 0, 0),
    (EQ, Rne, S_QNAN, S_QNAN, 0, 0, 0),
    (EQ, Rne, S_SNAN, S_ONE, 0, 0, NV),
    (EQ, Rne, S_NZERO, 0, 0, 1, 0),
    (EQ, Rne, S_ONE, S_ONE, 0, 1, 0),
    (LT, Rne, S_QNAN, S_ONE, 0, 0, NV),
    (LE, Rne, S_ONE, S_QNAN, 0, 0, NV),
    (LT, Rne, S_NZERO, 0, 0, 0, 0),
    (LE, Rne, S_NZERO, 0, 0, 1, 0),
    (LE, Rne, 0, S_NZERO, 0, 1, 0),
    (LT, Rne, S_NINF, S_NMAX, 0, 1, 0),
    (LT, Rne, S_ONE, S_ONE, 0, 0, 0),
    (LE, Rne, S_TWO, S_ONE, 0, 0, 0),

    // --- binary32 fclass
    (CLASS, Rne, S_NINF, 0, 0, 1 << 0, 0),
    (CLASS, Rne, 0xffff_ffff_bf80_0000, 0, 0, 1 << 1, 0),
    (CLASS, Rne, 0xffff_ffff_8000_0001, 0, 0, 1 << 2, 0),
    (CLASS, Rne, S_NZERO, 0, 0, 1 << 3, 0),
    (CLASS, Rne, 0, 0, 0, 1 << 4, 0),
    (CLASS, Rne, 0x007f_ffff, 0, 0, 1 << 5, 0),
    (CLASS, Rne, S_MIN_NORMAL, 0, 0, 1 << 6, 0),
    (CLASS, Rne, S_INF, 0, 0, 1 << 7, 0),
    (CLASS, Rne, S_SNAN, 0, 0, 1 << 8, 0),
    (CLASS, Rne, 0xffff_ffff_ffbf_ffff, 0, 0, 1 << 8, 0),
    (CLASS, Rne, S_QNAN, 0, 0, 1 << 9, 0),
    (CLASS, Rne, 0xffff_ffff_ffc0_0001, 0, 0, 1 << 9, 0),

    // --- binary32 → integer
    (CVT_W, Rne, 0x4f00_0000, 0, 0, 0x7fff_ffff, NV), // 2^31
    (CVT_W, Rne, 0xcf00_0000, 0, 0, 0xffff_ffff_8000_0000, 0), // -2^31
    (CVT_W, Rne, 0xcf00_0001, 0, 0, 0xffff_ffff_8000_0000, NV),
    (CVT_W, Rne, 0x4eff_ffff, 0, 0, 0x7fff_ff80, 0),
    (CVT_W, Rne, S_QNAN, 0, 0, 0x7fff_ffff, NV),
    (CVT_W, Rne, 0xffff_ffff_ffc0_0000, 0, 0, 0x7fff_ffff, NV), // -NaN: still MAX
    (CVT_W, Rne, S_NINF, 0, 0, 0xffff_ffff_8000_0000, NV),
    (CVT_W, Rne, S_INF, 0, 0, 0x7fff_ffff, NV),
    (CVT_W, Rne, S_NZERO, 0, 0, 0, 0),
    (CVT_W, Rne, S_HALF, 0, 0, 0, NX),
    (CVT_W, Rmm, S_HALF, 0, 0, 1, NX),
    (CVT_W, Rne, 0x3fc0_0000, 0, 0, 2, NX), // 1.5
    (CVT_W, Rne, 0x4020_0000, 0, 0, 2, NX), // 2.5
    (CVT_W, Rmm, 0x4020_0000, 0, 0, 3, NX),
    (CVT_W, Rup, 0x4020_0000, 0, 0, 3, NX),
    (CVT_W, Rdn, 0x4020_0000, 0, 0, 2, NX),
    (CVT_W, Rmm, 0xc020_0000, 0, 0, 0xffff_ffff_ffff_fffd, NX), // -2.5 → -3
    (CVT_W, Rne, 0xc020_0000, 0, 0, 0xffff_ffff_ffff_fffe, NX),
    (CVT_W, Rup, 0x0000_0001, 0, 0, 1, NX),
    (CVT_W, Rdn, 0x0000_0001, 0, 0, 0, NX),
    (CVT_W, Rdn, 0x8000_0001, 0, 0, 0xffff_ffff_ffff_ffff, NX),
    (CVT_WU, Rne, 0xbf80_0000, 0, 0, 0, NV), // -1.0
    (CVT_WU, Rtz, 0xbe99_999a, 0, 0, 0, NX), // -0.3
    (CVT_WU, Rne, 0xbf00_0000, 0, 0, 0, NX), // -0.5 → -0
    (CVT_WU, Rmm, 0xbf00_0000, 0, 0, 0, NV), // -0.5 → -1
    (CVT_WU, Rup, 0xbf00_0000, 0, 0, 0, NX),
    (CVT_WU, Rdn, 0xbf00_0000, 0, 0, 0, NV),
    (CVT_WU, Rtz, 0x8000_0001, 0, 0, 0, NX),
    (CVT_WU, Rdn, 0x8000_0001, 0, 0, 0, NV),
    (CVT_WU, Rne, S_NZERO, 0, 0, 0, 0),
    (CVT_WU, Rne, 0x4f80_0000, 0, 0, u64::MAX, NV), // 2^32
    (CVT_WU, Rne, 0x4f7f_ffff, 0, 0, 0xffff_ffff_ffff_ff00, 0),
    (CVT_WU, Rne, 0x4f00_0000, 0, 0, 0xffff_ffff_8000_0000, 0), // 2^31 fits
    (CVT_WU, Rne, S_QNAN, 0, 0, u64::MAX, NV),
    (CVT_WU, Rne, S_NINF, 0, 0, 0, NV),
    (CVT_L, Rne, 0x5f00_0000, 0, 0, i64::MAX as u64, NV), // 2^63
    (CVT_L, Rne, 0xdf00_0000, 0, 0, i64::MIN as u64, 0),
    (CVT_L, Rne, 0x5eff_ffff, 0, 0, 0x7fff_ff80_0000_0000, 0),
    (CVT_L, Rne, S_SNAN, 0, 0, i64::MAX as u64, NV),
    (CVT_LU, Rne, 0x5f80_0000, 0, 0, u64::MAX, NV), // 2^64
    (CVT_LU, Rne, 0x5f7f_ffff, 0, 0, 0xffff_ff00_0000_0000, 0),
    (CVT_LU, Rne, S_NINF, 0, 0, 0, NV),
    (CVT_LU, Rne, S_QNAN, 0, 0, u64::MAX, NV),
    (CVT_LU, Rtz, 0xbf7f_ffff, 0, 0, 0, NX),

    // --- integer → binary32
    (FROM_W, Rne, 0x7fff_ffff, 0, 0, 0x4f00_0000, NX),
    (FROM_W, Rtz, 0x7fff_ffff, 0, 0, 0x4eff_ffff, NX),
    (FROM_W, Rne, 0xffff_ffff_8000_0000, 0, 0, 0xffff_ffff_cf00_0000, 0),
    (FROM_W, Rne, 0xffff_ffff_ffff_fffb, 0, 0, 0xffff_ffff_c0a0_0000, 0), // -5
    (FROM_W, Rne, 0, 0, 0, 0, 0),
    (FROM_WU, Rne, 0xffff_ffff, 0, 0, 0x4f80_0000, NX),
    (FROM_WU, Rdn, 0xffff_ffff, 0, 0, 0x4f7f_ffff, NX),
    (FROM_L, Rne, 0x0100_0001, 0, 0, 0x4b80_0000, NX), // 2^24 + 1: tie
    (FROM_L, Rmm, 0x0100_0001, 0, 0, 0x4b80_0001, NX),
    (FROM_L, Rup, 0x0100_0001, 0, 0, 0x4b80_0001, NX),
    (FROM_L, Rne, 0x0100_0003, 0, 0, 0x4b80_0002, NX), // tie, even is up
    (FROM_L, Rdn, 0xffff_ffff_feff_ffff, 0, 0, 0xffff_ffff_cb80_0001, NX),
    (FROM_L, Rne, i64::MIN as u64, 0, 0, 0xffff_ffff_df00_0000, 0),
    (FROM_LU, Rne, u64::MAX, 0, 0, 0x5f80_0000, NX),
    (FROM_LU, Rtz, u64::MAX, 0, 0, 0x5f7f_ffff, NX),
    (FROM_LU, Rne, 0, 0, 0, 0, 0),

    // --- binary32 → binary64
    (CVT_FP, Rne, S_ONE, 0, 0, D_ONE, 0),
    (CVT_FP, Rne, 0x0000_0001, 0, 0, 0x36a0_0000_0000_0000, 0), // 2^-149
    (CVT_FP, Rne, S_NZERO, 0, 0, D_NZERO, 0),
    (CVT_FP, Rne, S_NINF, 0, 0, D_NINF, 0),
    (CVT_FP, Rne, S_SNAN, 0, 0, D_QNAN, NV),
    (CVT_FP, Rne, 0xffff_ffff_ffc0_1234, 0, 0, D_QNAN, 0),

    // --- binary64 add/sub (mostly the fast path)
    (D + ADD, Rne, 0x3fb9_9999_9999_999a, 0x3fc9_9999_9999_999a, 0, 0x3fd3_3333_3333_3334, NX),
    (D + ADD, Rtz, 0x3fb9_9999_9999_999a, 0x3fc9_9999_9999_999a, 0, 0x3fd3_3333_3333_3333, NX),
    (D + ADD, Rdn, 0x3fb9_9999_9999_999a, 0x3fc9_9999_9999_999a, 0, 0x3fd3_3333_3333_3333, NX),
    (D + ADD, Rup, 0x3fb9_9999_9999_999a, 0x3fc9_9999_9999_999a, 0, 0x3fd3_3333_3333_3334, NX),
    (D + ADD, Rne, D_ONE, 0x3ca0_0000_0000_0000, 0, D_ONE, NX), // 1 + 2^-53: tie
    (D + ADD, Rmm, D_ONE, 0x3ca0_0000_0000_0000, 0, 0x3ff0_0000_0000_0001, NX),
    (D + ADD, Rup, D_ONE, 0x3ca0_0000_0000_0000, 0, 0x3ff0_0000_0000_0001, NX),
    (D + ADD, Rmm, D_ONE, 0x3c90_0000_0000_0000, 0, D_ONE, NX), // below the tie
    (D + ADD, Rmm, 0xbff0_0000_0000_0000, 0xbca0_0000_0000_0000, 0, 0xbff0_0000_0000_0001, NX),
    (D + ADD, Rdn, 0xbff0_0000_0000_0000, 0xbca0_0000_0000_0000, 0, 0xbff0_0000_0000_0001, NX),
    (D + ADD, Rup, 0xbff0_0000_0000_0000, 0xbca0_0000_0000_0000, 0, 0xbff0_0000_0000_0000, NX),
    (D + SUB, Rne, D_ONE, D_ONE, 0, 0, 0),
    (D + SUB, Rdn, D_ONE, D_ONE, 0, D_NZERO, 0),
    (D + SUB, Rdn, 0, 0, 0, D_NZERO, 0),
    (D + ADD, Rdn, D_NZERO, D_NZERO, 0, D_NZERO, 0),
    (D + ADD, Rup, D_NZERO, D_NZERO, 0, D_NZERO, 0),
    (D + ADD, Rne, D_MAX, D_MAX, 0, D_INF, OFX),
    (D + ADD, Rtz, D_MAX, D_MAX, 0, D_MAX, OFX),
    (D + ADD, Rdn, D_MAX | D_NZERO, D_MAX | D_NZERO, 0, D_NINF, OFX),
    (D + ADD, Rup, D_MAX | D_NZERO, D_MAX | D_NZERO, 0, D_MAX | D_NZERO, OFX),
    (D + ADD, Rne, 1, 1, 0, 2, 0),
    (D + SUB, Rne, 0x0010_0000_0000_0000, 1, 0, 0x000f_ffff_ffff_ffff, 0),
    (D + SUB, Rne, D_INF, D_INF, 0, D_QNAN, NV),
    (D + ADD, Rne, D_SNAN, D_ONE, 0, D_QNAN, NV),
    (D + ADD, Rne, 0x7ff8_0000_dead_beef, D_ONE, 0, D_QNAN, 0),
    (D + ADD, Rup, D_ONE, 1, 0, 0x3ff0_0000_0000_0001, NX),

    // --- binary64 mul
    (D + MUL, Rne, 0x3fb9_9999_9999_999a, 0x4008_0000_0000_0000, 0, 0x3fd3_3333_3333_3334, NX),
    (D + MUL, Rtz, 0x3fb9_9999_9999_999a, 0x4008_0000_0000_0000, 0, 0x3fd3_3333_3333_3333, NX),
    (D + MUL, Rne, 1, D_HALF, 0, 0, UFX),
    (D + MUL, Rup, 1, D_HALF, 0, 1, UFX),
    (D + MUL, Rmm, 1, D_HALF, 0, 1, UFX),
    (D + MUL, Rne, 3, D_HALF, 0, 2, UFX),
    (D + MUL, Rne, 2, D_HALF, 0, 1, 0),
    // 2^-1022 - 2^-1076 (a tie at 53 bits: not tiny) and
    // 2^-1022 - 3 × 2^-1077 (rounds below 2^-1022 at 53 bits: tiny).
    (D + MUL, Rne, 0x3ff7_fffa_0000_0000, 0x000a_aaad_5556_0000, 0, 0x0010_0000_0000_0000, NX),
    (D + MUL, Rdn, 0x3ff7_fffa_0000_0000, 0x000a_aaad_5556_0000, 0, 0x000f_ffff_ffff_ffff, UFX),
    (D + MUL, Rne, 0x3ff3_b0a5_5000_0000, 0x000d_0062_e120_0000, 0, 0x0010_0000_0000_0000, UFX),
    (D + MUL, Rtz, 0x3ff3_b0a5_5000_0000, 0x000d_0062_e120_0000, 0, 0x000f_ffff_ffff_ffff, UFX),
    (D + MUL, Rne, 0x5ff0_0000_0000_0000, 0x5ff0_0000_0000_0000, 0, D_INF, OFX),
    (D + MUL, Rdn, 0x5ff0_0000_0000_0000, 0x5ff0_0000_0000_0000, 0, D_MAX, OFX),
    (D + MUL, Rne, D_INF, 0, 0, D_QNAN, NV),
    (D + MUL, Rne, D_NZERO, D_ONE, 0, D_NZERO, 0),
    // (1 + 2^-52)^2 = 1 + 2^-51 + 2^-104: just above a representable value.
    (D + MUL, Rne, 0x3ff0_0000_0000_0001, 0x3ff0_0000_0000_0001, 0, 0x3ff0_0000_0000_0002, NX),
    (D + MUL, Rup, 0x3ff0_0000_0000_0001, 0x3ff0_0000_0000_0001, 0, 0x3ff0_0000_0000_0003, NX),
    (D + MUL, Rdn, 0xbff0_0000_0000_0001, 0x3ff0_0000_0000_0001, 0, 0xbff0_0000_0000_0003, NX),
    // (1 + 3 × 2^-52) × 1.5 = 1.5 + 4.5 × 2^-52: a tie, even is below.
    (D + MUL, Rne, 0x3ff0_0000_0000_0003, 0x3ff8_0000_0000_0000, 0, 0x3ff8_0000_0000_0004, NX),
    (D + MUL, Rmm, 0x3ff0_0000_0000_0003, 0x3ff8_0000_0000_0000, 0, 0x3ff8_0000_0000_0005, NX),
    (D + MUL, Rmm, 0xbff0_0000_0000_0003, 0x3ff8_0000_0000_0000, 0, 0xbff8_0000_0000_0005, NX),

    // --- binary64 div and sqrt
    (D + DIV, Rne, D_ONE, 0x4008_0000_0000_0000, 0, 0x3fd5_5555_5555_5555, NX),
    (D + DIV, Rup, D_ONE, 0x4008_0000_0000_0000, 0, 0x3fd5_5555_5555_5556, NX),
    (D + DIV, Rmm, D_ONE, 0x4008_0000_0000_0000, 0, 0x3fd5_5555_5555_5555, NX),
    (D + DIV, Rdn, 0xbff0_0000_0000_0000, 0x4008_0000_0000_0000, 0, 0xbfd5_5555_5555_5556, NX),
    (D + DIV, Rne, D_ONE, 0, 0, D_INF, DZ),
    (D + DIV, Rne, 0, 0, 0, D_QNAN, NV),
    (D + DIV, Rne, 0x4008_0000_0000_0000, 0x4008_0000_0000_0000, 0, D_ONE, 0),
    (D + DIV, Rne, 1, 0x4000_0000_0000_0000, 0, 0, UFX),
    (D + DIV, Rne, D_MAX, D_HALF, 0, D_INF, OFX),
    (D + SQRT, Rne, 0x4000_0000_0000_0000, 0, 0, 0x3ff6_a09e_667f_3bcd, NX),
    (D + SQRT, Rup, 0x4000_0000_0000_0000, 0, 0, 0x3ff6_a09e_667f_3bcd, NX), // RNE rounded up
    (D + SQRT, Rdn, 0x4000_0000_0000_0000, 0, 0, 0x3ff6_a09e_667f_3bcc, NX),
    (D + SQRT, Rne, 0x4010_0000_0000_0000, 0, 0, 0x4000_0000_0000_0000, 0),
    (D + SQRT, Rne, D_NZERO, 0, 0, D_NZERO, 0),
    (D + SQRT, Rne, 0xbff0_0000_0000_0000, 0, 0, D_QNAN, NV),
    (D + SQRT, Rne, 1, 0, 0, 0x1e60_0000_0000_0000, 0), // sqrt(2^-1074) = 2^-537
    (D + SQRT, Rne, D_MAX, 0, 0, 0x5fef_ffff_ffff_ffff, NX),

    // --- binary64 fma
    // 0.1 × 10 - 1 = 2^-54 exactly.
    (D + MADD, Rne, 0x3fb9_9999_9999_999a, 0x4024_0000_0000_0000, 0xbff0_0000_0000_0000, 0x3c90_0000_0000_0000, 0),
    (D + MADD, Rne, D_ONE, D_ONE, 0xbff0_0000_0000_0000, 0, 0),
    (D + MADD, Rdn, D_ONE, D_ONE, 0xbff0_0000_0000_0000, D_NZERO, 0),
    (D + MADD, Rne, D_INF, 0, D_QNAN, D_QNAN, NV),
    (D + MADD, Rne, D_ONE, D_ONE, D_SNAN, D_QNAN, NV),
    (D + MADD, Rne, D_MAX, 0x4000_0000_0000_0000, D_MAX | D_NZERO, D_MAX, 0),
    (D + MADD, Rup, 1, 1, D_ONE, 0x3ff0_0000_0000_0001, NX),
    (D + MADD, Rne, 1, 1, D_NZERO, 0, UFX), // the tiny product keeps its sign
    (D + MADD, Rne, D_NZERO | 1, 1, 0, D_NZERO, UFX),
    (D + MADD, Rup, 1, 1, D_NZERO, 1, UFX),
    // The same tie plus 2^-50: 1.5 + 8.5 × 2^-52.
    (D + MADD, Rne, 0x3ff0_0000_0000_0003, 0x3ff8_0000_0000_0000, 0x3cd0_0000_0000_0000, 0x3ff8_0000_0000_0008, NX),
    (D + MADD, Rmm, 0x3ff0_0000_0000_0003, 0x3ff8_0000_0000_0000, 0x3cd0_0000_0000_0000, 0x3ff8_0000_0000_0009, NX),
    (D + MADD, Rne, D_NZERO, D_ONE, 0, 0, 0),
    (D + MADD, Rdn, D_NZERO, D_ONE, 0, D_NZERO, 0),

    // --- binary64 min/max/compare/class
    (D + MIN, Rne, D_NZERO, 0, 0, D_NZERO, 0),
    (D + MAX, Rne, D_NZERO, 0, 0, 0, 0),
    (D + MIN, Rne, D_QNAN, D_ONE, 0, D_ONE, 0),
    (D + MIN, Rne, D_SNAN, D_ONE, 0, D_ONE, NV),
    (D + MAX, Rne, D_QNAN, 0xfff8_0000_0000_0001, 0, D_QNAN, 0),
    (D + EQ, Rne, D_SNAN, D_SNAN, 0, 0, NV),
    (D + EQ, Rne, D_QNAN, D_ONE, 0, 0, 0),
    (D + LT, Rne, D_QNAN, D_ONE, 0, 0, NV),
    (D + LE, Rne, D_NZERO, 0, 0, 1, 0),
    (D + LT, Rne, 1, 2, 0, 1, 0),
    (D + CLASS, Rne, 1, 0, 0, 1 << 5, 0),
    (D + CLASS, Rne, D_SNAN, 0, 0, 1 << 8, 0),
    (D + CLASS, Rne, D_NINF, 0, 0, 1 << 0, 0),

    // --- binary64 → integer
    // 2^31 - 0.5: a tie, even is 2^31, out of range.
    (D + CVT_W, Rne, 0x41df_ffff_ffe0_0000, 0, 0, 0x7fff_ffff, NV),
    (D + CVT_W, Rtz, 0x41df_ffff_ffe0_0000, 0, 0, 0x7fff_ffff, NX),
    (D + CVT_W, Rdn, 0x41df_ffff_ffe0_0000, 0, 0, 0x7fff_ffff, NX),
    (D + CVT_W, Rmm, 0x41df_ffff_ffe0_0000, 0, 0, 0x7fff_ffff, NV),
    // -2^31 - 0.5
    (D + CVT_W, Rne, 0xc1e0_0000_0010_0000, 0, 0, 0xffff_ffff_8000_0000, NX),
    (D + CVT_W, Rdn, 0xc1e0_0000_0010_0000, 0, 0, 0xffff_ffff_8000_0000, NV),
    (D + CVT_W, Rup, 0xc1e0_0000_0010_0000, 0, 0, 0xffff_ffff_8000_0000, NX),
    (D + CVT_W, Rne, 0xc1e0_0000_0000_0000, 0, 0, 0xffff_ffff_8000_0000, 0),
    (D + CVT_WU, Rne, 0x41ef_ffff_fff0_0000, 0, 0, u64::MAX, NV), // 2^32 - 0.5
    (D + CVT_WU, Rtz, 0x41ef_ffff_fff0_0000, 0, 0, u64::MAX, NX),
    (D + CVT_WU, Rne, 0x41ef_ffff_ffe0_0000, 0, 0, u64::MAX, 0), // 2^32 - 1
    (D + CVT_WU, Rne, 0xbfe0_0000_0000_0000, 0, 0, 0, NX), // -0.5
    (D + CVT_WU, Rne, 0xbff0_0000_0000_0000, 0, 0, 0, NV), // -1
    (D + CVT_L, Rne, 0x43e0_0000_0000_0000, 0, 0, i64::MAX as u64, NV), // 2^63
    (D + CVT_L, Rne, 0xc3e0_0000_0000_0000, 0, 0, i64::MIN as u64, 0),
    (D + CVT_L, Rne, 0xc3e0_0000_0000_0001, 0, 0, i64::MIN as u64, NV),
    (D + CVT_L, Rne, 0x43df_ffff_ffff_ffff, 0, 0, 0x7fff_ffff_ffff_fc00, 0),
    (D + CVT_L, Rne, D_NINF, 0, 0, i64::MIN as u64, NV),
    (D + CVT_L, Rne, D_QNAN, 0, 0, i64::MAX as u64, NV),
    (D + CVT_L, Rmm, 0xc004_0000_0000_0000, 0, 0, (-3i64) as u64, NX), // -2.5
    (D + CVT_LU, Rne, 0x43f0_0000_0000_0000, 0, 0, u64::MAX, NV), // 2^64
    (D + CVT_LU, Rne, 0x43ef_ffff_ffff_ffff, 0, 0, 0xffff_ffff_ffff_f800, 0),
    (D + CVT_LU, Rne, 0xbff0_0000_0000_0000, 0, 0, 0, NV),
    (D + CVT_LU, Rtz, 0xbfef_ffff_ffff_ffff, 0, 0, 0, NX),
    (D + CVT_LU, Rne, D_SNAN, 0, 0, u64::MAX, NV),

    // --- integer → binary64
    (D + FROM_W, Rne, 0xffff_ffff_ffff_ffff, 0, 0, 0xbff0_0000_0000_0000, 0),
    (D + FROM_W, Rne, 0xffff_ffff_8000_0000, 0, 0, 0xc1e0_0000_0000_0000, 0),
    (D + FROM_WU, Rne, 0xffff_ffff_ffff_ffff, 0, 0, 0x41ef_ffff_ffe0_0000, 0),
    (D + FROM_L, Rne, 0x0020_0000_0000_0001, 0, 0, 0x4340_0000_0000_0000, NX), // 2^53 + 1
    (D + FROM_L, Rmm, 0x0020_0000_0000_0001, 0, 0, 0x4340_0000_0000_0001, NX),
    (D + FROM_L, Rne, i64::MIN as u64, 0, 0, 0xc3e0_0000_0000_0000, 0),
    (D + FROM_L, Rne, i64::MAX as u64, 0, 0, 0x43e0_0000_0000_0000, NX),
    (D + FROM_L, Rtz, i64::MAX as u64, 0, 0, 0x43df_ffff_ffff_ffff, NX),
    (D + FROM_LU, Rne, u64::MAX, 0, 0, 0x43f0_0000_0000_0000, NX),
    (D + FROM_LU, Rtz, u64::MAX, 0, 0, 0x43ef_ffff_ffff_ffff, NX),
    (D + FROM_LU, Rne, 0, 0, 0, 0, 0),

    // --- binary64 → binary32
    (D + CVT_FP, Rne, 0x3fd5_5555_5555_5555, 0, 0, 0x3eaa_aaab, NX),
    // 1 + 2^-24 and 1 + 3 × 2^-24: ties.
    (D + CVT_FP, Rne, 0x3ff0_0000_1000_0000, 0, 0, S_ONE, NX),
    (D + CVT_FP, Rmm, 0x3ff0_0000_1000_0000, 0, 0, 0x3f80_0001, NX),
    (D + CVT_FP, Rne, 0x3ff0_0000_3000_0000, 0, 0, 0x3f80_0002, NX),
    (D + CVT_FP, Rmm, 0xbff0_0000_3000_0000, 0, 0, 0xffff_ffff_bf80_0002, NX),
    (D + CVT_FP, Rtz, 0xbff0_0000_3000_0000, 0, 0, 0xffff_ffff_bf80_0001, NX),
    (D + CVT_FP, Rtz, 0x3fd5_5555_5555_5555, 0, 0, 0x3eaa_aaaa, NX),
    (D + CVT_FP, Rne, D_MAX, 0, 0, S_INF, OFX),
    (D + CVT_FP, Rtz, D_MAX, 0, 0, S_MAX, OFX),
    (D + CVT_FP, Rdn, D_MAX | D_NZERO, 0, 0, S_NINF, OFX),
    (D + CVT_FP, Rne, 0x3690_0000_0000_0000, 0, 0, 0, UFX), // 2^-150
    (D + CVT_FP, Rup, 0x3690_0000_0000_0000, 0, 0, 0x0000_0001, UFX),
    (D + CVT_FP, Rne, 0x36a0_0000_0000_0000, 0, 0, 0x0000_0001, 0), // 2^-149
    (D + CVT_FP, Rne, 1, 0, 0, 0, UFX),
    (D + CVT_FP, Rdn, D_NZERO | 1, 0, 0, 0xffff_ffff_8000_0001, UFX),
    // 2^-126 - 2^-151: rounds to 2^-126 at 24 bits too, not tiny.
    (D + CVT_FP, Rne, 0x380f_ffff_f000_0000, 0, 0, S_MIN_NORMAL, NX),
    // 2^-126 - 3 × 2^-152: tiny after rounding although the result is normal.
    (D + CVT_FP, Rne, 0x380f_ffff_e800_0000, 0, 0, S_MIN_NORMAL, UFX),
    (D + CVT_FP, Rne, D_SNAN, 0, 0, S_QNAN, NV),
    (D + CVT_FP, Rne, 0xfff8_0000_0000_0000, 0, 0, S_QNAN, 0),
    (D + CVT_FP, Rne, D_NINF, 0, 0, S_NINF, 0),
    (D + CVT_FP, Rne, 0x47ef_ffff_e000_0000, 0, 0, S_MAX, 0),
    (D + CVT_FP, Rne, 0x47ef_ffff_f000_0000, 0, 0, S_INF, OFX), // MAX + half ulp
    (D + CVT_FP, Rtz, 0x47ef_ffff_f000_0000, 0, 0, S_MAX, NX), // no overflow: RTZ gives MAX
];

fn check_case(case: &Case, imp: Imp) -> Result<(), String> {
    let &(op, rm, a, b, c, want, want_fl) = case;
    let (got, got_fl) = run(op, rm, a, b, c, imp);
    if (got, got_fl) == (want, want_fl) {
        Ok(())
    } else {
        Err(format!(
            "{} {rm:?} {a:#x} {b:#x} {c:#x}: got {got:#x} flags {got_fl:#x}, want {want:#x} flags {want_fl:#x}",
            op_name(op)
        ))
    }
}

#[test]
fn hand_written_cases() {
    let errors: Vec<String> = CASES
        .iter()
        .flat_map(|case| [check_case(case, Imp::Api), check_case(case, Imp::Soft)])
        .filter_map(Result::err)
        .collect();
    assert!(
        errors.is_empty(),
        "{} failures:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

#[test]
fn rm_from_bits() {
    assert_eq!(Rm::from_bits(0), Some(Rm::Rne));
    assert_eq!(Rm::from_bits(1), Some(Rm::Rtz));
    assert_eq!(Rm::from_bits(2), Some(Rm::Rdn));
    assert_eq!(Rm::from_bits(3), Some(Rm::Rup));
    assert_eq!(Rm::from_bits(4), Some(Rm::Rmm));
    for b in 5..=255 {
        assert_eq!(Rm::from_bits(b), None);
    }
}

#[test]
fn flags_are_ored_never_cleared() {
    let mut fl = NV | DZ;
    assert_eq!(
        f32_add(0x3f80_0000, 0x3380_0000, Rm::Rne, &mut fl),
        0x3f80_0000
    );
    assert_eq!(fl, NV | DZ | NX);
    let mut fl = UF;
    assert_eq!(f64_mul(D_ONE, D_ONE, Rm::Rne, &mut fl), D_ONE);
    assert_eq!(fl, UF);
}

// ---------------------------------------------------------------------------
// Random inputs.

/// xorshift64*: deterministic, dependency-free (also used by `tests_zfh_zfa.rs`).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// Format parameters for the generators: (fraction bits, exponent bits).
fn params(double: bool) -> (u32, u32) {
    if double {
        (52, 11)
    } else {
        (23, 8)
    }
}

/// A float bit pattern biased towards the places where bugs live: specials,
/// range edges, integer-conversion boundaries, sparse and dense fractions.
fn gen_float(rng: &mut Rng, double: bool) -> u64 {
    let (mant, ebits) = params(double);
    let bias = (1u64 << (ebits - 1)) - 1;
    let top = (1u64 << ebits) - 1;
    let exp = match rng.below(10) {
        0..=2 => rng.below(top + 1),
        3 => rng.pick(&[0, 0, 1, 2, 3, top - 1, top - 1, top - 2, top]),
        4 => bias + rng.below(7) - 3,
        5 => {
            (bias + rng.pick(&[23, 24, 25, 31, 32, 52, 53, 54, 63, 64, 65])).min(top) - rng.below(2)
        }
        6 => bias - rng.below(4),
        _ => bias + rng.below(80) - 40,
    };
    let mask = (1u64 << mant) - 1;
    let frac = match rng.below(10) {
        0 => 0,
        1 => 1,
        2 => mask,
        3 => 1 << (mant - 1),
        4 => (1 << (mant - 1)) | 1,
        5 => rng.next() & rng.next() & mask,
        6 => (rng.next() | rng.next()) & mask,
        7 => (mask >> rng.below(u64::from(mant))) << rng.below(4) & mask,
        _ => rng.next() & mask,
    };
    (rng.below(2) << (mant + ebits)) | exp << mant | frac
}

/// A second operand related to `a` so that sums cancel, straddle ties, or
/// products and quotients land near the ends of the exponent range.
fn gen_partner(rng: &mut Rng, a: u64, double: bool) -> u64 {
    let (mant, ebits) = params(double);
    let sign = 1u64 << (mant + ebits);
    let bias = (1u64 << (ebits - 1)) - 1;
    let top = (1u64 << ebits) - 1;
    let exp_a = (a >> mant) & top;
    match rng.below(8) {
        0..=2 => gen_float(rng, double),
        // Near ±a: cancellation and exact-zero results.
        3 => {
            (a ^ rng.pick(&[0, sign]))
                .wrapping_add(rng.below(5))
                .wrapping_sub(2)
                & (sign | (sign - 1))
        }
        // Same exponent, other fraction.
        4 => (gen_float(rng, double) & !(top << mant)) | exp_a << mant,
        // Exponent a few steps away: ties and sticky bits.
        5 => {
            let e = (exp_a + rng.below(2 * u64::from(mant) + 8))
                .saturating_sub(u64::from(mant) + 4)
                .min(top);
            (gen_float(rng, double) & !(top << mant)) | e << mant
        }
        // Product or quotient near the top or bottom of the range.
        _ => {
            let target = rng.pick(&[1, 2, mant as u64 + 1, top - 1, top - 2]) + rng.below(3);
            let e = (target + 2 * bias)
                .saturating_sub(exp_a)
                .saturating_sub(bias)
                .min(top - 1);
            let e = if rng.below(2) == 0 {
                e
            } else {
                (exp_a + bias).saturating_sub(target).min(top - 1)
            };
            (gen_float(rng, double) & !(top << mant)) | e << mant
        }
    }
}

/// An addend for a×b+c that often (nearly) cancels the product.
fn gen_addend(rng: &mut Rng, a: u64, b: u64, double: bool) -> u64 {
    if rng.below(2) == 0 {
        let base = if rng.below(2) == 0 { a } else { b };
        return gen_partner(rng, base, double);
    }
    // The host-rounded product, negated and nudged by a few ulps.
    let (mant, ebits) = params(double);
    let sign = 1u64 << (mant + ebits);
    let p = if double {
        (f64::from_bits(a) * f64::from_bits(b)).to_bits()
    } else {
        u64::from((f32::from_bits(a as u32) * f32::from_bits(b as u32)).to_bits())
    };
    (p ^ rng.pick(&[0, sign]))
        .wrapping_add(rng.below(5))
        .wrapping_sub(2)
        & (sign | (sign - 1))
}

/// An integer source operand: small, near powers of two (ties when
/// narrowing to 24 or 53 bits), or anything.
fn gen_int(rng: &mut Rng) -> u64 {
    let v = match rng.below(6) {
        0 => rng.next(),
        1 => rng.below(1000),
        2 => {
            let k = rng.below(64);
            (1u64 << k).wrapping_add(rng.below(9)).wrapping_sub(4)
        }
        3 => {
            // Leading one at k, plus a pattern around bit k - 24 or k - 53.
            let k = 24 + rng.below(40);
            let cut = k - rng.pick(&[24, 25, 53, 54]).min(k);
            (1u64 << k)
                | (rng.below(4) << cut.saturating_sub(1))
                | (rng.below(2) * rng.below(1 << cut.min(20)))
        }
        4 => rng.next() >> rng.below(64),
        _ => rng.pick(&[
            0,
            1,
            u64::MAX,
            i64::MAX as u64,
            i64::MIN as u64,
            u32::MAX.into(),
            i32::MIN as u64,
            i32::MAX as u64,
        ]),
    };
    if rng.below(3) == 0 {
        v.wrapping_neg()
    } else {
        v
    }
}

/// Random operands for `op`.
fn gen_operands(rng: &mut Rng, op: u32) -> (u64, u64, u64) {
    let double = op >= D;
    match op % D {
        FROM_W | FROM_WU | FROM_L | FROM_LU => (gen_int(rng), 0, 0),
        _ => {
            let a = gen_float(rng, double);
            let b = gen_partner(rng, a, double);
            let c = gen_addend(rng, a, b, double);
            (a, b, c)
        }
    }
}

/// A count (or seed) from the environment, for longer local runs.
fn env_count(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn fast_paths_match_soft() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let per_op = env_count("MVVM_FP_FAST_CASES", 6000);
    let mut failures = Vec::new();
    for op in 0..NOPS {
        for &rm in &RMS {
            for _ in 0..per_op {
                let (a, b, c) = gen_operands(&mut rng, op);
                let fast = run(op, rm, a, b, c, Imp::Api);
                let slow = run(op, rm, a, b, c, Imp::Soft);
                if fast != slow && failures.len() < 30 {
                    failures.push(format!(
                        "{} {rm:?} {a:#x} {b:#x} {c:#x}: api {:#x}/{:#x}, soft {:#x}/{:#x}",
                        op_name(op),
                        fast.0,
                        fast.1,
                        slow.0,
                        slow.1
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "fast path disagrees with soft:\n{}",
        failures.join("\n")
    );
}

#[test]
fn fast_paths_match_soft_on_uniform_bits() {
    // Uniformly random patterns mostly exercise the common, fast case.
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let ops = [
        ADD, SUB, MUL, DIV, SQRT, MADD, NMSUB, CVT_W, CVT_LU, FROM_L, FROM_LU,
    ];
    for op in ops.into_iter().chain(ops.map(|op| op + D)) {
        for &rm in &RMS {
            for _ in 0..env_count("MVVM_FP_FAST_CASES", 20_000) {
                let (mut a, mut b, mut c) = (rng.next(), rng.next(), rng.next());
                if op < D {
                    (a, b, c) = (a >> 32, b >> 32, c >> 32);
                }
                // Keep exponents moderate half of the time.
                if rng.below(2) == 0 {
                    let keep = if op < D {
                        0x83ff_ffff
                    } else {
                        0x807f_ffff_ffff_ffff
                    };
                    let one = if op < D {
                        0x3c00_0000
                    } else {
                        0x3fc0_0000_0000_0000
                    };
                    (a, b, c) = (a & keep | one, b & keep | one, c & keep | one);
                }
                let fast = run(op, rm, a, b, c, Imp::Api);
                let slow = run(op, rm, a, b, c, Imp::Soft);
                assert_eq!(fast, slow, "{} {rm:?} {a:#x} {b:#x} {c:#x}", op_name(op));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Cross-check with qemu.

/// Compares the hand-written cases and a batch of random cases with
/// qemu-riscv64 running `oracle.c`. Skipped (with a note) unless the riscv64
/// cross compiler and qemu are installed. `MVVM_FP_ORACLE_CASES` sets the
/// number of random cases per operation and rounding mode (default 300).
#[test]
fn matches_qemu() {
    use std::fmt::Write as _;
    use std::process::{Command, Stdio};

    let have = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !have("riscv64-linux-gnu-gcc") || !have("qemu-riscv64") {
        eprintln!("matches_qemu: skipped, riscv64-linux-gnu-gcc or qemu-riscv64 missing");
        return;
    }
    let per_op = env_count("MVVM_FP_ORACLE_CASES", 300);

    let dir = std::env::temp_dir().join(format!("mvvm-fp-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("oracle.c");
    let bin = dir.join("oracle");
    std::fs::write(&src, include_str!("oracle.c")).unwrap();
    let cc = Command::new("riscv64-linux-gnu-gcc")
        .args(["-O1", "-static", "-o"])
        .arg(&bin)
        .arg(&src)
        .status()
        .unwrap();
    if !cc.success() {
        // A toolchain without the static riscv64 libc: an environment gap,
        // not an fp bug.
        eprintln!("matches_qemu: skipped, riscv64-linux-gnu-gcc -static failed");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }

    let mut cases: Vec<(u32, Rm, u64, u64, u64)> = CASES
        .iter()
        .map(|&(op, rm, a, b, c, _, _)| (op, rm, a, b, c))
        .collect();
    let mut rng = Rng(env_count("MVVM_FP_ORACLE_SEED", 0x5eed_f00d));
    for op in 0..NOPS {
        let rms: &[Rm] = if uses_rm(op) { &RMS } else { &RMS[..1] };
        for &rm in rms {
            for _ in 0..per_op {
                let (a, b, c) = gen_operands(&mut rng, op);
                cases.push((op, rm, a, b, c));
            }
        }
    }
    let mut input = String::new();
    for &(op, rm, a, b, c) in &cases {
        writeln!(input, "{op} {} {a:x} {b:x} {c:x}", rm as u8).unwrap();
    }
    let input_path = dir.join("input.txt");
    std::fs::write(&input_path, input).unwrap();
    let out = Command::new("qemu-riscv64")
        .arg(&bin)
        .stdin(std::fs::File::open(&input_path).unwrap())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "qemu-riscv64 failed: {:?}",
        out.status
    );
    let out = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), cases.len(), "oracle output is short");

    let mut failures = Vec::new();
    for (&(op, rm, a, b, c), line) in cases.iter().zip(&lines) {
        let mut it = line.split(' ').map(|x| u64::from_str_radix(x, 16).unwrap());
        let want = (it.next().unwrap(), it.next().unwrap() as u8);
        let got = run(op, rm, a, b, c, Imp::Api);
        if got != want {
            failures.push(format!(
                "{} {rm:?} {a:#x} {b:#x} {c:#x}: got {:#x}/{:#x}, qemu {:#x}/{:#x}",
                op_name(op),
                got.0,
                got.1,
                want.0,
                want.1
            ));
        }
    }
    eprintln!(
        "matches_qemu: {} cases compared, {} mismatches",
        cases.len(),
        failures.len()
    );
    failures.truncate(40);
    assert!(
        failures.is_empty(),
        "disagreements with qemu:\n{}",
        failures.join("\n")
    );
}
