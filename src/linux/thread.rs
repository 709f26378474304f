//! Guest threads as green threads: `clone` with `CLONE_VM|CLONE_THREAD`, futexes,
//! thread exit, `sched_yield`, affinity.
//!
//! All guest threads run on the one host thread. The running thread's state lives
//! in the machine (`m.hart`, the signal mask, `clear_child_tid`); the others wait in
//! [`Threads::queue`] in round-robin order. System calls never switch threads
//! themselves (the caller's `a0` is written after the handler returns): they ask
//! for a switch with [`Threads::request`], and the run loop performs it through
//! [`reschedule`]. Preemption is by instruction budget: the running thread is
//! preempted once it has run [`QUANTUM`] blocks without a system call (the blocks
//! left are [`Threads::slice`], which survives snapshots), so a run is
//! deterministic given the same inputs; a program whose threads all block forever
//! is reported as a deadlock instead of hanging. Other processes are scheduled at
//! the same points (`schedule` goes to a process that can run first, round
//! robin, then to a thread of the running one; see `procs`).

use super::{Args, Errno, ExitStatus, SysResult, PID};
use crate::hart::Hart;
use crate::machine::Machine;
use std::collections::VecDeque;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Blocks a thread runs without a system call before another thread gets its turn
/// (also how often the run loop looks for timers and pending signals).
pub const QUANTUM: u64 = 1 << 16;

const CLONE_VM: u64 = 0x100;
const CLONE_VFORK: u64 = 0x4000;
const CLONE_THREAD: u64 = 0x10000;
const CLONE_SETTLS: u64 = 0x80000;
pub(super) const CLONE_PARENT_SETTID: u64 = 0x100000;
const CLONE_CHILD_CLEARTID: u64 = 0x200000;
pub(super) const CLONE_CHILD_SETTID: u64 = 0x1000000;

/// Why a waiting thread is not runnable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// Runnable.
    None,
    /// Blocked in `futex` on `addr` for the wake bits `bitset`, until `deadline`.
    Futex {
        addr: u64,
        bitset: u32,
        deadline: Option<Instant>,
    },
    /// Waiting for a descriptor to change (or for `deadline`); the system call
    /// runs again when woken. An `interruptible` wait (the poll family) also ends
    /// when a signal its mask lets through is pending: the call then fails with
    /// EINTR instead of running again.
    Io {
        deadline: Option<Instant>,
        interruptible: bool,
    },
    /// In `rt_sigtimedwait` for a signal of `set` while other threads run: the call
    /// runs again (and takes it) when one is pending; it fails with EAGAIN at
    /// `deadline`, and with EINTR when a signal its mask lets through is pending.
    Signal { set: u64, deadline: Option<Instant> },
    /// In `nanosleep`/`clock_nanosleep` (at the `ecall`) while other threads or
    /// processes run: the call returns 0 at `deadline`, or fails with EINTR when a signal its mask
    /// lets through is pending, writing the time left to `rem` (if not 0).
    Sleep { deadline: Instant, rem: u64 },
}

/// A thread that is not running right now.
#[derive(Clone, Debug)]
pub struct Thread {
    /// Thread id.
    pub tid: u64,
    /// Saved registers (pc is past the `ecall` that switched it out).
    pub hart: Hart,
    /// Its blocked-signal mask.
    pub sigmask: u64,
    /// `set_tid_address` / `CLONE_CHILD_CLEARTID` pointer.
    pub clear_child_tid: u64,
    /// What it waits for.
    pub wait: Wait,
}

/// What the running thread asked the scheduler to do after its system call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    /// Let another thread run (`sched_yield`, budget spent).
    Yield,
    /// Block in `futex`.
    Block(Wait),
    /// The running thread has exited.
    Exit,
}

/// The threads of the process other than the running one.
#[derive(Debug)]
pub struct Threads {
    /// Thread id of the running thread.
    pub current: u64,
    /// Waiting and runnable threads, in round-robin order.
    pub queue: VecDeque<Thread>,
    pub(crate) next_tid: u64,
    pub(crate) request: Option<Switch>,
    /// Blocks the running thread may still run before it is preempted (1 to
    /// [`QUANTUM`]); kept across runs cut short for a snapshot or by an embedder's
    /// budget, so that those do not move the scheduling points.
    pub(crate) slice: u64,
}

impl Default for Threads {
    fn default() -> Self {
        Threads {
            current: PID,
            queue: VecDeque::new(),
            next_tid: PID + 1,
            request: None,
            slice: QUANTUM,
        }
    }
}

impl Threads {
    /// Asks for a switch once the current system call has completed.
    pub fn request(&mut self, s: Switch) {
        self.request = Some(s);
    }

    /// Whether a thread id belongs to this process.
    pub fn is_live(&self, tid: u64) -> bool {
        tid == self.current || self.queue.iter().any(|t| t.tid == tid)
    }
}

pub fn set_tid_address(m: &mut Machine, a: &Args) -> SysResult {
    m.os.clear_child_tid = a.addr(0);
    Ok(m.os.threads.current)
}

/// clone(flags, newsp, parent_tid, tls, child_tid): a thread with `CLONE_VM |
/// CLONE_THREAD`; without `CLONE_VM`, or with `CLONE_VFORK`, a process
/// (`process::fork`). Threads sharing memory across processes are not emulated.
pub fn clone(m: &mut Machine, a: &Args) -> SysResult {
    let (flags, parent_tid, child_tid) = (a.u(0), a.addr(2), a.addr(4));
    let vfork = flags & CLONE_VFORK != 0;
    if flags & CLONE_VM == 0 || vfork {
        if flags & CLONE_THREAD != 0 {
            return Err(Errno::EINVAL);
        }
        return super::process::fork(m, a, flags & CLONE_VM != 0 && vfork);
    }
    if flags & CLONE_THREAD == 0 {
        return Err(Errno::ENOSYS);
    }
    let tid = super::procs::new_id(m);
    if flags & CLONE_PARENT_SETTID != 0 {
        m.copy_out(parent_tid, &(tid as u32).to_le_bytes())?;
    }
    if flags & CLONE_CHILD_SETTID != 0 {
        m.copy_out(child_tid, &(tid as u32).to_le_bytes())?;
    }
    let t = child_thread(m, a, tid);
    m.os.threads.queue.push_back(t);
    Ok(tid)
}

/// The new thread (or first thread of a new process) `clone` makes: the caller's
/// registers with `a0 = 0`, the new stack and TLS, its `clear_child_tid`.
pub(super) fn child_thread(m: &Machine, a: &Args, tid: u64) -> Thread {
    let (flags, newsp, tls, child_tid) = (a.u(0), a.addr(1), a.u(3), a.addr(4));
    let mut hart = m.hart.clone();
    hart.x[10] = 0;
    if newsp != 0 {
        hart.x[2] = newsp;
    }
    if flags & CLONE_SETTLS != 0 {
        hart.x[4] = tls;
    }
    hart.reservation = None;
    let clear_child_tid = if flags & CLONE_CHILD_CLEARTID != 0 {
        child_tid
    } else {
        0
    };
    Thread {
        tid,
        hart,
        sigmask: m.os.signals.mask,
        clear_child_tid,
        wait: Wait::None,
    }
}

/// exit(status): ends the calling thread; the last thread ends the process.
pub fn exit(m: &mut Machine, a: &Args) -> SysResult {
    if m.os.threads.queue.is_empty() {
        m.os.exit = Some(ExitStatus::Exited(a.int(0) & 0xff));
        return Ok(0);
    }
    // CLONE_CHILD_CLEARTID: zero the tid word and wake one joiner.
    let ctid = m.os.clear_child_tid;
    if ctid != 0 && m.copy_out(ctid, &0u32.to_le_bytes()).is_ok() {
        wake(m, ctid, u32::MAX, 1);
    }
    let me = m.os.threads.current;
    m.os.signals.forget_thread(me);
    m.os.threads.request(Switch::Exit);
    Ok(0)
}

/// Wakes up to `n` threads waiting on `addr` with a bit of `bitset`; returns how many.
fn wake(m: &mut Machine, addr: u64, bitset: u32, n: u64) -> u64 {
    let mut woken = 0;
    for t in m.os.threads.queue.iter_mut() {
        if woken == n {
            break;
        }
        if let Wait::Futex {
            addr: a, bitset: b, ..
        } = t.wait
        {
            if a == addr && b & bitset != 0 {
                t.wait = Wait::None;
                t.hart.x[10] = 0;
                woken += 1;
            }
        }
    }
    woken
}

/// Parks the calling thread until some pipe changes, then runs the same system call
/// again: the pc goes back to the `ecall` and `a0` keeps its argument value.
pub fn block_and_retry(m: &mut Machine, a: &Args) -> SysResult {
    block_and_retry_until(m, a, None, false)
}

/// [`block_and_retry`], also woken at `deadline`; see [`Wait::Io`] for `interruptible`.
pub fn block_and_retry_until(
    m: &mut Machine,
    a: &Args,
    deadline: Option<Instant>,
    interruptible: bool,
) -> SysResult {
    m.hart.pc = m.hart.pc.wrapping_sub(4);
    m.os.threads.request(Switch::Block(Wait::Io {
        deadline,
        interruptible,
    }));
    Ok(a.u(0))
}

/// Makes every thread waiting for descriptor I/O runnable (they retry their call),
/// in every process: pipes and child exits connect processes.
pub fn wake_io(m: &mut Machine) {
    wake_io_of(&mut m.os.threads);
    for p in m.procs.others.iter_mut() {
        wake_io_of(&mut p.os.threads);
    }
}

/// [`wake_io`] for the threads of one process.
pub(super) fn wake_io_of(threads: &mut Threads) {
    for t in threads.queue.iter_mut() {
        if matches!(t.wait, Wait::Io { .. }) {
            t.wait = Wait::None;
        }
    }
}

/// Moves up to `n` waiters from `from` to `to` (FUTEX_REQUEUE).
fn requeue(m: &mut Machine, from: u64, to: u64, n: u64) -> u64 {
    let mut moved = 0;
    for t in m.os.threads.queue.iter_mut() {
        if moved == n {
            break;
        }
        if let Wait::Futex {
            addr,
            bitset,
            deadline,
        } = t.wait
        {
            if addr == from {
                t.wait = Wait::Futex {
                    addr: to,
                    bitset,
                    deadline,
                };
                moved += 1;
            }
        }
    }
    moved
}

/// The absolute deadline of a futex wait: relative monotonic for FUTEX_WAIT,
/// absolute (monotonic, or real time with FUTEX_CLOCK_REALTIME) for WAIT_BITSET.
fn deadline(
    m: &Machine,
    addr: u64,
    absolute: bool,
    realtime: bool,
) -> Result<Option<Instant>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    let t = m.read_timespec(addr)?;
    let d = t.to_duration();
    Ok(Some(if !absolute {
        super::signal::after(d)
    } else if realtime {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        super::signal::after(d.saturating_sub(now))
    } else {
        let now = super::time::since_boot();
        super::signal::after(d.saturating_sub(now))
    }))
}

pub fn futex(m: &mut Machine, a: &Args) -> SysResult {
    const FUTEX_WAIT: i32 = 0;
    const FUTEX_WAKE: i32 = 1;
    const FUTEX_REQUEUE: i32 = 3;
    const FUTEX_CMP_REQUEUE: i32 = 4;
    const FUTEX_WAKE_OP: i32 = 5;
    const FUTEX_WAIT_BITSET: i32 = 9;
    const FUTEX_WAKE_BITSET: i32 = 10;
    const FUTEX_CLOCK_REALTIME: i32 = 256;
    let (addr, val) = (a.addr(0), a.u(2) as u32);
    if addr % 4 != 0 {
        return Err(Errno::EINVAL);
    }
    let op = a.int(1) & 0x7f; // without FUTEX_PRIVATE_FLAG and the clock bit
    match op {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            let bitset = if op == FUTEX_WAIT {
                u32::MAX
            } else {
                a.u(5) as u32
            };
            if bitset == 0 {
                return Err(Errno::EINVAL);
            }
            let realtime = a.int(1) & FUTEX_CLOCK_REALTIME != 0;
            let deadline = deadline(m, a.addr(3), op == FUTEX_WAIT_BITSET, realtime)?;
            if m.read_u32(addr)? != val {
                return Err(Errno::EAGAIN);
            }
            m.os.threads.request(Switch::Block(Wait::Futex {
                addr,
                bitset,
                deadline,
            }));
            Ok(0)
        }
        FUTEX_WAKE => Ok(wake(m, addr, u32::MAX, a.u(2))),
        FUTEX_WAKE_BITSET => match a.u(5) as u32 {
            0 => Err(Errno::EINVAL),
            bits => Ok(wake(m, addr, bits, a.u(2))),
        },
        FUTEX_REQUEUE | FUTEX_CMP_REQUEUE => {
            if op == FUTEX_CMP_REQUEUE && m.read_u32(addr)? != a.u(5) as u32 {
                return Err(Errno::EAGAIN);
            }
            let woken = wake(m, addr, u32::MAX, a.u(2));
            Ok(woken + requeue(m, addr, a.addr(4), a.u(3)))
        }
        FUTEX_WAKE_OP => futex_wake_op(m, a),
        _ => Err(Errno::ENOSYS),
    }
}

/// FUTEX_WAKE_OP: `old = *uaddr2; *uaddr2 = old OP arg; wake(uaddr, n);
/// if old CMP cmparg { wake(uaddr2, n2) }`.
fn futex_wake_op(m: &mut Machine, a: &Args) -> SysResult {
    let (addr, n, n2, addr2, enc) = (a.addr(0), a.u(2), a.u(3), a.addr(4), a.u(5) as u32);
    let (op, cmp) = ((enc >> 28) & 7, (enc >> 24) & 15);
    let shift_arg = enc >> 31 != 0;
    let (mut arg, cmparg) = ((enc >> 12) & 0xfff, enc & 0xfff);
    if shift_arg {
        arg = 1u32.checked_shl(arg).unwrap_or(0);
    }
    let old = m.read_u32(addr2)?;
    let new = match op {
        0 => arg,
        1 => old.wrapping_add(arg),
        2 => old | arg,
        3 => old & !arg,
        4 => old ^ arg,
        _ => return Err(Errno::ENOSYS),
    };
    m.copy_out(addr2, &new.to_le_bytes())?;
    let mut woken = wake(m, addr, u32::MAX, n);
    let hit = match cmp {
        0 => old == cmparg,
        1 => old != cmparg,
        2 => (old as i32) < cmparg as i32,
        3 => (old as i32) <= cmparg as i32,
        4 => (old as i32) > cmparg as i32,
        5 => (old as i32) >= cmparg as i32,
        _ => return Err(Errno::ENOSYS),
    };
    if hit {
        woken += wake(m, addr2, u32::MAX, n2);
    }
    Ok(woken)
}

pub fn sched_yield(m: &mut Machine, _: &Args) -> SysResult {
    m.os.threads.request(Switch::Yield);
    Ok(0)
}

/// Performs a switch the running thread asked for (or `preempt` one when its
/// budget is spent and another thread can run). Returns false when no thread can
/// ever run again (the emulator has been ended as deadlocked).
pub fn reschedule(m: &mut Machine, preempt: bool) -> bool {
    let request =
        m.os.threads
            .request
            .take()
            .or(preempt.then_some(Switch::Yield));
    let Some(request) = request else { return true };
    if request == Switch::Yield && !m.os.stopped && !others_runnable(m, Instant::now()) {
        return true;
    }
    if request != Switch::Exit {
        let wait = match request {
            Switch::Block(w) => w,
            _ => Wait::None,
        };
        let current = current_thread(m, wait);
        m.os.threads.queue.push_back(current);
    }
    schedule(m, false)
}

/// The running thread as a [`Thread`] that waits for `wait`.
pub(super) fn current_thread(m: &Machine, wait: Wait) -> Thread {
    Thread {
        tid: m.os.threads.current,
        hart: m.hart.clone(),
        sigmask: m.os.signals.mask,
        clear_child_tid: m.os.clear_child_tid,
        wait,
    }
}

/// Whether the running thread is all there is: no other thread of its process and
/// no other process (a blocking wait may then sleep the whole emulator).
pub(super) fn alone(m: &Machine) -> bool {
    m.os.threads.queue.is_empty() && m.procs.others.is_empty()
}

/// Whether a thread other than the running one could run now: one of this
/// process, or a process that can be switched in.
fn others_runnable(m: &Machine, now: Instant) -> bool {
    let signals = &m.os.signals;
    m.os.threads
        .queue
        .iter()
        .any(|t| ready(t, now, signals.pending_for(t.tid)))
        || m.procs.others.iter().any(|p| p.runnable(m.os.pid, now))
}

/// Whether a waiting thread can run: runnable, a wait that timed out, an
/// interruptible wait with a signal its mask lets through (`pending`), or a
/// signal wait with a signal of its set pending.
pub(super) fn ready(t: &Thread, now: Instant, pending: u64) -> bool {
    match t.wait {
        Wait::None => true,
        Wait::Futex { deadline, .. } => deadline.is_some_and(|d| d <= now),
        Wait::Io {
            deadline,
            interruptible,
        } => deadline.is_some_and(|d| d <= now) || interruptible && pending & !t.sigmask != 0,
        Wait::Signal { set, deadline } => {
            deadline.is_some_and(|d| d <= now) || pending & (set | !t.sigmask) != 0
        }
        Wait::Sleep { deadline, .. } => deadline <= now || pending & !t.sigmask != 0,
    }
}

/// When the first of `threads` stops waiting by itself: a timeout, or a timer of
/// the process (`signals`: interval and POSIX timers) that may end a descriptor or
/// signal wait.
pub(super) fn wake_time(threads: &Threads, signals: &super::signal::Signals) -> Option<Instant> {
    let q = &threads.queue;
    let timers = q
        .iter()
        .any(|t| {
            matches!(
                t.wait,
                Wait::Io { .. } | Wait::Signal { .. } | Wait::Sleep { .. }
            )
        })
        .then(|| super::signal::next_timer(signals))
        .flatten();
    q.iter()
        .filter_map(|t| match t.wait {
            Wait::Futex { deadline, .. }
            | Wait::Io { deadline, .. }
            | Wait::Signal { deadline, .. } => deadline,
            Wait::Sleep { deadline, .. } => Some(deadline),
            Wait::None => None,
        })
        .chain(timers)
        .min()
}

/// Makes the next thread run: a thread of another process that can run first
/// (round robin over processes), else one of the running process, sleeping until
/// one can. `dead`: the running process has ended, it is only left for another.
/// Returns false when nothing can ever run again (a deadlock, reported; the
/// emulator then ends with status 1).
pub(super) fn schedule(m: &mut Machine, mut dead: bool) -> bool {
    loop {
        let now = Instant::now();
        let me = m.os.pid;
        if let Some(i) = m.procs.others.iter().position(|p| p.runnable(me, now)) {
            super::procs::switch(m, i, dead);
            dead = false;
        }
        if !dead {
            super::signal::fire_timers(m);
        }
        let now = Instant::now();
        let q = &mut m.os.threads.queue;
        // The first runnable thread (a wait that timed out is runnable again).
        let signals = &m.os.signals;
        let stopped = dead || m.os.stopped;
        let ready = q
            .iter()
            .position(|t| !stopped && ready(t, now, signals.pending_for(t.tid)));
        if let Some(i) = ready {
            let Some(mut t) = q.remove(i) else {
                return false;
            };
            let pending = m.os.signals.pending_for(t.tid);
            let mut interrupted = false;
            match t.wait {
                Wait::Futex { .. } => t.hart.x[10] = (-(Errno::ETIMEDOUT as i64)) as u64,
                Wait::Io {
                    interruptible: true,
                    ..
                } if pending & !t.sigmask != 0 => {
                    // Finish the call with EINTR rather than running it again.
                    t.hart.pc = t.hart.pc.wrapping_add(4);
                    t.hart.x[10] = (-(Errno::EINTR as i64)) as u64;
                    interrupted = true;
                }
                // A signal it waits for: the call runs again and takes it.
                Wait::Signal { set, .. } if pending & set != 0 => {}
                Wait::Signal { .. } => {
                    let e = if pending & !t.sigmask != 0 {
                        Errno::EINTR
                    } else {
                        Errno::EAGAIN
                    };
                    t.hart.pc = t.hart.pc.wrapping_add(4);
                    t.hart.x[10] = (-(e as i64)) as u64;
                }
                Wait::Sleep { deadline, rem } => {
                    let mut result = 0;
                    if deadline > now {
                        result = -(Errno::EINTR as i64);
                        let left = super::abi::Timespec::from_duration(deadline - now);
                        // A bad `rem` loses the time left, as Linux's EFAULT would.
                        if rem != 0 {
                            let _ = m.write_timespec(rem, left);
                        }
                    }
                    t.hart.pc = t.hart.pc.wrapping_add(4);
                    t.hart.x[10] = result as u64;
                }
                _ => {}
            }
            // The count of retired instructions is the machine's, not the thread's.
            let instret = m.hart.instret;
            m.hart = t.hart;
            m.hart.instret = instret;
            m.hart.reservation = None;
            m.os.signals.mask = t.sigmask;
            m.os.clear_child_tid = t.clear_child_tid;
            m.os.threads.current = t.tid;
            m.os.signals.thread = t.tid;
            if interrupted {
                super::poll::interrupted(m);
            }
            return true;
        }
        let own = (!stopped)
            .then(|| wake_time(&m.os.threads, &m.os.signals))
            .flatten();
        let next = m
            .procs
            .others
            .iter()
            .filter_map(|p| p.wake_time())
            .chain(own)
            .min();
        match next {
            Some(d) => std::thread::sleep(d.saturating_duration_since(now)),
            None => {
                eprintln!(
                    "mvvm: deadlock: every guest thread is blocked (futex, pipe, poll or wait) with no timeout"
                );
                m.os.exit = Some(ExitStatus::Exited(1));
                m.procs.halted = true;
                return false;
            }
        }
    }
}

pub fn sched_getaffinity(m: &mut Machine, a: &Args) -> SysResult {
    let len = a.u(1);
    if len < 8 || !len.is_multiple_of(8) {
        return Err(Errno::EINVAL);
    }
    m.write_u64(a.addr(2), 1)?;
    Ok(8)
}

pub fn getcpu(m: &mut Machine, a: &Args) -> SysResult {
    for i in 0..2 {
        if a.addr(i) != 0 {
            m.copy_out(a.addr(i), &0u32.to_le_bytes())?;
        }
    }
    Ok(0)
}

/// clone3(args, size): `struct clone_args` translated to [`clone`]'s arguments.
/// Not supported: `CLONE_PIDFD` (no pidfds), `set_tid` (needs CAP_SYS_ADMIN: EPERM),
/// `CLONE_INTO_CGROUP`.
pub fn clone3(m: &mut Machine, a: &Args) -> SysResult {
    const VER0: u64 = 64;
    const CLONE_PIDFD: u64 = 0x1000;
    const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;
    let size = a.u(1);
    if size < VER0 {
        return Err(Errno::EINVAL);
    }
    if size > 4096 {
        return Err(Errno::E2BIG);
    }
    let raw = m.copy_in(a.addr(0), size)?;
    let field = |i: usize| {
        raw.get(i * 8..i * 8 + 8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
    };
    // Fields this kernel does not know must be zero.
    if raw
        .get(88..)
        .is_some_and(|rest| rest.iter().any(|&b| b != 0))
    {
        return Err(Errno::E2BIG);
    }
    let (flags, child_tid, parent_tid, exit_signal) = (field(0), field(2), field(3), field(4));
    let (stack, stack_size, tls, set_tid_size) = (field(5), field(6), field(7), field(9));
    if flags & (CLONE_PIDFD | CLONE_INTO_CGROUP) != 0 || exit_signal > 64 || flags & 0xff != 0 {
        return Err(Errno::EINVAL);
    }
    if set_tid_size != 0 {
        return Err(Errno::EPERM);
    }
    if (stack == 0) != (stack_size == 0) {
        return Err(Errno::EINVAL);
    }
    let sp = stack.wrapping_add(stack_size);
    clone(
        m,
        &Args([flags | exit_signal, sp, parent_tid, tls, child_tid, 0]),
    )
}

/// The futex2 calls (`futex_wake`, `futex_wait`, `futex_requeue`) on 32-bit futexes,
/// as the `futex` operations they correspond to.
pub fn futex2(m: &mut Machine, s: super::Sysno, a: &Args) -> SysResult {
    const FUTEX2_SIZE_U32: u64 = 2;
    const FUTEX2_PRIVATE: u64 = 128;
    const FUTEX_WAIT_BITSET: u64 = 9;
    const FUTEX_WAKE_BITSET: u64 = 10;
    const FUTEX_CMP_REQUEUE: u64 = 4;
    const FUTEX_CLOCK_REALTIME: u64 = 256;
    let size_ok = |flags: u64| flags & !FUTEX2_PRIVATE == FUTEX2_SIZE_U32;
    match s {
        super::Sysno::futex_wake if size_ok(a.u(3)) => {
            futex(m, &Args([a.u(0), FUTEX_WAKE_BITSET, a.u(2), 0, 0, a.u(1)]))
        }
        super::Sysno::futex_wait if size_ok(a.u(3)) => {
            let clock = match a.int(5) {
                0 => FUTEX_CLOCK_REALTIME,
                1 => 0,
                _ => return Err(Errno::EINVAL),
            };
            let op = FUTEX_WAIT_BITSET | clock;
            futex(m, &Args([a.u(0), op, a.u(1), a.u(4), 0, a.u(2)]))
        }
        super::Sysno::futex_requeue if size_ok(a.u(1)) => {
            // Two `struct futex_waitv`: val, uaddr, flags (u32), reserved (u32).
            let w = m.copy_in(a.addr(0), 48)?;
            let word = |at: usize| u64::from_le_bytes(w[at..at + 8].try_into().unwrap_or_default());
            let (val, from, to) = (word(0), word(8), word(32));
            let args = [from, FUTEX_CMP_REQUEUE, a.u(2), a.u(3), to, val];
            futex(m, &Args(args))
        }
        _ => Err(Errno::EINVAL),
    }
}
