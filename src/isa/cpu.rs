//! The emulated CPU's extensions: what `-cpu` selects, which decoded instructions
//! therefore exist, and how Linux describes the CPU to the guest (the ISA string of
//! `/proc/cpuinfo`, `AT_HWCAP`, `riscv_hwprobe`'s extension bits).
//!
//! A CPU is named like qemu's: `NAME[,ext=on|off]...` (`true`/`false` too), where
//! NAME is `max` (everything MVVM implements, the default), `rv64` (RV64GC), or a
//! RVA user profile: `rva20u64`, `rva22u64`, `rva23u64` (the last without V, which
//! MVVM does not implement). Every named CPU keeps Zifencei, which the RVA profiles
//! leave optional, because Linux programs that generate code rely on `fence.i`.

use super::{compressed, Ext, Insn, Opcode};

/// A set of extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExtSet(u64);

use Ext::*;

/// Every extension `-cpu` can name, in the order ISA strings list them.
const NAMES: &[(&str, Ext)] = &[
    ("i", I),
    ("m", M),
    ("a", A),
    ("f", F),
    ("d", D),
    ("c", C),
    ("zicbom", Zicbom),
    ("zicbop", Zicbop),
    ("zicboz", Zicboz),
    ("zicntr", Zicntr),
    ("zicond", Zicond),
    ("zicsr", Zicsr),
    ("zifencei", Zifencei),
    ("zihintntl", Zihintntl),
    ("zihintpause", Zihintpause),
    ("zimop", Zimop),
    ("zawrs", Zawrs),
    ("zfa", Zfa),
    ("zfh", Zfh),
    ("zfhmin", Zfhmin),
    ("zcb", Zcb),
    ("zcmop", Zcmop),
    ("zba", Zba),
    ("zbb", Zbb),
    ("zbc", Zbc),
    ("zbkb", Zbkb),
    ("zbkc", Zbkc),
    ("zbkx", Zbkx),
    ("zbs", Zbs),
];

/// Extensions of the RISC-V specifications that MVVM does not implement, so that
/// asking for them gets a clear answer instead of "unknown".
const MISSING: &[&str] = &["v", "q", "h", "zacas", "zabha", "zkt", "zihpm", "zvbb"];

const RV64GC: ExtSet = ExtSet::of(&[I, M, A, F, D, C, Zicsr, Zifencei, Zicntr]);
const RVA20U64: ExtSet = RV64GC;
const RVA22U64: ExtSet = RVA20U64.union(ExtSet::of(&[
    Zihintpause,
    Zba,
    Zbb,
    Zbs,
    Zicbom,
    Zicbop,
    Zicboz,
    Zfhmin,
]));
const RVA23U64: ExtSet = RVA22U64.union(ExtSet::of(&[
    Zicond, Zcb, Zfa, Zihintntl, Zimop, Zcmop, Zawrs,
]));
const MAX: ExtSet = RVA23U64.union(ExtSet::of(&[Zfh, Zbc, Zbkb, Zbkc, Zbkx]));

/// Named CPUs, for `-cpu NAME` and `-cpu help`.
const CPUS: &[(&str, ExtSet, &str)] = &[
    ("max", MAX, "every extension MVVM implements (the default)"),
    (
        "rv64",
        RV64GC,
        "RV64GC: I, M, A, F, D, C, Zicsr, Zifencei, Zicntr",
    ),
    ("rva20u64", RVA20U64, "the RVA20U64 profile"),
    ("rva22u64", RVA22U64, "the RVA22U64 profile"),
    ("rva23u64", RVA23U64, "the RVA23U64 profile without V"),
];

impl Default for ExtSet {
    fn default() -> Self {
        MAX
    }
}

impl ExtSet {
    /// The set of the listed extensions.
    pub const fn of(exts: &[Ext]) -> ExtSet {
        let mut bits = 0;
        let mut i = 0;
        while i < exts.len() {
            bits |= 1 << exts[i] as u8;
            i += 1;
        }
        ExtSet(bits)
    }

    /// The set as bits (for snapshots).
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// The set of `bits` (from [`ExtSet::bits`]), if every bit names an extension
    /// MVVM implements.
    pub const fn from_bits(bits: u64) -> Option<ExtSet> {
        if bits & !MAX.0 == 0 {
            Some(ExtSet(bits))
        } else {
            None
        }
    }

    /// Both sets' extensions.
    pub const fn union(self, other: ExtSet) -> ExtSet {
        ExtSet(self.0 | other.0)
    }

    /// Whether `e` is in the set.
    pub const fn has(self, e: Ext) -> bool {
        self.0 >> e as u8 & 1 != 0
    }

    fn set(&mut self, e: Ext, on: bool) {
        if on {
            self.0 |= 1 << e as u8;
        } else {
            self.0 &= !(1 << e as u8);
        }
    }

    /// Parses a `-cpu` argument (see the module docs).
    pub fn parse(spec: &str) -> Result<ExtSet, String> {
        let mut parts = spec.split(',');
        let name = parts.next().unwrap_or_default();
        let Some(&(_, mut set, _)) = CPUS.iter().find(|c| c.0 == name) else {
            let names: Vec<&str> = CPUS.iter().map(|c| c.0).collect();
            return Err(format!(
                "unknown CPU '{name}' (known: {}; -cpu help lists them)",
                names.join(", ")
            ));
        };
        for prop in parts.filter(|p| !p.is_empty()) {
            let (ext, value) = prop.split_once('=').unwrap_or((prop, "on"));
            let on = match value {
                "on" | "true" => true,
                "off" | "false" => false,
                _ => return Err(format!("-cpu {prop}: the value must be on or off")),
            };
            let lower = ext.to_ascii_lowercase();
            match NAMES.iter().find(|n| n.0 == lower) {
                Some(&(_, I)) if !on => return Err("-cpu: the base ISA cannot be off".into()),
                Some(&(_, e)) => set.set(e, on),
                None if MISSING.contains(&lower.as_str()) && !on => {}
                None if MISSING.contains(&lower.as_str()) => {
                    return Err(format!("-cpu: MVVM does not implement {ext} yet"))
                }
                None => return Err(format!("-cpu: unknown extension '{ext}'")),
            }
        }
        // Implied extensions, as the specifications define them.
        if set.has(Zfh) {
            set.set(Zfhmin, true);
        }
        for (needs, what) in [
            (D, F),
            (Zfhmin, F),
            (Zfa, F),
            (Zcb, C),
            (Zcmop, C),
            (Zcmop, Zimop),
        ] {
            if set.has(needs) && !set.has(what) {
                return Err(format!("-cpu: {needs:?} requires {what:?}"));
            }
        }
        Ok(set)
    }

    /// The text of `-cpu help`.
    pub fn help() -> String {
        let mut s = String::from("Available CPUs:\n");
        for (name, _, what) in CPUS {
            s += &format!("  {name:<10} {what}\n");
        }
        s += "Extensions (NAME,ext=on|off):\n ";
        for (name, _) in NAMES {
            s += &format!(" {name}");
        }
        s
    }

    /// The ISA string Linux shows in `/proc/cpuinfo`, e.g. `rv64imafdc_zicsr_...`.
    pub fn isa_string(self) -> String {
        let mut s = String::from("rv64");
        for &(name, _) in NAMES.iter().filter(|n| self.has(n.1)) {
            if name.len() > 1 {
                s.push('_');
            }
            s += name;
        }
        s
    }

    /// `AT_HWCAP`: one bit per single-letter extension (bit 0 is 'a').
    pub fn hwcap(self) -> u64 {
        NAMES
            .iter()
            .filter(|&&(name, e)| name.len() == 1 && self.has(e))
            .map(|(name, _)| 1 << (name.as_bytes()[0] - b'a'))
            .sum()
    }

    /// The `RISCV_HWPROBE_KEY_IMA_EXT_0` bits (Linux uapi `asm/hwprobe.h`).
    pub fn hwprobe_ima_ext_0(self) -> u64 {
        let both = |a, b| self.has(a) && self.has(b);
        let bits: &[(bool, u32)] = &[
            (both(F, D), 0),
            (self.has(C), 1),
            (self.has(Zba), 3),
            (self.has(Zbb), 4),
            (self.has(Zbs), 5),
            (self.has(Zicboz), 6),
            (self.has(Zbc), 7),
            (self.has(Zbkb), 8),
            (self.has(Zbkc), 9),
            (self.has(Zbkx), 10),
            (self.has(Zfh), 27),
            (self.has(Zfhmin), 28),
            (self.has(Zihintntl), 29),
            (self.has(Zfa), 32),
            (self.has(Zicond), 35),
            (self.has(Zihintpause), 36),
            (self.has(Zimop), 42),
            (self.has(C), 43),
            (self.has(Zcb), 44),
            (both(C, D), 45),
            (self.has(Zcmop), 47),
            (self.has(Zawrs), 48),
            (self.has(Zicntr), 50),
            (self.has(Zicbom), 55),
        ];
        bits.iter()
            .filter(|b| b.0)
            .fold(0, |acc, &(_, bit)| acc | 1 << bit)
    }

    /// Whether `insn`, decoded from `word`, exists on a CPU with these extensions.
    pub fn implements(self, insn: &Insn, word: u32) -> bool {
        use Opcode::*;
        if insn.len == 2 && !(self.has(C) && self.has(compressed::ext(word as u16))) {
            return false;
        }
        match insn.op {
            // Rows that two extensions share.
            Andn | Orn | Xnor | Rol | Rolw | Ror | Rori | Roriw | Rorw | Rev8 => {
                self.has(Zbb) || self.has(Zbkb)
            }
            Clmul | Clmulh => self.has(Zbc) || self.has(Zbkc),
            // `zext.h` is `packw rd, rs1, x0`.
            Packw if insn.rs2 == 0 => self.has(Zbb) || self.has(Zbkb),
            // Zfa's rows exist per FP width: `.d` needs D and `.h` needs Zfh.
            op if op.ext() == Zfa => {
                let name = op.handler_name();
                self.has(Zfa)
                    && (!name.ends_with("_d") || self.has(D))
                    && (!name.ends_with("_h") || self.has(Zfh))
            }
            Illegal => true,
            op => self.has(op.ext()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::isa::decode;

    #[test]
    fn names_and_profiles() {
        assert_eq!(ExtSet::parse("max").unwrap(), ExtSet::default());
        assert_eq!(
            ExtSet::parse("rv64").unwrap().isa_string(),
            "rv64imafdc_zicntr_zicsr_zifencei"
        );
        let rva22 = ExtSet::parse("rva22u64").unwrap();
        assert!(rva22.has(Zba) && rva22.has(Zfhmin) && !rva22.has(Zfh) && !rva22.has(Zcb));
        let rva23 = ExtSet::parse("rva23u64").unwrap();
        assert!(rva23.has(Zcb) && rva23.has(Zfa) && rva23.has(Zicond));
        let s = ExtSet::parse("rv64,zba=on,zbb=true,c=off,d=false").unwrap();
        assert!(s.has(Zba) && s.has(Zbb) && !s.has(C) && !s.has(D) && s.has(F));
        assert!(ExtSet::parse("rv64,zfh=on").unwrap().has(Zfhmin));
        for bad in [
            "pentium",
            "rv64,zfoo=on",
            "rv64,zba=maybe",
            "rv64,i=off",
            "rv64,v=on",
        ] {
            assert!(ExtSet::parse(bad).is_err(), "{bad}");
        }
        assert!(ExtSet::parse("rv64,f=off").is_err(), "D needs F");
        assert!(ExtSet::parse("rv64,f=off,d=off").is_ok());
        assert!(ExtSet::parse("rv64,v=off").is_ok());
    }

    #[test]
    fn linux_views() {
        let rv64 = ExtSet::parse("rv64").unwrap();
        let letters = |s: &str| s.bytes().map(|c| 1u64 << (c - b'a')).sum::<u64>();
        assert_eq!(rv64.hwcap(), letters("imafdc"));
        // IMA_FD | IMA_C | ZCA | ZCD | ZICNTR
        assert_eq!(
            rv64.hwprobe_ima_ext_0(),
            1 | 2 | 1 << 43 | 1 << 45 | 1 << 50
        );
        assert!(ExtSet::default()
            .isa_string()
            .contains("_zba_zbb_zbc_zbkb_zbkc_zbkx_zbs"));
    }

    #[test]
    fn gates_instructions() {
        let rv64 = ExtSet::parse("rv64").unwrap();
        let zbkb = ExtSet::parse("rv64,zbkb=on").unwrap();
        let zbb = ExtSet::parse("rv64,zbb=on").unwrap();
        let ok = |s: ExtSet, w: u32| s.implements(&decode(w), w);
        let andn = 0x40b57533; // andn a0, a0, a1
        let zext_h = 0x0805453b; // zext.h a0, a0 (packw a0, a0, x0)
        let packw = 0x08b5453b; // packw a0, a0, a1
        assert!(!ok(rv64, andn) && ok(zbb, andn) && ok(zbkb, andn));
        assert!(ok(zbb, zext_h) && !ok(zbb, packw) && ok(zbkb, packw));
        assert!(ok(rv64, 0x02b50533)); // mul
        assert!(!ok(ExtSet::parse("rv64,m=off").unwrap(), 0x02b50533));
        assert!(ok(rv64, 0x4501)); // c.li a0, 0
        assert!(!ok(ExtSet::parse("rv64,c=off").unwrap(), 0x4501));
    }
}
