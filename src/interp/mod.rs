//! The interpreter tier: a decoded-code cache and the run loop.
//!
//! Code is decoded once into basic blocks (straight-line runs that end at a jump,
//! a branch, a system instruction, a page boundary or [`MAX_BLOCK`] instructions).
//! Blocks are found by pc through a small direct-mapped table in front of a hash
//! map. Pages that hold decoded code are marked in guest memory, so a store to
//! them (self-modifying code, a guest JIT), `fence.i`, and unmapping or
//! re-protecting them drop the stale blocks.
//!
//! Handlers (`exec`) are pure semantics; counting, caching, trap routing and tiering
//! happen here: with a [`Jit`] attached, each block counts its executions, a block
//! that reaches the JIT's threshold gets its region compiled, and blocks with a
//! translation run as generated code (see `crate::jit`).

mod exec;
pub mod fp;

use crate::hart::{Hart, Trap};
use crate::isa::{self, ExtSet, Insn};
use crate::jit::{self, Jit, Region};
use crate::mem::{Mem, PAGE};
use std::collections::HashMap;

pub use exec::{execute, CACHE_BLOCK, TIME_FREQ};

/// Longest decoded block.
pub const MAX_BLOCK: usize = 64;
const FAST_SLOTS: usize = 1 << 14;

struct Block {
    pc: u64,
    /// The pc after the last instruction (where a block without a jump continues).
    end: u64,
    insns: Box<[Insn]>,
    /// The last instruction sets the pc itself.
    ends_in_jump: bool,
    /// How the block runs when a JIT is attached.
    tier: Tier,
}

/// Where a block stands with the JIT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    /// Interpreted; executed this many times so far.
    Cold(u32),
    /// Runs as generated code: function `func`, entered at its block `entry`.
    Jit { func: u32, entry: u32 },
    /// Interpreted while the host compiles its region in the background (`ticket`);
    /// asked again after `wait` more executions.
    Pending { ticket: u32, wait: u32 },
    /// Interpreted for good (no region can start here).
    Never,
    /// Compiled into function `func` (block `entry`), which returns too soon to be
    /// worth a call from here (see [`jit::MIN_YIELD`]): interpreted when the run
    /// loop reaches it, but generated code still chains into it.
    Demoted { func: u32, entry: u32 },
}

/// Decoded blocks by guest pc.
pub struct CodeCache {
    blocks: Vec<Block>,
    by_pc: HashMap<u64, u32>,
    by_page: HashMap<u64, Vec<u32>>,
    /// Direct-mapped front of `by_pc`: `(pc, block)`, pc 0 meaning empty (page 0 is
    /// never executable).
    fast: Box<[(u64, u32)]>,
    /// The JIT tier, when there is one; it survives flushes of the cache.
    pub jit: Option<Jit>,
    /// Regions being compiled in the background, by ticket, with their head block.
    pending: HashMap<u32, (u32, Region)>,
    /// The CPU's extensions: instructions of the others decode as illegal.
    pub exts: ExtSet,
}

impl Default for CodeCache {
    fn default() -> Self {
        CodeCache {
            blocks: Vec::new(),
            by_pc: HashMap::new(),
            by_page: HashMap::new(),
            fast: vec![(0, 0); FAST_SLOTS].into_boxed_slice(),
            jit: None,
            pending: HashMap::new(),
            exts: ExtSet::default(),
        }
    }
}

impl std::fmt::Debug for CodeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeCache")
            .field("blocks", &self.by_pc.len())
            .finish()
    }
}

fn slot(pc: u64) -> usize {
    ((pc >> 1) as usize) & (FAST_SLOTS - 1)
}

impl CodeCache {
    #[inline(always)]
    fn lookup(&mut self, pc: u64) -> Option<u32> {
        let (key, idx) = self.fast[slot(pc)];
        // Key 0 marks an empty slot: a jump to 0 (a null function pointer) must miss
        // and fault, not run whatever block the slot's index names.
        if key == pc && pc != 0 {
            return Some(idx);
        }
        let idx = *self.by_pc.get(&pc)?;
        self.fast[slot(pc)] = (pc, idx);
        Some(idx)
    }

    /// Whether a block starting at `pc` is cached.
    pub fn contains(&self, pc: u64) -> bool {
        self.by_pc.contains_key(&pc)
    }

    /// The end of the block at `pc`, decoding it if needed (`None` if it cannot be):
    /// a run that must stop at breakpoints can run a block whole when none is inside.
    pub fn block_end(&mut self, mem: &mut Mem, pc: u64) -> Option<u64> {
        let idx = match self.lookup(pc) {
            Some(idx) => idx,
            None => self.translate(mem, pc).ok()?,
        };
        Some(self.blocks[idx as usize].end)
    }

    /// Decodes the block at `pc`. A fetch fault on its first instruction is the
    /// block's result; a later one just ends the block early.
    fn translate(&mut self, mem: &mut Mem, pc: u64) -> Result<u32, Trap> {
        if pc & 1 != 0 {
            return Err(Trap::Fault {
                addr: pc,
                access: crate::hart::Access::Exec,
                mapped: true,
            });
        }
        let mut insns = Vec::new();
        let mut at = pc;
        let mut ends_in_jump = false;
        while insns.len() < MAX_BLOCK {
            let word = match mem.fetch(at) {
                Ok(w) => w,
                Err(t) if insns.is_empty() => return Err(t),
                Err(_) => break,
            };
            let insn = Insn {
                off: (at - pc) as u8,
                ..isa::decode_for(word, self.exts)
            };
            insns.push(insn);
            at += insn.len as u64;
            if insn.op.ends_block() {
                ends_in_jump = insn.op.flags().contains(isa::Flags::CTRL);
                break;
            }
            if at / PAGE != pc / PAGE {
                break;
            }
        }
        let idx = self.blocks.len() as u32;
        for page in (pc / PAGE)..=((at - 1) / PAGE) {
            self.by_page.entry(page).or_default().push(idx);
        }
        self.blocks.push(Block {
            pc,
            end: at,
            insns: insns.into_boxed_slice(),
            ends_in_jump,
            tier: Tier::Cold(0),
        });
        self.by_pc.insert(pc, idx);
        self.fast[slot(pc)] = (pc, idx);
        Ok(idx)
    }

    /// Drops every block that overlaps `[start, end)`.
    pub fn invalidate(&mut self, mem: &mut Mem, start: u64, end: u64) {
        if !mem.clear_code_marks(start, end) {
            return;
        }
        for page in (start / PAGE)..end.div_ceil(PAGE) {
            for idx in self.by_page.remove(&page).unwrap_or_default() {
                let pc = self.blocks[idx as usize].pc;
                if self.by_pc.get(&pc) == Some(&idx) {
                    self.by_pc.remove(&pc);
                }
                if self.fast[slot(pc)] == (pc, idx) {
                    self.fast[slot(pc)] = (0, 0);
                }
            }
        }
        // A block's code may straddle into a neighbouring page: drop the marks there
        // too so the neighbour is re-marked when it is decoded again.
        if self.by_pc.is_empty() {
            self.blocks.clear();
        }
        self.flush_jit();
    }

    /// Drops all decoded code.
    pub fn flush(&mut self, mem: &mut Mem) {
        mem.clear_code_marks(0, mem.size());
        *self = CodeCache {
            jit: self.jit.take(),
            exts: self.exts,
            ..CodeCache::default()
        };
        if let Some(jit) = &mut self.jit {
            jit.flush();
        }
    }

    /// Drops all generated code; every block starts counting again.
    fn flush_jit(&mut self) {
        let Some(jit) = &mut self.jit else { return };
        jit.flush();
        self.pending.clear();
        for b in &mut self.blocks {
            b.tier = Tier::Cold(0);
        }
    }

    /// The JIT's part of running block `idx`: runs it as generated code when it has
    /// a translation (compiling its region first when it just became hot). Returns
    /// why generated code stopped and the loop iterations it took, or `None` when
    /// the block is to be interpreted.
    fn tier_up(
        &mut self,
        mem: &mut Mem,
        hart: &mut Hart,
        idx: u32,
    ) -> Option<(jit::abi::Exit, u32)> {
        let jit = self.jit.as_mut()?;
        let block = &mut self.blocks[idx as usize];
        let (func, entry) = match block.tier {
            Tier::Jit { func, entry } => (func, entry),
            Tier::Never | Tier::Demoted { .. } => return None,
            Tier::Cold(n) if n + 1 < jit.threshold => {
                block.tier = Tier::Cold(n + 1);
                return None;
            }
            Tier::Cold(_) => self.compile_region(mem, idx)?,
            Tier::Pending { ticket, wait } if wait > 0 => {
                block.tier = Tier::Pending {
                    ticket,
                    wait: wait - 1,
                };
                return None;
            }
            Tier::Pending { ticket, .. } => self.compiled(ticket, idx)?,
        };
        let jit = self.jit.as_mut()?;
        let (exit, iters, demote) = if jit.lockstep.is_some() {
            jit::lockstep::enter(jit, mem, hart, self.exts, func, entry)
        } else {
            jit.enter(hart, func, entry)
        };
        if exit == jit::abi::Exit::Jump {
            self.left_for(hart.pc);
        }
        if demote {
            for b in &mut self.blocks {
                if let Tier::Jit { func: f, entry } = b.tier {
                    if f == func {
                        b.tier = Tier::Demoted { func, entry };
                    }
                }
            }
        }
        Some((exit, iters))
    }

    /// Generated code returned to the component to continue at `pc`, whose block
    /// it could not chain to. Not compiled: each such return costs a round trip, so
    /// the block heats faster ([`jit::EXIT_HEAT`]). Compiled: its link was evicted
    /// by a block whose pc hashes alike, and is put back (the hotter of the two ends
    /// up holding the entry).
    fn left_for(&mut self, pc: u64) {
        let Some(t) = self.lookup(pc) else { return };
        let Some(jit) = self.jit.as_mut() else { return };
        match &mut self.blocks[t as usize].tier {
            Tier::Cold(n) => *n = n.saturating_add(jit::EXIT_HEAT - 1),
            Tier::Jit { func, entry } | Tier::Demoted { func, entry } => {
                jit.link(pc, *func, *entry)
            }
            Tier::Never | Tier::Pending { .. } => {}
        }
    }

    /// Compiles the region that grows from block `idx` and points its blocks at the
    /// generated function; returns the head's `(func, entry)`. With a background
    /// compiler the region is only started (the head waits as [`Tier::Pending`] and
    /// is interpreted meanwhile): `None`.
    fn compile_region(&mut self, mem: &mut Mem, idx: u32) -> Option<(u32, u32)> {
        if self
            .jit
            .as_ref()
            .is_some_and(|j| j.full(self.pending.len()))
        {
            self.flush_jit();
        }
        let head = self.blocks[idx as usize].pc;
        let region = Region::discover(
            head,
            |pc| {
                let i = match self.lookup(pc) {
                    Some(i) => i,
                    None => self.translate(mem, pc).ok()?,
                };
                Some(self.blocks[i as usize].insns.to_vec())
            },
            jit::lower::translatable,
        );
        let Some(region) = region else {
            self.blocks[idx as usize].tier = Tier::Never;
            return None;
        };
        let jit = self.jit.as_mut()?;
        if jit.background() {
            if let Some(ticket) = jit.start(&region) {
                // Its blocks wait for it rather than start regions of their own.
                self.retier(&region, idx, false, |_| Tier::Pending { ticket, wait: 0 });
                self.pending.insert(ticket, (idx, region));
                return None;
            }
        }
        let func = jit.compile(&region);
        self.install(func, &region, idx, idx)
    }

    /// Asks how the background compilation `ticket` of a region holding block `idx`
    /// went; the block's `(func, entry)` once it is installed.
    fn compiled(&mut self, ticket: u32, idx: u32) -> Option<(u32, u32)> {
        let Some((_, region)) = self.pending.get(&ticket) else {
            // The host rejected the region (its head was told): count again.
            self.blocks[idx as usize].tier = Tier::Cold(0);
            return None;
        };
        let done = self.jit.as_mut()?.finish(ticket, region);
        let Some(func) = done else {
            // Still compiling: ask again after a while (a question is a host call).
            self.blocks[idx as usize].tier = Tier::Pending {
                ticket,
                wait: jit::POLL_EVERY,
            };
            return None;
        };
        let (head, region) = self.pending.remove(&ticket)?;
        self.install(func, &region, head, idx)
    }

    /// Gives the blocks of `region` that are still interpreted (`Cold`, and with
    /// `pending` those waiting for a compilation too), and block `idx` in any case,
    /// the tier `tier(entry)` for their index in the region.
    fn retier(&mut self, region: &Region, idx: u32, pending: bool, tier: impl Fn(u32) -> Tier) {
        for (entry, b) in region.blocks.iter().enumerate() {
            let Some(i) = self.lookup(b.pc) else { continue };
            let block = &mut self.blocks[i as usize];
            let waiting = pending && matches!(block.tier, Tier::Pending { .. });
            if matches!(block.tier, Tier::Cold(_)) || waiting || i == idx {
                block.tier = tier(entry as u32);
            }
        }
    }

    /// Points the blocks of `region`, compiled as function `func`, at it (those not
    /// already running generated code, and block `idx` in any case) and lets
    /// generated code chain to them; returns block `idx`'s `(func, entry)`. When the
    /// host rejected the region (`func` is `None`), its head block `head` starts no
    /// region again.
    fn install(
        &mut self,
        func: Option<u32>,
        region: &Region,
        head: u32,
        idx: u32,
    ) -> Option<(u32, u32)> {
        let Some(func) = func else {
            self.blocks[head as usize].tier = Tier::Never;
            return None;
        };
        if let Some(jit) = self.jit.as_mut() {
            for (entry, b) in region.blocks.iter().enumerate() {
                jit.link(b.pc, func, entry as u32);
            }
        }
        self.retier(region, idx, true, |entry| Tier::Jit { func, entry });
        match self.blocks[idx as usize].tier {
            Tier::Jit { func, entry } => Some((func, entry)),
            _ => None,
        }
    }
}

/// Runs guest code until something the run loop cannot handle by itself happens
/// (a system call, a fault, an illegal instruction, `ebreak`) or `budget` blocks
/// have run (then `None`). On return `hart.pc` points at the trapping instruction
/// (for `Ecall`: at the `ecall`).
pub fn run(hart: &mut Hart, mem: &mut Mem, code: &mut CodeCache, mut budget: u64) -> Option<Trap> {
    // Set when generated code left an instruction for the interpreter to run.
    let mut interpret = false;
    while budget > 0 {
        budget -= 1;
        let pc = hart.pc;
        let idx = match code.lookup(pc) {
            Some(idx) => idx,
            None => match code.translate(mem, pc) {
                Ok(idx) => idx,
                Err(t) => return Some(t),
            },
        };
        if !std::mem::take(&mut interpret) {
            if let Some((exit, iters)) = code.tier_up(mem, hart, idx) {
                budget = budget.saturating_sub(iters as u64);
                interpret = exit.needs_interpreter();
                continue;
            }
        }
        let block = &code.blocks[idx as usize];
        let (body, last) = match block.insns.split_last() {
            Some((last, body)) if block.ends_in_jump => (body, Some(last)),
            _ => (&block.insns[..], None),
        };
        hart.instret += block.insns.len() as u64;
        // `hart.pc` stays at the block start while the block runs (see `exec`).
        let mut trap = None;
        for insn in body {
            if let Err(t) = execute(hart, mem, insn) {
                trap = Some((t, insn));
                break;
            }
        }
        match (trap, last) {
            (None, Some(insn)) => match execute(hart, mem, insn) {
                Ok(()) => continue,
                Err(t) => trap = Some((t, insn)),
            },
            (None, None) => {
                hart.pc = block.end;
                continue;
            }
            (Some(_), _) => {}
        }
        let Some((t, insn)) = trap else { continue };
        hart.pc = block.pc.wrapping_add(insn.off as u64);
        if let Some(t) = settle(hart, mem, code, t, insn.len) {
            return Some(t);
        }
    }
    None
}

/// Deals with a trap of the instruction of length `len` at `hart.pc` that only the
/// code cache cares about: after a store to decoded code or a `fence.i` the stale
/// blocks go and execution continues after the instruction (`None`). Any other trap
/// is returned, with `hart.pc` still at the instruction.
fn settle(hart: &mut Hart, mem: &mut Mem, code: &mut CodeCache, t: Trap, len: u8) -> Option<Trap> {
    match t {
        Trap::CodeModified { addr } => {
            code.invalidate(mem, addr & !(PAGE - 1), addr.saturating_add(8));
        }
        Trap::FenceI => code.flush(mem),
        t => return Some(t),
    }
    hart.pc = hart.pc.wrapping_add(len as u64);
    None
}

/// Executes the one instruction at `hart.pc` (single-stepping, breakpoints), outside
/// the block cache. Returns what [`run`] returns for a trap; on a trap `hart.pc` points
/// at the instruction.
pub fn step(hart: &mut Hart, mem: &mut Mem, code: &mut CodeCache) -> Option<Trap> {
    let (t, len) = execute_at(hart, mem, code.exts).err()?;
    settle(hart, mem, code, t, len)
}

/// Fetches, decodes (for the extensions `exts`) and executes the one instruction at
/// `hart.pc`, touching no decoded-code cache; returns its raw word. On a trap
/// `hart.pc` points at the instruction, and the error carries the instruction's
/// length (0 when it could not be fetched).
pub fn execute_at(hart: &mut Hart, mem: &mut Mem, exts: ExtSet) -> Result<u32, (Trap, u8)> {
    let pc = hart.pc;
    if pc & 1 != 0 {
        let fault = Trap::Fault {
            addr: pc,
            access: crate::hart::Access::Exec,
            mapped: true,
        };
        return Err((fault, 0));
    }
    let word = mem.fetch(pc).map_err(|t| (t, 0))?;
    let insn = isa::decode_for(word, exts);
    hart.instret += 1;
    match execute(hart, mem, &insn) {
        Ok(()) if insn.op.flags().contains(isa::Flags::CTRL) => {}
        Ok(()) => hart.pc = pc.wrapping_add(insn.len as u64),
        Err(t) => {
            hart.pc = pc;
            return Err((t, insn.len));
        }
    }
    Ok(word)
}

/// Decodes the instruction at `pc` without caching it (for tracing and errors), with
/// its raw word (the low halfword for a compressed one), which disassembly needs.
pub fn peek(mem: &Mem, pc: u64) -> Option<(Insn, u32)> {
    let lo = u16::from_le_bytes(mem.slice(pc, 2)?.try_into().ok()?);
    let word = if lo & 3 == 3 {
        u32::from_le_bytes(mem.slice(pc, 4)?.try_into().ok()?)
    } else {
        lo as u32
    };
    Some((isa::decode(word), word))
}
