//! Mapping bookkeeping: the list of guest mappings (what `/proc/self/maps` shows) and
//! the operations that change it: map, unmap, protect, find a free range, move the
//! program break. Permissions are mirrored into the page table of [`Mem`].

use super::{page_up, Mem, PAGE, W};
use std::rc::Rc;

/// What a mapping is, for `/proc/self/maps` and for `mremap`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VmaKind {
    /// Anonymous memory.
    Anon,
    /// The program break area.
    Heap,
    /// The main thread's stack.
    Stack,
    /// A private mapping of a file (guest path, offset of the mapping start).
    File(Rc<str>, u64),
}

/// One mapping `[start, end)`; the start is the key in [`Mem::vmas`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vma {
    /// End address (exclusive, page aligned).
    pub end: u64,
    /// `R | W | X` bits.
    pub prot: u8,
    /// What is mapped.
    pub kind: VmaKind,
}

impl Mem {
    /// Whether `[start, start+len)` lies inside the guest window.
    pub fn in_window(&self, start: u64, len: u64) -> bool {
        start.checked_add(len).is_some_and(|e| e <= self.size())
    }

    /// Whether any mapping overlaps `[start, end)`.
    pub fn overlaps(&self, start: u64, end: u64) -> bool {
        self.vmas
            .range(..end)
            .next_back()
            .is_some_and(|(_, v)| v.end > start)
    }

    /// Removes `[start, end)` from the mapping list, splitting mappings that straddle
    /// its edges. Returns the removed pieces.
    fn carve(&mut self, start: u64, end: u64) -> Vec<(u64, Vma)> {
        let hits: Vec<u64> = self
            .vmas
            .range(..end)
            .filter(|(_, v)| v.end > start)
            .map(|(&s, _)| s)
            .collect();
        let mut removed = Vec::new();
        for s in hits {
            let Some(v) = self.vmas.remove(&s) else {
                continue;
            };
            if s < start {
                self.vmas.insert(
                    s,
                    Vma {
                        end: start,
                        ..v.clone()
                    },
                );
            }
            if v.end > end {
                let kind = match &v.kind {
                    VmaKind::File(p, off) => VmaKind::File(p.clone(), off + (end - s)),
                    k => k.clone(),
                };
                self.vmas.insert(
                    end,
                    Vma {
                        end: v.end,
                        prot: v.prot,
                        kind,
                    },
                );
            }
            let (ps, pe) = (s.max(start), v.end.min(end));
            let kind = match &v.kind {
                VmaKind::File(p, off) => VmaKind::File(p.clone(), off + (ps - s)),
                k => k.clone(),
            };
            removed.push((
                ps,
                Vma {
                    end: pe,
                    prot: v.prot,
                    kind,
                },
            ));
        }
        removed
    }

    /// Maps fresh zero-filled pages `[start, start+len)` with `prot`, replacing whatever
    /// was there. Both must be page aligned and inside the window.
    pub fn map(&mut self, start: u64, len: u64, prot: u8, kind: VmaKind) {
        let end = start + len;
        self.unmap(start, len);
        self.vmas.insert(start, Vma { end, prot, kind });
        self.set_perms(start, end, prot, true);
    }

    /// Unmaps `[start, start+len)` (page aligned); the pages read as zero if mapped again.
    pub fn unmap(&mut self, start: u64, len: u64) {
        let end = start.saturating_add(len).min(self.size());
        self.carve(start, end);
        self.zero_pages(start, end);
    }

    /// Changes the protection of every mapped page in `[start, start+len)`.
    /// Fails (returns false) if part of the range is unmapped, as Linux does (ENOMEM).
    pub fn protect(&mut self, start: u64, len: u64, prot: u8) -> bool {
        let end = start + len;
        let mut covered = start;
        for (&s, v) in self.vmas.range(..end) {
            if v.end <= covered {
                continue;
            }
            if s > covered {
                return false;
            }
            covered = v.end;
        }
        if covered < end {
            return false;
        }
        for (s, mut v) in self.carve(start, end) {
            v.prot = prot;
            let e = v.end;
            self.vmas.insert(s, v);
            self.set_perms(s, e, prot, true);
        }
        true
    }

    /// Finds a free page-aligned range of `len` bytes, searching down from `mmap_top`.
    pub fn find_free(&self, len: u64) -> Option<u64> {
        let len = page_up(len);
        let mut top = self.mmap_top;
        // Walk mappings from the highest one below `top` downwards.
        for (&s, v) in self.vmas.range(..self.mmap_top).rev() {
            if v.end <= top && top - v.end >= len {
                break;
            }
            top = top.min(s);
        }
        let start = top.checked_sub(len)?;
        // Keep clear of the program break area and page 0.
        (start >= page_up(self.brk).max(PAGE * 16) && !self.overlaps(start, start + len))
            .then_some(start)
    }

    /// The mapping that contains `addr`.
    pub fn vma_at(&self, addr: u64) -> Option<(u64, &Vma)> {
        self.vmas
            .range(..=addr)
            .next_back()
            .filter(|(_, v)| v.end > addr)
            .map(|(&s, v)| (s, v))
    }

    /// Mappings in address order.
    pub fn vmas(&self) -> impl Iterator<Item = (u64, &Vma)> {
        self.vmas.iter().map(|(&s, v)| (s, v))
    }

    /// Moves the program break; returns the new break (the old one on failure).
    pub fn set_brk(&mut self, new: u64) -> u64 {
        if new < self.brk_start {
            return self.brk;
        }
        let (old_end, new_end) = (page_up(self.brk), page_up(new));
        if new_end > old_end {
            if new_end > self.size() || self.overlaps(old_end, new_end) {
                return self.brk;
            }
            self.map(old_end, new_end - old_end, super::R | W, VmaKind::Heap);
            self.merge_heap();
        } else if new_end < old_end {
            self.unmap(new_end, old_end - new_end);
        }
        self.brk = new;
        self.brk
    }

    /// Joins adjacent heap mappings so `/proc/self/maps` shows one `[heap]`.
    fn merge_heap(&mut self) {
        let heap: Vec<u64> = self
            .vmas
            .iter()
            .filter(|(_, v)| v.kind == VmaKind::Heap)
            .map(|(&s, _)| s)
            .collect();
        for pair in heap.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let a_end = self.vmas[&a].end;
            if a_end == b {
                if let Some(bv) = self.vmas.remove(&b) {
                    if let Some(av) = self.vmas.get_mut(&a) {
                        av.end = bv.end;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{R, X};
    use super::*;

    #[test]
    fn map_protect_unmap() {
        let mut m = Mem::new(1 << 24);
        m.map(0x10000, 0x4000, R | W, VmaKind::Anon);
        m.store(0x10008, 7u64.to_le_bytes()).unwrap();
        assert_eq!(m.load::<8>(0x10008).unwrap(), 7u64.to_le_bytes());
        assert!(m.protect(0x11000, 0x1000, R));
        assert!(m.store(0x11000, [1]).is_err());
        assert_eq!(m.vmas().count(), 3);
        assert!(!m.protect(0x13000, 0x2000, R), "partly unmapped range");
        m.unmap(0x10000, 0x4000);
        assert!(m.load::<1>(0x10008).is_err());
        m.map(0x10000, 0x1000, R | X, VmaKind::Anon);
        assert_eq!(
            m.load::<8>(0x10008).unwrap(),
            [0; 8],
            "remapped pages are zero"
        );
        assert!(m.load::<1>(0).is_err(), "page 0 is never mapped");
    }

    #[test]
    fn find_free_goes_top_down() {
        let mut m = Mem::new(1 << 24);
        m.mmap_top = 1 << 24;
        let a = m.find_free(0x2000).unwrap();
        assert_eq!(a, (1 << 24) - 0x2000);
        m.map(a, 0x2000, R, VmaKind::Anon);
        assert_eq!(m.find_free(0x1000).unwrap(), a - 0x1000);
    }
}
