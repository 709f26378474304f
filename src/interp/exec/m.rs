//! M: integer multiply and divide (division by zero and overflow never trap).

use super::{sext32, Result};
use crate::hart::Hart;
use crate::isa::Insn;
use crate::mem::Mem;

alu! {
    mul(a, b) => a.wrapping_mul(b);
    mulh(a, b) => ((a as i64 as i128 * b as i64 as i128) >> 64) as u64;
    mulhsu(a, b) => ((a as i64 as i128).wrapping_mul(b as i128) >> 64) as u64;
    mulhu(a, b) => ((a as u128 * b as u128) >> 64) as u64;
    div(a, b) => if b == 0 { u64::MAX } else { (a as i64).wrapping_div(b as i64) as u64 };
    divu(a, b) => a.checked_div(b).unwrap_or(u64::MAX);
    rem(a, b) => if b == 0 { a } else { (a as i64).wrapping_rem(b as i64) as u64 };
    remu(a, b) => if b == 0 { a } else { a % b };
    mulw(a, b) => sext32(a.wrapping_mul(b));
    divw(a, b) => if b as u32 == 0 { u64::MAX } else { (a as i32).wrapping_div(b as i32) as i64 as u64 };
    divuw(a, b) => sext32((a as u32).checked_div(b as u32).unwrap_or(u32::MAX) as u64);
    remw(a, b) => if b as u32 == 0 { sext32(a) } else { (a as i32).wrapping_rem(b as i32) as i64 as u64 };
    remuw(a, b) => if b as u32 == 0 { sext32(a) } else { sext32((a as u32 % b as u32) as u64) };
}
