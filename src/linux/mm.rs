//! Memory-management calls: brk, mmap, munmap, mprotect, mremap, madvise and
//! riscv_flush_icache. All of them keep the decoded-code cache honest: pages whose
//! mapping or protection changes lose their decoded blocks.

use super::fd::Kind;
use super::{Args, Errno, SysResult};
use crate::machine::Machine;
use crate::mem::{page_up, VmaKind, MAPPED, PAGE, R, W, X};
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

/// Checks that `[addr, addr + len)` is page aligned at its start and mapped.
fn mapped_range(m: &Machine, addr: u64, len: u64) -> Result<u64, Errno> {
    if !addr.is_multiple_of(PAGE) {
        return Err(Errno::EINVAL);
    }
    let len = page_up(len);
    if !m.mem.check(addr, len, MAPPED) {
        return Err(Errno::ENOMEM);
    }
    Ok(len)
}

/// `mincore`: every mapped page is resident (it lives in the emulator's memory).
pub fn mincore(m: &mut Machine, a: &Args) -> SysResult {
    let len = mapped_range(m, a.addr(0), a.u(1))?;
    m.copy_out(a.addr(2), &vec![1; (len / PAGE) as usize])?;
    Ok(0)
}

/// `pkey_mprotect`: RISC-V has no protection keys, so only the default key (-1)
/// is accepted, which makes it `mprotect`.
pub fn pkey_mprotect(m: &mut Machine, a: &Args) -> SysResult {
    if a.int(3) != -1 {
        return Err(Errno::EINVAL);
    }
    mprotect(m, a)
}

/// `pkey_alloc` (no keys to hand out: ENOSPC, after Linux's argument checks) and
/// `pkey_free` (no key was ever allocated).
pub fn pkey_alloc_free(_: &mut Machine, a: &Args, alloc: bool) -> SysResult {
    const PKEY_ACCESS_DISABLE: u64 = 1;
    const PKEY_WRITE_DISABLE: u64 = 2;
    if !alloc || a.u(0) != 0 || a.u(1) & !(PKEY_ACCESS_DISABLE | PKEY_WRITE_DISABLE) != 0 {
        return Err(Errno::EINVAL);
    }
    Err(Errno::ENOSPC)
}

// NUMA: MVVM has one memory node (node 0), so every policy is satisfied by it.
const MPOL_MAX: u64 = 5;
const MPOL_F_MEMS_ALLOWED: u64 = 4;

/// Reads a node mask of `maxnode` bits: whether it names node 0 and no other.
fn node_mask(m: &Machine, addr: u64, maxnode: u64) -> Result<Option<bool>, Errno> {
    if addr == 0 || maxnode == 0 {
        return Ok(None);
    }
    if maxnode > 1 << 16 {
        return Err(Errno::EINVAL);
    }
    let bytes = m.copy_in(addr, maxnode.div_ceil(64) * 8)?;
    let only_zero = bytes[0] & 1 == 1 && bytes[0] >> 1 == 0 && bytes[1..].iter().all(|&b| b == 0);
    let empty = bytes.iter().all(|&b| b == 0);
    Ok((!empty).then_some(only_zero))
}

/// Checks a policy `mode` and its node mask: node 0 must be the only node named,
/// and `MPOL_DEFAULT`/`MPOL_LOCAL` name none.
fn check_policy(m: &Machine, mode: u64, mask: u64, maxnode: u64) -> Result<(), Errno> {
    const MODE_FLAGS: u64 = 0b111 << 13;
    let nodes = node_mask(m, mask, maxnode)?;
    let ok = match mode & !MODE_FLAGS {
        // MPOL_DEFAULT, MPOL_LOCAL: no nodes.
        0 | 4 => nodes.is_none(),
        // MPOL_PREFERRED: no nodes means local.
        1 => nodes != Some(false),
        // MPOL_BIND, MPOL_INTERLEAVE, MPOL_PREFERRED_MANY: node 0.
        2 | 3 | MPOL_MAX => nodes == Some(true),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Errno::EINVAL)
    }
}

/// `set_mempolicy`.
pub fn set_mempolicy(m: &mut Machine, a: &Args) -> SysResult {
    check_policy(m, a.u(0), a.addr(1), a.u(2))?;
    Ok(0)
}

/// `mbind`: the range must be mapped.
pub fn mbind(m: &mut Machine, a: &Args) -> SysResult {
    mapped_range(m, a.addr(0), a.u(1)).map_err(|e| match e {
        Errno::ENOMEM => Errno::EFAULT,
        e => e,
    })?;
    check_policy(m, a.u(2), a.addr(3), a.u(4))?;
    Ok(0)
}

/// `get_mempolicy`: the default policy, node 0 (for `MPOL_F_NODE` queries, and
/// the only node allowed).
pub fn get_mempolicy(m: &mut Machine, a: &Args) -> SysResult {
    let (mode, mask, maxnode, flags) = (a.addr(0), a.addr(1), a.u(2), a.u(4));
    if flags & !7 != 0 || (mask != 0 && maxnode == 0) || maxnode > 1 << 16 {
        return Err(Errno::EINVAL);
    }
    if mode != 0 {
        m.copy_out(mode, &0u32.to_le_bytes())?;
    }
    if mask != 0 {
        let mut bytes = vec![0u8; (maxnode.div_ceil(64) * 8) as usize];
        bytes[0] = (flags & MPOL_F_MEMS_ALLOWED != 0) as u8;
        m.copy_out(mask, &bytes)?;
    }
    Ok(0)
}

/// `migrate_pages`: nothing to migrate between one node and itself.
pub fn migrate_pages(m: &mut Machine, a: &Args) -> SysResult {
    match a.u(0) {
        0 => Ok(0),
        pid if pid == m.os.pid => Ok(0),
        _ => Err(Errno::ESRCH),
    }
}

/// `move_pages`: reports each page's node (0), -EFAULT for an unmapped page, or
/// -ENODEV for a move to a node other than 0; moving to node 0 changes nothing.
pub fn move_pages(m: &mut Machine, a: &Args) -> SysResult {
    if a.u(0) != 0 && a.u(0) != m.os.pid {
        return Err(Errno::ESRCH);
    }
    let count = a.u(1).min(1 << 16);
    let pages = m.copy_in(a.addr(2), count * 8)?;
    let nodes = match a.addr(3) {
        0 => vec![0; count as usize * 4],
        addr => m.copy_in(addr, count * 4)?,
    };
    let mut status = Vec::with_capacity(count as usize * 4);
    for (p, n) in pages.chunks_exact(8).zip(nodes.chunks_exact(4)) {
        let page = u64::from_le_bytes(p.try_into().unwrap_or_default());
        let node = i32::from_le_bytes(n.try_into().unwrap_or_default());
        let result = if !m.mem.check(page, 1, MAPPED) {
            -(Errno::EFAULT as i32)
        } else if node != 0 {
            -(Errno::ENODEV as i32)
        } else {
            0
        };
        status.extend_from_slice(&result.to_le_bytes());
    }
    if a.addr(4) != 0 {
        m.copy_out(a.addr(4), &status)?;
    }
    Ok(0)
}
