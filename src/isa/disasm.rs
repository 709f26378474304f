//! Disassembly of decoded instructions in GNU objdump's operand order and ABI
//! register names (mnemonics come from the table; compressed instructions print as
//! their base-ISA equivalents).

use super::{csr, Flags, Format, Insn};
use std::fmt::Write;

/// ABI names of the integer registers.
pub const XNAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];

/// ABI names of the FP registers.
pub const FNAMES: [&str; 32] = [
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
    "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
    "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];

impl Insn {
    /// Renders the instruction at address `pc` (used for branch targets).
    pub fn disasm(&self, pc: u64) -> String {
        let f = self.op.flags();
        let reg = |n: u8, fp: Flags| {
            if f.contains(fp) {
                FNAMES[n as usize & 31]
            } else {
                XNAMES[n as usize & 31]
            }
        };
        let (rd, rs1, rs2, rs3) = (
            reg(self.rd, Flags::FD),
            reg(self.rs1, Flags::FS1),
            reg(self.rs2, Flags::FS2),
            reg(self.rs3, Flags::FS3),
        );
        let target = pc.wrapping_add(self.imm as i64 as u64);
        let mut s = self.op.mnemonic();
        s.push_str(if self.op.format() == Format::None {
            ""
        } else {
            "\t"
        });
        let _ = match self.op.format() {
            Format::R | Format::RRm | Format::Amo => write!(s, "{rd},{rs1},{rs2}"),
            Format::R1 | Format::R1Rm => write!(s, "{rd},{rs1}"),
            Format::R4 => write!(s, "{rd},{rs1},{rs2},{rs3}"),
            Format::I | Format::Shift | Format::ShiftW => write!(s, "{rd},{rs1},{}", self.imm),
            Format::Load => write!(s, "{rd},{}({rs1})", self.imm),
            Format::S => write!(s, "{rs2},{}({rs1})", self.imm),
            Format::B => write!(s, "{rs1},{rs2},{target:x}"),
            Format::U => write!(s, "{rd},{:#x}", (self.imm as u32) >> 12),
            Format::J => write!(s, "{rd},{target:x}"),
            Format::Lr => write!(s, "{rd},({rs1})"),
            Format::Cbo => write!(s, "({rs1})"),
            Format::Csr | Format::CsrI => {
                let c = self.imm as u16;
                let name = csr::name(c).map_or_else(|| format!("{c:#x}"), str::to_string);
                if self.op.format() == Format::Csr {
                    write!(s, "{rd},{name},{rs1}")
                } else {
                    write!(s, "{rd},{name},{}", self.rs1)
                }
            }
            Format::Fence | Format::None => Ok(()),
        };
        s
    }
}
