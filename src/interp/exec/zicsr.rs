//! Zicsr (+ Zicntr): the user-level CSRs `fflags`, `frm`, `fcsr`, `cycle`, `time`,
//! `instret`. Anything else, or a write to a read-only counter, is illegal.

use super::Result;
use crate::hart::{Hart, Trap};
use crate::isa::{csr, Insn};
use crate::mem::Mem;
use std::sync::OnceLock;
use std::time::Instant;

/// `time` ticks at 10 MHz, the timebase Linux reports for common riscv64 boards.
pub const TIME_FREQ: u64 = 10_000_000;

fn time_now() -> u64 {
    static START: OnceLock<Instant> = OnceLock::new();
    let ns = START.get_or_init(Instant::now).elapsed().as_nanos();
    (ns / (1_000_000_000 / TIME_FREQ as u128)) as u64
}

fn read(h: &Hart, c: u16) -> std::result::Result<u64, Trap> {
    Ok(match c {
        csr::FFLAGS => h.fflags as u64,
        csr::FRM => h.frm as u64,
        csr::FCSR => ((h.frm as u64) << 5) | h.fflags as u64,
        csr::CYCLE | csr::INSTRET => h.instret,
        csr::TIME => time_now(),
        _ => return Err(Trap::Illegal),
    })
}

fn write(h: &mut Hart, c: u16, v: u64) -> Result {
    match c {
        csr::FFLAGS => h.fflags = (v & 0x1f) as u8,
        csr::FRM => h.frm = (v & 7) as u8,
        csr::FCSR => {
            h.fflags = (v & 0x1f) as u8;
            h.frm = ((v >> 5) & 7) as u8;
        }
        _ => return Err(Trap::Illegal),
    }
    Ok(())
}

/// Shared body: `new` maps the old value to the value to write, or `None` for no write.
fn access(h: &mut Hart, i: &Insn, new: impl FnOnce(u64) -> Option<u64>) -> Result {
    let c = i.imm as u16;
    let old = read(h, c)?;
    if let Some(v) = new(old) {
        write(h, c, v)?;
    }
    h.set(i.rd, old);
    Ok(())
}

pub fn csrrw(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    let v = h.get(i.rs1);
    access(h, i, |_| Some(v))
}

pub fn csrrs(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    let (v, write) = (h.get(i.rs1), i.rs1 != 0);
    access(h, i, |old| write.then_some(old | v))
}

pub fn csrrc(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    let (v, write) = (h.get(i.rs1), i.rs1 != 0);
    access(h, i, |old| write.then_some(old & !v))
}

pub fn csrrwi(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    let v = i.rs1 as u64;
    access(h, i, |_| Some(v))
}

pub fn csrrsi(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    let v = i.rs1 as u64;
    access(h, i, |old| (v != 0).then_some(old | v))
}

pub fn csrrci(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
    let v = i.rs1 as u64;
    access(h, i, |old| (v != 0).then_some(old & !v))
}
