//! Table-driven decoder for 32-bit instruction words (RVC goes through `compressed.rs`).
//!
//! Rows of the table are bucketed by major opcode (bits 6..2); within a bucket the
//! first row whose `mask`/`match` fits wins (the table has no overlapping rows; a test
//! checks that). Immediates are assembled per [`Format`]:
//!
//! ```text
//!  31        25 24   20 19   15 14  12 11    7 6      0
//! | funct7     | rs2   | rs1   |funct3| rd    | opcode |  R
//! | imm[11:0]          | rs1   |funct3| rd    | opcode |  I
//! | imm[11:5]  | rs2   | rs1   |funct3|imm[4:0]| opcode|  S
//! |i[12]|i[10:5]| rs2  | rs1   |funct3|i[4:1]|i[11]|op |  B
//! | imm[31:12]                        | rd    | opcode |  U
//! |i[20]| i[10:1] |i[11]| i[19:12]    | rd    | opcode |  J
//! ```

use super::{compressed, ExtSet, Format, Insn, Opcode, Row, ROWS};
use std::sync::OnceLock;

/// Decodes the instruction whose first bytes are `word` (little-endian; for a
/// compressed instruction only the low 16 bits matter). Never fails: words that are
/// not instructions decode to [`Opcode::Illegal`].
pub fn decode(word: u32) -> Insn {
    if word & 3 != 3 {
        return compressed::expand(word as u16);
    }
    let op = buckets()[((word >> 2) & 31) as usize]
        .iter()
        .find(|r| word & r.mask == r.matches)
        .map_or(Opcode::Illegal, |r| r.op);
    if op == Opcode::Illegal {
        return Insn::illegal(4);
    }
    Insn {
        op,
        rd: field(word, 7),
        rs1: field(word, 15),
        rs2: field(word, 20),
        rs3: field(word, 27),
        rm: ((word >> 12) & 7) as u8,
        len: 4,
        off: 0,
        imm: immediate(op.format(), word),
    }
}

/// Decodes `word` for a CPU with the extensions `exts`: instructions of the others
/// are illegal.
pub fn decode_for(word: u32, exts: ExtSet) -> Insn {
    let insn = decode(word);
    if exts.implements(&insn, word) {
        insn
    } else {
        Insn::illegal(insn.len)
    }
}

fn field(word: u32, lsb: u32) -> u8 {
    ((word >> lsb) & 31) as u8
}

fn immediate(format: Format, w: u32) -> i32 {
    let s = w as i32;
    match format {
        Format::I | Format::Load => s >> 20,
        Format::Shift => ((w >> 20) & 0x3f) as i32,
        Format::ShiftW => ((w >> 20) & 0x1f) as i32,
        Format::Csr | Format::CsrI => ((w >> 20) & 0xfff) as i32,
        Format::S => ((s >> 25) << 5) | ((w >> 7) & 0x1f) as i32,
        Format::B => {
            ((s >> 31) << 12)
                | (((w >> 7) & 1) << 11) as i32
                | (((w >> 25) & 0x3f) << 5) as i32
                | (((w >> 8) & 0xf) << 1) as i32
        }
        Format::U => (w & 0xffff_f000) as i32,
        Format::J => {
            ((s >> 31) << 20)
                | (w & 0x000f_f000) as i32
                | (((w >> 20) & 1) << 11) as i32
                | (((w >> 21) & 0x3ff) << 1) as i32
        }
        _ => 0,
    }
}

/// Table rows grouped by major opcode, built once.
fn buckets() -> &'static [Vec<Row>; 32] {
    static BUCKETS: OnceLock<[Vec<Row>; 32]> = OnceLock::new();
    BUCKETS.get_or_init(|| {
        let mut b: [Vec<Row>; 32] = Default::default();
        for row in ROWS {
            b[((row.matches >> 2) & 31) as usize].push(*row);
        }
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_never_overlap() {
        for (i, a) in ROWS.iter().enumerate() {
            assert_eq!(
                a.matches & !a.mask,
                0,
                "{:?} match has bits outside its mask",
                a.op
            );
            assert_eq!(a.matches & 3, 3, "{:?} is not a 32-bit encoding", a.op);
            for b in &ROWS[i + 1..] {
                let common = a.mask & b.mask;
                assert_ne!(
                    a.matches & common,
                    b.matches & common,
                    "{:?} overlaps {:?}",
                    a.op,
                    b.op
                );
            }
        }
    }

    #[test]
    fn decodes_golden_words() {
        // (word, opcode, rd, rs1, rs2, imm) from GNU as.
        let cases: &[(u32, Opcode, u8, u8, u8, i32)] = &[
            (0xfff00513, Opcode::Addi, 10, 0, 31, -1),   // li a0,-1
            (0x00b50533, Opcode::Add, 10, 10, 11, 0),    // add a0,a0,a1
            (0xfe010113, Opcode::Addi, 2, 2, 0, -32),    // addi sp,sp,-32
            (0x00113c23, Opcode::Sd, 24, 2, 1, 24),      // sd ra,24(sp)
            (0xfe5ff0ef, Opcode::Jal, 1, 31, 5, -28),    // jal ra,.-28
            (0xfeb51ee3, Opcode::Bne, 29, 10, 11, -4),   // bne a0,a1,.-4
            (0x000122b7, Opcode::Lui, 5, 2, 0, 0x12000), // lui t0,0x12
            (0x03f51513, Opcode::Slli, 10, 10, 31, 63),  // slli a0,a0,63
            (0x00102573, Opcode::Csrrs, 10, 0, 1, 1),    // frflags a0
            (0x0ff0000f, Opcode::Fence, 0, 0, 31, 0),    // fence
            (0x00000073, Opcode::Ecall, 0, 0, 0, 0),
            (0x02b50533, Opcode::Mul, 10, 10, 11, 0),
            (0x1005272f, Opcode::LrW, 14, 10, 0, 0),
            (0x02b57553, Opcode::FaddD, 10, 10, 11, 0),
        ];
        for &(w, op, rd, rs1, rs2, imm) in cases {
            let i = decode(w);
            assert_eq!(
                (i.op, i.rd, i.rs1, i.rs2, i.imm, i.len),
                (op, rd, rs1, rs2, imm, 4),
                "{w:#010x}"
            );
        }
        assert_eq!(decode(0xffff_ffff).op, Opcode::Illegal);
        assert_eq!(decode(0).op, Opcode::Illegal);
    }
}
