//! Processes: fork (and vfork), waiting for children, exit, process groups and
//! sessions, identity, limits, umask, prctl. The process table and switching
//! between processes are in `procs`, `execve` in `exec`.

use super::abi::{siginfo, Out};
use super::procs::{self, Proc, Zombie, MAX_IMAGE_BYTES, MAX_PROCS};
use super::thread::{self, Switch};
use super::{Args, Errno, ExitStatus, Os, SysResult, UID};
use crate::machine::Machine;

pub fn exit(m: &mut Machine, a: &Args) -> SysResult {
    m.os.exit = Some(ExitStatus::Exited(a.int(0) & 0xff));
    Ok(0)
}

pub fn getresuid(m: &mut Machine, a: &Args) -> SysResult {
    for i in 0..3 {
        m.copy_out(a.addr(i), &(UID as u32).to_le_bytes())?;
    }
    Ok(0)
}

pub fn umask(m: &mut Machine, a: &Args) -> SysResult {
    let old = m.os.umask;
    m.os.umask = a.u(0) as u32 & 0o777;
    Ok(old as u64)
}

/// `(soft, hard)` limit for a resource.
fn limit(m: &Machine, resource: i32) -> Result<(u64, u64), Errno> {
    const RLIMIT_STACK: i32 = 3;
    const RLIMIT_NOFILE: i32 = 7;
    const RLIMIT_AS: i32 = 9;
    const INF: u64 = u64::MAX;
    Ok(match resource {
        RLIMIT_STACK => (m.stack_size, INF),
        RLIMIT_NOFILE => (super::fd::MAX_FDS as u64, super::fd::MAX_FDS as u64),
        RLIMIT_AS => (m.mem.size(), m.mem.size()),
        0..=15 => (INF, INF),
        _ => return Err(Errno::EINVAL),
    })
}

fn write_rlimit(m: &mut Machine, addr: u64, (cur, max): (u64, u64)) -> Result<(), Errno> {
    if addr != 0 {
        let mut o = Out::new(16);
        o.u64(0, cur).u64(8, max);
        m.copy_out(addr, &o.0)?;
    }
    Ok(())
}

pub fn prlimit64(m: &mut Machine, a: &Args) -> SysResult {
    if a.u(0) != 0 && a.u(0) != m.os.pid {
        return Err(Errno::ESRCH);
    }
    let l = limit(m, a.int(1))?;
    write_rlimit(m, a.addr(3), l)?;
    Ok(0)
}

pub fn getrlimit(m: &mut Machine, a: &Args) -> SysResult {
    let l = limit(m, a.int(0))?;
    write_rlimit(m, a.addr(1), l)?;
    Ok(0)
}

pub fn prctl(m: &mut Machine, a: &Args) -> SysResult {
    const PR_SET_NAME: i32 = 15;
    const PR_GET_NAME: i32 = 16;
    match a.int(0) {
        PR_SET_NAME => {
            let name = m.mem.read_cstr(a.addr(1), 4096).ok_or(Errno::EFAULT)?;
            let n = name.len().min(15);
            m.os.comm = [0; 16];
            m.os.comm[..n].copy_from_slice(&name[..n]);
            Ok(0)
        }
        PR_GET_NAME => {
            let comm = m.os.comm;
            m.copy_out(a.addr(1), &comm)?;
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

/// A child process for `clone` without `CLONE_VM` (fork), or with `CLONE_VM |
/// CLONE_VFORK` (`vfork`: the child borrows the caller's address space and runs
/// first; the caller waits until it execs or ends).
pub fn fork(m: &mut Machine, a: &Args, vfork: bool) -> SysResult {
    let (flags, parent_tid, child_tid) = (a.u(0), a.addr(2), a.addr(4));
    if m.procs.count() >= MAX_PROCS {
        return Err(Errno::EAGAIN);
    }
    let pid = procs::new_id(m);
    let settid = flags & thread::CLONE_CHILD_SETTID != 0;
    let mem = if vfork {
        if settid {
            m.copy_out(child_tid, &(pid as u32).to_le_bytes())?;
        }
        None
    } else {
        // The child's tid word is written in the child's copy only.
        let old = if settid {
            let old = m.read_u32(child_tid)?;
            m.copy_out(child_tid, &(pid as u32).to_le_bytes())?;
            Some(old)
        } else {
            None
        };
        let img = m.mem.image();
        if let Some(old) = old {
            m.copy_out(child_tid, &old.to_le_bytes())?;
        }
        if img.bytes().saturating_add(m.procs.image_bytes()) > MAX_IMAGE_BYTES {
            return Err(Errno::ENOMEM);
        }
        Some(img)
    };
    if flags & thread::CLONE_PARENT_SETTID != 0 {
        m.copy_out(parent_tid, &(pid as u32).to_le_bytes())?;
    }
    let mut os = child_os(&m.os, pid);
    os.exit_signal = procs::exit_signal(flags & 0xff);
    let t = thread::child_thread(m, a, pid);
    os.clear_child_tid = t.clear_child_tid;
    os.threads.queue.push_back(t);
    let child = Proc { os, mem };
    if vfork {
        child_borrows(m, child);
    } else {
        m.procs.others.push_back(child);
    }
    Ok(pid)
}

/// Makes `child` (a vfork child) run next, in the caller's address space.
fn child_borrows(m: &mut Machine, mut child: Proc) {
    child.os.vfork_parent = Some(m.os.pid);
    m.procs.others.push_front(child);
    m.os.threads.request(Switch::Yield);
}

/// The Linux state a child starts with: a copy of the parent's, sharing its open
/// file descriptions; only the calling thread is copied.
fn child_os(parent: &Os, pid: u64) -> Os {
    let p = parent;
    let mut os = Os::new(p.cwd.clone(), p.exe.clone(), p.sysroot.clone());
    os.fds = p.fds.clone();
    os.umask = p.umask;
    os.signals = p.signals.for_child();
    os.strace = p.strace;
    os.reported = p.reported.clone();
    os.comm = p.comm;
    os.argv = p.argv.clone();
    os.envp = p.envp.clone();
    os.auxv = p.auxv.clone();
    os.threads.current = pid;
    os.signals.thread = pid;
    os.threads.next_tid = p.threads.next_tid;
    // A clone shares the output buffers, as the child shares fds 1 and 2.
    os.stdio = p.stdio.clone();
    os.pid = pid;
    os.ppid = p.pid;
    os.pgid = p.pgid;
    os.sid = p.sid;
    os
}

/// Which children a wait is for.
#[derive(Clone, Copy)]
enum Select {
    Any,
    Pid(u64),
    Group(u64),
}

impl Select {
    fn hit(self, pid: u64, pgid: u64) -> bool {
        match self {
            Select::Any => true,
            Select::Pid(p) => pid == p,
            Select::Group(g) => pgid == g,
        }
    }
}

const WNOHANG: i32 = 1;

/// Looks for an ended child of `sel`, taking it out of the table unless
/// `keep`. ECHILD when there is no such child at all; `None` while they run.
fn reap(m: &mut Machine, sel: Select, keep: bool) -> Result<Option<Zombie>, Errno> {
    let me = m.os.pid;
    let i = m
        .procs
        .zombies
        .iter()
        .position(|z| z.ppid == me && sel.hit(z.pid, z.pgid));
    if let Some(i) = i {
        let z = m.procs.zombies[i];
        if !keep {
            m.procs.zombies.remove(i);
        }
        return Ok(Some(z));
    }
    let running = m
        .procs
        .others
        .iter()
        .any(|p| p.os.ppid == me && sel.hit(p.os.pid, p.os.pgid));
    if running {
        Ok(None)
    } else {
        Err(Errno::ECHILD)
    }
}

/// Takes the stop (if `stops`) or continue (if `continues`) of a child of `sel`
/// that its parent has not been told of, leaving it there if `keep`.
fn job_report(
    m: &mut Machine,
    sel: Select,
    stops: bool,
    continues: bool,
    keep: bool,
) -> Option<(u64, procs::JobEvent)> {
    let me = m.os.pid;
    let p = m.procs.others.iter_mut().find(|p| {
        p.os.ppid == me
            && sel.hit(p.os.pid, p.os.pgid)
            && match p.os.job_event {
                Some(procs::JobEvent::Stopped(_)) => stops,
                Some(procs::JobEvent::Continued) => continues,
                None => false,
            }
    })?;
    let event = if keep {
        p.os.job_event
    } else {
        p.os.job_event.take()
    };
    event.map(|e| (p.os.pid, e))
}

/// A wait found nothing yet: fail with EINTR (or restart the call after the
/// handlers, for `SA_RESTART`) if a signal is to be delivered, else park the
/// thread until something changes (a child's end wakes descriptor waits).
fn wait_more(m: &mut Machine, a: &Args) -> SysResult {
    match m.os.signals.interruption() {
        Some(true) => {
            m.hart.pc = m.hart.pc.wrapping_sub(4);
            Ok(a.u(0))
        }
        Some(false) => Err(Errno::EINTR),
        None => thread::block_and_retry(m, a),
    }
}

/// `struct rusage` (all zero: child times are not accounted).
fn write_rusage(m: &mut Machine, addr: u64) -> Result<(), Errno> {
    if addr != 0 {
        m.copy_out(addr, &[0; 144])?;
    }
    Ok(())
}

/// wait4(pid, wstatus, options, rusage).
pub fn wait4(m: &mut Machine, a: &Args) -> SysResult {
    const WUNTRACED: i32 = 2;
    const WCONTINUED: i32 = 8;
    const WALL_FLAGS: i32 = 0xe000_0000_u32 as i32;
    let (target, status, options) = (a.int(0), a.addr(1), a.int(2));
    if options & !(WNOHANG | WUNTRACED | WCONTINUED | WALL_FLAGS) != 0 {
        return Err(Errno::EINVAL);
    }
    let sel = match target {
        -1 => Select::Any,
        0 => Select::Group(m.os.pgid),
        t if t < 0 => Select::Group(t.unsigned_abs() as u64),
        t => Select::Pid(t as u64),
    };
    let found = match reap(m, sel, false)? {
        Some(z) => Some((z.pid, procs::wait_status(z.status))),
        None => job_report(
            m,
            sel,
            options & WUNTRACED != 0,
            options & WCONTINUED != 0,
            false,
        )
        .map(|(pid, event)| (pid, event.wait_status())),
    };
    match found {
        Some((pid, word)) => {
            if status != 0 {
                m.copy_out(status, &word.to_le_bytes())?;
            }
            write_rusage(m, a.addr(3))?;
            Ok(pid)
        }
        None if options & WNOHANG != 0 => Ok(0),
        None => wait_more(m, a),
    }
}

/// waitid(idtype, id, infop, options, rusage).
pub fn waitid(m: &mut Machine, a: &Args) -> SysResult {
    const P_ALL: i32 = 0;
    const P_PID: i32 = 1;
    const P_PGID: i32 = 2;
    const WSTOPPED: i32 = 2;
    const WEXITED: i32 = 4;
    const WCONTINUED: i32 = 8;
    const WNOWAIT: i32 = 0x0100_0000;
    const WALL_FLAGS: i32 = 0xe000_0000_u32 as i32;
    let (id, info, options) = (a.u(1) as u32 as u64, a.addr(2), a.int(3));
    let known = WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WALL_FLAGS;
    if options & !known != 0 || options & (WEXITED | WSTOPPED | WCONTINUED) == 0 {
        return Err(Errno::EINVAL);
    }
    let sel = match a.int(0) {
        P_ALL => Select::Any,
        P_PID if id > 0 => Select::Pid(id),
        P_PGID if id > 0 => Select::Group(id),
        P_PGID => Select::Group(m.os.pgid),
        _ => return Err(Errno::EINVAL),
    };
    let keep = options & WNOWAIT != 0;
    let ended = if options & WEXITED != 0 {
        reap(m, sel, keep)?
    } else {
        reap(m, sel, true)?.and(None)
    };
    let found = match ended {
        Some(z) => Some((z.pid, procs::child_code(z.status))),
        None => job_report(
            m,
            sel,
            options & WSTOPPED != 0,
            options & WCONTINUED != 0,
            keep,
        )
        .map(|(pid, event)| (pid, event.child_code())),
    };
    let bytes = match found {
        Some((pid, (code, value))) => {
            siginfo::child(super::signal::SIGCHLD, code, pid as u32, UID as u32, value)
        }
        None if options & WNOHANG != 0 => [0; siginfo::SIZE],
        None => return wait_more(m, a),
    };
    if info != 0 {
        m.copy_out(info, &bytes)?;
    }
    write_rusage(m, a.addr(4))?;
    Ok(0)
}

/// The `(pid, pgid, sid)` of process `pid` (0: the caller), zombies included.
fn ids(m: &Machine, pid: u64) -> Result<(u64, u64, u64), Errno> {
    let os = &m.os;
    if pid == 0 || pid == os.pid {
        return Ok((os.pid, os.pgid, os.sid));
    }
    if let Some(p) = m.procs.others.iter().find(|p| p.os.pid == pid) {
        return Ok((p.os.pid, p.os.pgid, p.os.sid));
    }
    m.procs
        .zombies
        .iter()
        .find(|z| z.pid == pid)
        .map(|z| (z.pid, z.pgid, os.sid))
        .ok_or(Errno::ESRCH)
}

/// getpgid(pid) / getsid(pid).
pub fn getpgid(m: &mut Machine, a: &Args, s: super::Sysno) -> SysResult {
    let (_, pgid, sid) = ids(m, a.u(0) as u32 as u64)?;
    Ok(if s == super::Sysno::getsid { sid } else { pgid })
}

/// setpgid(pid, pgid): the caller or one of its children joins (or makes) a
/// process group of its session.
pub fn setpgid(m: &mut Machine, a: &Args) -> SysResult {
    let (pid, pgid) = (a.int(0), a.int(1));
    if pgid < 0 || pid < 0 {
        return Err(Errno::EINVAL);
    }
    let me = m.os.pid;
    let pid = if pid == 0 { me } else { pid as u64 };
    let pgid = if pgid == 0 { pid } else { pgid as u64 };
    let (_, _, sid) = ids(m, pid)?;
    let is_child = m
        .procs
        .others
        .iter()
        .any(|p| p.os.pid == pid && p.os.ppid == me);
    if pid != me && !is_child {
        return Err(Errno::ESRCH);
    }
    if sid == pid || sid != m.os.sid {
        return Err(Errno::EPERM);
    }
    let group_exists = m.os.pgid == pgid && m.os.sid == sid
        || m.procs
            .others
            .iter()
            .any(|p| p.os.pgid == pgid && p.os.sid == sid);
    if pgid != pid && !group_exists {
        return Err(Errno::EPERM);
    }
    if pid == me {
        m.os.pgid = pgid;
    } else if let Some(p) = m.procs.get_mut(pid) {
        p.os.pgid = pgid;
    }
    Ok(0)
}

/// setsid(): the caller leads a new session and process group, unless it
/// already leads a process group.
pub fn setsid(m: &mut Machine, _: &Args) -> SysResult {
    let me = m.os.pid;
    let leader = m.os.pgid == me || m.procs.others.iter().any(|p| p.os.pgid == me);
    if leader {
        return Err(Errno::EPERM);
    }
    m.os.pgid = me;
    m.os.sid = me;
    Ok(me)
}
