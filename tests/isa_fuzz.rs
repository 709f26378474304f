//! Differential ISA fuzzer: random instruction sequences run under `qemu-riscv64` (the
//! oracle) and under MVVM, compared register for register. Both of MVVM's tiers are
//! held to it: the interpreter (the native binary) and the JIT (the launcher,
//! `dist/mvvm`, with every block compiled on its first execution, so everything the
//! JIT translates runs as generated code).
//!
//! Each sequence mixes RV64IMAFDC (including compressed forms, forward branches, jumps,
//! loads/stores, LR/SC and AMOs on a scratch area, FP CSR accesses) with Zfh, Zfhmin,
//! Zba, Zbb, Zbs, Zbc, Zbkb and Zbkx, drawn from MVVM's instruction table with operands
//! chosen here. Its initial state is random with a bias to edge values: integers like 0,
//! -1, the sign bits and 32-bit boundaries; FP values like ±0, subnormals, ±inf, quiet
//! and signalling NaNs, the largest and smallest normals, NaN-boxed and unboxed singles
//! and halves; a random rounding mode and accrued flags in `fcsr`, and random scratch
//! memory.
//!
//! A program built here (see [`program`]) runs many sequences. For each it copies the
//! sequence's initial state from its data area into the scratch area, `fcsr`, f0..f31 and
//! x1..x31, runs the sequence, then writes a 528-byte record to stdout with `write`:
//! x1..x31, f0..f31, fcsr, a checksum of the scratch area and the trap signal (below).
//! `sp` and `s0` point into the scratch area and are never written by sequences (they
//! are the memory bases).
//!
//! Probes check the decoder's other side: single words that are near misses of table
//! rows, random bits, or mutated and HINT compressed encodings, most of them not
//! instructions at all. Probe programs install a SIGILL/SIGTRAP/SIGBUS/SIGSEGV handler
//! (on an alternate stack) that records the signal and skips the instruction, so both
//! emulators must agree on which encodings are illegal and which accesses fault.
//!
//! Left out of the qemu comparison:
//! - `ctzw` on an operand whose low 32 bits are zero: qemu 7.2 counts on into the upper
//!   word (51 for `1 << 51`, 64 for 0) instead of answering 32. `ctzw` only runs here
//!   behind a `bseti` that sets one of the low 32 bits; `tests_b.rs` pins the zero case.
//! - `sc.w`/`sc.d` to a misaligned address without a reservation: qemu 7.2 fails it
//!   (rd = 1) without the address-misaligned exception the ISA requires (Linux: SIGBUS,
//!   as MVVM does). Probes keep SC addresses aligned;
//!   `tests/isa_regressions/sc.d-misaligned-qemu-bug.txt` documents the case.
//! - Whole-register vector loads and stores (`vl<n>re<eew>.v`, `vs<n>r.v`): qemu 7.2
//!   executes them although V is disabled (its other vector encodings do raise SIGILL, as
//!   MVVM does for all). Probes skip them; `tests/isa_regressions/vl2re8-qemu-bug.txt`.
//! - Cache-block operations (`cbo.clean`, `cbo.flush`, `cbo.zero`): qemu 7.2's user
//!   mode raises SIGILL for them (its `senvcfg` stays zero) where Linux lets user
//!   programs run them. MVVM runs the fuzzer without Zicbom/Zicboz (`-cpu`), so
//!   probes of those encodings still check that both call them illegal; the
//!   hand-written tests in `tests/asm/` pin their Linux behaviour.
//! - Zicond, Zcb, Zcmop, Zimop, Zawrs and Zfa: qemu 7.2 does not implement them.
//!   They are left out of the fuzzer's `-cpu` (so probes check that MVVM then calls
//!   them illegal, as qemu does) and pinned by unit tests (`src/interp/exec/tests_b.rs`)
//!   and the hand-written tests in `tests/asm/`.
//!
//! Probes that access memory get their base register aimed at the scratch area or at
//! page 0: other addresses may be mapped in one emulator and not the other.
//!
//! On a mismatch the failing sequence is replayed alone, shrunk (instructions dropped
//! while the mismatch persists), printed (seed, disassembly, both register dumps) and
//! saved under `tests/isa_regressions/` as a small text file (code words and initial
//! state), which [`regressions`] replays on every run.
//!
//! By default a fixed set of seeds runs (6000 sequences and 3000 probes against the
//! interpreter, 1000 and 1000 against the JIT). With `MVVM_ISA_FUZZ_SECONDS=N` (or
//! `ISA_FUZZ_SECONDS=N`) it runs random seeds against both for N seconds instead
//! (`make fuzz-isa SECONDS=N`). The oracle is `MVVM_ORACLE` (default
//! `qemu-riscv64`) from `PATH`; missing is a failure, not a skip.

mod common;

use common::{rv, rvc};
use mvvm::isa::{decode, decode_for, disasm, ExtSet, Flags, Format, Opcode, ROWS};
use std::fmt::Write as _;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const MVVM: &str = env!("CARGO_BIN_EXE_mvvm");
/// qemu 7.2's property names for the extensions under test (its Zfh ones are
/// capitalized; Zicond and Zfa do not exist there).
const QEMU_CPU: &str =
    "rv64,zba=true,zbb=true,zbc=true,zbs=true,zbkb=true,zbkx=true,Zfh=true,Zfhmin=true";
/// The same CPU for MVVM, so that both agree on which encodings are instructions.
/// (qemu 7.2's `rv64` also has Zicbom and Zicboz on, but its user mode raises SIGILL
/// for every `cbo.*`; see the module docs.)
fn mvvm_cpu() -> String {
    format!("{QEMU_CPU},zihintpause=on")
}

/// The extensions of [`mvvm_cpu`]: sequences draw only from their rows.
fn fuzz_cpu() -> ExtSet {
    ExtSet::parse(&mvvm_cpu()).expect("the fuzzer's -cpu string parses")
}
const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/isa_regressions");

/// Sequences per program, and programs in the default (fixed-seed) run.
const BATCH: usize = 50;
const FIXED_PROGRAMS: u64 = 120;
/// Shrink and save at most this many mismatches per run.
const MAX_REPORTS: usize = 4;

// ---- guest memory layout -------------------------------------------------------------
/// The data segment.
const DATA: u64 = 0x20_0000;
/// Sequences' loads and stores stay inside `[SCRATCH, SCRATCH + SCRATCH_LEN)`.
const SCRATCH: u64 = DATA + 0x400;
const SCRATCH_LEN: usize = 512;
const SCRATCH_WORDS: usize = SCRATCH_LEN / 8;
/// `sp` (x2) and `s0` (x8) while a sequence runs.
const SP: u64 = SCRATCH + 256;
const S0: u64 = SCRATCH;
/// The record written after each sequence, and its size.
const DUMP: u64 = SCRATCH - 0x210;
const RECORD: usize = 528;
/// The signal the trap handler saw during the sequence (0: none), and the number of
/// traps in this sequence.
const TRAP: u64 = DUMP - 8;
const TRAPS: u64 = DUMP - 16;
/// The handler's `struct sigaction` and `stack_t`, and the alternate signal stack.
const ACT: u64 = DATA;
const SS: u64 = DATA + 0x40;
const ALTSTACK: u64 = DATA + 0x1000;
const ALTSTACK_LEN: u64 = 0x8000;
/// Initial states, one block per sequence: scratch image, x1..x31, f0..f31, fcsr.
const BLOCKS: u64 = DATA + 0x10000;
const BLOCK: usize = 1024;
/// Probes (single instructions) per program, and probe programs in the default run.
const PROBES: usize = 100;
const FIXED_PROBE_PROGRAMS: u64 = 30;

// Registers the harness itself uses around sequences.
const SPR: u32 = 2;
const S0R: u32 = 8;
const T0: u32 = 5;
const T1: u32 = 6;
const T2: u32 = 7;
const T3: u32 = 28;
const T4: u32 = 29;
const T5: u32 = 30;

// ---- random numbers --------------------------------------------------------------------

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability `pct`%.
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

// ---- initial state ---------------------------------------------------------------------

/// What a sequence starts from.
#[derive(Clone, Debug, PartialEq)]
struct State {
    /// x0..x31 (x0 ignored; x2 and x8 are always [`SP`] and [`S0`]).
    x: [u64; 32],
    f: [u64; 32],
    fcsr: u64,
    mem: [u64; SCRATCH_WORDS],
}

const INT_EDGES: &[u64] = &[
    0,
    1,
    2,
    u64::MAX,
    1 << 63,
    i64::MAX as u64,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0xffff_ffff_8000_0000,
    0x1_0000_0000,
    0xffff_ffff_0000_0000,
    0x8000_0000_0000_0001,
    0x0000_0001_ffff_ffff,
    31,
    32,
    63,
    64,
    0x7f,
    0x80,
    0xff,
    0x7fff,
    0x8000,
    0xffff,
    0x5555_5555_5555_5555,
    0xaaaa_aaaa_aaaa_aaaa,
    0x0101_0101_0101_0101,
    0x8080_8080_8080_8080,
    0x0123_4567_89ab_cdef,
];

const F64_EDGES: &[u64] = &[
    0x0000_0000_0000_0000, // +0
    0x8000_0000_0000_0000, // -0
    0x3ff0_0000_0000_0000, // 1
    0xbff0_0000_0000_0000, // -1
    0x3fe0_0000_0000_0000, // 0.5
    0x3ff8_0000_0000_0000, // 1.5
    0x4004_0000_0000_0000, // 2.5
    0xc004_0000_0000_0000, // -2.5
    0x3fb9_9999_9999_999a, // 0.1
    0x0000_0000_0000_0001, // smallest subnormal
    0x800f_ffff_ffff_ffff, // -largest subnormal
    0x0010_0000_0000_0000, // smallest normal
    0x7fef_ffff_ffff_ffff, // largest normal
    0xffef_ffff_ffff_ffff, // -largest normal
    0x7ff0_0000_0000_0000, // inf
    0xfff0_0000_0000_0000, // -inf
    0x7ff8_0000_0000_0000, // canonical qNaN
    0x7ff0_0000_0000_0001, // sNaN
    0xfff8_0000_0000_0123, // -qNaN with payload
    0x41e0_0000_0000_0000, // 2^31
    0x41df_ffff_ffe0_0000, // 2^31 - 0.5 (approx.)
    0xc1e0_0000_0000_0000, // -2^31
    0x41f0_0000_0000_0000, // 2^32
    0x43e0_0000_0000_0000, // 2^63
    0xc3e0_0000_0000_0000, // -2^63
    0x43f0_0000_0000_0000, // 2^64
    0x47ef_ffff_e000_0000, // largest single as a double
    0x36a0_0000_0000_0000, // smallest single subnormal as a double
];

const F32_EDGES: &[u32] = &[
    0x0000_0000, // +0
    0x8000_0000, // -0
    0x3f80_0000, // 1
    0xbf80_0000, // -1
    0x3f00_0000, // 0.5
    0x3fc0_0000, // 1.5
    0x4020_0000, // 2.5
    0xc020_0000, // -2.5
    0x3dcc_cccd, // 0.1
    0x0000_0001, // smallest subnormal
    0x807f_ffff, // -largest subnormal
    0x0080_0000, // smallest normal
    0x7f7f_ffff, // largest normal
    0xff7f_ffff, // -largest normal
    0x7f80_0000, // inf
    0xff80_0000, // -inf
    0x7fc0_0000, // canonical qNaN
    0x7f80_0001, // sNaN
    0xffc0_0123, // -qNaN with payload
    0x4f00_0000, // 2^31
    0xcf00_0000, // -2^31
    0x4f80_0000, // 2^32
    0x5f00_0000, // 2^63
    0xdf00_0000, // -2^63
    0x5f80_0000, // 2^64
    0x4eff_ffff, // just below 2^31
];

const F16_EDGES: &[u16] = &[
    0x0000, // +0
    0x8000, // -0
    0x3c00, // 1
    0xbc00, // -1
    0x3800, // 0.5
    0x3e00, // 1.5
    0x4100, // 2.5
    0xc100, // -2.5
    0x2e66, // 0.1
    0x0001, // smallest subnormal
    0x83ff, // -largest subnormal
    0x0400, // smallest normal
    0x7bff, // largest normal (65504)
    0xfbff, // -largest normal
    0x7c00, // inf
    0xfc00, // -inf
    0x7e00, // canonical qNaN
    0x7c01, // sNaN
    0xfe23, // -qNaN with payload
    0x6800, // 2048: the last binade where every integer is exact
    0x6bff, // 4095: beyond it, odd integers round
    0x7800, // 32768
    0x3bff, // just below 1
];

fn int_value(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0..=3 => rng.pick(INT_EDGES),
        4 => rng.range(-100, 100) as u64,
        5 => rng.pick(INT_EDGES) ^ (1 << rng.below(64)),
        6 => fp_value(rng),
        7 => rng.next() as u32 as i32 as i64 as u64,
        _ => rng.next(),
    }
}

fn fp_value(rng: &mut Rng) -> u64 {
    let boxed = |v: u32| 0xffff_ffff_0000_0000 | v as u64;
    let boxed_h = |v: u16| 0xffff_ffff_ffff_0000 | v as u64;
    match rng.below(30) {
        0..=6 => rng.pick(F64_EDGES),
        7..=13 => boxed(rng.pick(F32_EDGES)),
        // Random sign and mantissa, exponent near the ends or the middle.
        14 => {
            let exp = rng.pick(&[0u64, 1, 2, 0x3fe, 0x3ff, 0x400, 0x7fd, 0x7fe, 0x7ff]);
            (rng.next() & 0x800f_ffff_ffff_ffff) | exp << 52
        }
        15 => {
            let exp = rng.pick(&[0u32, 1, 2, 0x7e, 0x7f, 0x80, 0xfd, 0xfe, 0xff]);
            boxed((rng.next() as u32 & 0x807f_ffff) | exp << 23)
        }
        // Integers as doubles and singles (exact conversion boundaries).
        16 => (rng.range(-70000, 70000) as f64).to_bits(),
        17 => boxed((rng.range(-70000, 70000) as f32 / 4.0).to_bits()),
        // A single that is not NaN-boxed reads as the canonical NaN.
        18 => rng.next() << 32 >> 1 | rng.pick(F32_EDGES) as u64,
        19..=21 => boxed_h(rng.pick(F16_EDGES)),
        22 => {
            let exp = rng.pick(&[0u16, 1, 2, 0xe, 0xf, 0x10, 0x1d, 0x1e, 0x1f]);
            boxed_h((rng.next() as u16 & 0x83ff) | exp << 10)
        }
        // Integers and quarters as halves (exact conversion boundaries).
        23 => {
            let k = rng.range(-2048, 2048) as f32;
            boxed_h(half(if rng.chance(50) { k } else { k / 4.0 }))
        }
        // A half whose box is broken (here: a boxed single's upper half) reads as NaN.
        24 => boxed(rng.pick(F16_EDGES) as u32 | (rng.next() as u32) << 17 >> 1),
        26 | 27 => ordinary_fp_value(rng),
        _ => rng.next(),
    }
}

/// A double or a boxed single of moderate magnitude with a full mantissa, or a small
/// integer as either, or a double with a short mantissa: operations on them mostly
/// round (NX) and stay in every tier's fast paths; short mantissas make exact
/// products next to inexact sums, the case where only the sum's error decides NX.
fn ordinary_fp_value(rng: &mut Rng) -> u64 {
    let boxed = |v: u32| 0xffff_ffff_0000_0000 | v as u64;
    match rng.below(8) {
        6 | 7 => (rng.range(-1000, 1000) as f64 * 2f64.powi(rng.range(-60, 60) as i32)).to_bits(),
        0 | 1 => (rng.next() & 0x800f_ffff_ffff_ffff) | (rng.range(0x3e0, 0x420) as u64) << 52,
        2 | 3 => boxed((rng.next() as u32 & 0x807f_ffff) | (rng.range(0x60, 0xa0) as u32) << 23),
        4 => (rng.range(-100, 100) as f64).to_bits(),
        _ => boxed((rng.range(-100, 100) as f32).to_bits()),
    }
}

/// The binary16 encoding of `x`, which must be zero or a normal half exactly.
fn half(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = (b >> 16 & 0x8000) as u16;
    if x == 0.0 {
        return sign;
    }
    let exp = (b >> 23 & 0xff) as i32 - 127 + 15;
    assert!(
        (1..31).contains(&exp) && b & 0x1fff == 0,
        "{x} is not a normal half"
    );
    sign | (exp as u16) << 10 | (b >> 13 & 0x3ff) as u16
}

fn random_state(rng: &mut Rng) -> State {
    // Half the sequences start in RNE with no flags accrued and mostly ordinary FP
    // values: the JIT's FP fast paths run only for those, and compute NX only while
    // it is clear.
    let plain = rng.chance(50);
    let mut s = State {
        x: [0; 32],
        f: [0; 32],
        fcsr: if plain {
            0
        } else {
            rng.below(5) << 5 | rng.below(32)
        },
        mem: [0; SCRATCH_WORDS],
    };
    for r in 1..32 {
        s.x[r] = int_value(rng);
    }
    for r in 0..32 {
        s.f[r] = if plain && rng.chance(75) {
            ordinary_fp_value(rng)
        } else {
            fp_value(rng)
        };
    }
    for w in s.mem.iter_mut() {
        *w = if rng.chance(50) {
            int_value(rng)
        } else {
            fp_value(rng)
        };
    }
    s.x[2] = SP;
    s.x[8] = S0;
    s
}

// ---- sequences -------------------------------------------------------------------------

/// One instruction of a sequence before layout; branch targets are item indices (a
/// target equal to the number of items is the end of the sequence).
#[derive(Clone, Copy, Debug)]
enum Op {
    W(u32),
    H(u16),
    /// A B-type word with zero offset, to the start of an item.
    B(u32, usize),
    /// `jal rd, item`.
    J(u32, usize),
    /// `c.beqz`/`c.bnez rs1', item`.
    Cb(bool, u32, usize),
    /// `c.j item`.
    Cj(usize),
}

impl Op {
    fn len(self) -> usize {
        match self {
            Op::W(_) | Op::B(..) | Op::J(..) => 4,
            Op::H(_) | Op::Cb(..) | Op::Cj(_) => 2,
        }
    }
}

/// A laid-out instruction: a 32-bit word or a compressed halfword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    W(u32),
    H(u16),
}

impl Piece {
    fn bytes(self) -> Vec<u8> {
        match self {
            Piece::W(w) => w.to_le_bytes().to_vec(),
            Piece::H(h) => h.to_le_bytes().to_vec(),
        }
    }
    fn disasm(self, pc: u64) -> String {
        match self {
            Piece::W(w) => format!("{w:08x}      {}", disasm(w, pc)),
            Piece::H(h) => format!("{h:04x}          {}", disasm(h as u32, pc)),
        }
    }
}

/// A sequence: items (an instruction or a short group that must stay together, such
/// as `addi t, sp, off; lr.d; sc.d`) and its initial state.
#[derive(Clone, Debug)]
struct Seq {
    state: State,
    items: Vec<Vec<Op>>,
    /// Runs with the trap handler installed (probes): a faulting instruction is
    /// recorded and skipped instead of ending the program.
    handlers: bool,
}

impl Seq {
    /// Resolves branch targets and returns the instructions in order.
    fn layout(&self) -> Vec<Piece> {
        let mut at = vec![0usize];
        for item in &self.items {
            let len: usize = item.iter().map(|o| o.len()).sum();
            at.push(at.last().unwrap() + len);
        }
        let mut pc = 0usize;
        let mut out = Vec::new();
        for item in &self.items {
            for &op in item {
                let off = |t: usize| at[t] as i32 - pc as i32;
                out.push(match op {
                    Op::W(w) => Piece::W(w),
                    Op::H(h) => Piece::H(h),
                    Op::B(w, t) => Piece::W(w | (rv::b(0, 0, 0, off(t)) & !0x7f)),
                    Op::J(rd, t) => Piece::W(rv::j(rd, off(t))),
                    Op::Cb(nz, r, t) => Piece::H(rvc::bz(nz, r, off(t))),
                    Op::Cj(t) => Piece::H(rvc::j(off(t))),
                });
                pc += op.len();
            }
        }
        out
    }

    /// Drops item `i`, retargeting branches past it.
    fn without(&self, i: usize) -> Seq {
        let fix = |t: usize| if t > i { t - 1 } else { t };
        let items = self
            .items
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != i)
            .map(|(_, item)| {
                item.iter()
                    .map(|&op| match op {
                        Op::B(w, t) => Op::B(w, fix(t)),
                        Op::J(rd, t) => Op::J(rd, fix(t)),
                        Op::Cb(nz, r, t) => Op::Cb(nz, r, fix(t)),
                        Op::Cj(t) => Op::Cj(fix(t)),
                        op => op,
                    })
                    .collect()
            })
            .collect();
        Seq {
            state: self.state.clone(),
            items,
            handlers: self.handlers,
        }
    }
}

fn row(op: Opcode) -> u32 {
    ROWS.iter()
        .find(|r| r.op == op)
        .unwrap_or_else(|| panic!("{op:?} has no table row"))
        .matches
}

/// Opcodes the generic generator draws from: every table row except control transfers,
/// memory accesses, CSR accesses and system instructions (generated separately, with
/// operands that keep the program on its rails) and the rows qemu 7.2 cannot judge.
fn generic_ops() -> &'static [Opcode] {
    use std::sync::OnceLock;
    static OPS: OnceLock<Vec<Opcode>> = OnceLock::new();
    OPS.get_or_init(|| {
        ROWS.iter()
            .map(|r| r.op)
            .filter(|op| {
                let f = op.flags();
                !f.contains(Flags::CTRL)
                    && !f.contains(Flags::LOAD)
                    && !f.contains(Flags::STORE)
                    && !matches!(
                        op.format(),
                        Format::Csr | Format::CsrI | Format::Amo | Format::Lr
                    )
                    && !matches!(op, Opcode::Ecall | Opcode::Ebreak | Opcode::Ctzw)
                    && fuzz_cpu().implements(&decode(row(*op)), row(*op))
            })
            .collect()
    })
}

/// Loads and stores with an immediate offset (integer and FP).
fn mem_ops() -> &'static [Opcode] {
    use std::sync::OnceLock;
    static OPS: OnceLock<Vec<Opcode>> = OnceLock::new();
    OPS.get_or_init(|| {
        ROWS.iter()
            .map(|r| r.op)
            .filter(|op| matches!(op.format(), Format::Load | Format::S))
            .collect()
    })
}

/// Access size of a load or store row, from its funct3.
fn access_size(op: Opcode) -> i64 {
    1 << (row(op) >> 12 & 3)
}

struct Gen<'a> {
    rng: &'a mut Rng,
    /// Registers that sequences read and write most, so results feed later instructions.
    hot_x: [u32; 6],
    hot_f: [u32; 6],
}

impl Gen<'_> {
    /// A register a sequence may write (never `sp` or `s0`).
    fn wx(&mut self) -> u32 {
        loop {
            let r = if self.rng.chance(60) {
                self.rng.pick(&self.hot_x)
            } else {
                self.rng.below(32) as u32
            };
            if r != SPR && r != S0R {
                return r;
            }
        }
    }
    fn rx(&mut self) -> u32 {
        if self.rng.chance(60) {
            self.rng.pick(&self.hot_x)
        } else {
            self.rng.below(32) as u32
        }
    }
    fn f(&mut self) -> u32 {
        if self.rng.chance(60) {
            self.rng.pick(&self.hot_f)
        } else {
            self.rng.below(32) as u32
        }
    }
    /// A writable register among x9..x15 (compressed `rd'`).
    fn wc(&mut self) -> u32 {
        self.rng.range(9, 15) as u32
    }
    fn rc(&mut self) -> u32 {
        self.rng.range(8, 15) as u32
    }
    fn rm(&mut self) -> u32 {
        if self.rng.chance(40) {
            7
        } else {
            self.rng.below(5) as u32
        }
    }
    fn imm12(&mut self) -> i32 {
        match self.rng.below(4) {
            0 => self
                .rng
                .pick(&[0, 1, -1, 2047, -2048, 31, 32, 63, 0x7ff, -0x800]),
            1 => self.rng.range(-16, 16) as i32,
            _ => self.rng.range(-2048, 2047) as i32,
        }
    }

    /// One table row with random operands.
    fn generic(&mut self, op: Opcode) -> u32 {
        let f = op.flags();
        let rd = if f.contains(Flags::FD) {
            self.f()
        } else {
            self.wx()
        };
        let rs1 = if f.contains(Flags::FS1) {
            self.f()
        } else {
            self.rx()
        };
        let rs2 = if f.contains(Flags::FS2) {
            self.f()
        } else {
            self.rx()
        };
        let rs3 = self.f();
        let m = row(op);
        let regs = m | rd << 7 | rs1 << 15;
        let w = match op.format() {
            Format::R => regs | rs2 << 20,
            Format::RRm => regs | rs2 << 20 | self.rm() << 12,
            Format::R1 => regs,
            Format::R1Rm => regs | self.rm() << 12,
            Format::R4 => regs | rs2 << 20 | rs3 << 27 | self.rm() << 12,
            Format::I => regs | (self.imm12() as u32 & 0xfff) << 20,
            Format::Shift => regs | (self.rng.below(64) as u32) << 20,
            Format::ShiftW => regs | (self.rng.below(32) as u32) << 20,
            Format::U => m | rd << 7 | (self.rng.next() as u32 & 0xffff_f000),
            Format::Fence => m | (self.rng.below(256) as u32) << 20,
            Format::None => m,
            other => panic!("generic generation of {op:?} ({other:?})"),
        };
        let r = ROWS.iter().find(|r| r.op == op).unwrap();
        assert_eq!(
            w & r.mask,
            r.matches,
            "{op:?} operands spill into its opcode bits"
        );
        assert_eq!(decode(w).op, op, "{w:#010x}");
        w
    }

    /// A load or store into the scratch area, based on `sp` or `s0`.
    fn mem(&mut self, op: Opcode) -> u32 {
        let size = access_size(op);
        let (base, lo, hi) = if self.rng.chance(50) {
            (SPR, -256, 256 - size)
        } else {
            (S0R, 0, SCRATCH_LEN as i64 - size)
        };
        let mut off = self.rng.range(lo, hi);
        if self.rng.chance(85) {
            off = off.div_euclid(size) * size;
            if off < lo {
                off += size;
            }
        }
        let off = off as i32;
        let m = row(op);
        if op.format() == Format::Load {
            let rd = if op.flags().contains(Flags::FD) {
                self.f()
            } else {
                self.wx()
            };
            m | rd << 7 | base << 15 | (off as u32 & 0xfff) << 20
        } else {
            let rs2 = if op.flags().contains(Flags::FS2) {
                self.f()
            } else {
                self.rx()
            };
            m | rv::s(0, 0, base, rs2, off)
        }
    }

    /// `addi t, sp|s0, off` with `off` aligned to `align`; returns (t, word).
    fn address(&mut self, align: i64) -> (u32, u32) {
        let t = loop {
            let t = self.wx();
            if t != 0 {
                break t;
            }
        };
        let (base, off) = if self.rng.chance(50) {
            (SPR, self.rng.range(-256 / align, 256 / align - 1) * align)
        } else {
            (
                S0R,
                self.rng.range(0, SCRATCH_LEN as i64 / align - 1) * align,
            )
        };
        (t, rv::addi(t, base, off as i32))
    }

    fn atomic(&mut self) -> Vec<Op> {
        use Opcode::*;
        let ops = [
            AmoswapW, AmoaddW, AmoxorW, AmoandW, AmoorW, AmominW, AmomaxW, AmominuW, AmomaxuW,
            AmoswapD, AmoaddD, AmoxorD, AmoandD, AmoorD, AmominD, AmomaxD, AmominuD, AmomaxuD,
        ];
        let aqrl = (self.rng.below(4) as u32) << 25;
        let word = self.rng.chance(50);
        let (t, addr) = self.address(if word { 4 } else { 8 });
        match self.rng.below(6) {
            0 | 1 => {
                // lr; sc to the same address (succeeds on both), or lr alone then sc elsewhere.
                let (lr, sc) = if word { (LrW, ScW) } else { (LrD, ScD) };
                let rd = loop {
                    let r = self.wx();
                    if r != t {
                        break r;
                    }
                };
                let (rd2, rs2) = (self.wx(), self.rx());
                vec![
                    Op::W(addr),
                    Op::W(row(lr) | aqrl | rd << 7 | t << 15),
                    Op::W(row(sc) | aqrl | rd2 << 7 | t << 15 | rs2 << 20),
                ]
            }
            2 => {
                // sc without a reservation fails and stores nothing.
                let sc = if word { ScW } else { ScD };
                let (rd, rs2) = (self.wx(), self.rx());
                vec![
                    Op::W(addr),
                    Op::W(row(sc) | aqrl | rd << 7 | t << 15 | rs2 << 20),
                ]
            }
            _ => {
                let op = loop {
                    let op = self.rng.pick(&ops);
                    if op.handler_name().ends_with(if word { "_w" } else { "_d" }) {
                        break op;
                    }
                };
                let (rd, rs2) = (self.wx(), self.rx());
                vec![
                    Op::W(addr),
                    Op::W(row(op) | aqrl | rd << 7 | t << 15 | rs2 << 20),
                ]
            }
        }
    }

    /// FP CSR accesses that keep `frm` a valid rounding mode.
    fn csr(&mut self) -> Vec<Op> {
        const FFLAGS: u32 = 1;
        const FRM: u32 = 2;
        const FCSR: u32 = 3;
        let rd = self.wx();
        if self.rng.chance(25) {
            // fsrm rd, t / fscsr rd, t with t masked to a valid rounding mode.
            let (t, rs) = (self.wx(), self.rx());
            let (mask, csr) = if self.rng.chance(50) {
                (3, FRM)
            } else {
                (0x9f, FCSR)
            };
            return vec![
                Op::W(rv::i(0x13, 7, t, rs, mask)),
                Op::W(rv::csrrw(rd, csr, t)),
            ];
        }
        let (f3, csr, src) = match self.rng.below(10) {
            0 => (2, self.rng.pick(&[FFLAGS, FRM, FCSR]), 0), // frflags/frrm/frcsr
            1 => (1, FFLAGS, self.rx()),                      // fsflags rd, rs
            2 => (2, FFLAGS, self.rx()),                      // csrrs fflags
            3 => (3, self.rng.pick(&[FFLAGS, FRM, FCSR]), self.rx()), // csrrc: frm only shrinks
            4 => (5, FFLAGS, self.rng.below(32) as u32),      // fsflagsi
            5 | 6 => (5, FRM, self.rng.below(5) as u32),      // fsrmi 0..4
            7 => (6, FFLAGS, self.rng.below(32) as u32),      // csrrsi fflags
            8 => (
                7,
                self.rng.pick(&[FFLAGS, FRM, FCSR]),
                self.rng.below(32) as u32,
            ), // csrrci
            _ => (2, FCSR, 0),
        };
        vec![Op::W(rv::i(0x73, f3, rd, src, csr as i32))]
    }

    /// A compressed HINT: an encoding that must execute as a no-op.
    fn hint(&mut self) -> u16 {
        let imm = self.rng.range(-32, 31) as i32;
        let r = self.rx();
        let r = if r == 0 { 1 } else { r };
        match self.rng.below(7) {
            0 => rvc::li(0, imm),
            1 => rvc::addi(0, if imm == 0 { 1 } else { imm }),
            2 => rvc::lui(0, if imm == 0 { 1 } else { imm }),
            3 => rvc::slli(0, self.rng.range(1, 63) as u32),
            4 => rvc::mv(0, r),
            5 => rvc::add(0, r),
            _ => rvc::addi(self.wx(), 0),
        }
    }

    /// A compressed instruction (RV64C), never writing `sp` or `s0`.
    fn compressed(&mut self) -> u16 {
        let nz = |g: &mut Self| loop {
            let r = g.wx();
            if r != 0 {
                break r;
            }
        };
        let imm6 = |g: &mut Self| g.rng.range(-32, 31) as i32;
        let nz6 = |g: &mut Self| loop {
            let v = g.rng.range(-32, 31) as i32;
            if v != 0 {
                break v;
            }
        };
        match self.rng.below(24) {
            0 => rvc::addi4spn(self.wc(), self.rng.range(1, 255) as u32 * 4),
            1 => rvc::fld(
                self.rng.range(8, 15) as u32,
                S0R,
                self.rng.below(32) as u32 * 8,
            ),
            2 => rvc::lw(self.wc(), S0R, self.rng.below(32) as u32 * 4),
            3 => rvc::ld(self.wc(), S0R, self.rng.below(32) as u32 * 8),
            4 => rvc::fsd(
                self.rng.range(8, 15) as u32,
                S0R,
                self.rng.below(32) as u32 * 8,
            ),
            5 => rvc::sw(self.rc(), S0R, self.rng.below(32) as u32 * 4),
            6 => rvc::sd(self.rc(), S0R, self.rng.below(32) as u32 * 8),
            7 => {
                let rd = nz(self);
                rvc::addi(rd, nz6(self))
            }
            8 => {
                let rd = nz(self);
                rvc::addiw(rd, imm6(self))
            }
            9 => {
                let rd = nz(self);
                rvc::li(rd, imm6(self))
            }
            10 => {
                let rd = nz(self);
                rvc::lui(rd, nz6(self))
            }
            11 => rvc::srli(self.wc(), self.rng.range(1, 63) as u32),
            12 => rvc::srai(self.wc(), self.rng.range(1, 63) as u32),
            13 => rvc::andi(self.wc(), imm6(self)),
            14 => {
                let (rd, rs2) = (self.wc(), self.rc());
                rvc::alu(false, self.rng.below(4) as u32, rd, rs2)
            }
            15 => {
                let (rd, rs2) = (self.wc(), self.rc());
                rvc::alu(true, self.rng.below(2) as u32, rd, rs2)
            }
            16 => {
                let rd = nz(self);
                rvc::slli(rd, self.rng.range(1, 63) as u32)
            }
            17 => rvc::ldsp(true, self.f(), self.rng.below(32) as u32 * 8),
            18 => {
                let rd = nz(self);
                rvc::lwsp(rd, self.rng.below(64) as u32 * 4)
            }
            19 => {
                let rd = nz(self);
                rvc::ldsp(false, rd, self.rng.below(32) as u32 * 8)
            }
            20 => rvc::sdsp(
                self.rng.chance(50),
                self.rng.below(32) as u32,
                self.rng.below(32) as u32 * 8,
            ),
            21 => rvc::swsp(self.rx(), self.rng.below(64) as u32 * 4),
            22 => {
                let rd = nz(self);
                let rs2 = loop {
                    let r = self.rx();
                    if r != 0 {
                        break r;
                    }
                };
                rvc::mv(rd, rs2)
            }
            _ => {
                let rd = nz(self);
                let rs2 = loop {
                    let r = self.rx();
                    if r != 0 {
                        break r;
                    }
                };
                rvc::add(rd, rs2)
            }
        }
    }

    /// Item `i` of `n`.
    fn item(&mut self, i: usize, n: usize) -> Vec<Op> {
        let target = |g: &mut Self| g.rng.range(i as i64 + 1, (i + 6).min(n) as i64) as usize;
        match self.rng.below(100) {
            0..=54 => {
                let op = self.rng.pick(generic_ops());
                vec![Op::W(self.generic(op))]
            }
            55..=66 => {
                let op = self.rng.pick(mem_ops());
                vec![Op::W(self.mem(op))]
            }
            67..=71 => {
                use Opcode::*;
                let op = self.rng.pick(&[Beq, Bne, Blt, Bge, Bltu, Bgeu]);
                let rs1 = self.rx();
                let rs2 = if self.rng.chance(25) { rs1 } else { self.rx() };
                vec![Op::B(row(op) | rs1 << 15 | rs2 << 20, target(self))]
            }
            72 => vec![Op::J(self.wx(), target(self))],
            73 => {
                // auipc t, 0; jalr rd, 8|9(t): lands right after the jalr.
                let (t, rd) = (self.wx(), self.wx());
                let t = if t == 0 { 1 } else { t };
                vec![
                    Op::W(rv::u(0x17, t, 0)),
                    Op::W(rv::i(0x67, 0, rd, t, self.rng.range(8, 9) as i32)),
                ]
            }
            74..=77 => self.atomic(),
            78..=81 => self.csr(),
            82 => {
                // ctzw only on a value with a low-word bit set (see the module docs).
                let (t, rd, rs) = (self.wx(), self.wx(), self.rx());
                let k = self.rng.below(32) as u32;
                if t == 0 {
                    return vec![Op::W(row(Opcode::Bseti) | rd << 7 | rs << 15 | k << 20)];
                }
                vec![
                    Op::W(row(Opcode::Bseti) | t << 7 | rs << 15 | k << 20),
                    Op::W(row(Opcode::Ctzw) | rd << 7 | t << 15),
                ]
            }
            83..=84 => {
                let r = self.rc();
                if self.rng.chance(50) {
                    vec![Op::Cb(self.rng.chance(50), r, target(self))]
                } else {
                    vec![Op::Cj(target(self))]
                }
            }
            85 => vec![Op::H(self.hint())],
            _ => vec![Op::H(self.compressed())],
        }
    }
}

fn random_seq(rng: &mut Rng) -> Seq {
    let state = random_state(rng);
    let mut hot_x = [0u32; 6];
    for r in hot_x.iter_mut() {
        *r = rng.pick(&[1, 5, 9, 10, 11, 12, 13, 14, 15, 18, 31]);
    }
    let mut hot_f = [0u32; 6];
    for r in hot_f.iter_mut() {
        *r = rng.pick(&[0, 1, 8, 9, 10, 11, 12, 13, 14, 15, 31]);
    }
    let n = rng.range(8, 40) as usize;
    let mut g = Gen { rng, hot_x, hot_f };
    let items = (0..n).map(|i| g.item(i, n)).collect();
    Seq {
        state,
        items,
        handlers: false,
    }
}

/// One probe: a single instruction word that is a near miss of a table row, random
/// bits, or a (mutated) compressed instruction, often not an instruction at all. It runs
/// with the trap handler installed, so the record says whether (and how) it trapped:
/// this checks that MVVM rejects exactly the encodings qemu rejects. Words that MVVM
/// decodes as control transfers, system instructions or writes to `sp`/`s0` are left to
/// the sequences (they would derail the harness).
fn random_probe(rng: &mut Rng) -> Seq {
    let mut state = random_state(rng);
    let piece = loop {
        let mut g = Gen {
            rng,
            hot_x: [1, 5, 9, 10, 11, 31],
            hot_f: [0, 1, 8, 10, 11, 31],
        };
        let piece = match g.rng.below(8) {
            0..=3 => {
                // A table row with random operands and one or two fixed bits flipped.
                let r = g.rng.pick(ROWS);
                let mut w = r.matches | (g.rng.next() as u32 & !r.mask);
                for _ in 0..g.rng.range(1, 2) {
                    let fixed: Vec<u32> = (2..32).filter(|b| r.mask >> b & 1 != 0).collect();
                    w ^= 1 << g.rng.pick(&fixed);
                }
                Piece::W(w)
            }
            4 => Piece::W(g.rng.next() as u32 | 3),
            5 => {
                let h = g.compressed();
                Piece::H(h ^ 1 << g.rng.range(2, 15))
            }
            6 => Piece::H(g.hint()),
            _ => loop {
                let h = g.rng.next() as u16;
                if h & 3 != 3 {
                    break Piece::H(h);
                }
            },
        };
        let word = match piece {
            Piece::W(w) => w,
            Piece::H(h) => h as u32,
        };
        if word & 3 == 3 && (word >> 2 & 31) == 0x1c {
            continue; // SYSTEM: ecall, ebreak, CSRs (counters differ between runs)
        }
        if word & 0x5f == 0x07 && matches!(word >> 12 & 7, 0 | 5 | 6 | 7) && word >> 20 & 0xdf == 8
        {
            continue; // vl<n>r / vs<n>r: see the module docs
        }
        let i = decode_for(word, fuzz_cpu());
        let f = i.op.flags();
        let writes_x = !f.contains(Flags::FD)
            && !matches!(
                i.op.format(),
                Format::S | Format::B | Format::Fence | Format::None
            );
        if i.op != Opcode::Illegal
            && (f.contains(Flags::CTRL)
                || matches!(i.op.format(), Format::Csr | Format::CsrI)
                || matches!(i.op, Opcode::Ecall | Opcode::Ebreak)
                || (writes_x && (i.rd == 2 || i.rd == 8)))
        {
            continue;
        }
        if i.op == Opcode::Ctzw {
            continue; // see the module docs
        }
        let f = i.op.flags();
        if (f.contains(Flags::LOAD) || f.contains(Flags::STORE)) && ![0, 2, 8].contains(&i.rs1) {
            // Random addresses may hit memory that only one emulator maps (their
            // layouts differ): aim into the scratch area, or into page 0 (never mapped).
            let mut addr = if rng.chance(50) {
                SCRATCH + rng.below(SCRATCH_LEN as u64 - 7)
            } else {
                rng.below(0x800)
            };
            if matches!(i.op, Opcode::ScW | Opcode::ScD) {
                addr &= !7; // see the module docs
            }
            state.x[i.rs1 as usize] = addr.wrapping_sub(i.imm as i64 as u64);
        }
        break piece;
    };
    let items = match piece {
        Piece::W(w) => vec![vec![Op::W(w)]],
        Piece::H(h) => vec![vec![Op::H(h)]],
    };
    Seq {
        state,
        items,
        handlers: true,
    }
}

// ---- programs --------------------------------------------------------------------------

/// Emits the words that load sequence `k`'s initial state (block at `block`).
fn prologue(code: &mut Vec<u8>, block: u64) {
    let mut w = |x: u32| code.extend_from_slice(&x.to_le_bytes());
    for x in rv::li32(T0, block as i32) {
        w(x);
    }
    for x in rv::li32(T1, SCRATCH as i32) {
        w(x);
    }
    // Copy the scratch image, 8 bytes at a time.
    w(rv::addi(T2, T0, SCRATCH_LEN as i32));
    w(rv::ld(T3, T0, 0));
    w(rv::sd(T3, T1, 0));
    w(rv::addi(T0, T0, 8));
    w(rv::addi(T1, T1, 8));
    w(rv::bne(T0, T2, -16));
    // t0 now points at x1..x31, then f0..f31, then fcsr.
    w(rv::ld(T3, T0, 31 * 8 + 32 * 8));
    w(rv::csrrw(0, rv::FCSR, T3));
    // A jump to the next word, so that the sequence starts a decoded block of its own:
    // the interpreter runs a block to its end once it has started it, so without the
    // jump the JIT would leave the whole sequence (up to its first branch) to it.
    w(rv::j(0, 4));
    for r in 0..32 {
        w(rv::fld(r, T0, (31 * 8 + r * 8) as i32));
    }
    for r in (1..32).filter(|&r| r != T0) {
        w(rv::ld(r, T0, ((r - 1) * 8) as i32));
    }
    w(rv::ld(T0, T0, ((T0 - 1) * 8) as i32));
}

/// Emits the words that write the record of the state after a sequence.
fn epilogue(code: &mut Vec<u8>) {
    let mut w = |x: u32| code.extend_from_slice(&x.to_le_bytes());
    let d = (DUMP as i64 - SP as i64) as i32;
    for r in 1..32 {
        w(rv::sd(r, SPR, d + (r as i32 - 1) * 8));
    }
    for r in 0..32 {
        w(rv::fsd(r, SPR, d + 248 + r as i32 * 8));
    }
    w(rv::csrrs(T0, rv::FCSR, 0));
    w(rv::sd(T0, SPR, d + 504));
    // Checksum: h = rotl(h ^ word, 7) over the scratch area.
    w(rv::addi(T1, SPR, (SCRATCH as i64 - SP as i64) as i32));
    w(rv::addi(T2, T1, SCRATCH_LEN as i32));
    w(rv::addi(T0, 0, 0));
    w(rv::ld(T3, T1, 0));
    w(rv::xor(T0, T0, T3));
    w(rv::slli(T4, T0, 7));
    w(rv::srli(T5, T0, 57));
    w(rv::or(T0, T4, T5));
    w(rv::addi(T1, T1, 8));
    w(rv::bne(T1, T2, -24));
    w(rv::sd(T0, SPR, d + 512));
    // The trap seen, if any (and clear it and the trap count for the next sequence).
    w(rv::ld(T0, SPR, d - 8));
    w(rv::sd(T0, SPR, d + 520));
    w(rv::sd(0, SPR, d - 8));
    w(rv::sd(0, SPR, d - 16));
    // write(1, DUMP, RECORD)
    w(rv::addi(10, 0, 1));
    w(rv::addi(11, SPR, d));
    w(rv::addi(12, 0, RECORD as i32));
    for x in rv::syscall(64) {
        w(x);
    }
}

/// Emits code that installs [`trap_handler`] for SIGILL, SIGTRAP, SIGBUS and SIGSEGV on
/// an alternate stack, and the handler itself (jumped over). Fills in `data`'s
/// `struct sigaction` and `stack_t`.
fn install_handlers(text: &mut Vec<u8>, data: &mut [u8]) {
    let mut w = |x: u32| text.extend_from_slice(&x.to_le_bytes());
    // sigaltstack(&ss, NULL)
    for x in rv::li32(10, SS as i32) {
        w(x);
    }
    w(rv::addi(11, 0, 0));
    for x in rv::syscall(132) {
        w(x);
    }
    // rt_sigaction(sig, &act, NULL, 8)
    for sig in [4, 5, 7, 11] {
        w(rv::addi(10, 0, sig));
        for x in rv::li32(11, ACT as i32) {
            w(x);
        }
        w(rv::addi(12, 0, 0));
        w(rv::addi(13, 0, 8));
        for x in rv::syscall(134) {
            w(x);
        }
    }
    let handler = trap_handler();
    w(rv::j(0, 4 + 4 * handler.len() as i32));
    let at = common::entry(2) + text.len() as u64;
    for x in handler {
        text.extend_from_slice(&x.to_le_bytes());
    }
    let put = |data: &mut [u8], addr: u64, v: u64| {
        let o = (addr - DATA) as usize;
        data[o..o + 8].copy_from_slice(&v.to_le_bytes());
    };
    const SA_SIGINFO: u64 = 4;
    const SA_ONSTACK: u64 = 0x0800_0000;
    put(data, ACT, at);
    put(data, ACT + 8, SA_SIGINFO | SA_ONSTACK);
    put(data, ACT + 16, 0);
    put(data, SS, ALTSTACK);
    put(data, SS + 8, 0);
    put(data, SS + 16, ALTSTACK_LEN);
}

/// The signal handler of probe programs: records the signal in [`TRAP`], steps the
/// interrupted pc over the faulting instruction (2 or 4 bytes) and returns; sigreturn
/// restores every register. After 1000 traps in one sequence it exits with status 99 (a
/// probe that sent the pc astray).
fn trap_handler() -> Vec<u32> {
    const UC_PC: i32 = 176; // ucontext.uc_mcontext.sc_regs.pc
    let mut v = rv::li32(T0, TRAPS as i32).to_vec();
    v.extend([
        rv::ld(T1, T0, 0),
        rv::addi(T1, T1, 1),
        rv::sd(T1, T0, 0),
        rv::addi(T2, 0, 1000),
        rv::b(4, T1, T2, 16), // blt: skip the exit
        rv::addi(10, 0, 99),
        rv::addi(17, 0, 94),
        rv::ECALL,
        rv::sd(10, T0, (TRAP - TRAPS) as i32),
        rv::ld(T1, 12, UC_PC),
        rv::i(0x03, 5, T2, T1, 0), // lhu: the faulting instruction's first halfword
        rv::i(0x13, 7, T2, T2, 3), // andi
        rv::addi(T1, T1, 2),
        rv::addi(T0, 0, 3),
        rv::bne(T2, T0, 8),
        rv::addi(T1, T1, 2),
        rv::sd(T1, 12, UC_PC),
        rv::i(0x67, 0, 0, 1, 0), // ret
    ]);
    v
}

/// An ELF that runs `seqs` in order, writing one record after each, then exits 0.
fn program(seqs: &[(&State, Vec<Piece>)], handlers: bool) -> Vec<u8> {
    let mut text = Vec::new();
    let mut data = vec![0u8; (BLOCKS - DATA) as usize + seqs.len() * BLOCK];
    if handlers {
        install_handlers(&mut text, &mut data);
    }
    for (k, (state, code)) in seqs.iter().enumerate() {
        let block = BLOCKS + (k * BLOCK) as u64;
        let b = &mut data[(block - DATA) as usize..][..BLOCK];
        let mut words = state.mem.to_vec();
        words.extend_from_slice(&state.x[1..]);
        words.extend_from_slice(&state.f);
        words.push(state.fcsr);
        words[SCRATCH_WORDS + 1] = SP; // x2
        words[SCRATCH_WORDS + 7] = S0; // x8
        for (i, v) in words.iter().enumerate() {
            b[i * 8..i * 8 + 8].copy_from_slice(&v.to_le_bytes());
        }
        prologue(&mut text, block);
        for p in code {
            text.extend_from_slice(&p.bytes());
        }
        epilogue(&mut text);
    }
    text.extend_from_slice(&rv::addi(10, 0, 0).to_le_bytes());
    for x in rv::syscall(94) {
        text.extend_from_slice(&x.to_le_bytes());
    }
    common::elf(&text, Some((DATA, &data)), None)
}

// ---- running and comparing -------------------------------------------------------------

/// What one emulator run produced.
struct Outcome {
    /// Exit status, or 128 + signal.
    status: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn run(cmd: &mut Command) -> Outcome {
    cmd.env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A child forked by another thread while this one was writing an executable
    // holds it open for writing until it execs: ETXTBSY (26) for a moment.
    let mut tries = 0;
    let mut child = loop {
        match cmd.spawn() {
            Err(e) if e.raw_os_error() == Some(26) && tries < 100 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            spawned => {
                break spawned.unwrap_or_else(|e| {
                    panic!("cannot run {cmd:?}: {e} (the ISA fuzzer needs qemu-user)")
                })
            }
        }
    };
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} timed out");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Outcome {
        status: status
            .code()
            .unwrap_or_else(|| 128 + status.signal().unwrap_or(0)),
        stdout: out.join().unwrap(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

/// This process's scratch directory, under Cargo's temp dir for tests (stale ones of
/// finished runs are removed).
fn work_dir() -> &'static Path {
    use std::sync::OnceLock;
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("isa_fuzz");
        for e in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            let pid = e.file_name().to_string_lossy().parse::<u32>().unwrap_or(0);
            if pid != 0 && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        let dir = root.join(std::process::id().to_string());
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// Writes an executable file into [`work_dir`].
fn executable(name: &str, bytes: &[u8]) -> PathBuf {
    let path = work_dir().join(name);
    std::fs::write(&path, bytes).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// The oracle: `MVVM_ORACLE` or `qemu-riscv64`, looked up in `PATH`. Missing is a
/// test failure, not a skip.
fn qemu() -> &'static Path {
    use std::sync::OnceLock;
    static QEMU: OnceLock<PathBuf> = OnceLock::new();
    QEMU.get_or_init(|| {
        let name = std::env::var("MVVM_ORACLE").unwrap_or_else(|_| "qemu-riscv64".into());
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path)
            .map(|d| d.join(&name))
            .chain([PathBuf::from(&name)])
            .find(|p| p.components().count() > 1 && p.is_file())
            .unwrap_or_else(|| {
                panic!(
                    "{name} not found in PATH: the ISA fuzzer needs it (apt-get install qemu-user)"
                )
            })
    })
}

/// A private copy of the emulator, so that a long run survives rebuilds of the target
/// directory.
fn mvvm() -> &'static Path {
    use std::sync::OnceLock;
    static COPY: OnceLock<PathBuf> = OnceLock::new();
    COPY.get_or_init(|| executable("mvvm", &std::fs::read(MVVM).expect("the mvvm binary")))
}

/// Which tier of MVVM the fuzzer holds against qemu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// The interpreter: the native `mvvm` binary.
    Interp,
    /// The JIT: the launcher (`dist/mvvm`, `make build`) with every block compiled on
    /// its first execution, so that every translatable instruction of a sequence runs
    /// as generated code.
    Jit,
}

/// A private copy of the launcher and the JIT component (it looks for
/// `mvvm-jit.wasm` next to itself), like [`mvvm`]'s.
fn launcher() -> &'static Path {
    use std::sync::OnceLock;
    static COPY: OnceLock<PathBuf> = OnceLock::new();
    COPY.get_or_init(|| {
        let dir = work_dir().join("jit");
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["mvvm", "mvvm-jit.wasm"] {
            let from = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("dist")
                .join(name);
            std::fs::copy(&from, dir.join(name))
                .unwrap_or_else(|e| panic!("{}: {e} (run make build)", from.display()));
        }
        dir.join("mvvm")
    })
}

/// Runs `elf` under qemu and under MVVM's `target` tier.
fn run_both(elf: &[u8], name: &str, target: Target) -> (Outcome, Outcome) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let file = format!("{name}-{}", N.fetch_add(1, Ordering::Relaxed));
    let path = executable(&file, elf);
    let q = run(Command::new(qemu()).args(["-cpu", QEMU_CPU]).arg(&path));
    let m = match target {
        Target::Interp => run(Command::new(mvvm()).args(["-cpu", &mvvm_cpu()]).arg(&path)),
        Target::Jit => run(Command::new(launcher())
            .args(["--jit=on", "-jit-threshold", "1", "-cpu", &mvvm_cpu()])
            .arg(&path)),
    };
    let _ = std::fs::remove_file(&path);
    (q, m)
}

const XN: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];

/// The named values of a record: x1..x31, f0..f31, fcsr, scratch checksum.
fn fields(rec: &[u8]) -> Vec<(String, u64)> {
    let v = |i: usize| u64::from_le_bytes(rec[i * 8..i * 8 + 8].try_into().unwrap());
    let mut out: Vec<(String, u64)> = (1..32).map(|r| (XN[r].to_string(), v(r - 1))).collect();
    out.extend((0..32).map(|r| (format!("f{r}"), v(31 + r))));
    out.push(("fcsr".into(), v(63)));
    out.push(("mem-checksum".into(), v(64)));
    out.push(("trap-signal".into(), v(65)));
    out
}

/// Compares runs of `n` sequences: `Err((k, why))` names the first sequence that differs.
fn compare(q: &Outcome, m: &Outcome, n: usize) -> Result<(), (usize, String)> {
    let (qn, mn) = (q.stdout.len() / RECORD, m.stdout.len() / RECORD);
    for k in 0..n {
        let (qr, mr) = (
            q.stdout.get(k * RECORD..(k + 1) * RECORD),
            m.stdout.get(k * RECORD..(k + 1) * RECORD),
        );
        match (qr, mr) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(a), Some(b)) => {
                let mut why = String::from("registers differ (qemu / mvvm):\n");
                for ((name, x), (_, y)) in fields(a).into_iter().zip(fields(b)) {
                    let mark = if x != y { "  <==" } else { "" };
                    let _ = writeln!(why, "  {name:>12} {x:016x} {y:016x}{mark}");
                }
                return Err((k, why));
            }
            _ => {
                return Err((
                    k,
                    format!(
                        "a run stopped early: qemu status {} after {qn} records, mvvm status {} \
                         after {mn} records\nqemu stderr: {}\nmvvm stderr: {}",
                        q.status,
                        m.status,
                        q.stderr.trim(),
                        m.stderr.trim()
                    ),
                ))
            }
        }
    }
    if q.status != 0 || m.status != 0 || qn != n || mn != n {
        return Err((
            n.min(qn).min(mn),
            format!(
                "exit: qemu {} ({qn} records), mvvm {} ({mn} records)\n{}{}",
                q.status, m.status, q.stderr, m.stderr
            ),
        ));
    }
    Ok(())
}

/// Runs one sequence alone; `Some(why)` if qemu and MVVM disagree.
fn check_one(seq: &Seq, target: Target) -> Option<String> {
    let elf = program(&[(&seq.state, seq.layout())], seq.handlers);
    let (q, m) = run_both(&elf, "one", target);
    compare(&q, &m, 1).err().map(|(_, why)| why)
}

/// Drops items while the mismatch persists (bounded number of runs).
fn shrink(seq: &Seq, target: Target) -> Seq {
    let mut best = seq.clone();
    let mut budget = 150;
    let mut i = best.items.len();
    while i > 0 && budget > 0 {
        i -= 1;
        if i >= best.items.len() {
            continue;
        }
        let smaller = best.without(i);
        budget -= 1;
        if check_one(&smaller, target).is_some() {
            best = smaller;
        }
    }
    best
}

fn listing(code: &[Piece]) -> String {
    let mut s = String::new();
    let mut pc = 0u64;
    for p in code {
        let _ = writeln!(s, "  {pc:4x}: {}", p.disasm(pc));
        pc += p.bytes().len() as u64;
    }
    s
}

// ---- reproducer files -----------------------------------------------------------------

fn reproducer_text(seq: &Seq, origin: &str, why: &str) -> String {
    let code = seq.layout();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# MVVM ISA fuzz reproducer (tests/isa_fuzz.rs), replayed by its `regressions` test."
    );
    let _ = writeln!(s, "# {origin}");
    for line in why
        .lines()
        .filter(|l| l.contains("<==") || !l.starts_with("  "))
    {
        let _ = writeln!(s, "# {line}");
    }
    if seq.handlers {
        let _ = writeln!(s, "handlers");
    }
    let mut pc = 0u64;
    for p in &code {
        let (hex, text) = match p {
            Piece::W(w) => (format!("{w:08x}"), disasm(*w, pc)),
            Piece::H(h) => (format!("{h:04x}"), disasm(*h as u32, pc)),
        };
        let _ = writeln!(s, "code {hex}  # {pc:x}: {text}");
        pc += p.bytes().len() as u64;
    }
    for r in 1..32 {
        let _ = writeln!(s, "x{r} {:016x}", seq.state.x[r]);
    }
    for r in 0..32 {
        let _ = writeln!(s, "f{r} {:016x}", seq.state.f[r]);
    }
    let _ = writeln!(s, "fcsr {:02x}", seq.state.fcsr);
    for (i, v) in seq.state.mem.iter().enumerate() {
        let _ = writeln!(s, "mem {:03x} {v:016x}", i * 8);
    }
    s
}

/// A parsed reproducer: initial state, code, and an optional `known:` note (a mismatch
/// that is understood and documented; it is reported but does not fail the test).
struct Reproducer {
    state: State,
    code: Vec<Piece>,
    handlers: bool,
    known: Option<String>,
}

fn parse_reproducer(text: &str) -> Result<Reproducer, String> {
    let mut state = State {
        x: [0; 32],
        f: [0; 32],
        fcsr: 0,
        mem: [0; SCRATCH_WORDS],
    };
    let mut code = Vec::new();
    let mut known = None;
    let mut handlers = false;
    for (n, line) in text.lines().enumerate() {
        if let Some(note) = line.strip_prefix("known:") {
            known = Some(note.trim().to_string());
            continue;
        }
        let line = line.split('#').next().unwrap().trim();
        if line.is_empty() {
            continue;
        }
        let bad = || format!("line {}: {line:?}", n + 1);
        let parts: Vec<&str> = line.split_whitespace().collect();
        let hex = |s: &str| u64::from_str_radix(s, 16).map_err(|_| bad());
        match parts.as_slice() {
            ["handlers"] => handlers = true,
            ["code", h] if h.len() == 8 => code.push(Piece::W(hex(h)? as u32)),
            ["code", h] if h.len() == 4 => code.push(Piece::H(hex(h)? as u16)),
            ["fcsr", v] => state.fcsr = hex(v)? & 0xff,
            ["mem", off, v] => {
                let i = hex(off)? as usize / 8;
                *state.mem.get_mut(i).ok_or_else(bad)? = hex(v)?;
            }
            [reg, v] if reg.starts_with('x') || reg.starts_with('f') => {
                let r: usize = reg[1..].parse().map_err(|_| bad())?;
                let file = if reg.starts_with('x') {
                    &mut state.x
                } else {
                    &mut state.f
                };
                *file.get_mut(r).ok_or_else(bad)? = hex(v)?;
            }
            _ => return Err(bad()),
        }
    }
    state.x[0] = 0;
    state.x[2] = SP;
    state.x[8] = S0;
    if state.fcsr >> 5 > 4 {
        return Err("fcsr: invalid rounding mode".into());
    }
    Ok(Reproducer {
        state,
        code,
        handlers,
        known,
    })
}

fn save_reproducer(seq: &Seq, origin: &str, why: &str) -> PathBuf {
    let text = reproducer_text(seq, origin, why);
    let code = seq.layout();
    let culprit = code.last().map_or("empty".to_string(), |p| match p {
        Piece::W(w) => decode(*w).op.mnemonic(),
        Piece::H(h) => format!("c-{}", decode(*h as u32).op.mnemonic()),
    });
    // Name by content, so the same case found twice is one file.
    let hash = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
        });
    std::fs::create_dir_all(REGRESSIONS).unwrap();
    let path = Path::new(REGRESSIONS).join(format!("{culprit}-{:08x}.txt", hash as u32));
    std::fs::write(&path, text).unwrap();
    path
}

// ---- the tests -------------------------------------------------------------------------

fn fuzz_seconds() -> Option<u64> {
    ["MVVM_ISA_FUZZ_SECONDS", "ISA_FUZZ_SECONDS"]
        .iter()
        .find_map(|v| std::env::var(v).ok())
        .map(|s| s.trim().parse().expect("fuzz seconds must be a number"))
}

/// Generates, runs and compares one program's worth of sequences (or of probes) from
/// `seed`; on a mismatch adds a report to `reports` and saves a reproducer.
fn fuzz_program(seed: u64, probes: bool, target: Target, reports: &Mutex<Vec<String>>) {
    let mut rng = Rng(seed);
    let n = if probes { PROBES } else { BATCH };
    let seqs: Vec<Seq> = (0..n)
        .map(|_| {
            if probes {
                random_probe(&mut rng)
            } else {
                random_seq(&mut rng)
            }
        })
        .collect();
    let laid: Vec<(&State, Vec<Piece>)> = seqs.iter().map(|s| (&s.state, s.layout())).collect();
    let elf = program(&laid, probes);
    let (q, m) = run_both(&elf, "batch", target);
    let Err((k, why)) = compare(&q, &m, n) else {
        return;
    };
    if reports.lock().unwrap().len() >= MAX_REPORTS {
        reports.lock().unwrap().push(format!(
            "seed {seed:#x} sequence {k}: mismatch (not shrunk)"
        ));
        return;
    }
    let kind = if probes { "probe" } else { "sequence" };
    let origin = format!("seed {seed:#x}, {kind} {k} of {n}, {target:?} tier");
    let mut report = format!("=== mismatch: {origin}\n");
    let seq = &seqs[k.min(n - 1)];
    let (seq, why) = match check_one(seq, target) {
        Some(_) => {
            let small = shrink(seq, target);
            let why = check_one(&small, target).unwrap_or(why);
            (small, why)
        }
        None => {
            let _ = writeln!(report, "(does not reproduce alone; saved unshrunk)");
            (seq.clone(), why)
        }
    };
    let _ = write!(report, "sequence:\n{}{why}", listing(&seq.layout()));
    let path = save_reproducer(&seq, &origin, &why);
    let _ = writeln!(report, "reproducer: {}", path.display());
    eprintln!("{report}");
    reports.lock().unwrap().push(report);
}

#[test]
fn qemu_vs_mvvm() {
    fuzz(Target::Interp, FIXED_PROGRAMS, FIXED_PROBE_PROGRAMS);
}

/// The same against the JIT tier, on fewer fixed programs (every program pays for
/// compiling its sequences); a timed run fuzzes both tiers side by side.
#[test]
fn qemu_vs_mvvm_jit() {
    fuzz(Target::Jit, FIXED_PROGRAMS / 6, FIXED_PROBE_PROGRAMS / 3);
}

/// Runs `programs` fixed programs of sequences and `probe_programs` of probes (or
/// random ones for the timed run's seconds) under qemu and `target`.
fn fuzz(target: Target, programs: u64, probe_programs: u64) {
    let timed = fuzz_seconds();
    let base = match timed {
        Some(_) => {
            let mut b = [0u8; 8];
            std::fs::File::open("/dev/urandom")
                .and_then(|mut f| f.read_exact(&mut b))
                .expect("/dev/urandom");
            u64::from_le_bytes(b)
        }
        None => 0x5eed_0000,
    };
    let deadline = timed.map(|s| Instant::now() + Duration::from_secs(s));
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let (sequenced, probed) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let reports = Mutex::new(Vec::new());
    let workers = 2;
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as u64;
                let (more, probes) = match deadline {
                    Some(d) => (Instant::now() < d, i % 4 == 3),
                    None => (i < programs + probe_programs, i >= programs),
                };
                if !more || reports.lock().unwrap().len() > MAX_REPORTS * 2 {
                    break;
                }
                let n = if probes { PROBES } else { BATCH };
                (if probes { &probed } else { &sequenced }).fetch_add(n, Ordering::Relaxed);
                fuzz_program(base.wrapping_add(i), probes, target, &reports);
            });
        }
    });
    eprintln!(
        "isa_fuzz ({target:?}): {} sequences and {} probes (seeds {base:#x}..) compared in {:.1} s",
        sequenced.into_inner(),
        probed.into_inner(),
        start.elapsed().as_secs_f64()
    );
    let reports = reports.into_inner().unwrap();
    assert!(
        reports.is_empty(),
        "{} mismatching programs:\n{}",
        reports.len(),
        reports.join("\n")
    );
}

/// Every saved reproducer still agrees with qemu (or is a documented `known:` case).
#[test]
fn regressions() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(REGRESSIONS)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let r = parse_reproducer(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let elf = program(&[(&r.state, r.code.clone())], r.handlers);
        for target in [Target::Interp, Target::Jit] {
            let (q, m) = run_both(&elf, "replay", target);
            match (compare(&q, &m, 1), &r.known) {
                (Ok(()), None) => {}
                (Ok(()), Some(note)) => eprintln!(
                    "{}: now agrees with qemu; drop its `known:` line ({note})",
                    path.display()
                ),
                (Err((_, why)), Some(note)) => {
                    eprintln!("{}: known mismatch ({note})", path.display());
                    let _ = why;
                }
                (Err((_, why)), None) => failures.push(format!(
                    "{} ({target:?} tier):\n{}{why}",
                    path.display(),
                    listing(&r.code)
                )),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} reproducers disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The program harness itself: an empty sequence hands its initial state straight
/// through, so the records show exactly what was loaded.
#[test]
fn harness_round_trips_state() {
    let mut rng = Rng(7);
    let state = random_state(&mut rng);
    let elf = program(
        &[
            (&state, Vec::new()),
            (&state, vec![Piece::H(rvc::li(10, 5))]),
        ],
        false,
    );
    let (q, m) = run_both(&elf, "harness", Target::Interp);
    assert_eq!(compare(&q, &m, 2), Ok(()));
    let rec = fields(&m.stdout[..RECORD]);
    for r in 1..32 {
        assert_eq!(rec[r - 1].1, state.x[r], "x{r}");
    }
    for r in 0..32 {
        assert_eq!(rec[31 + r].1, state.f[r], "f{r}");
    }
    assert_eq!(rec[63].1, state.fcsr);
    assert_eq!(fields(&m.stdout[RECORD..])[9].1, 5, "c.li a0, 5");
}

/// The probe harness: an illegal halfword and an unmapped load trap (SIGILL, SIGSEGV),
/// are skipped, and leave the state alone; a valid instruction after them runs.
#[test]
fn probe_harness_records_traps() {
    let mut rng = Rng(8);
    let state = random_state(&mut rng);
    let code = |p: Piece| (&state, vec![p]);
    let elf = program(
        &[
            code(Piece::H(0)),
            code(Piece::W(rv::ld(10, 0, 8))),
            code(Piece::W(rv::addi(10, 0, 7))),
        ],
        true,
    );
    let (q, m) = run_both(&elf, "probe-harness", Target::Interp);
    assert_eq!(compare(&q, &m, 3), Ok(()), "{}", m.stderr);
    for (k, (signal, a0)) in [(4, state.x[10]), (11, state.x[10]), (0, 7)]
        .into_iter()
        .enumerate()
    {
        let rec = fields(&m.stdout[k * RECORD..]);
        assert_eq!((rec[65].1, rec[9].1), (signal, a0), "probe {k}");
        assert_eq!(rec[63].1, state.fcsr, "probe {k}: fcsr restored");
    }
}
