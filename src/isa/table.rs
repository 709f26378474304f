//! The single instruction table: every instruction MVVM knows (RV64GC, half precision
//! Zfh/Zfhmin, Zfa, the bit-manipulation extensions Zba/Zbb/Zbs/Zbc/Zbkb/Zbkx, Zicond,
//! Zicbom/Zicboz, Zimop and Zawrs), one row each.
//!
//! `for_each_insn!(m)` calls `m!` with all rows. Each row is
//! `Variant handler mask match Format Ext flags;` where
//! - `Variant` names the [`Opcode`](super::Opcode) variant,
//! - `handler` is the snake_case mnemonic (`.` written as `_`, a trailing `_` for Rust
//!   keywords): the interpreter handler `interp::exec::<ext>::<handler>` and, through
//!   [`Opcode::mnemonic`](super::Opcode::mnemonic), the disassembly text,
//! - `mask`/`match` select the 32-bit encoding (`word & mask == match`), values as in
//!   the riscv-opcodes project,
//! - `Format` says which fields carry operands and how the immediate is built,
//! - `Ext` is the extension the row belongs to,
//! - `flags` (see [`Flags`](super::Flags)) mark control transfers, memory access and
//!   which register operands live in the FP file.
//!
//! Compressed (RVC) encodings are expanded by `compressed.rs` into these same rows.
//! Nothing else in the crate spells an encoding or a mnemonic.

/// Invokes `$m!` with every instruction row (see the module docs for the columns).
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_insn {
    ($m:ident) => {
#[rustfmt::skip]
        $m! {
            // ---- RV32I / RV64I -------------------------------------------------------------
            Lui        lui        0x0000007f 0x00000037 U      I  NONE;
            Auipc      auipc      0x0000007f 0x00000017 U      I  NONE;
            Jal        jal        0x0000007f 0x0000006f J      I  CTRL;
            Jalr       jalr       0x0000707f 0x00000067 I      I  CTRL;
            Beq        beq        0x0000707f 0x00000063 B      I  CTRL;
            Bne        bne        0x0000707f 0x00001063 B      I  CTRL;
            Blt        blt        0x0000707f 0x00004063 B      I  CTRL;
            Bge        bge        0x0000707f 0x00005063 B      I  CTRL;
            Bltu       bltu       0x0000707f 0x00006063 B      I  CTRL;
            Bgeu       bgeu       0x0000707f 0x00007063 B      I  CTRL;
            Lb         lb         0x0000707f 0x00000003 Load   I  LOAD;
            Lh         lh         0x0000707f 0x00001003 Load   I  LOAD;
            Lw         lw         0x0000707f 0x00002003 Load   I  LOAD;
            Ld         ld         0x0000707f 0x00003003 Load   I  LOAD;
            Lbu        lbu        0x0000707f 0x00004003 Load   I  LOAD;
            Lhu        lhu        0x0000707f 0x00005003 Load   I  LOAD;
            Lwu        lwu        0x0000707f 0x00006003 Load   I  LOAD;
            Sb         sb         0x0000707f 0x00000023 S      I  STORE;
            Sh         sh         0x0000707f 0x00001023 S      I  STORE;
            Sw         sw         0x0000707f 0x00002023 S      I  STORE;
            Sd         sd         0x0000707f 0x00003023 S      I  STORE;
            Addi       addi       0x0000707f 0x00000013 I      I  NONE;
            Slti       slti       0x0000707f 0x00002013 I      I  NONE;
            Sltiu      sltiu      0x0000707f 0x00003013 I      I  NONE;
            Xori       xori       0x0000707f 0x00004013 I      I  NONE;
            Ori        ori        0x0000707f 0x00006013 I      I  NONE;
            Andi       andi       0x0000707f 0x00007013 I      I  NONE;
            Slli       slli       0xfc00707f 0x00001013 Shift  I  NONE;
            Srli       srli       0xfc00707f 0x00005013 Shift  I  NONE;
            Srai       srai       0xfc00707f 0x40005013 Shift  I  NONE;
            Add        add        0xfe00707f 0x00000033 R      I  NONE;
            Sub        sub        0xfe00707f 0x40000033 R      I  NONE;
            Sll        sll        0xfe00707f 0x00001033 R      I  NONE;
            Slt        slt        0xfe00707f 0x00002033 R      I  NONE;
            Sltu       sltu       0xfe00707f 0x00003033 R      I  NONE;
            Xor        xor        0xfe00707f 0x00004033 R      I  NONE;
            Srl        srl        0xfe00707f 0x00005033 R      I  NONE;
            Sra        sra        0xfe00707f 0x40005033 R      I  NONE;
            Or         or         0xfe00707f 0x00006033 R      I  NONE;
            And        and        0xfe00707f 0x00007033 R      I  NONE;
            Addiw      addiw      0x0000707f 0x0000001b I      I  NONE;
            Slliw      slliw      0xfe00707f 0x0000101b ShiftW I  NONE;
            Srliw      srliw      0xfe00707f 0x0000501b ShiftW I  NONE;
            Sraiw      sraiw      0xfe00707f 0x4000501b ShiftW I  NONE;
            Addw       addw       0xfe00707f 0x0000003b R      I  NONE;
            Subw       subw       0xfe00707f 0x4000003b R      I  NONE;
            Sllw       sllw       0xfe00707f 0x0000103b R      I  NONE;
            Srlw       srlw       0xfe00707f 0x0000503b R      I  NONE;
            Sraw       sraw       0xfe00707f 0x4000503b R      I  NONE;
            Fence      fence      0x0000707f 0x0000000f Fence  I  NONE;
            Ecall      ecall      0xffffffff 0x00000073 None   I  END;
            Ebreak     ebreak     0xffffffff 0x00100073 None   I  END;
            // ---- Zifencei ------------------------------------------------------------------
            FenceI     fence_i    0x0000707f 0x0000100f None   Zifencei END;
            // ---- Zicsr ---------------------------------------------------------------------
            Csrrw      csrrw      0x0000707f 0x00001073 Csr    Zicsr NONE;
            Csrrs      csrrs      0x0000707f 0x00002073 Csr    Zicsr NONE;
            Csrrc      csrrc      0x0000707f 0x00003073 Csr    Zicsr NONE;
            Csrrwi     csrrwi     0x0000707f 0x00005073 CsrI   Zicsr NONE;
            Csrrsi     csrrsi     0x0000707f 0x00006073 CsrI   Zicsr NONE;
            Csrrci     csrrci     0x0000707f 0x00007073 CsrI   Zicsr NONE;
            // ---- M -------------------------------------------------------------------------
            Mul        mul        0xfe00707f 0x02000033 R      M  NONE;
            Mulh       mulh       0xfe00707f 0x02001033 R      M  NONE;
            Mulhsu     mulhsu     0xfe00707f 0x02002033 R      M  NONE;
            Mulhu      mulhu      0xfe00707f 0x02003033 R      M  NONE;
            Div        div        0xfe00707f 0x02004033 R      M  NONE;
            Divu       divu       0xfe00707f 0x02005033 R      M  NONE;
            Rem        rem        0xfe00707f 0x02006033 R      M  NONE;
            Remu       remu       0xfe00707f 0x02007033 R      M  NONE;
            Mulw       mulw       0xfe00707f 0x0200003b R      M  NONE;
            Divw       divw       0xfe00707f 0x0200403b R      M  NONE;
            Divuw      divuw      0xfe00707f 0x0200503b R      M  NONE;
            Remw       remw       0xfe00707f 0x0200603b R      M  NONE;
            Remuw      remuw      0xfe00707f 0x0200703b R      M  NONE;
            // ---- A -------------------------------------------------------------------------
            LrW        lr_w       0xf9f0707f 0x1000202f Lr     A  LOAD;
            ScW        sc_w       0xf800707f 0x1800202f Amo    A  STORE;
            AmoswapW   amoswap_w  0xf800707f 0x0800202f Amo    A  STORE;
            AmoaddW    amoadd_w   0xf800707f 0x0000202f Amo    A  STORE;
            AmoxorW    amoxor_w   0xf800707f 0x2000202f Amo    A  STORE;
            AmoandW    amoand_w   0xf800707f 0x6000202f Amo    A  STORE;
            AmoorW     amoor_w    0xf800707f 0x4000202f Amo    A  STORE;
            AmominW    amomin_w   0xf800707f 0x8000202f Amo    A  STORE;
            AmomaxW    amomax_w   0xf800707f 0xa000202f Amo    A  STORE;
            AmominuW   amominu_w  0xf800707f 0xc000202f Amo    A  STORE;
            AmomaxuW   amomaxu_w  0xf800707f 0xe000202f Amo    A  STORE;
            LrD        lr_d       0xf9f0707f 0x1000302f Lr     A  LOAD;
            ScD        sc_d       0xf800707f 0x1800302f Amo    A  STORE;
            AmoswapD   amoswap_d  0xf800707f 0x0800302f Amo    A  STORE;
            AmoaddD    amoadd_d   0xf800707f 0x0000302f Amo    A  STORE;
            AmoxorD    amoxor_d   0xf800707f 0x2000302f Amo    A  STORE;
            AmoandD    amoand_d   0xf800707f 0x6000302f Amo    A  STORE;
            AmoorD     amoor_d    0xf800707f 0x4000302f Amo    A  STORE;
            AmominD    amomin_d   0xf800707f 0x8000302f Amo    A  STORE;
            AmomaxD    amomax_d   0xf800707f 0xa000302f Amo    A  STORE;
            AmominuD   amominu_d  0xf800707f 0xc000302f Amo    A  STORE;
            AmomaxuD   amomaxu_d  0xf800707f 0xe000302f Amo    A  STORE;
            // ---- F -------------------------------------------------------------------------
            Flw        flw        0x0000707f 0x00002007 Load   F  LOAD|FD;
            Fsw        fsw        0x0000707f 0x00002027 S      F  STORE|FS2;
            FmaddS     fmadd_s    0x0600007f 0x00000043 R4     F  FD|FS1|FS2|FS3;
            FmsubS     fmsub_s    0x0600007f 0x00000047 R4     F  FD|FS1|FS2|FS3;
            FnmsubS    fnmsub_s   0x0600007f 0x0000004b R4     F  FD|FS1|FS2|FS3;
            FnmaddS    fnmadd_s   0x0600007f 0x0000004f R4     F  FD|FS1|FS2|FS3;
            FaddS      fadd_s     0xfe00007f 0x00000053 RRm    F  FD|FS1|FS2;
            FsubS      fsub_s     0xfe00007f 0x08000053 RRm    F  FD|FS1|FS2;
            FmulS      fmul_s     0xfe00007f 0x10000053 RRm    F  FD|FS1|FS2;
            FdivS      fdiv_s     0xfe00007f 0x18000053 RRm    F  FD|FS1|FS2;
            FsqrtS     fsqrt_s    0xfff0007f 0x58000053 R1Rm   F  FD|FS1;
            FsgnjS     fsgnj_s    0xfe00707f 0x20000053 R      F  FD|FS1|FS2;
            FsgnjnS    fsgnjn_s   0xfe00707f 0x20001053 R      F  FD|FS1|FS2;
            FsgnjxS    fsgnjx_s   0xfe00707f 0x20002053 R      F  FD|FS1|FS2;
            FminS      fmin_s     0xfe00707f 0x28000053 R      F  FD|FS1|FS2;
            FmaxS      fmax_s     0xfe00707f 0x28001053 R      F  FD|FS1|FS2;
            FcvtWS     fcvt_w_s   0xfff0007f 0xc0000053 R1Rm   F  FS1;
            FcvtWuS    fcvt_wu_s  0xfff0007f 0xc0100053 R1Rm   F  FS1;
            FcvtLS     fcvt_l_s   0xfff0007f 0xc0200053 R1Rm   F  FS1;
            FcvtLuS    fcvt_lu_s  0xfff0007f 0xc0300053 R1Rm   F  FS1;
            FmvXW      fmv_x_w    0xfff0707f 0xe0000053 R1     F  FS1;
            FclassS    fclass_s   0xfff0707f 0xe0001053 R1     F  FS1;
            FeqS       feq_s      0xfe00707f 0xa0002053 R      F  FS1|FS2;
            FltS       flt_s      0xfe00707f 0xa0001053 R      F  FS1|FS2;
            FleS       fle_s      0xfe00707f 0xa0000053 R      F  FS1|FS2;
            FcvtSW     fcvt_s_w   0xfff0007f 0xd0000053 R1Rm   F  FD;
            FcvtSWu    fcvt_s_wu  0xfff0007f 0xd0100053 R1Rm   F  FD;
            FcvtSL     fcvt_s_l   0xfff0007f 0xd0200053 R1Rm   F  FD;
            FcvtSLu    fcvt_s_lu  0xfff0007f 0xd0300053 R1Rm   F  FD;
            FmvWX      fmv_w_x    0xfff0707f 0xf0000053 R1     F  FD;
            // ---- D -------------------------------------------------------------------------
            Fld        fld        0x0000707f 0x00003007 Load   D  LOAD|FD;
            Fsd        fsd        0x0000707f 0x00003027 S      D  STORE|FS2;
            FmaddD     fmadd_d    0x0600007f 0x02000043 R4     D  FD|FS1|FS2|FS3;
            FmsubD     fmsub_d    0x0600007f 0x02000047 R4     D  FD|FS1|FS2|FS3;
            FnmsubD    fnmsub_d   0x0600007f 0x0200004b R4     D  FD|FS1|FS2|FS3;
            FnmaddD    fnmadd_d   0x0600007f 0x0200004f R4     D  FD|FS1|FS2|FS3;
            FaddD      fadd_d     0xfe00007f 0x02000053 RRm    D  FD|FS1|FS2;
            FsubD      fsub_d     0xfe00007f 0x0a000053 RRm    D  FD|FS1|FS2;
            FmulD      fmul_d     0xfe00007f 0x12000053 RRm    D  FD|FS1|FS2;
            FdivD      fdiv_d     0xfe00007f 0x1a000053 RRm    D  FD|FS1|FS2;
            FsqrtD     fsqrt_d    0xfff0007f 0x5a000053 R1Rm   D  FD|FS1;
            FsgnjD     fsgnj_d    0xfe00707f 0x22000053 R      D  FD|FS1|FS2;
            FsgnjnD    fsgnjn_d   0xfe00707f 0x22001053 R      D  FD|FS1|FS2;
            FsgnjxD    fsgnjx_d   0xfe00707f 0x22002053 R      D  FD|FS1|FS2;
            FminD      fmin_d     0xfe00707f 0x2a000053 R      D  FD|FS1|FS2;
            FmaxD      fmax_d     0xfe00707f 0x2a001053 R      D  FD|FS1|FS2;
            FcvtSD     fcvt_s_d   0xfff0007f 0x40100053 R1Rm   D  FD|FS1;
            FcvtDS     fcvt_d_s   0xfff0007f 0x42000053 R1Rm   D  FD|FS1;
            FeqD       feq_d      0xfe00707f 0xa2002053 R      D  FS1|FS2;
            FltD       flt_d      0xfe00707f 0xa2001053 R      D  FS1|FS2;
            FleD       fle_d      0xfe00707f 0xa2000053 R      D  FS1|FS2;
            FclassD    fclass_d   0xfff0707f 0xe2001053 R1     D  FS1;
            FcvtWD     fcvt_w_d   0xfff0007f 0xc2000053 R1Rm   D  FS1;
            FcvtWuD    fcvt_wu_d  0xfff0007f 0xc2100053 R1Rm   D  FS1;
            FcvtLD     fcvt_l_d   0xfff0007f 0xc2200053 R1Rm   D  FS1;
            FcvtLuD    fcvt_lu_d  0xfff0007f 0xc2300053 R1Rm   D  FS1;
            FmvXD      fmv_x_d    0xfff0707f 0xe2000053 R1     D  FS1;
            FcvtDW     fcvt_d_w   0xfff0007f 0xd2000053 R1Rm   D  FD;
            FcvtDWu    fcvt_d_wu  0xfff0007f 0xd2100053 R1Rm   D  FD;
            FcvtDL     fcvt_d_l   0xfff0007f 0xd2200053 R1Rm   D  FD;
            FcvtDLu    fcvt_d_lu  0xfff0007f 0xd2300053 R1Rm   D  FD;
            FmvDX      fmv_d_x    0xfff0707f 0xf2000053 R1     D  FD;
            // ---- Zfhmin -------------------------------------------------------------------
            Flh        flh        0x0000707f 0x00001007 Load   Zfhmin LOAD|FD;
            Fsh        fsh        0x0000707f 0x00001027 S      Zfhmin STORE|FS2;
            FcvtSH     fcvt_s_h   0xfff0007f 0x40200053 R1Rm   Zfhmin FD|FS1;
            FcvtHS     fcvt_h_s   0xfff0007f 0x44000053 R1Rm   Zfhmin FD|FS1;
            FcvtDH     fcvt_d_h   0xfff0007f 0x42200053 R1Rm   Zfhmin FD|FS1;
            FcvtHD     fcvt_h_d   0xfff0007f 0x44100053 R1Rm   Zfhmin FD|FS1;
            FmvXH      fmv_x_h    0xfff0707f 0xe4000053 R1     Zfhmin FS1;
            FmvHX      fmv_h_x    0xfff0707f 0xf4000053 R1     Zfhmin FD;
            // ---- Zfh -----------------------------------------------------------------------
            FmaddH     fmadd_h    0x0600007f 0x04000043 R4     Zfh FD|FS1|FS2|FS3;
            FmsubH     fmsub_h    0x0600007f 0x04000047 R4     Zfh FD|FS1|FS2|FS3;
            FnmsubH    fnmsub_h   0x0600007f 0x0400004b R4     Zfh FD|FS1|FS2|FS3;
            FnmaddH    fnmadd_h   0x0600007f 0x0400004f R4     Zfh FD|FS1|FS2|FS3;
            FaddH      fadd_h     0xfe00007f 0x04000053 RRm    Zfh FD|FS1|FS2;
            FsubH      fsub_h     0xfe00007f 0x0c000053 RRm    Zfh FD|FS1|FS2;
            FmulH      fmul_h     0xfe00007f 0x14000053 RRm    Zfh FD|FS1|FS2;
            FdivH      fdiv_h     0xfe00007f 0x1c000053 RRm    Zfh FD|FS1|FS2;
            FsqrtH     fsqrt_h    0xfff0007f 0x5c000053 R1Rm   Zfh FD|FS1;
            FsgnjH     fsgnj_h    0xfe00707f 0x24000053 R      Zfh FD|FS1|FS2;
            FsgnjnH    fsgnjn_h   0xfe00707f 0x24001053 R      Zfh FD|FS1|FS2;
            FsgnjxH    fsgnjx_h   0xfe00707f 0x24002053 R      Zfh FD|FS1|FS2;
            FminH      fmin_h     0xfe00707f 0x2c000053 R      Zfh FD|FS1|FS2;
            FmaxH      fmax_h     0xfe00707f 0x2c001053 R      Zfh FD|FS1|FS2;
            FeqH       feq_h      0xfe00707f 0xa4002053 R      Zfh FS1|FS2;
            FltH       flt_h      0xfe00707f 0xa4001053 R      Zfh FS1|FS2;
            FleH       fle_h      0xfe00707f 0xa4000053 R      Zfh FS1|FS2;
            FclassH    fclass_h   0xfff0707f 0xe4001053 R1     Zfh FS1;
            FcvtWH     fcvt_w_h   0xfff0007f 0xc4000053 R1Rm   Zfh FS1;
            FcvtWuH    fcvt_wu_h  0xfff0007f 0xc4100053 R1Rm   Zfh FS1;
            FcvtLH     fcvt_l_h   0xfff0007f 0xc4200053 R1Rm   Zfh FS1;
            FcvtLuH    fcvt_lu_h  0xfff0007f 0xc4300053 R1Rm   Zfh FS1;
            FcvtHW     fcvt_h_w   0xfff0007f 0xd4000053 R1Rm   Zfh FD;
            FcvtHWu    fcvt_h_wu  0xfff0007f 0xd4100053 R1Rm   Zfh FD;
            FcvtHL     fcvt_h_l   0xfff0007f 0xd4200053 R1Rm   Zfh FD;
            FcvtHLu    fcvt_h_lu  0xfff0007f 0xd4300053 R1Rm   Zfh FD;
            // ---- Zfa (fli: the constant's index sits in the rs1 field; fmvh.x.d and
            // fmvp.d.x are RV32-only and stay illegal here) --------------------------------
            FliS       fli_s      0xfff0707f 0xf0100053 R1     Zfa FD;
            FliD       fli_d      0xfff0707f 0xf2100053 R1     Zfa FD;
            FliH       fli_h      0xfff0707f 0xf4100053 R1     Zfa FD;
            FminmS     fminm_s    0xfe00707f 0x28002053 R      Zfa FD|FS1|FS2;
            FmaxmS     fmaxm_s    0xfe00707f 0x28003053 R      Zfa FD|FS1|FS2;
            FminmD     fminm_d    0xfe00707f 0x2a002053 R      Zfa FD|FS1|FS2;
            FmaxmD     fmaxm_d    0xfe00707f 0x2a003053 R      Zfa FD|FS1|FS2;
            FminmH     fminm_h    0xfe00707f 0x2c002053 R      Zfa FD|FS1|FS2;
            FmaxmH     fmaxm_h    0xfe00707f 0x2c003053 R      Zfa FD|FS1|FS2;
            FroundS    fround_s   0xfff0007f 0x40400053 R1Rm   Zfa FD|FS1;
            FroundnxS  froundnx_s 0xfff0007f 0x40500053 R1Rm   Zfa FD|FS1;
            FroundD    fround_d   0xfff0007f 0x42400053 R1Rm   Zfa FD|FS1;
            FroundnxD  froundnx_d 0xfff0007f 0x42500053 R1Rm   Zfa FD|FS1;
            FroundH    fround_h   0xfff0007f 0x44400053 R1Rm   Zfa FD|FS1;
            FroundnxH  froundnx_h 0xfff0007f 0x44500053 R1Rm   Zfa FD|FS1;
            FcvtmodWD  fcvtmod_w_d 0xfff0707f 0xc2801053 R1Rm  Zfa FS1;
            FleqS      fleq_s     0xfe00707f 0xa0004053 R      Zfa FS1|FS2;
            FltqS      fltq_s     0xfe00707f 0xa0005053 R      Zfa FS1|FS2;
            FleqD      fleq_d     0xfe00707f 0xa2004053 R      Zfa FS1|FS2;
            FltqD      fltq_d     0xfe00707f 0xa2005053 R      Zfa FS1|FS2;
            FleqH      fleq_h     0xfe00707f 0xa4004053 R      Zfa FS1|FS2;
            FltqH      fltq_h     0xfe00707f 0xa4005053 R      Zfa FS1|FS2;
            // ---- Zba ------------------------------------------------------------------------
            AddUw      add_uw     0xfe00707f 0x0800003b R      Zba NONE;
            Sh1add     sh1add     0xfe00707f 0x20002033 R      Zba NONE;
            Sh2add     sh2add     0xfe00707f 0x20004033 R      Zba NONE;
            Sh3add     sh3add     0xfe00707f 0x20006033 R      Zba NONE;
            Sh1addUw   sh1add_uw  0xfe00707f 0x2000203b R      Zba NONE;
            Sh2addUw   sh2add_uw  0xfe00707f 0x2000403b R      Zba NONE;
            Sh3addUw   sh3add_uw  0xfe00707f 0x2000603b R      Zba NONE;
            SlliUw     slli_uw    0xfc00707f 0x0800101b Shift  Zba NONE;
            // ---- Zbb (andn/orn/xnor, rotates and rev8 are also Zbkb) -----------------------
            Andn       andn       0xfe00707f 0x40007033 R      Zbb NONE;
            Orn        orn        0xfe00707f 0x40006033 R      Zbb NONE;
            Xnor       xnor       0xfe00707f 0x40004033 R      Zbb NONE;
            Clz        clz        0xfff0707f 0x60001013 R1     Zbb NONE;
            Clzw       clzw       0xfff0707f 0x6000101b R1     Zbb NONE;
            Ctz        ctz        0xfff0707f 0x60101013 R1     Zbb NONE;
            Ctzw       ctzw       0xfff0707f 0x6010101b R1     Zbb NONE;
            Cpop       cpop       0xfff0707f 0x60201013 R1     Zbb NONE;
            Cpopw      cpopw      0xfff0707f 0x6020101b R1     Zbb NONE;
            Max        max        0xfe00707f 0x0a006033 R      Zbb NONE;
            Maxu       maxu       0xfe00707f 0x0a007033 R      Zbb NONE;
            Min        min        0xfe00707f 0x0a004033 R      Zbb NONE;
            Minu       minu       0xfe00707f 0x0a005033 R      Zbb NONE;
            SextB      sext_b     0xfff0707f 0x60401013 R1     Zbb NONE;
            SextH      sext_h     0xfff0707f 0x60501013 R1     Zbb NONE;
            Rol        rol        0xfe00707f 0x60001033 R      Zbb NONE;
            Rolw       rolw       0xfe00707f 0x6000103b R      Zbb NONE;
            Ror        ror        0xfe00707f 0x60005033 R      Zbb NONE;
            Rori       rori       0xfc00707f 0x60005013 Shift  Zbb NONE;
            Roriw      roriw      0xfe00707f 0x6000501b ShiftW Zbb NONE;
            Rorw       rorw       0xfe00707f 0x6000503b R      Zbb NONE;
            OrcB       orc_b      0xfff0707f 0x28705013 R1     Zbb NONE;
            Rev8       rev8       0xfff0707f 0x6b805013 R1     Zbb NONE;
            // ---- Zbs -----------------------------------------------------------------------
            Bclr       bclr       0xfe00707f 0x48001033 R      Zbs NONE;
            Bclri      bclri      0xfc00707f 0x48001013 Shift  Zbs NONE;
            Bext       bext       0xfe00707f 0x48005033 R      Zbs NONE;
            Bexti      bexti      0xfc00707f 0x48005013 Shift  Zbs NONE;
            Binv       binv       0xfe00707f 0x68001033 R      Zbs NONE;
            Binvi      binvi      0xfc00707f 0x68001013 Shift  Zbs NONE;
            Bset       bset       0xfe00707f 0x28001033 R      Zbs NONE;
            Bseti      bseti      0xfc00707f 0x28001013 Shift  Zbs NONE;
            // ---- Zbc (clmul and clmulh are also Zbkc) --------------------------------------
            Clmul      clmul      0xfe00707f 0x0a001033 R      Zbc NONE;
            Clmulh     clmulh     0xfe00707f 0x0a003033 R      Zbc NONE;
            Clmulr     clmulr     0xfe00707f 0x0a002033 R      Zbc NONE;
            // ---- Zicond --------------------------------------------------------------------
            CzeroEqz   czero_eqz  0xfe00707f 0x0e005033 R      Zicond NONE;
            CzeroNez   czero_nez  0xfe00707f 0x0e007033 R      Zicond NONE;
            // ---- Zbkb (RV64's Zbb zext.h is the packw encoding with rs2 = x0) --------------
            Pack       pack       0xfe00707f 0x08004033 R      Zbkb NONE;
            Packh      packh      0xfe00707f 0x08007033 R      Zbkb NONE;
            Packw      packw      0xfe00707f 0x0800403b R      Zbkb NONE;
            Brev8      brev8      0xfff0707f 0x68705013 R1     Zbkb NONE;
            // ---- Zbkx ----------------------------------------------------------------------
            Xperm4     xperm4     0xfe00707f 0x28002033 R      Zbkx NONE;
            Xperm8     xperm8     0xfe00707f 0x28004033 R      Zbkx NONE;
            // ---- Zicbom, Zicboz (Zicbop's prefetches are `ori` hints) ----------------------
            CboClean   cbo_clean  0xfff07fff 0x0010200f Cbo    Zicbom LOAD;
            CboFlush   cbo_flush  0xfff07fff 0x0020200f Cbo    Zicbom LOAD;
            CboInval   cbo_inval  0xfff07fff 0x0000200f Cbo    Zicbom LOAD;
            CboZero    cbo_zero   0xfff07fff 0x0040200f Cbo    Zicboz STORE;
            // ---- Zimop (one row per form: mop.r.0..31 and mop.rr.0..7) --------------------
            MopR       mop_r      0xb3c0707f 0x81c04073 R1     Zimop NONE;
            MopRr      mop_rr     0xb200707f 0x82004073 R      Zimop NONE;
            // ---- Zawrs ---------------------------------------------------------------------
            WrsNto     wrs_nto    0xffffffff 0x00d00073 None   Zawrs NONE;
            WrsSto     wrs_sto    0xffffffff 0x01d00073 None   Zawrs NONE;
        }
    };
}
