//! POSIX per-process timers: `timer_create`, `timer_settime`, `timer_gettime`,
//! `timer_getoverrun`, `timer_delete`. Each keeps its timing in a [`TimerFd`] (the
//! same expiry arithmetic as timerfds) and announces expiries with a signal
//! (`SIGEV_SIGNAL`, or `SIGEV_THREAD_ID`, which glibc's `SIGEV_THREAD` timers
//! use) or not at all (`SIGEV_NONE`). Expiries are noticed where interval timers'
//! are: at block boundaries and while every thread waits.
//!
//! Difference from Linux: the CPU-time clocks run as the monotonic clock (the
//! emulator is busy whenever the guest is).

use super::abi::siginfo;
use super::event::{
    deadline, itimerspec, TimerFd, CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_REALTIME,
};
use super::{signal, Args, Errno, SysResult};
use crate::machine::Machine;
use std::time::{Duration, Instant};

/// Most timers a process may have (Linux's default RLIMIT_SIGPENDING is larger;
/// this bounds the emulator's memory).
const MAX_TIMERS: usize = 4096;

const SIGEV_SIGNAL: u32 = 0;
const SIGEV_NONE: u32 = 1;
const SIGEV_THREAD_ID: u32 = 4;

const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
const CLOCK_REALTIME_ALARM: i32 = 8;
const CLOCK_BOOTTIME_ALARM: i32 = 9;
const CLOCK_TAI: i32 = 11;

/// One POSIX timer.
#[derive(Clone, Debug)]
pub struct PosixTimer {
    timing: TimerFd,
    /// The signal to send, or `None` for `SIGEV_NONE`.
    signo: Option<u8>,
    /// `sigev_value`, passed in the siginfo.
    value: u64,
    /// The thread a SIGEV_THREAD_ID timer signals.
    tid: Option<u64>,
    /// The overrun of the last signal taken (`timer_getoverrun`).
    overrun: u32,
}

/// `timer_create(clockid, sevp, timerid)`.
pub fn timer_create(m: &mut Machine, a: &Args) -> SysResult {
    let clock = match a.int(0) {
        CLOCK_REALTIME | CLOCK_TAI => CLOCK_REALTIME,
        CLOCK_MONOTONIC | CLOCK_PROCESS_CPUTIME_ID | CLOCK_THREAD_CPUTIME_ID => CLOCK_MONOTONIC,
        CLOCK_BOOTTIME => CLOCK_BOOTTIME,
        CLOCK_REALTIME_ALARM | CLOCK_BOOTTIME_ALARM => return Err(Errno::EPERM),
        _ => return Err(Errno::EINVAL),
    };
    // struct sigevent: sigev_value (8), sigev_signo (4), sigev_notify (4), tid (4).
    let (signo, value, target) = match a.addr(1) {
        // No sigevent: SIGALRM carrying the timer id.
        0 => (Some(signal::SIGALRM), None, None),
        sev => {
            let ev = m.copy_in(sev, 20)?;
            let word = |at: usize| u32::from_le_bytes([ev[at], ev[at + 1], ev[at + 2], ev[at + 3]]);
            let value = u64::from_le_bytes(ev[..8].try_into().unwrap_or_default());
            let (signo, notify) = (word(8), word(12));
            match notify {
                SIGEV_NONE => (None, Some(value), None),
                SIGEV_SIGNAL | SIGEV_THREAD_ID if (1..=64).contains(&signo) => {
                    let tid = word(16) as u64;
                    if notify == SIGEV_THREAD_ID && !m.os.threads.is_live(tid) {
                        return Err(Errno::EINVAL);
                    }
                    let target = (notify == SIGEV_THREAD_ID).then_some(tid);
                    (Some(signo as u8), Some(value), target)
                }
                _ => return Err(Errno::EINVAL),
            }
        }
    };
    let timers = &mut m.os.signals.posix_timers;
    let id = match timers.iter().position(Option::is_none) {
        Some(id) => id,
        None if timers.len() < MAX_TIMERS => {
            timers.push(None);
            timers.len() - 1
        }
        None => return Err(Errno::EAGAIN),
    };
    m.copy_out(a.addr(2), &(id as u32).to_le_bytes())?;
    m.os.signals.posix_timers[id] = Some(PosixTimer {
        timing: TimerFd {
            clock,
            next: None,
            interval: Duration::ZERO,
            ticks: 0,
            total: 0,
        },
        signo,
        value: value.unwrap_or(id as u64),
        tid: target,
        overrun: 0,
    });
    Ok(0)
}

/// The timer `id` names.
fn timer(m: &mut Machine, id: u64) -> Result<&mut PosixTimer, Errno> {
    let timers = &mut m.os.signals.posix_timers;
    usize::try_from(id)
        .ok()
        .and_then(|i| timers.get_mut(i)?.as_mut())
        .ok_or(Errno::EINVAL)
}

/// `timer_settime(timerid, flags, new, old)`.
pub fn timer_settime(m: &mut Machine, a: &Args) -> SysResult {
    const TIMER_ABSTIME: u64 = 1;
    let interval = m.read_timespec(a.addr(2))?;
    let value = m.read_timespec(a.addr(2) + 16)?;
    if interval.nsec >= 1_000_000_000 || value.nsec >= 1_000_000_000 {
        return Err(Errno::EINVAL);
    }
    let t = timer(m, a.u(0))?;
    let old = itimerspec(&mut t.timing);
    t.timing.ticks = 0;
    t.timing.interval = interval.to_duration();
    t.timing.next = deadline(t.timing.clock, value, a.u(1) & TIMER_ABSTIME != 0);
    if a.addr(3) != 0 {
        m.copy_out(a.addr(3), &old)?;
    }
    Ok(0)
}

/// `timer_gettime(timerid, curr)`.
pub fn timer_gettime(m: &mut Machine, a: &Args) -> SysResult {
    let cur = itimerspec(&mut timer(m, a.u(0))?.timing);
    m.copy_out(a.addr(1), &cur)?;
    Ok(0)
}

/// `timer_getoverrun(timerid)`.
pub fn timer_getoverrun(m: &mut Machine, a: &Args) -> SysResult {
    Ok(timer(m, a.u(0))?.overrun as u64)
}

/// `timer_delete(timerid)`.
pub fn timer_delete(m: &mut Machine, a: &Args) -> SysResult {
    timer(m, a.u(0))?;
    m.os.signals.posix_timers[a.u(0) as usize] = None;
    Ok(0)
}

/// Sends the signals of expired timers. As on Linux a timer has at most one signal
/// pending: expirations while it waits count as its overrun (in the pending
/// siginfo, and for `timer_getoverrun`).
pub(super) fn fire(m: &mut Machine) {
    let now = Instant::now();
    let mut fresh = Vec::new();
    let signals = &mut m.os.signals;
    for (id, t) in signals.posix_timers.iter_mut().enumerate() {
        let Some(t) = t else { continue };
        let (due, next) = t.timing.due(now);
        if due == 0 {
            continue;
        }
        t.timing.next = next;
        t.timing.total = t.timing.total.wrapping_add(due);
        let Some(sig) = t.signo else { continue };
        let pending = signals.pending.iter_mut().find(|p| {
            p.sig == sig
                && p.info[8..12] == SI_TIMER.to_le_bytes()
                && p.info[16..20] == (id as u32).to_le_bytes()
        });
        match pending {
            Some(p) => {
                let before = u32::from_le_bytes([p.info[20], p.info[21], p.info[22], p.info[23]]);
                let overrun = clamp_overrun(before as u64 + due);
                p.info[20..24].copy_from_slice(&overrun.to_le_bytes());
            }
            None => {
                let overrun = clamp_overrun(due - 1);
                fresh.push((siginfo::timer(sig, id as u32, overrun, t.value), t.tid));
            }
        }
    }
    for (info, tid) in fresh {
        match tid {
            Some(tid) => signal::send_to_thread(m, info, tid),
            None => signal::send(m, info),
        };
    }
}

const SI_TIMER: i32 = -2;

/// Notes the overrun of a timer signal as it is taken from the pending set (handler
/// delivery, `sigwaitinfo`, signalfd): `timer_getoverrun` reports that of the last.
pub(super) fn delivered(s: &mut signal::Signals, info: &[u8; siginfo::SIZE]) {
    if info[8..12] != SI_TIMER.to_le_bytes() {
        return;
    }
    let word = |at: usize| u32::from_le_bytes([info[at], info[at + 1], info[at + 2], info[at + 3]]);
    if let Some(Some(t)) = s.posix_timers.get_mut(word(16) as usize) {
        t.overrun = word(20);
    }
}

/// Overruns saturate at `DELAYTIMER_MAX` (`INT_MAX`).
fn clamp_overrun(n: u64) -> u32 {
    n.min(i32::MAX as u64) as u32
}

/// The earliest expiry of any timer that announces itself.
pub(super) fn next_expiry(s: &signal::Signals) -> Option<Instant> {
    let timers = s.posix_timers.iter().flatten();
    timers
        .filter(|t| t.signo.is_some())
        .filter_map(|t| t.timing.next)
        .min()
}
