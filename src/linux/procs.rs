//! The process table: several emulated processes inside one machine, scheduled
//! like threads.
//!
//! The running process is the machine itself (`m.hart`, `m.mem`, `m.os`); the
//! others wait in [`Procs::others`], each with its Linux state ([`Os`], all its
//! threads parked in its queue) and its address space saved as a
//! [`mem::Image`](crate::mem::Image): one guest window serves every process in
//! turn, since its host address must stay fixed and wasm32 has room for one large
//! window only. Switching process swaps the window's pages and drops the decoded
//! code (and JIT output), which belong to the address space.
//!
//! The scheduler (`thread::schedule`) goes round robin over processes, then over
//! the threads of the one switched in, at the same points where it switches
//! threads (a system call that blocks or yields, an instruction budget spent), so
//! runs stay deterministic. A vfork child borrows its parent's window: neither is
//! swapped when one hands over to the other, and the parent (its `mem` is `None`)
//! cannot run until the child execs or ends and gives the address space back.
//!
//! A process that ends keeps a [`Zombie`] entry for its parent's `wait4` (none
//! when the parent ignores `SIGCHLD` or is gone); its children are orphaned to
//! the outside world (parent id 1), and nobody waits for orphans. The first
//! process stands for the program the emulator was started with: when it ends,
//! the emulator ends with its status, whatever else still runs.

use super::signal;
use super::thread::{self, ready, wake_time};
use super::{abi::siginfo, ExitStatus, Os, PID, UID};
use crate::machine::Machine;
use crate::mem::Image;
use std::collections::VecDeque;
use std::time::Instant;

/// Most processes (running, waiting and zombies) at once: `fork` fails with
/// EAGAIN beyond, as with `RLIMIT_NPROC`, so a fork bomb cannot exhaust the host.
pub const MAX_PROCS: usize = 64;
/// Most bytes of page contents the processes that are not running may keep
/// together; `fork` fails with ENOMEM beyond.
pub const MAX_IMAGE_BYTES: usize = 1 << 30;

/// A process that is not running.
#[derive(Debug)]
pub struct Proc {
    /// Its Linux state; every thread, the one that ran last included, is in
    /// `os.threads.queue`.
    pub os: Os,
    /// Its address space; `None` while it shares the window with its vfork
    /// parent or child (see the module doc).
    pub mem: Option<Image>,
}

impl Proc {
    /// Whether the scheduler may switch to this process at `now` (`running` is the
    /// pid of the running process).
    pub fn runnable(&self, running: u64, now: Instant) -> bool {
        if self.os.stopped {
            return false;
        }
        let has_memory = self.mem.is_some() || self.os.vfork_parent == Some(running);
        if !has_memory {
            return false;
        }
        let signals = &self.os.signals;
        self.os
            .threads
            .queue
            .iter()
            .any(|t| ready(t, now, signals.pending_for(t.tid)))
            || self.wake_time().is_some_and(|d| d <= now)
    }

    /// When a waiting thread of this process stops waiting by itself.
    pub fn wake_time(&self) -> Option<Instant> {
        if self.os.stopped || self.mem.is_none() && self.os.vfork_parent.is_none() {
            return None;
        }
        wake_time(&self.os.threads, &self.os.signals)
    }
}

/// A change of a child's run state that its parent's wait reports (job control).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobEvent {
    /// Stopped by this signal.
    Stopped(u8),
    /// Continued by `SIGCONT`.
    Continued,
}

impl JobEvent {
    /// The status word `wait4` reports (`WIFSTOPPED`, `WIFCONTINUED`).
    pub fn wait_status(self) -> u32 {
        match self {
            JobEvent::Stopped(sig) => (sig as u32) << 8 | 0x7f,
            JobEvent::Continued => 0xffff,
        }
    }

    /// `si_code` and `si_status` of the `SIGCHLD` or `waitid` report.
    pub fn child_code(self) -> (i32, i32) {
        match self {
            JobEvent::Stopped(sig) => (siginfo::CLD_STOPPED, sig as i32),
            JobEvent::Continued => (siginfo::CLD_CONTINUED, signal::SIGCONT as i32),
        }
    }
}

/// Stops the running process with `sig` (the default action of a stop signal):
/// the parent is told (`SIGCHLD` unless it asked for `SA_NOCLDSTOP`, and its
/// waits), and another process runs until a `SIGCONT` or `SIGKILL` ([`resume`]).
pub fn stop(m: &mut Machine, sig: u8) {
    m.os.stopped = true;
    m.os.job_event = Some(JobEvent::Stopped(sig));
    tell_parent(m, m.os.pid, m.os.ppid, JobEvent::Stopped(sig));
    m.os.threads.request(thread::Switch::Yield);
    thread::reschedule(m, false);
}

/// Lets the stopped process `pid` run again, as the generation of `sig` (SIGCONT
/// or SIGKILL) does on Linux, whatever the signal's disposition or mask. Only a
/// continue by `SIGCONT` is reported to the parent.
pub fn resume(m: &mut Machine, pid: u64, sig: u8) {
    let Some(p) = m.procs.get_mut(pid) else {
        return;
    };
    if !std::mem::take(&mut p.os.stopped) || sig != signal::SIGCONT {
        return;
    }
    p.os.job_event = Some(JobEvent::Continued);
    let ppid = p.os.ppid;
    tell_parent(m, pid, ppid, JobEvent::Continued);
}

/// Reports a stop or continue of `child` to its parent `ppid`, if it is here.
fn tell_parent(m: &mut Machine, child: u64, ppid: u64, event: JobEvent) {
    let parent = if m.os.pid == ppid {
        Some(&mut m.os)
    } else {
        m.procs.get_mut(ppid).map(|p| &mut p.os)
    };
    if let Some(os) = parent {
        if os.signals.wants_child_stops() {
            let (code, value) = event.child_code();
            let info = siginfo::child(signal::SIGCHLD, code, child as u32, UID as u32, value);
            signal::send_to(os, info);
        }
    }
    thread::wake_io(m);
}

/// A process that has ended and that its parent has not waited for yet.
#[derive(Clone, Copy, Debug)]
pub struct Zombie {
    pub pid: u64,
    pub ppid: u64,
    pub pgid: u64,
    pub status: ExitStatus,
}

/// The processes other than the running one.
#[derive(Debug, Default)]
pub struct Procs {
    /// Processes not running now, in round-robin order.
    pub others: VecDeque<Proc>,
    /// Ended processes not waited for, oldest first.
    pub zombies: Vec<Zombie>,
    /// The next process or thread id, when above the running process's own
    /// counter (thread ids and pids share one space, as on Linux).
    next_id: u64,
    /// A deadlock ended the emulator: no process is ended by itself any more.
    pub halted: bool,
    /// Unix socket names and FIFOs, which all processes share.
    pub unix: super::unix::Registry,
}

impl Procs {
    /// Whether the machine holds more than its first process.
    pub fn is_empty(&self) -> bool {
        self.others.is_empty() && self.zombies.is_empty()
    }

    /// How many processes exist, the running one included.
    pub fn count(&self) -> usize {
        1 + self.others.len() + self.zombies.len()
    }

    /// Bytes of page contents the waiting processes hold.
    pub fn image_bytes(&self) -> usize {
        self.others
            .iter()
            .filter_map(|p| p.mem.as_ref())
            .map(Image::bytes)
            .sum()
    }

    /// The waiting process `pid`.
    pub fn get_mut(&mut self, pid: u64) -> Option<&mut Proc> {
        self.others.iter_mut().find(|p| p.os.pid == pid)
    }
}

/// A fresh thread or process id.
pub fn new_id(m: &mut Machine) -> u64 {
    let id = m.procs.next_id.max(m.os.threads.next_tid);
    m.procs.next_id = id + 1;
    m.os.threads.next_tid = id + 1;
    id
}

/// Makes waiting process `i` the running one. The running process (whose
/// threads are all parked) joins the end of the queue, or is dropped if `dead`.
pub fn switch(m: &mut Machine, i: usize, dead: bool) {
    let Some(mut next) = m.procs.others.remove(i) else {
        return;
    };
    // A vfork child and its parent use the window in turn as it is.
    let shared = next.mem.is_none();
    let out_mem = if dead {
        m.mem.clear();
        None
    } else if shared {
        None
    } else {
        Some(m.mem.swap_out())
    };
    if let Some(img) = next.mem.take() {
        m.mem.swap_in(img);
    }
    if !shared {
        m.code.flush(&mut m.mem);
    }
    let old = std::mem::replace(&mut m.os, next.os);
    if !dead {
        m.procs.others.push_back(Proc {
            os: old,
            mem: out_mem,
        });
    }
}

/// A vfork child gives its parent's address space back (at exec or exit); the
/// window is then empty.
pub fn release_vfork(m: &mut Machine) {
    let Some(parent) = m.os.vfork_parent.take() else {
        return;
    };
    let img = m.mem.swap_out();
    m.code.flush(&mut m.mem);
    match m.procs.get_mut(parent) {
        Some(p) => p.mem = Some(img),
        None => drop(img),
    }
}

/// Whether the running process is the first one (its end ends the emulator).
pub fn is_init(m: &Machine) -> bool {
    m.os.pid == PID
}

/// The status word `wait4` reports for `status`. The core-dump bit stays clear:
/// no core file is written (Linux sets it only when one was).
pub fn wait_status(status: ExitStatus) -> u32 {
    match status {
        ExitStatus::Exited(code) => (code as u32 & 0xff) << 8,
        ExitStatus::Signaled(sig) => sig as u32,
    }
}

/// `si_code` and `si_status` of a `SIGCHLD` or `waitid` report of `status`.
pub fn child_code(status: ExitStatus) -> (i32, i32) {
    match status {
        ExitStatus::Exited(c) => (siginfo::CLD_EXITED, c),
        ExitStatus::Signaled(s) => (siginfo::CLD_KILLED, s as i32),
    }
}

/// Ends the running process (not the first one) after `m.os.exit` was set: its
/// descriptors close, it becomes a zombie for its parent (with `SIGCHLD`), and
/// another process runs.
pub fn end(m: &mut Machine) {
    let Some(status) = m.os.exit.take() else {
        return;
    };
    let (pid, ppid, pgid) = (m.os.pid, m.os.ppid, m.os.pgid);
    if m.os.vfork_parent.is_some() {
        release_vfork(m);
    }
    m.os.threads.queue.clear();
    m.os.fds = super::fd::FdTable::default();
    m.procs.zombies.retain(|z| z.ppid != pid);
    for p in m.procs.others.iter_mut() {
        if p.os.ppid == pid {
            p.os.ppid = 1;
        }
    }
    let exit_signal = m.os.exit_signal;
    if let Some(parent) = m.procs.get_mut(ppid) {
        if let Some(sig) = exit_signal {
            let (code, value) = child_code(status);
            let info = siginfo::child(sig, code, pid as u32, UID as u32, value);
            signal::send_to(&mut parent.os, info);
        }
        if !parent.os.signals.discards_children() {
            m.procs.zombies.push(Zombie {
                pid,
                ppid,
                pgid,
                status,
            });
        }
    }
    thread::wake_io(m);
    thread::schedule(m, true);
}

/// The signal a child's end sends when `clone` asked for `sig` (normally
/// `SIGCHLD`); 0 or a bad number sends none.
pub fn exit_signal(sig: u64) -> Option<u8> {
    let sig = sig as u8;
    (1..=signal::NSIG as u8).contains(&sig).then_some(sig)
}
