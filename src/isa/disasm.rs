//! Disassembly: instruction words to text in the syntax of GNU objdump 2.40's default
//! output (`objdump -d`, aliases on), so `-d in_asm` logs and fuzzer reports can be
//! diffed against objdump. `tests/disasm.rs` holds the two to the same text.
//!
//! What objdump prints is the first row of binutils' opcode table that matches, and
//! that table lists aliases first. So: compressed instructions print as their base
//! equivalents (`c.addi sp,sp,-16` is `add sp,sp,-16`), 2.40 prints the immediate
//! forms of `addi`/`andi`/`ori`/`xori`/`addiw` and the base shifts under the register
//! mnemonic (`add a0,a0,1`, `sll a0,a0,0x3`), and the usual pseudo-instructions
//! (`li`, `mv`, `ret`, `beqz`, `frflags`, `fmv.d`, ...) replace their expansions. Branch
//! and jump targets are absolute addresses (objdump adds a `<symbol+offset>` that needs a
//! symbol table; that part is not reproduced).
//!
//! Everything not named here prints from the row's [`Format`] and [`Flags`], so new
//! table rows disassemble without changes to this file.

use super::{csr, decode, Flags, Format, Insn, Opcode};

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

/// Static rounding modes by `rm` field; 5 and 6 are reserved.
const RM: [&str; 8] = [
    "rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn",
];

/// Renders the instruction whose first bytes are `word` (little-endian, as for
/// [`decode`]) and that sits at address `pc`: the mnemonic, then a tab and the operands
/// if there are any. Never fails; words that are not instructions print as objdump's
/// `.2byte`/`.4byte` directives.
pub fn disasm(word: u32, pc: u64) -> String {
    let i = decode(word);
    let word = if i.len == 2 { word & 0xffff } else { word };
    let (m, ops) = render(&i, word, pc);
    if ops.is_empty() {
        m.into_owned()
    } else {
        format!("{m}\t{ops}")
    }
}

type Text = std::borrow::Cow<'static, str>;

fn x(n: u8) -> &'static str {
    XNAMES[n as usize & 31]
}

/// The mnemonic and operand text of `i` (decoded from `word`).
fn render(i: &Insn, word: u32, pc: u64) -> (Text, String) {
    use Opcode::*;
    let f = i.op.flags();
    let reg = |n: u8, fp: Flags| {
        if f.contains(fp) {
            FNAMES[n as usize & 31]
        } else {
            x(n)
        }
    };
    let (rd, rs1, rs2, rs3) = (
        reg(i.rd, Flags::FD),
        reg(i.rs1, Flags::FS1),
        reg(i.rs2, Flags::FS2),
        reg(i.rs3, Flags::FS3),
    );
    let imm = i.imm;
    let target = format!("{:x}", pc.wrapping_add(imm as i64 as u64));
    let named = |m: &'static str, ops: String| (Text::Borrowed(m), ops);

    if i.len == 2 {
        if word & 0xf8ff == 0x6081 {
            return (format!("c.mop.{}", word >> 7 & 15).into(), String::new());
        }
        if let Some(hint) = compressed_hint(word, i, rd) {
            return hint;
        }
    }

    // Aliases, in the order binutils' table tries them.
    match i.op {
        Illegal if word == 0 => return named("unimp", String::new()),
        Illegal if i.len == 2 => return named(".2byte", format!("{word:#x}")),
        Illegal => return named(".4byte", format!("{word:#x}")),
        Jal => {
            return match i.rd {
                0 => named("j", target),
                1 => named("jal", target),
                _ => named("jal", format!("{rd},{target}")),
            }
        }
        Jalr => {
            let m = match i.rd {
                0 if i.rs1 == 1 && imm == 0 => return named("ret", String::new()),
                0 => "jr",
                _ => "jalr",
            };
            let base = if imm == 0 {
                rs1.to_string()
            } else {
                format!("{imm}({rs1})")
            };
            return match i.rd {
                0 | 1 => named(m, base),
                _ => named(m, format!("{rd},{base}")),
            };
        }
        Beq | Bne if i.rs2 == 0 => {
            let m = if i.op == Beq { "beqz" } else { "bnez" };
            return named(m, format!("{rs1},{target}"));
        }
        Bge if i.rs1 == 0 => return named("blez", format!("{rs2},{target}")),
        Bge if i.rs2 == 0 => return named("bgez", format!("{rs1},{target}")),
        Blt if i.rs2 == 0 => return named("bltz", format!("{rs1},{target}")),
        Blt if i.rs1 == 0 => return named("bgtz", format!("{rs2},{target}")),
        Addi if i.rd == 0 && i.rs1 == 0 && imm == 0 => return named("nop", String::new()),
        Addi if i.rs1 == 0 => return named("li", format!("{rd},{imm}")),
        Addi if imm == 0 => return named("mv", format!("{rd},{rs1}")),
        Addiw if imm == 0 => return named("sext.w", format!("{rd},{rs1}")),
        Xori if imm == -1 => return named("not", format!("{rd},{rs1}")),
        Andi if imm == 255 => return named("zext.b", format!("{rd},{rs1}")),
        Sltiu if imm == 1 => return named("seqz", format!("{rd},{rs1}")),
        Sub if i.rs1 == 0 => return named("neg", format!("{rd},{rs2}")),
        Subw if i.rs1 == 0 => return named("negw", format!("{rd},{rs2}")),
        Sltu if i.rs1 == 0 => return named("snez", format!("{rd},{rs2}")),
        Slt if i.rs2 == 0 => return named("sltz", format!("{rd},{rs1}")),
        Slt if i.rs1 == 0 => return named("sgtz", format!("{rd},{rs2}")),
        // Only `c.mv` expands to `add rd, x0, rs2`; a 32-bit word spelling that prints as `add`.
        Add if i.len == 2 && i.rs1 == 0 => return named("mv", format!("{rd},{rs2}")),
        AddUw if i.rs2 == 0 => return named("zext.w", format!("{rd},{rs1}")),
        Packw if i.rs2 == 0 => return named("zext.h", format!("{rd},{rs1}")),
        // One row per may-be-operation form; the number is spread over the word.
        MopR => {
            let n = (word >> 30 & 1) << 4 | (word >> 26 & 3) << 2 | (word >> 20 & 3);
            return (format!("mop.r.{n}").into(), format!("{rd},{rs1}"));
        }
        MopRr => {
            let n = (word >> 30 & 1) << 2 | (word >> 26 & 3);
            return (format!("mop.rr.{n}").into(), format!("{rd},{rs1},{rs2}"));
        }
        // Newer binutils print the constant: `min`, `inf`, `nan` or C's `%a` form.
        FliS | FliD | FliH => {
            let value = match i.rs1 {
                1 => "min".to_string(),
                30 => "inf".to_string(),
                31 => "nan".to_string(),
                k => hex_float(super::FLI[k as usize]),
            };
            return (i.op.mnemonic().into(), format!("{rd},{value}"));
        }
        // binutils' canonical trapping word, `csrw cycle, zero`.
        Csrrw if word == 0xc000_1073 => return named("unimp", String::new()),
        _ => {}
    }

    // Otherwise the table's mnemonic, but for the renames 2.40 makes.
    let base = i.op.mnemonic();
    let unary = match i.op.format() {
        Format::R if i.rs1 == i.rs2 => sign_injection_alias(&base),
        _ => None,
    };
    let m: Text = match i.op {
        Addi => "add".into(),
        Addiw => "addw".into(),
        Xori => "xor".into(),
        Ori => "or".into(),
        Andi => "and".into(),
        // Every shift-immediate (`slli`, `roriw`, `bseti`, ...) prints under its
        // register-form mnemonic; `slli.uw` has none.
        _ if matches!(i.op.format(), Format::Shift | Format::ShiftW) => {
            if let Some(head) = base.strip_suffix('i') {
                head.to_string().into()
            } else if let Some(head) = base.strip_suffix("iw") {
                format!("{head}w").into()
            } else {
                base.clone().into()
            }
        }
        _ if matches!(i.op.format(), Format::Amo | Format::Lr) => {
            format!("{base}{}", aq_rl(word)).into()
        }
        _ => unary.clone().unwrap_or_else(|| base.clone()).into(),
    };
    let ops = match i.op.format() {
        Format::R if unary.is_some() => format!("{rd},{rs1}"),
        Format::R => format!("{rd},{rs1},{rs2}"),
        Format::RRm => format!("{rd},{rs1},{rs2}{}", rounding(i, &base)),
        Format::R1 => format!("{rd},{rs1}"),
        Format::R1Rm => format!("{rd},{rs1}{}", rounding(i, &base)),
        Format::R4 => format!("{rd},{rs1},{rs2},{rs3}{}", rounding(i, &base)),
        Format::I => format!("{rd},{rs1},{imm}"),
        Format::Shift | Format::ShiftW => format!("{rd},{rs1},{imm:#x}"),
        Format::Load => format!("{rd},{imm}({rs1})"),
        Format::S => format!("{rs2},{imm}({rs1})"),
        Format::B => format!("{rs1},{rs2},{target}"),
        Format::U => format!("{rd},{:#x}", (imm as u32) >> 12),
        Format::J => format!("{rd},{target}"),
        Format::Amo => format!("{rd},{rs2},({rs1})"),
        Format::Lr => format!("{rd},({rs1})"),
        Format::Cbo => format!("({rs1})"),
        Format::Csr | Format::CsrI => return csr_op(i),
        Format::Fence => return fence(word),
        Format::None => String::new(),
    };
    (m, ops)
}

/// RVC HINTs (encodings with `rd` = `zero` or a zero shift amount or immediate), which
/// binutils prints under their own `c.` names (or, for `c.addi rd, 0`, as `add`).
fn compressed_hint(w: u32, i: &Insn, rd: &str) -> Option<(Text, String)> {
    use Opcode::*;
    let (quadrant, funct3) = (w & 3, (w >> 13) & 7);
    let imm = i.imm;
    let named = |m: &'static str, ops: String| Some((Text::Borrowed(m), ops));
    match (quadrant, funct3, i.op) {
        (1, 0, Addi) if i.rd == 0 && imm != 0 => named("c.nop", imm.to_string()),
        (1, 0, Addi) if i.rd != 0 && imm == 0 => named("add", format!("{rd},{rd},0")),
        (1, 2, Addi) if i.rd == 0 => named("c.li", format!("zero,{imm}")),
        (1, 3, Lui) if i.rd == 0 => named("c.lui", format!("zero,{:#x}", (imm as u32) >> 12)),
        (1, 4, Srli) if imm == 0 => named("c.srli64", rd.into()),
        (1, 4, Srai) if imm == 0 => named("c.srai64", rd.into()),
        (2, 0, Slli) if imm == 0 => named("c.slli64", rd.into()),
        (2, 0, Slli) if i.rd == 0 => named("c.slli", format!("zero,{imm:#x}")),
        (2, 4, Add) if i.rd == 0 => {
            // `rs1` is `zero` for both; bit 12 tells `c.add` from `c.mv`.
            let m = if w & 0x1000 == 0 { "c.mv" } else { "c.add" };
            named(m, format!("zero,{}", x(i.rs2)))
        }
        _ => None,
    }
}

/// `fsgnj.X`, `fsgnjn.X`, `fsgnjx.X` with both sources equal are `fmv.X`, `fneg.X`,
/// `fabs.X` for every FP width.
fn sign_injection_alias(m: &str) -> Option<String> {
    let (head, width) = m.split_once('.')?;
    let alias = match head {
        "fsgnj" => "fmv",
        "fsgnjn" => "fneg",
        "fsgnjx" => "fabs",
        _ => return None,
    };
    Some(format!("{alias}.{width}"))
}

/// The `.aq`/`.rl`/`.aqrl` ordering suffix of an atomic (bits 26 and 25).
fn aq_rl(word: u32) -> &'static str {
    ["", ".rl", ".aq", ".aqrl"][(word >> 25) as usize & 3]
}

/// The `,rm` operand: objdump leaves out the dynamic mode, and leaves out `rne` on
/// conversions that cannot round (which binutils only accepts with `rm` = 0).
fn rounding(i: &Insn, mnemonic: &str) -> String {
    let shown = if exact_conversion(mnemonic) {
        i.rm != 0
    } else {
        i.rm != 7
    };
    if shown {
        format!(",{}", RM[i.rm as usize & 7])
    } else {
        String::new()
    }
}

/// Whether `fcvt.<to>.<from>` is exact for every input: widening between FP formats,
/// or an integer no wider than the destination's significand.
fn exact_conversion(m: &str) -> bool {
    let mut parts = m.split('.');
    let (Some("fcvt"), Some(to), Some(from)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    // Significand bits of the FP formats; bits of the integer ones.
    let fp = |t: &str| match t {
        "h" => Some(11),
        "s" => Some(24),
        "d" => Some(53),
        "q" => Some(113),
        _ => None,
    };
    let int = |t: &str| match t {
        "w" | "wu" => Some(32),
        "l" | "lu" => Some(64),
        _ => None,
    };
    match (fp(to), fp(from), int(from)) {
        (Some(t), Some(f), _) => f < t,
        (Some(t), _, Some(n)) => n <= t,
        _ => false,
    }
}

/// `fence` and its special forms.
fn fence(word: u32) -> (Text, String) {
    let (fm, pred, succ) = (word >> 28, (word >> 24) & 15, (word >> 20) & 15);
    let plain = word & 0x000f_ff80 == 0;
    if plain && fm == 8 && pred == 3 && succ == 3 {
        return ("fence.tso".into(), String::new());
    }
    if plain && fm == 0 && pred == 15 && succ == 15 {
        return ("fence".into(), String::new());
    }
    if word == 0x0100_000f {
        return ("pause".into(), String::new());
    }
    let set = |bits: u32| -> String {
        if bits == 0 {
            return "unknown".into();
        }
        "iorw"
            .chars()
            .enumerate()
            .filter(|&(k, _)| bits & (8 >> k) != 0)
            .map(|(_, c)| c)
            .collect()
    };
    ("fence".into(), format!("{},{}", set(pred), set(succ)))
}

/// The name objdump gives CSR `c` (binutils 2.40, privileged spec 1.12), or its number.
fn csr_name(c: u16) -> String {
    if let Some(n) = csr::name(c) {
        return n.into();
    }
    if let Ok(k) = CSR_NAMES.binary_search_by_key(&c, |&(n, _)| n) {
        return CSR_NAMES[k].1.into();
    }
    for &(first, lo, hi, prefix, suffix) in CSR_SERIES {
        if (first..=first + (hi - lo)).contains(&c) {
            return format!("{prefix}{}{suffix}", lo + (c - first));
        }
    }
    format!("{c:#x}")
}

/// Zicsr instructions and their pseudo-instructions (`csrr`, `frflags`, `rdcycle`, ...).
fn csr_op(i: &Insn) -> (Text, String) {
    use Opcode::*;
    let c = (i.imm & 0xfff) as u16;
    let name = csr_name(c);
    let (rd, rs1) = (x(i.rd), x(i.rs1));
    let uimm = i.rs1;
    let no_rd = i.rd == 0;
    let short = |m: &'static str, full: &'static str| -> &'static str {
        if no_rd {
            m
        } else {
            full
        }
    };
    let fp_csr = match c {
        csr::FFLAGS => Some(("flags", "fsflags", "fsflagsi")),
        csr::FRM => Some(("rm", "fsrm", "fsrmi")),
        csr::FCSR => Some(("csr", "fscsr", "")),
        _ => None,
    };
    let with_rd = |arg: String| {
        if no_rd {
            arg
        } else {
            format!("{rd},{arg}")
        }
    };
    let (m, ops): (String, String) = match i.op {
        Csrrs if i.rs1 == 0 => match (c, fp_csr) {
            (csr::CYCLE | csr::TIME | csr::INSTRET, _) => (format!("rd{name}"), rd.into()),
            (_, Some((suffix, ..))) => (format!("fr{suffix}"), rd.into()),
            _ => ("csrr".into(), format!("{rd},{name}")),
        },
        Csrrw => match fp_csr {
            Some((_, m, _)) => (m.into(), with_rd(rs1.into())),
            None => (short("csrw", "csrrw").into(), with_rd_csr(i, &name, rs1)),
        },
        // Unlike `fsflags`, binutils has no `fsflagsi`/`fsrmi` form without `rd`.
        Csrrwi => match fp_csr {
            Some((_, _, m)) if !m.is_empty() => (m.into(), format!("{rd},{uimm}")),
            _ => (
                short("csrw", "csrrw").into(),
                with_rd_csr(i, &name, &uimm.to_string()),
            ),
        },
        Csrrs => (short("csrs", "csrrs").into(), with_rd_csr(i, &name, rs1)),
        Csrrc => (short("csrc", "csrrc").into(), with_rd_csr(i, &name, rs1)),
        Csrrsi => (
            short("csrs", "csrrs").into(),
            with_rd_csr(i, &name, &uimm.to_string()),
        ),
        Csrrci => (
            short("csrc", "csrrc").into(),
            with_rd_csr(i, &name, &uimm.to_string()),
        ),
        // A CSR-format row this function does not know: the generic layout.
        _ => {
            let src = if i.op.format() == Format::CsrI {
                uimm.to_string()
            } else {
                rs1.to_string()
            };
            (i.op.mnemonic(), format!("{rd},{name},{src}"))
        }
    };
    (m.into(), ops)
}

/// `csr,src` when `rd` is `zero` (the `csrw`/`csrs`/`csrc` forms), else `rd,csr,src`.
fn with_rd_csr(i: &Insn, name: &str, src: &str) -> String {
    if i.rd == 0 {
        format!("{name},{src}")
    } else {
        format!("{},{name},{src}", x(i.rd))
    }
}

/// CSRs whose names end in a number: `(first CSR, first index, last index, prefix, suffix)`.
const CSR_SERIES: &[(u16, u16, u16, &str, &str)] = &[
    (0x10c, 0, 3, "sstateen", ""),
    (0x30c, 0, 3, "mstateen", ""),
    (0x31c, 0, 3, "mstateen", "h"),
    (0x323, 3, 31, "mhpmevent", ""),
    (0x3a0, 0, 15, "pmpcfg", ""),
    (0x3b0, 0, 63, "pmpaddr", ""),
    (0x60c, 0, 3, "hstateen", ""),
    (0x61c, 0, 3, "hstateen", "h"),
    (0x723, 3, 31, "mhpmevent", "h"),
    (0xb03, 3, 31, "mhpmcounter", ""),
    (0xb83, 3, 31, "mhpmcounter", "h"),
    (0xc03, 3, 31, "hpmcounter", ""),
    (0xc83, 3, 31, "hpmcounter", "h"),
];

/// The other named CSRs, sorted by number.
const CSR_NAMES: &[(u16, &str)] = &[
    (0x001, "fflags"),
    (0x002, "frm"),
    (0x003, "fcsr"),
    (0x008, "vstart"),
    (0x009, "vxsat"),
    (0x00a, "vxrm"),
    (0x00f, "vcsr"),
    (0x015, "seed"),
    (0x100, "sstatus"),
    (0x104, "sie"),
    (0x105, "stvec"),
    (0x106, "scounteren"),
    (0x10a, "senvcfg"),
    (0x114, "sieh"),
    (0x140, "sscratch"),
    (0x141, "sepc"),
    (0x142, "scause"),
    (0x143, "stval"),
    (0x144, "sip"),
    (0x14d, "stimecmp"),
    (0x150, "siselect"),
    (0x151, "sireg"),
    (0x154, "siph"),
    (0x15c, "stopei"),
    (0x15d, "stimecmph"),
    (0x180, "satp"),
    (0x200, "vsstatus"),
    (0x204, "vsie"),
    (0x205, "vstvec"),
    (0x214, "vsieh"),
    (0x240, "vsscratch"),
    (0x241, "vsepc"),
    (0x242, "vscause"),
    (0x243, "vstval"),
    (0x244, "vsip"),
    (0x24d, "vstimecmp"),
    (0x250, "vsiselect"),
    (0x251, "vsireg"),
    (0x254, "vsiph"),
    (0x25c, "vstopei"),
    (0x25d, "vstimecmph"),
    (0x280, "vsatp"),
    (0x300, "mstatus"),
    (0x301, "misa"),
    (0x302, "medeleg"),
    (0x303, "mideleg"),
    (0x304, "mie"),
    (0x305, "mtvec"),
    (0x306, "mcounteren"),
    (0x308, "mvien"),
    (0x309, "mvip"),
    (0x30a, "menvcfg"),
    (0x310, "mstatush"),
    (0x313, "midelegh"),
    (0x314, "mieh"),
    (0x318, "mvienh"),
    (0x319, "mviph"),
    (0x31a, "menvcfgh"),
    (0x320, "mcountinhibit"),
    (0x340, "mscratch"),
    (0x341, "mepc"),
    (0x342, "mcause"),
    (0x343, "mtval"),
    (0x344, "mip"),
    (0x34a, "mtinst"),
    (0x34b, "mtval2"),
    (0x350, "miselect"),
    (0x351, "mireg"),
    (0x354, "miph"),
    (0x35c, "mtopei"),
    (0x5a8, "scontext"),
    (0x600, "hstatus"),
    (0x602, "hedeleg"),
    (0x603, "hideleg"),
    (0x604, "hie"),
    (0x605, "htimedelta"),
    (0x606, "hcounteren"),
    (0x607, "hgeie"),
    (0x608, "hvien"),
    (0x609, "hvictl"),
    (0x60a, "henvcfg"),
    (0x613, "hidelegh"),
    (0x615, "htimedeltah"),
    (0x618, "hvienh"),
    (0x61a, "henvcfgh"),
    (0x643, "htval"),
    (0x644, "hip"),
    (0x645, "hvip"),
    (0x646, "hviprio1"),
    (0x647, "hviprio2"),
    (0x64a, "htinst"),
    (0x655, "hviph"),
    (0x656, "hviprio1h"),
    (0x657, "hviprio2h"),
    (0x680, "hgatp"),
    (0x6a8, "hcontext"),
    (0x747, "mseccfg"),
    (0x757, "mseccfgh"),
    (0x7a0, "tselect"),
    (0x7a1, "tdata1"),
    (0x7a2, "tdata2"),
    (0x7a3, "tdata3"),
    (0x7a4, "tinfo"),
    (0x7a5, "tcontrol"),
    (0x7a8, "mcontext"),
    (0x7aa, "mscontext"),
    (0x7b0, "dcsr"),
    (0x7b1, "dpc"),
    (0x7b2, "dscratch0"),
    (0x7b3, "dscratch1"),
    (0xb00, "mcycle"),
    (0xb02, "minstret"),
    (0xb80, "mcycleh"),
    (0xb82, "minstreth"),
    (0xc00, "cycle"),
    (0xc01, "time"),
    (0xc02, "instret"),
    (0xc20, "vl"),
    (0xc21, "vtype"),
    (0xc22, "vlenb"),
    (0xc80, "cycleh"),
    (0xc81, "timeh"),
    (0xc82, "instreth"),
    (0xda0, "scountovf"),
    (0xdb0, "stopi"),
    (0xe12, "hgeip"),
    (0xeb0, "vstopi"),
    (0xf11, "mvendorid"),
    (0xf12, "marchid"),
    (0xf13, "mimpid"),
    (0xf14, "mhartid"),
    (0xf15, "mconfigptr"),
    (0xfb0, "mtopi"),
];

/// A finite, non-zero `v` as C's `%a` prints it: `0x1.4p-2`, `-0x1p+0`.
fn hex_float(v: f64) -> String {
    let bits = v.to_bits();
    let sign = if v < 0.0 { "-" } else { "" };
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let frac = format!("{:013x}", bits & ((1 << 52) - 1));
    let frac = frac.trim_end_matches('0');
    let dot = if frac.is_empty() { "" } else { "." };
    format!("{sign}0x1{dot}{frac}p{exp:+}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fli_constants_print_as_binutils_does() {
        // fli.s fa0, k: 0xf0100553 | k << 15
        let fli = |k: u32| disasm(0xf010_0553 | k << 15, 0);
        assert_eq!(fli(0), "fli.s\tfa0,-0x1p+0");
        assert_eq!(fli(1), "fli.s\tfa0,min");
        assert_eq!(fli(2), "fli.s\tfa0,0x1p-16");
        assert_eq!(fli(9), "fli.s\tfa0,0x1.4p-2");
        assert_eq!(fli(29), "fli.s\tfa0,0x1p+16");
        assert_eq!(fli(30), "fli.s\tfa0,inf");
        assert_eq!(fli(31), "fli.s\tfa0,nan");
    }
}
