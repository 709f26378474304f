//! Why execution left straight-line code: the events a handler reports to the run loop.

/// The kind of memory access that faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A load.
    Read,
    /// A store (or an AMO).
    Write,
    /// An instruction fetch.
    Exec,
}

/// An event that stops the current instruction; the run loop decides what follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trap {
    /// `ecall`: a system call (pc still points at the ecall).
    Ecall,
    /// `ebreak`.
    Ebreak,
    /// An illegal or unsupported instruction.
    Illegal,
    /// A memory access to an unmapped page or one without the needed permission.
    Fault {
        /// The faulting guest address.
        addr: u64,
        /// What the access was.
        access: Access,
        /// The page was mapped but lacks the permission (SEGV_ACCERR vs SEGV_MAPERR).
        mapped: bool,
    },
    /// A misaligned atomic access (Linux raises SIGBUS).
    Misaligned {
        /// The faulting guest address.
        addr: u64,
    },
    /// A store hit a page holding decoded code; the store has been done and the
    /// decoded-code cache for that page must be dropped before continuing.
    CodeModified {
        /// The written guest address.
        addr: u64,
    },
    /// `fence.i`: drop all decoded code.
    FenceI,
}
