//! F and D: FP loads and stores, arithmetic, conversions, moves and compares.
//!
//! Each operation is written once, generically over [`Fmt`] (half, single or double);
//! the handlers are one-line instantiations. This module also owns the plumbing the
//! half-precision (`zfh.rs`) and Zfa (`zfa.rs`) handlers share: the formats, the
//! rounding-mode lookup and the generic operations. Narrower values are NaN-boxed in
//! the 64-bit FP registers: reading a register whose upper bits are not all ones
//! yields the canonical NaN. The IEEE arithmetic itself is `interp::fp`.

use super::{ea, sext32, Result};
use crate::hart::{Hart, Trap};
use crate::interp::fp::{self, Rm};
use crate::isa::Insn;
use crate::mem::Mem;

/// An FP format: how its values sit in registers and which arithmetic applies.
pub(super) trait Fmt {
    type Bits: Copy + std::ops::BitXor<Output = Self::Bits> + std::ops::BitAnd<Output = Self::Bits>;
    const SIGN: Self::Bits;
    fn read(h: &Hart, r: u8) -> Self::Bits;
    fn write(h: &mut Hart, r: u8, v: Self::Bits);
    fn not(v: Self::Bits) -> Self::Bits;
    fn add(a: Self::Bits, b: Self::Bits, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn sub(a: Self::Bits, b: Self::Bits, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn mul(a: Self::Bits, b: Self::Bits, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn div(a: Self::Bits, b: Self::Bits, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn sqrt(a: Self::Bits, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn fma(a: Self::Bits, b: Self::Bits, c: Self::Bits, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn min(a: Self::Bits, b: Self::Bits, fl: &mut u8) -> Self::Bits;
    fn max(a: Self::Bits, b: Self::Bits, fl: &mut u8) -> Self::Bits;
    fn eq(a: Self::Bits, b: Self::Bits, fl: &mut u8) -> bool;
    fn lt(a: Self::Bits, b: Self::Bits, fl: &mut u8) -> bool;
    fn le(a: Self::Bits, b: Self::Bits, fl: &mut u8) -> bool;
    fn classify(a: Self::Bits) -> u64;
    fn to_i32(a: Self::Bits, rm: Rm, fl: &mut u8) -> i32;
    fn to_u32(a: Self::Bits, rm: Rm, fl: &mut u8) -> u32;
    fn to_i64(a: Self::Bits, rm: Rm, fl: &mut u8) -> i64;
    fn to_u64(a: Self::Bits, rm: Rm, fl: &mut u8) -> u64;
    fn from_i32(v: i32, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn from_u32(v: u32, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn from_i64(v: i64, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn from_u64(v: u64, rm: Rm, fl: &mut u8) -> Self::Bits;
    fn minm(a: Self::Bits, b: Self::Bits, fl: &mut u8) -> Self::Bits;
    fn maxm(a: Self::Bits, b: Self::Bits, fl: &mut u8) -> Self::Bits;
    fn round(a: Self::Bits, rm: Rm, exact: bool, fl: &mut u8) -> Self::Bits;
    fn ltq(a: Self::Bits, b: Self::Bits, fl: &mut u8) -> bool;
    fn leq(a: Self::Bits, b: Self::Bits, fl: &mut u8) -> bool;
}

macro_rules! impl_fmt {
    ($fmt:ident, $bits:ty, $sign:expr, $read:expr, $write:expr,
     $add:ident $sub:ident $mul:ident $div:ident $sqrt:ident $fma:ident $min:ident $max:ident
     $eq:ident $lt:ident $le:ident $class:ident $ti32:ident $tu32:ident $ti64:ident $tu64:ident
     $fi32:ident $fu32:ident $fi64:ident $fu64:ident
     $minm:ident $maxm:ident $round:ident $ltq:ident $leq:ident) => {
        pub(super) struct $fmt;
        impl Fmt for $fmt {
            type Bits = $bits;
            const SIGN: $bits = $sign;
            fn read(h: &Hart, r: u8) -> $bits {
                $read(h.f[r as usize & 31])
            }
            fn write(h: &mut Hart, r: u8, v: $bits) {
                h.f[r as usize & 31] = $write(v);
            }
            fn not(v: $bits) -> $bits {
                !v
            }
            fn add(a: $bits, b: $bits, rm: Rm, fl: &mut u8) -> $bits {
                fp::$add(a, b, rm, fl)
            }
            fn sub(a: $bits, b: $bits, rm: Rm, fl: &mut u8) -> $bits {
                fp::$sub(a, b, rm, fl)
            }
            fn mul(a: $bits, b: $bits, rm: Rm, fl: &mut u8) -> $bits {
                fp::$mul(a, b, rm, fl)
            }
            fn div(a: $bits, b: $bits, rm: Rm, fl: &mut u8) -> $bits {
                fp::$div(a, b, rm, fl)
            }
            fn sqrt(a: $bits, rm: Rm, fl: &mut u8) -> $bits {
                fp::$sqrt(a, rm, fl)
            }
            fn fma(a: $bits, b: $bits, c: $bits, rm: Rm, fl: &mut u8) -> $bits {
                fp::$fma(a, b, c, rm, fl)
            }
            fn min(a: $bits, b: $bits, fl: &mut u8) -> $bits {
                fp::$min(a, b, fl)
            }
            fn max(a: $bits, b: $bits, fl: &mut u8) -> $bits {
                fp::$max(a, b, fl)
            }
            fn eq(a: $bits, b: $bits, fl: &mut u8) -> bool {
                fp::$eq(a, b, fl)
            }
            fn lt(a: $bits, b: $bits, fl: &mut u8) -> bool {
                fp::$lt(a, b, fl)
            }
            fn le(a: $bits, b: $bits, fl: &mut u8) -> bool {
                fp::$le(a, b, fl)
            }
            fn classify(a: $bits) -> u64 {
                fp::$class(a)
            }
            fn to_i32(a: $bits, rm: Rm, fl: &mut u8) -> i32 {
                fp::$ti32(a, rm, fl)
            }
            fn to_u32(a: $bits, rm: Rm, fl: &mut u8) -> u32 {
                fp::$tu32(a, rm, fl)
            }
            fn to_i64(a: $bits, rm: Rm, fl: &mut u8) -> i64 {
                fp::$ti64(a, rm, fl)
            }
            fn to_u64(a: $bits, rm: Rm, fl: &mut u8) -> u64 {
                fp::$tu64(a, rm, fl)
            }
            fn from_i32(v: i32, rm: Rm, fl: &mut u8) -> $bits {
                fp::$fi32(v, rm, fl)
            }
            fn from_u32(v: u32, rm: Rm, fl: &mut u8) -> $bits {
                fp::$fu32(v, rm, fl)
            }
            fn from_i64(v: i64, rm: Rm, fl: &mut u8) -> $bits {
                fp::$fi64(v, rm, fl)
            }
            fn from_u64(v: u64, rm: Rm, fl: &mut u8) -> $bits {
                fp::$fu64(v, rm, fl)
            }
            fn minm(a: $bits, b: $bits, fl: &mut u8) -> $bits {
                fp::$minm(a, b, fl)
            }
            fn maxm(a: $bits, b: $bits, fl: &mut u8) -> $bits {
                fp::$maxm(a, b, fl)
            }
            fn round(a: $bits, rm: Rm, exact: bool, fl: &mut u8) -> $bits {
                fp::$round(a, rm, exact, fl)
            }
            fn ltq(a: $bits, b: $bits, fl: &mut u8) -> bool {
                fp::$ltq(a, b, fl)
            }
            fn leq(a: $bits, b: $bits, fl: &mut u8) -> bool {
                fp::$leq(a, b, fl)
            }
        }
    };
}

/// Reads a NaN-boxed single: an improperly boxed value is the canonical NaN.
fn unbox(v: u64) -> u32 {
    if v >> 32 == 0xffff_ffff {
        v as u32
    } else {
        fp::F32_CANONICAL_NAN
    }
}

fn nan_box(v: u32) -> u64 {
    0xffff_ffff_0000_0000 | v as u64
}

/// Reads a NaN-boxed half: an improperly boxed value is the canonical NaN.
fn unbox_h(v: u64) -> u16 {
    if v >> 16 == 0xffff_ffff_ffff {
        v as u16
    } else {
        fp::F16_CANONICAL_NAN
    }
}

/// NaN-boxes a half (the upper 48 bits all ones).
pub(super) fn nan_box_h(v: u16) -> u64 {
    0xffff_ffff_ffff_0000 | v as u64
}

impl_fmt!(S, u32, 1 << 31, unbox, nan_box,
    f32_add f32_sub f32_mul f32_div f32_sqrt f32_fma f32_min f32_max f32_eq f32_lt f32_le
    f32_classify f32_to_i32 f32_to_u32 f32_to_i64 f32_to_u64 f32_from_i32 f32_from_u32
    f32_from_i64 f32_from_u64 f32_minm f32_maxm f32_round f32_ltq f32_leq);
impl_fmt!(D, u64, 1 << 63, |v| v, |v| v,
    f64_add f64_sub f64_mul f64_div f64_sqrt f64_fma f64_min f64_max f64_eq f64_lt f64_le
    f64_classify f64_to_i32 f64_to_u32 f64_to_i64 f64_to_u64 f64_from_i32 f64_from_u32
    f64_from_i64 f64_from_u64 f64_minm f64_maxm f64_round f64_ltq f64_leq);
impl_fmt!(Half, u16, 1 << 15, unbox_h, nan_box_h,
    f16_add f16_sub f16_mul f16_div f16_sqrt f16_fma f16_min f16_max f16_eq f16_lt f16_le
    f16_classify f16_to_i32 f16_to_u32 f16_to_i64 f16_to_u64 f16_from_i32 f16_from_u32
    f16_from_i64 f16_from_u64 f16_minm f16_maxm f16_round f16_ltq f16_leq);

/// The rounding mode an instruction uses: its static field, or `frm` for DYN (7).
/// Reserved encodings are illegal instructions.
pub(super) fn rounding(h: &Hart, i: &Insn) -> std::result::Result<Rm, Trap> {
    let rm = if i.rm == 7 { h.frm } else { i.rm };
    Rm::from_bits(rm).ok_or(Trap::Illegal)
}

pub(super) type Bin<F> = fn(<F as Fmt>::Bits, <F as Fmt>::Bits, Rm, &mut u8) -> <F as Fmt>::Bits;

pub(super) fn arith<F: Fmt>(h: &mut Hart, i: &Insn, op: Bin<F>) -> Result {
    let rm = rounding(h, i)?;
    let v = op(F::read(h, i.rs1), F::read(h, i.rs2), rm, &mut h.fflags);
    F::write(h, i.rd, v);
    Ok(())
}

/// Fused multiply-add; `neg_prod`/`neg_add` give the fmsub/fnmsub/fnmadd variants.
pub(super) fn fused<F: Fmt>(h: &mut Hart, i: &Insn, neg_prod: bool, neg_add: bool) -> Result {
    let rm = rounding(h, i)?;
    let flip = |v: F::Bits, on: bool| if on { v ^ F::SIGN } else { v };
    let a = flip(F::read(h, i.rs1), neg_prod);
    let c = flip(F::read(h, i.rs3), neg_add);
    let v = F::fma(a, F::read(h, i.rs2), c, rm, &mut h.fflags);
    F::write(h, i.rd, v);
    Ok(())
}

pub(super) fn sqrt<F: Fmt>(h: &mut Hart, i: &Insn) -> Result {
    let rm = rounding(h, i)?;
    let v = F::sqrt(F::read(h, i.rs1), rm, &mut h.fflags);
    F::write(h, i.rd, v);
    Ok(())
}

/// Sign injection: the sign comes from `sign(a, b)`, the rest from `a`.
pub(super) fn sgnj<F: Fmt>(
    h: &mut Hart,
    i: &Insn,
    sign: fn(F::Bits, F::Bits) -> F::Bits,
) -> Result {
    let (a, b) = (F::read(h, i.rs1), F::read(h, i.rs2));
    F::write(h, i.rd, (a & F::not(F::SIGN)) ^ (sign(a, b) & F::SIGN));
    Ok(())
}

pub(super) fn minmax<F: Fmt>(
    h: &mut Hart,
    i: &Insn,
    op: fn(F::Bits, F::Bits, &mut u8) -> F::Bits,
) -> Result {
    let v = op(F::read(h, i.rs1), F::read(h, i.rs2), &mut h.fflags);
    F::write(h, i.rd, v);
    Ok(())
}

pub(super) fn compare<F: Fmt>(
    h: &mut Hart,
    i: &Insn,
    op: fn(F::Bits, F::Bits, &mut u8) -> bool,
) -> Result {
    let v = op(F::read(h, i.rs1), F::read(h, i.rs2), &mut h.fflags);
    h.set(i.rd, v as u64);
    Ok(())
}

/// FP to integer; `widen` turns the integer result into the 64-bit register value.
pub(super) fn to_int<F: Fmt, T>(
    h: &mut Hart,
    i: &Insn,
    op: fn(F::Bits, Rm, &mut u8) -> T,
    widen: fn(T) -> u64,
) -> Result {
    let rm = rounding(h, i)?;
    let v = op(F::read(h, i.rs1), rm, &mut h.fflags);
    h.set(i.rd, widen(v));
    Ok(())
}

/// Integer to FP; `narrow` picks the source operand out of the register.
pub(super) fn from_int<F: Fmt, T>(
    h: &mut Hart,
    i: &Insn,
    narrow: fn(u64) -> T,
    op: fn(T, Rm, &mut u8) -> F::Bits,
) -> Result {
    let rm = rounding(h, i)?;
    let v = op(narrow(h.get(i.rs1)), rm, &mut h.fflags);
    F::write(h, i.rd, v);
    Ok(())
}

pub(super) fn classify<F: Fmt>(h: &mut Hart, i: &Insn) -> Result {
    let v = F::classify(F::read(h, i.rs1));
    h.set(i.rd, v);
    Ok(())
}

type H = Hart;
type M = Mem;

pub fn flw(h: &mut H, m: &mut M, i: &Insn) -> Result {
    let v = u32::from_le_bytes(m.load(ea(h, i))?);
    h.f[i.rd as usize & 31] = nan_box(v);
    Ok(())
}
pub fn fld(h: &mut H, m: &mut M, i: &Insn) -> Result {
    h.f[i.rd as usize & 31] = u64::from_le_bytes(m.load(ea(h, i))?);
    Ok(())
}
pub fn fsw(h: &mut H, m: &mut M, i: &Insn) -> Result {
    m.store(ea(h, i), (h.f[i.rs2 as usize & 31] as u32).to_le_bytes())
}
pub fn fsd(h: &mut H, m: &mut M, i: &Insn) -> Result {
    m.store(ea(h, i), h.f[i.rs2 as usize & 31].to_le_bytes())
}

pub fn fadd_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<S>(h, i, S::add)
}
pub fn fsub_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<S>(h, i, S::sub)
}
pub fn fmul_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<S>(h, i, S::mul)
}
pub fn fdiv_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<S>(h, i, S::div)
}
pub fn fsqrt_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sqrt::<S>(h, i)
}
pub fn fmadd_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<S>(h, i, false, false)
}
pub fn fmsub_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<S>(h, i, false, true)
}
pub fn fnmsub_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<S>(h, i, true, false)
}
pub fn fnmadd_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<S>(h, i, true, true)
}
pub fn fsgnj_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sgnj::<S>(h, i, |_, b| b)
}
pub fn fsgnjn_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sgnj::<S>(h, i, |_, b| !b)
}
pub fn fsgnjx_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sgnj::<S>(h, i, |a, b| a ^ b)
}
pub fn fmin_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<S>(h, i, S::min)
}
pub fn fmax_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<S>(h, i, S::max)
}
pub fn feq_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<S>(h, i, S::eq)
}
pub fn flt_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<S>(h, i, S::lt)
}
pub fn fle_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<S>(h, i, S::le)
}
pub fn fclass_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    classify::<S>(h, i)
}
pub fn fcvt_w_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<S, _>(h, i, S::to_i32, |v| v as i64 as u64)
}
pub fn fcvt_wu_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<S, _>(h, i, S::to_u32, |v| v as i32 as i64 as u64)
}
pub fn fcvt_l_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<S, _>(h, i, S::to_i64, |v| v as u64)
}
pub fn fcvt_lu_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<S, _>(h, i, S::to_u64, |v| v)
}
pub fn fcvt_s_w(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<S, _>(h, i, |v| v as i32, S::from_i32)
}
pub fn fcvt_s_wu(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<S, _>(h, i, |v| v as u32, S::from_u32)
}
pub fn fcvt_s_l(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<S, _>(h, i, |v| v as i64, S::from_i64)
}
pub fn fcvt_s_lu(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<S, _>(h, i, |v| v, S::from_u64)
}

pub fn fadd_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<D>(h, i, D::add)
}
pub fn fsub_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<D>(h, i, D::sub)
}
pub fn fmul_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<D>(h, i, D::mul)
}
pub fn fdiv_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<D>(h, i, D::div)
}
pub fn fsqrt_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sqrt::<D>(h, i)
}
pub fn fmadd_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<D>(h, i, false, false)
}
pub fn fmsub_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<D>(h, i, false, true)
}
pub fn fnmsub_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<D>(h, i, true, false)
}
pub fn fnmadd_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<D>(h, i, true, true)
}
pub fn fsgnj_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sgnj::<D>(h, i, |_, b| b)
}
pub fn fsgnjn_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sgnj::<D>(h, i, |_, b| !b)
}
pub fn fsgnjx_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sgnj::<D>(h, i, |a, b| a ^ b)
}
pub fn fmin_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<D>(h, i, D::min)
}
pub fn fmax_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<D>(h, i, D::max)
}
pub fn feq_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<D>(h, i, D::eq)
}
pub fn flt_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<D>(h, i, D::lt)
}
pub fn fle_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<D>(h, i, D::le)
}
pub fn fclass_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    classify::<D>(h, i)
}
pub fn fcvt_w_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<D, _>(h, i, D::to_i32, |v| v as i64 as u64)
}
pub fn fcvt_wu_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<D, _>(h, i, D::to_u32, |v| v as i32 as i64 as u64)
}
pub fn fcvt_l_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<D, _>(h, i, D::to_i64, |v| v as u64)
}
pub fn fcvt_lu_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<D, _>(h, i, D::to_u64, |v| v)
}
pub fn fcvt_d_w(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<D, _>(h, i, |v| v as i32, D::from_i32)
}
pub fn fcvt_d_wu(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<D, _>(h, i, |v| v as u32, D::from_u32)
}
pub fn fcvt_d_l(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<D, _>(h, i, |v| v as i64, D::from_i64)
}
pub fn fcvt_d_lu(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<D, _>(h, i, |v| v, D::from_u64)
}

pub fn fcvt_s_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    let rm = rounding(h, i)?;
    let v = fp::f64_to_f32(D::read(h, i.rs1), rm, &mut h.fflags);
    S::write(h, i.rd, v);
    Ok(())
}
pub fn fcvt_d_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    rounding(h, i)?;
    let v = fp::f32_to_f64(S::read(h, i.rs1), &mut h.fflags);
    D::write(h, i.rd, v);
    Ok(())
}

pub fn fmv_x_w(h: &mut H, _: &mut M, i: &Insn) -> Result {
    h.set(i.rd, sext32(h.f[i.rs1 as usize & 31]));
    Ok(())
}
pub fn fmv_w_x(h: &mut H, _: &mut M, i: &Insn) -> Result {
    h.f[i.rd as usize & 31] = nan_box(h.get(i.rs1) as u32);
    Ok(())
}
pub fn fmv_x_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    h.set(i.rd, h.f[i.rs1 as usize & 31]);
    Ok(())
}
pub fn fmv_d_x(h: &mut H, _: &mut M, i: &Insn) -> Result {
    h.f[i.rd as usize & 31] = h.get(i.rs1);
    Ok(())
}
