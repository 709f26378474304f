//! Region discovery: which decoded blocks one generated module covers.
//!
//! Starting at a hot block, the region grows breadth-first along direct control flow:
//! both edges of a conditional branch, the target of `jal`, the instruction after a
//! call (where the callee returns to), and the fall-through of a block that ended at
//! a page boundary or its length limit. Indirect jumps and system calls are not
//! followed. Blocks whose first instruction the JIT cannot translate are left out
//! (jumping to them leaves the region). The blocks are kept in pc order so that
//! fall-through and forward edges go forward in the generated code.

use crate::isa::{Flags, Format, Insn, Opcode};

/// Most blocks in one region.
pub const MAX_BLOCKS: usize = 16;
/// Most instructions in one region (bounds compile time per module).
pub const MAX_INSNS: usize = 256;

/// A decoded block of a region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Guest address of the first instruction.
    pub pc: u64,
    /// The block's instructions, as the decoded-code cache holds them.
    pub insns: Vec<Insn>,
}

impl Block {
    /// Guest address just past the last instruction.
    pub fn end(&self) -> u64 {
        self.pc + self.insns.iter().map(|i| i.len as u64).sum::<u64>()
    }

    /// The last instruction and its address.
    pub fn last(&self) -> Option<(u64, &Insn)> {
        let last = self.insns.last()?;
        Some((self.end() - last.len as u64, last))
    }

    /// Where control may go directly after this block (targets of its last
    /// instruction, or its fall-through).
    pub fn successors(&self) -> Vec<u64> {
        let Some((pc, last)) = self.last() else {
            return Vec::new();
        };
        let next = pc.wrapping_add(last.len as u64);
        let target = pc.wrapping_add(last.imm as i64 as u64);
        let flags = last.op.flags();
        if !flags.contains(Flags::CTRL) {
            // Ended at a page boundary or the length limit, or before an
            // instruction that could not be fetched; `ecall` and friends end here.
            return if flags.contains(Flags::END) {
                Vec::new()
            } else {
                vec![next]
            };
        }
        match (last.op, last.op.format()) {
            (_, Format::B) => vec![target, next],
            (Opcode::Jal, _) if last.rd != 0 => vec![target, next],
            (Opcode::Jal, _) => vec![target],
            // `jalr` with a link register: the callee usually returns after it.
            (Opcode::Jalr, _) if last.rd != 0 => vec![next],
            _ => Vec::new(),
        }
    }
}

/// The blocks one module covers, sorted by pc.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Region {
    /// The blocks, in increasing pc order, with distinct start addresses.
    pub blocks: Vec<Block>,
}

impl Region {
    /// Grows a region from `head`. `block_at` decodes the block at a pc (or `None`
    /// when there is no code there); `translatable` says whether the JIT can
    /// translate an instruction. `None` when the head itself cannot start a region.
    pub fn discover(
        head: u64,
        mut block_at: impl FnMut(u64) -> Option<Vec<Insn>>,
        translatable: impl Fn(&Insn) -> bool,
    ) -> Option<Region> {
        let mut blocks: Vec<Block> = Vec::new();
        let mut queue = std::collections::VecDeque::from([head]);
        let mut seen = std::collections::HashSet::from([head]);
        let mut insns = 0;
        while let Some(pc) = queue.pop_front() {
            if blocks.len() >= MAX_BLOCKS {
                break;
            }
            let Some(code) = block_at(pc) else { continue };
            if !code.first().is_some_and(&translatable) || insns + code.len() > MAX_INSNS {
                continue;
            }
            insns += code.len();
            let block = Block { pc, insns: code };
            for s in block.successors() {
                if seen.insert(s) {
                    queue.push_back(s);
                }
            }
            blocks.push(block);
        }
        if blocks.first()?.pc != head {
            return None;
        }
        blocks.sort_by_key(|b| b.pc);
        Some(Region { blocks })
    }

    /// The layout index of the block starting at `pc`.
    pub fn index_of(&self, pc: u64) -> Option<usize> {
        self.blocks.binary_search_by_key(&pc, |b| b.pc).ok()
    }

    /// Number of guest instructions covered.
    pub fn insn_count(&self) -> usize {
        self.blocks.iter().map(|b| b.insns.len()).sum()
    }

    /// Layout indices of the blocks that a call in the region returns to (what an
    /// indirect jump is most likely to target), at most `max`.
    pub fn return_sites(&self, max: usize) -> Vec<usize> {
        let mut sites: Vec<usize> = self
            .blocks
            .iter()
            .filter_map(|b| {
                let (pc, last) = b.last()?;
                let call = matches!(last.op, Opcode::Jal | Opcode::Jalr) && last.rd != 0;
                call.then(|| self.index_of(pc.wrapping_add(last.len as u64)))?
            })
            .collect();
        sites.sort_unstable();
        sites.dedup();
        sites.truncate(max);
        sites
    }
}
