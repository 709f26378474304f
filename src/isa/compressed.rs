//! RVC: expands 16-bit compressed instructions into the equivalent 32-bit [`Insn`]
//! (same [`Opcode`], `len = 2`). Reserved encodings become [`Opcode::Illegal`];
//! HINTs (for example `c.addi x0, imm`) expand to their harmless base forms.
//!
//! ```text
//!  15 13 12  11  10   7 6    2 1 0
//! |funct3|  rd/rs1 (5)  | rs2 (5)|op |   CR/CI/CSS
//! |funct3| imm | rs1'| imm| rd'|op |   CL/CS (registers x8..x15)
//! ```

use super::{Ext, Insn, Opcode};

/// Bit `n` of `w`, moved to bit `to`.
fn bit(w: u16, n: u32, to: u32) -> u32 {
    (((w >> n) & 1) as u32) << to
}

/// Bits `hi..=lo` of `w` as a number.
fn bits(w: u16, hi: u32, lo: u32) -> u32 {
    ((w as u32) >> lo) & ((1 << (hi - lo + 1)) - 1)
}

/// Sign-extends the low `n` bits.
fn sext(v: u32, n: u32) -> i32 {
    ((v << (32 - n)) as i32) >> (32 - n)
}

/// The 3-bit register field at `lo`, mapped to x8..x15 / f8..f15.
fn creg(w: u16, lo: u32) -> u8 {
    8 + bits(w, lo + 2, lo) as u8
}

fn insn(op: Opcode, rd: u8, rs1: u8, rs2: u8, imm: i32) -> Insn {
    Insn::new(op, rd, rs1, rs2, imm, 2)
}

/// 6-bit signed immediate of CI-format: imm[5] = bit 12, imm[4:0] = bits 6..2.
fn ci_imm(w: u16) -> i32 {
    sext(bit(w, 12, 5) | bits(w, 6, 2), 6)
}

/// `c.mop.N`: `c.lui` with an odd `rd` below 16 and a zero immediate (reserved without Zcmop).
const C_MOP_MASK: u16 = 0xf8ff;
const C_MOP_MATCH: u16 = 0x6081;

/// The extension a compressed word belongs to, beyond what its expansion needs:
/// Zcb for the byte/halfword loads and stores and the unary and `c.mul` forms,
/// Zcmop for `c.mop.N`, C for the rest.
pub fn ext(w: u16) -> Ext {
    match (w & 3, w >> 13) {
        (0, 4) => Ext::Zcb,
        (1, 4) if bits(w, 12, 10) == 7 && bits(w, 6, 5) >= 2 => Ext::Zcb,
        _ if w & C_MOP_MASK == C_MOP_MATCH => Ext::Zcmop,
        _ => Ext::C,
    }
}

/// Expands one compressed instruction.
pub fn expand(w: u16) -> Insn {
    use Opcode::*;
    let rd = bits(w, 11, 7) as u8;
    let rs2 = bits(w, 6, 2) as u8;
    let ill = Insn::illegal(2);
    match (w & 3, w >> 13) {
        // ---- quadrant 0 ----
        (0, 0) => {
            let imm = bits(w, 12, 11) << 4 | bits(w, 10, 7) << 6 | bit(w, 6, 2) | bit(w, 5, 3);
            if imm == 0 {
                return ill; // includes the all-zero word
            }
            insn(Addi, creg(w, 2), 2, 0, imm as i32)
        }
        (0, 1) => insn(Fld, creg(w, 2), creg(w, 7), 0, cl_d_imm(w)),
        (0, 2) => insn(Lw, creg(w, 2), creg(w, 7), 0, cl_w_imm(w)),
        (0, 3) => insn(Ld, creg(w, 2), creg(w, 7), 0, cl_d_imm(w)),
        (0, 4) => {
            // Zcb byte and halfword loads and stores: uimm[1] = bit 5, uimm[0] = bit 6.
            let (rs1, r, uimm1) = (creg(w, 7), creg(w, 2), bit(w, 5, 1));
            match (bits(w, 12, 10), bit(w, 6, 0)) {
                (0, b0) => insn(Lbu, r, rs1, 0, (uimm1 | b0) as i32),
                (1, 0) => insn(Lhu, r, rs1, 0, uimm1 as i32),
                (1, _) => insn(Lh, r, rs1, 0, uimm1 as i32),
                (2, b0) => insn(Sb, 0, rs1, r, (uimm1 | b0) as i32),
                (3, 0) => insn(Sh, 0, rs1, r, uimm1 as i32),
                _ => ill,
            }
        }
        (0, 5) => insn(Fsd, 0, creg(w, 7), creg(w, 2), cl_d_imm(w)),
        (0, 6) => insn(Sw, 0, creg(w, 7), creg(w, 2), cl_w_imm(w)),
        (0, 7) => insn(Sd, 0, creg(w, 7), creg(w, 2), cl_d_imm(w)),
        // ---- quadrant 1 ----
        (1, 0) => insn(Addi, rd, rd, 0, ci_imm(w)),
        (1, 1) if rd != 0 => insn(Addiw, rd, rd, 0, ci_imm(w)),
        (1, 2) => insn(Addi, rd, 0, 0, ci_imm(w)),
        (1, 3) if rd == 2 => {
            let imm =
                bit(w, 12, 9) | bit(w, 6, 4) | bit(w, 5, 6) | bits(w, 4, 3) << 7 | bit(w, 2, 5);
            match sext(imm, 10) {
                0 => ill,
                imm => insn(Addi, 2, 2, 0, imm),
            }
        }
        // c.mop.N (Zcmop) does nothing.
        (1, 3) if w & C_MOP_MASK == C_MOP_MATCH => insn(Addi, 0, 0, 0, 0),
        (1, 3) => match ci_imm(w) << 12 {
            0 => ill,
            imm => insn(Lui, rd, 0, 0, imm),
        },
        (1, 4) => {
            let rd = creg(w, 7);
            let shamt = (bit(w, 12, 5) | bits(w, 6, 2)) as i32;
            match (bits(w, 11, 10), bit(w, 12, 0), bits(w, 6, 5)) {
                (0, ..) => insn(Srli, rd, rd, 0, shamt),
                (1, ..) => insn(Srai, rd, rd, 0, shamt),
                (2, ..) => insn(Andi, rd, rd, 0, ci_imm(w)),
                (_, 0, f) => insn([Sub, Xor, Or, And][f as usize], rd, rd, creg(w, 2), 0),
                (_, _, 0) => insn(Subw, rd, rd, creg(w, 2), 0),
                (_, _, 1) => insn(Addw, rd, rd, creg(w, 2), 0),
                (_, _, 2) => insn(Mul, rd, rd, creg(w, 2), 0),
                // Zcb's unary forms: zext.b, sext.b, zext.h, sext.h, zext.w, not.
                _ => match bits(w, 4, 2) {
                    0 => insn(Andi, rd, rd, 0, 0xff),
                    1 => insn(SextB, rd, rd, 0, 0),
                    2 => insn(Packw, rd, rd, 0, 0),
                    3 => insn(SextH, rd, rd, 0, 0),
                    4 => insn(AddUw, rd, rd, 0, 0),
                    5 => insn(Xori, rd, rd, 0, -1),
                    _ => ill,
                },
            }
        }
        (1, 5) => {
            let imm = bit(w, 12, 11)
                | bit(w, 11, 4)
                | bits(w, 10, 9) << 8
                | bit(w, 8, 10)
                | bit(w, 7, 6)
                | bit(w, 6, 7)
                | bits(w, 5, 3) << 1
                | bit(w, 2, 5);
            insn(Jal, 0, 0, 0, sext(imm, 12))
        }
        (1, f @ (6 | 7)) => {
            let imm = bit(w, 12, 8)
                | bits(w, 11, 10) << 3
                | bits(w, 6, 5) << 6
                | bits(w, 4, 3) << 1
                | bit(w, 2, 5);
            insn(
                if f == 6 { Beq } else { Bne },
                0,
                creg(w, 7),
                0,
                sext(imm, 9),
            )
        }
        // ---- quadrant 2 ----
        (2, 0) => insn(Slli, rd, rd, 0, (bit(w, 12, 5) | bits(w, 6, 2)) as i32),
        (2, 1) => insn(Fld, rd, 2, 0, sp_d_imm(w)),
        (2, 2) if rd != 0 => {
            let imm = bit(w, 12, 5) | bits(w, 6, 4) << 2 | bits(w, 3, 2) << 6;
            insn(Lw, rd, 2, 0, imm as i32)
        }
        (2, 3) if rd != 0 => insn(Ld, rd, 2, 0, sp_d_imm(w)),
        (2, 4) => match (bit(w, 12, 0), rd, rs2) {
            (0, 0, 0) => ill,
            (0, _, 0) => insn(Jalr, 0, rd, 0, 0),
            (0, ..) => insn(Add, rd, 0, rs2, 0),
            (_, 0, 0) => Insn { op: Ebreak, ..ill },
            (_, _, 0) => insn(Jalr, 1, rd, 0, 0),
            _ => insn(Add, rd, rd, rs2, 0),
        },
        (2, 5) => insn(Fsd, 0, 2, rs2, ss_d_imm(w)),
        (2, 6) => insn(
            Sw,
            0,
            2,
            rs2,
            (bits(w, 12, 9) << 2 | bits(w, 8, 7) << 6) as i32,
        ),
        (2, 7) => insn(Sd, 0, 2, rs2, ss_d_imm(w)),
        _ => ill,
    }
}

/// CL/CS word offset: uimm[5:3] = bits 12..10, uimm[2] = bit 6, uimm[6] = bit 5.
fn cl_w_imm(w: u16) -> i32 {
    (bits(w, 12, 10) << 3 | bit(w, 6, 2) | bit(w, 5, 6)) as i32
}

/// CL/CS doubleword offset: uimm[5:3] = bits 12..10, uimm[7:6] = bits 6..5.
fn cl_d_imm(w: u16) -> i32 {
    (bits(w, 12, 10) << 3 | bits(w, 6, 5) << 6) as i32
}

/// CI stack doubleword offset: uimm[5] = bit 12, uimm[4:3] = bits 6..5, uimm[8:6] = bits 4..2.
fn sp_d_imm(w: u16) -> i32 {
    (bit(w, 12, 5) | bits(w, 6, 5) << 3 | bits(w, 4, 2) << 6) as i32
}

/// CSS stack doubleword offset: uimm[5:3] = bits 12..10, uimm[8:6] = bits 9..7.
fn ss_d_imm(w: u16) -> i32 {
    (bits(w, 12, 10) << 3 | bits(w, 9, 7) << 6) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_golden_halfwords() {
        // (halfword, opcode, rd, rs1, rs2, imm) from GNU as with -march=rv64gc.
        let cases: &[(u16, Opcode, u8, u8, u8, i32)] = &[
            (0x1141, Opcode::Addi, 2, 2, 0, -16),    // addi sp,sp,-16
            (0xe406, Opcode::Sd, 0, 2, 1, 8),        // sd ra,8(sp)
            (0x60a2, Opcode::Ld, 1, 2, 0, 8),        // ld ra,8(sp)
            (0x8082, Opcode::Jalr, 0, 1, 0, 0),      // ret
            (0x4501, Opcode::Addi, 10, 0, 0, 0),     // li a0,0
            (0x852e, Opcode::Add, 10, 0, 11, 0),     // mv a0,a1
            (0x9902, Opcode::Jalr, 1, 18, 0, 0),     // jalr s2
            (0x0001, Opcode::Addi, 0, 0, 0, 0),      // nop
            (0x9002, Opcode::Ebreak, 0, 0, 0, 0),    // ebreak
            (0x6785, Opcode::Lui, 15, 0, 0, 0x1000), // lui a5,0x1
            (0x0800, Opcode::Addi, 8, 2, 0, 16),     // addi s0,sp,16
            (0xa001, Opcode::Jal, 0, 0, 0, 0),       // j .
            (0xd7fd, Opcode::Beq, 0, 15, 0, -18),    // beqz a5,.-18
            (0xc389, Opcode::Beq, 0, 15, 0, 2),      // beqz a5,.+2
            (0x8d1d, Opcode::Sub, 10, 10, 15, 0),    // sub a0,a0,a5
            (0x9d3d, Opcode::Addw, 10, 10, 15, 0),   // addw a0,a0,a5
            (0x2501, Opcode::Addiw, 10, 10, 0, 0),   // sext.w a0,a0
        ];
        for &(h, op, rd, rs1, rs2, imm) in cases {
            let i = expand(h);
            assert_eq!(
                (i.op, i.rd, i.rs1, i.rs2, i.imm, i.len),
                (op, rd, rs1, rs2, imm, 2),
                "{h:#06x}"
            );
        }
    }

    #[test]
    fn reserved_encodings_are_illegal() {
        for h in [
            0x0000u16,
            0x6101 & !0x107c, /* c.addi16sp 0 */
            0x4002,           /* c.lwsp x0 */
            0x8002,           /* c.jr x0 */
        ] {
            assert_eq!(expand(h).op, Opcode::Illegal, "{h:#06x}");
        }
    }
}
