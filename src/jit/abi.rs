//! The contract between the component and the modules it generates (the host side is
//! described in `wit/jit.wit`): what a module imports and exports, where it finds the
//! guest's registers, and what the word it returns means.
//!
//! A generated module imports the component's memory (aliased by the host) and the
//! shared funcref table, and exports one function per region, `f0`, of type
//! `(state: i32, entry: i32) -> i32`:
//! - `state` is the component address of the [`Hart`]; registers (integer and FP)
//!   are read at entry and written back at every exit, `pc` and `instret` are
//!   written at exits; `fflags` is read and raised in place;
//! - `entry` is the index, in the region's layout, of the block to start at, in the
//!   low 8 bits, and above them the loop iterations already taken by the functions
//!   that chained to this one (0 when the component calls);
//! - the result is an exit word: an [`Exit`] reason in the low 8 bits and, above
//!   them, the number of loop iterations (back edges and chained calls) taken, at
//!   most [`FUEL`].
//!
//! Every exit leaves `hart.pc` at the next guest instruction to run.
//!
//! Chaining: a function that leaves for a target outside its region looks the
//! target up in the component's table of [`Link`]s (at [`Layout::links`], indexed
//! by [`link_slot`]); when another compiled function covers it, the caller writes
//! its state back and tail-calls that function through the shared table
//! (`return_call_indirect`) instead of returning, so control comes back to the
//! component only for system calls, untranslated code, faults and the budget.

use crate::hart::Hart;
use std::mem::offset_of;

/// Module and field names of the imported memory (the host's alias of ours).
pub const MEMORY_IMPORT: (&str, &str) = ("env", "memory");
/// Module and field names of the imported shared funcref table.
pub const TABLE_IMPORT: (&str, &str) = ("env", "table");
/// Export name of a region's function.
pub const REGION_EXPORT: &str = "f0";

/// Offset of `x[0]` in [`Hart`] (register `r` is at `X + 8 * r`).
pub const X: u64 = offset_of!(Hart, x) as u64;
/// Offset of `f[0]` in [`Hart`] (FP register `r` is at `F + 8 * r`).
pub const F: u64 = offset_of!(Hart, f) as u64;
/// Offset of the accrued FP exception flags (a byte) in [`Hart`].
pub const FFLAGS: u64 = offset_of!(Hart, fflags) as u64;
/// Offset of the dynamic rounding mode (a byte) in [`Hart`].
pub const FRM: u64 = offset_of!(Hart, frm) as u64;
/// Offset of the pc in [`Hart`].
pub const PC: u64 = offset_of!(Hart, pc) as u64;
/// Offset of the retired-instruction counter in [`Hart`].
pub const INSTRET: u64 = offset_of!(Hart, instret) as u64;

/// Back edges one call may take before it returns with [`Exit::Budget`], so that the
/// run loop gets to deliver signals and timers. About a millisecond of a tight loop.
pub const FUEL: u32 = 1 << 16;

/// Why generated code returned. In every case `hart.pc` says where to continue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Control left the region (an indirect jump, or a target outside it).
    Jump = 0,
    /// An instruction the JIT does not translate: interpret it.
    Interp = 1,
    /// A load or store the fast path does not handle (a fault, a store to a page
    /// holding code, a misaligned access): interpret it.
    Slow = 2,
    /// A system call (`ecall`): interpret it.
    Syscall = 3,
    /// [`FUEL`] back edges were taken.
    Budget = 4,
}

impl Exit {
    /// Every reason, in numeric order.
    pub const ALL: [Exit; 5] = [
        Exit::Jump,
        Exit::Interp,
        Exit::Slow,
        Exit::Syscall,
        Exit::Budget,
    ];

    /// Splits an exit word into the reason and the loop iterations taken. An
    /// unknown reason (which generated code never returns) reads as `Interp`.
    pub fn decode(word: u32) -> (Exit, u32) {
        let reason = Exit::ALL
            .get((word & 0xff) as usize)
            .copied()
            .unwrap_or(Exit::Interp);
        (reason, word >> 8)
    }

    /// Whether the instruction at `hart.pc` must be run by the interpreter before
    /// generated code may run again (else the same exit would repeat forever).
    pub fn needs_interpreter(self) -> bool {
        matches!(self, Exit::Interp | Exit::Slow | Exit::Syscall)
    }

    /// Lower-case name for statistics.
    pub fn name(self) -> &'static str {
        match self {
            Exit::Jump => "jump",
            Exit::Interp => "interp",
            Exit::Slow => "slow",
            Exit::Syscall => "syscall",
            Exit::Budget => "budget",
        }
    }
}

/// log2 of the entries in the table of [`Link`]s.
pub const LINK_BITS: u32 = 16;
/// Entries in the table of [`Link`]s (1 MiB). Every block of every region is
/// entered, so the table must be sparse: with 16K entries, collisions evicted hot
/// blocks and SQLite's bench left generated code 2.1M times a run instead of 1.4M.
pub const LINKS: usize = 1 << LINK_BITS;
/// Fibonacci hashing's multiplier (2^32 / golden ratio): [`link_slot`] spreads the
/// pcs over the table. Indexed by the pc's low bits instead, code larger than 128 KiB
/// collided with itself 128 KiB apart (Lua's opcode dispatch block was evicted by
/// one of its library's, and 75K returns a run went through the component).
pub const LINK_HASH: u32 = 0x9e37_79b9;

/// One entry of the table generated code chains through: guest address `pc` starts
/// block `entry` of the function at `func` in the shared table. A `pc` of
/// [`NO_LINK`] (odd, so never a jump target) marks an empty entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Link {
    /// Guest address of the block.
    pub pc: u64,
    /// Index of the function in the shared table.
    pub func: u32,
    /// The block's index in the function's region.
    pub entry: u32,
}

/// The `pc` of an empty [`Link`].
pub const NO_LINK: u64 = u64::MAX;

/// Offsets of [`Link`]'s fields, and its size, for generated code.
pub const LINK_PC: u64 = offset_of!(Link, pc) as u64;
/// See [`LINK_PC`].
pub const LINK_FUNC: u64 = offset_of!(Link, func) as u64;
/// See [`LINK_PC`].
pub const LINK_ENTRY: u64 = offset_of!(Link, entry) as u64;
/// log2 of the size of a [`Link`].
pub const LINK_SHIFT: u32 = std::mem::size_of::<Link>().trailing_zeros();

/// The index of the [`Link`] for guest address `pc`: the top [`LINK_BITS`] of
/// `(pc >> 1) × LINK_HASH` on 32 bits (instructions are 2-aligned).
pub fn link_slot(pc: u64) -> usize {
    (((pc as u32) >> 1).wrapping_mul(LINK_HASH) >> (32 - LINK_BITS)) as usize
}

/// Where the things generated code touches live in the component's memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Address of guest address 0 (the guest window's base).
    pub ram_base: u32,
    /// Size of the guest window in bytes (a multiple of the page size).
    pub ram_size: u64,
    /// Address of the per-page permission bytes (`mem::R`, `W`, `CODE`, ...), one
    /// per guest page of the window.
    pub perms_base: u32,
    /// Address of the table of [`LINKS`] [`Link`]s (0: no chaining).
    pub links: u32,
}
