//! Clocks and sleeping: clock_gettime/getres, gettimeofday, nanosleep,
//! clock_nanosleep, times, getrusage. Wall time comes from the host's real-time
//! clock (wasi:clocks/wall-clock), everything else from its monotonic clock.

use super::abi::{Out, Timespec};
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

fn sleep_for(t: Timespec) {
    std::thread::sleep(Duration::new(t.sec as u64, t.nsec as u32));
}

pub fn nanosleep(m: &mut Machine, a: &Args) -> SysResult {
    sleep_for(m.read_timespec(a.addr(0))?);
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
    sleep_for(wait);
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
