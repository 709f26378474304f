//! Zfh and Zfhmin: half-precision loads, stores, moves, conversions and arithmetic.
//!
//! The generic operations and the NaN-boxing of halves (upper 48 bits all ones, else
//! the value reads as the canonical NaN 0x7e00) come from `f.rs`; the IEEE arithmetic
//! is `interp::fp`. Zfhmin's subset is the first block below (loads, stores, moves and
//! the conversions to and from single and double).

use super::f::{
    arith, classify, compare, from_int, fused, minmax, nan_box_h, rounding, sgnj, sqrt, to_int,
    Fmt, Half, D, S,
};
use super::{ea, Result};
use crate::hart::Hart;
use crate::interp::fp;
use crate::isa::Insn;
use crate::mem::Mem;

type H = Hart;
type M = Mem;

// ---- Zfhmin ---------------------------------------------------------------------------

pub fn flh(h: &mut H, m: &mut M, i: &Insn) -> Result {
    let v = u16::from_le_bytes(m.load(ea(h, i))?);
    h.f[i.rd as usize & 31] = nan_box_h(v);
    Ok(())
}
pub fn fsh(h: &mut H, m: &mut M, i: &Insn) -> Result {
    m.store(ea(h, i), (h.f[i.rs2 as usize & 31] as u16).to_le_bytes())
}
/// Moves the raw low 16 bits (no NaN-box check), sign-extended.
pub fn fmv_x_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    h.set(i.rd, h.f[i.rs1 as usize & 31] as u16 as i16 as i64 as u64);
    Ok(())
}
pub fn fmv_h_x(h: &mut H, _: &mut M, i: &Insn) -> Result {
    h.f[i.rd as usize & 31] = nan_box_h(h.get(i.rs1) as u16);
    Ok(())
}
// Widening conversions are exact, but a reserved rm is still illegal (as fcvt.d.s).
pub fn fcvt_s_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    rounding(h, i)?;
    let v = fp::f16_to_f32(Half::read(h, i.rs1), &mut h.fflags);
    S::write(h, i.rd, v);
    Ok(())
}
pub fn fcvt_d_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    rounding(h, i)?;
    let v = fp::f16_to_f64(Half::read(h, i.rs1), &mut h.fflags);
    D::write(h, i.rd, v);
    Ok(())
}
pub fn fcvt_h_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    let rm = rounding(h, i)?;
    let v = fp::f32_to_f16(S::read(h, i.rs1), rm, &mut h.fflags);
    Half::write(h, i.rd, v);
    Ok(())
}
pub fn fcvt_h_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    let rm = rounding(h, i)?;
    let v = fp::f64_to_f16(D::read(h, i.rs1), rm, &mut h.fflags);
    Half::write(h, i.rd, v);
    Ok(())
}

// ---- Zfh ------------------------------------------------------------------------------

pub fn fadd_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<Half>(h, i, Half::add)
}
pub fn fsub_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<Half>(h, i, Half::sub)
}
pub fn fmul_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<Half>(h, i, Half::mul)
}
pub fn fdiv_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    arith::<Half>(h, i, Half::div)
}
pub fn fsqrt_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sqrt::<Half>(h, i)
}
pub fn fmadd_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<Half>(h, i, false, false)
}
pub fn fmsub_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<Half>(h, i, false, true)
}
pub fn fnmsub_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<Half>(h, i, true, false)
}
pub fn fnmadd_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fused::<Half>(h, i, true, true)
}
pub fn fsgnj_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sgnj::<Half>(h, i, |_, b| b)
}
pub fn fsgnjn_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sgnj::<Half>(h, i, |_, b| !b)
}
pub fn fsgnjx_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    sgnj::<Half>(h, i, |a, b| a ^ b)
}
pub fn fmin_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<Half>(h, i, Half::min)
}
pub fn fmax_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<Half>(h, i, Half::max)
}
pub fn feq_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<Half>(h, i, Half::eq)
}
pub fn flt_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<Half>(h, i, Half::lt)
}
pub fn fle_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<Half>(h, i, Half::le)
}
pub fn fclass_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    classify::<Half>(h, i)
}
pub fn fcvt_w_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<Half, _>(h, i, Half::to_i32, |v| v as i64 as u64)
}
pub fn fcvt_wu_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<Half, _>(h, i, Half::to_u32, |v| v as i32 as i64 as u64)
}
pub fn fcvt_l_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<Half, _>(h, i, Half::to_i64, |v| v as u64)
}
pub fn fcvt_lu_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    to_int::<Half, _>(h, i, Half::to_u64, |v| v)
}
pub fn fcvt_h_w(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<Half, _>(h, i, |v| v as i32, Half::from_i32)
}
pub fn fcvt_h_wu(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<Half, _>(h, i, |v| v as u32, Half::from_u32)
}
pub fn fcvt_h_l(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<Half, _>(h, i, |v| v as i64, Half::from_i64)
}
pub fn fcvt_h_lu(h: &mut H, _: &mut M, i: &Insn) -> Result {
    from_int::<Half, _>(h, i, |v| v, Half::from_u64)
}
