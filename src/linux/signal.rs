//! Signals: dispositions, the mask, the alternate stack, and sending signals to
//! the process itself. Handlers are recorded; delivery to guest handlers (signal
//! frames, `rt_sigreturn`) is not implemented yet, so a raised signal takes its
//! default action unless it is ignored.

use super::{Args, Errno, ExitStatus, SysResult, Sysno};
use crate::machine::Machine;

/// Highest signal number.
pub const NSIG: usize = 64;
const SIG_IGN: u64 = 1;

/// One `struct sigaction` (riscv64 has no `sa_restorer`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigAction {
    /// `sa_handler` / `sa_sigaction` (0 = default, 1 = ignore).
    pub handler: u64,
    /// `SA_*` flags.
    pub flags: u64,
    /// Signals blocked while the handler runs.
    pub mask: u64,
}

/// Signal state of the process.
#[derive(Clone, Debug)]
pub struct Signals {
    /// Dispositions, indexed by signal number - 1.
    pub actions: [SigAction; NSIG],
    /// Blocked signals.
    pub mask: u64,
    /// `sigaltstack`: (sp, flags, size).
    pub altstack: (u64, u32, u64),
}

impl Default for Signals {
    fn default() -> Self {
        Signals {
            actions: [SigAction::default(); NSIG],
            mask: 0,
            altstack: (0, 2, 0),
        }
    }
}

/// Name as `strsignal` gives it, for the "uncaught target signal" message.
pub fn describe(sig: u8) -> &'static str {
    match sig {
        1 => "Hangup",
        2 => "Interrupt",
        3 => "Quit",
        4 => "Illegal instruction",
        5 => "Trace/breakpoint trap",
        6 => "Aborted",
        7 => "Bus error",
        8 => "Floating point exception",
        9 => "Killed",
        10 => "User defined signal 1",
        11 => "Segmentation fault",
        12 => "User defined signal 2",
        13 => "Broken pipe",
        14 => "Alarm clock",
        15 => "Terminated",
        24 => "CPU time limit exceeded",
        25 => "File size limit exceeded",
        31 => "Bad system call",
        _ => "Unknown signal",
    }
}

/// Whether the default action of `sig` dumps core (qemu then prints a message).
pub fn dumps_core(sig: u8) -> bool {
    matches!(sig, 3 | 4 | 5 | 6 | 7 | 8 | 11 | 24 | 25 | 31)
}

/// Whether the default action of `sig` is to do nothing (or to stop, which a lone
/// process cannot meaningfully do).
fn ignored_by_default(sig: u8) -> bool {
    matches!(sig, 17 | 18 | 19 | 20 | 21 | 22 | 23 | 28)
}

fn check_sig(sig: i32) -> Result<u8, Errno> {
    u8::try_from(sig)
        .ok()
        .filter(|s| (1..=NSIG as u8).contains(s))
        .ok_or(Errno::EINVAL)
}

pub fn rt_sigaction(m: &mut Machine, a: &Args) -> SysResult {
    let sig = check_sig(a.int(0))?;
    if a.u(3) != 8 {
        return Err(Errno::EINVAL);
    }
    let old = m.os.signals.actions[sig as usize - 1];
    if a.addr(1) != 0 {
        if sig == 9 || sig == 19 {
            return Err(Errno::EINVAL);
        }
        let b = m.copy_in(a.addr(1), 24)?;
        let word =
            |i: usize| u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap_or_default());
        m.os.signals.actions[sig as usize - 1] = SigAction {
            handler: word(0),
            flags: word(1),
            mask: word(2),
        };
    }
    if a.addr(2) != 0 {
        let mut o = super::abi::Out::new(24);
        o.u64(0, old.handler).u64(8, old.flags).u64(16, old.mask);
        m.copy_out(a.addr(2), &o.0)?;
    }
    Ok(0)
}

pub fn rt_sigprocmask(m: &mut Machine, a: &Args) -> SysResult {
    const SIG_BLOCK: i32 = 0;
    const SIG_UNBLOCK: i32 = 1;
    const SIG_SETMASK: i32 = 2;
    if a.u(3) != 8 {
        return Err(Errno::EINVAL);
    }
    let old = m.os.signals.mask;
    if a.addr(1) != 0 {
        let set = m.read_u64(a.addr(1))? & !((1 << 8) | (1 << 18)); // SIGKILL, SIGSTOP
        m.os.signals.mask = match a.int(0) {
            SIG_BLOCK => old | set,
            SIG_UNBLOCK => old & !set,
            SIG_SETMASK => set,
            _ => return Err(Errno::EINVAL),
        };
    }
    if a.addr(2) != 0 {
        m.write_u64(a.addr(2), old)?;
    }
    Ok(0)
}

pub fn rt_sigpending(m: &mut Machine, a: &Args) -> SysResult {
    m.write_u64(a.addr(0), 0)?;
    Ok(0)
}

pub fn sigaltstack(m: &mut Machine, a: &Args) -> SysResult {
    let old = m.os.signals.altstack;
    if a.addr(0) != 0 {
        let b = m.copy_in(a.addr(0), 24)?;
        let sp = u64::from_le_bytes(b[0..8].try_into().unwrap_or_default());
        let flags = u32::from_le_bytes(b[8..12].try_into().unwrap_or_default());
        let size = u64::from_le_bytes(b[16..24].try_into().unwrap_or_default());
        m.os.signals.altstack = (sp, flags, size);
    }
    if a.addr(1) != 0 {
        let mut o = super::abi::Out::new(24);
        o.u64(0, old.0).u32(8, old.1).u64(16, old.2);
        m.copy_out(a.addr(1), &o.0)?;
    }
    Ok(0)
}

/// kill/tkill/tgkill: only the process itself (and its one thread) can be targeted.
pub fn kill(m: &mut Machine, a: &Args, s: Sysno) -> SysResult {
    let (target, sig) = match s {
        Sysno::tgkill => (a.u(1) as i64, a.int(2)),
        _ => (a.u(0) as i64, a.int(1)),
    };
    let me = super::PID as i64;
    let ok_target = match s {
        Sysno::kill => target == me || target == 0 || target == -1 || target == -me,
        _ => target == me && (s != Sysno::tgkill || a.u(0) as i64 == me),
    };
    if !ok_target {
        return Err(Errno::ESRCH);
    }
    if sig == 0 {
        return Ok(0);
    }
    raise(m, check_sig(sig)?);
    Ok(0)
}

/// Takes the action for `sig` raised in the process.
pub fn raise(m: &mut Machine, sig: u8) {
    let act = m.os.signals.actions[sig as usize - 1];
    if act.handler == SIG_IGN && sig != 9 {
        return;
    }
    if act.handler == 0 && ignored_by_default(sig) {
        return;
    }
    // Default action (also for handled signals until delivery exists): terminate.
    m.os.exit = Some(ExitStatus::Signaled(sig));
}
