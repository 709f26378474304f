//! Memory-management calls: brk, mmap, munmap, mprotect, mremap, madvise and
//! riscv_flush_icache. All of them keep the decoded-code cache honest: pages whose
//! mapping or protection changes lose their decoded blocks.

use super::fd::Kind;
use super::{Args, Errno, SysResult};
use crate::machine::Machine;
use crate::mem::{page_up, VmaKind, PAGE, R, W, X};
use std::io::{Read, Seek, SeekFrom};

const MAP_SHARED: u64 = 0x01;
const MAP_PRIVATE: u64 = 0x02;
const MAP_FIXED: u64 = 0x10;
const MAP_ANONYMOUS: u64 = 0x20;
const MAP_FIXED_NOREPLACE: u64 = 0x100000;
const MREMAP_MAYMOVE: u64 = 1;
const MREMAP_FIXED: u64 = 2;
const MADV_DONTNEED: i32 = 4;

fn prot_bits(p: u64) -> Result<u8, Errno> {
    if p & !7 != 0 {
        return Err(Errno::EINVAL);
    }
    Ok(p as u8 & (R | W | X))
}

impl Machine {
    fn drop_code(&mut self, start: u64, end: u64) {
        if self.mem.has_code(start, end) {
            self.code.invalidate(&mut self.mem, start, end);
        }
    }
}

pub fn brk(m: &mut Machine, a: &Args) -> SysResult {
    let old_end = page_up(m.mem.brk);
    let new = m.mem.set_brk(a.addr(0));
    if page_up(new) < old_end {
        m.drop_code(page_up(new), old_end);
    }
    Ok(new)
}

pub fn mmap(m: &mut Machine, a: &Args) -> SysResult {
    let (addr, len, prot, flags, fd, off) = (
        a.addr(0),
        a.u(1),
        prot_bits(a.u(2))?,
        a.u(3),
        a.int(4),
        a.u(5),
    );
    if len == 0 || off % PAGE != 0 || flags & (MAP_SHARED | MAP_PRIVATE) == 0 {
        return Err(Errno::EINVAL);
    }
    let len = page_up(len);
    let fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0;
    let start = if fixed {
        if addr % PAGE != 0 {
            return Err(Errno::EINVAL);
        }
        if !m.mem.in_window(addr, len) || addr < PAGE {
            return Err(Errno::ENOMEM);
        }
        if flags & MAP_FIXED_NOREPLACE != 0 && m.mem.overlaps(addr, addr + len) {
            return Err(Errno::EEXIST);
        }
        addr
    } else {
        m.mem.find_free(len).ok_or(Errno::ENOMEM)?
    };
    let (kind, data) = if flags & MAP_ANONYMOUS != 0 {
        (VmaKind::Anon, Vec::new())
    } else {
        // Private (or read-mostly shared) file mapping: copy the file's bytes in.
        let file = m.os.fds.get(fd)?;
        let mut f = file.borrow_mut();
        let path = f.path.clone();
        let data = match &mut f.kind {
            // A memfd mapping is a copy too: stores to it do not reach the file.
            Kind::Mem(mem) => {
                let start = mem
                    .data
                    .len()
                    .min(usize::try_from(off).unwrap_or(usize::MAX));
                let end = mem.data.len().min(start.saturating_add(len as usize));
                mem.data[start..end].to_vec()
            }
            Kind::File(host) => {
                let size = host.metadata()?.len();
                let mut data = vec![0u8; len.min(size.saturating_sub(off)) as usize];
                let saved = host.stream_position()?;
                host.seek(SeekFrom::Start(off))?;
                host.read_exact(&mut data)?;
                host.seek(SeekFrom::Start(saved))?;
                data
            }
            _ => return Err(Errno::ENODEV),
        };
        (VmaKind::File(path.into(), off), data)
    };
    m.drop_code(start, start + len);
    m.mem.map(start, len, prot, kind);
    m.mem.fill(start, &data);
    Ok(start)
}

pub fn munmap(m: &mut Machine, a: &Args) -> SysResult {
    let (addr, len) = (a.addr(0), page_up(a.u(1)));
    if addr % PAGE != 0 || len == 0 || !m.mem.in_window(addr, len) {
        return Err(Errno::EINVAL);
    }
    m.drop_code(addr, addr + len);
    m.mem.unmap(addr, len);
    Ok(0)
}

pub fn mprotect(m: &mut Machine, a: &Args) -> SysResult {
    let (addr, len, prot) = (a.addr(0), page_up(a.u(1)), prot_bits(a.u(2))?);
    if addr % PAGE != 0 || !m.mem.in_window(addr, len) {
        return Err(Errno::EINVAL);
    }
    if prot & X == 0 {
        m.drop_code(addr, addr + len);
    }
    if !m.mem.protect(addr, len, prot) {
        return Err(Errno::ENOMEM);
    }
    Ok(0)
}

pub fn mremap(m: &mut Machine, a: &Args) -> SysResult {
    let (old, old_len, new_len, flags) = (a.addr(0), page_up(a.u(1)), page_up(a.u(2)), a.u(3));
    if old % PAGE != 0 || new_len == 0 || flags & MREMAP_FIXED != 0 {
        return Err(if flags & MREMAP_FIXED != 0 {
            Errno::EOPNOTSUPP
        } else {
            Errno::EINVAL
        });
    }
    let (_, vma) = m.mem.vma_at(old).ok_or(Errno::EFAULT)?;
    let (prot, kind) = (vma.prot, vma.kind.clone());
    if old + old_len > vma.end && old_len != 0 {
        return Err(Errno::EFAULT);
    }
    if new_len <= old_len {
        m.drop_code(old + new_len, old + old_len);
        m.mem.unmap(old + new_len, old_len - new_len);
        return Ok(old);
    }
    // Grow in place when the pages after the mapping are free.
    if m.mem.in_window(old, new_len) && !m.mem.overlaps(old + old_len, old + new_len) {
        m.mem.map(old + old_len, new_len - old_len, prot, kind);
        return Ok(old);
    }
    if flags & MREMAP_MAYMOVE == 0 {
        return Err(Errno::ENOMEM);
    }
    let new = m.mem.find_free(new_len).ok_or(Errno::ENOMEM)?;
    let data = m.mem.slice(old, old_len).map(<[u8]>::to_vec);
    m.mem.map(new, new_len, prot, kind);
    // An unreadable (PROT_NONE) mapping has nothing to copy but zeroes.
    if let Some(data) = data {
        m.mem.fill(new, &data);
    }
    m.drop_code(old, old + old_len);
    m.mem.unmap(old, old_len);
    Ok(new)
}

pub fn madvise(m: &mut Machine, a: &Args) -> SysResult {
    let (addr, len) = (a.addr(0), page_up(a.u(1)));
    if addr % PAGE != 0 {
        return Err(Errno::EINVAL);
    }
    if a.int(2) == MADV_DONTNEED && m.mem.in_window(addr, len) {
        // Private anonymous pages read back as zero afterwards.
        if let Some(buf) = m.mem.slice_mut(addr, len) {
            buf.fill(0);
        }
    }
    Ok(0)
}

pub fn riscv_flush_icache(m: &mut Machine, a: &Args) -> SysResult {
    if a.u(2) > 1 {
        return Err(Errno::EINVAL);
    }
    // Like Linux, flush the whole instruction cache whatever the range.
    m.code.flush(&mut m.mem);
    Ok(0)
}

/// A private anonymous mapping made for an embedder (`mvvm:vm/machine`'s `map`):
/// `mmap(address, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)`, with `MAP_FIXED`
/// when `address` is not 0. Returns where it was mapped.
pub fn map_anonymous(m: &mut Machine, address: u64, len: u64, prot: u8) -> Option<u64> {
    let fixed = if address != 0 { MAP_FIXED } else { 0 };
    let flags = MAP_PRIVATE | MAP_ANONYMOUS | fixed;
    let args = Args([address, len, prot as u64, flags, u64::MAX, 0]);
    mmap(m, &args).ok()
}
