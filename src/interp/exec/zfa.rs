//! Zfa: immediate loads (`fli`), IEEE 754-2019 minimum/maximum (`fminm`/`fmaxm`),
//! round to integral (`fround`/`froundnx`), quiet comparisons (`fltq`/`fleq`) and the
//! modular conversion `fcvtmod.w.d`, for single, double and (with Zfh) half precision.
//!
//! The RV32-only moves `fmvh.x.d`/`fmvp.d.x` have no rows: on RV64 they are illegal.

use super::f::{compare, minmax, rounding, Fmt, Half, D, S};
use super::Result;
use crate::hart::Hart;
use crate::interp::fp::{self, Rm};
use crate::isa::Insn;
use crate::mem::Mem;

type H = Hart;
type M = Mem;

fn fli<F: Fmt>(h: &mut H, i: &Insn, convert: fn(f64) -> F::Bits, min: F::Bits, nan: F::Bits) {
    let v = match i.rs1 & 31 {
        1 => min,
        31 => nan,
        k => convert(crate::isa::FLI[k as usize]),
    };
    F::write(h, i.rd, v);
}

pub fn fli_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    // Every entry is exact in binary32.
    fli::<S>(
        h,
        i,
        |v| (v as f32).to_bits(),
        0x0080_0000,
        fp::F32_CANONICAL_NAN,
    );
    Ok(())
}
pub fn fli_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    fli::<D>(
        h,
        i,
        f64::to_bits,
        0x0010_0000_0000_0000,
        fp::F64_CANONICAL_NAN,
    );
    Ok(())
}
pub fn fli_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    // 2^-16 and 2^-15 are subnormal halves (exact); 2^16 rounds to +inf, as the spec
    // says entry 29 loads. fli never sets flags.
    let to_half = |v: f64| fp::f64_to_f16(v.to_bits(), Rm::Rne, &mut 0);
    fli::<Half>(h, i, to_half, 0x0400, fp::F16_CANONICAL_NAN);
    Ok(())
}

/// fround/froundnx: the rounding mode is the instruction's (or `frm` for DYN).
fn round<F: Fmt>(h: &mut H, i: &Insn, exact: bool) -> Result {
    let rm = rounding(h, i)?;
    let v = F::round(F::read(h, i.rs1), rm, exact, &mut h.fflags);
    F::write(h, i.rd, v);
    Ok(())
}

pub fn fminm_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<S>(h, i, S::minm)
}
pub fn fmaxm_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<S>(h, i, S::maxm)
}
pub fn fminm_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<D>(h, i, D::minm)
}
pub fn fmaxm_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<D>(h, i, D::maxm)
}
pub fn fminm_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<Half>(h, i, Half::minm)
}
pub fn fmaxm_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    minmax::<Half>(h, i, Half::maxm)
}
pub fn fround_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    round::<S>(h, i, false)
}
pub fn froundnx_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    round::<S>(h, i, true)
}
pub fn fround_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    round::<D>(h, i, false)
}
pub fn froundnx_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    round::<D>(h, i, true)
}
pub fn fround_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    round::<Half>(h, i, false)
}
pub fn froundnx_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    round::<Half>(h, i, true)
}
/// The row fixes rm to RTZ (other values are reserved and do not decode).
pub fn fcvtmod_w_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    let v = fp::f64_to_i32_mod(D::read(h, i.rs1), &mut h.fflags);
    h.set(i.rd, v as i64 as u64);
    Ok(())
}
pub fn fleq_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<S>(h, i, S::leq)
}
pub fn fltq_s(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<S>(h, i, S::ltq)
}
pub fn fleq_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<D>(h, i, D::leq)
}
pub fn fltq_d(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<D>(h, i, D::ltq)
}
pub fn fleq_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<Half>(h, i, Half::leq)
}
pub fn fltq_h(h: &mut H, _: &mut M, i: &Insn) -> Result {
    compare::<Half>(h, i, Half::ltq)
}
