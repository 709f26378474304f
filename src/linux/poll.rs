//! Waiting for descriptors: `ppoll` (with descriptors; glibc's `poll` too),
//! `pselect6` (`select`), and epoll (`epoll_create1`, `epoll_ctl`, `epoll_pwait`,
//! `epoll_pwait2`).
//!
//! A wait that cannot be answered yet parks the green thread (an interruptible
//! [`Wait::Io`](super::thread::Wait::Io)) and runs the same call again when a
//! descriptor may have changed, when its deadline or a watched timerfd's expiry
//! comes, or ends it with EINTR when a signal its mask lets through is pending.
//! The deadline and the caller's original signal mask survive between the runs
//! in [`Waits`], keyed by thread. When every thread waits, the scheduler sleeps
//! the host thread until the earliest deadline, so nothing spins.
//!
//! Readiness comes from [`event::readiness`]; edge-triggered epoll items are
//! reported again when a change counter of the side they watch moves
//! ([`event::generations`]), which is what Linux's wakeup callbacks amount to.
//! Ready epoll items are reported in the order they were added, and items just
//! reported move to the back (Linux re-queues level-triggered items at the tail).

use super::abi::{Out, Timespec};
use super::event;
use super::fd::{FileRef, Kind, OpenFile, MAX_FDS};
use super::{signal, thread, Args, Errno, SysResult};
use crate::machine::Machine;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::time::{Duration, Instant};

/// `POLL*` / `EPOLL*` event bits (the same values for both).
pub mod bits {
    pub const POLLIN: u32 = 0x1;
    pub const POLLPRI: u32 = 0x2;
    pub const POLLOUT: u32 = 0x4;
    pub const POLLERR: u32 = 0x8;
    pub const POLLHUP: u32 = 0x10;
    pub const POLLNVAL: u32 = 0x20;
    pub const POLLRDNORM: u32 = 0x40;
    pub const POLLRDBAND: u32 = 0x80;
    pub const POLLWRNORM: u32 = 0x100;
    pub const POLLWRBAND: u32 = 0x200;
    pub const POLLRDHUP: u32 = 0x2000;
    pub const EPOLLEXCLUSIVE: u32 = 1 << 28;
    pub const EPOLLONESHOT: u32 = 1 << 30;
    pub const EPOLLET: u32 = 1 << 31;
}
use bits::*;

/// Nesting depth of epoll instances Linux allows (`EPOLL_MAX_NESTS`).
const MAX_NESTS: u32 = 4;
/// Signals that can be neither blocked nor caught (SIGKILL, SIGSTOP).
const UNBLOCKABLE: u64 = 1 << 8 | 1 << 18;

/// One watched descriptor of an epoll instance. Like Linux, an item is keyed by
/// the descriptor number and the open file, and lives as long as the file does.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub(crate) fd: i32,
    pub(crate) file: Weak<RefCell<OpenFile>>,
    pub(crate) events: u32,
    pub(crate) data: u64,
    /// Edge-triggered: the change counters when last reported.
    pub(crate) seen: Option<(u64, u64)>,
    /// `EPOLLONESHOT` item already reported (until `EPOLL_CTL_MOD`).
    pub(crate) disarmed: bool,
}

/// An epoll instance: its interest list.
#[derive(Debug, Default)]
pub struct Epoll {
    pub(crate) items: Vec<Item>,
}

/// A poll-family call that is parked: when it gives up, and the signal mask to
/// restore when it ends (its own mask argument applies meanwhile).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Retry {
    pub(crate) deadline: Option<Instant>,
    pub(crate) mask: Option<u64>,
}

/// Parked poll-family calls, by thread id.
#[derive(Debug, Default)]
pub struct Waits(pub(crate) HashMap<u64, Retry>);

/// What a readiness scan found: the count to return, the guest memory to write
/// if the call returns now, and when a watched timer will change things.
struct Scan {
    count: u64,
    out: Vec<(u64, Vec<u8>)>,
    wake: Option<Instant>,
}

/// What `file` is ready for; epoll instances are ready when an item is.
fn ready(m: &Machine, file: &FileRef, depth: u32) -> u32 {
    let Ok(f) = file.try_borrow() else { return 0 };
    match &f.kind {
        Kind::Epoll(ep) if depth <= MAX_NESTS => {
            let any = ep
                .items
                .iter()
                .any(|it| item_events(m, it, depth + 1).is_some());
            if any {
                POLLIN | POLLRDNORM
            } else {
                0
            }
        }
        Kind::Epoll(_) => 0,
        _ => event::readiness(m, &f),
    }
}

/// The events an epoll item would report now (with its change counters).
fn item_events(m: &Machine, it: &Item, depth: u32) -> Option<(u32, (u64, u64))> {
    if it.disarmed {
        return None;
    }
    let file = it.file.upgrade()?;
    let r = ready(m, &file, depth) & (it.events | POLLERR | POLLHUP);
    if r == 0 {
        return None;
    }
    let gens = file
        .try_borrow()
        .map(|f| event::generations(m, &f))
        .unwrap_or_default();
    if it.events & EPOLLET != 0 {
        if let Some(seen) = it.seen {
            let input = it.events & (POLLIN | POLLRDNORM | POLLRDHUP | POLLPRI) != 0;
            let output = it.events & (POLLOUT | POLLWRNORM) != 0;
            if !(input && gens.0 != seen.0 || output && gens.1 != seen.1) {
                return None;
            }
        }
    }
    Some((r, gens))
}

/// When a timer behind `file` (or inside an epoll instance) expires next.
fn wake_time(file: &FileRef, depth: u32) -> Option<Instant> {
    let f = file.try_borrow().ok()?;
    match &f.kind {
        Kind::Epoll(ep) if depth <= MAX_NESTS => ep
            .items
            .iter()
            .filter(|it| !it.disarmed)
            .filter_map(|it| wake_time(&it.file.upgrade()?, depth + 1))
            .min(),
        _ => event::wake_time(&f),
    }
}

/// Restores the mask a finished call replaced.
fn restore(m: &mut Machine, r: Retry) {
    if let Some(mask) = r.mask {
        m.os.signals.mask = mask;
    }
}

/// Called by the scheduler when it ends a parked call of the running thread with
/// EINTR: the signal's handler frame must save the caller's own mask.
pub fn interrupted(m: &mut Machine) {
    let tid = m.os.threads.current;
    if let Some(Retry {
        mask: Some(mask), ..
    }) = m.os.waits.0.remove(&tid)
    {
        m.os.signals.saved_mask = Some(mask);
    }
}

/// The common body of the poll family: scans with `scan`, and returns what it
/// found, or 0 at the deadline, or EINTR for a deliverable signal, or parks.
/// `timeout_out` is a `struct timespec` to update with the time left.
fn wait(
    m: &mut Machine,
    a: &Args,
    timeout: Option<Duration>,
    sigmask: Option<u64>,
    timeout_out: u64,
    scan: impl Fn(&mut Machine) -> Result<Scan, Errno>,
) -> SysResult {
    let tid = m.os.threads.current;
    let retry = match m.os.waits.0.remove(&tid) {
        Some(r) => r,
        None => Retry {
            deadline: timeout.map(signal::after),
            mask: sigmask.map(|new| std::mem::replace(&mut m.os.signals.mask, new & !UNBLOCKABLE)),
        },
    };
    let s = match scan(m) {
        Ok(s) => s,
        Err(e) => {
            restore(m, retry);
            return Err(e);
        }
    };
    let now = Instant::now();
    if s.count > 0 || retry.deadline.is_some_and(|d| now >= d) {
        restore(m, retry);
        for (addr, bytes) in s.out {
            m.copy_out(addr, &bytes)?;
        }
        if let Some(d) = retry.deadline {
            let left = Timespec::from_duration(d.saturating_duration_since(now));
            m.write_timespec(timeout_out, left)?;
        }
        return Ok(s.count);
    }
    signal::fire_timers(m);
    let sig = &mut m.os.signals;
    if sig.pending_set() & !sig.mask != 0 {
        // Delivered on the way out; its frame saves the caller's own mask.
        if let Some(mask) = retry.mask {
            sig.saved_mask = Some(mask);
        }
        return Err(Errno::EINTR);
    }
    m.os.waits.0.insert(tid, retry);
    let wake = [retry.deadline, s.wake].into_iter().flatten().min();
    thread::block_and_retry_until(m, a, wake, true)
}

/// A `sigset_t` argument of `size` bytes at `addr` (null: none).
fn sigmask_arg(m: &Machine, addr: u64, size: u64) -> Result<Option<u64>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    if size != 8 {
        return Err(Errno::EINVAL);
    }
    Ok(Some(m.read_u64(addr)?))
}

fn timespec_arg(m: &Machine, addr: u64) -> Result<Option<Duration>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    let t = m.read_timespec(addr)?;
    Ok(Some(t.to_duration()))
}

/// ppoll(fds, nfds, timeout, sigmask, sigsetsize) with descriptors.
pub fn ppoll(m: &mut Machine, a: &Args) -> SysResult {
    let (fds, nfds) = (a.addr(0), a.u(1));
    if nfds > MAX_FDS as u64 {
        return Err(Errno::EINVAL);
    }
    let timeout = timespec_arg(m, a.addr(2))?;
    let sigmask = sigmask_arg(m, a.addr(3), a.u(4))?;
    wait(m, a, timeout, sigmask, a.addr(2), |m| {
        let mut pollfds = m.copy_in(fds, nfds * 8)?;
        let (mut count, mut wake) = (0, None::<Instant>);
        for p in pollfds.chunks_exact_mut(8) {
            let fd = i32::from_le_bytes([p[0], p[1], p[2], p[3]]);
            let events = u16::from_le_bytes([p[4], p[5]]) as u32;
            let revents = if fd < 0 {
                0
            } else {
                match m.os.fds.get(fd) {
                    Err(_) => POLLNVAL,
                    Ok(f) => {
                        wake = [wake, wake_time(&f, 0)].into_iter().flatten().min();
                        ready(m, &f, 0) & (events | POLLERR | POLLHUP)
                    }
                }
            };
            p[6..8].copy_from_slice(&(revents as u16).to_le_bytes());
            count += u64::from(revents != 0);
        }
        Ok(Scan {
            count,
            out: vec![(fds, pollfds)],
            wake,
        })
    })
}

/// pselect6(nfds, readfds, writefds, exceptfds, timeout, sigmask): `sigmask` points
/// to `{ const sigset_t *ss; size_t ss_len; }`.
pub fn pselect6(m: &mut Machine, a: &Args) -> SysResult {
    const IN: u32 = POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR;
    const OUT: u32 = POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR;
    const EX: u32 = POLLPRI;
    let n = usize::try_from(a.int(0)).map_err(|_| Errno::EINVAL)?;
    let n = n.min(MAX_FDS);
    let bytes = n.div_ceil(64) as u64 * 8;
    let sets = [a.addr(1), a.addr(2), a.addr(3)];
    let timeout = timespec_arg(m, a.addr(4))?;
    let sigmask = match a.addr(5) {
        0 => None,
        p => sigmask_arg(m, m.read_u64(p)?, m.read_u64(p + 8)?)?,
    };
    wait(m, a, timeout, sigmask, a.addr(4), |m| {
        let mut inputs = Vec::new();
        for &s in &sets {
            inputs.push(match s {
                0 => vec![0; bytes as usize],
                s => m.copy_in(s, bytes)?,
            });
        }
        let mut outputs = vec![vec![0u8; bytes as usize]; 3];
        let (mut count, mut wake) = (0, None::<Instant>);
        for fd in 0..n {
            let (byte, bit) = (fd / 8, 1u8 << (fd % 8));
            if inputs.iter().all(|set| set[byte] & bit == 0) {
                continue;
            }
            let f = m.os.fds.get(fd as i32)?;
            wake = [wake, wake_time(&f, 0)].into_iter().flatten().min();
            let r = ready(m, &f, 0);
            for (i, want) in [IN, OUT, EX].into_iter().enumerate() {
                if inputs[i][byte] & bit != 0 && r & want != 0 {
                    outputs[i][byte] |= bit;
                    count += 1;
                }
            }
        }
        let out = sets
            .iter()
            .zip(outputs)
            .filter(|(&s, _)| s != 0)
            .map(|(&s, o)| (s, o))
            .collect();
        Ok(Scan { count, out, wake })
    })
}

/// epoll_create1(flags).
pub fn epoll_create1(m: &mut Machine, a: &Args) -> SysResult {
    let flags = a.u(0) as u32;
    let cloexec = super::fd::flags::O_CLOEXEC;
    if flags & !cloexec != 0 {
        return Err(Errno::EINVAL);
    }
    let file = OpenFile::new(
        Kind::Epoll(Epoll::default()),
        "anon_inode:[eventpoll]".into(),
        super::fd::flags::O_RDWR,
    );
    Ok(m.os.fds.insert(file, flags & cloexec != 0)? as u64)
}

/// Whether epoll instance `from` watches `to`, directly or through nested
/// instances (`depth` levels deep at most; deeper counts as a loop, as in Linux).
fn reaches(from: &FileRef, to: &FileRef, depth: u32) -> bool {
    if Rc::ptr_eq(from, to) || depth > MAX_NESTS {
        return true;
    }
    let Ok(f) = from.try_borrow() else {
        return true;
    };
    let Kind::Epoll(ep) = &f.kind else {
        return false;
    };
    ep.items.iter().any(|it| {
        it.file.upgrade().is_some_and(|g| {
            matches!(
                g.try_borrow().map(|g| matches!(g.kind, Kind::Epoll(_))),
                Ok(true)
            ) && reaches(&g, to, depth + 1)
        })
    })
}

/// epoll_ctl(epfd, op, fd, event).
pub fn epoll_ctl(m: &mut Machine, a: &Args) -> SysResult {
    const ADD: i32 = 1;
    const DEL: i32 = 2;
    const MOD: i32 = 3;
    let (op, fd) = (a.int(1), a.int(2));
    let ep_file = m.os.fds.get(a.int(0))?;
    let target = m.os.fds.get(fd)?;
    let (events, data) = match op {
        ADD | MOD => {
            let b = m.copy_in(a.addr(3), 16)?;
            let b = super::abi::In(&b);
            (b.u32(0), b.u64(8))
        }
        DEL => (0, 0),
        _ => return Err(Errno::EINVAL),
    };
    if !matches!(ep_file.borrow().kind, Kind::Epoll(_)) || Rc::ptr_eq(&ep_file, &target) {
        return Err(Errno::EINVAL);
    }
    // Files without a poll method cannot be watched.
    if matches!(
        target.borrow().kind,
        Kind::File(_)
            | Kind::Dir { .. }
            | Kind::Null
            | Kind::Zero
            | Kind::Full
            | Kind::Bytes(..)
            | Kind::Mem(_)
    ) {
        return Err(Errno::EPERM);
    }
    if op == ADD && matches!(target.borrow().kind, Kind::Epoll(_)) && reaches(&target, &ep_file, 1)
    {
        return Err(Errno::ELOOP);
    }
    let mut guard = ep_file.borrow_mut();
    let Kind::Epoll(ep) = &mut guard.kind else {
        return Err(Errno::EINVAL);
    };
    ep.items.retain(|it| it.file.strong_count() > 0);
    let pos = ep
        .items
        .iter()
        .position(|it| it.fd == fd && it.file.upgrade().is_some_and(|f| Rc::ptr_eq(&f, &target)));
    match (op, pos) {
        (ADD, Some(_)) => return Err(Errno::EEXIST),
        (ADD, None) => ep.items.push(Item {
            fd,
            file: Rc::downgrade(&target),
            events,
            data,
            seen: None,
            disarmed: false,
        }),
        (_, None) => return Err(Errno::ENOENT),
        (MOD, Some(_)) if events & EPOLLEXCLUSIVE != 0 => return Err(Errno::EINVAL),
        (MOD, Some(i)) => {
            let it = &mut ep.items[i];
            (it.events, it.data, it.seen, it.disarmed) = (events, data, None, false);
        }
        (_, Some(i)) => {
            ep.items.remove(i);
        }
    }
    drop(guard);
    // A thread waiting on this instance may now have something to report.
    thread::wake_io(m);
    Ok(0)
}

/// epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize).
pub fn epoll_pwait(m: &mut Machine, a: &Args) -> SysResult {
    let ms = a.int(3);
    let timeout = (ms >= 0).then(|| Duration::from_millis(ms as u64));
    epoll_wait(m, a, timeout, 0)
}

/// epoll_pwait2(epfd, events, maxevents, timeout, sigmask, sigsetsize).
pub fn epoll_pwait2(m: &mut Machine, a: &Args) -> SysResult {
    let timeout = timespec_arg(m, a.addr(3))?;
    epoll_wait(m, a, timeout, 0)
}

fn epoll_wait(m: &mut Machine, a: &Args, timeout: Option<Duration>, timeout_out: u64) -> SysResult {
    let (events_addr, max) = (a.addr(1), a.int(2));
    let ep_file = m.os.fds.get(a.int(0))?;
    if !matches!(ep_file.borrow().kind, Kind::Epoll(_)) || max <= 0 || max > i32::MAX / 16 {
        return Err(Errno::EINVAL);
    }
    let sigmask = sigmask_arg(m, a.addr(4), a.u(5))?;
    wait(m, a, timeout, sigmask, timeout_out, |m| {
        let items = match &ep_file.borrow().kind {
            Kind::Epoll(ep) => ep.items.clone(),
            _ => return Err(Errno::EINVAL),
        };
        let mut found = Vec::new();
        for (i, it) in items.iter().enumerate() {
            if found.len() == max as usize {
                break;
            }
            if let Some((r, gens)) = item_events(m, it, 1) {
                found.push((i, r, gens));
            }
        }
        let wake = wake_time(&ep_file, 0);
        if found.is_empty() {
            return Ok(Scan {
                count: 0,
                out: Vec::new(),
                wake,
            });
        }
        let mut out = Out::new(found.len() * 16);
        for (k, &(i, r, _)) in found.iter().enumerate() {
            out.u32(k * 16, r).u64(k * 16 + 8, items[i].data);
        }
        // Reported: one-shot items disarm, edge-triggered ones remember the
        // counters, and all move to the back of the list.
        let mut f = ep_file.borrow_mut();
        if let Kind::Epoll(ep) = &mut f.kind {
            let mut reported = Vec::new();
            for &(i, _, gens) in found.iter().rev() {
                let mut it = ep.items.remove(i);
                if it.events & EPOLLONESHOT != 0 {
                    it.disarmed = true;
                }
                it.seen = Some(gens);
                reported.push(it);
            }
            ep.items.extend(reported.into_iter().rev());
        }
        Ok(Scan {
            count: found.len() as u64,
            out: vec![(events_addr, out.0)],
            wake,
        })
    })
}
