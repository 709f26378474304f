//! Instruction semantics: one handler per table row, grouped by extension
//! (`i.rs`, `m.rs`, `a.rs`, `f.rs` for F and D, `zfh.rs` for Zfh/Zfhmin, `zfa.rs`,
//! `zicsr.rs`, `b.rs` for bit manipulation and Zicond, `misc.rs` for cache-block
//! operations, Zimop and Zawrs). Handlers are pure semantics on a [`Hart`] and
//! [`Mem`]: they never look at caches, counters or tracing (those belong to the run
//! loop in `interp/mod.rs`).
//!
//! Contract: while a block runs, `h.pc` holds the block's first pc and an
//! instruction's own pc is [`pc`]`(h, i)`. A handler for a row flagged `CTRL` (always
//! the last of its block) sets `h.pc` to the next pc; no other handler touches it.

/// Defines ALU handlers from an expression over `a` (rs1) and `b`: rs2 for
/// register-register rows, the sign-extended immediate for `imm` rows; unary rows
/// read only `a`. Used by `i.rs`, `m.rs` and `b.rs`.
macro_rules! alu {
    ($($name:ident($a:ident) => $e:expr;)*) => {$(
        pub fn $name(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
            let $a = h.get(i.rs1);
            h.set(i.rd, $e);
            Ok(())
        }
    )*};
    ($($name:ident($a:ident, $b:ident, imm) => $e:expr;)*) => {$(
        pub fn $name(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
            let ($a, $b) = (h.get(i.rs1), i.imm as i64 as u64);
            h.set(i.rd, $e);
            Ok(())
        }
    )*};
    ($($name:ident($a:ident, $b:ident) => $e:expr;)*) => {$(
        pub fn $name(h: &mut Hart, _: &mut Mem, i: &Insn) -> Result {
            let ($a, $b) = (h.get(i.rs1), h.get(i.rs2));
            h.set(i.rd, $e);
            Ok(())
        }
    )*};
}

mod a;
mod b;
mod f;
mod i;
mod m;
mod misc;
mod zfa;
mod zfh;
mod zicsr;

use crate::hart::{Hart, Trap};
use crate::isa::{Insn, Opcode};
use crate::mem::Mem;

use a::*;
use b::*;
use f::*;
use i::*;
use m::*;
use misc::*;
use zfa::*;
use zfh::*;
use zicsr::*;

pub use misc::CACHE_BLOCK;
pub use zicsr::TIME_FREQ;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_b;
#[cfg(test)]
mod tests_zfh_zfa;

/// What every handler returns.
pub type Result = std::result::Result<(), Trap>;

/// The effective address `rs1 + imm` of a load or store.
#[inline(always)]
fn ea(h: &Hart, i: &Insn) -> u64 {
    h.get(i.rs1).wrapping_add(i.imm as i64 as u64)
}

/// The address of instruction `i` (see the module docs).
#[inline(always)]
fn pc(h: &Hart, i: &Insn) -> u64 {
    h.pc.wrapping_add(i.off as u64)
}

/// Sign-extends the low 32 bits.
#[inline(always)]
fn sext32(v: u64) -> u64 {
    v as i32 as i64 as u64
}

macro_rules! define_execute {
    ($($variant:ident $handler:ident $mask:literal $match:literal $fmt:ident $ext:ident $flags:expr;)*) => {
        /// Executes one decoded instruction.
        #[inline(always)]
        pub fn execute(h: &mut Hart, m: &mut Mem, i: &Insn) -> Result {
            match i.op {
                Opcode::Illegal => Err(Trap::Illegal),
                $(Opcode::$variant => $handler(h, m, i),)*
            }
        }
    };
}
crate::for_each_insn!(define_execute);
