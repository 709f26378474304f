//! Loading a riscv64 ELF program into guest memory the way Linux's `binfmt_elf`
//! does: the program's `PT_LOAD` segments, its dynamic linker (`PT_INTERP`, looked
//! up under the sysroot given by `-L`), and the initial stack with argv, envp and
//! the auxiliary vector (`stack.rs`).

mod elf;
mod stack;

pub use elf::{interpreter, load_elf, ElfImage, LoadError};
pub use stack::{build_stack, StackInfo};
