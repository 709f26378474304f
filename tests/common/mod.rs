//! Shared by the integration tests that build guest programs by hand: a minimal static
//! riscv64 ELF writer ([`elf`], [`tiny_elf`]), RISC-V instruction encoders ([`rv`] for
//! 32-bit words, [`rvc`] for compressed halfwords), a temp-file helper, and
//! [`cross_gcc`] for the tests that compile C guests themselves.
//!
//! The encoders are written from the ISA manual's field layouts, independently of
//! MVVM's table, so that a program built here checks the decoder rather than echoing it.

// Each test crate uses a different subset.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the first (code) segment is mapped; the ELF and program headers come first.
pub const TEXT_VADDR: u64 = 0x10000;
const EHDR: u64 = 64;
const PHDR: u64 = 56;
const PAGE: u64 = 0x1000;

/// The address of the first code byte of an [`elf`] with `phnum` program headers.
pub const fn entry(phnum: u64) -> u64 {
    TEXT_VADDR + EHDR + PHDR * phnum
}

/// Builds a static riscv64 ET_EXEC. Segment 0 (RWX) maps the file from offset 0 at
/// [`TEXT_VADDR`]: headers, then `text` (the entry point, see [`entry`]), then the
/// interpreter path if any. `data`, if given, is a second RW segment `(vaddr, bytes)`
/// at a page-aligned file offset (`vaddr` must be page-aligned and above the text).
/// A PT_INTERP header naming `interp` comes last.
pub fn elf(text: &[u8], data: Option<(u64, &[u8])>, interp: Option<&str>) -> Vec<u8> {
    let phnum = 1 + data.is_some() as u64 + interp.is_some() as u64;
    let code_off = EHDR + PHDR * phnum;
    let interp_bytes = interp
        .map(|s| [s.as_bytes(), &[0]].concat())
        .unwrap_or_default();
    let text_end = code_off + text.len() as u64 + interp_bytes.len() as u64;
    let data_off = text_end.div_ceil(PAGE) * PAGE;

    let mut e = Vec::new();
    e.extend_from_slice(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    e.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    e.extend_from_slice(&243u16.to_le_bytes()); // EM_RISCV
    e.extend_from_slice(&1u32.to_le_bytes());
    e.extend_from_slice(&(TEXT_VADDR + code_off).to_le_bytes()); // entry
    e.extend_from_slice(&EHDR.to_le_bytes()); // phoff
    e.extend_from_slice(&0u64.to_le_bytes()); // shoff
    e.extend_from_slice(&0u32.to_le_bytes()); // flags
    e.extend_from_slice(&[64, 0, 56, 0]);
    e.extend_from_slice(&(phnum as u16).to_le_bytes());
    e.extend_from_slice(&[64, 0, 0, 0, 0, 0]);
    let mut ph = |typ: u32, flags: u32, off: u64, vaddr: u64, size: u64| {
        e.extend_from_slice(&typ.to_le_bytes());
        e.extend_from_slice(&flags.to_le_bytes());
        for v in [off, vaddr, vaddr, size, size, PAGE] {
            e.extend_from_slice(&v.to_le_bytes());
        }
    };
    ph(1, 7, 0, TEXT_VADDR, text_end); // PT_LOAD, RWX
    if let Some((vaddr, bytes)) = data {
        assert!(
            vaddr % PAGE == 0 && vaddr >= TEXT_VADDR + text_end,
            "data segment"
        );
        ph(1, 6, data_off, vaddr, bytes.len() as u64); // PT_LOAD, RW
    }
    if interp.is_some() {
        let off = code_off + text.len() as u64;
        ph(3, 4, off, TEXT_VADDR + off, interp_bytes.len() as u64); // PT_INTERP
    }
    e.extend_from_slice(text);
    e.extend_from_slice(&interp_bytes);
    if let Some((_, bytes)) = data {
        e.resize(data_off as usize, 0);
        e.extend_from_slice(bytes);
    }
    e
}

/// A one-segment program of 32-bit instruction words (and an optional PT_INTERP).
pub fn tiny_elf(code: &[u32], interp: Option<&str>) -> Vec<u8> {
    let text: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    elf(&text, None, interp)
}

/// Writes `bytes` to `<temp>/<dir>-<pid>/<name>` and returns the path.
pub fn temp_file(dir: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{dir}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Compiles the C file `source` (relative to the repository) with Debian's riscv64
/// cross compiler and `flags` into `build/<dir>/<name>`; returns the output path.
pub fn cross_gcc(dir: &str, name: &str, flags: &[&str], source: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("build").join(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let elf = dir.join(name);
    let out = Command::new("riscv64-linux-gnu-gcc")
        .args(flags)
        .arg("-o")
        .arg(&elf)
        .arg(root.join(source))
        .output()
        .expect("riscv64-linux-gnu-gcc (make setup installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    elf
}

/// 32-bit instruction encoders: the six base formats plus the instructions the test
/// harnesses emit themselves. Registers are plain numbers; immediates are truncated to
/// their field (callers keep them in range).
pub mod rv {
    pub const fn r(opcode: u32, f3: u32, f7: u32, rd: u32, rs1: u32, rs2: u32) -> u32 {
        f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opcode
    }
    pub const fn i(opcode: u32, f3: u32, rd: u32, rs1: u32, imm: i32) -> u32 {
        (imm as u32 & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opcode
    }
    pub const fn s(opcode: u32, f3: u32, rs1: u32, rs2: u32, imm: i32) -> u32 {
        let imm = imm as u32;
        (imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 0x1f) << 7 | opcode
    }
    /// Conditional branch to `pc + offset` (even, within ±4 KiB).
    pub const fn b(f3: u32, rs1: u32, rs2: u32, offset: i32) -> u32 {
        let o = offset as u32;
        (o >> 12 & 1) << 31
            | (o >> 5 & 0x3f) << 25
            | rs2 << 20
            | rs1 << 15
            | f3 << 12
            | (o >> 1 & 0xf) << 8
            | (o >> 11 & 1) << 7
            | 0x63
    }
    pub const fn u(opcode: u32, rd: u32, imm20: u32) -> u32 {
        (imm20 & 0xfffff) << 12 | rd << 7 | opcode
    }
    /// `jal rd, pc + offset` (even, within ±1 MiB).
    pub const fn j(rd: u32, offset: i32) -> u32 {
        let o = offset as u32;
        (o >> 20 & 1) << 31
            | (o >> 1 & 0x3ff) << 21
            | (o >> 11 & 1) << 20
            | (o >> 12 & 0xff) << 12
            | rd << 7
            | 0x6f
    }

    pub const fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
        i(0x13, 0, rd, rs1, imm)
    }
    pub const fn lui(rd: u32, imm20: u32) -> u32 {
        u(0x37, rd, imm20)
    }
    pub const fn ld(rd: u32, rs1: u32, imm: i32) -> u32 {
        i(0x03, 3, rd, rs1, imm)
    }
    pub const fn sd(rs2: u32, rs1: u32, imm: i32) -> u32 {
        s(0x23, 3, rs1, rs2, imm)
    }
    pub const fn fld(rd: u32, rs1: u32, imm: i32) -> u32 {
        i(0x07, 3, rd, rs1, imm)
    }
    pub const fn fsd(rs2: u32, rs1: u32, imm: i32) -> u32 {
        s(0x27, 3, rs1, rs2, imm)
    }
    pub const fn add(rd: u32, rs1: u32, rs2: u32) -> u32 {
        r(0x33, 0, 0, rd, rs1, rs2)
    }
    pub const fn xor(rd: u32, rs1: u32, rs2: u32) -> u32 {
        r(0x33, 4, 0, rd, rs1, rs2)
    }
    pub const fn or(rd: u32, rs1: u32, rs2: u32) -> u32 {
        r(0x33, 6, 0, rd, rs1, rs2)
    }
    pub const fn slli(rd: u32, rs1: u32, shamt: u32) -> u32 {
        i(0x13, 1, rd, rs1, (shamt & 63) as i32)
    }
    pub const fn srli(rd: u32, rs1: u32, shamt: u32) -> u32 {
        i(0x13, 5, rd, rs1, (shamt & 63) as i32)
    }
    pub const fn bne(rs1: u32, rs2: u32, offset: i32) -> u32 {
        b(1, rs1, rs2, offset)
    }
    /// `csrrw rd, csr, rs1`
    pub const fn csrrw(rd: u32, csr: u32, rs1: u32) -> u32 {
        i(0x73, 1, rd, rs1, csr as i32)
    }
    /// `csrrs rd, csr, rs1`
    pub const fn csrrs(rd: u32, csr: u32, rs1: u32) -> u32 {
        i(0x73, 2, rd, rs1, csr as i32)
    }
    pub const FCSR: u32 = 0x003;
    pub const ECALL: u32 = 0x73;
    /// `li a7, nr; ecall`
    pub fn syscall(nr: i32) -> [u32; 2] {
        [addi(17, 0, nr), ECALL]
    }
    /// `rd = value` for `value` in the signed 32-bit range (`lui` + `addiw`).
    pub fn li32(rd: u32, value: i32) -> [u32; 2] {
        let lo = value << 20 >> 20;
        let hi = (value.wrapping_sub(lo) as u32) >> 12;
        [lui(rd, hi), i(0x1b, 0, rd, rd, lo)]
    }
}

/// RVC (RV64C) encoders. `r'` operands are full register numbers in x8..x15 / f8..f15;
/// immediates must be in range and suitably aligned for the instruction.
pub mod rvc {
    fn c3(r: u32) -> u32 {
        debug_assert!((8..16).contains(&r), "compressed register x{r}");
        r - 8
    }
    fn bit(v: u32, n: u32, to: u32) -> u32 {
        (v >> n & 1) << to
    }
    fn bits(v: u32, hi: u32, lo: u32, to: u32) -> u32 {
        (v >> lo & ((1 << (hi - lo + 1)) - 1)) << to
    }

    /// `c.addi4spn rd', sp, uimm` (uimm: 4..=1020, multiple of 4)
    pub fn addi4spn(rd: u32, uimm: u32) -> u16 {
        let imm = bits(uimm, 5, 4, 11) | bits(uimm, 9, 6, 7) | bit(uimm, 2, 6) | bit(uimm, 3, 5);
        (imm | c3(rd) << 2) as u16
    }
    /// CL/CS word offset layout: uimm[5:3] -> 12:10, uimm[2] -> 6, uimm[6] -> 5.
    fn clw(uimm: u32) -> u32 {
        bits(uimm, 5, 3, 10) | bit(uimm, 2, 6) | bit(uimm, 6, 5)
    }
    /// CL/CS doubleword offset layout: uimm[5:3] -> 12:10, uimm[7:6] -> 6:5.
    fn cld(uimm: u32) -> u32 {
        bits(uimm, 5, 3, 10) | bits(uimm, 7, 6, 5)
    }
    fn cl(f3: u32, imm: u32, r: u32, base: u32) -> u16 {
        (f3 << 13 | imm | c3(base) << 7 | c3(r) << 2) as u16
    }
    pub fn fld(rd: u32, base: u32, uimm: u32) -> u16 {
        cl(1, cld(uimm), rd, base)
    }
    pub fn lw(rd: u32, base: u32, uimm: u32) -> u16 {
        cl(2, clw(uimm), rd, base)
    }
    pub fn ld(rd: u32, base: u32, uimm: u32) -> u16 {
        cl(3, cld(uimm), rd, base)
    }
    pub fn fsd(rs2: u32, base: u32, uimm: u32) -> u16 {
        cl(5, cld(uimm), rs2, base)
    }
    pub fn sw(rs2: u32, base: u32, uimm: u32) -> u16 {
        cl(6, clw(uimm), rs2, base)
    }
    pub fn sd(rs2: u32, base: u32, uimm: u32) -> u16 {
        cl(7, cld(uimm), rs2, base)
    }

    /// CI format: imm[5] -> 12, rd -> 11:7, imm[4:0] -> 6:2.
    fn ci(f3: u32, op: u32, rd: u32, imm: i32) -> u16 {
        let imm = imm as u32;
        (f3 << 13 | bit(imm, 5, 12) | rd << 7 | bits(imm, 4, 0, 2) | op) as u16
    }
    /// `c.addi rd, imm` (imm: -32..=31; rd = 0 with imm = 0 is `c.nop`)
    pub fn addi(rd: u32, imm: i32) -> u16 {
        ci(0, 1, rd, imm)
    }
    /// `c.addiw rd, imm` (rd != 0)
    pub fn addiw(rd: u32, imm: i32) -> u16 {
        ci(1, 1, rd, imm)
    }
    /// `c.li rd, imm`
    pub fn li(rd: u32, imm: i32) -> u16 {
        ci(2, 1, rd, imm)
    }
    /// `c.lui rd, imm6` (rd not 0 or 2; imm6 non-zero, -32..=31, the value is imm6 << 12)
    pub fn lui(rd: u32, imm6: i32) -> u16 {
        ci(3, 1, rd, imm6)
    }
    /// `c.slli rd, shamt` (shamt 1..=63)
    pub fn slli(rd: u32, shamt: u32) -> u16 {
        ci(0, 2, rd, shamt as i32)
    }
    fn arith(f2: u32, rd: u32, imm: i32) -> u16 {
        let imm = imm as u32;
        (4 << 13 | bit(imm, 5, 12) | f2 << 10 | c3(rd) << 7 | bits(imm, 4, 0, 2) | 1) as u16
    }
    /// `c.srli rd', shamt` (1..=63)
    pub fn srli(rd: u32, shamt: u32) -> u16 {
        arith(0, rd, shamt as i32)
    }
    /// `c.srai rd', shamt` (1..=63)
    pub fn srai(rd: u32, shamt: u32) -> u16 {
        arith(1, rd, shamt as i32)
    }
    /// `c.andi rd', imm` (-32..=31)
    pub fn andi(rd: u32, imm: i32) -> u16 {
        arith(2, rd, imm)
    }
    /// `c.sub/xor/or/and` (`f` = 0..=3) and, with `word`, `c.subw/addw` (`f` = 0..=1).
    pub fn alu(word: bool, f: u32, rd: u32, rs2: u32) -> u16 {
        (4 << 13 | (word as u32) << 12 | 3 << 10 | c3(rd) << 7 | f << 5 | c3(rs2) << 2 | 1) as u16
    }
    /// `c.j pc + offset` (even, within ±2 KiB)
    pub fn j(offset: i32) -> u16 {
        let o = offset as u32;
        let imm = bit(o, 11, 12)
            | bit(o, 4, 11)
            | bits(o, 9, 8, 9)
            | bit(o, 10, 8)
            | bit(o, 6, 7)
            | bit(o, 7, 6)
            | bits(o, 3, 1, 3)
            | bit(o, 5, 2);
        (5 << 13 | imm | 1) as u16
    }
    /// `c.beqz` (`bnez` false) / `c.bnez` (`bnez` true) `rs1', pc + offset` (±256 B)
    pub fn bz(bnez: bool, rs1: u32, offset: i32) -> u16 {
        let o = offset as u32;
        let imm =
            bit(o, 8, 12) | bits(o, 4, 3, 10) | bits(o, 7, 6, 5) | bits(o, 2, 1, 3) | bit(o, 5, 2);
        ((6 + bnez as u32) << 13 | imm | c3(rs1) << 7 | 1) as u16
    }
    /// `c.fldsp`/`c.ldsp rd, uimm(sp)` (uimm multiple of 8, up to 504)
    pub fn ldsp(fp: bool, rd: u32, uimm: u32) -> u16 {
        let f3 = if fp { 1 } else { 3 };
        (f3 << 13 | bit(uimm, 5, 12) | rd << 7 | bits(uimm, 4, 3, 5) | bits(uimm, 8, 6, 2) | 2)
            as u16
    }
    /// `c.lwsp rd, uimm(sp)` (rd != 0; uimm multiple of 4, up to 252)
    pub fn lwsp(rd: u32, uimm: u32) -> u16 {
        (2 << 13 | bit(uimm, 5, 12) | rd << 7 | bits(uimm, 4, 2, 4) | bits(uimm, 7, 6, 2) | 2)
            as u16
    }
    /// `c.fsdsp`/`c.sdsp rs2, uimm(sp)` (uimm multiple of 8, up to 504)
    pub fn sdsp(fp: bool, rs2: u32, uimm: u32) -> u16 {
        let f3 = if fp { 5 } else { 7 };
        (f3 << 13 | bits(uimm, 5, 3, 10) | bits(uimm, 8, 6, 7) | rs2 << 2 | 2) as u16
    }
    /// `c.swsp rs2, uimm(sp)` (uimm multiple of 4, up to 252)
    pub fn swsp(rs2: u32, uimm: u32) -> u16 {
        (6 << 13 | bits(uimm, 5, 2, 9) | bits(uimm, 7, 6, 7) | rs2 << 2 | 2) as u16
    }
    /// `c.mv rd, rs2` (rs2 != 0)
    pub fn mv(rd: u32, rs2: u32) -> u16 {
        (4 << 13 | rd << 7 | rs2 << 2 | 2) as u16
    }
    /// `c.add rd, rs2` (rs2 != 0)
    pub fn add(rd: u32, rs2: u32) -> u16 {
        (4 << 13 | 1 << 12 | rd << 7 | rs2 << 2 | 2) as u16
    }
}
