//! JIT unit tests: region discovery, and wasmparser validation of the module generated
//! for every lowering, alone and in loops, branches and calls.

use super::abi::{Exit, Layout};
use super::emit::{module, validate};
use super::lower::{translatable, LOWERING};
use super::region::{Block, Region};
use crate::isa::{Flags, Format, Insn, Opcode, ROWS};

const LAYOUT: Layout = Layout {
    ram_base: 0x10_0000,
    ram_size: 1 << 30,
    perms_base: 0x1000,
    links: 0x8000,
};

fn insn(op: Opcode, rd: u8, rs1: u8, rs2: u8, imm: i32) -> Insn {
    Insn::new(op, rd, rs1, rs2, imm, 4)
}

/// A plausible instance of `op` (registers x5..x7, a small immediate, a branch
/// offset of `branch`).
fn sample(op: Opcode, branch: i32) -> Insn {
    let imm = match op.format() {
        Format::B | Format::J => branch,
        Format::Shift => 13,
        Format::ShiftW => 7,
        Format::U => 0x12345 << 12,
        _ => -24,
    };
    let i = insn(op, 5, 6, 7, imm);
    if op == Opcode::Jalr {
        Insn { imm: 8, rd: 1, ..i }
    } else {
        i
    }
}

fn checked(region: &Region) -> Vec<u8> {
    let bytes = module(region, LAYOUT, LOWERING);
    if let Err(e) = validate(&bytes) {
        panic!("invalid module for {region:?}: {e}");
    }
    bytes
}

fn translatable_ops() -> Vec<Opcode> {
    ROWS.iter()
        .map(|r| r.op)
        .filter(|&op| translatable(&sample(op, 4)))
        .collect()
}

#[test]
fn the_first_subset_is_translatable() {
    let ops = translatable_ops();
    for op in [
        Opcode::Addi,
        Opcode::Sraiw,
        Opcode::Sub,
        Opcode::Sltu,
        Opcode::Lui,
        Opcode::Auipc,
        Opcode::Lb,
        Opcode::Ld,
        Opcode::Sd,
        Opcode::Bgeu,
        Opcode::Jal,
        Opcode::Jalr,
        Opcode::Div,
        Opcode::Remuw,
        Opcode::Sh2addUw,
        Opcode::Ctzw,
        Opcode::Maxu,
        Opcode::Mulh,
        Opcode::Mulhsu,
        Opcode::FmaddD,
        Opcode::AmoswapW,
        Opcode::AmomaxuD,
    ] {
        assert!(ops.contains(&op), "{op:?}");
    }
    for op in [Opcode::Ecall, Opcode::FenceI, Opcode::FclassD, Opcode::LrW] {
        assert!(!ops.contains(&op), "{op:?}");
    }
}

/// Every lowering, as the only instruction of a block (followed by a loop back to
/// the block when it does not end it), validates.
#[test]
fn every_lowering_validates_alone_and_in_a_loop() {
    for op in translatable_ops() {
        let mut insns = vec![sample(op, 0)];
        if !op.flags().contains(Flags::CTRL) {
            insns.push(insn(Opcode::Bne, 0, 5, 0, -4));
        }
        let region = Region {
            blocks: vec![Block { pc: 0x1000, insns }],
        };
        checked(&region);
    }
}

/// Every lowering in the middle of a three-block region with forward and backward
/// edges and a dispatch table.
#[test]
fn every_lowering_validates_inside_a_region() {
    for op in translatable_ops() {
        let mut body = vec![insn(Opcode::Addi, 10, 10, 0, 1), sample(op, 8)];
        if !op.flags().contains(Flags::CTRL) {
            body.push(insn(Opcode::Blt, 0, 10, 11, 8));
        }
        let body_len = 4 * body.len() as u64;
        let region = Region {
            blocks: vec![
                Block {
                    pc: 0x1000,
                    insns: vec![insn(Opcode::Jal, 0, 0, 0, 8)],
                },
                Block {
                    pc: 0x1008,
                    insns: body,
                },
                Block {
                    pc: 0x1008 + body_len,
                    insns: vec![
                        insn(Opcode::Sd, 0, 2, 10, 16),
                        insn(Opcode::Ecall, 0, 0, 0, 0),
                    ],
                },
            ],
        };
        checked(&region);
    }
}

/// A block that stops before an untranslated instruction, and one that just ends
/// (page boundary), both validate.
#[test]
fn untranslated_instructions_and_fall_through_validate() {
    let region = Region {
        blocks: vec![
            Block {
                pc: 0x2000,
                insns: vec![
                    insn(Opcode::Addi, 5, 5, 0, 1),
                    insn(Opcode::Mulh, 5, 5, 6, 0),
                    insn(Opcode::Addi, 5, 5, 0, 1),
                ],
            },
            Block {
                pc: 0x200c,
                insns: vec![insn(Opcode::Addi, 6, 6, 0, 1)],
            },
        ],
    };
    checked(&region);
}

fn decoder(code: &[(u64, Vec<Insn>)]) -> impl FnMut(u64) -> Option<Vec<Insn>> + '_ {
    move |pc| code.iter().find(|(p, _)| *p == pc).map(|(_, i)| i.clone())
}

#[test]
fn regions_follow_branches_and_calls_in_pc_order() {
    // 0x100: addi; bne -> 0x100 (loop), falls to 0x108: jal ra, 0x200; 0x10c: ecall
    // 0x200: jalr x0, ra (return)
    let code = vec![
        (
            0x100,
            vec![
                insn(Opcode::Addi, 5, 5, 0, -1),
                insn(Opcode::Bne, 0, 5, 0, -4),
            ],
        ),
        (0x108, vec![insn(Opcode::Jal, 1, 0, 0, 0xf8)]),
        (0x10c, vec![insn(Opcode::Ecall, 0, 0, 0, 0)]),
        (0x200, vec![insn(Opcode::Jalr, 0, 1, 0, 0)]),
    ];
    let region = Region::discover(0x108, decoder(&code), translatable).unwrap();
    let pcs: Vec<u64> = region.blocks.iter().map(|b| b.pc).collect();
    // The ecall block cannot start anything; the loop is not reachable from 0x108.
    assert_eq!(pcs, [0x108, 0x200]);
    let region = Region::discover(0x100, decoder(&code), translatable).unwrap();
    let pcs: Vec<u64> = region.blocks.iter().map(|b| b.pc).collect();
    assert_eq!(pcs, [0x100, 0x108, 0x200]);
    assert!(Region::discover(0x10c, decoder(&code), translatable).is_none());
    assert!(Region::discover(0x300, decoder(&code), translatable).is_none());
    checked(&region);
}

#[test]
fn return_sites_are_blocks_after_calls() {
    let code = vec![
        (0x100, vec![insn(Opcode::Jal, 1, 0, 0, 0x100)]),
        (0x104, vec![insn(Opcode::Jal, 0, 0, 0, -4)]),
        (0x200, vec![insn(Opcode::Jalr, 0, 1, 0, 0)]),
    ];
    let region = Region::discover(0x100, decoder(&code), translatable).unwrap();
    assert_eq!(region.blocks.len(), 3);
    assert_eq!(region.return_sites(8), [1]);
    checked(&region);
}

#[test]
fn exit_words_round_trip() {
    for e in Exit::ALL {
        assert_eq!(Exit::decode(e as u32 | 77 << 8), (e, 77));
    }
    assert_eq!(Exit::decode(0xff).0, Exit::Interp);
    assert!(Exit::Slow.needs_interpreter() && !Exit::Jump.needs_interpreter());
}

/// A backend that validates and counts modules, and whose generated code does
/// nothing but ask for the interpreter (so programs still run, on the interpreter).
#[derive(Default)]
struct Recorder {
    compiled: std::rc::Rc<std::cell::Cell<(u32, u32, u32)>>, // modules, enters, flushes
}

impl super::backend::Backend for Recorder {
    fn compile(&mut self, module: &[u8]) -> Result<u32, String> {
        validate(module)?;
        let (m, e, f) = self.compiled.get();
        self.compiled.set((m + 1, e, f));
        Ok(m)
    }
    fn enter(&mut self, _: u32, _: u32, _: u32) -> u32 {
        let (m, e, f) = self.compiled.get();
        self.compiled.set((m, e + 1, f));
        Exit::Interp as u32
    }
    fn flush(&mut self) {
        let (m, e, f) = self.compiled.get();
        self.compiled.set((m, e, f + 1));
    }
}

/// The instruction word of `op` with the operands its format uses (I, B or none).
fn word(op: Opcode, rd: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
    let base = ROWS.iter().find(|r| r.op == op).expect("row").matches;
    let imm = imm as u32;
    base | match op.format() {
        Format::I => rd << 7 | rs1 << 15 | (imm & 0xfff) << 20,
        Format::B => {
            rs1 << 15
                | rs2 << 20
                | (imm >> 11 & 1) << 7
                | (imm >> 1 & 0xf) << 8
                | (imm >> 5 & 0x3f) << 25
                | (imm >> 12 & 1) << 31
        }
        _ => 0,
    }
}

/// Where [`counting_loop`] puts its code.
const LOOP_CODE: u64 = 0x10000;

/// Memory holding `do x5 += 1 while x5 != x6; ebreak` at [`LOOP_CODE`], and a hart
/// about to run it `n` times.
fn counting_loop(n: u64) -> (crate::mem::Mem, crate::hart::Hart) {
    use crate::mem::{Mem, VmaKind, R, W, X};
    let mut mem = Mem::new(1 << 24);
    mem.map(LOOP_CODE, 0x1000, R | W | X, VmaKind::Anon);
    let program = [
        word(Opcode::Addi, 5, 5, 0, 1),
        word(Opcode::Bne, 0, 5, 6, -4),
        word(Opcode::Ebreak, 0, 0, 0, 0),
    ];
    let bytes: Vec<u8> = program.iter().flat_map(|w| w.to_le_bytes()).collect();
    mem.fill(LOOP_CODE, &bytes);
    let mut hart = crate::hart::Hart {
        pc: LOOP_CODE,
        ..Default::default()
    };
    hart.x[6] = n;
    (mem, hart)
}

/// Runs [`counting_loop`]`(n)` to its `ebreak` through the interpreter's run loop
/// with a JIT on `backend` at threshold 3, and checks that it counted to `n`.
fn run_counting_loop(
    backend: Box<dyn super::backend::Backend>,
    n: u64,
) -> (crate::interp::CodeCache, crate::mem::Mem) {
    use crate::hart::Trap;
    let mut code = crate::interp::CodeCache::default();
    code.jit = Some(super::Jit::with_backend(backend, LAYOUT, 3));
    let (mut mem, mut hart) = counting_loop(n);
    assert_eq!(
        crate::interp::run(&mut hart, &mut mem, &mut code, 1 << 20),
        Some(Trap::Ebreak)
    );
    assert_eq!(hart.x[5], n);
    (code, mem)
}

/// Tiering through the interpreter's run loop: a hot loop gets its region compiled
/// once at the threshold, generated code is entered from then on, leaving for the
/// interpreter never stalls the program, and a store to the code flushes the JIT.
#[test]
fn hot_blocks_are_compiled_once_and_entered() {
    use crate::hart::Trap;
    let recorder = Recorder::default();
    let counts = recorder.compiled.clone();
    let (mut code, mut mem) = run_counting_loop(Box::new(recorder), 100);
    let (modules, enters, flushes) = counts.get();
    assert_eq!((modules, flushes), (1, 0));
    assert!(enters >= 90, "{enters} calls");

    // A store into the code page drops the decoded code and everything compiled.
    assert_eq!(
        mem.store(
            LOOP_CODE + 8,
            word(Opcode::Ebreak, 0, 0, 0, 0).to_le_bytes()
        ),
        Err(Trap::CodeModified {
            addr: LOOP_CODE + 8
        })
    );
    code.invalidate(&mut mem, LOOP_CODE, LOOP_CODE + 0x1000);
    assert_eq!(counts.get().2, 1);
}

/// A [`Recorder`] that compiles in the background: a module is ready after its
/// ticket has been asked about three times.
#[derive(Default)]
struct Background {
    inner: Recorder,
    polls: u32,
    started: Vec<Vec<u8>>,
}

impl super::backend::Backend for Background {
    fn compile(&mut self, module: &[u8]) -> Result<u32, String> {
        self.inner.compile(module)
    }
    fn enter(&mut self, func: u32, entry: u32, state: u32) -> u32 {
        self.inner.enter(func, entry, state)
    }
    fn flush(&mut self) {
        self.inner.flush()
    }
    fn start(&mut self, module: &[u8]) -> Option<u32> {
        self.started.push(module.to_vec());
        Some(self.started.len() as u32 - 1)
    }
    fn done(&mut self, ticket: u32) -> Option<Result<(u32, std::time::Duration), String>> {
        self.polls += 1;
        if self.polls < 3 {
            return None;
        }
        let module = self.started.get(ticket as usize)?.clone();
        Some(
            self.compile(&module)
                .map(|f| (f, std::time::Duration::ZERO)),
        )
    }
}

/// With a background compiler the hot loop keeps running in the interpreter while
/// its region compiles (asked about every `POLL_EVERY` executions), then enters it;
/// the loop's blocks start no second region meanwhile.
#[test]
fn regions_compile_in_the_background() {
    let backend = Background::default();
    let counts = backend.inner.compiled.clone();
    let (code, _) = run_counting_loop(Box::new(backend), 300);
    let (modules, enters, _) = counts.get();
    assert_eq!(modules, 1);
    // Started at the 3rd execution, ready at the 3rd question, 64 executions apart
    // (about 135 executions in all): the other 165 or so entered generated code.
    assert!((150..=180).contains(&enters), "{enters} calls");
    let stats = &code.jit.as_ref().unwrap().stats;
    assert_eq!((stats.regions, stats.background), (1, 1));
}

#[test]
fn one_check_covers_a_run_of_accesses_through_a_base() {
    use super::emit::plan_checks;
    let access = |i: &Insn| match i.op {
        Opcode::Ld | Opcode::Sd => Some((8, i.op == Opcode::Sd)),
        Opcode::Lbu => Some((1, false)),
        Opcode::Fld => Some((8, false)),
        _ => None,
    };
    let code = [
        insn(Opcode::Ld, 10, 11, 0, 8),    // 0: opens the check of a1's value
        insn(Opcode::Ld, 12, 11, 0, -8),   // 1: covered: the span grows to [-8, 16)
        insn(Opcode::Sd, 0, 13, 10, 0),    // 2: opens a3's check
        insn(Opcode::Sd, 0, 11, 12, 0),    // 3: covered, and the span now stores too
        insn(Opcode::Addi, 11, 11, 0, 64), // 4: a1 = a1 + 64, the same value
        insn(Opcode::Lbu, 14, 11, 0, 0),   // 5: covered: the span grows to [-8, 65)
        insn(Opcode::Addi, 15, 13, 0, 8),  // 6: a5 = a3 + 8
        insn(Opcode::Sd, 0, 15, 10, 0),    // 7: covered: a3's span is [0, 16)
        insn(Opcode::Lbu, 13, 13, 0, 300), // 8: beyond MAX_SPAN of a3's: a new check...
        insn(Opcode::Sd, 0, 13, 10, 0),    // 9: ...and the load wrote a3: a new one
        insn(Opcode::Sd, 0, 15, 10, 292),  // 10: a5 = old a3 + 8: covered by 8's check
        insn(Opcode::Fld, 11, 12, 0, 0),   // 11: opens a2's check; writes fa1, not a1...
        insn(Opcode::Ld, 10, 11, 0, 16),   // 12: ...so a1's check covers this: [-8, 88)
    ];
    let plan = plan_checks(&code, access);
    let leaders: Vec<usize> = (0..plan.len()).filter(|&k| plan[k].is_some()).collect();
    assert_eq!(leaders, [0, 2, 8, 9, 11]);
    assert_eq!(
        format!("{:?}", plan[0].unwrap()),
        "Span { lo: -8, hi: 88, load: true, store: true }"
    );
    assert_eq!(
        format!("{:?}", plan[2].unwrap()),
        "Span { lo: 0, hi: 16, load: false, store: true }"
    );
    // Relative to the checking access's own base register.
    let later = [insn(Opcode::Addi, 15, 13, 0, 8), code[7], code[2]];
    assert_eq!(
        format!("{:?}", plan_checks(&later, access)[1].unwrap()),
        "Span { lo: -8, hi: 8, load: false, store: true }"
    );
    // Every plan yields a valid module.
    let region = Region {
        blocks: vec![Block {
            pc: 0x1000,
            insns: code
                .iter()
                .copied()
                .chain([insn(Opcode::Jal, 0, 0, 0, 0)])
                .collect(),
        }],
    };
    checked(&region);
}

/// FP lowerings under a static RNE, a static RTZ (which only conversions to integers
/// take) and DYN (a run-time test of `frm`) all validate; other modes are left.
#[test]
fn fp_lowerings_validate_in_every_rounding_mode() {
    let fp = Flags::FD;
    let mut lowered = 0;
    for op in translatable_ops() {
        let flags = op.flags();
        if !(flags.contains(fp) || flags.contains(Flags::FS1)) {
            continue;
        }
        for rm in [0, 1, 2, 7] {
            let insns = vec![
                Insn {
                    rm,
                    rs3: 8,
                    ..sample(op, 0)
                },
                insn(Opcode::Bne, 0, 5, 0, -4),
            ];
            let region = Region {
                blocks: vec![Block { pc: 0x1000, insns }],
            };
            checked(&region);
            lowered += 1;
        }
    }
    assert!(lowered >= 4 * 56, "{lowered}");
}

/// Kept loops: the innermost range of blocks that branches back to its head, and
/// no range overlapping it; every entry and edge into a loop's middle validates.
#[test]
fn ranges_that_branch_back_become_wasm_loops() {
    use super::emit::loops;
    let block = |pc: u64, insns: Vec<Insn>| Block { pc, insns };
    let add = insn(Opcode::Addi, 5, 5, 0, 1);
    // 0x100 -> 0x108 -> 0x10c -> 0x114; 0x10c's block branches back to 0x108 (the
    // inner range 1..=2), 0x114's back to 0x100 (the outer 0..=3, which overlaps
    // it); 0x100's also jumps forward into the inner loop's middle (0x10c).
    let region = Region {
        blocks: vec![
            block(0x100, vec![add, insn(Opcode::Beq, 0, 5, 6, 8)]),
            block(0x108, vec![add]),
            block(0x10c, vec![add, insn(Opcode::Bne, 0, 5, 6, -8)]),
            block(0x114, vec![add, insn(Opcode::Blt, 0, 5, 6, -24)]),
        ],
    };
    assert_eq!(loops(&region), [(1, 2)]);
    checked(&region);
    // Two loops side by side, the second entered in its middle from the first.
    let region = Region {
        blocks: vec![
            block(0x100, vec![add, insn(Opcode::Beq, 0, 5, 6, 16)]),
            block(0x108, vec![add, insn(Opcode::Bne, 0, 5, 6, -12)]),
            block(0x110, vec![add]),
            block(0x114, vec![add, insn(Opcode::Blt, 0, 5, 6, -8)]),
        ],
    };
    assert_eq!(loops(&region), [(0, 1), (2, 3)]);
    checked(&region);
}
