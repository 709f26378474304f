//! The initial process stack, laid out exactly as Linux's `create_elf_tables` does
//! on riscv64:
//!
//! ```text
//! high  [ 8 zero bytes ][ execfn ][ envp strings ][ argv strings ]
//!       [ 16 random bytes (AT_RANDOM) ]  (16-byte aligned below)
//!       [ auxv pairs ... AT_NULL ][ NULL ][ envp ... ][ NULL ][ argv ... ][ argc ]  <- sp
//! ```

use super::ElfImage;
use crate::mem::{Mem, VmaKind, R, W, X};

/// Auxiliary vector keys (include/uapi/linux/auxvec.h).
mod at {
    pub const NULL: u64 = 0;
    pub const PHDR: u64 = 3;
    pub const PHENT: u64 = 4;
    pub const PHNUM: u64 = 5;
    pub const PAGESZ: u64 = 6;
    pub const BASE: u64 = 7;
    pub const FLAGS: u64 = 8;
    pub const ENTRY: u64 = 9;
    pub const UID: u64 = 11;
    pub const EUID: u64 = 12;
    pub const GID: u64 = 13;
    pub const EGID: u64 = 14;
    pub const HWCAP: u64 = 16;
    pub const CLKTCK: u64 = 17;
    pub const SECURE: u64 = 23;
    pub const RANDOM: u64 = 25;
    pub const EXECFN: u64 = 31;
    pub const MINSIGSTKSZ: u64 = 51;
}

/// What the stack builder needs to know besides the images.
#[derive(Debug, Clone)]
pub struct StackInfo<'a> {
    /// Program arguments (argv[0] first).
    pub argv: &'a [Vec<u8>],
    /// Environment strings `NAME=value`.
    pub envp: &'a [Vec<u8>],
    /// The path the program was executed as.
    pub execfn: &'a [u8],
    /// 16 random bytes for AT_RANDOM.
    pub random: [u8; 16],
    /// AT_HWCAP value.
    pub hwcap: u64,
    /// Stack mapping size.
    pub size: u64,
    /// User and group id reported in the auxiliary vector.
    pub uid: u64,
}

/// Maps the stack at the top of the window and fills it; returns the initial sp and
/// the auxiliary vector, or `None` if the arguments do not fit. `interp` is the
/// dynamic linker's image.
pub fn build_stack(
    mem: &mut Mem,
    main: &ElfImage,
    interp: Option<&ElfImage>,
    info: &StackInfo,
) -> Option<(u64, Vec<(u64, u64)>)> {
    let top = mem.size();
    let bottom = top.checked_sub(info.size)?;
    let prot = R | W | if main.exec_stack { X } else { 0 };
    mem.map(bottom, info.size, prot, VmaKind::Stack);

    let mut sp = top - 8; // end marker
    let mut push_bytes = |mem: &mut Mem, data: &[u8], nul: bool| -> Option<u64> {
        sp = sp
            .checked_sub(data.len() as u64 + nul as u64)
            .filter(|&s| s >= bottom)?;
        mem.fill(sp, data);
        if nul {
            mem.fill(sp + data.len() as u64, &[0]);
        }
        Some(sp)
    };
    let execfn = push_bytes(mem, info.execfn, true)?;
    let envs: Vec<u64> = info
        .envp
        .iter()
        .rev()
        .map(|e| push_bytes(mem, e, true))
        .collect::<Option<_>>()?;
    let args: Vec<u64> = info
        .argv
        .iter()
        .rev()
        .map(|a| push_bytes(mem, a, true))
        .collect::<Option<_>>()?;
    let random = push_bytes(mem, &info.random, false)?;

    let auxv = vec![
        (at::MINSIGSTKSZ, 2048),
        (at::HWCAP, info.hwcap),
        (at::PAGESZ, crate::mem::PAGE),
        (at::CLKTCK, 100),
        (at::PHDR, main.phdr),
        (at::PHENT, main.phent),
        (at::PHNUM, main.phnum),
        (at::BASE, interp.map_or(0, |i| i.bias)),
        (at::FLAGS, 0),
        (at::ENTRY, main.entry),
        (at::UID, info.uid),
        (at::EUID, info.uid),
        (at::GID, info.uid),
        (at::EGID, info.uid),
        (at::SECURE, 0),
        (at::RANDOM, random),
        (at::EXECFN, execfn),
        (at::NULL, 0),
    ];
    let words = 1 + args.len() + 1 + envs.len() + 1 + auxv.len() * 2;
    let sp = (random - words as u64 * 8) & !15;
    if sp < bottom {
        return None;
    }
    let mut table: Vec<u64> = Vec::with_capacity(words);
    table.push(args.len() as u64);
    table.extend(args.iter().rev());
    table.push(0);
    table.extend(envs.iter().rev());
    table.push(0);
    for &(k, v) in &auxv {
        table.extend([k, v]);
    }
    let bytes: Vec<u8> = table.iter().flat_map(|w| w.to_le_bytes()).collect();
    mem.fill(sp, &bytes);
    Some((sp, auxv))
}
