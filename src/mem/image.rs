//! Address spaces of processes that are not running.
//!
//! Every emulated process uses the one guest window in turn: its host address
//! must not move (generated code and the JIT's layout point into it), and wasm32
//! has room for one large window only. A process that is switched out leaves an
//! [`Image`]: its mappings, program break and the bytes of its mapped pages that
//! are not all zero, as a snapshot keeps them; switching it back in refills the
//! window. `fork` takes an image of the running process without disturbing it.

use super::{Mem, Vma, DIRTY, PAGE};
use std::collections::BTreeMap;

/// A saved address space.
#[derive(Debug, Default)]
pub struct Image {
    vmas: BTreeMap<u64, Vma>,
    brk_start: u64,
    brk: u64,
    mmap_top: u64,
    /// Addresses of the saved pages; page `i`'s bytes are `data[i * PAGE..]`.
    pages: Vec<u64>,
    data: Vec<u8>,
}

impl Image {
    /// Bytes of page contents held.
    pub fn bytes(&self) -> usize {
        self.data.len()
    }
}

impl Mem {
    /// A copy of the address space.
    pub fn image(&self) -> Image {
        let mut img = Image {
            vmas: self.vmas.clone(),
            brk_start: self.brk_start,
            brk: self.brk,
            mmap_top: self.mmap_top,
            ..Image::default()
        };
        let page = PAGE as usize;
        for (p, &perm) in self.perms.iter().enumerate() {
            let bytes = &self.ram[p * page..(p + 1) * page];
            if perm & DIRTY != 0 && bytes.iter().any(|&b| b != 0) {
                img.pages.push((p * page) as u64);
                img.data.extend_from_slice(bytes);
            }
        }
        img
    }

    /// Saves the address space and leaves the window empty.
    pub fn swap_out(&mut self) -> Image {
        let img = self.image();
        self.clear();
        img
    }

    /// Unmaps everything: the window reads as never used.
    pub fn clear(&mut self) {
        self.zero_pages(0, self.size());
        self.vmas.clear();
        self.brk_start = 0;
        self.brk = 0;
        self.mmap_top = self.size();
    }

    /// Replaces the address space with `img` (taken from a window of this size).
    pub fn swap_in(&mut self, img: Image) {
        self.clear();
        for (&start, v) in &img.vmas {
            self.set_perms(start, v.end, v.prot, true);
        }
        for (i, &addr) in img.pages.iter().enumerate() {
            let page = PAGE as usize;
            self.fill(addr, &img.data[i * page..(i + 1) * page]);
        }
        self.vmas = img.vmas;
        self.brk_start = img.brk_start;
        self.brk = img.brk;
        self.mmap_top = img.mmap_top;
    }
}
