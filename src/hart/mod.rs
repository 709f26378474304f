//! One RISC-V hart's architectural state: integer and FP registers, pc, fcsr, the
//! LR/SC reservation and the retired-instruction counter.
//!
//! The interpreter reads and writes these fields directly; the layout is plain
//! (`#[repr(C)]`) so that the JIT can address registers at fixed offsets.

mod trap;
pub use trap::{Access, Trap};

/// Architectural state of one hart.
#[derive(Clone, Debug)]
#[repr(C)]
#[derive(Default)]
pub struct Hart {
    /// Integer registers; `x[0]` is kept at zero by [`Hart::set`].
    pub x: [u64; 32],
    /// FP registers as raw bits (single-precision values are NaN-boxed).
    pub f: [u64; 32],
    /// Address of the instruction being executed.
    pub pc: u64,
    /// Accrued FP exception flags (fcsr bits 4..0).
    pub fflags: u8,
    /// Dynamic rounding mode (fcsr bits 7..5).
    pub frm: u8,
    /// Address reserved by the last LR, if the reservation is still valid.
    pub reservation: Option<u64>,
    /// Instructions retired so far by the process, all threads together
    /// (approximate within a decoded block).
    pub instret: u64,
}

impl Hart {
    /// Reads integer register `r`.
    #[inline(always)]
    pub fn get(&self, r: u8) -> u64 {
        self.x[r as usize & 31]
    }

    /// Writes integer register `r`; writes to `x0` are discarded.
    #[inline(always)]
    pub fn set(&mut self, r: u8, v: u64) {
        self.x[r as usize & 31] = v;
        self.x[0] = 0;
    }
}
