//! MVVM: a user-mode emulator for riscv64 Linux programs that runs as a WASI 0.2
//! component (and natively, for tests).
//!
//! The crate is laid out by what a reader looks for:
//! - [`isa`]: the instruction table, decoder and disassembler (no state),
//! - [`hart`]: registers and traps, [`mem`]: the guest address space,
//! - [`interp`]: instruction semantics, the decoded-code cache and run loop,
//! - [`jit`]: hot code translated to wasm modules that the host compiles,
//! - [`loader`]: ELF loading and the initial stack,
//! - [`linux`]: system calls, grouped by subsystem,
//! - [`machine`]: a guest process tying these together, [`cli`]: the command line,
//! - [`embed`]: the same process driven call by call (the `mvvm:vm/machine` API),
//! - [`snapshot`]: a whole process to bytes and back.
//! - [`gdbstub`]: the same process under GDB (`-g port`).

pub mod cli;
pub mod embed;
pub mod gdbstub;
pub mod hart;
pub mod interp;
pub mod isa;
pub mod jit;
pub mod linux;
pub mod loader;
pub mod machine;
pub mod mem;
pub mod snapshot;

#[cfg(target_os = "wasi")]
mod component;
