//! Numbers of the user-level CSRs that MVVM implements (unprivileged spec, Zicsr/Zicntr).

/// Accrued FP exception flags.
pub const FFLAGS: u16 = 0x001;
/// Dynamic FP rounding mode.
pub const FRM: u16 = 0x002;
/// `frm` and `fflags` together.
pub const FCSR: u16 = 0x003;
/// Cycle counter.
pub const CYCLE: u16 = 0xc00;
/// Real-time counter.
pub const TIME: u16 = 0xc01;
/// Retired-instruction counter.
pub const INSTRET: u16 = 0xc02;

/// The name of a CSR for disassembly, if it has one.
pub fn name(csr: u16) -> Option<&'static str> {
    Some(match csr {
        FFLAGS => "fflags",
        FRM => "frm",
        FCSR => "fcsr",
        CYCLE => "cycle",
        TIME => "time",
        INSTRET => "instret",
        _ => return None,
    })
}
