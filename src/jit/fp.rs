//! FP lowerings (F and D): the wasm counterparts of `interp/fp`'s fast paths.
//!
//! Generated code computes only what core wasm computes bit-exactly with known flags:
//! round-to-nearest-even (a static `rm` of 0, or DYN while `frm` is 0; conversions
//! to integers also take a static RTZ), finite operands and results inside the
//! exponent windows `interp/fp` proves its fast paths in, and the exact zeros around
//! them. Anything else (NaNs, infinities, subnormals, overflow, underflow, other
//! rounding modes, improperly NaN-boxed singles) leaves for the interpreter at the
//! instruction ([`Exit::Interp`]), which runs `interp/fp` on it, so every flag but NX
//! is the interpreter's business. NX comes from the exact error of the operation
//! (TwoSum; a fused multiply-add for products, remainders and fmadd's exact sum),
//! computed only while `fflags` lacks it: it is sticky, so once raised the error
//! terms are skipped. Core wasm has no fused multiply-add: [`fused`] takes relaxed
//! SIMD's, which the launcher makes deterministic (always fused).
//!
//! wasm arithmetic is deterministic except for the bits of NaN results, and no result
//! kept here is a NaN; moves, loads, stores, `abs`, `neg` and `copysign` keep NaN
//! payloads, so registers hold raw bits in f64 locals. Singles are computed in
//! binary64 (exactly, or rounded to odd) and narrowed, as `interp/fp` does.

use super::abi::Exit;
use super::emit::{Emitter, FrmKnown, FTMP, TMP, TMP2, TMP32};
use crate::isa::Insn;

/// Precision of an FP operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prec {
    /// binary32, NaN-boxed in the 64-bit registers.
    S,
    /// binary64.
    D,
}

/// Sign injection: the sign comes from rs2, its negation, or both signs' xor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Copy,
    Neg,
    Xor,
}

/// Comparisons writing 0 or 1 to an integer register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Lt,
    Le,
}

/// An integer type of a conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Int {
    W,
    Wu,
    L,
    Lu,
}

/// How an FP instruction becomes wasm (the payload of `lower::Shape::Fp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fp {
    Load(Prec),
    Store(Prec),
    Add(Prec),
    Sub(Prec),
    Mul(Prec),
    Div(Prec),
    Sqrt(Prec),
    /// `±(rs1 × rs2) ± rs3`: fmadd, fmsub (`neg_add`), fnmsub (`neg_prod`), fnmadd.
    Fma {
        prec: Prec,
        neg_prod: bool,
        neg_add: bool,
    },
    Sgnj(Prec, Sign),
    Cmp(Prec, Cmp),
    /// fmin (`false`) or fmax.
    MinMax(Prec, bool),
    /// fcvt.{w,wu,l,lu}.{s,d}
    ToInt(Prec, Int),
    /// fcvt.{s,d}.{w,wu,l,lu}
    FromInt(Prec, Int),
    /// fmv.x.{w,d}
    ToX(Prec),
    /// fmv.{w,d}.x
    FromX(Prec),
    /// fcvt.s.d
    Narrow,
    /// fcvt.d.s
    Widen,
}

/// `(bytes, is_store)` of an FP load or store.
pub fn access(fp: Fp) -> Option<(u32, bool)> {
    let size = |p| if p == Prec::S { 4 } else { 8 };
    match fp {
        Fp::Load(p) => Some((size(p), false)),
        Fp::Store(p) => Some((size(p), true)),
        _ => None,
    }
}

/// The rounding an operation needs from its `rm` field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// The result is exact: any valid mode does.
    Any,
    /// Round to nearest, ties to even.
    Rne,
    /// RNE or RTZ (conversions to integers).
    RneOrRtz,
}

/// The mode generated code rounds in (`true`: toward zero), after emitting the
/// run-time test of `frm` that DYN needs; `None` (nothing emitted) when the static
/// field asks for a mode generated code does not implement.
fn rounding(e: &mut Emitter<'_>, i: &Insn, pc: u64, need: Need) -> Option<bool> {
    match (i.rm, need) {
        (0, _) | (0..=4, Need::Any) => Some(false),
        (1, Need::RneOrRtz) => Some(true),
        (7, _) => {
            // DYN: frm must be RNE, or any valid mode for exact results.
            let known = if need == Need::Any {
                FrmKnown::Valid
            } else {
                FrmKnown::Rne
            };
            if e.frm_known < known {
                e.frm();
                if need == Need::Any {
                    e.ins().i32_const(4).i32_gt_u();
                }
                bail(e, pc);
                e.frm_known = known;
            }
            Some(false)
        }
        _ => None,
    }
}

/// Leaves for the interpreter at `pc` if the i32 on the stack is non-zero.
fn bail(e: &mut Emitter<'_>, pc: u64) {
    e.if_then(|e| e.exit_to(Exit::Interp, pc));
}

/// Scratch f64 local `k`.
const fn t(k: u32) -> u32 {
    FTMP + k
}

// Scratch roles. Operands first, then the result, then the error computations.
const X: u32 = t(0);
const Y: u32 = t(1);
const Z: u32 = t(2);
const R: u32 = t(3);

/// Biased binary64 exponent limits (fields) of `interp/fp`'s windows.
const BIAS: i64 = 1023;
const F64_SIGN: i64 = i64::MIN;
const BOX: i64 = 0xffff_ffff_0000_0000_u64 as i64;
const F32_SIGN: i64 = 0x8000_0000;
const F32_CANONICAL_NAN: i64 = 0x7fc0_0000;
const F32_MIN_NORMAL: i32 = 0x0080_0000;
const F32_MAX: i32 = 0x7f7f_ffff;
const F64_MIN_NORMAL: i64 = 0x0010_0000_0000_0000;
const F64_INF: i64 = 0x7ff0_0000_0000_0000;
/// 2^-967: a product at least this large has a representable error.
const PRODUCT_MIN: i64 = (BIAS - 967) << 52;

/// Emits the FP instruction `i` at `pc`; `false` (nothing emitted) when generated
/// code does not implement its rounding mode.
pub fn lower(e: &mut Emitter<'_>, fp: Fp, i: &Insn, pc: u64) -> bool {
    let need = match fp {
        Fp::Load(_) | Fp::Store(_) | Fp::Sgnj(..) | Fp::Cmp(..) | Fp::MinMax(..) => None,
        Fp::ToX(_) | Fp::FromX(_) => None,
        Fp::Widen => Some(Need::Any),
        Fp::FromInt(p, n) if exact_from_int(p, n) => Some(Need::Any),
        Fp::ToInt(..) => Some(Need::RneOrRtz),
        _ => Some(Need::Rne),
    };
    let rtz = match need {
        Some(need) => match rounding(e, i, pc, need) {
            Some(rtz) => rtz,
            None => return false,
        },
        None => false,
    };
    match fp {
        Fp::Load(p) => {
            e.address(i, pc);
            if p == Prec::S {
                let m = e.guest();
                e.ins()
                    .i64_load32_u(m)
                    .i64_const(BOX)
                    .i64_or()
                    .f64_reinterpret_i64();
            } else {
                let m = e.guest();
                e.ins().f64_load(m);
            }
            e.fset(i.rd);
        }
        Fp::Store(p) => {
            e.address(i, pc);
            e.fget(i.rs2);
            if p == Prec::S {
                let m = e.guest();
                e.ins().i64_reinterpret_f64().i64_store32(m);
            } else {
                let m = e.guest();
                e.ins().f64_store(m);
            }
        }
        Fp::Add(p) | Fp::Sub(p) => {
            operands(e, p, i, pc, false, matches!(fp, Fp::Sub(_)));
            if p == Prec::D {
                add_d(e, pc);
            } else {
                e.ins().local_get(X).local_get(Y).f64_add().local_set(R);
                odd_sum(e, pc, X, Y);
                narrow(e, pc);
            }
            result(e, p, i.rd);
        }
        Fp::Mul(p) => {
            operands(e, p, i, pc, false, false);
            if p == Prec::D {
                mul_d(e, pc);
            } else {
                e.ins().local_get(X).local_get(Y).f64_mul().local_set(R);
                finite(e, R);
                e.ins().i32_eqz();
                bail(e, pc);
                narrow(e, pc);
            }
            result(e, p, i.rd);
        }
        Fp::Div(p) => {
            operands(e, p, i, pc, false, false);
            if p == Prec::D {
                div_d(e, pc);
            } else {
                // As interp/fp: the twice-rounded quotient is correct, R × y exact.
                e.ins().local_get(X).local_get(Y).f64_div();
                e.ins().f32_demote_f64().f64_promote_f32().local_set(R);
                e.ins()
                    .local_get(R)
                    .local_get(Y)
                    .f64_mul()
                    .local_get(X)
                    .f64_ne();
                narrowed(e, pc);
            }
            result(e, p, i.rd);
        }
        Fp::Sqrt(p) => {
            operands(e, p, i, pc, true, false);
            if p == Prec::D {
                sqrt_d(e, pc);
            } else {
                e.ins().local_get(X).f64_sqrt();
                e.ins().f32_demote_f64().f64_promote_f32().local_set(R);
                e.ins()
                    .local_get(R)
                    .local_get(R)
                    .f64_mul()
                    .local_get(X)
                    .f64_ne();
                narrowed(e, pc);
            }
            result(e, p, i.rd);
        }
        Fp::Fma {
            prec,
            neg_prod,
            neg_add,
        } => {
            operand(e, prec, i.rs1, X, pc, neg_prod);
            operand(e, prec, i.rs2, Y, pc, false);
            operand(e, prec, i.rs3, Z, pc, neg_add);
            if prec == Prec::D {
                fma_d(e, pc);
            } else {
                // The binary64 product is exact; its sum with z is rounded to odd.
                e.ins().local_get(X).local_get(Y).f64_mul().local_tee(t(4));
                e.ins().local_get(Z).f64_add().local_set(R);
                odd_sum(e, pc, t(4), Z);
                narrow(e, pc);
            }
            result(e, prec, i.rd);
        }
        Fp::Sgnj(p, sign) => sgnj(e, p, sign, i),
        Fp::Cmp(p, cmp) => {
            operands(e, p, i, pc, false, false);
            nan_bails(e, pc, false);
            e.ins().local_get(X).local_get(Y);
            match cmp {
                Cmp::Eq => e.ins().f64_eq(),
                Cmp::Lt => e.ins().f64_lt(),
                Cmp::Le => e.ins().f64_le(),
            };
            e.ins().i64_extend_i32_u();
            e.set(i.rd);
        }
        Fp::MinMax(p, max) => {
            operands(e, p, i, pc, false, false);
            nan_bails(e, pc, false);
            // wasm's min/max order -0 below +0, as RISC-V does.
            e.ins().local_get(X).local_get(Y);
            if max {
                e.ins().f64_max();
            } else {
                e.ins().f64_min();
            }
            e.ins().local_set(R);
            result(e, p, i.rd);
        }
        Fp::ToInt(p, n) => {
            operand(e, p, i.rs1, X, pc, false);
            to_int(e, n, rtz, pc);
            e.set(i.rd);
        }
        Fp::FromInt(p, n) => from_int(e, p, n, i),
        Fp::ToX(p) => {
            e.fget(i.rs1).ins().i64_reinterpret_f64();
            if p == Prec::S {
                e.ins().i32_wrap_i64().i64_extend_i32_s();
            }
            e.set(i.rd);
        }
        Fp::FromX(p) => {
            e.get(i.rs1);
            if p == Prec::S {
                e.ins().i64_const(BOX).i64_or();
            }
            e.ins().f64_reinterpret_i64();
            e.fset(i.rd);
        }
        Fp::Narrow => {
            operand(e, Prec::D, i.rs1, X, pc, false);
            e.ins().local_get(X).local_set(R);
            narrow(e, pc);
            result(e, Prec::S, i.rd);
        }
        Fp::Widen => {
            operand(e, Prec::S, i.rs1, X, pc, false);
            nan_bails(e, pc, true);
            e.ins().local_get(X).local_set(R);
            result(e, Prec::D, i.rd);
        }
    }
    true
}

/// Reads FP register `r` into scratch `to` as a binary64 value (a single is
/// unboxed and widened, exactly; an improperly boxed one leaves), negated if `neg`.
fn operand(e: &mut Emitter<'_>, p: Prec, r: u8, to: u32, pc: u64, neg: bool) {
    e.fget(r);
    if p == Prec::S {
        e.ins()
            .i64_reinterpret_f64()
            .local_tee(TMP)
            .i64_const(32)
            .i64_shr_u()
            .i64_const(0xffff_ffff)
            .i64_ne();
        bail(e, pc);
        e.ins()
            .local_get(TMP)
            .i32_wrap_i64()
            .f32_reinterpret_i32()
            .f64_promote_f32();
    }
    if neg {
        e.ins().f64_neg();
    }
    e.ins().local_set(to);
}

/// Reads rs1 into X and (unless `unary`) rs2 into Y, rs2 negated if `neg2`.
fn operands(e: &mut Emitter<'_>, p: Prec, i: &Insn, pc: u64, unary: bool, neg2: bool) {
    operand(e, p, i.rs1, X, pc, false);
    if !unary {
        operand(e, p, i.rs2, Y, pc, neg2);
    }
}

/// Writes R to FP register `rd` (a single NaN-boxed; R holds it exactly).
fn result(e: &mut Emitter<'_>, p: Prec, rd: u8) {
    e.ins().local_get(R);
    if p == Prec::S {
        e.ins()
            .f32_demote_f64()
            .i32_reinterpret_f32()
            .i64_extend_i32_u()
            .i64_const(BOX)
            .i64_or()
            .f64_reinterpret_i64();
    }
    e.fset(rd);
}

/// Leaves if X or (unless `unary`) Y is a NaN.
fn nan_bails(e: &mut Emitter<'_>, pc: u64, unary: bool) {
    e.ins().local_get(X).local_get(X).f64_ne();
    if !unary {
        e.ins().local_get(Y).local_get(Y).f64_ne().i32_or();
    }
    bail(e, pc);
}

/// Pushes whether scratch `k` is finite (false for NaN).
fn finite(e: &mut Emitter<'_>, k: u32) {
    e.ins()
        .local_get(k)
        .f64_abs()
        .f64_const(f64::INFINITY.into())
        .f64_lt();
}

/// Pushes the biased exponent field of scratch `k` (an i64).
fn field(e: &mut Emitter<'_>, k: u32) {
    e.ins()
        .local_get(k)
        .i64_reinterpret_f64()
        .i64_const(52)
        .i64_shr_u()
        .i64_const(0x7ff)
        .i64_and();
}

/// Turns the i64 on the stack into whether it lies in `[lo, hi]` (one comparison).
fn within(e: &mut Emitter<'_>, lo: i64, hi: i64) {
    e.ins()
        .i64_const(lo)
        .i64_sub()
        .i64_const(hi - lo)
        .i64_le_u();
}

/// Pushes whether X and Y are normal below 2^996 with exponents summing into
/// `[lo, hi]` (relative to the doubled bias), where a product's error is
/// representable.
fn product_window(e: &mut Emitter<'_>, lo: i64, hi: i64) {
    field(e, X);
    e.ins().local_tee(TMP);
    within(e, 1, BIAS + 995);
    field(e, Y);
    e.ins().local_tee(TMP2);
    within(e, 1, BIAS + 995);
    e.ins().i32_and().local_get(TMP).local_get(TMP2).i64_add();
    within(e, 2 * BIAS + lo, 2 * BIAS + hi);
    e.ins().i32_and();
}

/// Runs `then` unless `fflags` already holds NX.
fn unless_inexact(e: &mut Emitter<'_>, then: impl FnOnce(&mut Emitter<'_>)) {
    e.fflags().ins().i32_const(1).i32_and().i32_eqz();
    e.if_then(then);
}

/// Raises NX if the i32 on the stack is non-zero.
fn raise_nx(e: &mut Emitter<'_>) {
    e.if_then(|e| {
        e.ins().i32_const(1);
        e.raise();
    });
}

/// Pushes the exact error of `s = RN(a + b)` (TwoSum); uses scratch `tmp`.
fn sum_error(e: &mut Emitter<'_>, a: u32, b: u32, s: u32, tmp: u32) {
    e.ins()
        .local_get(s)
        .local_get(a)
        .f64_sub()
        .local_set(tmp)
        .local_get(a)
        .local_get(s)
        .local_get(tmp)
        .f64_sub()
        .f64_sub()
        .local_get(b)
        .local_get(tmp)
        .f64_sub()
        .f64_add();
}

/// Raises NX unless `s = RN(a + b)` (finite) is exact. With `|a| >= |b|`, `s - a`
/// is exact (Fast2Sum), so the sum was exact iff it equals `b`; either order may
/// hold, so both are asked (a difference that overflows was not exact either).
fn sum_nx(e: &mut Emitter<'_>, a: u32, b: u32, s: u32) {
    let differs = |x: u32, y: u32| {
        move |e: &mut Emitter<'_>| {
            e.ins()
                .local_get(s)
                .local_get(x)
                .f64_sub()
                .local_get(y)
                .f64_ne();
        }
    };
    e.if_any(&[&differs(a, b), &differs(b, a)], |e| {
        e.ins().i32_const(1);
        e.raise();
    });
}

/// Pushes whether scratch `k`'s magnitude bits lie in `[lo, hi)` (one comparison;
/// NaNs lie above infinity).
fn magnitude_within(e: &mut Emitter<'_>, k: u32, lo: i64, hi: i64) {
    e.ins()
        .local_get(k)
        .i64_reinterpret_f64()
        .i64_const(!F64_SIGN)
        .i64_and()
        .i64_const(lo)
        .i64_sub()
        .i64_const(hi - lo)
        .i64_lt_u();
}

/// Pushes `a × b + c` rounded once (RNE), or `c - a × b` when `negate_product`.
/// Core wasm has no scalar fused multiply-add: this is lane 0 of relaxed SIMD's
/// `f64x2.relaxed_madd` / `relaxed_nmadd`, which the launcher's engine runs in
/// deterministic mode, where they are fused on every host.
fn fused(e: &mut Emitter<'_>, a: u32, b: u32, c: u32, negate_product: bool) {
    let mut s = e.ins();
    s.local_get(a)
        .f64x2_splat()
        .local_get(b)
        .f64x2_splat()
        .local_get(c)
        .f64x2_splat();
    if negate_product {
        s.f64x2_relaxed_nmadd();
    } else {
        s.f64x2_relaxed_madd();
    }
    s.f64x2_extract_lane(0);
}

/// Pushes the exact error of `p = RN(a × b)`, negated (`p - a × b`), when it is
/// representable ([`mul_d`] says when).
fn product_error_neg(e: &mut Emitter<'_>, a: u32, b: u32, p: u32) {
    fused(e, a, b, p, true);
}

/// Pushes `s` rounded to odd given its non-zero error `err`: truncated, lsb set.
fn round_to_odd(e: &mut Emitter<'_>, s: u32, err: u32) {
    e.ins()
        .local_get(s)
        .i64_reinterpret_f64()
        .local_get(err)
        .f64_const(0.0.into())
        .f64_lt()
        .local_get(s)
        .f64_const(0.0.into())
        .f64_lt()
        .i32_ne()
        .i64_extend_i32_u()
        .i64_sub()
        .i64_const(1)
        .i64_or()
        .f64_reinterpret_i64();
}

/// fadd.d / fsub.d: a finite sum has finite operands and did not overflow, and no
/// sum underflows inexactly, so NX is the only flag left.
fn add_d(e: &mut Emitter<'_>, pc: u64) {
    e.ins().local_get(X).local_get(Y).f64_add().local_set(R);
    magnitude_within(e, R, 0, F64_INF);
    e.ins().i32_eqz();
    bail(e, pc);
    unless_inexact(e, |e| {
        sum_nx(e, X, Y, R);
    });
}

/// Pushes whether one of X, Y is zero.
fn zero_factor(e: &mut Emitter<'_>) {
    e.ins()
        .local_get(X)
        .f64_const(0.0.into())
        .f64_eq()
        .local_get(Y)
        .f64_const(0.0.into())
        .f64_eq()
        .i32_or();
}

/// Pushes whether one of X, Y is zero and both are finite (the product is an exact
/// signed zero).
fn zero_product(e: &mut Emitter<'_>) {
    zero_factor(e);
    finite(e, X);
    e.ins().i32_and();
    finite(e, Y);
    e.ins().i32_and();
}

/// fmul.d: a product `p` with `2^-967 <= |p| < inf` has finite operands, did not
/// overflow or underflow, and its error `x × y - p` is representable (a multiple
/// of the operands' ulps, above 2^-1074), so one fused operation computes it.
fn mul_d(e: &mut Emitter<'_>, pc: u64) {
    e.ins().local_get(X).local_get(Y).f64_mul().local_set(R);
    magnitude_within(e, R, PRODUCT_MIN, F64_INF);
    e.if_else(
        |e| {
            unless_inexact(e, |e| {
                product_error_neg(e, X, Y, R);
                e.ins().f64_const(0.0.into()).f64_ne();
                raise_nx(e);
            });
        },
        |e| {
            zero_product(e);
            e.ins().i32_eqz();
            bail(e, pc);
        },
    );
}

/// fdiv.d: q is normal and the remainder `x - q × y` representable.
fn div_d(e: &mut Emitter<'_>, pc: u64) {
    field(e, X);
    e.ins().local_tee(TMP);
    within(e, BIAS - 969, BIAS + 1021);
    field(e, Y);
    e.ins().local_tee(TMP2);
    within(e, 1, BIAS + 995);
    e.ins()
        .i32_and()
        .local_get(TMP)
        .i64_const(1000)
        .i64_add()
        .local_get(TMP2)
        .i64_sub()
        .i64_const(1994)
        .i64_le_u()
        .i32_and();
    e.if_else(
        |e| {
            e.ins().local_get(X).local_get(Y).f64_div().local_set(R);
            unless_inexact(e, |e| remainder_nx(e, R, Y));
        },
        |e| {
            // 0 / y is an exact signed zero for any non-zero, non-NaN y.
            e.ins()
                .local_get(X)
                .f64_const(0.0.into())
                .f64_eq()
                .local_get(Y)
                .local_get(Y)
                .f64_eq()
                .i32_and()
                .local_get(Y)
                .f64_const(0.0.into())
                .f64_ne()
                .i32_and()
                .i32_eqz();
            bail(e, pc);
            e.ins().local_get(X).local_get(Y).f64_div().local_set(R);
        },
    );
}

/// Raises NX unless `q × y == X` exactly (the quotient or root `q` was exact):
/// the remainder `q × y - X` is representable in the window, so one fused
/// operation computes it exactly.
fn remainder_nx(e: &mut Emitter<'_>, q: u32, y: u32) {
    fused(e, q, y, X, true);
    e.ins().f64_const(0.0.into()).f64_ne();
    raise_nx(e);
}

/// fsqrt.d: positive in [2^-969, 2^1022), or a signed zero.
fn sqrt_d(e: &mut Emitter<'_>, pc: u64) {
    e.ins()
        .local_get(X)
        .i64_reinterpret_f64()
        .local_tee(TMP)
        .i64_const(52)
        .i64_shr_u();
    within(e, BIAS - 969, BIAS + 1021);
    e.if_else(
        |e| {
            e.ins().local_get(X).f64_sqrt().local_set(R);
            unless_inexact(e, |e| remainder_nx(e, R, R));
        },
        |e| {
            e.ins()
                .local_get(TMP)
                .i64_const(1)
                .i64_shl()
                .i64_const(0)
                .i64_ne();
            bail(e, pc);
            e.ins().local_get(X).local_set(R);
        },
    );
}

/// fmadd.d and its sign variants (X and Z already negated as asked). A result `r`
/// with `MIN_NORMAL < |r| < inf` had finite operands (an infinite or NaN operand
/// makes an infinite or NaN result) and neither overflowed nor was tiny, so NX is
/// the only flag left; it needs the exact error, found from the product's parts.
fn fma_d(e: &mut Emitter<'_>, pc: u64) {
    let (uh, ul, th, tl, v, tmp) = (t(4), t(5), t(6), t(7), t(8), t(9));
    fused(e, X, Y, Z, false);
    e.ins().local_set(R);
    magnitude_within(e, R, F64_MIN_NORMAL + 1, F64_INF);
    e.if_else(
        |e| {
            unless_inexact(e, |e| {
                // a × b == uh + ul exactly: a product large enough (as in
                // mul_d), or a zero factor.
                e.ins().local_get(X).local_get(Y).f64_mul().local_set(uh);
                magnitude_within(e, uh, PRODUCT_MIN, F64_INF);
                e.ins().i32_eqz();
                e.if_then(|e| {
                    zero_factor(e);
                    e.ins().i32_eqz();
                    bail(e, pc);
                });
                product_error_neg(e, X, Y, uh);
                e.ins().local_tee(ul).f64_const(0.0.into()).f64_eq();
                e.if_else(
                    |e| sum_nx(e, Z, uh, R),
                    |e| {
                        // a × b + c == th + tl + ul == th + v + (error of v): see
                        // interp/fp's f64_fma; exact only if that error is zero
                        // and R == th + v. Inside the windows nothing overflows.
                        fma_window(e);
                        e.ins().i32_eqz();
                        bail(e, pc);
                        e.ins().local_get(ul).f64_neg().local_set(ul);
                        e.ins().local_get(Z).local_get(uh).f64_add().local_set(th);
                        sum_error(e, Z, uh, th, tmp);
                        e.ins().local_tee(tl).local_get(ul).f64_add().local_set(v);
                        sum_error(e, tl, ul, v, tmp);
                        e.ins().f64_const(0.0.into()).f64_ne();
                        sum_error(e, th, v, R, tmp);
                        e.ins().f64_const(0.0.into()).f64_ne().i32_or();
                        raise_nx(e);
                    },
                );
            });
        },
        |e| {
            // A zero product (exact) plus a finite addend, or a product plus zero.
            zero_product(e);
            finite(e, Z);
            e.ins().i32_and();
            e.if_else(
                |e| {
                    e.ins()
                        .local_get(X)
                        .local_get(Y)
                        .f64_mul()
                        .local_get(Z)
                        .f64_add()
                        .local_set(R);
                },
                |e| {
                    e.ins().local_get(Z).f64_const(0.0.into()).f64_eq();
                    e.if_else(
                        // Adding a zero to a non-zero product changes nothing.
                        |e| mul_d(e, pc),
                        |e| {
                            // Inside the windows a zero is an exact cancellation
                            // (+0 under RNE); anything else is the interpreter's.
                            fma_window(e);
                            e.ins()
                                .local_get(R)
                                .f64_const(0.0.into())
                                .f64_eq()
                                .i32_and()
                                .i32_eqz();
                            bail(e, pc);
                        },
                    );
                },
            );
        },
    );
}

/// Pushes whether X, Y and Z lie in the exponent windows where `a × b + c` and
/// every partial sum of its error terms is exact or normal and finite.
fn fma_window(e: &mut Emitter<'_>) {
    product_window(e, -918, 1019);
    field(e, Z);
    within(e, BIAS - 970, BIAS + 1020);
    e.ins().i32_and();
}

/// Rounds the binary64 sum in R, whose exact addends are scratch `a` and `b`, to
/// odd in place (leaving when it is not finite), for narrowing.
fn odd_sum(e: &mut Emitter<'_>, pc: u64, a: u32, b: u32) {
    finite(e, R);
    e.ins().i32_eqz();
    bail(e, pc);
    let err = t(5);
    sum_error(e, a, b, R, t(6));
    e.ins().local_tee(err).f64_const(0.0.into()).f64_ne();
    e.if_then(|e| {
        round_to_odd(e, R, err);
        e.ins().local_set(R);
    });
}

/// Narrows R (exact, or rounded to odd) to binary32 in place: leaves unless the
/// result is exact or normal and below the largest single.
fn narrow(e: &mut Emitter<'_>, pc: u64) {
    e.ins()
        .local_get(R)
        .f32_demote_f64()
        .f64_promote_f32()
        .local_tee(t(4))
        .local_get(R)
        .f64_ne();
    e.ins().local_get(t(4)).local_set(R);
    narrowed(e, pc);
}

/// Given R (a single, widened) and whether it is inexact (the i32 on the stack):
/// leaves if an inexact R is not normal and below the largest single (overflow,
/// underflow, NaN, or a step the directed modes could not take), raises NX.
fn narrowed(e: &mut Emitter<'_>, pc: u64) {
    e.ins()
        .local_tee(TMP32)
        .local_get(R)
        .f32_demote_f64()
        .i32_reinterpret_f32()
        .i32_const(0x7fff_ffff)
        .i32_and()
        .i32_const(F32_MIN_NORMAL + 1)
        .i32_sub()
        .i32_const(F32_MAX - F32_MIN_NORMAL - 1)
        .i32_ge_u()
        .i32_and();
    bail(e, pc);
    e.ins().local_get(TMP32);
    raise_nx(e);
}

/// fsgnj, fsgnjn, fsgnjx: bits only, no flags.
fn sgnj(e: &mut Emitter<'_>, p: Prec, sign: Sign, i: &Insn) {
    let bit = if p == Prec::S { F32_SIGN } else { F64_SIGN };
    let unboxed = |e: &mut Emitter<'_>, r: u8| {
        e.fget(r).ins().i64_reinterpret_f64();
        if p == Prec::S {
            // An improperly boxed single reads as the canonical NaN.
            e.ins()
                .local_tee(TMP)
                .i64_const(BOX | F32_CANONICAL_NAN)
                .local_get(TMP)
                .i64_const(32)
                .i64_shr_u()
                .i64_const(0xffff_ffff)
                .i64_eq()
                .select();
        }
    };
    unboxed(e, i.rs1);
    e.ins().i64_const(!bit).i64_and();
    match sign {
        Sign::Copy => {
            unboxed(e, i.rs2);
        }
        Sign::Neg => {
            unboxed(e, i.rs2);
            e.ins().i64_const(-1).i64_xor();
        }
        Sign::Xor => {
            unboxed(e, i.rs1);
            unboxed(e, i.rs2);
            e.ins().i64_xor();
        }
    }
    e.ins()
        .i64_const(bit)
        .i64_and()
        .i64_or()
        .f64_reinterpret_i64();
    e.fset(i.rd);
}

/// fcvt to an integer of X, rounded to nearest even or (`rtz`) toward zero: leaves
/// unless the rounded value is in the type's range; pushes the i64 register value.
fn to_int(e: &mut Emitter<'_>, n: Int, rtz: bool, pc: u64) {
    let (lo, hi_excl) = match n {
        Int::W => (-2_147_483_648.0, 2_147_483_648.0),
        Int::Wu => (0.0, 4_294_967_296.0),
        Int::L => (-9_223_372_036_854_775_808.0, 9_223_372_036_854_775_808.0),
        Int::Lu => (0.0, 18_446_744_073_709_551_616.0),
    };
    e.ins().local_get(X);
    if rtz {
        e.ins().f64_trunc();
    } else {
        e.ins().f64_nearest();
    }
    // -0 counts as 0 (>= 0.0); a NaN fails both tests.
    e.ins()
        .local_tee(R)
        .f64_const(lo.into())
        .f64_ge()
        .local_get(R)
        .f64_const(hi_excl.into())
        .f64_lt()
        .i32_and()
        .i32_eqz();
    bail(e, pc);
    e.ins().local_get(R).local_get(X).f64_ne();
    raise_nx(e);
    e.ins().local_get(R);
    match n {
        Int::W => e.ins().i32_trunc_f64_s().i64_extend_i32_s(),
        Int::Wu => e.ins().i32_trunc_f64_u().i64_extend_i32_s(),
        Int::L => e.ins().i64_trunc_f64_s(),
        Int::Lu => e.ins().i64_trunc_f64_u(),
    };
}

/// Whether every integer of type `n` converts to precision `p` exactly.
fn exact_from_int(p: Prec, n: Int) -> bool {
    p == Prec::D && matches!(n, Int::W | Int::Wu)
}

/// fcvt from an integer register (RNE unless exact): NX unless the magnitude fits
/// the significand.
fn from_int(e: &mut Emitter<'_>, p: Prec, n: Int, i: &Insn) {
    e.get(i.rs1);
    match n {
        Int::W => {
            e.ins().i32_wrap_i64().i64_extend_i32_s();
        }
        Int::Wu => {
            e.ins().i64_const(0xffff_ffff).i64_and();
        }
        Int::L | Int::Lu => {}
    }
    e.ins().local_tee(TMP);
    let signed = matches!(n, Int::W | Int::L);
    match (p, signed) {
        (Prec::D, true) => e.ins().f64_convert_i64_s(),
        (Prec::D, false) => e.ins().f64_convert_i64_u(),
        (Prec::S, true) => e.ins().f32_convert_i64_s().f64_promote_f32(),
        (Prec::S, false) => e.ins().f32_convert_i64_u().f64_promote_f32(),
    };
    e.ins().local_set(R);
    if !exact_from_int(p, n) {
        // |v| (i64::MIN stays 2^63 as unsigned, which is exact).
        let bits = if p == Prec::S { 24 } else { 53 };
        if signed {
            e.ins()
                .i64_const(0)
                .local_get(TMP)
                .i64_sub()
                .local_get(TMP)
                .local_get(TMP)
                .i64_const(0)
                .i64_lt_s()
                .select()
                .local_set(TMP);
        }
        e.ins()
            .local_get(TMP)
            .i64_clz()
            .local_get(TMP)
            .i64_ctz()
            .i64_add()
            .i64_const(64 - bits)
            .i64_lt_u();
        raise_nx(e);
    }
    result(e, p, i.rd);
}
