//! Holds MVVM's disassembler (`mvvm::isa::disasm`) to GNU objdump 2.40
//! (`riscv64-linux-gnu-objdump -d`, default alias output), word for word:
//!
//! - `real_binaries`: every instruction of the cross toolchain's libc, libm,
//!   libstdc++ and dynamic loader (about 660,000).
//! - `table_rows_and_all_halfwords`: random words of every table row (fields biased
//!   toward the values aliases look for: `zero`, `ra`, `sp`, equal registers, 0, ±1,
//!   255), every 16-bit word and random 32-bit words, assembled with `.insn` for the
//!   extensions binutils 2.40 knows and disassembled back.
//!
//! The only normalization of objdump's text is what needs a symbol table or
//! data-flow: the ` <symbol+offset>` after a target address and the ` # address
//! <symbol>` comment objdump adds after an `auipc`/`lui` pair. The toolchain is
//! required: without it the tests fail rather than skip.
//!
//! Words where the two cannot agree are listed in `excused` with the reason; each
//! such class is counted and printed.

use mvvm::isa::{decode, disasm, Ext, Opcode, ROWS};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const OBJDUMP: &str = "riscv64-linux-gnu-objdump";
const AS: &str = "riscv64-linux-gnu-as";
const LIBDIR: &str = "/usr/riscv64-linux-gnu/lib";
const LIBS: &[&str] = &[
    "libc.so.6",
    "libm.so.6",
    "libstdc++.so.6",
    "ld-linux-riscv64-lp64d.so.1",
];
/// Every extension of MVVM's table that binutils 2.40 can assemble and disassemble
/// (it knows neither Zicond nor Zfa nor Zcb).
const MARCH: &str = "rv64gc_zba_zbb_zbs_zbc_zbkb_zbkc_zbkx_zfh_zicbom_zicboz_zihintpause_zawrs";

/// One instruction of an objdump listing.
struct Line {
    addr: u64,
    word: u32,
    text: String,
}

/// Runs `objdump -d` on `path` and parses the instruction lines. Data that mapping
/// symbols mark inside code (`.word`, `.short`, `.byte`) is not an instruction and is
/// left out.
fn objdump(path: &Path) -> Vec<Line> {
    let out = Command::new(OBJDUMP)
        .arg("-d")
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("{OBJDUMP} is required for this test: {e}"));
    assert!(
        out.status.success(),
        "{OBJDUMP} -d {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("objdump output is UTF-8");
    text.lines().filter_map(parse_line).collect()
}

/// `   267a8:\td603be03          \tld\tt3,-672(t2) # 126500 <sym>` to its parts.
fn parse_line(l: &str) -> Option<Line> {
    let (addr, rest) = l.split_once(":\t")?;
    let addr = u64::from_str_radix(addr.trim_start(), 16).ok()?;
    let (hex, text) = rest.split_once('\t')?;
    let hex = hex.trim_end();
    if hex.len() != 4 && hex.len() != 8 {
        return None;
    }
    let word = u32::from_str_radix(hex, 16).ok()?;
    let mut text = text.trim_end();
    if text.starts_with(".word") || text.starts_with(".short") || text.starts_with(".byte") {
        return None;
    }
    if let Some(k) = text.find(" #") {
        text = &text[..k];
    }
    if text.ends_with('>') {
        if let Some(k) = text.rfind(" <") {
            text = &text[..k];
        }
    }
    Some(Line {
        addr,
        word,
        text: text.to_string(),
    })
}

/// Why MVVM's text may differ from objdump's for this word, if it may.
fn excused(word: u32, ours: &str, theirs: &str) -> Option<&'static str> {
    let i = decode(word);
    let rejected = theirs.starts_with(".4byte") || theirs.starts_with(".2byte");
    let m = i.op.mnemonic();
    if rejected {
        return match i.op {
            _ if matches!(i.op.ext(), Ext::Zicond | Ext::Zfa | Ext::Zcb | Ext::Zimop) => {
                Some("extension unknown to binutils 2.40")
            }
            _ if word & 0xf8ff == 0x6081 => Some("Zcmop (an extension unknown to binutils 2.40)"),
            _ if word & 3 != 3 && zcb_space(word as u16) => {
                Some("Zcb compressed form (an extension unknown to binutils 2.40)")
            }
            Opcode::Fence | Opcode::FenceI => Some(
                "fence with nonzero reserved fields (rd, rs1, fm, imm): binutils rejects, \
                 the ISA says to execute it as the base fence",
            ),
            _ if m.starts_with("fcvt.") && i.rm != 0 && ours.ends_with(RM_NAMES[i.rm as usize]) => {
                Some(
                    "exact conversion with rm != 0: binutils 2.40 requires rm = 0, \
                     the ISA ignores rm (later binutils accept it)",
                )
            }
            _ => None,
        };
    }
    if i.op == Opcode::Illegal && word & 0xffff == 0x6101 {
        return Some(
            "c.addi16sp with a zero immediate: reserved by the RVC spec (MVVM: illegal), \
             binutils 2.40 prints add sp,sp,0",
        );
    }
    if i.op == Opcode::Illegal {
        let theirs_m = theirs.split('\t').next().unwrap_or("");
        if !ROWS.iter().any(|r| r.op.mnemonic() == theirs_m) {
            return Some("an instruction MVVM does not implement (decodes to Illegal)");
        }
    }
    None
}

/// Whether halfword `h` lies where Zcb puts its instructions: `c.lbu`/`c.lhu`/`c.lh`/
/// `c.sb`/`c.sh` (quadrant 0, funct3 100) and `c.mul`, `c.zext.b`, `c.sext.b`, `c.zext.h`,
/// `c.sext.h`, `c.zext.w`, `c.not` (quadrant 1, funct3 100, bits 12..10 = 111, bits
/// 6..5 = 10 or 11). Those expand to base opcodes, so their `Ext` does not say Zcb.
fn zcb_space(h: u16) -> bool {
    h & 0xe003 == 0x8000 || h & 0xfc43 == 0x9c41
}

const RM_NAMES: [&str; 8] = [
    "rne", "rtz", "rdn", "rup", "rmm", "unknown", "unknown", "dyn",
];

#[derive(Default)]
struct Tally {
    total: usize,
    mismatches: BTreeMap<String, (usize, Vec<String>)>,
    /// Per reason: count, first example, and the mnemonics involved (objdump's, or
    /// MVVM's where objdump has none).
    excused: BTreeMap<&'static str, (usize, String, BTreeSet<String>)>,
}

impl Tally {
    fn check(&mut self, addr: u64, word: u32, theirs: &str) {
        self.total += 1;
        let ours = disasm(word, addr);
        if ours == theirs {
            return;
        }
        let hex = if word & 3 == 3 {
            format!("{word:08x}")
        } else {
            format!("{:04x}", word & 0xffff)
        };
        if let Some(why) = excused(word, &ours, theirs) {
            let e = self.excused.entry(why).or_default();
            e.0 += 1;
            if e.1.is_empty() {
                e.1 = format!("{hex}: objdump `{theirs}`, MVVM `{ours}`");
            }
            let named = if theirs.starts_with('.') {
                &ours
            } else {
                theirs
            };
            e.2.insert(named.split('\t').next().unwrap_or("").to_string());
            return;
        }
        let key = theirs.split('\t').next().unwrap_or("").to_string();
        let e = self.mismatches.entry(key).or_default();
        e.0 += 1;
        if e.1.len() < 4 {
            e.1.push(format!(
                "{addr:x}: {hex}: objdump `{theirs}`, MVVM `{ours}`"
            ));
        }
    }

    fn report(&self, what: &str) {
        let bad: usize = self.mismatches.values().map(|m| m.0).sum();
        eprintln!(
            "{what}: {} instructions, {bad} mismatches in {} mnemonics",
            self.total,
            self.mismatches.len()
        );
        for (m, (n, ex)) in &self.mismatches {
            eprintln!("  {m}: {n}");
            for e in ex {
                eprintln!("      {e}");
            }
        }
        for (why, (n, ex, names)) in &self.excused {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            eprintln!(
                "  excused {n}: {why}\n      e.g. {ex}\n      {}",
                names.join(" ")
            );
        }
        assert_eq!(bad, 0, "{what}: disassembly differs from objdump");
    }
}

#[test]
fn real_binaries() {
    let start = Instant::now();
    let listings: Vec<(String, Vec<Line>)> = std::thread::scope(|s| {
        let jobs: Vec<_> = LIBS
            .iter()
            .map(|lib| {
                let path = Path::new(LIBDIR).join(lib);
                s.spawn(move || {
                    assert!(path.exists(), "{} is required", path.display());
                    (lib.to_string(), objdump(&path))
                })
            })
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    let mut tally = Tally::default();
    for (lib, lines) in &listings {
        assert!(
            lines.len() > 10_000,
            "{lib}: only {} instructions",
            lines.len()
        );
        for l in lines {
            tally.check(l.addr, l.word, &l.text);
        }
    }
    eprintln!("real_binaries: {:.1?}", start.elapsed());
    tally.report("real binaries");
}

/// xorshift64*: deterministic, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A random word matching `mask`/`matches`, with free register fields often `zero`,
/// `ra`, `sp` or equal to one another and free immediate bits often 0, 1, -1 or 255.
fn row_word(rng: &mut Rng, mask: u32, matches: u32) -> u32 {
    let mut w = rng.next() as u32;
    let reg_fields = [7u32, 15, 20, 27];
    for &lsb in &reg_fields {
        match rng.below(8) {
            0 => w &= !(31 << lsb),
            1 => w = (w & !(31 << lsb)) | (rng.below(3) as u32) << lsb,
            2 => {
                let other = reg_fields[rng.below(4) as usize];
                w = (w & !(31 << lsb)) | ((w >> other) & 31) << lsb;
            }
            _ => {}
        }
    }
    // The I-type immediate (also CSR numbers and shift amounts).
    match rng.below(10) {
        0 => w &= 0x000f_ffff,
        1 => w = (w & 0x000f_ffff) | 1 << 20,
        2 => w |= 0xfff0_0000,
        3 => w = (w & 0x000f_ffff) | 0xff << 20,
        4 => {
            let csr = [
                0x001, 0x002, 0x003, 0xc00, 0xc01, 0xc02, 0xc03, 0xc1f, 0x800,
            ];
            w = (w & 0x000f_ffff) | csr[rng.below(csr.len() as u64) as usize] << 20;
        }
        _ => {}
    }
    // The rounding mode: mostly the common dyn or rne.
    match rng.below(4) {
        0 => w |= 7 << 12,
        1 => w &= !(7 << 12),
        _ => {}
    }
    (w & !mask) | matches
}

/// Assembles `words` (each a 32-bit word or, if its low bits are not 11, a halfword)
/// with `.insn` into an object file and returns objdump's listing of it.
fn round_trip(words: &[u32], dir: &Path) -> Vec<Line> {
    use std::fmt::Write as _;
    let mut src = String::from(".text\n");
    for &w in words {
        let _ = if w & 3 == 3 {
            writeln!(src, ".insn 4, {w:#x}")
        } else {
            writeln!(src, ".insn 2, {:#x}", w & 0xffff)
        };
    }
    let (s, o) = (dir.join("words.s"), dir.join("words.o"));
    std::fs::write(&s, src).unwrap();
    let out = Command::new(AS)
        .arg(format!("-march={MARCH}"))
        .arg(&s)
        .arg("-o")
        .arg(&o)
        .output()
        .unwrap_or_else(|e| panic!("{AS} is required for this test: {e}"));
    assert!(
        out.status.success(),
        "{AS}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    objdump(&o)
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mvvm-disasm-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn table_rows_and_all_halfwords() {
    let start = Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut words: Vec<u32> = (0..=0xffffu32).filter(|h| h & 3 != 3).collect();
    for row in ROWS {
        for _ in 0..400 {
            words.push(row_word(&mut rng, row.mask, row.matches));
        }
    }
    for _ in 0..50_000 {
        // Random words of the 32-bit length class only (bits 4..2 not 111).
        let w = rng.next() as u32 | 3;
        if w & 0x1c != 0x1c {
            words.push(w);
        }
    }
    let dir = temp_dir("rows");
    // Two halves in parallel: gas and objdump dominate the run time.
    let (a, b) = words.split_at(words.len() / 2);
    let (da, db) = (dir.join("a"), dir.join("b"));
    std::fs::create_dir_all(&da).unwrap();
    std::fs::create_dir_all(&db).unwrap();
    let (la, lb) = std::thread::scope(|s| {
        let ja = s.spawn(|| round_trip(a, &da));
        let jb = s.spawn(|| round_trip(b, &db));
        (ja.join().unwrap(), jb.join().unwrap())
    });
    let _ = std::fs::remove_dir_all(&dir);
    let mut tally = Tally::default();
    for (half, lines) in [(a, la), (b, lb)] {
        assert_eq!(lines.len(), half.len(), "objdump listed every word");
        for (l, &w) in lines.iter().zip(half) {
            let expect = if w & 3 == 3 { w } else { w & 0xffff };
            assert_eq!(l.word, expect, "listing out of step at {:x}", l.addr);
            tally.check(l.addr, w, &l.text);
        }
    }
    eprintln!("table_rows_and_all_halfwords: {:.1?}", start.elapsed());
    tally.report("table rows and halfwords");
}
