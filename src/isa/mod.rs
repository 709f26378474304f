//! The RISC-V instruction set as data: opcodes, formats, decoding and disassembly.
//!
//! Everything here is derived from the one table in [`table`](self::table) through
//! [`for_each_insn!`](crate::for_each_insn). This module holds no emulator state; the
//! interpreter (`crate::interp`) and the JIT consume the [`Insn`]s it produces.

mod compressed;
mod cpu;
pub mod csr;
mod decode;
mod disasm;
pub mod table;

pub use cpu::ExtSet;
pub use decode::{decode, decode_for};
pub use disasm::{disasm, FNAMES, XNAMES};

/// The `fli.{s,d,h}` constants by the `rs1` field, as the Zfa chapter tabulates them
/// (every one exact in binary64). Entry 1, the smallest positive normal number, and
/// entry 31, the canonical NaN, depend on the destination format: the handlers supply
/// those.
pub const FLI: [f64; 32] = [
    -1.0,
    f64::MIN_POSITIVE, // per format
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
    f64::INFINITY,
    f64::NAN, // per format
];

/// How an instruction word carries its operands (and builds its immediate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `rd, rs1, rs2`.
    R,
    /// `rd, rs1, rs2, rm`.
    RRm,
    /// `rd, rs1` (FP moves and classify, unary bit manipulation such as `clz`).
    R1,
    /// `rd, rs1, rm`.
    R1Rm,
    /// `rd, rs1, rs2, rs3, rm` (fused multiply-add).
    R4,
    /// `rd, rs1, imm[11:0]`.
    I,
    /// `rd, imm(rs1)`: an I-type load.
    Load,
    /// `rd, rs1, shamt[5:0]`.
    Shift,
    /// `rd, rs1, shamt[4:0]` (the 32-bit `*w` shifts).
    ShiftW,
    /// `rs2, imm(rs1)`.
    S,
    /// `rs1, rs2, pc-relative imm[12:1]`.
    B,
    /// `rd, imm[31:12]`.
    U,
    /// `rd, pc-relative imm[20:1]`.
    J,
    /// `rd, rs2, (rs1)`: atomic memory operation.
    Amo,
    /// `rd, (rs1)`: load-reserved.
    Lr,
    /// `rd, csr, rs1`.
    Csr,
    /// `rd, csr, uimm[4:0]` (the immediate sits in the rs1 field).
    CsrI,
    /// `pred, succ` (operands ignored: MVVM is sequentially consistent).
    Fence,
    /// `(rs1)`: a cache-block operation on the block holding the address in `rs1`.
    Cbo,
    /// No operands.
    None,
}

/// The extension an instruction belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Ext {
    /// Base integer ISA.
    I,
    /// Integer multiply and divide.
    M,
    /// Atomics.
    A,
    /// Single-precision floating point.
    F,
    /// Double-precision floating point.
    D,
    /// Control and status registers.
    Zicsr,
    /// Instruction-fetch fence.
    Zifencei,
    /// Address generation (`sh*add`, `*.uw`).
    Zba,
    /// Basic bit manipulation (also the rows Zbkb shares with it).
    Zbb,
    /// Single-bit instructions.
    Zbs,
    /// Carry-less multiplication (`clmul`/`clmulh` are also Zbkc).
    Zbc,
    /// Integer conditional zeroing.
    Zicond,
    /// Bit manipulation for cryptography (its own rows: pack, brev8).
    Zbkb,
    /// Crossbar permutations.
    Zbkx,
    /// Half-precision floating point (arithmetic).
    Zfh,
    /// Half-precision floating point: loads, stores, moves and conversions only.
    Zfhmin,
    /// Additional floating-point instructions (`fli`, `fminm`, `fround`, `fleq`, ...).
    Zfa,
    /// Additional compressed instructions (`c.lbu`, `c.zext.b`, `c.mul`, ...).
    Zcb,
    /// Cache-block management (`cbo.clean`, `cbo.flush`, `cbo.inval`).
    Zicbom,
    /// Cache-block zeroing (`cbo.zero`).
    Zicboz,
    /// May-be-operations (`mop.r.N`, `mop.rr.N`: write zero to `rd`).
    Zimop,
    /// Wait on reservation set (`wrs.nto`, `wrs.sto`).
    Zawrs,
    // The extensions below have no rows of their own: they are expanded forms, hints or
    // counters, listed so that `-cpu` can name them and the guest can be told of them.
    /// Compressed instructions (Zca, plus Zcd when D is present).
    C,
    /// Compressed may-be-operations (`c.mop.N`).
    Zcmop,
    /// Carry-less multiplication for cryptography (the `clmul`/`clmulh` rows of Zbc).
    Zbkc,
    /// Cache-block prefetch hints (`prefetch.*`, which are `ori` with `rd = x0`).
    Zicbop,
    /// The `pause` hint (a `fence` encoding).
    Zihintpause,
    /// Non-temporal locality hints (`ntl.*`, which are `add` with `rd = x0`).
    Zihintntl,
    /// The `cycle`, `time` and `instret` counters.
    Zicntr,
}

/// Per-row properties of an instruction (the `flags` column of the table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flags(u8);

impl Flags {
    /// Nothing special.
    pub const NONE: Flags = Flags(0);
    /// Transfers control: the handler sets the next pc, and a decoded block ends here.
    pub const CTRL: Flags = Flags(1);
    /// Ends a decoded block without being a jump (system calls, fences on code).
    pub const END: Flags = Flags(2);
    /// Reads guest memory.
    pub const LOAD: Flags = Flags(4);
    /// Writes guest memory.
    pub const STORE: Flags = Flags(8);
    /// `rd` is an FP register.
    pub const FD: Flags = Flags(16);
    /// `rs1` is an FP register.
    pub const FS1: Flags = Flags(32);
    /// `rs2` is an FP register.
    pub const FS2: Flags = Flags(64);
    /// `rs3` is an FP register.
    pub const FS3: Flags = Flags(128);

    /// Whether every flag of `other` is set in `self`.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for Flags {
    type Output = Flags;
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

// The flag names as plain bits, so table rows can combine them in const context.
const NONE: u8 = Flags::NONE.0;
const CTRL: u8 = Flags::CTRL.0;
const END: u8 = Flags::END.0;
const LOAD: u8 = Flags::LOAD.0;
const STORE: u8 = Flags::STORE.0;
const FD: u8 = Flags::FD.0;
const FS1: u8 = Flags::FS1.0;
const FS2: u8 = Flags::FS2.0;
const FS3: u8 = Flags::FS3.0;

/// One encoding row of the table, as data (used by the decoder and by tests).
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// The opcode this row decodes to.
    pub op: Opcode,
    /// Bits that must equal `matches`.
    pub mask: u32,
    /// Required value of the masked bits.
    pub matches: u32,
}

macro_rules! define_opcodes {
    ($($variant:ident $handler:ident $mask:literal $match:literal $fmt:ident $ext:ident $flags:expr;)*) => {
        /// Every instruction MVVM decodes. `Illegal` stands for any word that is not one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum Opcode {
            /// Not a valid instruction (raises illegal-instruction when executed).
            Illegal,
            $(
                #[doc = concat!("`", stringify!($handler), "`")]
                $variant,
            )*
        }

        /// Every table row, in table order.
        pub const ROWS: &[Row] = &[$(Row { op: Opcode::$variant, mask: $mask, matches: $match },)*];

        impl Opcode {
            /// The handler name: the mnemonic with `.` spelled `_`.
            pub const fn handler_name(self) -> &'static str {
                match self {
                    Opcode::Illegal => "illegal",
                    $(Opcode::$variant => stringify!($handler),)*
                }
            }

            /// Operand layout.
            pub const fn format(self) -> Format {
                match self {
                    Opcode::Illegal => Format::None,
                    $(Opcode::$variant => Format::$fmt,)*
                }
            }

            /// Extension.
            pub const fn ext(self) -> Ext {
                match self {
                    Opcode::Illegal => Ext::I,
                    $(Opcode::$variant => Ext::$ext,)*
                }
            }

            /// Properties.
            pub const fn flags(self) -> Flags {
                match self {
                    Opcode::Illegal => Flags::END,
                    $(Opcode::$variant => Flags($flags),)*
                }
            }
        }
    };
}
crate::for_each_insn!(define_opcodes);

impl Opcode {
    /// The assembler mnemonic, e.g. `fcvt.w.s` (derived from the handler name).
    pub fn mnemonic(self) -> String {
        self.handler_name().trim_end_matches('_').replace('_', ".")
    }

    /// Whether a decoded block must end after this instruction.
    pub const fn ends_block(self) -> bool {
        let f = self.flags();
        f.contains(Flags::CTRL) || f.contains(Flags::END)
    }
}

/// A decoded instruction: flat, fixed-size, cheap to copy into caches.
///
/// Register fields hold raw 5-bit numbers; whether they name an integer or FP
/// register follows from [`Opcode::flags`]. `imm` is fully built and sign-extended
/// as the format defines (CSR numbers and shift amounts are zero-extended).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    /// What to execute.
    pub op: Opcode,
    /// Destination register.
    pub rd: u8,
    /// First source register (or the 5-bit immediate of `csrr*i`).
    pub rs1: u8,
    /// Second source register.
    pub rs2: u8,
    /// Third source register (fused multiply-add).
    pub rs3: u8,
    /// Static rounding mode field (funct3) of FP instructions.
    pub rm: u8,
    /// Encoded length in bytes: 4, or 2 for compressed instructions.
    pub len: u8,
    /// Byte offset from the start of its decoded block (blocks span less than 256
    /// bytes): handlers find their own pc as `block pc + off` without the run loop
    /// keeping the pc up to date after every instruction.
    pub off: u8,
    /// Immediate.
    pub imm: i32,
}

impl Insn {
    /// An instruction with the given operands (no `rs3`, static rounding field 0,
    /// not yet placed in a block).
    pub const fn new(op: Opcode, rd: u8, rs1: u8, rs2: u8, imm: i32, len: u8) -> Insn {
        Insn {
            op,
            rd,
            rs1,
            rs2,
            rs3: 0,
            rm: 0,
            len,
            off: 0,
            imm,
        }
    }

    /// The illegal instruction of the given length.
    pub const fn illegal(len: u8) -> Insn {
        Insn::new(Opcode::Illegal, 0, 0, 0, 0, len)
    }
}
