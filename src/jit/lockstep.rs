//! Lockstep checking (`-jit-lockstep`): every call into generated code is checked
//! against the interpreter, and the first call whose outcome the interpreter cannot
//! reproduce stops the program with a report.
//!
//! A check ([`enter`]) goes like this:
//! 1. Before the call: clone the hart and copy every writable guest page
//!    ([`Pages::writable`]). Generated code checks the permission bytes before each
//!    store, and permissions only change in system calls (which end a call), so no
//!    other page can change.
//! 2. Run the generated code. Keep its hart, and the pages it changed with their new
//!    bytes ([`Pages::changes`]); put the old bytes back.
//! 3. From the old hart, interpret one instruction at a time ([`check`]) until the
//!    interpreter's pc and registers equal those generated code left and memory
//!    equals what it left too: the two tiers agree, and the run goes on from the
//!    JIT's state (which is then also in memory). Generated code counts retired
//!    instructions block by block, so the instruction counts are not compared; they
//!    only bound the search. A trap of the interpreter, or the bound, ends the
//!    search: that is a divergence ([`Divergence`]).
//!
//! Each check copies and compares all writable memory, so this is a debugging mode:
//! programs run many times slower than interpreted. All-zero pages (most of a fresh
//! stack) are recorded without copying.

use super::abi::Exit;
use super::Jit;
use crate::hart::{Hart, Trap};
use crate::interp::execute_at;
use crate::isa::{self, ExtSet, FNAMES, XNAMES};
use crate::mem::{Mem, PAGE, W};
use std::fmt::Write as _;

/// Exit status of a program stopped by a divergence (not used elsewhere: 1 is a
/// command-line error, 125 the launcher's internal error, 126/127 a program that
/// cannot start, 128 + N death by signal N).
pub const STATUS: u8 = 123;

/// Instructions the interpreter may run beyond the number generated code reported
/// retiring, on top of twice that number, before the search gives up.
const SLACK: u64 = 256;

/// Most differing bytes listed in a report.
const SHOWN_BYTES: usize = 16;

/// Most instructions disassembled in a report.
const SHOWN_INSNS: usize = 64;

/// Replay steps during which the instructions run are recorded for the report
/// (enough to see each instruction of a region once; longer runs repeat them).
const TRACED_STEPS: u64 = 4096;

/// A page of zeros, what unwritten pages are compared with.
static ZERO: [u8; PAGE as usize] = [0; PAGE as usize];

/// Whether two pages hold the same bytes. Slice equality would call `memcmp`, which
/// is a byte loop in wasi-libc, and every check compares all writable memory a few
/// times; this compares 64 bytes at a time as words.
fn same(a: &[u8], b: &[u8]) -> bool {
    let word = |s: &[u8], i: usize| u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or_default());
    a.len() == b.len()
        && a.chunks_exact(64).zip(b.chunks_exact(64)).all(|(x, y)| {
            (0..64)
                .step_by(8)
                .fold(0, |d, i| d | (word(x, i) ^ word(y, i)))
                == 0
        })
        && a.chunks_exact(64).remainder() == b.chunks_exact(64).remainder()
}

/// Lockstep state of a process's JIT (`Jit::lockstep`).
#[derive(Clone, Debug, Default)]
pub struct Lockstep {
    /// Calls into generated code checked so far.
    pub checks: u64,
    /// A check failed: the run loop is to stop the program with [`STATUS`].
    pub diverged: bool,
}

/// Whether a check of `jit` has failed.
pub fn diverged(jit: Option<&Jit>) -> bool {
    jit.and_then(|j| j.lockstep.as_ref())
        .is_some_and(|l| l.diverged)
}

/// Copies of guest pages, in address order.
#[derive(Clone, Debug, Default)]
pub struct Pages {
    /// Page address and its bytes; `None` for a page of zeros.
    pages: Vec<(u64, Option<Box<[u8]>>)>,
}

/// Pages that changed, as indices into a [`Pages`] with their new bytes.
pub type Changes = Vec<(usize, Box<[u8]>)>;

impl Pages {
    /// Every page of `mem` that may be written now.
    pub fn writable(mem: &Mem) -> Pages {
        let mut pages = Vec::new();
        for (start, vma) in mem.vmas() {
            for addr in (start..vma.end).step_by(PAGE as usize) {
                if mem.check(addr, PAGE, W) {
                    let bytes = mem.page_bytes(addr);
                    pages.push((addr, (!same(bytes, &ZERO)).then(|| bytes.into())));
                }
            }
        }
        Pages { pages }
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The bytes of page `i`.
    fn bytes(&self, i: usize) -> &[u8] {
        self.pages[i].1.as_deref().unwrap_or(&ZERO)
    }

    /// The pages whose bytes in `mem` differ from these, with their bytes in `mem`.
    pub fn changes(&self, mem: &Mem) -> Changes {
        (0..self.pages.len())
            .filter_map(|i| {
                let now = mem.page_bytes(self.pages[i].0);
                (!same(now, self.bytes(i))).then(|| (i, now.into()))
            })
            .collect()
    }

    /// Writes these pages' bytes back to `mem` where `changes` says they changed.
    pub fn restore(&self, mem: &mut Mem, changes: &Changes) {
        for &(i, _) in changes {
            mem.fill(self.pages[i].0, self.bytes(i));
        }
    }

    /// How `mem` differs from these pages with `changes` applied: the first
    /// [`SHOWN_BYTES`] differing bytes and the number of differing bytes.
    pub fn diff(&self, changes: &Changes, mem: &Mem) -> (Vec<ByteDiff>, usize) {
        let mut changed = changes.iter().peekable();
        let mut first = Vec::new();
        let mut count = 0;
        for (i, &(addr, _)) in self.pages.iter().enumerate() {
            let expected = match changed.next_if(|(c, _)| *c == i) {
                Some((_, bytes)) => &bytes[..],
                None => self.bytes(i),
            };
            let now = mem.page_bytes(addr);
            if same(now, expected) {
                continue;
            }
            for (off, (&a, &b)) in now.iter().zip(expected).enumerate() {
                if a != b {
                    count += 1;
                    if first.len() < SHOWN_BYTES {
                        first.push(ByteDiff {
                            addr: addr + off as u64,
                            interp: a,
                            jit: b,
                        });
                    }
                }
            }
        }
        (first, count)
    }
}

/// A guest byte that differs between the two tiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteDiff {
    /// Guest address.
    pub addr: u64,
    /// The byte after the interpreter ran.
    pub interp: u8,
    /// The byte after generated code ran.
    pub jit: u8,
}

/// A register that differs between the two tiers (the pc, fflags and frm count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegDiff {
    /// ABI name.
    pub name: &'static str,
    /// Its value in the interpreter.
    pub interp: u64,
    /// Its value in generated code.
    pub jit: u64,
}

/// The registers (pc, x, f, fflags, frm) of `interp` that differ from `jit`'s.
pub fn compare_regs(interp: &Hart, jit: &Hart) -> Vec<RegDiff> {
    let mut diffs = Vec::new();
    let mut add = |name, interp, jit| {
        if interp != jit {
            diffs.push(RegDiff { name, interp, jit });
        }
    };
    add("pc", interp.pc, jit.pc);
    for (r, name) in XNAMES.iter().enumerate().skip(1) {
        add(name, interp.x[r], jit.x[r]);
    }
    for (r, name) in FNAMES.iter().enumerate() {
        add(name, interp.f[r], jit.f[r]);
    }
    add("fflags", interp.fflags.into(), jit.fflags.into());
    add("frm", interp.frm.into(), jit.frm.into());
    diffs
}

/// Whether the compared registers of `a` and `b` are all equal.
fn agree(a: &Hart, b: &Hart) -> bool {
    a.pc == b.pc && a.x == b.x && a.f == b.f && a.fflags == b.fflags && a.frm == b.frm
}

/// Why the interpreter stopped looking for the JIT's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The instruction at this pc trapped.
    Trap(Trap, u64),
    /// It ran this many instructions, the bound.
    Limit(u64),
}

/// What a failed check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// The pc generated code was entered at.
    pub entry: u64,
    /// Instructions the interpreter had run at the state compared.
    pub steps: u64,
    /// Why the interpreter stopped.
    pub stop: Stop,
    /// Registers that differ at the state compared: the interpreter's state at the
    /// JIT's final pc with the fewest differences, or where it stopped if it never
    /// got there. Empty when registers agreed and only memory differs.
    pub regs: Vec<RegDiff>,
    /// The first differing bytes of memory, when registers agreed.
    pub mem: Vec<ByteDiff>,
    /// How many bytes differ, when registers agreed.
    pub mem_bytes: usize,
    /// The first distinct instructions the interpreter ran: pc and raw word.
    pub trace: Vec<(u64, u32)>,
}

impl Divergence {
    /// The report for a call into function `func` at its block `block`.
    pub fn report(&self, func: u32, block: u32) -> String {
        let mut s = format!(
            "mvvm: jit lockstep: divergence after the region entered at {:#x} (function {func}, block {block})\n",
            self.entry
        );
        let stop = match self.stop {
            Stop::Trap(t, pc) => format!("trapped ({t:?}) at {pc:#x}"),
            Stop::Limit(n) => format!("gave up after {n} instructions"),
        };
        if self.regs.is_empty() {
            let _ = writeln!(
                s,
                "  registers agree after {} interpreted instructions, memory differs in {} byte{} \
                 (the interpreter {stop} looking for a state that agrees in memory too)",
                self.steps,
                self.mem_bytes,
                if self.mem_bytes == 1 { "" } else { "s" }
            );
            let _ = writeln!(s, "  {:<18} {:>11} {:>4}", "address", "interpreter", "jit");
            for b in &self.mem {
                let _ = writeln!(
                    s,
                    "  {:#018x} {:>11} {:>4}",
                    b.addr,
                    format!("{:02x}", b.interp),
                    format!("{:02x}", b.jit)
                );
            }
        } else {
            // Without a "pc" line the state shown is at the JIT's final pc.
            let at = if self.regs[0].name == "pc" {
                "where it stopped"
            } else {
                "the closest at the JIT's final pc"
            };
            let _ = writeln!(
                s,
                "  no interpreter state matches the JIT's (the interpreter {stop}); \
                 {at}, after {} instructions:",
                self.steps
            );
            let _ = writeln!(s, "  {:<8} {:<18} {:<18}", "register", "interpreter", "jit");
            for r in &self.regs {
                let _ = writeln!(s, "  {:<8} {:#018x} {:#018x}", r.name, r.interp, r.jit);
            }
        }
        let _ = writeln!(s, "  instructions the interpreter ran from the entry:");
        for &(pc, word) in &self.trace {
            let _ = writeln!(s, "  {pc:#010x}:  {}", isa::disasm(word, pc));
        }
        s
    }
}

/// Checks one call into generated code. `before` is the hart it started from,
/// `pages` the writable memory then, which `mem` holds again; `after` is the hart it
/// left and `changes` the pages it wrote. The interpreter runs from `before` until
/// it reaches `after`'s registers with memory equal to `pages` + `changes`; then
/// `mem` holds that memory and the call is confirmed. The search is bounded by
/// twice the instructions `after` counts over `before`, plus [`SLACK`].
pub fn check(
    before: &Hart,
    pages: &Pages,
    after: &Hart,
    changes: &Changes,
    mem: &mut Mem,
    exts: ExtSet,
) -> Result<(), Divergence> {
    let limit = after
        .instret
        .wrapping_sub(before.instret)
        .saturating_mul(2)
        .saturating_add(SLACK);
    let mut hart = before.clone();
    let mut trace: Vec<(u64, u32)> = Vec::new();
    // Registers agree, memory does not (the first such point): what a memory
    // divergence reports if no later point agrees fully.
    let mut mem_diff: Option<(u64, Vec<ByteDiff>, usize)> = None;
    // The state at the JIT's pc with the fewest register differences.
    let mut closest: Option<(u64, usize, Hart)> = None;
    let mut steps = 0;
    let stop = loop {
        if hart.pc == after.pc {
            if agree(&hart, after) {
                let (first, count) = pages.diff(changes, mem);
                if count == 0 {
                    return Ok(());
                }
                mem_diff.get_or_insert((steps, first, count));
            } else {
                let n = compare_regs(&hart, after).len();
                if closest.as_ref().is_none_or(|c| n < c.1) {
                    closest = Some((steps, n, hart.clone()));
                }
            }
        }
        if steps == limit {
            break Stop::Limit(steps);
        }
        let pc = hart.pc;
        match execute_at(&mut hart, mem, exts) {
            Ok(word) => {
                if steps < TRACED_STEPS
                    && trace.len() < SHOWN_INSNS
                    && !trace.iter().any(|&(p, _)| p == pc)
                {
                    trace.push((pc, word));
                }
            }
            Err((t, _)) => break Stop::Trap(t, pc),
        }
        steps += 1;
    };
    let mut d = Divergence {
        entry: before.pc,
        steps,
        stop,
        regs: Vec::new(),
        mem: Vec::new(),
        mem_bytes: 0,
        trace,
    };
    if let Some((at, first, count)) = mem_diff {
        d.steps = at;
        d.mem = first;
        d.mem_bytes = count;
    } else if let Some((at, _, h)) = closest {
        d.steps = at;
        d.regs = compare_regs(&h, after);
    } else {
        d.regs = compare_regs(&hart, after);
    }
    Err(d)
}

/// `Jit::enter` with a check ([`check`]): runs generated code, then the interpreter
/// from the same state. On agreement the result is the generated code's; on a
/// divergence the report goes to stderr, the JIT is marked diverged and the call
/// claims a budget large enough to end the run loop's round, after which the
/// machine stops with [`STATUS`].
pub fn enter(
    jit: &mut Jit,
    mem: &mut Mem,
    hart: &mut Hart,
    exts: ExtSet,
    func: u32,
    entry: u32,
) -> (Exit, u32, bool) {
    let before = hart.clone();
    let pages = Pages::writable(mem);
    let result = jit.enter(hart, func, entry);
    let changes = pages.changes(mem);
    pages.restore(mem, &changes);
    let outcome = check(&before, &pages, hart, &changes, mem, exts);
    let Some(state) = jit.lockstep.as_mut() else {
        return result;
    };
    state.checks += 1;
    match outcome {
        Ok(()) => result,
        Err(d) => {
            eprint!("{}", d.report(func, entry));
            state.diverged = true;
            (Exit::Budget, u32::MAX, false)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hart::Access;
    use crate::mem::{VmaKind, R, X};

    const CODE: u64 = 0x10000;
    const DATA: u64 = 0x20000;

    /// addi a0,a0,1; sd a0,0(a1); addi a1,a1,8; j -12 (back to the addi)
    const LOOP: [u32; 4] = [0x0015_0513, 0x00a5_b023, 0x0085_8593, 0xff5f_f06f];

    /// Memory with `LOOP` at `CODE` and two writable pages at `DATA`, and a hart
    /// about to run it with a1 = DATA.
    fn machine() -> (Hart, Mem) {
        let mut mem = Mem::new(1 << 24);
        mem.map(CODE, PAGE, R | X, VmaKind::Anon);
        let code: Vec<u8> = LOOP.iter().flat_map(|w| w.to_le_bytes()).collect();
        mem.fill(CODE, &code);
        mem.map(DATA, 2 * PAGE, R | W, VmaKind::Anon);
        let hart = Hart {
            pc: CODE,
            x: std::array::from_fn(|r| if r == 11 { DATA } else { 0 }),
            ..Hart::default()
        };
        (hart, mem)
    }

    /// A stand-in for generated code: the interpreter runs `n` instructions.
    fn fake_jit(hart: &mut Hart, mem: &mut Mem, n: u64) {
        for _ in 0..n {
            execute_at(hart, mem, ExtSet::default()).expect("no trap");
        }
    }

    /// One check around `fake_jit(n)` from the hart `machine` gives, adjusted by
    /// `setup`, with `tamper` applied to the fake JIT's result.
    fn run_from(
        setup: impl FnOnce(&mut Hart),
        n: u64,
        tamper: impl FnOnce(&mut Hart, &mut Mem),
    ) -> Result<(Hart, Mem), Divergence> {
        let (mut hart, mut mem) = machine();
        setup(&mut hart);
        let before = hart.clone();
        let pages = Pages::writable(&mem);
        fake_jit(&mut hart, &mut mem, n);
        tamper(&mut hart, &mut mem);
        let changes = pages.changes(&mem);
        pages.restore(&mut mem, &changes);
        assert!(pages.changes(&mem).is_empty(), "restored");
        check(
            &before,
            &pages,
            &hart,
            &changes,
            &mut mem,
            ExtSet::default(),
        )?;
        Ok((hart, mem))
    }

    fn run(n: u64, tamper: impl FnOnce(&mut Hart, &mut Mem)) -> Result<(Hart, Mem), Divergence> {
        run_from(|_| {}, n, tamper)
    }

    #[test]
    fn only_writable_pages_are_copied_and_zero_pages_are_not_stored() {
        let (_, mut mem) = machine();
        mem.fill(DATA + PAGE, &[7]);
        let pages = Pages::writable(&mem);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages.pages[0], (DATA, None));
        assert_eq!(pages.pages[1].0, DATA + PAGE);
        assert_eq!(pages.bytes(1)[0], 7);
    }

    #[test]
    fn changes_and_restore() {
        let (_, mut mem) = machine();
        let pages = Pages::writable(&mem);
        mem.fill(DATA + PAGE + 5, &[1, 2]);
        let changes = pages.changes(&mem);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].0, 1);
        assert_eq!(changes[0].1[5..7], [1, 2]);
        pages.restore(&mut mem, &changes);
        assert_eq!(mem.page_bytes(DATA + PAGE), ZERO);
        // Restored memory differs from "pages + changes" in exactly those bytes.
        let (first, count) = pages.diff(&changes, &mem);
        assert_eq!(count, 2);
        assert_eq!(
            first[0],
            ByteDiff {
                addr: DATA + PAGE + 5,
                interp: 0,
                jit: 1
            }
        );
    }

    #[test]
    fn register_comparison_names_what_differs() {
        let a = Hart::default();
        assert!(compare_regs(&a, &a.clone()).is_empty());
        let mut b = a.clone();
        b.x[10] = 5;
        b.f[1] = 1;
        b.fflags = 1;
        b.instret = 99; // not compared
        let names: Vec<_> = compare_regs(&a, &b).iter().map(|d| d.name).collect();
        assert_eq!(names, ["a0", "ft1", "fflags"]);
        assert!(!agree(&a, &b));
    }

    #[test]
    fn agreeing_runs_pass_and_leave_the_jit_memory() {
        for n in [0, 1, 2, 5, 4 * 10 + 3] {
            let (hart, mem) = run(n, |_, _| {}).unwrap_or_else(|d| panic!("{n}: {d:?}"));
            // The interpreter's memory is the JIT's: the last store is there.
            let stores = (n + 2) / 4;
            if stores > 0 {
                let last = 8 * (stores - 1) as usize;
                assert_eq!(mem.page_bytes(DATA)[last], stores as u8);
            }
            assert_eq!(hart.x[10], n.div_ceil(4));
        }
    }

    #[test]
    fn a_wrong_register_is_reported_at_the_closest_state() {
        let d = run(4 * 10, |h, _| h.x[10] += 1).expect_err("diverges");
        assert_eq!(d.entry, CODE);
        assert_eq!(
            d.regs,
            [RegDiff {
                name: "a0",
                interp: 10,
                jit: 11
            }]
        );
        // Ten iterations, when a1 agrees too.
        assert_eq!(d.steps, 40);
        assert_eq!(d.stop, Stop::Limit(2 * 40 + SLACK));
        assert_eq!(d.trace.len(), 4);
        let report = d.report(3, 0);
        assert!(report.starts_with(
            "mvvm: jit lockstep: divergence after the region entered at 0x10000 (function 3, block 0)\n"
        ));
        assert!(report.contains("a0"), "{report}");
        assert!(report.contains("sd\ta0,0(a1)"), "{report}");
    }

    #[test]
    fn a_wrong_store_is_reported_as_memory() {
        let d = run(6, |_, m| m.fill(DATA + 8, &[0x55])).expect_err("diverges");
        assert!(d.regs.is_empty());
        assert_eq!(d.steps, 6);
        assert_eq!(d.mem_bytes, 1);
        assert_eq!(
            d.mem,
            [ByteDiff {
                addr: DATA + 8,
                interp: 2,
                jit: 0x55
            }]
        );
    }

    #[test]
    fn a_stray_store_to_an_untouched_page_is_seen() {
        let d = run(2, |_, m| m.fill(DATA + PAGE + 100, &[1])).expect_err("diverges");
        assert_eq!(d.mem[0].addr, DATA + PAGE + 100);
    }

    #[test]
    fn a_trap_ends_the_search() {
        // The last doubleword of the data: the JIT's one iteration stores there, and
        // the interpreter, still looking for the wrong a0, stores past the mapping.
        let last = DATA + 2 * PAGE - 8;
        let d = run_from(|h| h.x[11] = last, 4, |h, _| h.x[10] = 7).expect_err("diverges");
        let fault = Trap::Fault {
            addr: DATA + 2 * PAGE,
            access: Access::Write,
            mapped: false,
        };
        assert_eq!(d.stop, Stop::Trap(fault, CODE + 4));
        assert_eq!((d.steps, d.regs[0].name), (4, "a0"));
        assert!(d.report(0, 0).contains("trapped"));
    }

    #[test]
    fn a_pc_the_interpreter_never_reaches_is_reported() {
        let d = run(4, |h, _| h.pc = CODE + 0x100).expect_err("diverges");
        assert_eq!(d.stop, Stop::Limit(2 * 4 + SLACK));
        // Compared where the interpreter stopped.
        assert_eq!(d.steps, 2 * 4 + SLACK);
        assert_eq!(d.regs[0].name, "pc");
    }
}
