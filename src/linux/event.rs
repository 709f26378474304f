//! Descriptors that are not files: `eventfd2` counters, `timerfd_*` timers,
//! `signalfd4`, `memfd_create` anonymous files, `socketpair` (two in-process
//! pipes), and `copy_file_range`.
//!
//! Their state lives in the open file ([`Kind`]); reads that cannot complete yet
//! park the thread like pipe reads do (see `io::transfer`), and `poll`/`epoll`
//! ask [`readiness`] what each one is ready for. Timers are lazy: expirations are
//! counted from the clock when someone looks, so nothing runs in the background.

use super::abi::{siginfo, Out, Timespec};
use super::fd::{flags::*, Kind, OpenFile};
use super::poll::bits::*;
use super::{signal, thread, Args, Errno, SysResult};
use crate::machine::Machine;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Largest value an eventfd counter holds (`ULLONG_MAX - 1`).
pub(crate) const EVENTFD_MAX: u64 = u64::MAX - 1;
const EFD_SEMAPHORE: u32 = 1;

/// An `eventfd` counter.
#[derive(Debug)]
pub struct EventFd {
    pub(crate) count: u64,
    pub(crate) semaphore: bool,
    /// Change counters for edge-triggered epoll: writes, then reads.
    pub(crate) gens: (u64, u64),
}

impl EventFd {
    pub(super) fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        if buf.len() < 8 {
            return Err(Errno::EINVAL);
        }
        if self.count == 0 {
            return Err(Errno::EAGAIN);
        }
        let v = if self.semaphore { 1 } else { self.count };
        self.count -= v;
        self.gens.1 += 1;
        buf[..8].copy_from_slice(&v.to_le_bytes());
        Ok(8)
    }

    pub(super) fn write(&mut self, data: &[u8]) -> Result<usize, Errno> {
        let v = data
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or(Errno::EINVAL)?;
        if v == u64::MAX {
            return Err(Errno::EINVAL);
        }
        if EVENTFD_MAX - self.count < v {
            return Err(Errno::EAGAIN);
        }
        self.count += v;
        self.gens.0 += 1;
        Ok(8)
    }
}

/// A `timerfd`: the next expiry, the reload interval and unread expirations.
#[derive(Clone, Debug)]
pub struct TimerFd {
    pub(crate) clock: i32,
    pub(crate) next: Option<Instant>,
    pub(crate) interval: Duration,
    pub(crate) ticks: u64,
    /// Expirations ever counted (edge-triggered epoll reports each new one).
    pub(crate) total: u64,
}

impl TimerFd {
    /// Expirations due by `now` beyond those counted, and the expiry after them.
    pub(crate) fn due(&self, now: Instant) -> (u64, Option<Instant>) {
        match self.next {
            Some(next) if next <= now => {
                if self.interval.is_zero() {
                    return (1, None);
                }
                let behind = now.duration_since(next).as_nanos() / self.interval.as_nanos();
                let n = u64::try_from(behind).unwrap_or(u64::MAX - 1) + 1;
                let step = self
                    .interval
                    .saturating_mul(u32::try_from(n).unwrap_or(u32::MAX));
                (n, Some(signal::at_or_far(next, step)))
            }
            next => (0, next),
        }
    }

    pub(super) fn update(&mut self) {
        let (n, next) = self.due(Instant::now());
        self.ticks = self.ticks.saturating_add(n);
        self.total = self.total.wrapping_add(n);
        self.next = next;
    }

    /// When the timer fires next (a blocked reader or poller wakes then).
    pub fn next_expiry(&self) -> Option<Instant> {
        self.next
    }

    pub(super) fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        if buf.len() < 8 {
            return Err(Errno::EINVAL);
        }
        self.update();
        if self.ticks == 0 {
            return Err(Errno::EAGAIN);
        }
        buf[..8].copy_from_slice(&self.ticks.to_le_bytes());
        self.ticks = 0;
        Ok(8)
    }
}

/// The bytes of a `memfd` and the file offset.
#[derive(Debug, Default)]
pub struct MemFile {
    /// Contents.
    pub data: Vec<u8>,
    pub(crate) pos: u64,
}

/// Largest memfd MVVM keeps: it lives in the emulator's memory, and offsets must
/// fit a wasm32 `usize`.
pub(super) const MEMFD_MAX: u64 = 1 << 31;

impl MemFile {
    pub(super) fn read(&mut self, buf: &mut [u8]) -> usize {
        let start = self.pos.min(self.data.len() as u64) as usize;
        let n = buf.len().min(self.data.len() - start);
        buf[..n].copy_from_slice(&self.data[start..start + n]);
        self.pos += n as u64;
        n
    }

    pub(super) fn write(&mut self, data: &[u8], append: bool) -> Result<usize, Errno> {
        if append {
            self.pos = self.data.len() as u64;
        }
        let end = self
            .pos
            .checked_add(data.len() as u64)
            .ok_or(Errno::EFBIG)?;
        if end > self.data.len() as u64 {
            self.set_len(end)?;
        }
        let start = self.pos as usize;
        self.data[start..start + data.len()].copy_from_slice(data);
        self.pos = end;
        Ok(data.len())
    }

    pub(super) fn seek(&mut self, off: i64, whence: i32) -> Result<u64, Errno> {
        let base = match whence {
            0 => 0,
            1 => self.pos as i64,
            2 => self.data.len() as i64,
            _ => return Err(Errno::EINVAL),
        };
        let new = base
            .checked_add(off)
            .filter(|&p| p >= 0)
            .ok_or(Errno::EINVAL)?;
        self.pos = new as u64;
        Ok(self.pos)
    }

    /// Truncates or zero-extends to `len` bytes.
    pub fn set_len(&mut self, len: u64) -> Result<(), Errno> {
        if len > MEMFD_MAX {
            return Err(Errno::EFBIG);
        }
        let len = len as usize;
        if len > self.data.len() {
            self.data
                .try_reserve(len - self.data.len())
                .map_err(|_| Errno::ENOMEM)?;
        }
        self.data.resize(len, 0);
        Ok(())
    }
}

/// What `file` is ready for (`POLL*` bits), as its Linux `poll` method says.
pub fn readiness(m: &Machine, file: &OpenFile) -> u32 {
    const DEFAULT: u32 = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
    match &file.kind {
        Kind::Pipe(end) => end.poll(),
        Kind::Fifo { rx, tx } => {
            rx.poll() & (POLLIN | POLLRDNORM | POLLHUP) | tx.poll() & (POLLOUT | POLLWRNORM)
        }
        Kind::Unix(s) => super::unix::poll(s),
        Kind::Event(e) => {
            let mut r = if e.count > 0 { POLLIN } else { 0 };
            if e.count < EVENTFD_MAX {
                r |= POLLOUT;
            }
            r
        }
        Kind::Timer(t) => {
            if t.ticks > 0 || t.due(Instant::now()).0 > 0 {
                POLLIN
            } else {
                0
            }
        }
        Kind::Signal(set) => {
            if m.os.signals.pending_set() & set != 0 {
                POLLIN
            } else {
                0
            }
        }
        Kind::Epoll(_) => 0, // asked of poll.rs, which knows the interest lists
        Kind::Net(s) => s.poll(),
        Kind::Stdin => host_stdin_readiness(),
        Kind::Stdout | Kind::Stderr | Kind::Sink(_) => POLLOUT | POLLWRNORM,
        Kind::File(_)
        | Kind::Dir { .. }
        | Kind::Null
        | Kind::Zero
        | Kind::Full
        | Kind::Random
        | Kind::Bytes(..)
        | Kind::Mem(_) => DEFAULT,
    }
}

/// Change counters `(input side, output side)` of `file`, for edge-triggered epoll:
/// an item is reported again when the counter of a side it watches moves.
pub fn generations(m: &Machine, file: &OpenFile) -> (u64, u64) {
    match &file.kind {
        Kind::Pipe(end) => end.generations(),
        Kind::Fifo { rx, tx } => (rx.generations().0, tx.generations().1),
        Kind::Unix(s) => super::unix::generations(s),
        Kind::Event(e) => e.gens,
        Kind::Timer(t) => (t.total.wrapping_add(t.due(Instant::now()).0), 0),
        Kind::Signal(set) => (m.os.signals.pending_set() & set, 0),
        Kind::Net(s) => s.generations(),
        _ => (0, 0),
    }
}

/// The earliest time at which `file` becomes ready by itself (timers), or
/// should be looked at again (host sockets).
pub fn wake_time(file: &OpenFile) -> Option<Instant> {
    match &file.kind {
        Kind::Timer(t) => t.next,
        Kind::Net(_) | Kind::Stdin => Some(super::net::next_look()),
        _ => None,
    }
}

/// Whether the host's standard input has something to read (or its end), asked
/// without reading: the host's `poll` natively; under WASI the stream's pollable.
#[cfg(unix)]
fn host_stdin_readiness() -> u32 {
    #[repr(C)]
    struct PollFd {
        fd: i32,
        events: i16,
        revents: i16,
    }
    extern "C" {
        fn poll(fds: *mut PollFd, n: u64, timeout: i32) -> i32;
    }
    let mut p = PollFd {
        fd: 0,
        events: POLLIN as i16,
        revents: 0,
    };
    // SAFETY: `p` is one valid, writable pollfd for the duration of the call, and a
    // zero timeout makes it return at once.
    let n = unsafe { poll(&mut p, 1, 0) };
    let revents = p.revents as u32;
    match n {
        // An error: let the guest's read report it.
        n if n < 0 => POLLIN | POLLRDNORM,
        0 => 0,
        _ if revents & (POLLIN | POLLHUP | POLLERR) != 0 => {
            POLLIN | POLLRDNORM | revents & (POLLHUP | POLLERR)
        }
        _ => 0,
    }
}

#[cfg(target_os = "wasi")]
fn host_stdin_readiness() -> u32 {
    // One handle for the whole run: some hosts (jco's) end the stream when a
    // handle to it is dropped.
    thread_local! {
        static STDIN: wasi::io::streams::InputStream = wasi::cli::stdin::get_stdin();
    }
    if STDIN.with(|s| s.subscribe().ready()) {
        POLLIN | POLLRDNORM
    } else {
        0
    }
}

#[cfg(not(any(unix, target_os = "wasi")))]
fn host_stdin_readiness() -> u32 {
    POLLIN | POLLRDNORM
}

/// `O_CLOEXEC`/`O_NONBLOCK` creation flags shared by the calls here; anything
/// else in `flags` (beyond `extra`) is EINVAL.
fn creation_flags(flags: u32, extra: u32) -> Result<(bool, u32), Errno> {
    if flags & !(O_CLOEXEC | O_NONBLOCK | extra) != 0 {
        return Err(Errno::EINVAL);
    }
    Ok((flags & O_CLOEXEC != 0, flags & O_NONBLOCK))
}

fn install(m: &mut Machine, kind: Kind, path: &str, flags: u32, cloexec: bool) -> SysResult {
    let file = OpenFile::new(kind, path.into(), flags);
    Ok(m.os.fds.insert(file, cloexec)? as u64)
}

/// eventfd2(initval, flags).
pub fn eventfd2(m: &mut Machine, a: &Args) -> SysResult {
    let flags = a.u(1) as u32;
    let (cloexec, status) = creation_flags(flags, EFD_SEMAPHORE)?;
    let e = EventFd {
        count: a.u(0) as u32 as u64,
        semaphore: flags & EFD_SEMAPHORE != 0,
        gens: (0, 0),
    };
    install(
        m,
        Kind::Event(e),
        "anon_inode:[eventfd]",
        status | O_RDWR,
        cloexec,
    )
}

pub(crate) const CLOCK_REALTIME: i32 = 0;
pub(crate) const CLOCK_MONOTONIC: i32 = 1;
pub(crate) const CLOCK_BOOTTIME: i32 = 7;
const CLOCK_REALTIME_ALARM: i32 = 8;
const CLOCK_BOOTTIME_ALARM: i32 = 9;
const TFD_TIMER_ABSTIME: u32 = 1;
const TFD_TIMER_CANCEL_ON_SET: u32 = 2;

/// timerfd_create(clockid, flags).
pub fn timerfd_create(m: &mut Machine, a: &Args) -> SysResult {
    let clock = a.int(0);
    let (cloexec, status) = creation_flags(a.u(1) as u32, 0)?;
    match clock {
        CLOCK_REALTIME | CLOCK_MONOTONIC | CLOCK_BOOTTIME => {}
        // These need CAP_WAKE_ALARM.
        CLOCK_REALTIME_ALARM | CLOCK_BOOTTIME_ALARM => return Err(Errno::EPERM),
        _ => return Err(Errno::EINVAL),
    }
    let t = TimerFd {
        clock,
        next: None,
        interval: Duration::ZERO,
        ticks: 0,
        total: 0,
    };
    install(
        m,
        Kind::Timer(t),
        "anon_inode:[timerfd]",
        status | O_RDWR,
        cloexec,
    )
}

/// `struct itimerspec` of `t` (interval, then time left), after counting expirations.
pub(super) fn itimerspec(t: &mut TimerFd) -> Vec<u8> {
    t.update();
    let left = t
        .next
        .map(|n| n.saturating_duration_since(Instant::now()))
        .unwrap_or_default();
    let mut o = Out::new(32);
    o.u64(0, t.interval.as_secs())
        .u64(8, t.interval.subsec_nanos() as u64);
    if t.next.is_some() {
        // Like Linux, a timer that is due shows at least 1 ns left.
        let left = left.max(Duration::from_nanos(1));
        o.u64(16, left.as_secs())
            .u64(24, left.subsec_nanos() as u64);
    }
    o.0
}

/// Runs `f` on the timer behind `fd`.
fn with_timer<T>(
    m: &Machine,
    fd: i32,
    f: impl FnOnce(&mut TimerFd) -> Result<T, Errno>,
) -> Result<T, Errno> {
    let file = m.os.fds.get(fd)?;
    let mut file = file.borrow_mut();
    match &mut file.kind {
        Kind::Timer(t) => f(t),
        _ => Err(Errno::EINVAL),
    }
}

/// When a timer on `clock` set to `value` (zero: disarmed) expires: `value` from
/// now, or with `absolute` at that time of the clock, converted to a point on the
/// monotonic clock now (a time already past fires at once, counting the intervals
/// missed).
pub(super) fn deadline(clock: i32, value: Timespec, absolute: bool) -> Option<Instant> {
    if value == Timespec::default() {
        return None;
    }
    if !absolute {
        return Some(signal::after(value.to_duration()));
    }
    let now = Instant::now();
    let clock_now = match clock {
        CLOCK_REALTIME => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default(),
        _ => super::time::since_boot(),
    };
    let target = value.to_duration();
    Some(match target.checked_sub(clock_now) {
        Some(ahead) => signal::after(ahead),
        None => now.checked_sub(clock_now - target).unwrap_or(now),
    })
}

/// timerfd_settime(fd, flags, new, old).
pub fn timerfd_settime(m: &mut Machine, a: &Args) -> SysResult {
    let (fd, flags) = (a.int(0), a.u(1) as u32);
    if flags & !(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET) != 0 {
        return Err(Errno::EINVAL);
    }
    let interval = m.read_timespec(a.addr(2))?.to_duration();
    let value = m.read_timespec(a.addr(2) + 16)?;
    let old = with_timer(m, fd, |t| {
        let old = itimerspec(t);
        t.ticks = 0;
        t.interval = interval;
        t.next = deadline(t.clock, value, flags & TFD_TIMER_ABSTIME != 0);
        Ok(old)
    })?;
    if a.addr(3) != 0 {
        m.copy_out(a.addr(3), &old)?;
    }
    // Threads waiting on this timer must look at its new expiry.
    thread::wake_io(m);
    Ok(0)
}

/// timerfd_gettime(fd, cur).
pub fn timerfd_gettime(m: &mut Machine, a: &Args) -> SysResult {
    let cur = with_timer(m, a.int(0), |t| Ok(itimerspec(t)))?;
    m.copy_out(a.addr(1), &cur)?;
    Ok(0)
}

/// signalfd4(fd, mask, sizemask, flags): a new signalfd, or a new mask for one.
pub fn signalfd4(m: &mut Machine, a: &Args) -> SysResult {
    const SIGKILL_STOP: u64 = 1 << 8 | 1 << 18;
    let (fd, size) = (a.int(0), a.u(2));
    let (cloexec, status) = creation_flags(a.u(3) as u32, 0)?;
    if size != 8 {
        return Err(Errno::EINVAL);
    }
    let set = m.read_u64(a.addr(1))? & !SIGKILL_STOP;
    if fd == -1 {
        return install(
            m,
            Kind::Signal(set),
            "anon_inode:[signalfd]",
            status | O_RDWR,
            cloexec,
        );
    }
    let file = m.os.fds.get(fd)?;
    match &mut file.borrow_mut().kind {
        Kind::Signal(s) => *s = set,
        _ => return Err(Errno::EINVAL),
    }
    Ok(fd as u64)
}

/// `sizeof(struct signalfd_siginfo)`.
const SSI_SIZE: usize = 128;

/// A `struct signalfd_siginfo` for a dequeued signal, from its siginfo (the
/// fields Linux's `signalfd_copyinfo` fills for each siginfo layout).
fn signalfd_siginfo(sig: u8, info: &[u8; siginfo::SIZE]) -> Vec<u8> {
    const SI_KERNEL: i32 = 0x80;
    let b = super::abi::In(info);
    let code = b.u32(siginfo::CODE) as i32;
    let mut o = Out::new(SSI_SIZE);
    o.u32(0, sig as u32).u32(4, b.u32(4)).u32(8, code as u32);
    let fault = matches!(sig, 4 | 5 | 7 | 8 | 11) && code > 0 && code != SI_KERNEL;
    if fault {
        o.u64(72, b.u64(siginfo::ADDR));
    } else {
        o.u32(12, b.u32(siginfo::PID)).u32(16, b.u32(siginfo::UID));
        if code < 0 {
            // Queued signals carry a value: ssi_int and ssi_ptr.
            o.u32(44, b.u32(24)).u64(48, b.u64(24));
        }
    }
    o.0
}

/// read() of a signalfd: one `signalfd_siginfo` per pending signal of its set.
pub fn signalfd_read(m: &mut Machine, fd: i32, addr: u64, len: u64, _: Option<u64>) -> SysResult {
    let set = match m.os.fds.get(fd)?.borrow().kind {
        Kind::Signal(set) => set,
        _ => return Err(Errno::EINVAL),
    };
    let room = (len / SSI_SIZE as u64).min(64) as usize;
    if room == 0 {
        return Err(Errno::EINVAL);
    }
    let mut out = Vec::new();
    while out.len() < room * SSI_SIZE {
        let Some((sig, info)) = signal::take(m, set) else {
            break;
        };
        out.extend(signalfd_siginfo(sig, &info));
    }
    if out.is_empty() {
        return Err(Errno::EAGAIN);
    }
    m.copy_out(addr, &out)?;
    Ok(out.len() as u64)
}

/// memfd_create(name, flags).
pub fn memfd_create(m: &mut Machine, a: &Args) -> SysResult {
    const MFD_CLOEXEC: u32 = 1;
    const MFD_ALLOW_SEALING: u32 = 2;
    const MFD_HUGETLB: u32 = 4;
    const MFD_NOEXEC_SEAL: u32 = 8;
    const MFD_EXEC: u32 = 0x10;
    let flags = a.u(1) as u32;
    let known = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC;
    // Huge-page sizes ride in the high bits only with MFD_HUGETLB.
    if flags & !known != 0 && (flags & MFD_HUGETLB == 0 || flags & !(known | 0xfc00_0000) != 0) {
        return Err(Errno::EINVAL);
    }
    // NAME_MAX minus the "memfd:" prefix.
    let name = match m.mem.read_cstr(a.addr(0), 250) {
        Some(name) => name,
        None if m.mem.read_cstr(a.addr(0), 1 << 16).is_some() => return Err(Errno::EINVAL),
        None => return Err(Errno::EFAULT),
    };
    let path = format!("/memfd:{} (deleted)", String::from_utf8_lossy(&name));
    let kind = Kind::Mem(MemFile::default());
    install(m, kind, &path, O_RDWR, flags & MFD_CLOEXEC != 0)
}

/// Whether two regular files are on one filesystem: Linux (since 5.19) copies
/// across filesystems only when one filesystem type implements it, which neither
/// tmpfs (memfds) nor the common disk filesystems do.
fn same_filesystem(a: &Kind, b: &Kind) -> bool {
    match (a, b) {
        (Kind::Mem(_), Kind::Mem(_)) => true,
        #[cfg(unix)]
        (Kind::File(x), Kind::File(y)) => {
            use std::os::unix::fs::MetadataExt;
            match (x.metadata(), y.metadata()) {
                (Ok(x), Ok(y)) => x.dev() == y.dev(),
                _ => true,
            }
        }
        // WASI does not tell which filesystem a file is on.
        #[cfg(not(unix))]
        (Kind::File(_), Kind::File(_)) => true,
        _ => false,
    }
}

/// copy_file_range(fd_in, off_in, fd_out, off_out, len, flags) between regular
/// files (host files or memfds), through a buffer.
pub fn copy_file_range(m: &mut Machine, a: &Args) -> SysResult {
    const CHUNK: usize = 1 << 16;
    let (off_in_ptr, off_out_ptr) = (a.addr(1), a.addr(3));
    if a.u(5) != 0 {
        return Err(Errno::EINVAL);
    }
    let input = m.os.fds.get(a.int(0))?;
    let output = m.os.fds.get(a.int(2))?;
    for (f, write) in [(&input, false), (&output, true)] {
        let f = f.borrow();
        let mode = f.flags & O_ACCMODE;
        let usable = if write {
            mode != 0 && f.flags & O_APPEND == 0
        } else {
            mode != O_WRONLY
        };
        if !usable {
            return Err(Errno::EBADF);
        }
        match f.kind {
            Kind::File(_) | Kind::Mem(_) => {}
            Kind::Dir { .. } => return Err(Errno::EISDIR),
            _ => return Err(Errno::EINVAL),
        }
    }
    if !same_filesystem(&input.borrow().kind, &output.borrow().kind) {
        return Err(Errno::EXDEV);
    }
    let read_off = |m: &Machine, p: u64| -> Result<Option<u64>, Errno> {
        if p == 0 {
            return Ok(None);
        }
        u64::try_from(m.read_u64(p)? as i64)
            .map(Some)
            .map_err(|_| Errno::EINVAL)
    };
    let (mut off_in, mut off_out) = (read_off(m, off_in_ptr)?, read_off(m, off_out_ptr)?);
    let same = std::rc::Rc::ptr_eq(&input, &output);
    if same {
        // Overlapping ranges of one file are refused, as Linux does.
        let len = a.u(4);
        let cur = input.borrow_mut().seek(0, 1)?;
        let (i, o) = (off_in.unwrap_or(cur), off_out.unwrap_or(cur));
        if i < o.saturating_add(len) && o < i.saturating_add(len) {
            return Err(Errno::EINVAL);
        }
    }
    let mut left = a.u(4).min(0x7fff_f000);
    let mut total = 0u64;
    let mut buf = vec![0u8; CHUNK];
    while left > 0 {
        let want = (left as usize).min(CHUNK);
        let n = {
            let mut f = input.borrow_mut();
            match off_in {
                Some(o) => f.pread(&mut buf[..want], o)?,
                None => f.read(&mut buf[..want])?,
            }
        };
        if n == 0 {
            break;
        }
        let w = {
            let mut f = output.borrow_mut();
            match off_out {
                Some(o) => f.pwrite(&buf[..n], o)?,
                None => f.write(&buf[..n])?,
            }
        };
        off_in = off_in.map(|o| o + w as u64);
        off_out = off_out.map(|o| o + w as u64);
        total += w as u64;
        left -= w as u64;
        if w < n {
            break;
        }
    }
    if let Some(o) = off_in {
        m.write_u64(off_in_ptr, o)?;
    }
    if let Some(o) = off_out {
        m.write_u64(off_out_ptr, o)?;
    }
    Ok(total)
}
