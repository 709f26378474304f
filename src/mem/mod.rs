//! Guest memory: one flat window of guest addresses `[0, size)` backed by a single
//! host allocation, with a permission byte per 4 KiB page.
//!
//! Guest address `a` lives at `ram[a]`; addresses at or above the window size fault,
//! so no guest address can reach the emulator's own data (the JIT relies on the same
//! bound). Page 0 is never mapped. The backing allocation is zero-filled lazily by
//! the host (calloc/mmap natively, fresh `memory.grow` pages in wasm), so physical
//! use grows only with the pages the guest touches. The mapping bookkeeping (what
//! `mmap`/`munmap`/`mprotect`/`brk` change) lives in [`mmap`](self::mmap); the address
//! spaces of processes that are not running are kept as [`Image`]s.

mod image;
pub mod mmap;

use crate::hart::{Access, Trap};
pub use image::Image;
pub use mmap::{Vma, VmaKind};
use std::collections::BTreeMap;

/// Guest page size.
pub const PAGE: u64 = 4096;

/// Page may be read.
pub const R: u8 = 1;
/// Page may be written.
pub const W: u8 = 2;
/// Page may be executed.
pub const X: u8 = 4;
/// Page holds instructions that are cached in decoded form (writes must invalidate).
pub const CODE: u8 = 8;
/// Page may hold non-zero bytes (must be cleared when unmapped).
const DIRTY: u8 = 16;
/// Page belongs to a mapping (even one with no access rights).
pub const MAPPED: u8 = 32;

/// Rounds `v` up to a page multiple (saturating).
pub fn page_up(v: u64) -> u64 {
    v.saturating_add(PAGE - 1) & !(PAGE - 1)
}

/// Rounds `v` down to a page multiple.
pub fn page_down(v: u64) -> u64 {
    v & !(PAGE - 1)
}

/// The guest address space.
pub struct Mem {
    /// Guest RAM; see [`alloc_ram`] for where it comes from and who frees it.
    ram: &'static mut [u8],
    perms: Vec<u8>,
    /// Mappings by start address (non-overlapping, page aligned).
    pub(crate) vmas: BTreeMap<u64, Vma>,
    /// Start of the program break area (end of the loaded executable).
    pub brk_start: u64,
    /// Current program break.
    pub brk: u64,
    /// Highest address (exclusive) that top-down `mmap` placement may use.
    pub mmap_top: u64,
}

impl std::fmt::Debug for Mem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mem")
            .field("size", &self.size())
            .field("vmas", &self.vmas.len())
            .finish()
    }
}

/// Reserves `size` zeroed bytes without touching them.
///
/// In wasm the window comes straight from `memory.grow`: fresh pages are zero and
/// the host commits them only when touched (going through the allocator would
/// memset the whole window). That memory is never returned; a process owns one
/// window for its whole life.
#[cfg(target_arch = "wasm32")]
fn alloc_ram(size: usize) -> &'static mut [u8] {
    const WASM_PAGE: usize = 65536;
    let pages = size.div_ceil(WASM_PAGE);
    let old = core::arch::wasm32::memory_grow(0, pages);
    if old == usize::MAX {
        eprintln!(
            "mvvm: cannot reserve {} MiB of guest memory (try a smaller -m)",
            size >> 20
        );
        std::process::exit(1);
    }
    // SAFETY: `memory.grow` just added `pages` fresh pages starting at byte
    // `old * WASM_PAGE`; nothing else refers to them, they are zero-initialized, and
    // the memory is never shrunk, so the slice stays valid and exclusive forever.
    unsafe { std::slice::from_raw_parts_mut((old * WASM_PAGE) as *mut u8, size) }
}

/// Natively a zeroed allocation is lazily zero-filled by the OS (calloc maps fresh
/// pages); [`Mem`]'s `Drop` frees it.
#[cfg(not(target_arch = "wasm32"))]
fn alloc_ram(size: usize) -> &'static mut [u8] {
    Box::leak(vec![0u8; size].into_boxed_slice())
}

impl Drop for Mem {
    fn drop(&mut self) {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let ram: &'static mut [u8] = std::mem::take(&mut self.ram);
            let ram: *mut [u8] = ram;
            // SAFETY: natively `ram` came from `Box::leak` in `alloc_ram`, and it was just
            // replaced by an empty slice, so this is the only reference to the box.
            drop(unsafe { Box::from_raw(ram) });
        }
    }
}

impl Mem {
    /// Reserves a guest window of `size` bytes (rounded to pages), all unmapped.
    pub fn new(size: u64) -> Mem {
        let size = page_up(size.max(16 * PAGE));
        let ram = alloc_ram(size as usize);
        let perms = vec![0u8; (size / PAGE) as usize];
        Mem {
            ram,
            perms,
            vmas: BTreeMap::new(),
            brk_start: 0,
            brk: 0,
            mmap_top: size,
        }
    }

    /// Size of the guest window in bytes.
    pub fn size(&self) -> u64 {
        self.ram.len() as u64
    }

    /// Host address of guest address 0 (for the JIT).
    pub fn host_base(&self) -> *const u8 {
        self.ram.as_ptr()
    }

    /// Where guest RAM and the permission bytes are, for generated code. Only
    /// meaningful in the component (wasm32 addresses). Generated code reads the
    /// permissions and reads and writes guest RAM behind this `Mem`'s back, but only
    /// while the JIT runs it (`jit::Jit::enter`), never while Rust code uses them;
    /// neither allocation ever moves.
    pub fn jit_layout(&mut self) -> crate::jit::abi::Layout {
        crate::jit::abi::Layout {
            ram_base: self.ram.as_mut_ptr() as usize as u32,
            ram_size: self.size(),
            perms_base: self.perms.as_ptr() as usize as u32,
            links: 0,
        }
    }

    fn perm(&self, page: u64) -> u8 {
        self.perms.get(page as usize).copied().unwrap_or(0)
    }

    #[cold]
    fn fault(&self, addr: u64, access: Access) -> Trap {
        Trap::Fault {
            addr,
            access,
            mapped: self.perm(addr / PAGE) & MAPPED != 0,
        }
    }

    /// Loads `N` bytes at `addr` (any alignment).
    #[inline(always)]
    pub fn load<const N: usize>(&self, addr: u64) -> Result<[u8; N], Trap> {
        let page = (addr / PAGE) as usize;
        if (addr % PAGE) as usize <= PAGE as usize - N
            && page < self.perms.len()
            && self.perms[page] & R != 0
        {
            let a = addr as usize;
            // SAFETY: `page < perms.len()` and `perms.len() * PAGE == ram.len()`, and the
            // access stays inside that page, so `a..a + N` is within `ram`.
            return Ok(unsafe { self.ram.get_unchecked(a..a + N) }
                .try_into()
                .unwrap_or([0; N]));
        }
        self.load_slow(addr)
    }

    #[cold]
    fn load_slow<const N: usize>(&self, addr: u64) -> Result<[u8; N], Trap> {
        let mut out = [0u8; N];
        for (i, b) in out.iter_mut().enumerate() {
            let a = addr.wrapping_add(i as u64);
            if self.perm(a / PAGE) & R == 0 {
                return Err(self.fault(a, Access::Read));
            }
            *b = self.ram[a as usize];
        }
        Ok(out)
    }

    /// Stores `N` bytes at `addr` (any alignment). If the bytes land on a page that
    /// holds decoded code, the store is done and `Trap::CodeModified` tells the run
    /// loop to drop the stale translations.
    #[inline(always)]
    pub fn store<const N: usize>(&mut self, addr: u64, v: [u8; N]) -> Result<(), Trap> {
        let page = (addr / PAGE) as usize;
        if (addr % PAGE) as usize <= PAGE as usize - N
            && page < self.perms.len()
            && self.perms[page] & (W | CODE) == W
        {
            let a = addr as usize;
            // SAFETY: as in `load`: the whole access lies inside page `page` of `ram`.
            unsafe { self.ram.get_unchecked_mut(a..a + N) }.copy_from_slice(&v);
            return Ok(());
        }
        self.store_slow(addr, &v)
    }

    #[cold]
    fn store_slow(&mut self, addr: u64, v: &[u8]) -> Result<(), Trap> {
        let mut code = false;
        for i in 0..v.len() as u64 {
            let p = self.perm(addr.wrapping_add(i) / PAGE);
            if p & W == 0 {
                return Err(self.fault(addr.wrapping_add(i), Access::Write));
            }
            code |= p & CODE != 0;
        }
        let a = addr as usize;
        self.ram[a..a + v.len()].copy_from_slice(v);
        if code {
            return Err(Trap::CodeModified { addr });
        }
        Ok(())
    }

    /// Fetches the 32 bits at `pc` for decoding (only the low half must be mapped
    /// when it is a compressed instruction). Marks the page as holding code.
    pub fn fetch(&mut self, pc: u64) -> Result<u32, Trap> {
        let need = |m: &Mem, a: u64| m.perm(a / PAGE) & X != 0;
        if !need(self, pc) {
            return Err(self.fault(pc, Access::Exec));
        }
        let lo = u16::from_le_bytes([self.ram[pc as usize], self.ram[pc as usize + 1]]);
        self.perms[(pc / PAGE) as usize] |= CODE;
        if lo & 3 != 3 {
            return Ok(lo as u32);
        }
        let hi_addr = pc + 2;
        if !need(self, hi_addr) {
            return Err(self.fault(hi_addr, Access::Exec));
        }
        self.perms[(hi_addr / PAGE) as usize] |= CODE;
        let hi = u16::from_le_bytes([self.ram[hi_addr as usize], self.ram[hi_addr as usize + 1]]);
        Ok(lo as u32 | (hi as u32) << 16)
    }

    /// Clears the code marks of `[start, end)`; returns whether any page had one.
    pub fn clear_code_marks(&mut self, start: u64, end: u64) -> bool {
        let mut any = false;
        for p in self.page_range(start, end) {
            any |= self.perms[p] & CODE != 0;
            self.perms[p] &= !CODE;
        }
        any
    }

    /// Whether any page of `[start, end)` holds decoded code.
    pub fn has_code(&self, start: u64, end: u64) -> bool {
        self.page_range(start, end)
            .any(|p| self.perms[p] & CODE != 0)
    }

    fn page_range(&self, start: u64, end: u64) -> std::ops::Range<usize> {
        let n = self.perms.len() as u64;
        ((start / PAGE).min(n) as usize)..(page_up(end) / PAGE).min(n) as usize
    }

    /// Whether every byte of `[addr, addr + len)` has all permissions in `need`.
    pub fn check(&self, addr: u64, len: u64, need: u8) -> bool {
        let Some(end) = addr.checked_add(len) else {
            return false;
        };
        if end > self.size() {
            return false;
        }
        len == 0
            || self
                .page_range(page_down(addr), end)
                .all(|p| self.perms[p] & need == need)
    }

    /// The guest bytes `[addr, addr + len)` if all are readable.
    pub fn slice(&self, addr: u64, len: u64) -> Option<&[u8]> {
        self.check(addr, len, R)
            .then(|| &self.ram[addr as usize..(addr + len) as usize])
    }

    /// The guest bytes `[addr, addr + len)` for writing if all are writable. Writing
    /// through this bypasses code invalidation: callers that may write code use
    /// [`Mem::write_bytes`].
    pub fn slice_mut(&mut self, addr: u64, len: u64) -> Option<&mut [u8]> {
        if !self.check(addr, len, W) {
            return None;
        }
        Some(&mut self.ram[addr as usize..(addr + len) as usize])
    }

    /// Copies `data` to guest memory; returns `false` (writing nothing) if any byte is
    /// not writable, and reports whether code pages were hit via `Trap::CodeModified`
    /// semantics: the caller must invalidate `[addr, addr+len)` when this returns
    /// `Ok(true)`.
    pub fn write_bytes(&mut self, addr: u64, data: &[u8]) -> Option<bool> {
        let end = addr.checked_add(data.len() as u64)?;
        self.slice_mut(addr, data.len() as u64)?
            .copy_from_slice(data);
        Some(
            self.page_range(page_down(addr), end)
                .any(|p| self.perms[p] & CODE != 0),
        )
    }

    /// Writes `data` to mapped guest memory whatever its permissions, as a debugger
    /// does (ptrace's `POKEDATA`). Returns whether decoded code was there (the caller
    /// must invalidate it), or `None`, writing nothing, if any byte is unmapped.
    pub fn poke(&mut self, addr: u64, data: &[u8]) -> Option<bool> {
        let end = addr.checked_add(data.len() as u64)?;
        if !self.check(addr, data.len() as u64, MAPPED) {
            return None;
        }
        let pages = self.page_range(page_down(addr), end);
        let mut code = false;
        for p in pages {
            code |= self.perms[p] & CODE != 0;
            self.perms[p] |= DIRTY;
        }
        self.ram[addr as usize..end as usize].copy_from_slice(data);
        Some(code)
    }

    /// Reads a NUL-terminated string of at most `max` bytes (without the NUL).
    pub fn read_cstr(&self, addr: u64, max: usize) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut a = addr;
        loop {
            if out.len() >= max || self.perm(a / PAGE) & R == 0 || a >= self.size() {
                return None;
            }
            // Read the rest of this page at once.
            let page_end = (page_down(a) + PAGE).min(self.size());
            let chunk = &self.ram[a as usize..page_end as usize];
            if let Some(n) = chunk.iter().position(|&b| b == 0) {
                out.extend_from_slice(&chunk[..n]);
                return (out.len() <= max).then_some(out);
            }
            out.extend_from_slice(chunk);
            a = page_end;
        }
    }

    /// Sets the permission bits of `[start, end)` (page aligned) to `prot`, keeping
    /// the code mark; `mapped` says whether the range belongs to a mapping at all.
    fn set_perms(&mut self, start: u64, end: u64, prot: u8, mapped: bool) {
        for p in self.page_range(start, end) {
            let old = self.perms[p];
            let dirty = if prot & W != 0 { DIRTY } else { old & DIRTY };
            self.perms[p] = if mapped {
                prot | MAPPED | dirty | (old & CODE)
            } else {
                0
            };
        }
    }

    /// Zeroes the pages of `[start, end)` that may hold data and forgets them.
    fn zero_pages(&mut self, start: u64, end: u64) {
        for p in self.page_range(start, end) {
            if self.perms[p] & DIRTY != 0 {
                let a = p * PAGE as usize;
                self.ram[a..a + PAGE as usize].fill(0);
            }
            self.perms[p] = 0;
        }
    }

    /// The bytes of the page at `addr` (page aligned, inside the window) whatever
    /// its permissions, for snapshots.
    pub(crate) fn page_bytes(&self, addr: u64) -> &[u8] {
        &self.ram[addr as usize..(addr + PAGE) as usize]
    }

    /// Copies bytes into guest memory regardless of permissions (the loader and
    /// file-backed mmap fill pages they just mapped).
    pub(crate) fn fill(&mut self, addr: u64, data: &[u8]) {
        let Some(end) = addr
            .checked_add(data.len() as u64)
            .filter(|&e| e <= self.size())
        else {
            return;
        };
        self.ram[addr as usize..end as usize].copy_from_slice(data);
        for p in self.page_range(page_down(addr), end) {
            self.perms[p] |= DIRTY;
        }
    }
}
