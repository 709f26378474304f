//! RV64I: integer computation, loads and stores, jumps and branches, system.

use super::{ea, pc, sext32, Result};
use crate::hart::{Hart, Trap};
use crate::isa::Insn;
use crate::mem::Mem;

alu! {
    addi(a, b, imm) => a.wrapping_add(b);
    slti(a, b, imm) => ((a as i64) < b as i64) as u64;
    sltiu(a, b, imm) => (a < b) as u64;
    xori(a, b, imm) => a ^ b;
    ori(a, b, imm) => a | b;
    andi(a, b, imm) => a & b;
    slli(a, b, imm) => a << (b & 63);
    srli(a, b, imm) => a >> (b & 63);
    srai(a, b, imm) => ((a as i64) >> (b & 63)) as u64;
    addiw(a, b, imm) => sext32(a.wrapping_add(b));
    slliw(a, b, imm) => sext32(a << (b & 31));
    srliw(a, b, imm) => sext32((a as u32 >> (b & 31)) as u64);
    sraiw(a, b, imm) => ((a as i32) >> (b & 31)) as i64 as u64;
}

alu! {
    add(a, b) => a.wrapping_add(b);
    sub(a, b) => a.wrapping_sub(b);
    sll(a, b) => a << (b & 63);
    slt(a, b) => ((a as i64) < b as i64) as u64;
    sltu(a, b) => (a < b) as u64;
    xor(a, b) => a ^ b;
    srl(a, b) => a >> (b & 63);
    sra(a, b) => ((a as i64) >> (b & 63)) as u64;
    or(a, b) => a | b;
    and(a, b) => a & b;
    addw(a, b) => sext32(a.wrapping_add(b));
    subw(a, b) => sext32(a.wrapping_sub(b));
    sllw(a, b) => sext32(a << (b & 31));
    srlw(a, b) => sext32((a as u32 >> (b & 31)) as u64);
    sraw(a, b) => ((a as i32) >> (b & 31)) as i64 as u64;
}

pub fn lui(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    h.set(i.rd, i.imm as i64 as u64);
    Ok(())
}

pub fn auipc(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    h.set(i.rd, pc(h, i).wrapping_add(i.imm as i64 as u64));
    Ok(())
}

pub fn jal(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    let here = pc(h, i);
    let target = here.wrapping_add(i.imm as i64 as u64);
    h.set(i.rd, here.wrapping_add(i.len as u64));
    h.pc = target;
    Ok(())
}

pub fn jalr(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    let target = ea(h, i) & !1;
    h.set(i.rd, pc(h, i).wrapping_add(i.len as u64));
    h.pc = target;
    Ok(())
}

macro_rules! branch {
    ($($name:ident($a:ident, $b:ident) => $cond:expr;)*) => {$(
        pub fn $name(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
            let ($a, $b) = (h.get(i.rs1), h.get(i.rs2));
            let offset = if $cond { i.imm as i64 as u64 } else { i.len as u64 };
            h.pc = pc(h, i).wrapping_add(offset);
            Ok(())
        }
    )*};
}

branch! {
    beq(a, b) => a == b;
    bne(a, b) => a != b;
    blt(a, b) => (a as i64) < (b as i64);
    bge(a, b) => (a as i64) >= (b as i64);
    bltu(a, b) => a < b;
    bgeu(a, b) => a >= b;
}

macro_rules! load {
    ($($name:ident: $t:ty;)*) => {$(
        pub fn $name(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
            let v = <$t>::from_le_bytes(m.load(ea(h, i))?);
            h.set(i.rd, v as i64 as u64);
            Ok(())
        }
    )*};
}

load! { lb: i8; lh: i16; lw: i32; ld: i64; lbu: u8; lhu: u16; lwu: u32; }

macro_rules! store {
    ($($name:ident: $t:ty;)*) => {$(
        pub fn $name(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
            m.store(ea(h, i), (h.get(i.rs2) as $t).to_le_bytes())
        }
    )*};
}

store! { sb: u8; sh: u16; sw: u32; sd: u64; }

pub fn fence(_: &mut Hart, _: &mut Mem, _: &Insn) -> Result {
    Ok(())
}

pub fn fence_i(_: &mut Hart, _: &mut Mem, _: &Insn) -> Result {
    Err(Trap::FenceI)
}

pub fn ecall(_: &mut Hart, _: &mut Mem, _: &Insn) -> Result {
    Err(Trap::Ecall)
}

pub fn ebreak(_: &mut Hart, _: &mut Mem, _: &Insn) -> Result {
    Err(Trap::Ebreak)
}
