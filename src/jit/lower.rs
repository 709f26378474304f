//! Per-instruction lowering: RISC-V to wasm, keyed by the table's [`Opcode`].
//!
//! [`shape`] is the one place that says which opcodes the JIT translates and how:
//! each row names the shape of the lowering (register-register ALU, 32-bit ALU with
//! an immediate, load, branch, ...) and the wasm operator that does the work. The
//! shapes' bodies below mirror the interpreter's handlers in `interp/exec/i.rs`.
//! Opcodes without a row end the region: the generated code leaves for the
//! interpreter at that instruction ([`Exit::Interp`](super::abi::Exit), or
//! `Syscall` for `ecall`).

use super::emit::{Access, Emitter, Instruction as W, Lowering, TMP, TMP32};
use super::fp::{self, Cmp, Fp, Int, Prec};
use crate::isa::{csr, Insn, Opcode};

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
    /// `rd = op(rs1)` on i64.
    Unary(W<'static>),
    /// `rd = zext(op(low 32 bits of rs1))` (the 32-bit counts).
    UnaryW(W<'static>),
    /// `rd = rs1 op !rs2` (`andn`, `orn`, `xnor`).
    RegNot(W<'static>),
    /// `rd = (rs1 cmp rs2) ? rs1 : rs2` (`min`, `max` and their unsigned forms).
    Pick(W<'static>),
    /// `rd = (rs1 << shift) + rs2`, `rs1` zero-extended from 32 bits for the `.uw` forms.
    ShAdd { shift: i64, uw: bool },
    /// `rd = zext32(rs1) << imm`.
    SlliUw,
    /// Division and remainder, without wasm's traps: a zero divisor gives all ones
    /// (division) or the dividend (remainder), and signed overflow gives the dividend
    /// (division) or 0 (remainder, which wasm already defines so), as RISC-V says.
    Div {
        op: W<'static>,
        signed: bool,
        rem: bool,
        word: bool,
    },
    /// The high 64 bits of the 128-bit product (`mulh`, `mulhu` with the signed or
    /// unsigned wide multiplication; `mulhsu` as `mulh` plus `rs1` when `rs2` is
    /// negative, which is what reading `rs2` as unsigned adds).
    MulHigh { op: W<'static>, rs2_unsigned: bool },
    /// Nothing to do (`fence`: MVVM is sequentially consistent).
    Nop,
    /// F and D, lowered by [`fp`].
    Fp(Fp),
    /// An atomic read-modify-write (`amo*.w`, `amo*.d`): `rd = old; mem = op(old,
    /// rs2)`. Guest threads run one at a time, so it is a plain load and store.
    Amo { size: u32, op: Amo },
    /// `csrrw`/`csrrs`/`csrrc` and their immediate forms (`imm`: the source is the
    /// 5-bit `rs1` field), for the FP CSRs only (`fflags`, `frm`, `fcsr`): the
    /// counters and anything else leave for the interpreter.
    Csr { op: CsrOp, imm: bool },
}

/// How a CSR instruction makes the new value from the old one and its source.
#[derive(Clone, Copy)]
enum CsrOp {
    Write,
    Set,
    Clear,
}

/// What an AMO stores, from the old value and rs2.
enum Amo {
    Swap,
    /// A bitwise or additive operator (the store keeps the low bytes).
    Op(W<'static>),
    /// The old value or rs2, whichever the comparison (on the access's width) picks
    /// first: `min` is `lt_s`, `maxu` is `gt_u`, ...
    Pick {
        cmp32: W<'static>,
        cmp64: W<'static>,
    },
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
        // ---- M (the high multiplications use the wide-arithmetic proposal) ---------
        O::Mul => S::Reg(W::I64Mul),
        O::Mulh => S::MulHigh {
            op: W::I64MulWideS,
            rs2_unsigned: false,
        },
        O::Mulhu => S::MulHigh {
            op: W::I64MulWideU,
            rs2_unsigned: false,
        },
        O::Mulhsu => S::MulHigh {
            op: W::I64MulWideS,
            rs2_unsigned: true,
        },
        O::Mulw => S::RegW(W::I32Mul),
        O::Div => div(W::I64DivS, true, false, false),
        O::Divu => div(W::I64DivU, false, false, false),
        O::Rem => div(W::I64RemS, true, true, false),
        O::Remu => div(W::I64RemU, false, true, false),
        O::Divw => div(W::I32DivS, true, false, true),
        O::Divuw => div(W::I32DivU, false, false, true),
        O::Remw => div(W::I32RemS, true, true, true),
        O::Remuw => div(W::I32RemU, false, true, true),
        // ---- Zba ------------------------------------------------------------------------
        O::AddUw => S::ShAdd { shift: 0, uw: true },
        O::Sh1add => S::ShAdd {
            shift: 1,
            uw: false,
        },
        O::Sh2add => S::ShAdd {
            shift: 2,
            uw: false,
        },
        O::Sh3add => S::ShAdd {
            shift: 3,
            uw: false,
        },
        O::Sh1addUw => S::ShAdd { shift: 1, uw: true },
        O::Sh2addUw => S::ShAdd { shift: 2, uw: true },
        O::Sh3addUw => S::ShAdd { shift: 3, uw: true },
        O::SlliUw => S::SlliUw,
        // ---- Zbb (rev8 and orc.b have no wasm operator) -------------------------------
        O::Andn => S::RegNot(W::I64And),
        O::Orn => S::RegNot(W::I64Or),
        O::Xnor => S::RegNot(W::I64Xor),
        O::Clz => S::Unary(W::I64Clz),
        O::Ctz => S::Unary(W::I64Ctz),
        O::Cpop => S::Unary(W::I64Popcnt),
        O::Clzw => S::UnaryW(W::I32Clz),
        O::Ctzw => S::UnaryW(W::I32Ctz),
        O::Cpopw => S::UnaryW(W::I32Popcnt),
        O::SextB => S::Unary(W::I64Extend8S),
        O::SextH => S::Unary(W::I64Extend16S),
        O::Min => S::Pick(W::I64LtS),
        O::Max => S::Pick(W::I64GtS),
        O::Minu => S::Pick(W::I64LtU),
        O::Maxu => S::Pick(W::I64GtU),
        O::Rol => S::Reg(W::I64Rotl),
        O::Ror => S::Reg(W::I64Rotr),
        O::Rori => S::Imm(W::I64Rotr),
        O::Rolw => S::RegW(W::I32Rotl),
        O::Rorw => S::RegW(W::I32Rotr),
        O::Roriw => S::ImmW(W::I32Rotr),
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
        // ---- Zicsr (the FP CSRs) --------------------------------------------------
        O::Csrrw => csr_shape(CsrOp::Write, false),
        O::Csrrs => csr_shape(CsrOp::Set, false),
        O::Csrrc => csr_shape(CsrOp::Clear, false),
        O::Csrrwi => csr_shape(CsrOp::Write, true),
        O::Csrrsi => csr_shape(CsrOp::Set, true),
        O::Csrrci => csr_shape(CsrOp::Clear, true),
        // ---- A: AMOs (LR/SC keep the reservation in the interpreter) -------------------
        O::AmoswapW => amo(4, Amo::Swap),
        O::AmoswapD => amo(8, Amo::Swap),
        O::AmoaddW => amo(4, Amo::Op(W::I64Add)),
        O::AmoaddD => amo(8, Amo::Op(W::I64Add)),
        O::AmoxorW => amo(4, Amo::Op(W::I64Xor)),
        O::AmoxorD => amo(8, Amo::Op(W::I64Xor)),
        O::AmoandW => amo(4, Amo::Op(W::I64And)),
        O::AmoandD => amo(8, Amo::Op(W::I64And)),
        O::AmoorW => amo(4, Amo::Op(W::I64Or)),
        O::AmoorD => amo(8, Amo::Op(W::I64Or)),
        O::AmominW => amo(4, pick(W::I32LtS, W::I64LtS)),
        O::AmominD => amo(8, pick(W::I32LtS, W::I64LtS)),
        O::AmomaxW => amo(4, pick(W::I32GtS, W::I64GtS)),
        O::AmomaxD => amo(8, pick(W::I32GtS, W::I64GtS)),
        O::AmominuW => amo(4, pick(W::I32LtU, W::I64LtU)),
        O::AmominuD => amo(8, pick(W::I32LtU, W::I64LtU)),
        O::AmomaxuW => amo(4, pick(W::I32GtU, W::I64GtU)),
        O::AmomaxuD => amo(8, pick(W::I32GtU, W::I64GtU)),
        // ---- F and D (fp.rs; specials and other rounding modes leave) -------------------
        O::Flw => S::Fp(Fp::Load(Prec::S)),
        O::Fld => S::Fp(Fp::Load(Prec::D)),
        O::Fsw => S::Fp(Fp::Store(Prec::S)),
        O::Fsd => S::Fp(Fp::Store(Prec::D)),
        O::FaddS => S::Fp(Fp::Add(Prec::S)),
        O::FaddD => S::Fp(Fp::Add(Prec::D)),
        O::FsubS => S::Fp(Fp::Sub(Prec::S)),
        O::FsubD => S::Fp(Fp::Sub(Prec::D)),
        O::FmulS => S::Fp(Fp::Mul(Prec::S)),
        O::FmulD => S::Fp(Fp::Mul(Prec::D)),
        O::FdivS => S::Fp(Fp::Div(Prec::S)),
        O::FdivD => S::Fp(Fp::Div(Prec::D)),
        O::FsqrtS => S::Fp(Fp::Sqrt(Prec::S)),
        O::FsqrtD => S::Fp(Fp::Sqrt(Prec::D)),
        O::FmaddS => fma(Prec::S, false, false),
        O::FmaddD => fma(Prec::D, false, false),
        O::FmsubS => fma(Prec::S, false, true),
        O::FmsubD => fma(Prec::D, false, true),
        O::FnmsubS => fma(Prec::S, true, false),
        O::FnmsubD => fma(Prec::D, true, false),
        O::FnmaddS => fma(Prec::S, true, true),
        O::FnmaddD => fma(Prec::D, true, true),
        O::FsgnjS => S::Fp(Fp::Sgnj(Prec::S, fp::Sign::Copy)),
        O::FsgnjD => S::Fp(Fp::Sgnj(Prec::D, fp::Sign::Copy)),
        O::FsgnjnS => S::Fp(Fp::Sgnj(Prec::S, fp::Sign::Neg)),
        O::FsgnjnD => S::Fp(Fp::Sgnj(Prec::D, fp::Sign::Neg)),
        O::FsgnjxS => S::Fp(Fp::Sgnj(Prec::S, fp::Sign::Xor)),
        O::FsgnjxD => S::Fp(Fp::Sgnj(Prec::D, fp::Sign::Xor)),
        O::FeqS => S::Fp(Fp::Cmp(Prec::S, Cmp::Eq)),
        O::FeqD => S::Fp(Fp::Cmp(Prec::D, Cmp::Eq)),
        O::FltS => S::Fp(Fp::Cmp(Prec::S, Cmp::Lt)),
        O::FltD => S::Fp(Fp::Cmp(Prec::D, Cmp::Lt)),
        O::FleS => S::Fp(Fp::Cmp(Prec::S, Cmp::Le)),
        O::FleD => S::Fp(Fp::Cmp(Prec::D, Cmp::Le)),
        O::FminS => S::Fp(Fp::MinMax(Prec::S, false)),
        O::FminD => S::Fp(Fp::MinMax(Prec::D, false)),
        O::FmaxS => S::Fp(Fp::MinMax(Prec::S, true)),
        O::FmaxD => S::Fp(Fp::MinMax(Prec::D, true)),
        O::FcvtWS => S::Fp(Fp::ToInt(Prec::S, Int::W)),
        O::FcvtWD => S::Fp(Fp::ToInt(Prec::D, Int::W)),
        O::FcvtWuS => S::Fp(Fp::ToInt(Prec::S, Int::Wu)),
        O::FcvtWuD => S::Fp(Fp::ToInt(Prec::D, Int::Wu)),
        O::FcvtLS => S::Fp(Fp::ToInt(Prec::S, Int::L)),
        O::FcvtLD => S::Fp(Fp::ToInt(Prec::D, Int::L)),
        O::FcvtLuS => S::Fp(Fp::ToInt(Prec::S, Int::Lu)),
        O::FcvtLuD => S::Fp(Fp::ToInt(Prec::D, Int::Lu)),
        O::FcvtSW => S::Fp(Fp::FromInt(Prec::S, Int::W)),
        O::FcvtDW => S::Fp(Fp::FromInt(Prec::D, Int::W)),
        O::FcvtSWu => S::Fp(Fp::FromInt(Prec::S, Int::Wu)),
        O::FcvtDWu => S::Fp(Fp::FromInt(Prec::D, Int::Wu)),
        O::FcvtSL => S::Fp(Fp::FromInt(Prec::S, Int::L)),
        O::FcvtDL => S::Fp(Fp::FromInt(Prec::D, Int::L)),
        O::FcvtSLu => S::Fp(Fp::FromInt(Prec::S, Int::Lu)),
        O::FcvtDLu => S::Fp(Fp::FromInt(Prec::D, Int::Lu)),
        O::FmvXW => S::Fp(Fp::ToX(Prec::S)),
        O::FmvXD => S::Fp(Fp::ToX(Prec::D)),
        O::FmvWX => S::Fp(Fp::FromX(Prec::S)),
        O::FmvDX => S::Fp(Fp::FromX(Prec::D)),
        O::FcvtSD => S::Fp(Fp::Narrow),
        O::FcvtDS => S::Fp(Fp::Widen),
        _ => return None,
    })
}

const fn amo(size: u32, op: Amo) -> Shape {
    Shape::Amo { size, op }
}

const fn pick(cmp32: W<'static>, cmp64: W<'static>) -> Amo {
    Amo::Pick { cmp32, cmp64 }
}

const fn csr_shape(op: CsrOp, imm: bool) -> Shape {
    Shape::Csr { op, imm }
}

const fn fma(prec: Prec, neg_prod: bool, neg_add: bool) -> Shape {
    Shape::Fp(Fp::Fma {
        prec,
        neg_prod,
        neg_add,
    })
}

const fn div(op: W<'static>, signed: bool, rem: bool, word: bool) -> Shape {
    Shape::Div {
        op,
        signed,
        rem,
        word,
    }
}

/// The lowerings, as the emitter takes them.
pub const LOWERING: Lowering = Lowering {
    lower,
    access: memory_access,
};

/// `(bytes, is_store)` of `insn`'s guest memory access, if it has one that the JIT
/// translates.
fn memory_access(insn: &Insn) -> Option<(u32, bool)> {
    match shape(insn.op)? {
        Shape::Load(a) => Some((a.size, false)),
        Shape::Store(a) => Some((a.size, true)),
        Shape::Fp(f) => fp::access(f),
        _ => None,
    }
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
        Shape::Unary(op) => {
            e.get(i.rs1).op(op).set(i.rd);
        }
        Shape::UnaryW(op) => {
            e.get(i.rs1).op(W::I32WrapI64).op(op).op(W::I64ExtendI32U);
            e.set(i.rd);
        }
        Shape::RegNot(op) => {
            e.get(i.rs1)
                .get(i.rs2)
                .imm(-1)
                .op(W::I64Xor)
                .op(op)
                .set(i.rd);
        }
        Shape::Pick(cmp) => {
            e.get(i.rs1).get(i.rs2).get(i.rs1).get(i.rs2).op(cmp);
            e.op(W::Select).set(i.rd);
        }
        Shape::ShAdd { shift, uw } => {
            e.get(i.rs1);
            if uw {
                e.imm(0xffff_ffff).op(W::I64And);
            }
            e.imm(shift)
                .op(W::I64Shl)
                .get(i.rs2)
                .op(W::I64Add)
                .set(i.rd);
        }
        Shape::SlliUw => {
            e.get(i.rs1).imm(0xffff_ffff).op(W::I64And);
            e.imm(imm).op(W::I64Shl).set(i.rd);
        }
        Shape::Div {
            op,
            signed,
            rem,
            word,
        } => lower_div(e, i, op, signed && !rem, rem, word),
        Shape::MulHigh { op, rs2_unsigned } => {
            // [lo, hi] on the stack: keep hi.
            e.get(i.rs1)
                .get(i.rs2)
                .op(op)
                .op(W::LocalSet(TMP))
                .op(W::Drop);
            e.op(W::LocalGet(TMP));
            if rs2_unsigned {
                e.get(i.rs1).imm(0).get(i.rs2).imm(0).op(W::I64LtS);
                e.op(W::Select).op(W::I64Add);
            }
            e.set(i.rd);
        }
        Shape::Nop => {}
        Shape::Fp(f) => return fp::lower(e, f, i, pc),
        Shape::Amo { size, op } => lower_amo(e, i, pc, size, op),
        Shape::Csr { op, imm } => return lower_csr(e, i, op, imm),
    }
    true
}

/// The FP CSRs as `interp/exec/zicsr.rs` reads and writes them: `fcsr` is
/// `frm << 5 | fflags`; a write keeps 5 bits of `fflags` and 3 of `frm`; `csrrs` and
/// `csrrc` with source x0 (or immediate 0) do not write. `false` for other CSRs.
fn lower_csr(e: &mut Emitter<'_>, i: &Insn, op: CsrOp, imm: bool) -> bool {
    let c = i.imm as u16;
    if !matches!(c, csr::FFLAGS | csr::FRM | csr::FCSR) {
        return false;
    }
    match c {
        csr::FFLAGS => e.fflags(),
        csr::FRM => e.frm(),
        _ => e
            .frm()
            .op(W::I32Const(5))
            .op(W::I32Shl)
            .fflags()
            .op(W::I32Or),
    };
    e.op(W::I64ExtendI32U).op(W::LocalSet(TMP));
    if matches!(op, CsrOp::Write) || i.rs1 != 0 {
        if imm {
            e.imm(i.rs1 as i64);
        } else {
            e.get(i.rs1);
        }
        match op {
            CsrOp::Write => {}
            CsrOp::Set => {
                e.op(W::LocalGet(TMP)).op(W::I64Or);
            }
            CsrOp::Clear => {
                e.imm(-1).op(W::I64Xor).op(W::LocalGet(TMP)).op(W::I64And);
            }
        }
        e.op(W::I32WrapI64).op(W::LocalSet(TMP32));
        let field = |e: &mut Emitter<'_>, shift: i32, mask: i32| {
            e.op(W::LocalGet(TMP32));
            if shift != 0 {
                e.op(W::I32Const(shift)).op(W::I32ShrU);
            }
            e.op(W::I32Const(mask)).op(W::I32And);
        };
        match c {
            csr::FFLAGS => e.set_fflags(|e| field(e, 0, 0x1f)),
            csr::FRM => e.set_frm(|e| field(e, 0, 7)),
            _ => e
                .set_fflags(|e| field(e, 0, 0x1f))
                .set_frm(|e| field(e, 5, 7)),
        };
    }
    e.op(W::LocalGet(TMP)).set(i.rd);
    true
}

/// `select(fallback, rs1 op safe_divisor, rs2 == 0)`, where the safe divisor is 1 when
/// rs2 is 0 or (with `overflow`) when the division overflows: wasm would trap on both.
fn lower_div(e: &mut Emitter<'_>, i: &Insn, op: W<'static>, overflow: bool, rem: bool, word: bool) {
    let x = |e: &mut Emitter<'_>, r: u8| {
        e.get(r);
        if word {
            e.op(W::I32WrapI64);
        }
    };
    let k = |e: &mut Emitter<'_>, v: i64| {
        if word {
            e.op(W::I32Const(v as i32));
        } else {
            e.imm(v);
        }
    };
    let (eqz, eq) = if word {
        (W::I32Eqz, W::I32Eq)
    } else {
        (W::I64Eqz, W::I64Eq)
    };
    let min = if word { i32::MIN as i64 } else { i64::MIN };
    if rem {
        x(e, i.rs1);
    } else {
        k(e, -1);
    }
    x(e, i.rs1);
    k(e, 1);
    x(e, i.rs2);
    x(e, i.rs2);
    e.op(eqz.clone());
    if overflow {
        x(e, i.rs1);
        k(e, min);
        e.op(eq.clone());
        x(e, i.rs2);
        k(e, -1);
        e.op(eq).op(W::I32And).op(W::I32Or);
    }
    e.op(W::Select).op(op);
    x(e, i.rs2);
    e.op(eqz).op(W::Select);
    if word {
        e.op(W::I64ExtendI32S);
    }
    e.set(i.rd);
}

/// `rd = mem[rs1]; mem[rs1] = op(rd, rs2)` (sign-extending a word), `rs2` read before
/// `rd` is written.
fn lower_amo(e: &mut Emitter<'_>, i: &Insn, pc: u64, size: u32, op: Amo) {
    let word = size == 4;
    e.atomic_address(i, pc, size);
    let m = e.guest();
    e.op(W::LocalTee(TMP32));
    e.op(if word {
        W::I64Load32S(m)
    } else {
        W::I64Load(m)
    });
    e.op(W::LocalSet(TMP));
    e.op(W::LocalGet(TMP32));
    match op {
        Amo::Swap => {
            e.get(i.rs2);
        }
        Amo::Op(op) => {
            e.op(W::LocalGet(TMP)).get(i.rs2).op(op);
        }
        Amo::Pick { cmp32, cmp64 } => {
            e.op(W::LocalGet(TMP)).get(i.rs2);
            if word {
                e.op(W::LocalGet(TMP)).op(W::I32WrapI64);
                e.get(i.rs2).op(W::I32WrapI64).op(cmp32);
            } else {
                e.op(W::LocalGet(TMP)).get(i.rs2).op(cmp64);
            }
            e.op(W::Select);
        }
    }
    e.op(if word {
        W::I64Store32(m)
    } else {
        W::I64Store(m)
    });
    e.op(W::LocalGet(TMP)).set(i.rd);
}
