//! The small extensions: cache-block operations (Zicbom, Zicboz), may-be-operations
//! (Zimop) and wait-on-reservation-set (Zawrs), as Linux user programs see them.

use super::Result;
use crate::hart::{Hart, Trap};
use crate::isa::Insn;
use crate::mem::Mem;

/// Cache-block size in bytes (what `riscv_hwprobe` reports).
pub const CACHE_BLOCK: u64 = 64;

fn block(h: &Hart, i: &Insn) -> u64 {
    h.get(i.rs1) & !(CACHE_BLOCK - 1)
}

/// Clean and flush have no visible effect on a coherent machine, but still fault on an
/// address the program may not access.
pub fn cbo_clean(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
    m.load::<1>(block(h, i)).map(drop)
}

pub fn cbo_flush(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
    m.load::<1>(block(h, i)).map(drop)
}

/// Linux leaves `senvcfg.CBIE` clear, so invalidation is illegal in user mode.
pub fn cbo_inval(_: &mut Hart, _: &mut Mem, _: &Insn) -> Result {
    Err(Trap::Illegal)
}

pub fn cbo_zero(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
    m.store(block(h, i), [0u8; CACHE_BLOCK as usize])
}

/// Unassigned may-be-operations write zero to `rd`.
pub fn mop_r(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    h.set(i.rd, 0);
    Ok(())
}

pub fn mop_rr(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    h.set(i.rd, 0);
    Ok(())
}

/// Waiting for a reservation to be lost may end at once; with green threads another
/// thread only runs at the next scheduling point anyway.
pub fn wrs_nto(_: &mut Hart, _: &mut Mem, _: &Insn) -> Result {
    Ok(())
}

pub fn wrs_sto(_: &mut Hart, _: &mut Mem, _: &Insn) -> Result {
    Ok(())
}
