//! The JIT tier: hot RISC-V code becomes wasm modules that the host compiles to native
//! code (the second JIT stage, Cranelift in wasmtime).
//!
//! - Tiering lives in the interpreter's block cache (`interp/mod.rs`): it counts
//!   executions per block, and when a block's count reaches the threshold it asks
//!   [`Jit::compile`] for a [`Region`] grown from that block. Every block of the
//!   region then runs through the region's function, entered at that block.
//! - [`region`] picks the blocks, [`emit`] assembles the module, [`lower`] translates
//!   single instructions (keyed by the instruction table's opcodes), [`abi`] is the
//!   contract with the generated code, [`backend`] reaches the host.
//! - Invalidation is all or nothing: when decoded code is dropped (a store to a code
//!   page, `fence.i`, munmap/mprotect of code), the block cache calls [`Jit::flush`],
//!   which drops the host's JIT store; nothing compiled before runs again. The same
//!   happens when [`MAX_MODULES`] modules have been compiled.
//! - Guest state stays in the component's memory: generated code reads and writes
//!   the [`Hart`] and guest RAM directly (through the host's alias of this memory)
//!   while the component waits in [`Jit::enter`].
//! - Regions chain inside wasm: [`Jit::link`] enters every block of a compiled
//!   region in a table generated code reads (see [`abi::Link`]), so a jump out of
//!   one region into another is a tail call, not a return to the component. The
//!   table is emptied whenever a function it names may no longer run. A demoted
//!   function (see [`MIN_YIELD`]) stays linked: what is too short to be worth a
//!   call from the component is still worth a tail call from generated code.

pub mod abi;
pub mod backend;
pub mod emit;
pub mod fp;
pub mod lockstep;
pub mod lower;
pub mod region;

#[cfg(test)]
mod tests;

use crate::hart::Hart;
use crate::mem::Mem;
use abi::{Exit, Layout, Link, LINKS, NO_LINK};
use backend::Backend;
pub use region::Region;
use std::time::{Duration, Instant};

/// Executions of a block before its region is compiled, unless `--jit-threshold`
/// says otherwise. Compiling a region costs a few milliseconds of the compiler
/// thread, as much as interpreting about a million instructions; the blocks keep
/// running meanwhile. Measured (README, "The JIT tier"): at 1000 short dynamic
/// programs start slower (C++ STL test, cold module cache: 0.15 s against 0.11 s),
/// at 10,000 SQLite's bench interprets 37M instructions in blocks still warming up
/// and takes 1.70 s against 1.41 s at 3000.
pub const DEFAULT_THRESHOLD: u32 = 3_000;

/// How many executions a jump out of generated code into a block that is not
/// compiled counts for. Such a jump returns to the component (a round trip costs
/// about as much as interpreting 15-20 instructions) and interprets the block, so
/// blocks that hot code keeps leaving for reach the threshold sooner (after about
/// 190 such jumps at the default). Lua's bench (the interpreter's opcode handlers,
/// reached by an indirect jump that regions do not follow): 670K of 760K returns
/// went to such blocks while they warmed up to 10,000.
pub const EXIT_HEAT: u32 = 16;

/// Calls into a region's function before its yield is judged (see [`MIN_YIELD`]).
pub const JUDGE_AFTER: u32 = 256;

/// Fewest guest instructions per call, on average, for a region to keep running as
/// generated code. A call into generated code and back costs about as much as
/// interpreting 15-20 instructions (measured: qsort with a comparator callback made
/// 3.7M calls of 15 instructions each and ran at half the interpreter's speed), so a
/// region that returns sooner than this is worth less than interpreting it. Such
/// regions are demoted: the run loop interprets their blocks from then on, while
/// generated code still chains into them.
pub const MIN_YIELD: u64 = 64;

/// Executions of a block waiting for its region's background compilation between
/// two questions to the host (each is a host call; compiling takes milliseconds).
pub const POLL_EVERY: u32 = 64;

/// Modules compiled before the JIT store is dropped and rebuilt (the host store's
/// instance limit is 10,000; each module costs some tens of KiB of host memory).
pub const MAX_MODULES: u32 = 2000;

/// What the JIT did, for `-d jit`.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Regions compiled.
    pub regions: u64,
    /// Guest instructions in those regions.
    pub insns: u64,
    /// Bytes of wasm generated.
    pub bytes: u64,
    /// Regions the host refused (should be 0).
    pub rejected: u64,
    /// Time spent generating and compiling modules (the host's compiler thread's
    /// time for those compiled in the background).
    pub compile_time: Duration,
    /// Regions compiled in the background while their code was interpreted.
    pub background: u64,
    /// Times everything compiled was dropped.
    pub flushes: u64,
    /// Calls into generated code.
    pub enters: u64,
    /// Regions demoted for returning too soon (see [`MIN_YIELD`]).
    pub demoted: u64,
    /// Exits by reason (indexed by [`Exit`] as a number).
    pub exits: [u64; Exit::ALL.len()],
}

/// The JIT tier of one process.
pub struct Jit {
    backend: Box<dyn Backend>,
    layout: Layout,
    /// Executions of a block before its region is compiled (at least 1).
    pub threshold: u32,
    modules: u32,
    /// Per function index: calls and guest instructions run, until judged.
    yields: Vec<(u32, u64)>,
    /// The chaining table generated code reads (at `layout.links`).
    links: Box<[Link]>,
    /// Counters for `-d jit`.
    pub stats: Stats,
    /// Set for `-jit-lockstep`: every call is checked against the interpreter.
    pub lockstep: Option<lockstep::Lockstep>,
}

impl std::fmt::Debug for Jit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jit")
            .field("layout", &self.layout)
            .field("modules", &self.modules)
            .finish()
    }
}

impl Jit {
    /// The JIT for guest memory `mem`, on the host's backend; the reason when this
    /// build or host has none (the process is then interpreted).
    pub fn new(mem: &mut Mem, threshold: u32) -> Result<Jit, String> {
        Ok(Jit::with_backend(
            backend::host()?,
            mem.jit_layout(),
            threshold,
        ))
    }

    /// The JIT on a given backend, for code laid out as `layout` says.
    pub fn with_backend(backend: Box<dyn Backend>, mut layout: Layout, threshold: u32) -> Jit {
        let empty = Link {
            pc: NO_LINK,
            func: 0,
            entry: 0,
        };
        let links = vec![empty; LINKS].into_boxed_slice();
        // Generated code reads the table at this component address (the boxed slice
        // does not move while the Jit lives).
        layout.links = links.as_ptr() as usize as u32;
        Jit {
            backend,
            layout,
            links,
            threshold: threshold.max(1),
            modules: 0,
            yields: Vec::new(),
            stats: Stats::default(),
            lockstep: None,
        }
    }

    /// Whether the JIT store should be dropped before compiling more, with
    /// `pending` modules still compiling.
    pub fn full(&self, pending: usize) -> bool {
        self.modules as usize + pending >= MAX_MODULES as usize
    }

    /// Whether regions compile in the background while their code is interpreted.
    /// Not at a threshold of 1: that asks for everything to run as generated code
    /// from its first execution (the tests that hold the JIT to qemu rely on it).
    pub fn background(&self) -> bool {
        self.threshold > 1
    }

    /// Starts compiling `region` in the background; its ticket, or `None` when the
    /// backend cannot (then [`Jit::compile`] it).
    pub fn start(&mut self, region: &Region) -> Option<u32> {
        let started = Instant::now();
        let module = self.generate(region);
        let ticket = self.backend.start(&module);
        self.stats.compile_time += started.elapsed();
        ticket
    }

    /// How the background compilation `ticket` of `region` went: `None` while it
    /// runs, then the function's index (or `None` when the host rejected it).
    pub fn finish(&mut self, ticket: u32, region: &Region) -> Option<Option<u32>> {
        let done = self.backend.done(ticket)?;
        if let Ok((_, took)) = done {
            self.stats.compile_time += took;
            self.stats.background += 1;
        }
        Some(self.settle(region, done.map(|(func, _)| func)))
    }

    /// Generates the module for `region` (validated in debug builds).
    fn generate(&mut self, region: &Region) -> Vec<u8> {
        let module = emit::module(region, self.layout, lower::LOWERING);
        #[cfg(debug_assertions)]
        if let Err(e) = emit::validate(&module) {
            panic!("generated module does not validate: {e}");
        }
        self.stats.bytes += module.len() as u64;
        module
    }

    /// Counts what the host made of the module for `region`: a function index, or
    /// a rejection (said once); the index, if any.
    fn settle(&mut self, region: &Region, result: Result<u32, String>) -> Option<u32> {
        match result {
            Ok(func) => {
                self.modules += 1;
                self.stats.regions += 1;
                self.stats.insns += region.insn_count() as u64;
                Some(func)
            }
            Err(e) => {
                if self.stats.rejected == 0 {
                    eprintln!("mvvm: the host rejected a generated module: {e}");
                }
                self.stats.rejected += 1;
                None
            }
        }
    }

    /// Generates and compiles the module for `region`; returns its function's index,
    /// or `None` when the host rejected it (the region then stays interpreted).
    pub fn compile(&mut self, region: &Region) -> Option<u32> {
        let started = Instant::now();
        let module = self.generate(region);
        let result = self.backend.compile(&module);
        self.stats.compile_time += started.elapsed();
        self.settle(region, result)
    }

    /// Runs generated code: function `func` from its block `entry`, on `hart`.
    /// Returns why it stopped, how many loop iterations it took, and whether the
    /// function has just been found not worth calling (see [`MIN_YIELD`]); `hart.pc`
    /// is where to continue.
    pub fn enter(&mut self, hart: &mut Hart, func: u32, entry: u32) -> (Exit, u32, bool) {
        let before = hart.instret;
        // Generated code reads and writes `*hart` through this address while the
        // call lasts; `hart` is not used meanwhile, and the call is opaque to the
        // compiler, so it rereads the hart afterwards.
        let state = hart as *mut Hart as usize as u32;
        let word = self.backend.enter(func, entry, state);
        let (exit, iters) = Exit::decode(word);
        self.stats.enters += 1;
        self.stats.exits[exit as usize] += 1;
        let demote = self.judge(func, hart.instret.wrapping_sub(before));
        (exit, iters, demote)
    }

    /// Records one call of `func` that ran `insns` instructions; true when the
    /// function is judged (once) and found to return too soon.
    fn judge(&mut self, func: u32, insns: u64) -> bool {
        let i = func as usize;
        if i >= self.yields.len() {
            self.yields.resize(i + 1, (0, 0));
        }
        let (calls, total) = &mut self.yields[i];
        if *calls > JUDGE_AFTER {
            return false;
        }
        *calls += 1;
        *total += insns;
        if *calls <= JUDGE_AFTER {
            return false;
        }
        let demote = *total < MIN_YIELD * JUDGE_AFTER as u64;
        self.stats.demoted += demote as u64;
        demote
    }

    /// Lets generated code chain to block `entry` of function `func` at `pc`.
    pub fn link(&mut self, pc: u64, func: u32, entry: u32) {
        self.links[abi::link_slot(pc)] = Link { pc, func, entry };
    }

    /// Drops everything compiled (the caller forgets the function indices).
    pub fn flush(&mut self) {
        // Links only name installed modules: with none there is nothing to clear
        // (programs that modify code flush often; the table is 1 MiB).
        if self.modules > 0 {
            for l in self.links.iter_mut() {
                l.pc = NO_LINK;
            }
            self.backend.flush();
            self.modules = 0;
            self.yields.clear();
            self.stats.flushes += 1;
        }
    }

    /// The `-d jit` report.
    pub fn report(&self) -> String {
        let s = &self.stats;
        let exits: Vec<String> = Exit::ALL
            .iter()
            .map(|e| format!("{} {}", e.name(), s.exits[*e as usize]))
            .collect();
        let lockstep = match &self.lockstep {
            Some(l) => format!("; lockstep: {} checks", l.checks),
            None => String::new(),
        };
        format!(
            "jit: {} regions ({} instructions, {} KiB of wasm, {} rejected) compiled in {:.3} s \
             ({} in the background), {} flushes; {} calls, {} regions demoted; exits: {}{lockstep}",
            s.regions,
            s.insns,
            s.bytes / 1024,
            s.rejected,
            s.compile_time.as_secs_f64(),
            s.background,
            s.flushes,
            s.enters,
            s.demoted,
            exits.join(", ")
        )
    }
}
