//! Bit manipulation and friends: Zba, Zbb, Zbs, Zbc, Zbkb, Zbkx and Zicond (RV64).

use super::{sext32, Result};
use crate::hart::Hart;
use crate::isa::Insn;
use crate::mem::Mem;

/// The low 32 bits, zero-extended (the `.uw` operand).
fn uw(v: u64) -> u64 {
    v as u32 as u64
}

/// The 128-bit carry-less product of `a` and `b`.
fn clmul128(a: u64, b: u64) -> u128 {
    (0..64)
        .filter(|k| b >> k & 1 != 0)
        .fold(0, |acc, k| acc ^ (a as u128) << k)
}

/// Each byte of `v` becomes 0xff if it was non-zero, else 0x00.
fn orc_bytes(v: u64) -> u64 {
    u64::from_le_bytes(v.to_le_bytes().map(|b| if b != 0 { 0xff } else { 0 }))
}

/// Looks up each `w`-bit lane of `idx` as a lane number of `table` (0 when out of range).
fn xperm(table: u64, idx: u64, w: u32) -> u64 {
    let mask = (1u64 << w) - 1;
    (0..64 / w).fold(0, |acc, lane| {
        let k = (idx >> (lane * w)) & mask;
        let v = if k < (64 / w) as u64 {
            (table >> (k as u32 * w)) & mask
        } else {
            0
        };
        acc | v << (lane * w)
    })
}

// ---- Zba ---------------------------------------------------------------------------
alu! {
    add_uw(a, b) => uw(a).wrapping_add(b);
    sh1add(a, b) => (a << 1).wrapping_add(b);
    sh2add(a, b) => (a << 2).wrapping_add(b);
    sh3add(a, b) => (a << 3).wrapping_add(b);
    sh1add_uw(a, b) => (uw(a) << 1).wrapping_add(b);
    sh2add_uw(a, b) => (uw(a) << 2).wrapping_add(b);
    sh3add_uw(a, b) => (uw(a) << 3).wrapping_add(b);
}

alu! {
    slli_uw(a, b, imm) => uw(a) << (b & 63);
    rori(a, b, imm) => a.rotate_right(b as u32 & 63);
    roriw(a, b, imm) => sext32((a as u32).rotate_right(b as u32 & 31) as u64);
    bclri(a, b, imm) => a & !(1 << (b & 63));
    bexti(a, b, imm) => a >> (b & 63) & 1;
    binvi(a, b, imm) => a ^ 1 << (b & 63);
    bseti(a, b, imm) => a | 1 << (b & 63);
}

// ---- Zbb ---------------------------------------------------------------------------
alu! {
    andn(a, b) => a & !b;
    orn(a, b) => a | !b;
    xnor(a, b) => !(a ^ b);
    max(a, b) => (a as i64).max(b as i64) as u64;
    maxu(a, b) => a.max(b);
    min(a, b) => (a as i64).min(b as i64) as u64;
    minu(a, b) => a.min(b);
    rol(a, b) => a.rotate_left(b as u32 & 63);
    ror(a, b) => a.rotate_right(b as u32 & 63);
    rolw(a, b) => sext32((a as u32).rotate_left(b as u32 & 31) as u64);
    rorw(a, b) => sext32((a as u32).rotate_right(b as u32 & 31) as u64);
}

alu! {
    clz(a) => a.leading_zeros() as u64;
    clzw(a) => (a as u32).leading_zeros() as u64;
    ctz(a) => a.trailing_zeros() as u64;
    ctzw(a) => (a as u32).trailing_zeros() as u64;
    cpop(a) => a.count_ones() as u64;
    cpopw(a) => (a as u32).count_ones() as u64;
    sext_b(a) => a as i8 as i64 as u64;
    sext_h(a) => a as i16 as i64 as u64;
    orc_b(a) => orc_bytes(a);
    rev8(a) => a.swap_bytes();
    brev8(a) => a.reverse_bits().swap_bytes();
}

// ---- Zbs, Zbc, Zicond, Zbkb, Zbkx --------------------------------------------------
alu! {
    bclr(a, b) => a & !(1 << (b & 63));
    bext(a, b) => a >> (b & 63) & 1;
    binv(a, b) => a ^ 1 << (b & 63);
    bset(a, b) => a | 1 << (b & 63);
    clmul(a, b) => clmul128(a, b) as u64;
    clmulh(a, b) => (clmul128(a, b) >> 64) as u64;
    clmulr(a, b) => (clmul128(a, b) >> 63) as u64;
    czero_eqz(a, b) => if b == 0 { 0 } else { a };
    czero_nez(a, b) => if b != 0 { 0 } else { a };
    pack(a, b) => uw(a) | b << 32;
    packh(a, b) => (a & 0xff) | (b & 0xff) << 8;
    packw(a, b) => sext32((a & 0xffff) | (b & 0xffff) << 16);
    xperm4(a, b) => xperm(a, b, 4);
    xperm8(a, b) => xperm(a, b, 8);
}
