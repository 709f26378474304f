//! ELF validation and segment mapping (goblin parses, this file decides).

use crate::mem::{self, page_down, page_up, Mem, VmaKind, PAGE};
use goblin::elf::{header, program_header as ph, Elf};
use std::fmt;
use std::rc::Rc;

/// Why a program could not be loaded. The `Display` text is the user-facing message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The file does not start with the ELF magic.
    NotElf,
    /// The headers are inconsistent or point outside the file.
    Malformed(String),
    /// A valid ELF for something other than riscv64 Linux user mode.
    Unsupported(String),
    /// The segments do not fit in the guest memory window.
    TooBig,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotElf => write!(f, "not an ELF executable"),
            LoadError::Malformed(why) => write!(f, "malformed ELF file: {why}"),
            LoadError::Unsupported(why) => write!(f, "unsupported ELF file: {why}"),
            LoadError::TooBig => write!(f, "program does not fit in the guest memory limit"),
        }
    }
}

/// A loaded ELF image.
#[derive(Debug, Clone)]
pub struct ElfImage {
    /// Entry point (relocated).
    pub entry: u64,
    /// Load bias added to every virtual address (0 for ET_EXEC).
    pub bias: u64,
    /// Guest address of the program headers.
    pub phdr: u64,
    /// Number of program headers.
    pub phnum: u64,
    /// Size of one program header.
    pub phent: u64,
    /// First address after the highest segment.
    pub end: u64,
    /// The requested dynamic linker, if any.
    pub interp: Option<String>,
    /// The stack is requested executable (`PT_GNU_STACK` with `PF_X`).
    pub exec_stack: bool,
}

const EM_RISCV: u16 = 243;

fn malformed(why: impl Into<String>) -> LoadError {
    LoadError::Malformed(why.into())
}

/// Parses and checks the headers: a riscv64 executable (ET_EXEC, or ET_DYN
/// when the flag is true).
fn parse(bytes: &[u8]) -> Result<(Elf<'_>, bool), LoadError> {
    if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
        return Err(LoadError::NotElf);
    }
    if bytes.len() < 64 {
        return Err(malformed("truncated header"));
    }
    if bytes[4] != header::ELFCLASS64 {
        return Err(LoadError::Unsupported("not a 64-bit ELF".into()));
    }
    if bytes[5] != header::ELFDATA2LSB {
        return Err(LoadError::Unsupported("not little-endian".into()));
    }
    let elf = Elf::parse(bytes).map_err(|e| malformed(e.to_string()))?;
    if elf.header.e_machine != EM_RISCV {
        return Err(LoadError::Unsupported(format!(
            "machine {} is not RISC-V",
            elf.header.e_machine
        )));
    }
    let is_dyn = match elf.header.e_type {
        header::ET_EXEC => false,
        header::ET_DYN => true,
        t => {
            return Err(LoadError::Unsupported(format!(
                "ELF type {t} is not an executable"
            )))
        }
    };
    Ok((elf, is_dyn))
}

/// The dynamic linker a riscv64 executable asks for, after checking its headers
/// as [`load_elf`] does (so that `execve` fails before it destroys anything).
pub fn interpreter(bytes: &[u8]) -> Result<Option<String>, LoadError> {
    let (elf, _) = parse(bytes)?;
    Ok(elf.interpreter.map(str::to_string))
}

/// Maps `bytes` (an ELF file) into `mem`. ET_DYN images are placed at `dyn_base`,
/// or at a free spot found top-down when `dyn_base` is `None`.
pub fn load_elf(
    mem: &mut Mem,
    bytes: &[u8],
    name: &str,
    dyn_base: Option<u64>,
) -> Result<ElfImage, LoadError> {
    let (elf, is_dyn) = parse(bytes)?;
    let loads: Vec<_> = elf
        .program_headers
        .iter()
        .filter(|p| p.p_type == ph::PT_LOAD)
        .collect();
    if loads.is_empty() {
        return Err(malformed("no loadable segments"));
    }
    // Span of the image, validated before anything is mapped.
    let mut lo = u64::MAX;
    let mut hi = 0u64;
    for p in &loads {
        let file_end = p
            .p_offset
            .checked_add(p.p_filesz)
            .ok_or_else(|| malformed("segment offset overflows"))?;
        if file_end > bytes.len() as u64 {
            return Err(malformed("segment extends past the end of the file"));
        }
        if p.p_filesz > p.p_memsz {
            return Err(malformed("segment file size exceeds its memory size"));
        }
        // Pages are mapped from the file at page granularity, whatever p_align says.
        if p.p_vaddr % PAGE != p.p_offset % PAGE {
            return Err(malformed(
                "segment offset and address disagree modulo the page size",
            ));
        }
        let end = p
            .p_vaddr
            .checked_add(p.p_memsz)
            .ok_or_else(|| malformed("segment address overflows"))?;
        lo = lo.min(page_down(p.p_vaddr));
        hi = hi.max(end);
    }
    let span = page_up(hi) - lo;
    let bias = if is_dyn {
        let base = match dyn_base {
            Some(b) => b,
            None => mem.find_free(span).ok_or(LoadError::TooBig)?,
        };
        base.wrapping_sub(lo)
    } else {
        0
    };
    if lo.wrapping_add(bias) < 16 * PAGE || !mem.in_window(lo.wrapping_add(bias), span) {
        return Err(LoadError::TooBig);
    }
    let path: Rc<str> = name.into();
    for p in &loads {
        let vaddr = p.p_vaddr + bias;
        let start = page_down(vaddr);
        let end = page_up(vaddr + p.p_memsz);
        let prot = (if p.is_read() { mem::R } else { 0 })
            | (if p.is_write() { mem::W } else { 0 })
            | (if p.is_executable() { mem::X } else { 0 });
        mem.map(
            start,
            end - start,
            prot,
            VmaKind::File(path.clone(), page_down(p.p_offset)),
        );
        // Like Linux: the first page comes from the file from its page start; the
        // bytes past `filesz` stay zero (.bss).
        let file_start = p.p_offset - (vaddr - start);
        mem.fill(
            start,
            &bytes[file_start as usize..(p.p_offset + p.p_filesz) as usize],
        );
    }
    let phdr = elf
        .program_headers
        .iter()
        .find(|p| p.p_type == ph::PT_PHDR)
        .map(|p| p.p_vaddr + bias)
        .or_else(|| {
            let first = loads.iter().find(|p| p.p_offset == 0)?;
            Some(first.p_vaddr + bias + elf.header.e_phoff)
        })
        .unwrap_or(0);
    let interp = elf.interpreter.map(|s| s.to_string());
    let exec_stack = elf
        .program_headers
        .iter()
        .any(|p| p.p_type == ph::PT_GNU_STACK && p.is_executable());
    Ok(ElfImage {
        entry: elf.entry.wrapping_add(bias),
        bias,
        phdr,
        phnum: elf.header.e_phnum as u64,
        phent: elf.header.e_phentsize as u64,
        end: hi + bias,
        interp,
        exec_stack,
    })
}
