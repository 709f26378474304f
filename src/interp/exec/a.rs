//! A: load-reserved/store-conditional and atomic memory operations.
//!
//! Guest threads run one at a time, so every AMO is trivially atomic; the
//! reservation is dropped by the scheduler on a switch. Misaligned atomics raise
//! SIGBUS as on Linux.

use super::Result;
use crate::hart::{Hart, Trap};
use crate::isa::Insn;
use crate::mem::Mem;

fn aligned(h: &Hart, i: &Insn, size: u64) -> std::result::Result<u64, Trap> {
    let addr = h.get(i.rs1);
    if !addr.is_multiple_of(size) {
        return Err(Trap::Misaligned { addr });
    }
    Ok(addr)
}

pub fn lr_w(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
    let addr = aligned(h, i, 4)?;
    let v = i32::from_le_bytes(m.load(addr)?);
    h.reservation = Some(addr);
    h.set(i.rd, v as i64 as u64);
    Ok(())
}

pub fn lr_d(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
    let addr = aligned(h, i, 8)?;
    let v = u64::from_le_bytes(m.load(addr)?);
    h.reservation = Some(addr);
    h.set(i.rd, v);
    Ok(())
}

pub fn sc_w(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
    let addr = aligned(h, i, 4)?;
    let ok = h.reservation.take() == Some(addr);
    if ok {
        m.store(addr, (h.get(i.rs2) as u32).to_le_bytes())?;
    }
    h.set(i.rd, !ok as u64);
    Ok(())
}

pub fn sc_d(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
    let addr = aligned(h, i, 8)?;
    let ok = h.reservation.take() == Some(addr);
    if ok {
        m.store(addr, h.get(i.rs2).to_le_bytes())?;
    }
    h.set(i.rd, !ok as u64);
    Ok(())
}

macro_rules! amo {
    ($($name:ident: $t:ty, |$old:ident, $src:ident| $e:expr;)*) => {$(
        pub fn $name(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
            let addr = aligned(h, i, std::mem::size_of::<$t>() as u64)?;
            let $old = <$t>::from_le_bytes(m.load(addr)?);
            let $src = h.get(i.rs2) as $t;
            // A store that hits code still counts as done: report it after rd is set.
            let stored = m.store(addr, ($e).to_le_bytes());
            h.set(i.rd, $old as i64 as u64);
            stored
        }
    )*};
}

amo! {
    amoswap_w: i32, |old, src| { let _ = old; src };
    amoadd_w: i32, |old, src| old.wrapping_add(src);
    amoxor_w: i32, |old, src| old ^ src;
    amoand_w: i32, |old, src| old & src;
    amoor_w: i32, |old, src| old | src;
    amomin_w: i32, |old, src| old.min(src);
    amomax_w: i32, |old, src| old.max(src);
    amominu_w: i32, |old, src| (old as u32).min(src as u32) as i32;
    amomaxu_w: i32, |old, src| (old as u32).max(src as u32) as i32;
    amoswap_d: i64, |old, src| { let _ = old; src };
    amoadd_d: i64, |old, src| old.wrapping_add(src);
    amoxor_d: i64, |old, src| old ^ src;
    amoand_d: i64, |old, src| old & src;
    amoor_d: i64, |old, src| old | src;
    amomin_d: i64, |old, src| old.min(src);
    amomax_d: i64, |old, src| old.max(src);
    amominu_d: i64, |old, src| (old as u64).min(src as u64) as i64;
    amomaxu_d: i64, |old, src| (old as u64).max(src as u64) as i64;
}
