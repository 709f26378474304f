//! Module assembly: turns a [`Region`] into one core wasm module (see [`abi`] for its
//! contract) with wasm-encoder, and the helpers the per-instruction lowerings in
//! [`lower`](super::lower) are written with.
//!
//! The region's function keeps guest registers in wasm locals: they are loaded from
//! the [`Hart`](crate::hart::Hart) at entry and written back on the single exit path.
//! Its body is laid out as:
//!
//! ```text
//! block $exit
//!  block $budget  block $syscall  block $interp  block $slow  block $jump
//!   loop $top                         ;; back edges: set $entry, br $top
//!     block $B(n-1) ... block $B1
//!       block $B0
//!         local.get $entry
//!         br_table $B0 .. $B(n-1)      ;; only when the region has several blocks
//!       end  <code of block 0>        ;; forward edges to block j: br $Bj
//!     end    <code of block 1>
//!     ...
//!   end
//!   unreachable
//!  end $jump: code = jump, br $exit   ;; an exit: pc_out = pc, br $<reason>
//!  ... one such tail per reason
//! end
//! write back registers, pc, instret; return the exit word
//! ```
//!
//! Every block's code ends in a branch, so a loop whose blocks are all in the region
//! runs as a wasm loop without leaving the function. A block that branches to itself
//! (most hot inner loops) has its code wrapped in a `loop` of its own, and so does a
//! range of blocks whose last branches back to its first ([`loops`]: the labels of
//! the range's later blocks open inside that `loop`, whose head sends an entry at
//! one of them on with a `br_table` of its own), so their back edges are plain
//! branches rather than trips through the dispatch table. Guest loads and stores check
//! the address against the window and the page's permission byte, and leave to the
//! interpreter ([`Exit::Slow`]) whatever is not a plain access inside one page. One
//! check covers a run of accesses through the same base register within a block
//! ([`plan_checks`]): `ld a0,0(a1); ld a2,8(a1); sd a0,0(a3)` checks `a1`'s 16 bytes
//! once, at the first load, and `a3`'s 8 at the store.

use super::abi::{self, Exit, Layout};
use super::region::Region;
use crate::isa::{Flags, Insn, Opcode};
use crate::mem::{CODE, PAGE, R, W};
use wasm_encoder::{
    BlockType, CodeSection, Encode, EntityType, ExportKind, ExportSection, Function,
    FunctionSection, ImportSection, InstructionSink, MemArg, MemArgTarget, MemoryType, Module,
    RefType, TableType, TypeSection, ValType,
};

pub use wasm_encoder::Instruction;

// Locals of a region's function. Parameters first, then x1..x31, then temporaries.
const STATE: u32 = 0;
/// The `entry` parameter doubles as the dispatch index of the back-edge `br_table`.
const ENTRY: u32 = 1;
const FIRST_REG: u32 = 1; // x_r lives in local FIRST_REG + r, r in 1..=31
const ADDR: u32 = 33;
const PC_OUT: u32 = 34;
const CODE_OUT: u32 = 35;
/// Loop iterations (back edges and chained calls) this call may still take before
/// it returns with [`Exit::Budget`]: counting down makes a back edge's test a
/// decrement and a branch.
const ITERS: u32 = 36;
const ICOUNT: u32 = 37;
/// Scratch i64 for lowerings (an indirect jump target).
pub const TMP: u32 = 38;
/// A second scratch i64.
pub const TMP2: u32 = 39;
const FIRST_FREG: u32 = 40; // f_r lives in local FIRST_FREG + r, r in 0..=31
/// Scratch f64 locals for the FP lowerings: `FTMP + k`, k < [`FTMPS`].
pub const FTMP: u32 = FIRST_FREG + 32;
/// How many scratch f64 locals there are.
pub const FTMPS: u32 = 10;
/// Scratch i32 (flags being raised).
pub const TMP32: u32 = FTMP + FTMPS;
/// Pairs of i64 locals `(base, len)` that remember, in a block looping on itself,
/// the page a check site last found accessible ([`Emitter::check_span`]):
/// `CACHE + 2 * slot` and the one after, slot < [`CACHES`].
const CACHE: u32 = TMP32 + 1;
/// How many check sites of a self loop remember their page.
const CACHES: u32 = 6;

/// Most return sites an indirect jump compares its target with before it leaves.
const MAX_RETURN_SITES: usize = 8;

/// What the control stack holds, to turn branch targets into relative depths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    Exit,
    Reason(Exit),
    Top,
    Block(usize),
    /// The loop around the code of a block that branches back to itself.
    SelfLoop(usize),
    /// The loop around the code of blocks `j..=k` whose head `j` later blocks of
    /// the range branch back to ([`loops`]).
    Loop(usize),
    If,
    /// After an address check ([`Emitter::check_span`]).
    Checked,
    /// An address check's second look, at both pages.
    Recheck,
}

/// Builds the body of one region's function; lowerings call its helpers.
pub struct Emitter<'r> {
    body: Vec<u8>,
    labels: Vec<Label>,
    layout: Layout,
    region: &'r Region,
    /// Layout index of the block being emitted.
    block: usize,
    /// Registers read or written (bit r), which are loaded at entry.
    used: u32,
    /// Registers written (bit r), which are stored at exit.
    written: u32,
    /// FP registers read or written (bit r), loaded at entry.
    fused: u32,
    /// FP registers written (bit r), stored at exit.
    fwritten: u32,
    /// The address checks of the block being emitted ([`plan_checks`]).
    checks: Vec<Option<Span>>,
    /// Which of them remember their page, in which [`CACHE`] slot (in a self loop).
    cached: Vec<Option<u32>>,
    /// Index in its block of the instruction being lowered.
    index: usize,
    /// What the block being emitted has tested `frm` to be so far.
    pub frm_known: FrmKnown,
    /// The ranges of blocks kept as wasm loops ([`loops`]).
    loops: Vec<(usize, usize)>,
    /// The per-instruction lowerings.
    lowering: Lowering,
}

/// What earlier code of a block has tested the dynamic rounding mode `frm` to be:
/// the test at a block's first FP instruction with `rm = DYN` holds for the rest
/// of it, unless a CSR write changes `frm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FrmKnown {
    /// Nothing tested.
    Unknown,
    /// A valid mode (0..=4).
    Valid,
    /// Round to nearest, ties to even.
    Rne,
}

/// The bytes `[base + lo, base + hi)` one check covers, relative to a base register,
/// and the access they need: readable for loads, writable and free of decoded code
/// for stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    lo: i64,
    hi: i64,
    load: bool,
    store: bool,
}

/// Widest span one check covers: a run that would grow beyond it starts a new check,
/// so that a check rarely fails only because its span crosses a page.
const MAX_SPAN: i64 = 256;

/// What the emitter needs to know of an instruction's memory access ahead of
/// lowering it: `(bytes, is_store)`, or `None` for instructions without one.
pub type AccessFn = fn(&Insn) -> Option<(u32, bool)>;

/// Which accesses of a block check their addresses (`Some`: the span to check,
/// relative to the access's own base register) and which are covered by an earlier
/// check (`None`, as for instructions without an access). A check covers a run of
/// accesses whose addresses are constant offsets from one value: the value a
/// register held when the block started, or one an instruction produced, followed
/// through `addi` (and so `mv`): in `addi a3,a5,24; sd a4,0(a3); addi a0,a5,32;
/// sd a6,0(a0)` both stores are `a5 + 24..40`, one check. Values never change, so a
/// run lasts to the block's end (the next block may be entered from elsewhere).
pub fn plan_checks(insns: &[Insn], access: AccessFn) -> Vec<Option<Span>> {
    let mut plan: Vec<Option<Span>> = vec![None; insns.len()];
    // What each register holds: (value, offset). Values 0..32 are the registers'
    // contents at the block's start, 32 + k what instruction k wrote.
    let mut holds: [(usize, i64); 32] = std::array::from_fn(|r| (r, 0));
    // The access whose check is open for each value.
    let mut open: Vec<Option<usize>> = vec![None; 32 + insns.len()];
    // The offset from its value of each checking access's base register.
    let mut base = vec![0i64; insns.len()];
    for (k, insn) in insns.iter().enumerate() {
        let (value, offset) = holds[(insn.rs1 & 31) as usize];
        if let Some((size, store)) = access(insn) {
            let lo = offset.wrapping_add(insn.imm as i64);
            let hi = lo.wrapping_add(size as i64);
            let joined = open[value]
                .and_then(|l| plan[l].as_mut())
                .filter(|s| s.hi.max(hi).wrapping_sub(s.lo.min(lo)) <= MAX_SPAN);
            match joined {
                Some(s) => {
                    s.lo = s.lo.min(lo);
                    s.hi = s.hi.max(hi);
                    s.load |= !store;
                    s.store |= store;
                }
                None => {
                    plan[k] = Some(Span {
                        lo,
                        hi,
                        load: !store,
                        store,
                    });
                    open[value] = Some(k);
                    base[k] = offset;
                }
            }
        }
        // Stores and branches have rd = x0; an FP destination leaves x[rd] alone.
        let rd = (insn.rd & 31) as usize;
        if rd != 0 && !insn.op.flags().contains(Flags::FD) {
            holds[rd] = if insn.op == Opcode::Addi {
                (value, offset.wrapping_add(insn.imm as i64))
            } else {
                (32 + k, 0)
            };
        }
    }
    for (span, base) in plan.iter_mut().zip(base) {
        if let Some(s) = span {
            s.lo = s.lo.wrapping_sub(base);
            s.hi = s.hi.wrapping_sub(base);
        }
    }
    plan
}

/// A memory access the lowerings ask for: its width and the wasm instruction.
#[derive(Clone, Copy)]
pub struct Access {
    /// Bytes accessed.
    pub size: u32,
    /// The wasm load or store, given its memory argument.
    pub op: fn(MemArg) -> Instruction<'static>,
}

/// A memory argument at `offset`, with no alignment promised (guest accesses need not
/// be aligned).
pub fn memarg(offset: u64) -> MemArg {
    MemArg {
        offset,
        align: 0,
        target: MemArgTarget::Memory(0),
        ordering: None,
    }
}

impl<'r> Emitter<'r> {
    /// Appends one wasm instruction.
    pub fn op(&mut self, i: Instruction<'_>) -> &mut Self {
        i.encode(&mut self.body);
        self
    }

    /// The raw instruction sink, for sequences of plain wasm operators.
    pub fn ins(&mut self) -> InstructionSink<'_> {
        InstructionSink::new(&mut self.body)
    }

    /// Pushes guest register `r` (an i64; `x0` reads as 0).
    pub fn get(&mut self, r: u8) -> &mut Self {
        let r = r & 31;
        if r == 0 {
            self.ins().i64_const(0);
        } else {
            self.used |= 1 << r;
            self.ins().local_get(FIRST_REG + r as u32);
        }
        self
    }

    /// Pops an i64 into guest register `r` (writes to `x0` are dropped).
    pub fn set(&mut self, r: u8) -> &mut Self {
        let r = r & 31;
        if r == 0 {
            self.ins().drop();
        } else {
            self.used |= 1 << r;
            self.written |= 1 << r;
            self.ins().local_set(FIRST_REG + r as u32);
        }
        self
    }

    /// Pushes FP register `r`'s raw bits, as an f64 (moves keep NaN payloads).
    pub fn fget(&mut self, r: u8) -> &mut Self {
        let r = r & 31;
        self.fused |= 1 << r;
        self.ins().local_get(FIRST_FREG + r as u32);
        self
    }

    /// Pops an f64 into FP register `r`.
    pub fn fset(&mut self, r: u8) -> &mut Self {
        let r = r & 31;
        self.fused |= 1 << r;
        self.fwritten |= 1 << r;
        self.ins().local_set(FIRST_FREG + r as u32);
        self
    }

    /// Pushes the hart's `fflags` byte (an i32).
    pub fn fflags(&mut self) -> &mut Self {
        self.ins().local_get(STATE).i32_load8_u(memarg(abi::FFLAGS));
        self
    }

    /// ORs the i32 on the stack into the hart's `fflags`.
    pub fn raise(&mut self) -> &mut Self {
        self.ins().local_set(TMP32);
        self.ins()
            .local_get(STATE)
            .local_get(STATE)
            .i32_load8_u(memarg(abi::FFLAGS))
            .local_get(TMP32)
            .i32_or()
            .i32_store8(memarg(abi::FFLAGS));
        self
    }

    /// Stores the i32 that `value` pushes (5 bits) as the hart's `fflags`.
    pub fn set_fflags(&mut self, value: impl FnOnce(&mut Self)) -> &mut Self {
        self.ins().local_get(STATE);
        value(self);
        self.ins().i32_store8(memarg(abi::FFLAGS));
        self
    }

    /// Stores the i32 that `value` pushes (3 bits) as the hart's `frm`.
    pub fn set_frm(&mut self, value: impl FnOnce(&mut Self)) -> &mut Self {
        self.frm_known = FrmKnown::Unknown;
        self.ins().local_get(STATE);
        value(self);
        self.ins().i32_store8(memarg(abi::FRM));
        self
    }

    /// Pushes the hart's dynamic rounding mode `frm` (an i32).
    pub fn frm(&mut self) -> &mut Self {
        self.ins().local_get(STATE).i32_load8_u(memarg(abi::FRM));
        self
    }

    /// Pushes an i64 constant.
    pub fn imm(&mut self, v: i64) -> &mut Self {
        self.ins().i64_const(v);
        self
    }

    fn open(&mut self, label: Label, kind: fn(&mut InstructionSink<'_>, BlockType)) {
        kind(&mut self.ins(), BlockType::Empty);
        self.labels.push(label);
    }

    fn end(&mut self) {
        self.labels.pop();
        self.ins().end();
    }

    /// Relative depth of `label` for `br`.
    fn depth(&self, label: Label) -> u32 {
        let pos = self.labels.iter().rposition(|l| *l == label);
        // The labels a block's code can name are always open while it is emitted.
        debug_assert!(pos.is_some(), "{label:?} is not open");
        let pos = pos.unwrap_or(0);
        (self.labels.len() - 1 - pos) as u32
    }

    /// `if` on the i32 condition on the stack; `then` emits the body.
    pub fn if_then(&mut self, then: impl FnOnce(&mut Self)) {
        self.open(Label::If, |s, bt| {
            s.if_(bt);
        });
        then(self);
        self.end();
    }

    /// `if`/`else` on the i32 condition on the stack.
    pub fn if_else(&mut self, then: impl FnOnce(&mut Self), otherwise: impl FnOnce(&mut Self)) {
        self.open(Label::If, |s, bt| {
            s.if_(bt);
        });
        then(self);
        self.ins().else_();
        otherwise(self);
        self.end();
    }

    /// Runs `then` if any of the i32 conditions that `conds` push is non-zero,
    /// testing them in order with one conditional branch each (Cranelift fuses a
    /// comparison into its branch; an `i32.or` of comparisons costs set and or).
    pub fn if_any(&mut self, conds: &[&dyn Fn(&mut Self)], then: impl FnOnce(&mut Self)) {
        self.open(Label::If, |s, bt| {
            s.block(bt);
        });
        self.open(Label::If, |s, bt| {
            s.block(bt);
        });
        for cond in conds {
            cond(self);
            self.ins().br_if(0);
        }
        self.ins().br(1);
        self.end();
        then(self);
        self.end();
    }

    /// Leaves the function for `reason`, continuing at the pc in `PC_OUT`.
    fn leave(&mut self, reason: Exit) {
        let depth = self.depth(Label::Reason(reason));
        self.ins().br(depth);
    }

    /// Leaves the function for `reason`; execution continues at `pc` (for an
    /// instruction the interpreter must run: at that instruction).
    pub fn exit_to(&mut self, reason: Exit, pc: u64) {
        self.ins().i64_const(pc as i64).local_set(PC_OUT);
        self.leave(reason);
    }

    /// Transfers control to `target` after the current (control) instruction: within
    /// the region when it holds a block there, else out of the function.
    pub fn goto(&mut self, target: u64) {
        match self.region.index_of(target) {
            Some(j) if j > self.block => {
                // A block inside a kept loop that is not open here (this block is
                // outside that loop) is entered through the loop's head, which
                // dispatches on the entry index, as it does when entered itself.
                let label = match self.inside_loop(j) {
                    Some(head) if !self.labels.contains(&Label::Block(j)) => head,
                    _ => j,
                };
                if self.is_loop_head(label) {
                    self.ins().i32_const(j as i32).local_set(ENTRY);
                }
                let depth = self.depth(Label::Block(label));
                self.ins().br(depth);
            }
            Some(j) => self.back_edge(j, target),
            None => self.exit_to(Exit::Jump, target),
        }
    }

    /// A backward (or self) edge to block `j`: one unit of fuel, then round the loop.
    fn back_edge(&mut self, j: usize, target: u64) {
        self.ins()
            .local_get(ITERS)
            .i32_const(1)
            .i32_sub()
            .local_tee(ITERS)
            .i32_eqz();
        self.if_then(|e| e.exit_to(Exit::Budget, target));
        if j == self.block && self.labels.contains(&Label::SelfLoop(j)) {
            // Straight round the block's own loop, without the dispatch table.
            let depth = self.depth(Label::SelfLoop(j));
            self.ins().br(depth);
            return;
        }
        if self.region.blocks.len() > 1 {
            self.ins().i32_const(j as i32).local_set(ENTRY);
        }
        // Round the loop kept in wasm, or else through the dispatch table.
        let label = if self.labels.contains(&Label::Loop(j)) {
            Label::Loop(j)
        } else {
            Label::Top
        };
        let depth = self.depth(label);
        self.ins().br(depth);
    }

    /// Whether block `j` heads a range kept as a wasm loop.
    fn is_loop_head(&self, j: usize) -> bool {
        self.loops.iter().any(|&(head, _)| head == j)
    }

    /// The head of the loop whose range holds block `x` after its head, if any:
    /// such a block is entered through its loop's head.
    fn inside_loop(&self, x: usize) -> Option<usize> {
        self.loops
            .iter()
            .find(|&&(j, k)| j < x && x <= k)
            .map(|&(j, _)| j)
    }

    /// Opens the loop headed by block `j` (ranging to `k`) and the labels of its
    /// later blocks, then sends an entry at one of those to its block.
    fn open_loop(&mut self, j: usize, k: usize) {
        self.open(Label::Loop(j), |s, bt| {
            s.loop_(bt);
        });
        for x in (j + 1..=k).rev() {
            self.open(Label::Block(x), |s, bt| {
                s.block(bt);
            });
        }
        self.ins().local_get(ENTRY).i32_const(j as i32).i32_ne();
        self.if_then(|e| {
            let targets: Vec<u32> = (j + 1..=k).map(|x| e.depth(Label::Block(x))).collect();
            let default = targets[0];
            e.ins()
                .local_get(ENTRY)
                .i32_const(j as i32 + 1)
                .i32_sub()
                .br_table(targets, default);
        });
    }

    /// Transfers control to the address in [`TMP`] after the current (control)
    /// instruction: to a return site of the region if it is one, else out.
    pub fn goto_dynamic(&mut self) {
        for j in self.region.return_sites(MAX_RETURN_SITES) {
            let pc = self.region.blocks[j].pc;
            self.ins().local_get(TMP).i64_const(pc as i64).i64_eq();
            self.if_then(|e| e.goto(pc));
        }
        self.ins().local_get(TMP).local_set(PC_OUT);
        self.leave(Exit::Jump);
    }

    /// Checks the span planned for the access at the current index, if it has one:
    /// leaves for the interpreter at `pc` unless `[rs1 + lo, rs1 + hi)` lies inside
    /// the window, on pages whose permission bytes allow the accesses.
    ///
    /// The common case is tested first: the span inside the window and inside one
    /// page, one permission byte. Anything else (a copy loop's run of accesses
    /// crosses into the next page once per page) then looks at both pages' bytes,
    /// with an address outside the window looking up page 0, never accessible; the
    /// window is one contiguous allocation, so accesses may straddle two
    /// accessible pages.
    fn check(&mut self, insn: &Insn, pc: u64) {
        if let Some(span) = self.checks.get(self.index).copied().flatten() {
            self.check_span(insn, pc, span);
        }
    }

    /// Leaves for the interpreter at `pc` unless `span` (relative to `rs1`) is
    /// accessible: see [`Emitter::check`].
    fn check_span(&mut self, insn: &Insn, pc: u64, span: Span) {
        self.get(insn.rs1);
        let len = span.hi - span.lo;
        let (mask, want) = match (span.load, span.store) {
            (true, true) => (R | W | CODE, R | W),
            (false, true) => (W | CODE, W),
            _ => (R, R),
        };
        if span.lo != 0 {
            self.ins().i64_const(span.lo).i64_add();
        }
        self.ins().local_set(ADDR);
        // The common case as conditional branches, each comparison fused into its
        // jump by Cranelift: inside the window (so the permission lookup needs no
        // clamp), the first page allows it, the span stays in that page.
        self.open(Label::Checked, |s, bt| {
            s.block(bt);
        });
        let cache = self.cached.get(self.index).copied().flatten();
        if let Some(slot) = cache {
            // In a self loop: inside the page this site found accessible before
            // (permissions cannot change while generated code runs).
            let depth = self.depth(Label::Checked);
            self.ins()
                .local_get(ADDR)
                .local_get(CACHE + 2 * slot)
                .i64_sub()
                .local_get(CACHE + 2 * slot + 1)
                .i64_lt_u()
                .br_if(depth);
        }
        self.open(Label::Recheck, |s, bt| {
            s.block(bt);
        });
        self.beyond_window(len);
        let depth = self.depth(Label::Recheck);
        self.ins().br_if(depth);
        self.ins()
            .local_get(ADDR)
            .i64_const(PAGE.trailing_zeros() as i64)
            .i64_shr_u()
            .i32_wrap_i64();
        self.permission_denies(mask, want);
        self.ins().br_if(depth);
        let depth = self.depth(Label::Checked);
        if let Some(slot) = cache {
            // A single byte never crosses a page.
            if len > 1 {
                self.span_end_in_page(len);
                self.ins().i64_gt_u();
                let recheck = self.depth(Label::Recheck);
                self.ins().br_if(recheck);
            }
            self.remember_page(slot, len);
            self.ins().br(depth);
        } else if len == 1 {
            // A single byte never crosses a page.
            self.ins().br(depth);
        } else {
            self.span_end_in_page(len);
            self.ins().i64_le_u().br_if(depth);
        }
        self.end();
        // Outside the window, the first page denies, or the span crosses into
        // the next page: both pages' bytes, clamped.
        if len == 1 {
            self.exit_to(Exit::Slow, pc);
        } else {
            self.page_denies(0, len, mask, want);
            self.page_denies(len - 1, len, mask, want);
            self.ins().i32_or();
            self.if_then(|e| e.exit_to(Exit::Slow, pc));
        }
        self.end();
    }

    /// After check site `slot` found `[ADDR, ADDR + len)` accessible inside one
    /// page: remembers the page, so that later addresses `a` with
    /// `a - base < bytes - len + 1` keep the span inside `[base, base + bytes)`. A
    /// page right after the pages remembered extends them (loops that walk up
    /// through memory); any other starts again from this one.
    fn remember_page(&mut self, slot: u32, len: i64) {
        let (base, admit) = (CACHE + 2 * slot, CACHE + 2 * slot + 1);
        self.ins()
            .local_get(ADDR)
            .i64_const(!(PAGE as i64 - 1))
            .i64_and()
            .local_tee(TMP)
            .local_get(base)
            .i64_sub()
            .local_get(admit)
            .i64_const(len - 1)
            .i64_add()
            .i64_ne()
            .if_(BlockType::Empty)
            .local_get(TMP)
            .local_set(base)
            .end()
            .local_get(TMP)
            .i64_const(PAGE as i64 - len + 1)
            .i64_add()
            .local_get(base)
            .i64_sub()
            .local_set(admit);
    }

    /// Pushes whether `[ADDR, ADDR + len)` leaves the window.
    fn beyond_window(&mut self, len: i64) {
        let limit = self.layout.ram_size - len as u64;
        self.ins()
            .local_get(ADDR)
            .i64_const(limit as i64)
            .i64_gt_u();
    }

    /// Pushes where `[ADDR, ADDR + len)` ends relative to its page, and the page
    /// size: the span stays in the page unless the first exceeds the second.
    fn span_end_in_page(&mut self, len: i64) {
        self.ins()
            .local_get(ADDR)
            .i64_const(PAGE as i64 - 1)
            .i64_and()
            .i64_const(len)
            .i64_add()
            .i64_const(PAGE as i64);
    }

    /// Turns the page index (an i32) on the stack into whether that page's
    /// permission byte lacks the access (`byte & mask != want`).
    fn permission_denies(&mut self, mask: u8, want: u8) {
        let layout = self.layout;
        let mut s = self.ins();
        s.i32_const(layout.perms_base as i32)
            .i32_add()
            .i32_load8_u(memarg(0))
            .i32_const(mask as i32)
            .i32_and();
        if mask == want && mask.is_power_of_two() {
            s.i32_eqz();
        } else {
            s.i32_const(want as i32).i32_ne();
        }
    }

    /// Pushes whether the permission byte of the page holding `ADDR + at` lacks the
    /// access (`byte & mask != want`), or `[ADDR, ADDR + len)` leaves the window.
    fn page_denies(&mut self, at: i64, len: i64, mask: u8, want: u8) {
        let mut s = self.ins();
        s.i32_const(0).local_get(ADDR);
        if at != 0 {
            s.i64_const(at).i64_add();
        }
        s.i64_const(PAGE.trailing_zeros() as i64)
            .i64_shr_u()
            .i32_wrap_i64();
        self.beyond_window(len);
        self.ins().select();
        self.permission_denies(mask, want);
    }

    /// Checks the access of `insn` at `pc` as planned, then pushes its guest address,
    /// the index a lowering loads or stores through with [`Emitter::guest`].
    pub fn address(&mut self, insn: &Insn, pc: u64) {
        self.check(insn, pc);
        self.host_address(insn);
    }

    /// For an atomic read-modify-write of `size` bytes at `rs1`: leaves for the
    /// interpreter at `pc` unless the address is aligned (else SIGBUS) and its page
    /// readable and writable without decoded code; then pushes its index (see [`Emitter::guest`]).
    /// Its own check: atomics are not part of the planned runs.
    pub fn atomic_address(&mut self, insn: &Insn, pc: u64, size: u32) {
        self.get(insn.rs1)
            .imm(size as i64 - 1)
            .op(Instruction::I64And)
            .op(Instruction::I64Const(0))
            .op(Instruction::I64Ne);
        self.if_then(|e| e.exit_to(Exit::Slow, pc));
        let span = Span {
            lo: 0,
            hi: size as i64,
            load: true,
            store: true,
        };
        self.check_span(insn, pc, span);
        self.host_address(insn);
    }

    /// Pushes the guest address `rs1 + imm` (inside the window: checked) as the
    /// index a [`Emitter::guest`] memory argument adds the window's base to.
    fn host_address(&mut self, insn: &Insn) {
        self.get(insn.rs1);
        let mut s = self.ins();
        if insn.imm != 0 {
            s.i64_const(insn.imm as i64).i64_add();
        }
        s.i32_wrap_i64();
    }

    /// The memory argument of a guest access whose index [`Emitter::address`] (or
    /// [`Emitter::atomic_address`]) pushed: the window's base as the offset, within
    /// the memory's guard region, so wasmtime adds no bounds check.
    pub fn guest(&self) -> MemArg {
        memarg(self.layout.ram_base as u64)
    }

    /// `rd = load(rs1 + imm)`.
    pub fn load(&mut self, insn: &Insn, pc: u64, access: Access) {
        self.address(insn, pc);
        self.op((access.op)(self.guest()));
        self.set(insn.rd);
    }

    /// `store(rs1 + imm, rs2)`.
    pub fn store(&mut self, insn: &Insn, pc: u64, access: Access) {
        self.address(insn, pc);
        self.get(insn.rs2);
        self.op((access.op)(self.guest()));
    }
}

/// Locals after the two parameters: x1..x31, then the temporaries (see the consts).
fn locals() -> [(u32, ValType); 8] {
    [
        (31, ValType::I64),         // x1..x31
        (2, ValType::I64),          // ADDR, PC_OUT
        (2, ValType::I32),          // CODE_OUT, ITERS
        (3, ValType::I64),          // ICOUNT, TMP, TMP2
        (32, ValType::F64),         // f0..f31
        (FTMPS, ValType::F64),      // FTMP..
        (1, ValType::I32),          // TMP32
        (2 * CACHES, ValType::I64), // CACHE..
    ]
}

/// How one instruction is lowered: `lower` emits it at `pc` and returns whether it
/// could (when it cannot, it must have emitted nothing).
pub type LowerFn = fn(&mut Emitter<'_>, &Insn, u64) -> bool;

/// What the emitter asks of the per-instruction lowerings.
#[derive(Clone, Copy)]
pub struct Lowering {
    /// Emits one instruction.
    pub lower: LowerFn,
    /// Its memory access, for planning checks ahead.
    pub access: AccessFn,
}

/// The ranges `(j, k)` of blocks kept as wasm loops: a later block `k` of the
/// range branches back to its head `j` (a self loop has a loop of its own). Their
/// back edges are plain branches, not trips through the dispatch table. Ranges do
/// not overlap: the innermost (shortest) are taken first; back edges of the others
/// go through the table as before.
pub fn loops(region: &Region) -> Vec<(usize, usize)> {
    let n = region.blocks.len();
    let mut last: Vec<Option<usize>> = vec![None; n];
    for (k, b) in region.blocks.iter().enumerate() {
        for s in b.successors() {
            if let Some(j) = region.index_of(s).filter(|&j| j < k) {
                last[j] = Some(last[j].map_or(k, |l| l.max(k)));
            }
        }
    }
    let mut ranges: Vec<(usize, usize)> = (0..n).filter_map(|j| Some((j, last[j]?))).collect();
    ranges.sort_by_key(|&(j, k)| (k - j, j));
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for (j, k) in ranges {
        if kept.iter().all(|&(a, b)| k < a || j > b) {
            kept.push((j, k));
        }
    }
    kept
}

/// Builds the module for `region`, translating single instructions with `lowering`.
pub fn module(region: &Region, layout: Layout, lowering: Lowering) -> Vec<u8> {
    let mut e = Emitter {
        body: Vec::new(),
        labels: Vec::new(),
        layout,
        region,
        block: 0,
        used: 0,
        written: 0,
        fused: 0,
        fwritten: 0,
        checks: Vec::new(),
        cached: Vec::new(),
        index: 0,
        frm_known: FrmKnown::Unknown,
        loops: loops(region),
        lowering,
    };
    let n = region.blocks.len();
    e.open(Label::Exit, |s, bt| {
        s.block(bt);
    });
    for reason in Exit::ALL {
        e.open(Label::Reason(reason), |s, bt| {
            s.block(bt);
        });
    }
    e.open(Label::Top, |s, bt| {
        s.loop_(bt);
    });
    // The labels of blocks inside a kept loop are opened inside it.
    for j in (1..n).rev() {
        if e.inside_loop(j).is_none() {
            e.open(Label::Block(j), |s, bt| {
                s.block(bt);
            });
        }
    }
    if n > 1 {
        e.open(Label::Block(0), |s, bt| {
            s.block(bt);
        });
        let targets: Vec<u32> = (0..n)
            .map(|x| e.depth(Label::Block(e.inside_loop(x).unwrap_or(x))))
            .collect();
        e.ins().local_get(ENTRY).br_table(targets, 0);
        e.end();
    }
    for k in 0..n {
        if k > 0 {
            e.end();
        }
        if let Some(&(_, last)) = e.loops.iter().find(|&&(j, _)| j == k) {
            e.open_loop(k, last);
        }
        e.block = k;
        block(&mut e, k);
        if e.loops.iter().any(|&(_, last)| last == k) {
            e.end(); // the loop this block ends
        }
    }
    e.end(); // loop $top
    e.ins().unreachable();
    for reason in Exit::ALL.iter().rev() {
        e.end();
        let depth = e.depth(Label::Exit);
        e.ins()
            .i32_const(*reason as i32)
            .local_set(CODE_OUT)
            .br(depth);
    }
    e.end(); // block $exit

    let mut f = Function::new(locals());
    let mut s = f.instructions();
    // entry = block index | iterations taken by the callers that chained here << 8.
    s.i32_const(abi::FUEL as i32)
        .local_get(ENTRY)
        .i32_const(8)
        .i32_shr_u()
        .i32_sub()
        .local_set(ITERS)
        .local_get(ENTRY)
        .i32_const(0xff)
        .i32_and()
        .local_set(ENTRY);
    for r in 1..32u32 {
        if e.used & (1 << r) != 0 {
            s.local_get(STATE)
                .i64_load(memarg(abi::X + 8 * r as u64))
                .local_set(FIRST_REG + r);
        }
    }
    for r in 0..32u32 {
        if e.fused & (1 << r) != 0 {
            s.local_get(STATE)
                .f64_load(memarg(abi::F + 8 * r as u64))
                .local_set(FIRST_FREG + r);
        }
    }
    f.raw(e.body.iter().copied());
    let mut s = f.instructions();
    for r in 1..32u32 {
        if e.written & (1 << r) != 0 {
            s.local_get(STATE)
                .local_get(FIRST_REG + r)
                .i64_store(memarg(abi::X + 8 * r as u64));
        }
    }
    for r in 0..32u32 {
        if e.fwritten & (1 << r) != 0 {
            s.local_get(STATE)
                .local_get(FIRST_FREG + r)
                .f64_store(memarg(abi::F + 8 * r as u64));
        }
    }
    s.local_get(STATE)
        .local_get(PC_OUT)
        .i64_store(memarg(abi::PC))
        .local_get(STATE)
        .local_get(STATE)
        .i64_load(memarg(abi::INSTRET))
        .local_get(ICOUNT)
        .i64_add()
        .i64_store(memarg(abi::INSTRET));
    if layout.links != 0 {
        chain(&mut s, layout);
    }
    s.local_get(CODE_OUT)
        .i32_const(abi::FUEL as i32)
        .local_get(ITERS)
        .i32_sub()
        .i32_const(8)
        .i32_shl()
        .i32_or()
        .end();
    assemble(&f)
}

/// After the state is written back: if the function is leaving for a jump whose
/// target the link table names, and fuel is left (the callee must get at least one
/// unit), tail-calls the function that covers the target (one unit of fuel per
/// chained call, so that chains without loops still return to the component in
/// time).
fn chain(s: &mut InstructionSink<'_>, layout: Layout) {
    s.local_get(CODE_OUT)
        .i32_const(Exit::Jump as i32)
        .i32_eq()
        .local_get(ITERS)
        .i32_const(1)
        .i32_gt_u()
        .i32_and()
        .if_(BlockType::Empty)
        // The link's address: links + slot * size (slot: see abi::link_slot).
        .local_get(PC_OUT)
        .i32_wrap_i64()
        .i32_const(1)
        .i32_shr_u()
        .i32_const(abi::LINK_HASH as i32)
        .i32_mul()
        .i32_const(32 - abi::LINK_BITS as i32)
        .i32_shr_u()
        .i32_const(abi::LINK_SHIFT as i32)
        .i32_shl()
        .i32_const(layout.links as i32)
        .i32_add()
        .local_tee(TMP32)
        .i64_load(memarg(abi::LINK_PC))
        .local_get(PC_OUT)
        .i64_eq()
        .if_(BlockType::Empty)
        .local_get(STATE)
        .local_get(TMP32)
        .i32_load(memarg(abi::LINK_ENTRY))
        .i32_const(abi::FUEL as i32 + 1)
        .local_get(ITERS)
        .i32_sub()
        .i32_const(8)
        .i32_shl()
        .i32_or()
        .local_get(TMP32)
        .i32_load(memarg(abi::LINK_FUNC))
        .return_call_indirect(0, 0)
        .end()
        .end();
}

/// Emits the code of block `k`: its instructions, then the edge out of it. The whole
/// block is counted as retired on entry (as the interpreter does).
fn block(e: &mut Emitter<'_>, k: usize) {
    let region = e.region;
    let b = &region.blocks[k];
    // A block that may branch to itself (a tight loop) runs in a wasm loop of its own.
    let self_loop = b.successors().contains(&b.pc);
    e.checks = plan_checks(&b.insns, e.lowering.access);
    e.cached.clear();
    if self_loop {
        // Its first check sites remember the page they found accessible, from
        // nothing (a length of 0 admits no address) each time the loop is entered.
        let mut slots = 0..CACHES;
        e.cached = e
            .checks
            .iter()
            .map(|span| span.and_then(|_| slots.next()))
            .collect();
        for slot in 0..slots.start {
            e.ins().i64_const(0).local_set(CACHE + 2 * slot + 1);
        }
        e.open(Label::SelfLoop(k), |s, bt| {
            s.loop_(bt);
        });
    }
    block_code(e, k);
    if self_loop {
        e.end();
    }
}

/// The code of block `k` (its checks planned by [`block`]), which ends in a branch.
fn block_code(e: &mut Emitter<'_>, k: usize) {
    let region = e.region;
    let b = &region.blocks[k];
    e.frm_known = FrmKnown::Unknown;
    e.ins()
        .local_get(ICOUNT)
        .i64_const(b.insns.len() as i64)
        .i64_add()
        .local_set(ICOUNT);
    let mut pc = b.pc;
    for (index, insn) in b.insns.iter().enumerate() {
        e.index = index;
        if !(e.lowering.lower)(e, insn, pc) {
            let reason = if insn.op == Opcode::Ecall {
                Exit::Syscall
            } else {
                Exit::Interp
            };
            e.exit_to(reason, pc);
            return;
        }
        if insn.op.flags().contains(Flags::CTRL) {
            // The lowering transferred control itself.
            return;
        }
        pc += insn.len as u64;
    }
    // The block ended without a jump (page boundary or length limit): fall through.
    e.goto(pc);
}

/// Wraps one function body into the module the host expects.
fn assemble(f: &Function) -> Vec<u8> {
    let mut types = TypeSection::new();
    types
        .ty()
        .function([ValType::I32, ValType::I32], [ValType::I32]);
    let mut imports = ImportSection::new();
    imports.import(
        abi::MEMORY_IMPORT.0,
        abi::MEMORY_IMPORT.1,
        EntityType::Memory(MemoryType {
            minimum: 0,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        }),
    );
    imports.import(
        abi::TABLE_IMPORT.0,
        abi::TABLE_IMPORT.1,
        EntityType::Table(TableType {
            element_type: RefType::FUNCREF,
            table64: false,
            minimum: 0,
            maximum: None,
            shared: false,
        }),
    );
    let mut funcs = FunctionSection::new();
    funcs.function(0);
    let mut exports = ExportSection::new();
    exports.export(abi::REGION_EXPORT, ExportKind::Func, 0);
    let mut code = CodeSection::new();
    code.function(f);
    let mut module = Module::new();
    module
        .section(&types)
        .section(&imports)
        .section(&funcs)
        .section(&exports)
        .section(&code);
    module.finish()
}

/// Checks a generated module with wasmparser (in debug builds and tests).
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    wasmparser::Validator::new()
        .validate_all(bytes)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
