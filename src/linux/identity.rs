//! Credentials and standing of the process: user and group ids, supplementary
//! groups, capabilities, niceness, scheduling policy, I/O priority and the
//! execution personality.
//!
//! The guest is one unprivileged user ([`UID`] for every real, effective, saved and
//! file-system id, no supplementary groups, no capabilities), so every call answers
//! as Linux answers such a user: changing an id to the one it already has works,
//! anything else is EPERM; capabilities can only be dropped (they are all clear);
//! niceness can be raised, not lowered; real-time scheduling and I/O classes are
//! refused. Every thread runs SCHED_OTHER on MVVM's own round-robin scheduler.

use super::abi::Out;
use super::{Args, Errno, SysResult, UID};
use crate::machine::Machine;

/// What the process set about how it wants to be treated: it changes what the
/// calls here report, not how MVVM runs the guest (one round-robin scheduler, no
/// address randomization, barriers that hold by construction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    /// Niceness (`setpriority`, `sched_setattr`), -20..=19.
    pub nice: i32,
    /// `sched_setscheduler` policy: SCHED_OTHER, BATCH or IDLE (the process's,
    /// where Linux keeps one per thread).
    pub policy: u32,
    /// `personality` flags.
    pub personality: u32,
    /// Whether the process registered for private expedited `membarrier`.
    pub membarrier_registered: bool,
}

/// `-1` as an id argument: "leave this one".
const KEEP: u32 = u32::MAX;

/// Whether an id argument (32 bits) keeps or names the only id there is.
fn own_or_keep(id: u64) -> bool {
    matches!(id as u32, KEEP) || id as u32 == UID as u32
}

/// `setuid`, `setgid`: only to the id the process has.
pub fn setid(_: &mut Machine, a: &Args) -> SysResult {
    match a.u(0) as u32 {
        KEEP => Err(Errno::EINVAL),
        id if id == UID as u32 => Ok(0),
        _ => Err(Errno::EPERM),
    }
}

/// `setreuid`, `setregid` (two ids), `setresuid`, `setresgid` (three).
pub fn setids(_: &mut Machine, a: &Args, count: usize) -> SysResult {
    if (0..count).all(|i| own_or_keep(a.u(i))) {
        Ok(0)
    } else {
        Err(Errno::EPERM)
    }
}

/// `setfsuid`, `setfsgid`: return the previous id and never fail.
pub fn setfsid(_: &mut Machine, _: &Args) -> SysResult {
    Ok(UID)
}

/// `getgroups`: no supplementary groups.
pub fn getgroups(_: &mut Machine, a: &Args) -> SysResult {
    if a.int(0) < 0 {
        return Err(Errno::EINVAL);
    }
    Ok(0)
}

/// `setgroups`: needs CAP_SETGID.
pub fn setgroups(_: &mut Machine, _: &Args) -> SysResult {
    Err(Errno::EPERM)
}

/// The capability ABI versions and how many 32-bit set triples each carries.
fn cap_words(version: u32) -> Option<u64> {
    match version {
        0x1998_0330 => Some(1),
        0x2007_1026 | 0x2008_0522 => Some(2),
        _ => None,
    }
}

/// Reads a `cap_user_header`: `(version, pid)`; an unknown version is answered
/// with the preferred one written back, as Linux does.
fn cap_header(m: &mut Machine, a: &Args) -> Result<(Option<u64>, i32), Errno> {
    let header = m.copy_in(a.addr(0), 8)?;
    let version = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    let pid = i32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    let words = cap_words(version);
    if words.is_none() {
        m.copy_out(a.addr(0), &0x2008_0522u32.to_le_bytes())?;
    }
    Ok((words, pid))
}

/// `capget`: every set is empty.
pub fn capget(m: &mut Machine, a: &Args) -> SysResult {
    let (words, pid) = cap_header(m, a)?;
    let Some(words) = words else {
        // A probe for the version passes no data.
        return if a.addr(1) == 0 {
            Ok(0)
        } else {
            Err(Errno::EINVAL)
        };
    };
    if pid < 0 {
        return Err(Errno::EINVAL);
    }
    if pid != 0 && !m.os.threads.is_live(pid as u64) {
        return Err(Errno::ESRCH);
    }
    if a.addr(1) != 0 {
        m.copy_out(a.addr(1), &vec![0; 12 * words as usize])?;
    }
    Ok(0)
}

/// `capset`: sets can stay empty, never grow.
pub fn capset(m: &mut Machine, a: &Args) -> SysResult {
    let (words, pid) = cap_header(m, a)?;
    let words = words.ok_or(Errno::EINVAL)?;
    if pid != 0 && !m.os.threads.is_live(pid as u64) {
        return Err(Errno::EPERM);
    }
    let sets = m.copy_in(a.addr(1), 12 * words)?;
    if sets.iter().all(|&b| b == 0) {
        Ok(0)
    } else {
        Err(Errno::EPERM)
    }
}

const PRIO_PROCESS: i32 = 0;
const PRIO_USER: i32 = 2;

/// Checks a `getpriority`/`setpriority` target: the process, its group or its user.
fn prio_target(m: &Machine, a: &Args) -> Result<(), Errno> {
    let (which, who) = (a.int(0), a.int(1) as u64);
    if !(PRIO_PROCESS..=PRIO_USER).contains(&which) {
        return Err(Errno::EINVAL);
    }
    let own = match which {
        PRIO_USER => UID,
        PRIO_PROCESS => m.os.threads.current,
        _ => m.os.pgid,
    };
    if who == 0 || who == own || which == PRIO_PROCESS && m.os.threads.is_live(who) {
        Ok(())
    } else {
        Err(Errno::ESRCH)
    }
}

/// `getpriority`: `20 - nice`, as the system call (not libc) returns it.
pub fn getpriority(m: &mut Machine, a: &Args) -> SysResult {
    prio_target(m, a)?;
    Ok((20 - m.os.standing.nice) as u64)
}

/// `setpriority`: an unprivileged process may only raise its niceness.
pub fn setpriority(m: &mut Machine, a: &Args) -> SysResult {
    prio_target(m, a)?;
    let nice = (a.u(2) as i32).clamp(-20, 19);
    if nice < m.os.standing.nice {
        return Err(Errno::EACCES);
    }
    m.os.standing.nice = nice;
    Ok(0)
}

/// `personality`: `0xffffffff` asks; anything else is stored and the old value
/// returned (the flags change nothing here: MVVM never randomizes addresses).
pub fn personality(m: &mut Machine, a: &Args) -> SysResult {
    let old = m.os.standing.personality;
    let new = a.u(0) as u32;
    if new != u32::MAX {
        m.os.standing.personality = new;
    }
    Ok(old as u64)
}

/// `sched_getattr`'s and `sched_setattr`'s `struct sched_attr` (version 1).
const SCHED_ATTR_SIZE: usize = 56;

const SCHED_OTHER: u32 = 0;
const SCHED_FIFO: u32 = 1;
const SCHED_RR: u32 = 2;
const SCHED_BATCH: u32 = 3;
const SCHED_IDLE: u32 = 5;
const SCHED_DEADLINE: u32 = 6;

/// Checks a scheduling target: 0, the process or the running thread.
fn sched_target(m: &Machine, pid: i32) -> Result<(), Errno> {
    match pid {
        ..0 => Err(Errno::EINVAL),
        0 => Ok(()),
        p if m.os.threads.is_live(p as u64) => Ok(()),
        _ => Err(Errno::ESRCH),
    }
}

/// Whether an unprivileged thread may switch to `policy` with `priority`.
fn policy_allowed(policy: u32, priority: u32) -> SysResult {
    match policy {
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE if priority == 0 => Ok(0),
        SCHED_FIFO | SCHED_RR if (1..=99).contains(&priority) => Err(Errno::EPERM),
        SCHED_DEADLINE => Err(Errno::EPERM),
        _ => Err(Errno::EINVAL),
    }
}

/// `sched_get_priority_max` (`max`) and `sched_get_priority_min`.
pub fn sched_priority_bound(_: &mut Machine, a: &Args, max: bool) -> SysResult {
    match a.u(0) as u32 {
        SCHED_FIFO | SCHED_RR => Ok(if max { 99 } else { 1 }),
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE | SCHED_DEADLINE => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}

/// `sched_getscheduler`: the policy set last (SCHED_OTHER at first).
pub fn sched_getscheduler(m: &mut Machine, a: &Args) -> SysResult {
    sched_target(m, a.int(0))?;
    Ok(m.os.standing.policy as u64)
}

/// `sched_getparam`: priority 0.
pub fn sched_getparam(m: &mut Machine, a: &Args) -> SysResult {
    sched_target(m, a.int(0))?;
    if a.addr(1) == 0 {
        return Err(Errno::EINVAL);
    }
    m.copy_out(a.addr(1), &0u32.to_le_bytes())?;
    Ok(0)
}

/// `sched_setparam` (`policy`: `None`) and `sched_setscheduler`.
pub fn sched_setscheduler(m: &mut Machine, a: &Args, policy: Option<u64>) -> SysResult {
    let param = if policy.is_some() {
        a.addr(2)
    } else {
        a.addr(1)
    };
    if param == 0 || a.int(0) < 0 {
        return Err(Errno::EINVAL);
    }
    let priority = m.read_u32(param)?;
    sched_target(m, a.int(0))?;
    // Linux ignores SCHED_RESET_ON_FORK here; sched_setparam keeps the policy.
    let policy = policy.map_or(m.os.standing.policy, |p| p as u32 & !0x4000_0000);
    policy_allowed(policy, priority)?;
    m.os.standing.policy = policy;
    Ok(0)
}

/// `sched_rr_get_interval`: the round-robin quantum MVVM reports (100 ms).
pub fn sched_rr_get_interval(m: &mut Machine, a: &Args) -> SysResult {
    sched_target(m, a.int(0))?;
    let slice = super::abi::Timespec {
        sec: 0,
        nsec: 100_000_000,
    };
    m.write_timespec(a.addr(1), slice)
}

/// `sched_getattr`: the policy and niceness set last.
pub fn sched_getattr(m: &mut Machine, a: &Args) -> SysResult {
    let size = a.u(2) as usize;
    if a.addr(1) == 0 || a.u(3) != 0 || !(48..=4096).contains(&size) {
        return Err(Errno::EINVAL);
    }
    sched_target(m, a.int(0))?;
    let mut o = Out::new(SCHED_ATTR_SIZE);
    o.u32(0, SCHED_ATTR_SIZE.min(size) as u32)
        .u32(4, m.os.standing.policy)
        .u32(16, m.os.standing.nice as u32);
    o.0.truncate(size);
    m.copy_out(a.addr(1), &o.0)?;
    Ok(0)
}

/// `sched_setattr`: SCHED_OTHER, BATCH or IDLE at the same or a higher niceness.
pub fn sched_setattr(m: &mut Machine, a: &Args) -> SysResult {
    if a.addr(1) == 0 || a.u(2) != 0 || a.int(0) < 0 {
        return Err(Errno::EINVAL);
    }
    let attr = m.copy_in(a.addr(1), 48)?;
    let word = |at: usize| u32::from_le_bytes([attr[at], attr[at + 1], attr[at + 2], attr[at + 3]]);
    let size = word(0) as usize;
    if size != 0 && size < 48 {
        return Err(Errno::E2BIG);
    }
    sched_target(m, a.int(0))?;
    let (policy, nice, priority) = (word(4), word(16) as i32, word(20));
    policy_allowed(policy, priority)?;
    let nice = nice.clamp(-20, 19);
    if nice < m.os.standing.nice {
        return Err(Errno::EPERM);
    }
    m.os.standing.nice = nice;
    m.os.standing.policy = policy;
    Ok(0)
}

/// `ioprio_get`: the default best-effort class (Linux 6's `IOPRIO_DEFAULT`).
pub fn ioprio_get(m: &mut Machine, a: &Args) -> SysResult {
    ioprio_target(m, a)?;
    Ok(2 << 13 | 4)
}

/// `ioprio_set`: the real-time class needs privileges; the others are accepted.
pub fn ioprio_set(m: &mut Machine, a: &Args) -> SysResult {
    ioprio_target(m, a)?;
    match a.u(2) >> 13 {
        0 | 2 | 3 => Ok(0),
        1 => Err(Errno::EPERM),
        _ => Err(Errno::EINVAL),
    }
}

/// Checks an `ioprio_*` target (`IOPRIO_WHO_PROCESS`, `_PGRP`, `_USER`).
fn ioprio_target(m: &Machine, a: &Args) -> Result<(), Errno> {
    let who = a.u(1);
    let own = match a.int(0) {
        1 => m.os.threads.current,
        2 => m.os.pgid,
        3 => UID,
        _ => return Err(Errno::EINVAL),
    };
    if who == 0 || who == own || a.int(0) == 1 && m.os.threads.is_live(who) {
        Ok(())
    } else {
        Err(Errno::ESRCH)
    }
}
