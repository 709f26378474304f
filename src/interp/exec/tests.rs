//! Per-instruction tests with hand-written expectations: each case encodes one
//! instruction (from the table's `match` value, so no encoding is spelled here),
//! runs it on a fresh hart and checks the destination register or memory.

use super::execute;
use crate::hart::{Hart, Trap};
use crate::isa::{decode, Format, Opcode, ROWS};
use crate::mem::{Mem, VmaKind, R, W};

/// Encodes `op` with the given operands by filling the fields its format uses.
fn encode(op: Opcode, rd: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
    let base = ROWS.iter().find(|r| r.op == op).expect("row").matches;
    let imm = imm as u32;
    let fields = match op.format() {
        Format::I | Format::Load | Format::Shift | Format::ShiftW | Format::Csr | Format::CsrI => {
            rd << 7 | rs1 << 15 | (imm & 0xfff) << 20
        }
        Format::S => (imm & 0x1f) << 7 | rs1 << 15 | rs2 << 20 | (imm >> 5 & 0x7f) << 25,
        Format::U => rd << 7 | (imm & 0xffff_f000),
        _ => rd << 7 | rs1 << 15 | rs2 << 20,
    };
    base | fields
}

const DATA: u64 = 0x10000;

fn machine() -> (Hart, Mem) {
    let mut m = Mem::new(1 << 24);
    m.map(DATA, 0x2000, R | W, VmaKind::Anon);
    (Hart::default(), m)
}

/// Runs `op rd=x3, rs1=x1 (a), rs2=x2 (b)/imm` and returns x3.
fn run(op: Opcode, a: u64, b: u64, imm: i32) -> u64 {
    let (mut h, mut m) = machine();
    h.x[1] = a;
    h.x[2] = b;
    let insn = decode(encode(op, 3, 1, 2, imm));
    assert_eq!(insn.op, op, "encoding round trip");
    execute(&mut h, &mut m, &insn).expect("no trap");
    h.x[3]
}

#[test]
fn integer_register_register() {
    use Opcode::*;
    let min = i64::MIN as u64;
    let cases: &[(Opcode, u64, u64, u64)] = &[
        (Add, u64::MAX, 1, 0),
        (Sub, 0, 1, u64::MAX),
        (Sll, 1, 65, 2), // shift amount is rs2[5:0]
        (Srl, min, 63, 1),
        (Sra, min, 63, u64::MAX),
        (Slt, u64::MAX, 0, 1),
        (Sltu, u64::MAX, 0, 0),
        (Xor, 0xf0, 0xff, 0x0f),
        (Addw, 0x7fff_ffff, 1, 0xffff_ffff_8000_0000),
        (Subw, 0, 1, u64::MAX),
        (Sllw, 1, 31, 0xffff_ffff_8000_0000),
        (Srlw, 0xffff_ffff_8000_0000, 31, 1),
        (Sraw, 0x8000_0000, 4, 0xffff_ffff_f800_0000),
        (Mul, u64::MAX, u64::MAX, 1),
        (Mulh, min, min, 1 << 62),
        (Mulhu, u64::MAX, u64::MAX, u64::MAX - 1),
        (Mulhsu, u64::MAX, u64::MAX, u64::MAX), // -1 * (2^64-1) >> 64 = -1
        (Div, 7, 0, u64::MAX),
        (Div, min, u64::MAX, min),
        (Divu, 7, 0, u64::MAX),
        (Rem, 7, 0, 7),
        (Rem, min, u64::MAX, 0),
        (Remu, 7, 0, 7),
        (Divw, 0x8000_0000, u64::MAX, 0xffff_ffff_8000_0000),
        (Divuw, 7, 1 << 32, u64::MAX), // divisor's low 32 bits are zero
        (Remw, 0x1_0000_0005, 0, 5),
        (Remuw, 0xffff_fff9, 0, 0xffff_ffff_ffff_fff9),
        (Mulw, 0x1_0000_0000 | 0x8000_0000, 2, 0),
    ];
    for &(op, a, b, want) in cases {
        assert_eq!(run(op, a, b, 0), want, "{op:?} {a:#x} {b:#x}");
    }
}

#[test]
fn integer_register_immediate() {
    use Opcode::*;
    let cases: &[(Opcode, u64, i32, u64)] = &[
        (Addi, 5, -6, u64::MAX),
        (Slti, 0, -1, 0),
        (Sltiu, 0, -1, 1), // the immediate is sign-extended, then compared unsigned
        (Xori, 0, -1, u64::MAX),
        (Andi, u64::MAX, 0x7ff, 0x7ff),
        (Slli, 1, 63, 1 << 63),
        (Srli, 1 << 63, 63, 1),
        (Srai, 1 << 63, 0x400 | 63, u64::MAX), // srai's funct6 bit is part of the row
        (Addiw, 0x7fff_ffff, 1, 0xffff_ffff_8000_0000),
        (Slliw, 3, 31, 0xffff_ffff_8000_0000),
        (Srliw, 0xffff_ffff, 28, 0xf),
        (Sraiw, 0x8000_0000, 0x400 | 31, u64::MAX),
        (Lui, 0, 0x8000_0000u32 as i32, 0xffff_ffff_8000_0000),
    ];
    for &(op, a, imm, want) in cases {
        let imm = if matches!(op, Srai | Sraiw) {
            imm & 0x3f
        } else {
            imm
        };
        assert_eq!(run(op, a, 0, imm), want, "{op:?} {a:#x} {imm}");
    }
}

#[test]
fn loads_sign_and_zero_extend() {
    use Opcode::*;
    let (mut h, mut m) = machine();
    m.store(DATA, 0x8899_aabb_ccdd_eeffu64.to_le_bytes())
        .unwrap();
    h.x[1] = DATA;
    for (op, want) in [
        (Lb, 0xffff_ffff_ffff_ffff),
        (Lbu, 0xff),
        (Lh, 0xffff_ffff_ffff_eeff),
        (Lhu, 0xeeff),
        (Lw, 0xffff_ffff_ccdd_eeff),
        (Lwu, 0xccdd_eeff),
        (Ld, 0x8899_aabb_ccdd_eeff),
    ] {
        execute(&mut h, &mut m, &decode(encode(op, 3, 1, 0, 0))).unwrap();
        assert_eq!(h.x[3], want, "{op:?}");
    }
    // Misaligned and page-crossing accesses work (Linux emulates them).
    h.x[1] = DATA + 0xffd;
    h.x[2] = 0x0102_0304_0506_0708;
    execute(&mut h, &mut m, &decode(encode(Sd, 0, 1, 2, 0))).unwrap();
    execute(&mut h, &mut m, &decode(encode(Ld, 3, 1, 0, 0))).unwrap();
    assert_eq!(h.x[3], 0x0102_0304_0506_0708);
    // Unmapped and read-only pages fault.
    h.x[1] = 0x8;
    let t = execute(&mut h, &mut m, &decode(encode(Ld, 3, 1, 0, 0)));
    assert_eq!(
        t,
        Err(Trap::Fault {
            addr: 8,
            access: crate::hart::Access::Read,
            mapped: false
        })
    );
}

#[test]
fn x0_stays_zero() {
    let (mut h, mut m) = machine();
    h.x[1] = 5;
    execute(&mut h, &mut m, &decode(encode(Opcode::Addi, 0, 1, 0, 1))).unwrap();
    assert_eq!(h.x[0], 0);
}

#[test]
fn lr_sc_and_amos() {
    use Opcode::*;
    let (mut h, mut m) = machine();
    h.x[1] = DATA;
    h.x[2] = 0xffff_ffff;
    m.store(DATA, 5u64.to_le_bytes()).unwrap();
    // sc without a reservation fails and writes nothing.
    execute(&mut h, &mut m, &decode(encode(ScD, 3, 1, 2, 0))).unwrap();
    assert_eq!((h.x[3], u64::from_le_bytes(m.load(DATA).unwrap())), (1, 5));
    execute(&mut h, &mut m, &decode(encode(LrD, 3, 1, 0, 0))).unwrap();
    execute(&mut h, &mut m, &decode(encode(ScD, 3, 1, 2, 0))).unwrap();
    assert_eq!(
        (h.x[3], u64::from_le_bytes(m.load(DATA).unwrap())),
        (0, 0xffff_ffff)
    );
    // amoadd.w sign-extends the old value into rd.
    execute(&mut h, &mut m, &decode(encode(AmoaddW, 3, 1, 2, 0))).unwrap();
    assert_eq!(h.x[3], u64::MAX);
    assert_eq!(u32::from_le_bytes(m.load(DATA).unwrap()), 0xffff_fffe);
    // amominu.w compares unsigned, amomin.w signed.
    h.x[2] = 1;
    execute(&mut h, &mut m, &decode(encode(AmominW, 3, 1, 2, 0))).unwrap();
    assert_eq!(u32::from_le_bytes(m.load(DATA).unwrap()), 0xffff_fffe);
    execute(&mut h, &mut m, &decode(encode(AmominuW, 3, 1, 2, 0))).unwrap();
    assert_eq!(u32::from_le_bytes(m.load(DATA).unwrap()), 1);
    // Misaligned atomics raise SIGBUS.
    h.x[1] = DATA + 4;
    let t = execute(&mut h, &mut m, &decode(encode(AmoaddD, 3, 1, 2, 0)));
    assert_eq!(t, Err(Trap::Misaligned { addr: DATA + 4 }));
}

#[test]
fn csrs() {
    use Opcode::*;
    let (mut h, mut m) = machine();
    // csrrwi x3, fcsr, 0b10101 -> fflags = 0x15, frm = 0
    execute(&mut h, &mut m, &decode(encode(Csrrwi, 3, 0x15, 0, 3))).unwrap();
    assert_eq!((h.fflags, h.frm), (0x15, 0));
    // csrrsi x3, frm, 3
    execute(&mut h, &mut m, &decode(encode(Csrrsi, 3, 3, 0, 2))).unwrap();
    assert_eq!((h.x[3], h.frm), (0, 3));
    h.x[1] = 0x1;
    execute(&mut h, &mut m, &decode(encode(Csrrc, 3, 1, 0, 1))).unwrap();
    assert_eq!((h.x[3], h.fflags), (0x15, 0x14));
    // Counters are read-only; unknown CSRs are illegal.
    assert_eq!(
        execute(&mut h, &mut m, &decode(encode(Csrrw, 3, 1, 0, 0xc00))),
        Err(Trap::Illegal)
    );
    assert_eq!(
        execute(&mut h, &mut m, &decode(encode(Csrrs, 3, 0, 0, 0x300))),
        Err(Trap::Illegal)
    );
    assert!(execute(&mut h, &mut m, &decode(encode(Csrrs, 3, 0, 0, 0xc02))).is_ok());
}

#[test]
fn fp_uses_nan_boxing_and_dynamic_rounding() {
    use Opcode::*;
    let (mut h, mut m) = machine();
    // An improperly boxed single reads as the canonical NaN.
    h.f[1] = 0x3f80_0000; // 1.0f without the upper ones
    h.f[2] = 0xffff_ffff_3f80_0000;
    execute(&mut h, &mut m, &decode(encode(FaddS, 3, 1, 2, 0) | 7 << 12)).unwrap();
    assert_eq!(h.f[3], 0xffff_ffff_7fc0_0000);
    // fcvt.w.d with rm=DYN uses frm: 2.5 rounds to 2 (RNE) or 3 (RUP).
    h.f[1] = 2.5f64.to_bits();
    for (frm, want) in [(0, 2), (3, 3)] {
        h.frm = frm;
        execute(
            &mut h,
            &mut m,
            &decode(encode(FcvtWD, 3, 1, 0, 0) | 7 << 12),
        )
        .unwrap();
        assert_eq!(h.x[3], want);
    }
    // A reserved rounding mode is an illegal instruction.
    h.frm = 5;
    assert_eq!(
        execute(
            &mut h,
            &mut m,
            &decode(encode(FcvtWD, 3, 1, 0, 0) | 7 << 12)
        ),
        Err(Trap::Illegal)
    );
    // fcvt.wu.s results are sign-extended from 32 bits.
    h.f[1] = 0xffff_ffff_4f7f_ffff; // 4294967040.0f
    execute(
        &mut h,
        &mut m,
        &decode(encode(FcvtWuS, 3, 1, 0, 0) | 1 << 12),
    )
    .unwrap();
    assert_eq!(h.x[3], 0xffff_ffff_ffff_ff00);
}
