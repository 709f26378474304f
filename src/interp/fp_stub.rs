//! TEMPORARY host-float approximation (to be replaced by the exact fp module).
#![allow(missing_docs, dead_code)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)] #[repr(u8)] pub enum Rm { Rne = 0, Rtz = 1, Rdn = 2, Rup = 3, Rmm = 4 }
impl Rm { pub fn from_bits(b: u8) -> Option<Rm> { Some(match b { 0 => Rm::Rne, 1 => Rm::Rtz, 2 => Rm::Rdn, 3 => Rm::Rup, 4 => Rm::Rmm, _ => return None }) } }
pub const F32_CANONICAL_NAN: u32 = 0x7fc0_0000; pub const F64_CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;
fn f32c(x: f32) -> u32 { if x.is_nan() { F32_CANONICAL_NAN } else { x.to_bits() } }
pub fn f32_add(a: u32, b: u32, _: Rm, _: &mut u8) -> u32 { f32c(f32::from_bits(a) + f32::from_bits(b)) }
pub fn f32_sub(a: u32, b: u32, _: Rm, _: &mut u8) -> u32 { f32c(f32::from_bits(a) - f32::from_bits(b)) }
pub fn f32_mul(a: u32, b: u32, _: Rm, _: &mut u8) -> u32 { f32c(f32::from_bits(a) * f32::from_bits(b)) }
pub fn f32_div(a: u32, b: u32, _: Rm, _: &mut u8) -> u32 { f32c(f32::from_bits(a) / f32::from_bits(b)) }
pub fn f32_sqrt(a: u32, _: Rm, _: &mut u8) -> u32 { f32c(f32::from_bits(a).sqrt()) }
pub fn f32_fma(a: u32, b: u32, c: u32, _: Rm, _: &mut u8) -> u32 { f32c(f32::from_bits(a).mul_add(f32::from_bits(b), f32::from_bits(c))) }
pub fn f32_min(a: u32, b: u32, _: &mut u8) -> u32 { f32c(f32::from_bits(a).min(f32::from_bits(b))) }
pub fn f32_max(a: u32, b: u32, _: &mut u8) -> u32 { f32c(f32::from_bits(a).max(f32::from_bits(b))) }
pub fn f32_eq(a: u32, b: u32, _: &mut u8) -> bool { f32::from_bits(a) == f32::from_bits(b) }
pub fn f32_lt(a: u32, b: u32, _: &mut u8) -> bool { f32::from_bits(a) < f32::from_bits(b) }
pub fn f32_le(a: u32, b: u32, _: &mut u8) -> bool { f32::from_bits(a) <= f32::from_bits(b) }
pub fn f32_classify(_: u32) -> u64 { 0 }
pub fn f32_to_i32(a: u32, _: Rm, _: &mut u8) -> i32 { f32::from_bits(a) as i32 }
pub fn f32_from_i32(v: i32, _: Rm, _: &mut u8) -> u32 { (v as f32).to_bits() }
pub fn f32_to_u32(a: u32, _: Rm, _: &mut u8) -> u32 { f32::from_bits(a) as u32 }
pub fn f32_from_u32(v: u32, _: Rm, _: &mut u8) -> u32 { (v as f32).to_bits() }
pub fn f32_to_i64(a: u32, _: Rm, _: &mut u8) -> i64 { f32::from_bits(a) as i64 }
pub fn f32_from_i64(v: i64, _: Rm, _: &mut u8) -> u32 { (v as f32).to_bits() }
pub fn f32_to_u64(a: u32, _: Rm, _: &mut u8) -> u64 { f32::from_bits(a) as u64 }
pub fn f32_from_u64(v: u64, _: Rm, _: &mut u8) -> u32 { (v as f32).to_bits() }
fn f64c(x: f64) -> u64 { if x.is_nan() { F64_CANONICAL_NAN } else { x.to_bits() } }
pub fn f64_add(a: u64, b: u64, _: Rm, _: &mut u8) -> u64 { f64c(f64::from_bits(a) + f64::from_bits(b)) }
pub fn f64_sub(a: u64, b: u64, _: Rm, _: &mut u8) -> u64 { f64c(f64::from_bits(a) - f64::from_bits(b)) }
pub fn f64_mul(a: u64, b: u64, _: Rm, _: &mut u8) -> u64 { f64c(f64::from_bits(a) * f64::from_bits(b)) }
pub fn f64_div(a: u64, b: u64, _: Rm, _: &mut u8) -> u64 { f64c(f64::from_bits(a) / f64::from_bits(b)) }
pub fn f64_sqrt(a: u64, _: Rm, _: &mut u8) -> u64 { f64c(f64::from_bits(a).sqrt()) }
pub fn f64_fma(a: u64, b: u64, c: u64, _: Rm, _: &mut u8) -> u64 { f64c(f64::from_bits(a).mul_add(f64::from_bits(b), f64::from_bits(c))) }
pub fn f64_min(a: u64, b: u64, _: &mut u8) -> u64 { f64c(f64::from_bits(a).min(f64::from_bits(b))) }
pub fn f64_max(a: u64, b: u64, _: &mut u8) -> u64 { f64c(f64::from_bits(a).max(f64::from_bits(b))) }
pub fn f64_eq(a: u64, b: u64, _: &mut u8) -> bool { f64::from_bits(a) == f64::from_bits(b) }
pub fn f64_lt(a: u64, b: u64, _: &mut u8) -> bool { f64::from_bits(a) < f64::from_bits(b) }
pub fn f64_le(a: u64, b: u64, _: &mut u8) -> bool { f64::from_bits(a) <= f64::from_bits(b) }
pub fn f64_classify(_: u64) -> u64 { 0 }
pub fn f64_to_i32(a: u64, _: Rm, _: &mut u8) -> i32 { f64::from_bits(a) as i32 }
pub fn f64_from_i32(v: i32, _: Rm, _: &mut u8) -> u64 { (v as f64).to_bits() }
pub fn f64_to_u32(a: u64, _: Rm, _: &mut u8) -> u32 { f64::from_bits(a) as u32 }
pub fn f64_from_u32(v: u32, _: Rm, _: &mut u8) -> u64 { (v as f64).to_bits() }
pub fn f64_to_i64(a: u64, _: Rm, _: &mut u8) -> i64 { f64::from_bits(a) as i64 }
pub fn f64_from_i64(v: i64, _: Rm, _: &mut u8) -> u64 { (v as f64).to_bits() }
pub fn f64_to_u64(a: u64, _: Rm, _: &mut u8) -> u64 { f64::from_bits(a) as u64 }
pub fn f64_from_u64(v: u64, _: Rm, _: &mut u8) -> u64 { (v as f64).to_bits() }
pub fn f32_to_f64(a: u32, _: &mut u8) -> u64 { (f32::from_bits(a) as f64).to_bits() }
pub fn f64_to_f32(a: u64, _: Rm, _: &mut u8) -> u32 { (f64::from_bits(a) as f32).to_bits() }
