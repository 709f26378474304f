//! Per-instruction tests for Zfh/Zfhmin (`zfh.rs`) and Zfa (`zfa.rs`): encodings pinned
//! against assemblers, the RV64-illegal neighbours, and what the handlers add to the
//! arithmetic of `interp::fp` (tested there): NaN-boxing of halves, sign extension of
//! integer results, the rounding-mode field, memory accesses, and the `fli` tables.

use super::execute;
use crate::hart::{Hart, Trap};
use crate::isa::{decode, Format, Opcode, ROWS};
use crate::mem::{Mem, VmaKind, R, W};

const DATA: u64 = 0x10000;

fn machine() -> (Hart, Mem) {
    let mut m = Mem::new(1 << 24);
    m.map(DATA, 0x1000, R | W, VmaKind::Anon);
    (Hart::default(), m)
}

/// Encodes `op rd, rs1, rs2` (or `rd, imm(rs1)` / `rs2, imm(rs1)`, or without rs2)
/// with rounding field `rm`.
fn encode(op: Opcode, rd: u32, rs1: u32, rs2: u32, rm: u32) -> u32 {
    let base = ROWS.iter().find(|r| r.op == op).expect("row").matches;
    match op.format() {
        Format::Load | Format::S => base | rd << 7 | rs1 << 15 | rs2 << 20,
        Format::RRm | Format::R4 => base | rd << 7 | rs1 << 15 | rs2 << 20 | rm << 12,
        // rs2 is part of the opcode.
        Format::R1Rm => base | rd << 7 | rs1 << 15 | rm << 12,
        Format::R1 => base | rd << 7 | rs1 << 15,
        _ => base | rd << 7 | rs1 << 15 | rs2 << 20,
    }
}

/// Executes `op rd=3, rs1=1, rs2=2` with rounding field `rm`.
fn exec(h: &mut Hart, m: &mut Mem, op: Opcode, rm: u32) -> Result<(), Trap> {
    let i = decode(encode(op, 3, 1, 2, rm));
    assert_eq!(i.op, op, "encoding round trip");
    execute(h, m, &i)
}

const BOX: u64 = 0xffff_ffff_ffff_0000;
const RNE: u32 = 0;
const RTZ: u32 = 1;
const DYN: u32 = 7;

/// Zfh words from GNU as 2.40 (`-march=rv64gc_zfh`, objdump `-M no-aliases`) with
/// operands a0/fa0, a1/fa1, fa2, fa3 (rm rtz where it has one, and -2 for the memory
/// offset); Zfa words from LLVM's MC tests (binutils 2.40 has no Zfa), operands as noted.
#[test]
fn decodes_assembler_words() {
    use Opcode::*;
    let cases: &[(u32, Opcode, u8, u8)] = &[
        (0xffe59507, Flh, 10, 11),
        (0xfec59f27, Fsh, 30, 11), // rd field holds imm[4:0]
        (0xe4058553, FmvXH, 10, 11),
        (0xf4058553, FmvHX, 10, 11),
        (0x40258553, FcvtSH, 10, 11),
        (0x44059553, FcvtHS, 10, 11),
        (0x42258553, FcvtDH, 10, 11),
        (0x44159553, FcvtHD, 10, 11),
        (0x6cc59543, FmaddH, 10, 11),
        (0x6cc59547, FmsubH, 10, 11),
        (0x6cc5954b, FnmsubH, 10, 11),
        (0x6cc5954f, FnmaddH, 10, 11),
        (0x04c59553, FaddH, 10, 11),
        (0x0cc59553, FsubH, 10, 11),
        (0x14c59553, FmulH, 10, 11),
        (0x1cc59553, FdivH, 10, 11),
        (0x5c059553, FsqrtH, 10, 11),
        (0x24c58553, FsgnjH, 10, 11),
        (0x24c59553, FsgnjnH, 10, 11),
        (0x24c5a553, FsgnjxH, 10, 11),
        (0x2cc58553, FminH, 10, 11),
        (0x2cc59553, FmaxH, 10, 11),
        (0xa4c5a553, FeqH, 10, 11),
        (0xa4c59553, FltH, 10, 11),
        (0xa4c58553, FleH, 10, 11),
        (0xe4059553, FclassH, 10, 11),
        (0xc4059553, FcvtWH, 10, 11),
        (0xc4159553, FcvtWuH, 10, 11),
        (0xc4259553, FcvtLH, 10, 11),
        (0xc4359553, FcvtLuH, 10, 11),
        (0xd4059553, FcvtHW, 10, 11),
        (0xd4159553, FcvtHWu, 10, 11),
        (0xd4259553, FcvtHL, 10, 11),
        (0xd4359553, FcvtHLu, 10, 11),
        // LLVM (rv32zfa-valid.s / zfa-valid.s).
        (0x28c5a553, FminmS, 10, 11), // fminm.s fa0, fa1, fa2
        (0x295a39d3, FmaxmS, 19, 20), // fmaxm.s fs3, fs4, fs5
        (0x2ac5a553, FminmD, 10, 11),
        (0x2b5a39d3, FmaxmD, 19, 20),
        (0x2cc5a553, FminmH, 10, 11),
        (0x2d5a39d3, FmaxmH, 19, 20),
        (0x404914d3, FroundS, 9, 18),   // fround.s fs1, fs2, rtz
        (0x405904d3, FroundnxS, 9, 18), // froundnx.s fs1, fs2, rne
        (0x424974d3, FroundD, 9, 18),   // fround.d fs1, fs2, dyn
        (0x425914d3, FroundnxD, 9, 18),
        (0x4445f0d3, FroundH, 1, 11), // fround.h ft1, fa1, dyn
        (0x445590d3, FroundnxH, 1, 11),
        (0xc28095d3, FcvtmodWD, 11, 1), // fcvtmod.w.d a1, ft1, rtz
        (0xa124d5d3, FltqS, 11, 9),     // fltq.s a1, fs1, fs2
        (0xa020c5d3, FleqS, 11, 1),     // fleq.s a1, ft1, ft2
        (0xa324d5d3, FltqD, 11, 9),
        (0xa220c5d3, FleqD, 11, 1),
        (0xa524d5d3, FltqH, 11, 9),
        (0xa420c5d3, FleqH, 11, 1),
        (0xf41000d3, FliH, 1, 0),  // fli.h ft1, -1.0
        (0xf21f80d3, FliD, 1, 31), // fli.d ft1, nan
    ];
    for &(w, op, rd, rs1) in cases {
        let i = decode(w);
        assert_eq!((i.op, i.rd, i.rs1, i.len), (op, rd, rs1, 4), "{w:#010x}");
    }
    // fli.s shares FMV.W.X's encoding but with rs2 = 1 (riscv-opcodes rv_zfa).
    assert_eq!(decode(0xf0100053 | 10 << 7 | 8 << 15).op, FliS);
    assert_eq!(decode(0xffe59507).imm, -2);
    assert_eq!(decode(0xfec59f27).imm, -2);
}

#[test]
fn rv32_only_and_reserved_neighbours_are_illegal() {
    for w in [
        0xe2158553u32, // fmvh.x.d a0, fa1 (RV32 only)
        0xb2c58553,    // fmvp.d.x fa0, a1, a2 (RV32 only)
        0xc2858553,    // fcvtmod.w.d with rm = rne (reserved)
        0xc285f553,    // fcvtmod.w.d with rm = dyn (reserved)
        0xf0258553,    // fmv.w.x's encoding with rs2 = 2
        0x40658553,    // fcvt.s.bf16 (Zfbfmin, not implemented)
        0x46258553,    // fcvt.q.h (Q)
        0x44358553,    // fcvt.h.q (Q)
        0x2cc5c553,    // fmin.h funct3 = 4
        0xa4c5b553,    // feq.h funct3 = 3
        0xe4159553,    // fclass.h with rs2 = 1
        0xe6158553,    // fmvh.x.q (Q)
    ] {
        assert_eq!(decode(w).op, Opcode::Illegal, "{w:#010x}");
    }
}

#[test]
fn halves_are_nan_boxed() {
    use Opcode::*;
    let (mut h, mut m) = machine();
    h.f[1] = BOX | 0x3c00;
    h.f[2] = BOX | 0x3c00;
    exec(&mut h, &mut m, FaddH, RNE).unwrap();
    assert_eq!(h.f[3], BOX | 0x4000);
    // A boxed single (upper 32 bits ones only) is not a boxed half: canonical NaN.
    h.f[2] = 0xffff_ffff_0000_3c00;
    exec(&mut h, &mut m, FaddH, RNE).unwrap();
    assert_eq!(h.f[3], BOX | 0x7e00);
    h.f[1] = h.f[2];
    exec(&mut h, &mut m, FclassH, 0).unwrap();
    assert_eq!(h.x[3], 1 << 9);
    assert_eq!(h.fflags, 0, "an unboxed operand is a quiet NaN");
    // fcvt.s.h writes a boxed single, fcvt.d.h a double.
    h.f[1] = BOX | 0xbc00;
    exec(&mut h, &mut m, FcvtSH, RNE).unwrap();
    assert_eq!(h.f[3], 0xffff_ffff_bf80_0000);
    exec(&mut h, &mut m, FcvtDH, RNE).unwrap();
    assert_eq!(h.f[3], 0xbff0_0000_0000_0000);
    // fcvt.h.s reads a boxed single and boxes its result.
    h.f[1] = 0xffff_ffff_4000_0000;
    exec(&mut h, &mut m, FcvtHS, RNE).unwrap();
    assert_eq!(h.f[3], BOX | 0x4000);
    h.f[1] = 0x4000_0000; // an unboxed single: NaN
    exec(&mut h, &mut m, FcvtHS, RNE).unwrap();
    assert_eq!(h.f[3], BOX | 0x7e00);
    h.f[1] = 0x4000_0000_0000_0000; // 2.0 as a double
    exec(&mut h, &mut m, FcvtHD, RNE).unwrap();
    assert_eq!(h.f[3], BOX | 0x4000);
    // Sign injection works on the boxed value's bits.
    h.f[1] = BOX | 0x3c00;
    h.f[2] = BOX | 0x8000;
    exec(&mut h, &mut m, FsgnjnH, 0).unwrap();
    assert_eq!(h.f[3], BOX | 0x3c00);
    exec(&mut h, &mut m, FsgnjxH, 0).unwrap();
    assert_eq!(h.f[3], BOX | 0xbc00);
}

#[test]
fn half_moves_loads_and_stores() {
    use Opcode::*;
    let (mut h, mut m) = machine();
    // fmv.x.h copies the raw low 16 bits (no box check), sign-extended.
    h.f[1] = BOX | 0x8001;
    exec(&mut h, &mut m, FmvXH, 0).unwrap();
    assert_eq!(h.x[3], 0xffff_ffff_ffff_8001);
    h.f[1] = 0x1234_5678_9abc_7bff;
    exec(&mut h, &mut m, FmvXH, 0).unwrap();
    assert_eq!(h.x[3], 0x7bff);
    h.x[1] = 0x1234_5678_9abc_def0;
    exec(&mut h, &mut m, FmvHX, 0).unwrap();
    assert_eq!(h.f[3], BOX | 0xdef0);
    // flh boxes; fsh writes two bytes, the raw low bits even when unboxed.
    m.store(DATA, 0x1122_3344_5566_7788u64.to_le_bytes())
        .unwrap();
    h.x[1] = DATA;
    let flh = decode(encode(Flh, 3, 1, 0, 0) | 2 << 20);
    execute(&mut h, &mut m, &flh).unwrap();
    assert_eq!(h.f[3], BOX | 0x5566);
    h.f[2] = 0x0000_0000_0000_abcd;
    let fsh = decode(encode(Fsh, 1, 1, 2, 0)); // offset 1: misaligned is fine
    execute(&mut h, &mut m, &fsh).unwrap();
    assert_eq!(
        u64::from_le_bytes(m.load(DATA).unwrap()),
        0x1122_3344_55ab_cd88
    );
    h.x[1] = 8; // unmapped
    assert!(matches!(
        execute(&mut h, &mut m, &flh),
        Err(Trap::Fault { addr: 10, .. })
    ));
}

#[test]
fn half_integer_results_and_rounding_field() {
    use Opcode::*;
    let (mut h, mut m) = machine();
    h.f[1] = BOX | 0x7e00; // NaN
    exec(&mut h, &mut m, FcvtWuH, RTZ).unwrap();
    assert_eq!(h.x[3], u64::MAX, "fcvt.wu.h sign-extends its 32-bit result");
    assert_eq!(h.fflags, 0x10);
    h.f[1] = BOX | 0xfbff; // -65504
    exec(&mut h, &mut m, FcvtWH, RTZ).unwrap();
    assert_eq!(h.x[3], (-65504i64) as u64);
    // 2.5 under DYN follows frm.
    h.f[1] = BOX | 0x4100;
    h.frm = 4; // RMM
    exec(&mut h, &mut m, FcvtLH, DYN).unwrap();
    assert_eq!(h.x[3], 3);
    // fcvt.h.w reads the low 32 bits of rs1, signed.
    h.x[1] = 0x1_ffff_fffe; // -2 as a word
    exec(&mut h, &mut m, FcvtHW, RNE).unwrap();
    assert_eq!(h.f[3], BOX | 0xc000);
    exec(&mut h, &mut m, FcvtHWu, RTZ).unwrap();
    assert_eq!(
        h.f[3],
        BOX | 0x7bff,
        "4294967294 overflows to MAX under RTZ"
    );
    // Reserved rounding modes (field 5 or 6, or DYN with frm 5..7) are illegal, also
    // for the exact widening conversions.
    h.frm = 5;
    for (op, rm) in [
        (FaddH, 5),
        (FaddH, DYN),
        (FcvtSH, 6),
        (FcvtDH, DYN),
        (FmaddH, 5),
    ] {
        assert_eq!(
            exec(&mut h, &mut m, op, rm),
            Err(Trap::Illegal),
            "{op:?} rm {rm}"
        );
    }
    // feq/flt/fle write 0 or 1 to an integer register.
    h.f[1] = BOX | 0x8000;
    h.f[2] = BOX;
    exec(&mut h, &mut m, FleH, 0).unwrap();
    assert_eq!(h.x[3], 1);
    // fmadd.h's rs3.
    h.f[1] = BOX | 0x4000;
    h.f[2] = BOX | 0x4200;
    h.f[4] = BOX | 0x3c00;
    let i = decode(encode(FmsubH, 3, 1, 2, RNE) | 4 << 27);
    execute(&mut h, &mut m, &i).unwrap();
    assert_eq!(h.f[3], BOX | 0x4500, "2 × 3 - 1 = 5");
}

/// The `fli` tables, entry by entry from the Zfa chapter's table (sign, exponent and
/// fraction fields as tabulated; for halves: entry 1 is 2^-14, entries 2 and 3 are
/// subnormal, 29 is +inf because 2^16 is out of range).
#[test]
fn fli_tables() {
    use Opcode::*;
    #[rustfmt::skip]
    const S: [u32; 32] = [
        0xbf80_0000, 0x0080_0000, 0x3780_0000, 0x3800_0000, 0x3b80_0000, 0x3c00_0000,
        0x3d80_0000, 0x3e00_0000, 0x3e80_0000, 0x3ea0_0000, 0x3ec0_0000, 0x3ee0_0000,
        0x3f00_0000, 0x3f20_0000, 0x3f40_0000, 0x3f60_0000, 0x3f80_0000, 0x3fa0_0000,
        0x3fc0_0000, 0x3fe0_0000, 0x4000_0000, 0x4020_0000, 0x4040_0000, 0x4080_0000,
        0x4100_0000, 0x4180_0000, 0x4300_0000, 0x4380_0000, 0x4700_0000, 0x4780_0000,
        0x7f80_0000, 0x7fc0_0000,
    ];
    #[rustfmt::skip]
    const H: [u16; 32] = [
        0xbc00, 0x0400, 0x0100, 0x0200, 0x1c00, 0x2000, 0x2c00, 0x3000,
        0x3400, 0x3500, 0x3600, 0x3700, 0x3800, 0x3900, 0x3a00, 0x3b00,
        0x3c00, 0x3d00, 0x3e00, 0x3f00, 0x4000, 0x4100, 0x4200, 0x4400,
        0x4800, 0x4c00, 0x5800, 0x5c00, 0x7800, 0x7c00, 0x7c00, 0x7e00,
    ];
    let d: &[(u32, u64)] = &[
        (0, 0xbff0_0000_0000_0000),
        (1, 0x0010_0000_0000_0000),
        (2, 0x3ef0_0000_0000_0000),
        (9, 0x3fd4_0000_0000_0000),
        (16, 0x3ff0_0000_0000_0000),
        (28, 0x40e0_0000_0000_0000),
        (29, 0x40f0_0000_0000_0000),
        (30, 0x7ff0_0000_0000_0000),
        (31, 0x7ff8_0000_0000_0000),
    ];
    let (mut h, mut m) = machine();
    h.fflags = 0;
    h.frm = 7; // fli has no rounding field: an invalid frm does not matter
    for k in 0..32u32 {
        execute(&mut h, &mut m, &decode(encode(FliS, 3, k, 0, 0))).unwrap();
        assert_eq!(
            h.f[3],
            0xffff_ffff_0000_0000 | u64::from(S[k as usize]),
            "fli.s {k}"
        );
        execute(&mut h, &mut m, &decode(encode(FliH, 3, k, 0, 0))).unwrap();
        assert_eq!(h.f[3], BOX | u64::from(H[k as usize]), "fli.h {k}");
    }
    for &(k, want) in d {
        execute(&mut h, &mut m, &decode(encode(FliD, 3, k, 0, 0))).unwrap();
        assert_eq!(h.f[3], want, "fli.d {k}");
    }
    assert_eq!(h.fflags, 0, "fli never sets flags");
    // The single table read as numbers, independently of the encodings above.
    let values = [
        -1.0,
        f32::MIN_POSITIVE,
        1.0 / 65536.0,
        1.0 / 32768.0,
        1.0 / 256.0,
        1.0 / 128.0,
        0.0625,
        0.125,
        0.25,
        0.3125,
        0.375,
        0.4375,
        0.5,
        0.625,
        0.75,
        0.875,
        1.0,
        1.25,
        1.5,
        1.75,
        2.0,
        2.5,
        3.0,
        4.0,
        8.0,
        16.0,
        128.0,
        256.0,
        32768.0,
        65536.0,
        f32::INFINITY,
    ];
    for (k, v) in values.iter().enumerate() {
        assert_eq!(f32::from_bits(S[k]), *v, "entry {k}");
    }
}

#[test]
fn zfa_handlers() {
    use Opcode::*;
    let (mut h, mut m) = machine();
    // fround.h under DYN follows frm; froundnx raises NX into fflags.
    h.f[1] = BOX | 0x4100; // 2.5
    h.frm = 3; // RUP
    exec(&mut h, &mut m, FroundH, DYN).unwrap();
    assert_eq!((h.f[3], h.fflags), (BOX | 0x4200, 0));
    exec(&mut h, &mut m, FroundnxH, RNE).unwrap();
    assert_eq!((h.f[3], h.fflags), (BOX | 0x4000, 0x01));
    h.frm = 6;
    assert_eq!(exec(&mut h, &mut m, FroundS, DYN), Err(Trap::Illegal));
    assert_eq!(exec(&mut h, &mut m, FroundnxD, 5), Err(Trap::Illegal));
    // fround.s on an unboxed single: the canonical NaN, boxed.
    h.f[1] = 0x3fc0_0000;
    exec(&mut h, &mut m, FroundS, RNE).unwrap();
    assert_eq!(h.f[3], 0xffff_ffff_7fc0_0000);
    // fcvtmod.w.d sign-extends bits 31:0.
    h.fflags = 0;
    h.f[1] = 0x41e0_0000_0000_0000; // 2^31
    exec(&mut h, &mut m, FcvtmodWD, RTZ).unwrap();
    assert_eq!((h.x[3], h.fflags), (0xffff_ffff_8000_0000, 0x10));
    // fminm/fmaxm box their result; a NaN operand gives NaN.
    h.f[1] = BOX | 0x3c00;
    h.f[2] = BOX | 0x7e00;
    exec(&mut h, &mut m, FminmH, 0).unwrap();
    assert_eq!(h.f[3], BOX | 0x7e00);
    exec(&mut h, &mut m, FminH, 0).unwrap();
    assert_eq!(h.f[3], BOX | 0x3c00);
    // Quiet comparisons: no NV for a quiet NaN, unlike flt.
    h.fflags = 0;
    exec(&mut h, &mut m, FltqH, 0).unwrap();
    assert_eq!((h.x[3], h.fflags), (0, 0));
    exec(&mut h, &mut m, FltH, 0).unwrap();
    assert_eq!((h.x[3], h.fflags), (0, 0x10));
    h.f[1] = 0xbff0_0000_0000_0000;
    h.f[2] = 0x3ff0_0000_0000_0000;
    exec(&mut h, &mut m, FleqD, 0).unwrap();
    assert_eq!(h.x[3], 1);
    h.f[1] = 0xffff_ffff_3f80_0000;
    h.f[2] = 0xffff_ffff_3f80_0000;
    exec(&mut h, &mut m, FltqS, 0).unwrap();
    assert_eq!(h.x[3], 0);
    // As doubles, boxed singles are NaNs (quiet ones: no NV).
    h.fflags = 0;
    exec(&mut h, &mut m, FmaxmD, 0).unwrap();
    assert_eq!((h.f[3], h.fflags), (0x7ff8_0000_0000_0000, 0));
}
