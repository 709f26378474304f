//! Per-instruction lowering: RISC-V to wasm, keyed by the table's [`Opcode`].
//!
//! [`shape`] is the one place that says which opcodes the JIT translates and how:
//! each row names the shape of the lowering (register-register ALU, 32-bit ALU with
//! an immediate, load, branch, ...) and the wasm operator that does the work. The
//! shapes' bodies below mirror the interpreter's handlers in `interp/exec/i.rs`.
//! Opcodes without a row end the region: the generated code leaves for the
//! interpreter at that instruction ([`Exit::Interp`](super::abi::Exit), or
//! `Syscall` for `ecall`).

use super::emit::{Access, Emitter, Instruction as W, TMP};
use crate::isa::{Insn, Opcode};

/// How an instruction becomes wasm.
enum Shape {
    /// `rd = rs1 op rs2` on i64.
    Reg(W<'static>),
    /// `rd = rs1 op imm` on i64.
    Imm(W<'static>),
    /// `rd = sext32(rs1 op rs2)` on the low 32 bits.
    RegW(W<'static>),
    /// `rd = sext32(rs1 op imm)` on the low 32 bits.
    ImmW(W<'static>),
    /// `rd = (rs1 cmp rs2) ? 1 : 0`.
    SetReg(W<'static>),
    /// `rd = (rs1 cmp imm) ? 1 : 0`.
    SetImm(W<'static>),
    /// `rd = imm`.
    Lui,
    /// `rd = pc + imm`.
    Auipc,
    /// `rd = load(rs1 + imm)`, sign or zero extended by the wasm load.
    Load(Access),
    /// `store(rs1 + imm, rs2)`.
    Store(Access),
    /// `if rs1 cmp rs2 goto pc + imm`.
    Branch(W<'static>),
    /// `rd = pc + len; goto pc + imm`.
    Jal,
    /// `rd = pc + len; goto (rs1 + imm) & !1`.
    Jalr,
    /// Nothing to do (`fence`: MVVM is sequentially consistent).
    Nop,
}

const fn access(size: u32, op: fn(wasm_encoder::MemArg) -> W<'static>) -> Access {
    Access { size, op }
}

/// The lowering of `op`, or `None` when the JIT leaves it to the interpreter.
fn shape(op: Opcode) -> Option<Shape> {
    use Opcode as O;
    use Shape as S;
    Some(match op {
        // ---- RV64I register-immediate --------------------------------------------
        O::Addi => S::Imm(W::I64Add),
        O::Slti => S::SetImm(W::I64LtS),
        O::Sltiu => S::SetImm(W::I64LtU),
        O::Xori => S::Imm(W::I64Xor),
        O::Ori => S::Imm(W::I64Or),
        O::Andi => S::Imm(W::I64And),
        O::Slli => S::Imm(W::I64Shl),
        O::Srli => S::Imm(W::I64ShrU),
        O::Srai => S::Imm(W::I64ShrS),
        O::Addiw => S::ImmW(W::I32Add),
        O::Slliw => S::ImmW(W::I32Shl),
        O::Srliw => S::ImmW(W::I32ShrU),
        O::Sraiw => S::ImmW(W::I32ShrS),
        O::Lui => S::Lui,
        O::Auipc => S::Auipc,
        // ---- RV64I register-register (wasm masks shift amounts like RISC-V) ------
        O::Add => S::Reg(W::I64Add),
        O::Sub => S::Reg(W::I64Sub),
        O::Sll => S::Reg(W::I64Shl),
        O::Slt => S::SetReg(W::I64LtS),
        O::Sltu => S::SetReg(W::I64LtU),
        O::Xor => S::Reg(W::I64Xor),
        O::Srl => S::Reg(W::I64ShrU),
        O::Sra => S::Reg(W::I64ShrS),
        O::Or => S::Reg(W::I64Or),
        O::And => S::Reg(W::I64And),
        O::Addw => S::RegW(W::I32Add),
        O::Subw => S::RegW(W::I32Sub),
        O::Sllw => S::RegW(W::I32Shl),
        O::Srlw => S::RegW(W::I32ShrU),
        O::Sraw => S::RegW(W::I32ShrS),
        // ---- M: the multiplications wasm has ---------------------------------------
        O::Mul => S::Reg(W::I64Mul),
        O::Mulw => S::RegW(W::I32Mul),
        // ---- loads and stores --------------------------------------------------------
        O::Lb => S::Load(access(1, W::I64Load8S)),
        O::Lh => S::Load(access(2, W::I64Load16S)),
        O::Lw => S::Load(access(4, W::I64Load32S)),
        O::Ld => S::Load(access(8, W::I64Load)),
        O::Lbu => S::Load(access(1, W::I64Load8U)),
        O::Lhu => S::Load(access(2, W::I64Load16U)),
        O::Lwu => S::Load(access(4, W::I64Load32U)),
        O::Sb => S::Store(access(1, W::I64Store8)),
        O::Sh => S::Store(access(2, W::I64Store16)),
        O::Sw => S::Store(access(4, W::I64Store32)),
        O::Sd => S::Store(access(8, W::I64Store)),
        // ---- control transfers ---------------------------------------------------------
        O::Beq => S::Branch(W::I64Eq),
        O::Bne => S::Branch(W::I64Ne),
        O::Blt => S::Branch(W::I64LtS),
        O::Bge => S::Branch(W::I64GeS),
        O::Bltu => S::Branch(W::I64LtU),
        O::Bgeu => S::Branch(W::I64GeU),
        O::Jal => S::Jal,
        O::Jalr => S::Jalr,
        O::Fence => S::Nop,
        _ => return None,
    })
}

/// Whether the JIT translates `insn` (else a region ends before it).
pub fn translatable(insn: &Insn) -> bool {
    shape(insn.op).is_some()
}

/// Emits `insn`, found at `pc`; `false` (and nothing emitted) when it has no lowering.
pub fn lower(e: &mut Emitter<'_>, i: &Insn, pc: u64) -> bool {
    let Some(shape) = shape(i.op) else {
        return false;
    };
    let imm = i.imm as i64;
    let next = pc.wrapping_add(i.len as u64);
    match shape {
        Shape::Reg(op) => {
            e.get(i.rs1).get(i.rs2).op(op).set(i.rd);
        }
        Shape::Imm(op) => {
            e.get(i.rs1).imm(imm).op(op).set(i.rd);
        }
        Shape::RegW(op) => {
            e.get(i.rs1).op(W::I32WrapI64).get(i.rs2).op(W::I32WrapI64);
            e.op(op).op(W::I64ExtendI32S).set(i.rd);
        }
        Shape::ImmW(op) => {
            e.get(i.rs1).op(W::I32WrapI64).op(W::I32Const(i.imm));
            e.op(op).op(W::I64ExtendI32S).set(i.rd);
        }
        Shape::SetReg(cmp) => {
            e.get(i.rs1)
                .get(i.rs2)
                .op(cmp)
                .op(W::I64ExtendI32U)
                .set(i.rd);
        }
        Shape::SetImm(cmp) => {
            e.get(i.rs1).imm(imm).op(cmp).op(W::I64ExtendI32U).set(i.rd);
        }
        Shape::Lui => {
            e.imm(imm).set(i.rd);
        }
        Shape::Auipc => {
            e.imm(pc.wrapping_add(imm as u64) as i64).set(i.rd);
        }
        Shape::Load(a) => e.load(i, pc, a),
        Shape::Store(a) => e.store(i, pc, a),
        Shape::Branch(cmp) => {
            e.get(i.rs1).get(i.rs2).op(cmp);
            e.if_then(|e| e.goto(pc.wrapping_add(imm as u64)));
            e.goto(next);
        }
        Shape::Jal => {
            e.imm(next as i64).set(i.rd);
            e.goto(pc.wrapping_add(imm as u64));
        }
        Shape::Jalr => {
            // The target is computed before rd is written (rd may be rs1).
            e.get(i.rs1).imm(imm).op(W::I64Add).imm(!1).op(W::I64And);
            e.op(W::LocalSet(TMP));
            e.imm(next as i64).set(i.rd);
            e.goto_dynamic();
        }
        Shape::Nop => {}
    }
    true
}
