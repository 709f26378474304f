//! Clocks, sleeping and interval timers: clock_gettime/getres, gettimeofday,
//! nanosleep, clock_nanosleep, times, getrusage, setitimer/getitimer (which glibc's
//! `alarm` uses). Wall time comes from the host's real-time clock
//! (wasi:clocks/wall-clock), everything else from its monotonic clock. Sleeps end
//! early with EINTR when a timer's signal becomes deliverable (see
//! [`signal::wait_until`](super::signal::wait_until)).

use super::abi::{Out, Timespec};
use super::signal::{self, Itimer};
use super::{Args, Errno, SysResult};
use crate::machine::Machine;
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const CLOCK_REALTIME: i32 = 0;
const CLOCK_MONOTONIC: i32 = 1;
const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
const CLOCK_MONOTONIC_RAW: i32 = 4;
const CLOCK_REALTIME_COARSE: i32 = 5;
const CLOCK_MONOTONIC_COARSE: i32 = 6;
const CLOCK_BOOTTIME: i32 = 7;
const TIMER_ABSTIME: i32 = 1;

/// Monotonic time since the emulator started (the guest's "boot").
pub(super) fn since_boot() -> Duration {
    static BOOT: OnceLock<Instant> = OnceLock::new();
    BOOT.get_or_init(Instant::now).elapsed()
}

fn now(clock: i32) -> Result<Timespec, Errno> {
    Ok(Timespec::from_duration(match clock {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default(),
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE | CLOCK_BOOTTIME => {
            since_boot()
        }
        // One guest process on one host thread: CPU time is elapsed time.
        CLOCK_PROCESS_CPUTIME_ID | CLOCK_THREAD_CPUTIME_ID => since_boot(),
        _ => return Err(Errno::EINVAL),
    }))
}

pub fn clock_gettime(m: &mut Machine, a: &Args) -> SysResult {
    let t = now(a.int(0))?;
    m.write_timespec(a.addr(1), t)
}

pub fn clock_getres(m: &mut Machine, a: &Args) -> SysResult {
    now(a.int(0))?;
    m.write_timespec(a.addr(1), Timespec { sec: 0, nsec: 1 })
}

pub fn gettimeofday(m: &mut Machine, a: &Args) -> SysResult {
    if a.addr(0) != 0 {
        let t = now(CLOCK_REALTIME)?;
        let mut o = Out::new(16);
        o.u64(0, t.sec as u64).u64(8, (t.nsec / 1000) as u64);
        m.copy_out(a.addr(0), &o.0)?;
    }
    Ok(0)
}

/// Sleeps for `t` unless a signal interrupts; then returns the time left.
fn sleep_for(m: &mut Machine, t: Timespec) -> Option<Timespec> {
    let end = signal::after(t.to_duration());
    signal::wait_until(m, Some(end))
        .then(|| Timespec::from_duration(end.saturating_duration_since(Instant::now())))
}

/// With other threads or processes to run, a sleep parks the thread instead of
/// the whole emulator ([`Wait::Sleep`](super::thread::Wait::Sleep); `rem` gets the
/// time left if a signal ends it). `None`: sleep here.
fn park(m: &mut Machine, a: &Args, t: Timespec, rem: u64) -> Option<SysResult> {
    if super::thread::alone(m) {
        return None;
    }
    // The thread waits at its `ecall`; the scheduler completes the call.
    m.hart.pc = m.hart.pc.wrapping_sub(4);
    let deadline = signal::after(t.to_duration());
    let wait = super::thread::Wait::Sleep { deadline, rem };
    m.os.threads.request(super::thread::Switch::Block(wait));
    Some(Ok(a.u(0)))
}

pub fn nanosleep(m: &mut Machine, a: &Args) -> SysResult {
    let req = m.read_timespec(a.addr(0))?;
    if let Some(parked) = park(m, a, req, a.addr(1)) {
        return parked;
    }
    if let Some(left) = sleep_for(m, req) {
        m.write_timespec(a.addr(1), left)?;
        return Err(Errno::EINTR);
    }
    m.write_timespec(a.addr(1), Timespec::default())
}

pub fn clock_nanosleep(m: &mut Machine, a: &Args) -> SysResult {
    let (clock, flags) = (a.int(0), a.int(1));
    let req = m.read_timespec(a.addr(2))?;
    let cur = now(clock)?;
    let wait = if flags & TIMER_ABSTIME != 0 {
        let (r, c) = (
            req.sec as i128 * 1_000_000_000 + req.nsec as i128,
            cur.sec as i128 * 1_000_000_000 + cur.nsec as i128,
        );
        let d = (r - c).max(0) as u128;
        Timespec {
            sec: (d / 1_000_000_000) as i64,
            nsec: (d % 1_000_000_000) as i64,
        }
    } else {
        req
    };
    let rem = if flags & TIMER_ABSTIME == 0 {
        a.addr(3)
    } else {
        0
    };
    if let Some(parked) = park(m, a, wait, rem) {
        return parked;
    }
    if let Some(left) = sleep_for(m, wait) {
        // The time left is reported for relative sleeps only.
        if flags & TIMER_ABSTIME == 0 {
            m.write_timespec(a.addr(3), left)?;
        }
        return Err(Errno::EINTR);
    }
    Ok(0)
}

pub fn times(m: &mut Machine, a: &Args) -> SysResult {
    let ticks = (since_boot().as_millis() / 10) as u64;
    if a.addr(0) != 0 {
        let mut o = Out::new(32);
        o.u64(0, ticks);
        m.copy_out(a.addr(0), &o.0)?;
    }
    Ok(ticks)
}

pub fn getrusage(m: &mut Machine, a: &Args) -> SysResult {
    // struct rusage is 144 bytes; report elapsed time as user time.
    let t = since_boot();
    let mut o = Out::new(144);
    o.u64(0, t.as_secs()).u64(8, t.subsec_micros() as u64);
    m.copy_out(a.addr(1), &o.0)?;
    Ok(0)
}

/// `struct itimerval`: `it_interval` then `it_value`, each a `struct timeval`.
const ITIMERVAL_SIZE: usize = 32;
const IT_INTERVAL: usize = 0;
const IT_VALUE: usize = 16;

fn read_timeval(m: &Machine, addr: u64) -> Result<Duration, Errno> {
    let (sec, usec) = (m.read_u64(addr)? as i64, m.read_u64(addr + 8)? as i64);
    if sec < 0 || !(0..1_000_000).contains(&usec) {
        return Err(Errno::EINVAL);
    }
    Ok(Duration::new(sec as u64, usec as u32 * 1000))
}

/// The timer `which` as a `struct itimerval` (time left, reload value).
fn itimerval(m: &Machine, which: usize) -> Vec<u8> {
    let mut o = Out::new(ITIMERVAL_SIZE);
    if let Some(t) = m.os.signals.itimers[which] {
        // Like Linux, a timer that is due but not yet fired shows 1 us left.
        let left = t
            .next
            .saturating_duration_since(Instant::now())
            .max(Duration::from_micros(1));
        o.u64(IT_INTERVAL, t.interval.as_secs())
            .u64(IT_INTERVAL + 8, t.interval.subsec_micros() as u64)
            .u64(IT_VALUE, left.as_secs())
            .u64(IT_VALUE + 8, left.subsec_micros() as u64);
    }
    o.0
}

fn itimer_which(a: &Args) -> Result<usize, Errno> {
    usize::try_from(a.int(0))
        .ok()
        .filter(|&w| w < 3)
        .ok_or(Errno::EINVAL)
}

/// getitimer(which, value). ITIMER_VIRTUAL and ITIMER_PROF count elapsed time, as
/// the CPU-time clocks do here.
pub fn getitimer(m: &mut Machine, a: &Args) -> SysResult {
    let which = itimer_which(a)?;
    let v = itimerval(m, which);
    m.copy_out(a.addr(1), &v)?;
    Ok(0)
}

/// setitimer(which, new, old): arms (or with a zero value disarms) a timer.
pub fn setitimer(m: &mut Machine, a: &Args) -> SysResult {
    let which = itimer_which(a)?;
    let new = match a.addr(1) {
        0 => None,
        p => Some((
            read_timeval(m, p + IT_VALUE as u64)?,
            read_timeval(m, p + IT_INTERVAL as u64)?,
        )),
    };
    let old = itimerval(m, which);
    m.os.signals.itimers[which] = match new {
        Some((value, interval)) if !value.is_zero() => Some(Itimer {
            next: signal::after(value),
            interval,
        }),
        _ => None,
    };
    if a.addr(2) != 0 {
        m.copy_out(a.addr(2), &old)?;
    }
    Ok(0)
}
